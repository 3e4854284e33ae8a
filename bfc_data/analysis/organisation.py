"""One organisation against its sector: organisation-level data, for officers only."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go

from bfc_data.outputs.charts import MARKERS, Chart, _layout, plain_table
from bfc_data.reference.settings import settings
from bfc_data.access import Viewer, require_officer
from bfc_data.store.measures import own_means
from bfc_data.store import NotFound, Store
from bfc_data.intake.values import year_label


@dataclass
class Profile:
    organisation_code: str
    summary: str
    chart: Chart
    history: Chart


def with_returns(store: Store, viewer: Viewer | str) -> pd.DataFrame:
    """Organisations with at least one current return, by name: the ones a profile can be drawn for."""
    require_officer(viewer, "see organisations")
    return store.query("""
        SELECT o.organisation_code, o.organisation_name FROM organisations o
        WHERE o.organisation_code IN (SELECT organisation_code FROM current_maturity_submissions)
        ORDER BY o.organisation_name""")


def profile(store: Store, viewer: Viewer | str, code: str, year: int) -> Profile:
    require_officer(viewer, "see an organisation's self-assessment")
    details = store.row("SELECT organisation_name, sector FROM organisations WHERE organisation_code = ?", [code])
    if details is None:
        raise NotFound(f"there is no organisation {code}")
    name, sector = details
    name = name or code
    in_sector = ("reporting_year = ? AND sector = (SELECT sector FROM current_maturity_submissions "
                 "WHERE organisation_code = ? AND reporting_year = ?)")
    by_action = store.query(f"""
        WITH organisation_means AS ({own_means(["action"], in_sector, {"action_number": "action_number"}, name="level")})
        SELECT action, any_value(action_number) AS n,
               round(avg(level) FILTER (WHERE organisation_code = ?), 2) AS organisation_level,
               round(avg(level) FILTER (WHERE organisation_code <> ?), 2) AS sector_mean,
               count(*) FILTER (WHERE organisation_code <> ?) AS sector_organisations,
               round(100.0 * count(*) FILTER (WHERE organisation_code <> ? AND level < (
                   SELECT level FROM organisation_means o WHERE o.organisation_code = ? AND o.action = m.action))
                   / nullif(count(*) FILTER (WHERE organisation_code <> ?), 0)) AS percent_of_sector_below
        FROM organisation_means m GROUP BY action ORDER BY n""", [year, code, year] + [code] * 6)
    by_action = by_action[by_action["organisation_level"].notna()].drop(columns="n").reset_index(drop=True)
    title = f"{name} against other {sector} organisations, {year_label(year)}"
    if by_action.empty:
        chart = Chart(None, f"{name} has no maturity levels for {year_label(year)}.", plain_table(by_action), title)
        summary = f"{name} ({code}, {sector}) has no current return with levels for {year_label(year)}."
    else:
        figure = go.Figure()
        figure.add_bar(x=by_action["action"], y=by_action["sector_mean"], name=f"Mean of other {sector} organisations",
                       marker_color=settings().palette[4], text=by_action["sector_mean"].map(lambda v: "" if pd.isna(v) else f"{v:.2f}"),
                       textposition="inside", insidetextanchor="start", textfont={"color": "#1A1A1A"})
        figure.add_scatter(x=by_action["action"], y=by_action["organisation_level"], mode="markers", name=name,
                           marker={"symbol": MARKERS[2], "size": 14, "color": settings().palette[1], "line": {"width": 1, "color": "#000"}})
        figure.update_yaxes(range=[0, store.fw.top_level + 0.5], title="Mean maturity level")
        figure.update_xaxes(title="Action", type="category")
        above = int((by_action["organisation_level"] > by_action["sector_mean"]).sum())
        chart = Chart(_layout(figure, title, height=440),
                      f"{name} is above its sector's mean on {above} of the {len(by_action)} actions it rated in {year_label(year)}.",
                      plain_table(by_action.rename(columns={"organisation_level": "Organisation's level", "sector_mean": "Sector mean",
                                                            "sector_organisations": "Other organisations in the sector",
                                                            "percent_of_sector_below": "% of sector below"})), title)
        summary = f"**{name}** ({code}) · {sector}."
    history = store.query(f"""
        WITH m AS ({own_means(["reporting_year", "sector"], name="level")})
        SELECT reporting_year AS year, round(avg(level) FILTER (WHERE organisation_code = ?), 2) AS organisation_level,
               round(avg(level) FILTER (WHERE organisation_code <> ? AND sector = ?), 2) AS sector_mean
        FROM m GROUP BY 1 HAVING count(*) FILTER (WHERE organisation_code = ?) > 0 ORDER BY 1""", [code, code, sector, code])
    history_title = f"{name} by reporting year, against the mean of other {sector} organisations"
    if len(history) < 2:
        history_chart = Chart(None, f"{name} has returned in one reporting year so far.", plain_table(history), history_title)
    else:
        figure = go.Figure()
        labels = [year_label(int(y)) for y in history["year"]]
        figure.add_scatter(x=labels, y=history["organisation_level"], mode="lines+markers", name=name, marker={"symbol": MARKERS[2], "size": 12})
        figure.add_scatter(x=labels, y=history["sector_mean"], mode="lines+markers", name=f"Other {sector} organisations",
                           line={"dash": "dash"}, marker={"symbol": MARKERS[1], "size": 10})
        figure.update_yaxes(range=[min(store.fw.levels), store.fw.top_level], title="Mean maturity level")
        figure.update_xaxes(type="category", title="Reporting year")
        first, last = history.iloc[0], history.iloc[-1]
        history_chart = Chart(_layout(figure, history_title, height=400),
                              f"{name}'s mean level went from {first['organisation_level']:.2f} in {year_label(int(first['year']))} "
                              f"to {last['organisation_level']:.2f} in {year_label(int(last['year']))}.",
                              plain_table(history.rename(columns={"organisation_level": "Organisation's level", "sector_mean": "Sector mean"})),
                              history_title)
    return Profile(code, summary, chart, history_chart)
