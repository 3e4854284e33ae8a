"""Checks across the current returns that do not block a load but deserve a look, by organisation.

Errors (a value outside its valid range, say) are refused at load time; these are warnings:
missing 'All Londoners' rows, actions listed with no level, a level or metric that jumps
sharply from the organisation's previous year, and metric values far from their sector's.
"""

from __future__ import annotations

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
    frames = [_per_action(store, only, params), _level_jumps(store, only, params), _metric_jumps(store, only, params),
              _far_from_sector(store, only, params)]
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


def _level_jumps(store: Store, only: str, params: list) -> pd.DataFrame:
    return store.query(f"""
        WITH m AS ({own_means(["reporting_year", "action", "action_number"], carry={"organisation_name": "organisation_name"}, name="level")})
        SELECT b.organisation_code, b.organisation_name, b.reporting_year, 'level jumped' AS check,
               'action ' || b.action || ' went from ' || round(a.level, 1) || ' to ' || round(b.level, 1)
               || ' since the year before' AS detail
        FROM m a JOIN m b ON a.organisation_code = b.organisation_code AND a.action = b.action
                         AND b.reporting_year = a.reporting_year + 1
        WHERE abs(b.level - a.level) >= {LEVEL_JUMP} AND {only.replace("reporting_year", "b.reporting_year")}
        ORDER BY b.organisation_code, b.reporting_year, b.action_number""", params)


def _metric_name(store: Store, code: str) -> str:
    """A metric by its name, as officers read it, not its code."""
    found = store.fw.metrics.get(code)
    return found.name if found else code


def _metric_jumps(store: Store, only: str, params: list) -> pd.DataFrame:
    frame = store.query(f"""
        SELECT b.organisation_code, o.organisation_name, b.reporting_year, b.metric, b.equality_group,
               a.value AS before, b.value AS after
        FROM current_metrics a JOIN current_metrics b
             ON a.organisation_code = b.organisation_code AND a.metric = b.metric AND a.equality_group = b.equality_group
            AND b.reporting_year = a.reporting_year + 1
        LEFT JOIN organisations o ON o.organisation_code = b.organisation_code
        WHERE {only.replace("reporting_year", "b.reporting_year")}
        ORDER BY b.organisation_code, b.reporting_year, b.metric, b.equality_group""", params)  # noqa: S608 - `only` is fixed SQL
    if frame.empty:
        return pd.DataFrame(columns=COLUMNS)
    units = frame["metric"].map(lambda m: store.fw.metrics[m].unit if m in store.fw.metrics else "")
    change = (frame["after"] - frame["before"]).abs()
    relative = change / frame["before"].abs().where(frame["before"] != 0)
    jumped = ((units == "%") & (change >= METRIC_JUMP["%"])) | (units.isin(["£", "count"]) & (relative >= METRIC_JUMP_RELATIVE))
    frame = frame[jumped]
    return pd.DataFrame({
        "organisation_code": frame["organisation_code"], "organisation_name": frame["organisation_name"],
        "reporting_year": frame["reporting_year"], "check": "metric jumped",
        "detail": [f"{_metric_name(store, m)} ({g}) went from {b:g} to {a:g} since the year before"
                   for m, g, b, a in zip(frame["metric"], frame["equality_group"], frame["before"], frame["after"])]})


def _far_from_sector(store: Store, only: str, params: list) -> pd.DataFrame:
    frame = store.query(f"""
        WITH v AS (SELECT m.organisation_code, o.organisation_name, o.sector, m.reporting_year, m.metric, m.equality_group, m.value
                   FROM current_metrics m LEFT JOIN organisations o USING (organisation_code)
                   WHERE {only.replace("reporting_year", "m.reporting_year")}),
             q AS (SELECT sector, reporting_year, metric, equality_group, quantile_cont(value, 0.25) AS q1,
                          quantile_cont(value, 0.75) AS q3, count(*) AS n
                   FROM v GROUP BY ALL HAVING count(*) >= {MIN_SECTOR})
        SELECT v.*, q.q1, q.q3 FROM v JOIN q USING (sector, reporting_year, metric, equality_group)
        WHERE v.value < q.q1 - {FAR_FROM_SECTOR} * (q.q3 - q.q1) OR v.value > q.q3 + {FAR_FROM_SECTOR} * (q.q3 - q.q1)
        ORDER BY v.organisation_code, v.reporting_year, v.metric, v.equality_group""", params)
    if frame.empty:
        return pd.DataFrame(columns=COLUMNS)
    return pd.DataFrame({
        "organisation_code": frame["organisation_code"], "organisation_name": frame["organisation_name"],
        "reporting_year": frame["reporting_year"], "check": "far from its sector",
        "detail": [f"{_metric_name(store, m)} ({g}) is {v:g}; most {s} organisations are between {q1:g} and {q3:g}"
                   for m, g, v, s, q1, q3 in zip(frame["metric"], frame["equality_group"], frame["value"], frame["sector"],
                                                 frame["q1"], frame["q3"])]})
