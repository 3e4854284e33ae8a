"""Plotly figures of the aggregation frames, each with a one-sentence summary and the table it shows.

Colour is never the only carrier of meaning: values are written on the bars and cells, lines
carry distinct markers, and hidden (suppressed) cells say so in words.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go

from bfc_data.outputs.colours import colourscale, level_colour, text_on
from bfc_data.analysis.disclosure import PRIMARY, REASONS, SECONDARY
from bfc_data.reference.framework import Framework, framework
from bfc_data.reference.settings import settings
from bfc_data.intake.values import year_label

HIDDEN = "hidden: too few organisations"
HIDDEN_TO_PROTECT = "hidden: protects a small group"


def hidden_labels(frame: pd.DataFrame) -> list[str]:
    """Per row, the words a hidden figure carries on a chart: the true reason it is hidden, or nothing."""
    reasons = frame["suppression"] if "suppression" in frame.columns else pd.Series([None] * len(frame))
    return [HIDDEN_TO_PROTECT if r == SECONDARY else HIDDEN if r == PRIMARY else "" for r in reasons]


def hidden_sentence(frame: pd.DataFrame, noun: str = "figures") -> str:
    """' 2 cells are hidden: 1 because it covers too few organisations; 1 so that …'. Empty when nothing is hidden."""
    if "suppression" not in frame.columns:
        return ""
    primary = int((frame["suppression"] == PRIMARY).sum())
    secondary = int((frame["suppression"] == SECONDARY).sum())
    total = primary + secondary
    if not total:
        return ""
    parts = []
    if primary:
        parts.append(f"{primary} because {'it covers' if primary == 1 else 'they cover'} {REASONS[PRIMARY]}")
    if secondary:
        parts.append(f"{secondary} {REASONS[SECONDARY].removeprefix('hidden ')}")
    return f" {total} {noun if total != 1 else noun.removesuffix('s')} {'is' if total == 1 else 'are'} hidden: " + "; ".join(parts) + "."


def all_hidden(frame: pd.DataFrame, noun: str) -> str:
    """'All 6 groups are hidden because they cover too few organisations.': why nothing can be shown."""
    total = int(frame["suppression"].isin([PRIMARY, SECONDARY]).sum()) if "suppression" in frame.columns else 0
    if not total:
        return f"No {noun} match these filters."
    secondary = int((frame["suppression"] == SECONDARY).sum())
    said = f"All {total} {noun} are hidden" if total > 1 else f"The one {noun.removesuffix('s')} is hidden"
    if not secondary:
        return f"{said} because {'they cover' if total > 1 else 'it covers'} {REASONS[PRIMARY]}."
    return f"{said}: {total - secondary} because of {REASONS[PRIMARY]}, {secondary} {REASONS[SECONDARY].removeprefix('hidden ')}."


def _count_text(value) -> str:
    return "" if pd.isna(value) else f"{int(value)}"
MARKERS = ["circle", "square", "diamond", "triangle-up", "x", "star", "cross", "triangle-down", "pentagon", "hexagon",
           "circle-open", "square-open", "diamond-open", "star-open"]
LABELS = {"sector": "Sector", "priority_area": "Priority area", "action": "Action", "role": "Role",
          "equality_group": "Equality group", "intersecting_group": "Intersecting group", "size_band": "Size band",
          "year": "Reporting year", "mean_level": "Mean maturity level", "organisations": "Organisations",
          "learning_format": "Learning format", "from_level": "Level in the earlier year", "to_level": "Level in the later year",
          "mean_value": "Mean value", "median_value": "Median value", "change": "Change", "direction": "Direction",
          "movement": "Movement", "suppressed": "Hidden", "suppression": "Hidden", "new_organisations": "New organisations",
          "lapsed_organisations": "Lapsed organisations", "requests": "Rows asking", "mean_distance": "Mean distance travelled",
          "moved_up": "Organisations that moved up", "before": "Year before", "after": "This year",
          "count": "Organisations", "measure": "Measure", "format": "Learning format", "events": "Events",
          "quarter": "Quarter (calendar)", "delivery": "Delivery", "attendees": "People attending", "asking": "Organisations asking",
          "attending": "Organisations attending", "unmet": "Unmet", "took_part": "Took part", "did_not": "Did not take part",
          "took_part_change": "Change: took part", "did_not_change": "Change: did not", "difference": "Difference",
          "returned": "Returned this year", "took_part_in_learning": "Took part in learning", "not_yet_engaged": "Not yet engaged",
          "answer": "Answer", "times": "Times given", "responses": "Responses",
          "organisation_code": "Organisation code", "organisation_name": "Organisation", "last_returned": "Last returned",
          "contact_name": "Contact", "contact_email": "E-mail"}


@dataclass
class Chart:
    figure: go.Figure | None
    summary: str
    table: pd.DataFrame  # what the chart shows, with plain column headings, for "Show the data" and downloads
    title: str = ""

    @property
    def empty(self) -> bool:
        return self.table.empty


def plain_table(frame: pd.DataFrame, drop=("suppressed",)) -> pd.DataFrame:
    """The frame as a person reads it: plain headings, years as 2024-25, levels as '3 Achieving', hidden cells said."""
    fw = framework()
    table = frame.drop(columns=[c for c in frame.columns if c in drop or c.startswith("suppression_")]).copy()
    if "year" in table.columns:
        table["year"] = table["year"].map(lambda y: year_label(int(y)))
    for column in ("from_level", "to_level"):
        if column in table.columns:
            table[column] = table[column].map(lambda level: fw.level_name(int(level)))
    if "suppression" in table.columns:
        table["suppression"] = table["suppression"].map(lambda r: REASONS.get(r, "combined with another group" if r else "")
                                                        if isinstance(r, str) else "")
    for share, level in zip(fw.level_shares, fw.levels):
        if share in table.columns:
            table = table.rename(columns={share: f"% at {fw.level_name(level)}"})
            table[f"% at {fw.level_name(level)}"] = table[f"% at {fw.level_name(level)}"].round(1)
    return table.rename(columns=LABELS)


def _layout(figure: go.Figure, title: str, height: int | None = None) -> go.Figure:
    # Near-black text: the theme's grey axis labels fall short of WCAG contrast on white.
    figure.update_layout(title={"text": title, "x": 0, "xanchor": "left"}, font={"size": 14, "color": "#1A1A1A"},
                         margin={"l": 10, "r": 20, "t": 60, "b": 40}, legend={"title": None},
                         colorway=list(settings().palette), **({"height": height} if height else {}))
    figure.update_yaxes(automargin=True, tickfont={"color": "#1A1A1A"}, title_font={"color": "#1A1A1A"})
    figure.update_xaxes(automargin=True, tickfont={"color": "#1A1A1A"}, title_font={"color": "#1A1A1A"})
    return figure


def heatmap(frame: pd.DataFrame, x: str, y: str, title: str, fw: Framework | None = None) -> Chart:
    """Mean level of each x × y cell, the figure written in every cell; hidden cells say so."""
    fw = fw or framework()
    if frame.empty:
        return Chart(None, "No returns match these filters.", plain_table(frame), title)
    if frame["mean_level"].isna().all():
        # A grid of nothing but "hidden" draws no axes: words say it better, and the table says which.
        return Chart(None, all_hidden(frame, "cells"), plain_table(frame), title)
    xs = list(dict.fromkeys(frame[x]))
    ys = list(dict.fromkeys(frame[y]))
    grid = frame.pivot_table(index=y, columns=x, values="mean_level", aggfunc="first", dropna=False).reindex(index=ys, columns=xs)
    counts = frame.pivot_table(index=y, columns=x, values="organisations", aggfunc="first").reindex(index=ys, columns=xs)
    short = [year_label(int(v)) if x == "year" else fw.priority_area_short.get(v, v) for v in xs]
    figure = go.Figure(go.Heatmap(
        z=grid.values, x=short, y=ys, zmin=min(fw.levels), zmax=fw.top_level, colorscale=colourscale(fw),
        colorbar={"title": "Mean level", "tickvals": fw.levels, "ticktext": [fw.level_name(v) for v in fw.levels]},
        customdata=[[("hidden" if pd.isna(n) else f"{int(n)} organisations") for n in row] for row in counts.values],
        hovertemplate="%{y} · %{x}<br>Mean level %{z:.2f}<br>%{customdata}<extra></extra>",
        xgap=2, ygap=2))
    present = frame.pivot_table(index=y, columns=x, values="suppressed", aggfunc="first").reindex(index=ys, columns=xs)
    for i, row_label in enumerate(ys):
        for j, _ in enumerate(xs):
            value = grid.values[i][j]
            if pd.isna(present.values[i][j]):
                continue
            text = "hidden" if pd.isna(value) else f"{value:.2f}"
            figure.add_annotation(x=short[j], y=row_label, text=text, showarrow=False,
                                  font={"color": "#1A1A1A" if pd.isna(value) else text_on(level_colour(fw, value)), "size": 13})
    figure.update_yaxes(autorange="reversed")
    shown = frame.dropna(subset=["mean_level"])
    top, bottom = shown.loc[shown["mean_level"].idxmax()], shown.loc[shown["mean_level"].idxmin()]

    def where(row):
        return f"{row[y]}, {year_label(int(row[x])) if x == 'year' else row[x]}"
    if len(shown) == 1:
        summary = f"The one cell shown has a mean level of {top['mean_level']:.2f} ({where(top)})."
    else:
        summary = (f"The highest mean level is {top['mean_level']:.2f} ({where(top)}); the lowest is "
                   f"{bottom['mean_level']:.2f} ({where(bottom)}).")
    summary += hidden_sentence(frame, "cells")
    return Chart(_layout(figure, title, height=max(360, 48 * len(ys) + 140)), summary, plain_table(frame), title)


def level_bars(frame: pd.DataFrame, category: str, title: str, fw: Framework | None = None) -> Chart:
    """Mean level per group as horizontal bars, the value written on each bar."""
    fw = fw or framework()
    if frame.empty:
        return Chart(None, "No returns match these filters.", plain_table(frame), title)
    labels = frame[category].astype(str).tolist()
    values = frame["mean_level"]
    text = [h or f"{v:.2f} ({int(n)} organisations)" for v, n, h in zip(values, frame["organisations"], hidden_labels(frame))]
    figure = go.Figure(go.Bar(x=values.fillna(0), y=labels, orientation="h", text=text, textposition="outside",
                              marker_color=settings().palette[0], cliponaxis=False,
                              hovertemplate="%{y}: %{text}<extra></extra>"))
    lowest, highest = min(fw.levels), fw.top_level
    figure.update_xaxes(range=[0, highest + 0.9], title=f"Mean maturity level ({fw.level_name(lowest)} – {fw.level_name(highest)})",
                        tickvals=[0, *fw.levels])
    figure.update_yaxes(autorange="reversed")
    shown = frame.dropna(subset=["mean_level"])
    if shown.empty:
        return Chart(None, all_hidden(frame, "groups"), plain_table(frame), title)
    if len(shown) == 1:
        row = shown.iloc[0]
        summary = f"{row[category]} has a mean level of {row['mean_level']:.2f} over {int(row['organisations'])} organisations."
    else:
        top, bottom = shown.loc[shown["mean_level"].idxmax()], shown.loc[shown["mean_level"].idxmin()]
        summary = (f"{top[category]} has the highest mean level ({top['mean_level']:.2f}) and {bottom[category]} the lowest "
                   f"({bottom['mean_level']:.2f}), across {len(shown)} {LABELS.get(category, category).lower()}s shown.")
    summary += hidden_sentence(frame, "groups")
    return Chart(_layout(figure, title, height=max(300, 34 * len(labels) + 120)), summary, plain_table(frame), title)


def level_distribution(frame: pd.DataFrame, category: str, title: str, fw: Framework | None = None) -> Chart:
    """The share of organisations at each level, as stacked bars in the scale's order and colours."""
    fw = fw or framework()
    if frame.empty:
        return Chart(None, "No returns match these filters.", plain_table(frame), title)
    labels = frame[category].astype(str).tolist()
    figure = go.Figure()
    for share, level in zip(fw.level_shares, fw.levels):
        values = frame[share]
        colour = fw.maturity_colours[level]
        figure.add_bar(x=values.fillna(0), y=labels, orientation="h", name=fw.level_name(level),
                       marker_color=colour, text=[f"{v:.0f}%" if v >= 8 else "" for v in values.fillna(0)],
                       textposition="inside", insidetextanchor="middle", textfont={"color": text_on(colour)},
                       hovertemplate="%{y}: %{x:.0f}% at " + fw.level_name(level) + "<extra></extra>")
    for label, words in zip(labels, hidden_labels(frame)):
        if words:
            figure.add_annotation(x=50, y=label, text=words, showarrow=False)
    figure.update_layout(barmode="stack", legend={"orientation": "h", "y": -0.15, "traceorder": "normal"})
    figure.update_xaxes(range=[0, 100], title="Share of organisations (%)")
    figure.update_yaxes(autorange="reversed")
    shown = frame[~frame["suppressed"]]
    if shown.empty:
        return Chart(None, all_hidden(frame, "groups"), plain_table(frame), title)
    else:
        upper = shown[[f"level_{level}" for level in fw.upper_levels]].sum(axis=1)
        best = shown.loc[upper.idxmax()]
        summary = (f"{best[category]} has the largest share of organisations at {fw.level_name(fw.upper_levels[0])} or above "
                   f"({upper.max():.0f}%).")
    summary += hidden_sentence(frame, "groups")
    return Chart(_layout(figure, title, height=max(320, 34 * len(labels) + 160)), summary, plain_table(frame), title)


def trend_lines(frame: pd.DataFrame, by: str | None, title: str, fw: Framework | None = None) -> Chart:
    """Mean level per reporting year, one line with its own marker per group."""
    fw = fw or framework()
    if frame.empty:
        return Chart(None, "No returns match these filters.", plain_table(frame), title)
    figure = go.Figure()
    groups = list(dict.fromkeys(frame[by])) if by else [None]
    for i, group in enumerate(groups):
        part = frame[frame[by] == group] if by else frame
        figure.add_scatter(x=[year_label(int(y)) for y in part["year"]], y=part["mean_level"], mode="lines+markers",
                           name=str(group) if by else "All organisations", connectgaps=False,
                           marker={"symbol": MARKERS[i % len(MARKERS)], "size": 10},
                           hovertemplate="%{x}: %{y:.2f}<extra>" + (str(group) if by else "") + "</extra>")
    figure.update_yaxes(range=[min(fw.levels), fw.top_level], title="Mean maturity level", dtick=0.5)
    figure.update_xaxes(title="Reporting year", type="category")
    return Chart(_layout(figure, title, height=460), trend_summary(frame, by), plain_table(frame), title)


def trend_summary(frame: pd.DataFrame, by: str | None) -> str:
    """'Housing associations rose from 1.80 to 2.40 on average since 2022-23': the group that moved most."""
    best = None
    for group, part in (frame.groupby(by, sort=False) if by else [("All organisations", frame)]):
        part = part.dropna(subset=["mean_level"])
        if len(part) < 2:
            continue
        first, last = part.iloc[0], part.iloc[-1]
        change = last["mean_level"] - first["mean_level"]
        if best is None or abs(change) > abs(best[1]):
            best = (group, change, first, last)
    if best is None:
        if frame["mean_level"].isna().any() and "suppression" in frame.columns and frame["suppression"].notna().any():
            return ("No change over the years can be shown: " + all_hidden(frame[frame["mean_level"].isna()], "figures")
                    .removeprefix("All ").removeprefix("The one "))
        return "There is not yet more than one year to compare."
    group, change, first, last = best
    verb = "rose" if change > 0 else "fell" if change < 0 else "stayed"
    lead = f"Of the groups shown, {group} moved most: it" if by else "Across all organisations, the mean level"
    figures = f"from {first['mean_level']:.2f} to {last['mean_level']:.2f}" if change else f"at {last['mean_level']:.2f}"
    return f"{lead} {verb} {figures} between {year_label(int(first['year']))} and {year_label(int(last['year']))}."


def movement_bars(frame: pd.DataFrame, from_year: int, to_year: int, title: str) -> Chart:
    if frame.empty or frame["organisations"].fillna(0).sum() == 0 and not frame["suppressed"].any():
        return Chart(None, f"No organisation returned in both {year_label(from_year)} and {year_label(to_year)}.", plain_table(frame), title)
    colours = {"moved up": settings().palette[2], "slipped": settings().palette[5]}
    text = [HIDDEN if pd.isna(v) else f"{int(v)}" for v in frame["organisations"]]
    figure = go.Figure(go.Bar(x=frame["movement"], y=frame["organisations"].fillna(0), text=text, textposition="outside",
                              marker_color=[colours.get(m, settings().palette[0]) for m in frame["movement"]], cliponaxis=False))
    figure.update_yaxes(title="Organisations")
    shown = {m: v for m, v in zip(frame["movement"], frame["organisations"]) if not pd.isna(v)}
    parts = [f"{int(v)} {m}" for m, v in shown.items()]
    summary = (f"Between {year_label(from_year)} and {year_label(to_year)}, of organisations that returned in both years: "
               + (", ".join(parts) if parts else "all counts are hidden") + ".")
    if (frame["suppression"] == "combined").any():
        summary += " Groups of too few organisations are combined with others."
    return Chart(_layout(figure, title, height=380), summary, plain_table(frame), title)


def metric_lines(frame: pd.DataFrame, name: str, unit: str, better: str, title: str) -> Chart:
    if frame.empty:
        return Chart(None, "No values of this metric match these filters.", plain_table(frame), title)
    figure = go.Figure()
    for i, (group, part) in enumerate(frame.groupby("equality_group", sort=False)):
        figure.add_scatter(x=[year_label(int(y)) for y in part["year"]], y=part["mean_value"], mode="lines+markers", name=group,
                           marker={"symbol": MARKERS[i % len(MARKERS)], "size": 10})
    axis = {"yes/no": "Organisations answering yes (%)", "%": "Mean over organisations (%)",
            "£": "Mean over organisations (£)", "count": "Mean over organisations"}[unit]
    figure.update_yaxes(title=axis)
    figure.update_xaxes(title="Reporting year", type="category")
    return Chart(_layout(figure, title, height=440), metric_summary(frame, name, unit, better), plain_table(frame), title)


def _metric_value(value: float, unit: str) -> str:
    return {"%": f"{value:.1f}%", "yes/no": f"{value:.0f}% answering yes", "£": f"£{value:,.0f}", "count": f"{value:,.1f}"}[unit]


def metric_summary(frame: pd.DataFrame, name: str, unit: str, better: str) -> str:
    """The latest year against the year before, for each group, with whether that is better."""
    latest_year = int(frame["year"].max())
    latest = frame[frame["year"] == latest_year].dropna(subset=["mean_value"])
    if latest.empty:
        return f"The {year_label(latest_year)} figures of {name} are hidden because too few organisations reported them."
    parts = []
    for _, row in latest.iterrows():
        said = f"{row['equality_group']}: {_metric_value(row['mean_value'], unit)}"
        if row["direction"] in ("better", "worse"):
            previous = row["mean_value"] - row["change"]
            said += f", {row['direction']} than {_metric_value(previous, unit)} the year before"
        parts.append(said)
    return f"{name} in {year_label(latest_year)} ({better} is better) — " + "; ".join(parts) + "."


def count_bars(frame: pd.DataFrame, category: str, value: str, title: str, colour_by: str | None = None) -> Chart:
    """Counts per category (organisations returning, requests for support), grouped by a second column."""
    if frame.empty:
        return Chart(None, "Nothing matches these filters.", plain_table(frame), title)
    figure = go.Figure()
    groups = list(dict.fromkeys(frame[colour_by])) if colour_by else [None]
    for i, group in enumerate(groups):
        part = frame[frame[colour_by] == group] if colour_by else frame
        x = [year_label(int(v)) for v in part[category]] if category == "year" else part[category]
        figure.add_bar(x=x, y=part[value].fillna(0), name=str(group) if group is not None else LABELS.get(value, value),
                       # A hidden count is a bar of nothing: "hidden" is written where it would stand; the words
                       # under the chart and the table say why.
                       text=[_count_text(v) or "hidden" for v in part[value]], textposition="outside", cliponaxis=False,
                       textfont={"size": 12}, constraintext="none",
                       marker_pattern_shape=["", "/", ".", "x", "-", "|", "+", "\\"][i % 8])
    figure.update_layout(barmode="group")
    figure.update_yaxes(title=LABELS.get(value, value))
    figure.update_xaxes(title=LABELS.get(category, category), type="category")
    if frame[value].isna().all():
        reasons = f"suppression_{value}" if f"suppression_{value}" in frame.columns else "suppression"
        return Chart(None, all_hidden(frame.assign(suppression=frame.get(reasons)), "counts"), plain_table(frame), title)
    totals = frame.groupby(colour_by if colour_by else category)[value].sum()
    top = totals.idxmax()
    summary = f"{top} has the most {LABELS.get(value, value).lower()} ({int(totals.max())} in all shown)."
    reasons = f"suppression_{value}" if f"suppression_{value}" in frame.columns else "suppression"
    if reasons in frame.columns:
        summary += hidden_sentence(frame[frame[value].isna()].assign(suppression=frame[reasons]), "counts")
    return Chart(_layout(figure, title, height=440), summary, plain_table(frame), title)


def distance_bars(frame: pd.DataFrame, title: str) -> Chart:
    """Mean distance travelled (latest minus first level) per sector."""
    if frame.empty:
        return Chart(None, "No organisation has returned in two or more years yet.", plain_table(frame), title)
    labels = frame["sector"].tolist()
    text = [h or f"{v:+.2f} ({int(n)} organisations)" for v, n, h in zip(frame["mean_distance"], frame["organisations"], hidden_labels(frame))]
    figure = go.Figure(go.Bar(x=frame["mean_distance"].fillna(0), y=labels, orientation="h", text=text, textposition="outside",
                              marker_color=settings().palette[2], cliponaxis=False))
    figure.update_xaxes(range=[-1, 2.5], title="Mean change in level, first to latest return", tickvals=[-1, 0, 1, 2], zeroline=True)
    figure.update_yaxes(autorange="reversed")
    shown = frame.dropna(subset=["mean_distance"])
    if shown.empty:
        return Chart(None, all_hidden(frame, "sectors"), plain_table(frame), title)
    else:
        best = shown.loc[shown["mean_distance"].idxmax()]
        summary = (f"{best['sector']} travelled furthest on average ({best['mean_distance']:+.2f} levels from first to latest "
                   f"return, over {int(best['organisations'])} organisations).")
    summary += hidden_sentence(frame, "sectors")
    return Chart(_layout(figure, title, height=max(300, 34 * len(labels) + 120)), summary, plain_table(frame), title)


def coverage_chart(by_year: pd.DataFrame, year: int, title: str) -> Chart:
    """Organisations returning, new and lapsed per year, with the chosen year said in words."""
    if by_year.empty:
        return Chart(None, "No returns match these filters.", plain_table(by_year), title)
    long = by_year.melt(id_vars="year", value_vars=["organisations", "new_organisations", "lapsed_organisations"],
                        var_name="measure", value_name="count")
    long["measure"] = long["measure"].map({"organisations": "Returning", "new_organisations": "New",
                                           "lapsed_organisations": "Lapsed"})
    chart = count_bars(long, "year", "count", title, colour_by="measure")
    row = by_year[by_year["year"] == year]
    if not row.empty and not row[["organisations", "new_organisations", "lapsed_organisations"]].isna().any(axis=None):
        row = row.iloc[0]
        chart.summary = (f"In {year_label(year)}, {int(row['organisations'])} organisations returned: "
                         f"{int(row['new_organisations'])} for the first time, while {int(row['lapsed_organisations'])} "
                         "that returned the year before did not.")
    chart.table = plain_table(by_year)
    return chart


def transitions_sankey(frame: pd.DataFrame, from_year: int, to_year: int, title: str, fw: Framework | None = None) -> Chart:
    """Flows of organisations from each level in the earlier year to each level in the later; hidden flows are left out and said."""
    fw = fw or framework()
    if frame.empty:
        return Chart(None, f"No organisation returned in both {year_label(from_year)} and {year_label(to_year)}.", plain_table(frame), title)
    if frame["organisations"].isna().all():
        return Chart(None, f"The flows from level to level between {year_label(from_year)} and {year_label(to_year)} are all hidden:"
                           + hidden_sentence(frame, "flows") + " The counts above combine them.", plain_table(frame), title)
    levels = fw.levels
    labels = [f"{fw.level_name(v)} in {year_label(from_year)}" for v in levels] + [f"{fw.level_name(v)} in {year_label(to_year)}" for v in levels]
    shown = frame.dropna(subset=["organisations"])
    figure = go.Figure(go.Sankey(
        arrangement="fixed",
        node={"label": labels, "color": [fw.maturity_colours[v] for v in levels] * 2, "pad": 18, "line": {"color": "#1A1A1A", "width": 0.5}},
        link={"source": [int(v) - 1 for v in shown["from_level"]], "target": [len(levels) + int(v) - 1 for v in shown["to_level"]],
              "value": shown["organisations"].tolist(), "color": "rgba(120,120,120,0.35)",
              "hovertemplate": "%{source.label} → %{target.label}: %{value} organisations<extra></extra>"}))
    moved = shown[shown["to_level"] != shown["from_level"]]
    biggest = moved.loc[moved["organisations"].idxmax()] if not moved.empty else None
    summary = (f"Largest movement between {year_label(from_year)} and {year_label(to_year)}: "
               f"{int(biggest['organisations'])} organisations from {fw.level_name(int(biggest['from_level']))} to "
               f"{fw.level_name(int(biggest['to_level']))}." if biggest is not None else
               f"No movement between levels is shown for {year_label(from_year)} to {year_label(to_year)}.")
    if frame["suppressed"].any():
        summary += hidden_sentence(frame, "flows") + " Hidden flows are left out of the chart."
    return Chart(_layout(figure, title, height=460), summary, plain_table(frame), title)


def small_multiples(frame: pd.DataFrame, facet: str, line: str, title: str, fw: Framework | None = None) -> Chart:
    """One small panel per `facet` value (a priority area), with a line per `line` value (its actions) over the years."""
    from plotly.subplots import make_subplots
    fw = fw or framework()
    if frame.empty:
        return Chart(None, "No returns match these filters.", plain_table(frame), title)
    facets = [f for f in fw.priority_areas if f in set(frame[facet])] if facet == "priority_area" else list(dict.fromkeys(frame[facet]))
    columns = 2
    rows = -(-len(facets) // columns)
    figure = make_subplots(rows=rows, cols=columns, subplot_titles=facets, shared_yaxes=True, vertical_spacing=0.14)
    names = list(dict.fromkeys(frame[line]))
    palette = settings().palette
    for index, value in enumerate(facets):
        part = frame[frame[facet] == value]
        for name, lines in part.groupby(line, sort=False):
            # Each line its own marker and colour pair across all panels (the palette alone repeats).
            i = names.index(name)
            figure.add_scatter(x=[year_label(int(y)) for y in lines["year"]], y=lines["mean_level"], mode="lines+markers",
                               name=str(name), legendgroup=str(name), showlegend=True,
                               line={"color": palette[i % len(palette)]},
                               marker={"symbol": MARKERS[i % len(MARKERS)], "size": 8, "color": palette[i % len(palette)]},
                               row=index // columns + 1, col=index % columns + 1)
    figure.update_yaxes(range=[min(fw.levels), fw.top_level], dtick=1)
    figure.update_xaxes(type="category")
    summary = trend_summary(frame.rename(columns={line: "_line"}).assign(_line=lambda f: f["_line"].astype(str)), "_line")
    return Chart(_layout(figure, title, height=320 * rows + 80), summary, plain_table(frame), title)


def feedback_chart(frame: pd.DataFrame, title: str) -> Chart:
    """Mean feedback scores (1–5) by learning format, with the middle half of answers as whiskers."""
    if frame.empty:
        return Chart(None, "No feedback has been loaded yet.", plain_table(frame), title)
    figure = go.Figure()
    palette = settings().palette
    for index, (column, label) in enumerate((("pitched_right", "Pitched right"), ("will_use", "Will use the learning"))):
        means = frame[f"{column}_mean"]
        figure.add_bar(x=frame["format"], y=means.fillna(0), name=label, marker_color=palette[index],
                       error_y={"type": "data", "symmetric": False, "array": (frame[f"{column}_q3"] - means).fillna(0),
                                "arrayminus": (means - frame[f"{column}_q1"]).fillna(0), "color": "#1A1A1A"},
                       text=[h or f"{v:.2f}" for v, h in zip(means, hidden_labels(frame))], textposition="inside",
                       insidetextanchor="start", textfont={"color": "#FFFFFF" if index == 0 else "#1A1A1A", "size": 14})
    figure.update_layout(barmode="group")
    figure.update_yaxes(range=[0, 5.2], title="Mean score (1–5); whiskers: middle half of answers")
    shown = frame.dropna(subset=["will_use_mean"])
    if shown.empty:
        summary = all_hidden(frame, "formats")
    else:
        best = shown.loc[shown["will_use_mean"].idxmax()]
        summary = (f"{best['format']} scores highest on 'will use the learning' ({best['will_use_mean']:.2f} of 5, "
                   f"{best['will_use_4_or_5']:.0f}% scoring 4 or 5).")
    return Chart(_layout(figure, title, height=440), summary, plain_table(frame), title)


def _a(learning_format: str) -> str:
    """'an action-learning set', 'a study tour'."""
    name = learning_format.lower()
    return ("an " if name[0] in "aeiou" else "a ") + name


def association_chart(frame: pd.DataFrame, learning_format: str, title: str) -> Chart:
    """Mean change in level of organisations that took part in a format against those that did not, by priority area."""
    part = frame[frame["format"] == learning_format]
    if part.empty:
        return Chart(None, "No organisation has two returns to compare yet.", plain_table(frame), title)
    figure = go.Figure()
    palette = settings().palette
    for index, (column, count, label) in enumerate((("took_part_change", "took_part", f"Took part in {_a(learning_format)}"),
                                                    ("did_not_change", "did_not", "Did not"))):
        figure.add_bar(x=part["priority_area"], y=part[column].fillna(0), name=label, marker_color=palette[index],
                       marker_pattern_shape=["", "/"][index],
                       text=[h or f"{v:+.2f} ({int(n)} organisations)" for v, n, h in zip(part[column], part[count], hidden_labels(part))],
                       textposition="outside", cliponaxis=False)
    figure.update_layout(barmode="group")
    figure.update_yaxes(title="Mean change in level, first to latest return")
    shown = part.dropna(subset=["difference"])
    if shown.empty:
        summary = "Every comparison is hidden because one side has too few organisations."
    else:
        top = shown.loc[shown["difference"].abs().idxmax()]
        direction = "more" if top["difference"] > 0 else "less"
        summary = (f"In {top['priority_area'].lower()}, organisations that took part in {_a(learning_format)} moved "
                   f"{abs(top['difference']):.2f} levels {direction} than those that did not ({int(top['took_part'])} and "
                   f"{int(top['did_not'])} organisations). This is an association, not proof that the learning caused it.")
    return Chart(_layout(figure, title, height=460), summary, plain_table(part), title)
