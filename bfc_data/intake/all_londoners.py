"""The contract's All Londoners rule, defined once: an action a return takes part in (a level on any of its
rows) needs an 'All Londoners' row that names no intersecting group.

The intake warns about it file by file, row by row; the data-quality page lists it across the stored returns,
where DuckDB does the grouping. Both renderings sit here, built from the same two predicates, and a test
holds them to the same answer on the sample returns.
"""

from __future__ import annotations

from collections.abc import Iterable

from bfc_data.reference.framework import ALL_LONDONERS


def takes_part(row: dict) -> bool:
    return row["maturity_level"] is not None


def covers_all_londoners(row: dict) -> bool:
    return row["equality_group"] == ALL_LONDONERS and not row["intersecting_group"]


def missing(rows: Iterable[dict]) -> dict[str, int]:
    """The actions of one return taken part in without an All Londoners row, each with its first row with a level."""
    first_with_level: dict[str, int] = {}
    covered: set[str] = set()
    for row in rows:
        if takes_part(row):
            first_with_level.setdefault(row["action"], row["source_row"])
        if covers_all_londoners(row):
            covered.add(row["action"])
    return {action: first for action, first in first_with_level.items() if action not in covered}


# The same two predicates over the current returns' rows (the current_maturity view's, read straight from its
# tables: the view's join to the register is not needed here), per organisation, reporting year and action.
TAKES_PART_SQL = "maturity_level IS NOT NULL"
COVERS_SQL = "equality_group = ? AND intersecting_group IS NULL"
# Per organisation, reporting year and action of the current returns: how many rows take part, how many cover All
# Londoners. `{only}` narrows the rows read (a reporting year, say); the data-quality checks read this once.
PER_ACTION_SQL = f"""
    SELECT s.organisation_code, any_value(s.organisation_name) AS organisation_name, s.reporting_year, m.action,
           any_value(a.action_number) AS action_number, count(*) FILTER (WHERE {TAKES_PART_SQL}) AS taking_part,
           count(*) FILTER (WHERE {COVERS_SQL}) AS covering
    FROM maturity_scores m JOIN current_maturity_submissions s USING (submission_id) LEFT JOIN ref_actions a USING (action)
    WHERE {{only}}
    GROUP BY s.organisation_code, s.reporting_year, m.action"""
MISSING_SQL = f"""
    SELECT organisation_code, organisation_name, reporting_year, action
    FROM ({PER_ACTION_SQL.format(only="TRUE")}) WHERE taking_part > 0 AND covering = 0"""
MISSING_PARAMS = [ALL_LONDONERS]
