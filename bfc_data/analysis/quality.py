"""Checks across the current returns that do not block a load but deserve a look, by organisation.

Errors (a value outside its valid range, say) are refused at load time; these are warnings:
missing 'All Londoners' rows, actions listed with no level, a level or metric that jumps
sharply from the organisation's previous year, and metric values far from their sector's.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pandas as pd

from bfc_data.access import Viewer, require_officer
from bfc_data.intake import all_londoners
from bfc_data.store import Store
from bfc_data.store.measures import own_means

LEVEL_JUMP = 2  # levels, on the organisation's mean for an action, from one year to the next
METRIC_JUMP = {"%": 25.0}  # percentage points; other units use a relative change
METRIC_JUMP_RELATIVE = 1.0  # a doubling or halving and more
FAR_FROM_SECTOR = 3.0  # interquartile ranges beyond the sector's quartiles
MIN_SECTOR = 5  # organisations a sector needs before 'far from its sector' means anything

COLUMNS = ["organisation_code", "organisation_name", "reporting_year", "check", "detail"]


def warnings(store: Store, viewer: Viewer | str, year: int | None = None) -> pd.DataFrame:
    """Every warning over the current returns (of one reporting year, if given), by organisation: by its name, the
    year and the check, then by action (or metric and group) within a check."""
    require_officer(viewer, "see data-quality warnings about organisations")
    # Each check reads only the year asked for (and, for a jump, the year before): a sixth of the store, not all of it.
    only, params = ("reporting_year = ?", [int(year)]) if year is not None else ("TRUE", [])
    # The three checks read different tables, each on its own cursor: side by side, on the cores there are, the page
    # waits for the slowest of them, not for all three in turn.
    checks = (_per_action, _level_jumps, _metric_checks)
    with ThreadPoolExecutor(len(checks)) as pool:
        frames = list(pool.map(lambda check: check(store, only, params), checks))
    frame = pd.concat([f for f in frames if not f.empty], ignore_index=True) if any(not f.empty for f in frames) else pd.DataFrame(columns=COLUMNS)
    return frame.sort_values(["organisation_name", "reporting_year", "check"], kind="stable").reset_index(drop=True)[COLUMNS]


def _per_action(store: Store, only: str, params: list) -> pd.DataFrame:
    """Actions taken part in with no All Londoners row, and (once per return) the actions listed with no level
    anywhere (the contract's way of saying 'not taking part')."""
    checks, checks_params = all_londoners.per_action_checks(only, params)
    return store.query(f"""
        WITH checks AS MATERIALIZED ({checks})
        SELECT * FROM (
            SELECT organisation_code, organisation_name, reporting_year, 'no All Londoners row' AS check,
                   'action ' || action || ' has levels for some groups but no All Londoners row' AS detail
            FROM checks WHERE taking_part ORDER BY organisation_code, reporting_year, action_number)
        UNION ALL
        SELECT * FROM (
            SELECT organisation_code, any_value(organisation_name) AS organisation_name, reporting_year,
                   'actions with no level' AS check,
                   string_agg(action, ', ' ORDER BY action_number) || ' listed with no level: not taking part yet, or levels left out?' AS detail
            FROM checks WHERE NOT taking_part GROUP BY organisation_code, reporting_year
            ORDER BY organisation_code, reporting_year)""", checks_params)  # noqa: S608 - fixed SQL


def _and_year_before(only: str) -> str:
    """`only` (a condition over reporting_year) widened to the years before those it names: the rows a jump needs."""
    return f"({only}) OR ({only.replace('reporting_year', '(reporting_year + 1)')})"


def _level_jumps(store: Store, only: str, params: list) -> pd.DataFrame:
    # The means of the years shown and the years before them only: a jump into one year reads two years, not six.
    means = own_means(["reporting_year", "action", "action_number"], _and_year_before(only),
                      carry={"organisation_name": "organisation_name"}, name="level")
    return store.query(f"""
        WITH m AS ({means})
        SELECT b.organisation_code, b.organisation_name, b.reporting_year, 'level jumped' AS check,
               'action ' || b.action || ' went from ' || round(a.level, 1) || ' to ' || round(b.level, 1)
               || ' since the year before' AS detail
        FROM m a JOIN m b ON a.organisation_code = b.organisation_code AND a.action = b.action
                         AND b.reporting_year = a.reporting_year + 1
        WHERE abs(b.level - a.level) >= {LEVEL_JUMP} AND {only.replace("reporting_year", "b.reporting_year")}
        ORDER BY b.organisation_code, b.reporting_year, b.action_number""", params * 3)  # noqa: S608 - fixed SQL


def _metric_name(store: Store, code: str) -> str:
    """A metric by its name, as officers read it, not its code."""
    found = store.fw.metrics.get(code)
    return found.name if found else code


def _metric_checks(store: Store, only: str, params: list) -> pd.DataFrame:
    """Two checks from one reading of the metric values: a value that jumped since the organisation's year before,
    and a value far from its sector's (beyond its quartiles by `FAR_FROM_SECTOR` interquartile ranges)."""
    frame = store.query(f"""
        WITH v AS MATERIALIZED (
            SELECT m.organisation_code, o.organisation_name, o.sector, m.reporting_year, m.metric, m.equality_group, m.value
            FROM current_metrics m LEFT JOIN organisations o USING (organisation_code)
            WHERE {_and_year_before(only)}),
        shown AS (SELECT * FROM v WHERE {only}),
        q AS (SELECT sector, reporting_year, metric, equality_group, quantile_cont(value, 0.25) AS q1,
                     quantile_cont(value, 0.75) AS q3
              FROM shown GROUP BY ALL HAVING count(*) >= {MIN_SECTOR})
        SELECT * FROM (
            SELECT 'metric jumped' AS check, b.*, a.value AS before, NULL::DOUBLE AS q1, NULL::DOUBLE AS q3
            FROM shown b JOIN v a ON a.organisation_code = b.organisation_code AND a.metric = b.metric
                                 AND a.equality_group = b.equality_group AND b.reporting_year = a.reporting_year + 1
            ORDER BY b.organisation_code, b.reporting_year, b.metric, b.equality_group)
        UNION ALL
        SELECT * FROM (
            SELECT 'far from its sector' AS check, s.*, NULL::DOUBLE AS before, q.q1, q.q3
            FROM shown s JOIN q USING (sector, reporting_year, metric, equality_group)
            WHERE s.value < q.q1 - {FAR_FROM_SECTOR} * (q.q3 - q.q1) OR s.value > q.q3 + {FAR_FROM_SECTOR} * (q.q3 - q.q1)
            ORDER BY s.organisation_code, s.reporting_year, s.metric, s.equality_group)""", params * 3)  # noqa: S608 - fixed SQL
    if frame.empty:
        return pd.DataFrame(columns=COLUMNS)
    pairs, far = frame[frame["check"] == "metric jumped"], frame[frame["check"] == "far from its sector"]
    units = pairs["metric"].map(lambda m: store.fw.metrics[m].unit if m in store.fw.metrics else "")
    change = (pairs["value"] - pairs["before"]).abs()
    relative = change / pairs["before"].abs().where(pairs["before"] != 0)
    jumped = pairs[((units == "%") & (change >= METRIC_JUMP["%"])) | (units.isin(["£", "count"]) & (relative >= METRIC_JUMP_RELATIVE))]
    said = [f"{_metric_name(store, m)} ({g}) went from {b:g} to {a:g} since the year before"
            for m, g, b, a in zip(jumped["metric"], jumped["equality_group"], jumped["before"], jumped["value"])]
    said += [f"{_metric_name(store, m)} ({g}) is {v:g}; most {s} organisations are between {q1:g} and {q3:g}"
             for m, g, v, s, q1, q3 in zip(far["metric"], far["equality_group"], far["value"], far["sector"], far["q1"], far["q3"])]
    both = pd.concat([jumped, far])
    return pd.DataFrame({"organisation_code": both["organisation_code"], "organisation_name": both["organisation_name"],
                         "reporting_year": both["reporting_year"], "check": both["check"], "detail": said}, columns=COLUMNS)
