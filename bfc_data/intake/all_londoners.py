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


# The same two predicates over the current returns' rows, per organisation, reporting year and action. An action taken
# part in (a level on any row) is one of the kept organisation_action_levels' rows, and an All Londoners row with a
# level one of organisation_levels' (bfc_data.store.measures keeps both current with every load): only the rows with
# no level, few, are read from the scores. Rows are the actions taken part in with no All Londoners row
# (`taking_part`) and the actions listed with no level anywhere (not `taking_part`).
TAKES_PART_SQL = "maturity_level IS NOT NULL"
COVERS_SQL = "equality_group = ? AND intersecting_group IS NULL"
_CHECKS_SQL = f"""
    WITH unlevelled AS MATERIALIZED (
        SELECT s.organisation_code, any_value(s.organisation_name) AS organisation_name, s.reporting_year, m.action,
               bool_or({COVERS_SQL}) AS covering
        FROM maturity_scores m JOIN current_maturity_submissions s USING (submission_id)
        WHERE NOT ({TAKES_PART_SQL}) AND {{only}} GROUP BY s.organisation_code, s.reporting_year, m.action),
    taking_part AS MATERIALIZED (
        SELECT organisation_code, organisation_name, reporting_year, action, action_number
        FROM organisation_action_levels WHERE {{only}}),
    covered AS (
        SELECT organisation_code, reporting_year, action FROM organisation_levels WHERE {COVERS_SQL} AND {{only}}
        UNION ALL SELECT organisation_code, reporting_year, action FROM unlevelled WHERE covering)
    SELECT organisation_code, organisation_name, reporting_year, action, action_number, TRUE AS taking_part
    FROM taking_part ANTI JOIN covered USING (organisation_code, reporting_year, action)
    UNION ALL
    SELECT u.organisation_code, u.organisation_name, u.reporting_year, u.action, a.action_number, FALSE AS taking_part
    FROM (SELECT * FROM unlevelled ANTI JOIN taking_part USING (organisation_code, reporting_year, action)) u
    LEFT JOIN ref_actions a USING (action)"""


def per_action_checks(only: str = "TRUE", params: list | tuple = ()) -> tuple[str, list]:
    """SQL and its parameters for both checks over the current returns; `only` narrows them (a reporting year, say),
    a condition over `reporting_year` with `params`."""
    return _CHECKS_SQL.format(only=only), [ALL_LONDONERS, *params, *params, ALL_LONDONERS, *params]
