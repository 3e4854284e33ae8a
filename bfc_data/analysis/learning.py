"""The learning programme: what was delivered, who came, what they said, and how it relates to progress.

Figures over organisations are suppressed for members like every other aggregate. The
association between taking part and progress is association, not proof of cause.
"""

from __future__ import annotations

from itertools import product

import numpy as np
import pandas as pd

from bfc_data.analysis.disclosure import PRIMARY, suppress, suppress_counts
from bfc_data.store import RETURNED, Store
from bfc_data.store.measures import own_means

EVENT_DIMENSIONS = {"learning_format": "learning_format", "priority_area": "priority_area", "delivery": "coalesce(delivery, 'not said')",
                    "quarter": "strftime(date, '%Y') || ' Q' || quarter(date)"}


def events_by(store: Store, by: str) -> pd.DataFrame:
    """How many events, by learning format, priority area, calendar quarter or delivery mode."""
    expression = EVENT_DIMENSIONS[by]
    return store.query(f"""
        SELECT {expression} AS {by}, count(*) AS events FROM current_learning_events GROUP BY 1 ORDER BY 1""")  # noqa: S608


def attendance_by(store: Store, by: str, threshold: int = 0) -> pd.DataFrame:
    """Organisations that attended and people who came, by the organisations' sector or size band."""
    if by not in ("sector", "size_band"):
        raise ValueError("attendance is shown by sector or size_band")
    frame = store.query(f"""
        SELECT coalesce(o.{by}, 'not known') AS {by}, count(DISTINCT a.organisation_code) AS organisations,
               coalesce(sum(a.attendees), 0) AS attendees
        FROM current_attendance a LEFT JOIN organisations o USING (organisation_code)
        GROUP BY 1 ORDER BY 1""")  # noqa: S608 - by is checked above
    # Organisations partition into sectors (and size bands): the whole table adds up to its published total.
    return suppress(frame, threshold, ["attendees"], [[]], tie=[by])


def feedback_by_format(store: Store, threshold: int = 0) -> pd.DataFrame:
    """Feedback scores (1–5) by learning format: responses, means, quartiles, and the share scoring 4 or 5."""
    frame = store.query("""
        SELECT e.learning_format, count(DISTINCT a.organisation_code) AS organisations, count(a.pitched_right) AS responses,
               round(avg(a.pitched_right), 2) AS pitched_right_mean,
               quantile_cont(a.pitched_right, 0.25) AS pitched_right_q1, quantile_cont(a.pitched_right, 0.75) AS pitched_right_q3,
               round(avg(a.will_use), 2) AS will_use_mean,
               quantile_cont(a.will_use, 0.25) AS will_use_q1, quantile_cont(a.will_use, 0.75) AS will_use_q3,
               round(100.0 * count(*) FILTER (WHERE a.will_use >= 4) / nullif(count(a.will_use), 0), 0) AS will_use_4_or_5
        FROM current_attendance a JOIN current_learning_events e USING (event_id)
        GROUP BY 1""")
    order = {f: i for i, f in enumerate(store.fw.learning_formats.values)}
    frame = frame.sort_values("learning_format", key=lambda s: s.map(order)).reset_index(drop=True)
    scores = [c for c in frame.columns if c.startswith(("pitched_right", "will_use"))]
    # An organisation may attend several formats, so formats do not add up to a total: the threshold alone protects them.
    return suppress(frame, threshold, [*scores, "responses"], [], tie=["learning_format"])


def more_support(store: Store, threshold: int = 0) -> pd.DataFrame:
    """The free-text 'more support' answers, by the event's priority area; areas with too few organisations are withheld."""
    frame = store.query("""
        SELECT e.priority_area, a.organisation_code, a.more_support
        FROM current_attendance a JOIN current_learning_events e USING (event_id)
        WHERE a.more_support IS NOT NULL AND trim(a.more_support) <> ''""")
    return answers_shown(frame, threshold, store.fw.priority_areas)


def answers_shown(frame: pd.DataFrame, threshold: int, areas: tuple | list) -> pd.DataFrame:
    """The answers (one row per organisation's answer at an event: priority_area, organisation_code, more_support)
    counted per priority area, most given first; areas with fewer organisations than the threshold withheld."""
    if frame.empty:
        return pd.DataFrame(columns=["priority_area", "organisations", "answer", "times"])
    counts = frame.groupby("priority_area")["organisation_code"].nunique()
    shown = frame[frame["priority_area"].map(counts) >= max(threshold, 1)]
    answers = shown.groupby(["priority_area", "more_support"]).size().rename("times").reset_index()
    answers["organisations"] = answers["priority_area"].map(counts)
    order = {a: i for i, a in enumerate(areas)}
    answers = answers.sort_values(["priority_area", "times"], key=lambda s: s.map(order) if s.name == "priority_area" else -s)
    return answers.rename(columns={"more_support": "answer"})[["priority_area", "organisations", "answer", "times"]].reset_index(drop=True)


def demand_and_delivery(store: Store, year: int, threshold: int = 0) -> pd.DataFrame:
    """By learning format and priority area: organisations asking for it in the year's returns, events delivered in that
    financial year, and organisations that attended them. 'Unmet' where organisations asked and nothing was delivered.

    For members a count of organisations under the threshold is hidden (formats and areas overlap, so no line adds up)."""
    frame = store.query("""
        WITH demand AS (
            SELECT support_wanted AS learning_format, priority_area, count(DISTINCT organisation_code) AS organisations_wanting
            FROM organisation_support_wanted WHERE reporting_year = ? GROUP BY ALL),
        delivered AS (
            SELECT e.learning_format, e.priority_area, count(DISTINCT e.event_id) AS events, count(DISTINCT a.organisation_code) AS organisations_attending
            FROM current_learning_events e LEFT JOIN current_attendance a USING (event_id)
            WHERE e.date >= make_date(?, 4, 1) AND e.date < make_date(? + 1, 4, 1)
            GROUP BY ALL)
        SELECT coalesce(d.learning_format, v.learning_format) AS learning_format, coalesce(d.priority_area, v.priority_area) AS priority_area,
               coalesce(d.organisations_wanting, 0) AS organisations_wanting, coalesce(v.events, 0) AS events,
               coalesce(v.organisations_attending, 0) AS organisations_attending
        FROM demand d FULL OUTER JOIN delivered v ON d.learning_format = v.learning_format AND d.priority_area = v.priority_area""",
                        [year, year, year])
    return demand_shown(frame, store.fw.learning_formats.values, store.fw.priority_areas, threshold)


def demand_shown(frame: pd.DataFrame, formats, areas, threshold: int) -> pd.DataFrame:
    """Demand and delivery per format and priority area, marked 'unmet', in the reference order, small counts hidden."""
    frame["unmet"] = (frame["organisations_wanting"] > 0) & (frame["events"] == 0)
    formats = {f: i for i, f in enumerate(formats)}
    areas = {a: i for i, a in enumerate(areas)}
    frame = frame.assign(_f=frame["learning_format"].map(formats), _a=frame["priority_area"].map(areas)) \
        .sort_values(["_f", "_a"]).drop(columns=["_f", "_a"]).reset_index(drop=True)
    return suppress_counts(frame, threshold, ["organisations_wanting", "organisations_attending"])


def target_sectors(store: Store, year: int, threshold: int = 0) -> pd.DataFrame:
    """Year-two target sectors: organisations in the register, returning this year, and taking part in learning.

    For members, a count under the threshold is hidden, with the fewest others in its column."""
    frame = store.query(f"""
        SELECT o.sector, count(*) AS organisations,
               count(*) FILTER (WHERE o.organisation_code IN (SELECT organisation_code FROM {RETURNED}
                                                              WHERE reporting_year = ?)) AS returned,
               count(*) FILTER (WHERE o.organisation_code IN (SELECT organisation_code FROM current_attendance)) AS took_part_in_learning,
               count(*) FILTER (WHERE o.organisation_code NOT IN (SELECT organisation_code FROM {RETURNED})
                                  AND o.organisation_code NOT IN (SELECT organisation_code FROM current_attendance)) AS not_yet_engaged
        FROM organisations o WHERE list_contains(?::VARCHAR[], o.sector)
        GROUP BY 1 ORDER BY 1""", [year, list(store.fw.year_two_sectors)])  # noqa: S608 - fixed SQL
    return suppress_counts(frame, threshold, ["organisations", "returned", "took_part_in_learning", "not_yet_engaged"], [[]],
                           tie=["sector"])


def learning_and_progress(store: Store, threshold: int = 0) -> pd.DataFrame:
    """By learning format and priority area: the mean change in level (first to latest return, in that priority area)
    of organisations that took part in that format, against those that did not.

    Only organisations with two or more returns count. A comparison is hidden when either side has fewer
    organisations than the threshold. This shows association, not cause.
    """
    # One query: each organisation's change per priority area, set beside each format it took part in or did not.
    found = store.query(f"""
        WITH m AS ({own_means(["priority_area", "reporting_year"], name="level")}),
        changes AS (
            SELECT organisation_code, priority_area, arg_max(level, reporting_year) - arg_min(level, reporting_year) AS change
            FROM m GROUP BY organisation_code, priority_area HAVING count(*) >= 2),
        took AS (
            SELECT DISTINCT a.organisation_code, e.learning_format
            FROM current_attendance a JOIN current_learning_events e USING (event_id)),
        formats AS (SELECT unnest(?::VARCHAR[]) AS learning_format)
        SELECT f.learning_format, c.priority_area,
               count(*) FILTER (WHERE t.organisation_code IS NOT NULL) AS took_part,
               avg(c.change) FILTER (WHERE t.organisation_code IS NOT NULL) AS took_part_change,
               count(*) FILTER (WHERE t.organisation_code IS NULL) AS did_not,
               avg(c.change) FILTER (WHERE t.organisation_code IS NULL) AS did_not_change
        FROM formats f CROSS JOIN changes c
        LEFT JOIN took t ON t.organisation_code = c.organisation_code AND t.learning_format = f.learning_format
        GROUP BY ALL""", [list(store.fw.learning_formats.values)])
    return progress_shown(found, store.fw.learning_formats.values, store.fw.priority_areas, threshold)


def progress_shown(found: pd.DataFrame, formats, areas, threshold: int) -> pd.DataFrame:
    """Every format and priority area, with the comparison found for it (took_part, took_part_change, did_not,
    did_not_change), rounded and hidden where either side has fewer organisations than the threshold."""
    # Filled in numpy, cell by cell of the grid: a few dozen cells, where pandas' multi-index and reindexing cost
    # about as much as the query that found them (11 of 20 ms).
    grid = list(product(formats, areas))
    at = {cell: i for i, cell in enumerate(grid)}
    took_part, did_not = np.zeros(len(grid), dtype=int), np.zeros(len(grid), dtype=int)
    took_part_change, did_not_change = np.full(len(grid), np.nan), np.full(len(grid), np.nan)
    columns = ["learning_format", "priority_area", "took_part", "took_part_change", "did_not", "did_not_change"]
    for format_, area, took, took_change, not_took, not_took_change in found[columns].itertuples(index=False):
        i = at.get((format_, area))
        if i is None:  # a format or area no longer in the reference: not in the grid, as before
            continue
        took_part[i], did_not[i] = (0 if pd.isna(took) else took), (0 if pd.isna(not_took) else not_took)
        took_part_change[i] = np.nan if pd.isna(took_change) else took_change
        did_not_change[i] = np.nan if pd.isna(not_took_change) else not_took_change
    took_part_change, did_not_change = took_part_change.round(2), did_not_change.round(2)
    hidden = (took_part < threshold) | (did_not < threshold) if threshold else np.zeros(len(grid), dtype=bool)
    figures = {"took_part": took_part.astype(float), "took_part_change": took_part_change,
               "did_not": did_not.astype(float), "did_not_change": did_not_change,
               "difference": (took_part_change - did_not_change).round(2)}
    for values in figures.values():
        # The two sides add up to the same whole in every format's row: one side hidden hides the other, counts too.
        values[hidden] = np.nan
    return pd.DataFrame({"learning_format": [format_ for format_, _ in grid], "priority_area": [area for _, area in grid],
                         **figures,
                         "suppressed": hidden, "suppression": pd.Series(np.where(hidden, PRIMARY, None), dtype=object)})
