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

# Changing the definition above changes this key, and every store rebuilds its table when it next opens.
DEFINITION = hashlib.sha256((TABLE + _ROWS).encode()).hexdigest()[:16]


def refresh(cur, organisation_codes: list[str] | None = None) -> None:
    """Bring organisation_levels up to date inside the caller's transaction: for some organisations, or all."""
    if organisation_codes is None:
        cur.execute("DELETE FROM organisation_levels")
        cur.execute("INSERT INTO organisation_levels " + _ROWS.format(only=""))
        return
    if not organisation_codes:
        return
    only = "organisation_code IN (SELECT unnest(?::VARCHAR[]))"
    cur.execute(f"DELETE FROM organisation_levels WHERE {only}", [list(organisation_codes)])
    cur.execute("INSERT INTO organisation_levels " + _ROWS.format(only="AND " + only), [list(organisation_codes)])


def live_view() -> str:
    """The same rows computed on the fly, for a read-only store whose table is missing or out of date."""
    return "CREATE OR REPLACE TEMP VIEW organisation_levels AS " + _ROWS.format(only="")


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
    return (f"SELECT {', '.join(keys)}{carried}, sum(level_sum) / sum(level_count) AS {name} "
            f"FROM organisation_levels WHERE ({where}) GROUP BY {group}")
