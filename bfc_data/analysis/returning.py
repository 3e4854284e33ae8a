"""Who returns: organisations returning per sector and year, new and lapsed ones, and those that returned
before but not this year (names for officers; counts for members)."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd

from bfc_data.access import Viewer, require_officer
from bfc_data.analysis.disclosure import check_member_view, suppress_counts
from bfc_data.analysis.filters import Filters
from bfc_data.store import RETURNED, Store

COVERAGE_COUNTS = ["organisations", "new_organisations", "rejoined_organisations", "lapsed_organisations"]


def coverage(store: Store, filters: Filters = Filters(), threshold: int = 0) -> pd.DataFrame:
    """Per sector and year: organisations returning, new (first return ever), rejoined (returned before, but not the
    year before) and lapsed (returned the year before, not this). Returning = continuing + new + rejoined.

    Lapsed organisations are counted in the sector of their last return. For members, each count under the
    threshold is hidden, with the fewest others in its year that keep it from being worked out from the total."""
    if threshold > 0:
        check_member_view(replace(filters, years=()))
        frame = suppress_counts(coverage(store, replace(filters, sectors=(), years=())), threshold, COVERAGE_COUNTS,
                                [["reporting_year"]], tie=["sector", "reporting_year"])
        if filters.sectors:
            frame = frame[frame["sector"].isin(filters.sectors)]
        if filters.years:
            frame = frame[frame["reporting_year"].isin(filters.years)]
        return frame.reset_index(drop=True)
    sectors = list(filters.sectors)
    # Kept current with every load and restore (bfc_data.store.measures, which defines the counts).
    frame = store.query("""
        SELECT sector, reporting_year, organisations, new_organisations, rejoined_organisations, lapsed_organisations
        FROM coverage_counts WHERE (? = 0 OR list_contains(?::VARCHAR[], sector))
        ORDER BY sector, reporting_year""", [len(sectors), sectors])
    if filters.years:
        frame = frame[frame["reporting_year"].isin(filters.years)]
    return frame.astype({column: int for column in COVERAGE_COUNTS}).reset_index(drop=True)


def coverage_by_year(store: Store, filters: Filters = Filters(), threshold: int = 0) -> pd.DataFrame:
    """Per year: organisations returning, new and lapsed, over the sectors filtered.

    A member's one sector is that sector's protected row of `coverage`; all sectors are the published totals."""
    if threshold > 0 and filters.sectors:
        return coverage(store, filters, threshold).drop(columns="sector").reset_index(drop=True)
    if threshold > 0:
        check_member_view(replace(filters, years=()))
    frame = coverage(store, filters)
    totals = frame.groupby("reporting_year", as_index=False)[COVERAGE_COUNTS].sum()
    return suppress_counts(totals, threshold, COVERAGE_COUNTS)


def not_returned_total(store: Store, year: int, filters: Filters = Filters(), threshold: int = 0) -> float:
    """How many organisations that returned before have not returned this year; NaN when a member may not see it."""
    if threshold > 0 and filters.sectors:
        counts = not_returned_count(store, year, filters, threshold)["organisations"]
        return float(counts.sum()) if counts.notna().all() else np.nan
    total = float(len(_not_returned(store, year, replace(filters, sectors=()) if threshold > 0 else filters)))
    return np.nan if 0 < total < threshold else total


def not_returned_by_sector(missing: pd.DataFrame) -> pd.DataFrame:
    return missing.groupby("sector").size().rename("organisations").reset_index()


def not_returned(store: Store, viewer: Viewer | str, year: int, filters: Filters = Filters()) -> pd.DataFrame:
    """Organisations that returned in an earlier year but not this one (officers only)."""
    require_officer(viewer, "see which organisations have not returned")
    return _not_returned(store, year, filters)


def not_returned_count(store: Store, year: int, filters: Filters = Filters(), threshold: int = 0) -> pd.DataFrame:
    """How many organisations that returned before have not returned this year, by sector: no names.

    For members a sector's count under the threshold is hidden, with the fewest others that protect it."""
    if threshold <= 0:
        return not_returned_by_sector(_not_returned(store, year, filters))
    check_member_view(replace(filters, years=()))
    frame = suppress_counts(not_returned_by_sector(_not_returned(store, year, replace(filters, sectors=()))), threshold,
                            ["organisations"], [[]], tie=["sector"])
    if filters.sectors:
        frame = frame[frame["sector"].isin(filters.sectors)]
    return frame.reset_index(drop=True)


def _not_returned(store: Store, year: int, filters: Filters) -> pd.DataFrame:
    sectors = list(filters.sectors)
    return store.query(f"""
        SELECT o.organisation_code, o.organisation_name, o.sector, max(s.reporting_year) AS last_returned,
               o.contact_name, o.contact_email
        FROM organisations o JOIN {RETURNED} s USING (organisation_code)
        WHERE s.reporting_year < ?
          AND o.organisation_code NOT IN (SELECT organisation_code FROM {RETURNED} WHERE reporting_year = ?)
          AND (? = 0 OR list_contains(?::VARCHAR[], o.sector))
        GROUP BY ALL ORDER BY o.sector, o.organisation_name""", [year, year, len(sectors), sectors])  # noqa: S608 - fixed SQL
