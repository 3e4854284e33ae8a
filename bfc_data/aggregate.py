"""Figures over the current returns. DuckDB does the scanning and grouping; pandas the shaping."""

from __future__ import annotations

import pandas as pd

from .store import Store

# The dimensions a summary may be cut by: option name -> SQL expression over current_maturity.
DIMENSIONS = {
    "sector": "m.sector",
    "priority_area": "m.priority_area",
    "action": "m.action",
    "role": "m.role",
    "equality_group": "m.equality_group",
    "year": "m.reporting_year",
}


def latest_year(store: Store) -> int | None:
    return store.scalar("SELECT max(reporting_year) FROM current_maturity_submissions")


def mean_level_by(store: Store, by: str, year: int | None = None) -> pd.DataFrame:
    """Per group: how many organisations, and the mean over organisations of each one's own mean level.

    Each organisation counts once, however many rows it sent; blank levels are left out.
    `year` defaults to the latest reporting year; with by='year', every year is shown.
    """
    if by not in DIMENSIONS:
        raise ValueError(f"cannot summarise by '{by}'; choose one of {', '.join(DIMENSIONS)}")
    expression = DIMENSIONS[by]
    params: list = []
    where = "maturity_level IS NOT NULL"
    if by != "year":
        year = latest_year(store) if year is None else year
        where += " AND reporting_year = ?"
        params.append(year)
    order = {"action": "min(action_number)", "priority_area": "min(area_position)"}.get(by, "1")
    frame = store.query(f"""
        WITH organisation_means AS (
            SELECT {expression} AS grp, organisation_code, avg(maturity_level) AS organisation_mean,
                   min(a.action_number) AS action_number, min(p.position) AS area_position
            FROM current_maturity m
            LEFT JOIN ref_actions a USING (action)
            LEFT JOIN ref_priority_areas p ON p.priority_area = m.priority_area
            WHERE {where}
            GROUP BY ALL
        )
        SELECT grp AS "{by}", count(*) AS organisations, round(avg(organisation_mean), 2) AS mean_level
        FROM organisation_means GROUP BY grp ORDER BY {order}, grp""", params)  # noqa: S608 - names from DIMENSIONS
    return frame
