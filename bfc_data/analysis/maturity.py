"""Maturity levels over the current returns: per group, the number of organisations, the mean level and the
share at each level of the scale; and the intersectional view (equality group × intersecting group).

Mean levels follow the contract: the mean over organisations of each organisation's own mean level in the
group (`bfc_data.store.measures`). Functions members may see take a suppression `threshold` (0: nothing
suppressed) and mark the cells they hide (`bfc_data.analysis.disclosure`).
"""

from __future__ import annotations

from dataclasses import replace

import pandas as pd

from bfc_data.analysis.disclosure import check_member_view, pick, suppress
from bfc_data.analysis.filters import DIMENSIONS, Filters, dimensions, in_reference_order, latest_year
from bfc_data.store import Store
from bfc_data.store.measures import own_means


def levels(store: Store, by, filters: Filters = Filters(), threshold: int = 0) -> pd.DataFrame:
    """Per group: organisations, mean level, and the share of organisations at each level (in %).

    An organisation's level, for the shares, is its own mean level in the group rounded to the
    nearest level (halves up). Empty filters on years mean every year: pass `filters.only_year`.
    """
    by = dimensions(by)
    if threshold > 0:
        check_member_view(filters, by)
    if threshold > 0 and filters.sectors:
        # A member's one sector is cut from the table of every sector, protected along the sector line, so
        # that each cell is hidden in every view that shows it or in none.
        frame = levels(store, list(dict.fromkeys(by + ["sector"])), replace(filters, sectors=()), threshold)
        return frame[frame["sector"].isin(filters.sectors)].reset_index(drop=True) if "sector" in by \
            else pick(frame, "sector", filters.sectors)
    frame = _levels(store, by, filters)
    return suppress(frame, threshold, ["mean_level", *store.fw.level_shares], sector_lines(by), tie=by)


def sector_lines(by: list[str]) -> list[list[str]]:
    """The additive lines of a table: the sectors of each cut add up to the cut's total."""
    return [[b for b in by if b != "sector"]] if "sector" in by else []


def _levels(store: Store, by: list[str], filters: Filters) -> pd.DataFrame:
    names = ", ".join(by)
    where, params = filters.where()
    frame = store.query(f"""
        WITH organisation_means AS ({own_means([f"{DIMENSIONS[b]} AS {b}" for b in by], where)})
        SELECT {names}, count(*) AS organisations, avg(organisation_mean) AS mean_level,
            {", ".join(f"100.0 * count(*) FILTER (WHERE floor(organisation_mean + 0.5) = {level}) / count(*) AS {share}"
                       for level, share in zip(store.fw.levels, store.fw.level_shares))}
        FROM organisation_means GROUP BY ALL""", params)  # noqa: S608 - names come from DIMENSIONS
    frame = in_reference_order(frame, by, store)
    frame["mean_level"] = frame["mean_level"].round(2)
    return frame


def mean_level_by(store: Store, by: str, year: int | None = None) -> pd.DataFrame:
    """`<by>`, organisations, mean_level over the current returns: the CLI's summary.

    `year` defaults to the latest reporting year; with by='reporting_year', every year is shown.
    """
    dimensions(by)
    filters = Filters() if by == "reporting_year" else Filters().only_year(latest_year(store) if year is None else year)
    return levels(store, by, filters)[[by, "organisations", "mean_level"]]


def intersectional(store: Store, filters: Filters = Filters(), threshold: int = 0) -> pd.DataFrame:
    """Mean level of rows that name two groups at once: equality group × intersecting group."""
    if threshold > 0:
        check_member_view(filters)
        if filters.sectors:
            return pick(_intersectional(store, replace(filters, sectors=()), threshold, by_sector=True), "sector", filters.sectors)
    return _intersectional(store, filters, threshold)


def _intersectional(store: Store, filters: Filters, threshold: int, by_sector: bool = False) -> pd.DataFrame:
    sector = "sector, " if by_sector else ""
    where, params = filters.where()
    frame = store.query(f"""
        WITH organisation_means AS ({own_means(["sector"] * by_sector + ["equality_group", "intersecting_group"],
                                               f"intersecting_group IS NOT NULL AND {where}")})
        SELECT {sector}equality_group, intersecting_group, count(*) AS organisations, round(avg(organisation_mean), 2) AS mean_level
        FROM organisation_means GROUP BY ALL ORDER BY {sector}equality_group, intersecting_group""", params)  # noqa: S608
    keys = ["sector"] * by_sector + ["equality_group", "intersecting_group"]
    return suppress(frame, threshold, ["mean_level"], sector_lines(keys), tie=keys)
