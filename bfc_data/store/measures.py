"""The programme's figure, defined once: an organisation's own mean maturity level within a cut; and the
figures the store keeps current with every load (those means at every cut a page asks for, and who returns).

The contract's mean level of a group is the mean over organisations of each organisation's own mean level
within the group: each organisation counts once, and blank levels (not yet taking part) are left out. Every
figure built on levels (the pages, the board pack, the organisation profile, the learning association and the
data-quality checks) starts from `own_means`, so the definition can be changed here and nowhere else.

The store keeps `organisation_levels` current inside the same transaction as every load and restore: each
current return's levels summed and counted at the finest cut a page offers. An own mean over any coarser cut
is then a sum of sums over a sum of counts, which is exactly the mean of the levels in that cut.
"""

from __future__ import annotations

import hashlib
import re

# The columns an own mean can be cut by or filtered on, all from the current_maturity view.
CUT_COLUMNS = ("organisation_code", "reporting_year", "organisation_name", "sector", "size_band", "priority_area",
               "action", "action_number", "role", "equality_group", "intersecting_group")

TABLE = """CREATE TABLE IF NOT EXISTS organisation_levels (
    organisation_code VARCHAR, reporting_year INTEGER, organisation_name VARCHAR, sector VARCHAR, size_band VARCHAR,
    priority_area VARCHAR, action VARCHAR, action_number INTEGER, role VARCHAR, equality_group VARCHAR,
    intersecting_group VARCHAR, level_sum DOUBLE, level_count INTEGER)"""


def _from_scores(columns: tuple[str, ...]) -> str:
    """Levels summed and counted per `columns` straight from the current returns' scores; `{only}` narrows the rows."""
    return (f"SELECT {', '.join(columns)}, sum(maturity_level) AS level_sum, count(maturity_level)::INTEGER AS level_count "
            f"FROM current_maturity WHERE maturity_level IS NOT NULL {{only}} GROUP BY ALL")


# What the table holds, as a query over the current returns.
_ROWS = _from_scores(CUT_COLUMNS)

# The same sums at coarser cuts, each summed from the one before: per organisation, year and action over every
# role and group (a twelfth of the rows), per organisation, year and priority area (a fortieth), and per
# organisation and year (a 168th). A cut that names nothing finer than a table holds is answered from it.
ACTION_COLUMNS = ("organisation_code", "reporting_year", "organisation_name", "sector", "size_band", "priority_area",
                  "action", "action_number")
AREA_COLUMNS = ("organisation_code", "reporting_year", "organisation_name", "sector", "size_band", "priority_area")
YEAR_COLUMNS = ("organisation_code", "reporting_year", "organisation_name", "sector", "size_band")
ACTION_TABLE = """CREATE TABLE IF NOT EXISTS organisation_action_levels (
    organisation_code VARCHAR, reporting_year INTEGER, organisation_name VARCHAR, sector VARCHAR, size_band VARCHAR,
    priority_area VARCHAR, action VARCHAR, action_number INTEGER, level_sum DOUBLE, level_count INTEGER)"""
AREA_TABLE = """CREATE TABLE IF NOT EXISTS organisation_area_levels (
    organisation_code VARCHAR, reporting_year INTEGER, organisation_name VARCHAR, sector VARCHAR, size_band VARCHAR,
    priority_area VARCHAR, level_sum DOUBLE, level_count INTEGER)"""
YEAR_TABLE = """CREATE TABLE IF NOT EXISTS organisation_year_levels (
    organisation_code VARCHAR, reporting_year INTEGER, organisation_name VARCHAR, sector VARCHAR, size_band VARCHAR,
    level_sum DOUBLE, level_count INTEGER)"""
# And beside the action's chain, per organisation, year and equality group (with its intersecting group) over every
# action and role (a fourteenth of the rows): the equality groups' figures.
GROUP_COLUMNS = ("organisation_code", "reporting_year", "organisation_name", "sector", "size_band", "equality_group",
                 "intersecting_group")
GROUP_TABLE = """CREATE TABLE IF NOT EXISTS organisation_group_levels (
    organisation_code VARCHAR, reporting_year INTEGER, organisation_name VARCHAR, sector VARCHAR, size_band VARCHAR,
    equality_group VARCHAR, intersecting_group VARCHAR, level_sum DOUBLE, level_count INTEGER)"""


def _summed(columns: tuple[str, ...], source: str) -> str:
    return (f"SELECT {', '.join(columns)}, sum(level_sum) AS level_sum, sum(level_count)::INTEGER AS level_count "
            f"FROM {source} WHERE TRUE {{only}} GROUP BY ALL")


_ACTION_ROWS = _summed(ACTION_COLUMNS, "organisation_levels")
_AREA_ROWS = _summed(AREA_COLUMNS, "organisation_action_levels")
_YEAR_ROWS = _summed(YEAR_COLUMNS, "organisation_area_levels")
_GROUP_ROWS = _summed(GROUP_COLUMNS, "organisation_levels")

# Beside the levels, the current returns' rows that ask for learning support (support_wanted), one row each with every
# column a page cuts or filters by: the pages that count who asks read these (a seventh of the scores in the
# benchmark's store, fewer in the sample's), not every score of every current return.
SUPPORT_COLUMNS = (*CUT_COLUMNS, "support_wanted")
SUPPORT_TABLE = """CREATE TABLE IF NOT EXISTS organisation_support_wanted (
    organisation_code VARCHAR, reporting_year INTEGER, organisation_name VARCHAR, sector VARCHAR, size_band VARCHAR,
    priority_area VARCHAR, action VARCHAR, action_number INTEGER, role VARCHAR, equality_group VARCHAR,
    intersecting_group VARCHAR, support_wanted VARCHAR)"""
_SUPPORT_ROWS = f"SELECT {', '.join(SUPPORT_COLUMNS)} FROM current_maturity WHERE support_wanted IS NOT NULL {{only}}"
TABLES = (TABLE, ACTION_TABLE, AREA_TABLE, YEAR_TABLE, GROUP_TABLE, SUPPORT_TABLE)
# In the order they are built, each level table but the finest from one built before it: (table, its rows, what a cut
# must not name to be answered from it, one row's cut).
_BUILT = (("organisation_levels", _ROWS, None, None),
          ("organisation_action_levels", _ACTION_ROWS, re.compile(r"\b(role|equality_group|intersecting_group)\b"),
           {"organisation_code", "reporting_year", "action"}),
          ("organisation_area_levels", _AREA_ROWS,
           re.compile(r"\b(action|action_number|role|equality_group|intersecting_group)\b"),
           {"organisation_code", "reporting_year", "priority_area"}),
          ("organisation_year_levels", _YEAR_ROWS,
           re.compile(r"\b(priority_area|action|action_number|role|equality_group|intersecting_group)\b"),
           {"organisation_code", "reporting_year"}),
          ("organisation_group_levels", _GROUP_ROWS, re.compile(r"\b(priority_area|action|action_number|role)\b"),
           {"organisation_code", "reporting_year", "equality_group", "intersecting_group"}),
          ("organisation_support_wanted", _SUPPORT_ROWS, None, None))  # no levels: never a cut's table
# Smallest first, as a cut looks for the table to answer it from (the action and group tables answer different cuts).
_SMALLEST_FIRST = tuple(next(built for built in _BUILT if built[0] == name) for name in (
    "organisation_year_levels", "organisation_area_levels", "organisation_group_levels", "organisation_action_levels",
    "organisation_levels"))

# Who returns, kept beside the levels: per sector (the return's own) and reporting year, the organisations returning,
# new (their first return ever), rejoined (returned before, but not the year before) and lapsed (returned the year
# before, not this; counted in the sector of their last return). Returning = continuing + new + rejoined. Worked out
# over every current return at each refresh (a few milliseconds): a lapse depends on the latest year of all returns.
COVERAGE_TABLE = """CREATE TABLE IF NOT EXISTS coverage_counts (
    sector VARCHAR, reporting_year INTEGER, organisations BIGINT, new_organisations BIGINT, rejoined_organisations BIGINT,
    lapsed_organisations BIGINT)"""
_COVERAGE_ROWS = """
    WITH returned AS (
        SELECT organisation_code, reporting_year AS year, sector FROM current_maturity_submissions),
    firsts AS (SELECT organisation_code, min(year) AS first_year FROM returned GROUP BY 1),
    lapsed AS (
        SELECT r.organisation_code, r.year + 1 AS year, r.sector FROM returned r
        WHERE r.year + 1 <= (SELECT max(year) FROM returned)
          AND NOT EXISTS (SELECT 1 FROM returned n WHERE n.organisation_code = r.organisation_code AND n.year = r.year + 1))
    SELECT sector, year AS reporting_year, sum(returned) AS organisations, sum(new) AS new_organisations,
           sum(rejoined) AS rejoined_organisations, sum(lapsed) AS lapsed_organisations FROM (
        SELECT r.sector, r.year, 1 AS returned, CASE WHEN f.first_year = r.year THEN 1 ELSE 0 END AS new,
               CASE WHEN f.first_year < r.year AND NOT EXISTS (SELECT 1 FROM returned p WHERE p.organisation_code =
                    r.organisation_code AND p.year = r.year - 1) THEN 1 ELSE 0 END AS rejoined, 0 AS lapsed
        FROM returned r JOIN firsts f USING (organisation_code)
        UNION ALL
        SELECT sector, year, 0, 0, 0, 1 FROM lapsed)
    GROUP BY ALL"""
TABLES = (*TABLES, COVERAGE_TABLE)
KEPT = (*(name for name, *_ in _BUILT), "coverage_counts")

# Changing the definitions above changes this key, and every store rebuilds its tables when it next opens.
DEFINITION = hashlib.sha256("".join(TABLES + tuple(rows for _, rows, *_ in _BUILT) + (_COVERAGE_ROWS,)).encode()).hexdigest()[:16]


# Each kept table's rows from a load's own rows: its finest sums, read from the scores once into `loaded_levels`
# (see `refresh`), and its rows asking for support.
_FROM_LOADED = {"organisation_levels": "SELECT * FROM loaded_levels",
                **{table: _summed(columns, "loaded_levels").format(only="") for table, columns in (
                    ("organisation_action_levels", ACTION_COLUMNS), ("organisation_area_levels", AREA_COLUMNS),
                    ("organisation_year_levels", YEAR_COLUMNS), ("organisation_group_levels", GROUP_COLUMNS))}}


def refresh(cur, organisation_codes: list[str] | None = None, *, first_id: int | None = None, new: list[str] = (),
            returns: list[tuple[str, int]] = ()) -> None:
    """Bring organisation_levels (and its sums at coarser cuts, and who returns) up to date inside the caller's
    transaction: for all organisations (`organisation_codes` None), or for what one load changed.

    `organisation_codes` are deleted and read again whole. `new` are organisations that had no submission before this
    load, whose first submission id is `first_id`: every row of theirs is in the load's own submissions, so nothing
    of theirs is deleted and their sums are read from those submissions alone, which DuckDB finds by their ids
    without reading the older scores. (Deleting and re-reading by organisation reads every kept row and every
    score: a load's cost grew with the store.) `returns` are (organisation, reporting year) of organisations seen
    before whose only change is that year's new current return, made by this load: only those years are deleted
    and read again, from the load's own submissions.
    """
    if organisation_codes is None:
        for table, rows, *_ in _BUILT:
            cur.execute(f"DELETE FROM {table}")  # noqa: S608 - fixed names
            cur.execute(f"INSERT INTO {table} " + rows.format(only=""))  # noqa: S608
    else:
        if not (organisation_codes or new or returns):
            return
        only = "organisation_code IN (SELECT unnest(?::VARCHAR[]))"
        if organisation_codes:
            for table, rows, *_ in _BUILT:
                cur.execute(f"DELETE FROM {table} WHERE {only}", [list(organisation_codes)])  # noqa: S608
                cur.execute(f"INSERT INTO {table} " + rows.format(only="AND " + only), [list(organisation_codes)])  # noqa: S608
        if new or returns:
            years = "(organisation_code, reporting_year) IN (SELECT unnest(?::VARCHAR[]), unnest(?::INTEGER[]))"
            codes, numbers = [code for code, _ in returns], [int(year) for _, year in returns]
            if returns:
                for table, *_ in _BUILT:
                    cur.execute(f"DELETE FROM {table} WHERE {years}", [codes, numbers])  # noqa: S608 - fixed names
            # The load's own rows of both, read from the scores once (each table reading them again was most of a
            # load's refresh); the level tables are summed from them.
            mine, params = f"AND submission_id >= ? AND ({only} OR {years})", [first_id, list(new), codes, numbers]
            cur.execute("CREATE OR REPLACE TEMP TABLE loaded_levels AS " + _ROWS.format(only=mine), params)
            for table, *_ in _BUILT:
                if table in _FROM_LOADED:
                    cur.execute(f"INSERT INTO {table} " + _FROM_LOADED[table])  # noqa: S608 - fixed SQL
                else:
                    cur.execute(f"INSERT INTO {table} " + _SUPPORT_ROWS.format(only=mine), params)  # noqa: S608
            # Not in a `finally`: after a failed statement the transaction only accepts its rollback, which drops
            # the table with the rest, and a cleanup there would raise over the failure's own reason.
            cur.execute("DROP TABLE loaded_levels")
    cur.execute("DELETE FROM coverage_counts")
    cur.execute("INSERT INTO coverage_counts " + _COVERAGE_ROWS)


def rebuild(cur) -> None:
    """Every kept table made afresh under today's definition, inside the caller's transaction: dropped and created
    again (a definition may change a table's columns, not only its rows), then filled from the current returns."""
    for name in KEPT:
        cur.execute(f"DROP TABLE IF EXISTS {name}")  # noqa: S608 - fixed names
    for table in TABLES:
        cur.execute(table)
    refresh(cur)


def live_view() -> str:
    """The same rows computed on the fly, for a read-only store whose tables are missing or out of date."""
    return "; ".join([*(f"CREATE OR REPLACE TEMP VIEW {table} AS " + rows.format(only="") for table, rows, *_ in _BUILT),
                      "CREATE OR REPLACE TEMP VIEW coverage_counts AS " + _COVERAGE_ROWS])


def own_means(cut: list[str] | tuple[str, ...], where: str = "TRUE", carry: dict[str, str] | None = None,
              name: str = "organisation_mean") -> str:
    """SQL for each organisation's own mean level in each cell of `cut`: one row per organisation and cell.

    `cut` names columns of `CUT_COLUMNS` (or `column AS alias` for one under another name); `where` is a
    parameterised condition over them; `carry` adds columns that are the same on every row of an
    organisation and cell (alias -> expression, taken with any_value).
    """
    keys = [*cut, "organisation_code"]
    columns = [key.split(" AS ")[0] for key in keys]
    # A sum of sums is the same sum whichever table it starts from; the smallest that holds the cut serves.
    said = " ".join([*cut, where, *(carry or {}).values()])
    table, grain = next((table, grain) for table, _, finer, grain in _SMALLEST_FIRST if finer is None or not finer.search(said))
    if grain is not None and grain <= set(columns):
        # A cut as fine as the table's own rows (one per organisation, year and action, say): each row is its own
        # mean, and grouping 168,000 rows into as many groups was most of such a figure's time.
        carried = "".join(f", {expression} AS {alias}" for alias, expression in (carry or {}).items())
        return f"SELECT {', '.join(keys)}{carried}, level_sum / level_count AS {name} FROM {table} WHERE ({where})"
    carried = "".join(f", any_value({expression}) AS {alias}" for alias, expression in (carry or {}).items())
    return (f"SELECT {', '.join(keys)}{carried}, sum(level_sum) / sum(level_count) AS {name} "
            f"FROM {table} WHERE ({where}) GROUP BY {', '.join(columns)}")
