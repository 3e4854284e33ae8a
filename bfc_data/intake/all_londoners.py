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


# The same two predicates over the current_maturity view, per organisation, reporting year and action.
TAKES_PART_SQL = "maturity_level IS NOT NULL"
COVERS_SQL = "equality_group = ? AND intersecting_group IS NULL"
MISSING_SQL = f"""
    SELECT organisation_code, any_value(organisation_name) AS organisation_name, reporting_year, action
    FROM current_maturity
    GROUP BY organisation_code, reporting_year, action
    HAVING count(*) FILTER (WHERE {TAKES_PART_SQL}) > 0 AND count(*) FILTER (WHERE {COVERS_SQL}) = 0"""
MISSING_PARAMS = [ALL_LONDONERS]
