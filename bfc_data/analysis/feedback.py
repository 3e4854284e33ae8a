"""A partner's feedback report: its own figures for a reporting year against its peers, as frames.

Rules (the report's method page says them in words, from `RULES`):
- An organisation's level on an action, a priority area, an equality group or overall is its own mean level
  there (`store.measures.own_means`): blank levels (not yet taking part) are left out.
- Its **peers** are the *other* organisations of its sector with a current return for the same year; a second
  comparison uses the other organisations of its size band, whatever their sector. The organisation itself is
  never among its peers.
- Peers are summarised by their quartiles (linear interpolation, as DuckDB's `quantile_cont`). Where an
  organisation falls: above the upper quartile is the top quarter; above the median, above the middle; equal
  to it, at the middle; at or above the lower quartile, below the middle; under it, the bottom quarter. For a
  metric where lower is better the order is turned round.
- A comparison over fewer peers than the suppression threshold is withheld, and the report says why without
  saying how many there were. Nothing about any one other organisation is ever shown.
- **Progress** compares the organisation's latest return with its previous one (the latest earlier year it
  gave levels), action by action, against the median change of the sector's peers that returned in both years.
- **Strengths**: up to three actions where the organisation is in its sector's top quarter, furthest above the
  median first; with too few peers, its own actions at the scale's upper levels. **Areas to develop**: up to
  three actions in the sector's bottom quarter, furthest below first, then actions it gives no level for that
  most (more than half) of its sector's peers do.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from bfc_data.access import Viewer, require_officer
from bfc_data.store import NotFound, Store
from bfc_data.store.measures import own_means

TOP, ABOVE, MIDDLE, BELOW, BOTTOM = "top quarter", "above the middle", "at the middle", "below the middle", "bottom quarter"
STRENGTHS, AREAS_TO_DEVELOP = 3, 3


def where_it_falls(value: float, q1: float, median: float, q3: float, lower_is_better: bool = False) -> str:
    """Where a value falls among its peers' quartiles, in words (better first when lower is better)."""
    if lower_is_better:
        value, q1, median, q3 = -value, -q3, -median, -q1
    if value > q3:
        return TOP
    if value > median:
        return ABOVE
    if value == median:
        return MIDDLE
    if value >= q1:
        return BELOW
    return BOTTOM


def quartiles(values) -> tuple[float, float, float]:
    q1, median, q3 = np.quantile(np.asarray(values, dtype=float), [0.25, 0.5, 0.75])
    return float(q1), float(median), float(q3)


@dataclass
class YearFigures:
    """Everything a year's reports are drawn from, read from the store once for all its organisations."""

    reporting_year: int
    threshold: int
    organisations: pd.DataFrame  # organisation_code, organisation_name, sector, size_band
    by_action: pd.DataFrame  # organisation_code, action, level (this year)
    by_area: pd.DataFrame  # organisation_code, priority_area, level
    overall: pd.DataFrame  # organisation_code, level
    by_group: pd.DataFrame  # organisation_code, equality_group, level
    earlier: pd.DataFrame  # organisation_code, reporting_year, action, level (earlier years)
    earlier_overall: pd.DataFrame  # organisation_code, reporting_year, level
    metrics: pd.DataFrame  # organisation_code, metric, value (whole organisation)
    own_words: pd.DataFrame  # organisation_code, action, next_step, support_wanted
    attended: pd.DataFrame  # organisation_code, event_id, date, learning_format, priority_area, title
    events: pd.DataFrame  # event_id, date, learning_format, priority_area, title, delivery
    returns: pd.DataFrame  # organisation_code, reporting_year, file_name, loaded_at
    lower_is_better: frozenset[str]  # the catalogue's metrics where a lower value is better
    upper_level: int  # the first of the scale's upper levels ('3 Achieving or above')
    made: dt.date = field(default_factory=dt.date.today)

    def __post_init__(self):
        # Per-organisation slices, found once: a report then looks its organisation up instead of filtering.
        self._parts = {name: {code: part for code, part in getattr(self, name).groupby("organisation_code", sort=False)}
                       for name in ("by_action", "by_area", "by_group", "earlier", "earlier_overall", "metrics",
                                    "own_words", "attended", "returns")}

    def part(self, name: str, code: str) -> pd.DataFrame:
        found = self._parts[name].get(code)
        return found if found is not None else getattr(self, name).iloc[0:0]


def year_figures(store: Store, viewer: Viewer | str, year: int, threshold: int, today: dt.date | None = None) -> YearFigures:
    """Read a reporting year's figures for every organisation's report (organisation-level: officers only)."""
    require_officer(viewer, "make partners' feedback reports")
    in_year = "reporting_year = ?"
    organisations = store.query("""
        SELECT organisation_code, any_value(organisation_name) AS organisation_name, any_value(sector) AS sector,
               any_value(size_band) AS size_band
        FROM organisation_levels WHERE reporting_year = ? GROUP BY organisation_code ORDER BY organisation_code""", [year])
    by_action = store.query(own_means(["action"], in_year, name="level"), [year])
    by_area = store.query(own_means(["priority_area"], in_year, name="level"), [year])
    overall = store.query(own_means([], in_year, name="level"), [year])
    by_group = store.query(own_means(["equality_group"], in_year, name="level"), [year])
    earlier = store.query(own_means(["reporting_year", "action"], "reporting_year < ?", name="level"), [year])
    earlier_overall = store.query(own_means(["reporting_year"], "reporting_year < ?", name="level"), [year])
    metrics = store.query("""
        SELECT organisation_code, metric, avg(value) AS value FROM current_metrics
        WHERE reporting_year = ? AND (equality_group IS NULL OR equality_group = 'All Londoners') GROUP BY ALL""", [year])
    own_words = store.query("""
        SELECT organisation_code, action, string_agg(DISTINCT next_step, '; ') AS next_step,
               string_agg(DISTINCT support_wanted, '; ') AS support_wanted
        FROM current_maturity WHERE reporting_year = ? AND (next_step IS NOT NULL OR support_wanted IS NOT NULL)
        GROUP BY ALL""", [year])
    attended = store.query("""
        SELECT a.organisation_code, e.event_id, e.date, e.learning_format, e.priority_area, e.title
        FROM current_attendance a JOIN current_learning_events e USING (event_id)
        WHERE e.date >= make_date(?, 4, 1) AND e.date < make_date(? + 1, 4, 1) ORDER BY e.date""", [year, year])
    events = store.query("""
        SELECT event_id, date, learning_format, priority_area, title, delivery FROM current_learning_events
        WHERE date >= make_date(?, 4, 1) ORDER BY date, title""", [year])
    returns = store.query("""
        SELECT organisation_code, reporting_year, file_name, loaded_at FROM current_maturity_submissions
        WHERE reporting_year <= ? ORDER BY reporting_year DESC""", [year])
    return YearFigures(year, threshold, organisations, by_action, by_area, overall, by_group, earlier, earlier_overall,
                       metrics, own_words, attended, events, returns,
                       frozenset(m for m, spec in store.fw.metrics.items() if spec.better == "lower"),
                       min(store.fw.upper_levels), today or dt.date.today())


@dataclass
class Feedback:
    """One organisation's report for one reporting year, as frames and words-ready values."""

    organisation_code: str
    organisation_name: str
    sector: str
    size_band: str | None
    reporting_year: int
    threshold: int
    standing: pd.DataFrame  # cut, name, level, peers, q1, median, q3, falls (sector peers); withheld as NaN/None
    size_band_standing: pd.DataFrame  # the same against the size band, overall and by priority area
    groups: pd.DataFrame  # equality_group, focus, level, peers, q1, median, q3, falls
    previous_year: int | None
    progress: pd.DataFrame  # action, earlier_level, level, change, peers, peer_median_change
    overall_change: float | None
    strengths: list[tuple[str, str]]  # (action, why)
    to_develop: list[tuple[str, str]]
    own_words: pd.DataFrame  # action, next_step, support_wanted
    attended: pd.DataFrame  # date, learning_format, priority_area, title
    on_offer: pd.DataFrame  # date, learning_format, priority_area, title, delivery
    metrics: pd.DataFrame  # metric, value, peers, q1, median, q3, falls
    returns_used: pd.DataFrame  # reporting_year, file_name, loaded_at
    made: dt.date


def _against(level: float | None, peer_values: np.ndarray, threshold: int, lower_is_better: bool = False) -> dict:
    row = {"level": level, "peers": len(peer_values), "q1": np.nan, "median": np.nan, "q3": np.nan, "falls": None}
    if len(peer_values) >= max(threshold, 1):
        row["q1"], row["median"], row["q3"] = quartiles(peer_values)
        if level is not None and not pd.isna(level):
            row["falls"] = where_it_falls(level, row["q1"], row["median"], row["q3"], lower_is_better)
    return row


class Peers:
    """Peers' distributions for a year, found once per sector and size band and reused for every report."""

    def __init__(self, figures: YearFigures):
        self.figures = figures
        orgs = figures.organisations
        self.sector_of = dict(zip(orgs["organisation_code"], orgs["sector"]))
        self.size_of = dict(zip(orgs["organisation_code"], orgs["size_band"]))
        self._cache: dict = {}

    def once(self, key: tuple, build):
        """`build()`'s answer for `key`, worked out on first use and shared by the year's other reports."""
        if key not in self._cache:
            self._cache[key] = build()
        return self._cache[key]

    def members(self, column: str, value) -> set[str]:
        orgs = self.figures.organisations
        return self.once(("members", column, value), lambda: set(orgs.loc[orgs[column] == value, "organisation_code"])
                         if value is not None else set())

    def levels(self, frame_name: str, key: str | None, column: str, value) -> dict:
        """The peers' levels by `key` (each with its organisations), for the organisations whose `column` is `value`."""
        def build():
            frame = getattr(self.figures, frame_name)
            part = frame[frame["organisation_code"].isin(self.members(column, value))]
            if key is None:
                return {None: (part["organisation_code"].to_numpy(), part["level"].to_numpy())}
            return {v: (g["organisation_code"].to_numpy(), g["level"].to_numpy()) for v, g in part.groupby(key, sort=False)}
        return self.once(("levels", frame_name, key, column, value), build)

    def others(self, frame_name: str, key: str | None, column: str, value, code: str, cut) -> np.ndarray:
        codes, levels = self.levels(frame_name, key, column, value).get(cut, (np.array([]), np.array([])))
        return levels[codes != code]


def feedback(figures: YearFigures, code: str, peers: Peers | None = None) -> Feedback:
    """One organisation's report. `peers` is shared across the reports of a year (built here when not given)."""
    peers = peers or Peers(figures)
    orgs = figures.organisations
    found = orgs[orgs["organisation_code"] == code]
    if found.empty:
        raise NotFound(f"{code} has no levels in its return for {figures.reporting_year}")
    info = found.iloc[0]
    sector, size = info["sector"], info["size_band"] if not pd.isna(info["size_band"]) else None
    t = figures.threshold
    own_action = figures.part("by_action", code)
    own_area = figures.part("by_area", code)
    own_overall = figures.overall.loc[figures.overall["organisation_code"] == code, "level"]
    overall_level = float(own_overall.iloc[0]) if len(own_overall) else None

    rows = [{"cut": "overall", "name": "All actions",
             **_against(overall_level, peers.others("overall", None, "sector", sector, code, None), t)}]
    area_levels = dict(zip(own_area["priority_area"], own_area["level"]))
    sector_area = peers.levels("by_area", "priority_area", "sector", sector)
    for area in sector_area.keys() | area_levels.keys():
        rows.append({"cut": "priority_area", "name": area,
                     **_against(area_levels.get(area), peers.others("by_area", "priority_area", "sector", sector, code, area), t)})
    action_levels = dict(zip(own_action["action"], own_action["level"]))
    sector_action = peers.levels("by_action", "action", "sector", sector)
    for action in sector_action.keys() | action_levels.keys():
        rows.append({"cut": "action", "name": action,
                     **_against(action_levels.get(action), peers.others("by_action", "action", "sector", sector, code, action), t)})
    standing = pd.DataFrame(rows)

    size_rows = []
    if size is not None:
        size_rows.append({"cut": "overall", "name": "All actions",
                          **_against(overall_level, peers.others("overall", None, "size_band", size, code, None), t)})
        for area, level in area_levels.items():
            size_rows.append({"cut": "priority_area", "name": area,
                              **_against(level, peers.others("by_area", "priority_area", "size_band", size, code, area), t)})
    size_band_standing = pd.DataFrame(size_rows, columns=standing.columns)

    own_groups = figures.part("by_group", code)
    groups = pd.DataFrame([{"equality_group": g, **_against(level, peers.others("by_group", "equality_group", "sector", sector, code, g), t)}
                           for g, level in zip(own_groups["equality_group"], own_groups["level"])],
                          columns=["equality_group", "level", "peers", "q1", "median", "q3", "falls"])

    previous_year, progress, overall_change = _progress(figures, peers, code, sector, action_levels, overall_level)
    strengths, to_develop = _strengths(standing, peers, sector, code, action_levels)
    metrics = _metrics(figures, peers, code, sector)
    own_words = figures.part("own_words", code)[["action", "next_step", "support_wanted"]].reset_index(drop=True)
    attended = figures.part("attended", code)[["date", "learning_format", "priority_area", "title"]].reset_index(drop=True)
    asked = {f.strip() for value in own_words["support_wanted"].dropna() for f in value.split(";")}
    offer = figures.events[figures.events["learning_format"].isin(asked) & ~figures.events["event_id"].isin(
        figures.part("attended", code)["event_id"])]
    returns_used = figures.part("returns", code)
    returns_used = returns_used[returns_used["reporting_year"].isin([figures.reporting_year, previous_year])]
    return Feedback(code, info["organisation_name"] or code, sector, size, figures.reporting_year, t, standing,
                    size_band_standing, groups, previous_year, progress, overall_change, strengths, to_develop, own_words,
                    attended, offer[["date", "learning_format", "priority_area", "title", "delivery"]].reset_index(drop=True),
                    metrics, returns_used[["reporting_year", "file_name", "loaded_at"]].reset_index(drop=True), figures.made)


def _progress(figures, peers, code, sector, action_levels, overall_level):
    earlier = figures.part("earlier", code)
    columns = ["action", "earlier_level", "level", "change", "peers", "peer_median_change"]
    if earlier.empty:
        return None, pd.DataFrame(columns=columns), None
    previous_year = int(earlier["reporting_year"].max())
    before = earlier[earlier["reporting_year"] == previous_year]
    # Peers over the same years: the sector's other organisations with levels in both years, action by action.
    def sector_changes():
        all_before = figures.earlier[(figures.earlier["reporting_year"] == previous_year)
                                     & figures.earlier["organisation_code"].isin(peers.members("sector", sector))]
        now = figures.by_action[figures.by_action["organisation_code"].isin(peers.members("sector", sector))]
        both = all_before.merge(now, on=["organisation_code", "action"], suffixes=("_before", ""))
        both["change"] = both["level"] - both["level_before"]
        return {a: (g["organisation_code"].to_numpy(), g["change"].to_numpy()) for a, g in both.groupby("action")}
    changes = peers.once(("progress", sector, previous_year), sector_changes)
    rows = []
    for action, earlier_level in zip(before["action"], before["level"]):
        level = action_levels.get(action)
        codes, peer_change = changes.get(action, (np.array([]), np.array([])))
        peer_change = peer_change[codes != code]
        enough = len(peer_change) >= max(figures.threshold, 1)
        rows.append({"action": action, "earlier_level": earlier_level, "level": level,
                     "change": None if level is None else level - earlier_level, "peers": len(peer_change),
                     "peer_median_change": float(np.median(peer_change)) if enough else np.nan})
    earlier_overall = figures.part("earlier_overall", code)
    was = earlier_overall.loc[earlier_overall["reporting_year"] == previous_year, "level"]
    overall_change = None if overall_level is None or was.empty else overall_level - float(was.iloc[0])
    return previous_year, pd.DataFrame(rows, columns=columns), overall_change


def _strengths(standing, peers, sector, code, action_levels):
    actions = standing[(standing["cut"] == "action") & standing["level"].notna()].copy()
    actions["distance"] = actions["level"] - actions["median"]
    strengths = [(r.name_, "in your sector's top quarter") for r in
                 actions[actions["falls"] == TOP].sort_values("distance", ascending=False).rename(columns={"name": "name_"})
                 .head(STRENGTHS).itertuples()]
    if actions["median"].isna().all():  # too few peers everywhere: the organisation's own highest levels
        own = actions[actions["level"] >= peers.figures.upper_level].sort_values("level", ascending=False)
        strengths = [(a, "one of your highest levels") for a in own["name"].head(STRENGTHS)]
    develop = [(r.name_, "in your sector's bottom quarter") for r in
               actions[actions["falls"] == BOTTOM].sort_values("distance").rename(columns={"name": "name_"})
               .head(AREAS_TO_DEVELOP).itertuples()]
    # Actions most of the sector takes part in (gives a level for) that this organisation does not.
    sector_size = len(peers.members("sector", sector) - {code})
    if sector_size >= max(peers.figures.threshold, 1):
        counts = {a: int((codes != code).sum()) for a, (codes, _) in peers.levels("by_action", "action", "sector", sector).items()}
        missing = sorted((a for a, n in counts.items() if a not in action_levels and n > sector_size / 2),
                         key=lambda a: -counts[a])
        develop += [(a, "most of your sector gives a level for it; you do not yet") for a in missing]
    return strengths, develop[:AREAS_TO_DEVELOP + 2]


def _metrics(figures, peers, code, sector):
    own = figures.part("metrics", code)
    rows = []
    if own.empty:
        return pd.DataFrame(columns=["metric", "value", "peers", "q1", "median", "q3", "falls"])
    def sector_values():
        part = figures.metrics[figures.metrics["organisation_code"].isin(peers.members("sector", sector))]
        return {m: (g["organisation_code"].to_numpy(), g["value"].to_numpy()) for m, g in part.groupby("metric")}
    in_sector = peers.once(("metrics", sector), sector_values)
    for metric, value in zip(own["metric"], own["value"]):
        codes, values = in_sector.get(metric, (np.array([]), np.array([])))
        values = values[(codes != code) & ~np.isnan(values)]
        rows.append({"metric": metric, **_against(value, values, figures.threshold, metric in figures.lower_is_better)})
    return pd.DataFrame(rows).rename(columns={"level": "value"})
