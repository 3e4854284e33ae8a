"""The programme's figure, defined once: an organisation's own mean maturity level within a cut.

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

# What the table holds, as a query over the current returns; `{only}` narrows it to some organisations.
_ROWS = (f"SELECT {', '.join(CUT_COLUMNS)}, sum(maturity_level) AS level_sum, count(maturity_level) AS level_count "
         f"FROM current_maturity WHERE maturity_level IS NOT NULL {{only}} GROUP BY ALL")

# The same sums per organisation, year and action, over every role and group: a twelfth of the rows, and all that
# a cut by sector, priority area, action or year needs when no role or equality group is asked for.
ACTION_COLUMNS = ("organisation_code", "reporting_year", "organisation_name", "sector", "size_band", "priority_area",
                  "action", "action_number")
BY_ROLE_OR_GROUP = re.compile(r"\b(role|equality_group|intersecting_group)\b")
ACTION_TABLE = """CREATE TABLE IF NOT EXISTS organisation_action_levels (
    organisation_code VARCHAR, reporting_year INTEGER, organisation_name VARCHAR, sector VARCHAR, size_band VARCHAR,
    priority_area VARCHAR, action VARCHAR, action_number INTEGER, level_sum DOUBLE, level_count INTEGER)"""
_ACTION_ROWS = (f"SELECT {', '.join(ACTION_COLUMNS)}, sum(level_sum) AS level_sum, sum(level_count)::INTEGER AS level_count "
                f"FROM organisation_levels WHERE TRUE {{only}} GROUP BY ALL")
TABLES = (TABLE, ACTION_TABLE)

# Changing the definitions above changes this key, and every store rebuilds its tables when it next opens.
DEFINITION = hashlib.sha256((TABLE + _ROWS + ACTION_TABLE + _ACTION_ROWS).encode()).hexdigest()[:16]


def refresh(cur, organisation_codes: list[str] | None = None) -> None:
    """Bring organisation_levels (and its sums by action) up to date inside the caller's transaction: for some
    organisations, or all."""
    if organisation_codes is None:
        for table, rows in (("organisation_levels", _ROWS), ("organisation_action_levels", _ACTION_ROWS)):
            cur.execute(f"DELETE FROM {table}")  # noqa: S608 - fixed names
            cur.execute(f"INSERT INTO {table} " + rows.format(only=""))  # noqa: S608
        return
    if not organisation_codes:
        return
    only = "organisation_code IN (SELECT unnest(?::VARCHAR[]))"
    for table, rows in (("organisation_levels", _ROWS), ("organisation_action_levels", _ACTION_ROWS)):
        cur.execute(f"DELETE FROM {table} WHERE {only}", [list(organisation_codes)])  # noqa: S608
        cur.execute(f"INSERT INTO {table} " + rows.format(only="AND " + only), [list(organisation_codes)])  # noqa: S608


def live_view() -> str:
    """The same rows computed on the fly, for a read-only store whose tables are missing or out of date."""
    return ("CREATE OR REPLACE TEMP VIEW organisation_levels AS " + _ROWS.format(only="") + "; "
            "CREATE OR REPLACE TEMP VIEW organisation_action_levels AS " + _ACTION_ROWS.format(only=""))


def own_means(cut: list[str] | tuple[str, ...], where: str = "TRUE", carry: dict[str, str] | None = None,
              name: str = "organisation_mean") -> str:
    """SQL for each organisation's own mean level in each cell of `cut`: one row per organisation and cell.

    `cut` names columns of `CUT_COLUMNS` (or `column AS alias` for one under another name); `where` is a
    parameterised condition over them; `carry` adds columns that are the same on every row of an
    organisation and cell (alias -> expression, taken with any_value).
    """
    keys = [*cut, "organisation_code"]
    carried = "".join(f", any_value({expression}) AS {alias}" for alias, expression in (carry or {}).items())
    group = ", ".join(key.split(" AS ")[0] for key in keys)
    # A sum of sums is the same sum whichever table it starts from; the smaller one serves when it can.
    said = " ".join([*cut, where, *(carry or {}).values()])
    table = "organisation_levels" if BY_ROLE_OR_GROUP.search(said) else "organisation_action_levels"
    return (f"SELECT {', '.join(keys)}{carried}, sum(level_sum) / sum(level_count) AS {name} "
            f"FROM {table} WHERE ({where}) GROUP BY {group}")
