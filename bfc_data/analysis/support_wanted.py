"""Support wanted: how many organisations asked, in their returns, for each learning format."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd

from bfc_data.analysis.disclosure import check_member_view, pick, suppress, suppress_counts
from bfc_data.analysis.filters import Filters, in_reference_order
from bfc_data.analysis.maturity import sector_lines
from bfc_data.store import Store


def support_wanted_by(store: Store, by: str, filters: Filters = Filters(), threshold: int = 0) -> pd.DataFrame:
    """How many organisations asked for each learning format, by priority area or sector (counts, not levels).

    For members, a count under the threshold is hidden; by sector, with the fewest others in its format."""
    if by not in ("priority_area", "sector"):
        raise ValueError("support wanted is shown by priority_area or sector")
    if threshold > 0:
        check_member_view(filters)
        if filters.sectors:
            frame = _support_wanted_by(store, list(dict.fromkeys(["sector", by])), replace(filters, sectors=()), threshold)
            return frame[frame["sector"].isin(filters.sectors)].reset_index(drop=True) if by == "sector" \
                else pick(frame, "sector", filters.sectors)
    return _support_wanted_by(store, [by], filters, threshold)


def _support_wanted_by(store: Store, by: list[str], filters: Filters, threshold: int) -> pd.DataFrame:
    where, params = filters.where()
    groups = ", ".join(by)
    frame = store.query(f"""
        SELECT support_wanted AS learning_format, {groups}, count(DISTINCT organisation_code) AS organisations,
               count(*) AS rows_wanting
        FROM organisation_support_wanted WHERE {where}
        GROUP BY ALL""", params)  # noqa: S608 - by is checked by the caller (kept current by bfc_data.store.measures)
    order = {f: i for i, f in enumerate(store.fw.learning_formats.values)}
    frame = frame.assign(_f=frame["learning_format"].map(order))
    frame = in_reference_order(frame.sort_values("_f", kind="stable"), by[-1:], store).sort_values(["_f"], kind="stable") \
        .drop(columns="_f").reset_index(drop=True)
    keys = ["learning_format", *by]
    return suppress(frame, threshold, ["rows_wanting"], sector_lines(keys), tie=keys)


def organisations_wanting(store: Store, filters: Filters = Filters(), threshold: int = 0) -> float:
    """How many distinct organisations asked for any learning support: each counts once, however many formats and
    actions it asked for. NaN when a member may not see it.

    Organisations partition into sectors, so a member's one sector is cut from the protected table of every
    sector (its small counts hidden with the fewest others), never counted on its own."""
    if threshold <= 0:
        return float(_wanting(store, filters, by_sector=False))
    check_member_view(filters)
    by_sector = suppress_counts(_wanting(store, replace(filters, sectors=()), by_sector=True), threshold, ["organisations"],
                                [[]], tie=["sector"])
    if filters.sectors:
        shown = by_sector[by_sector["sector"].isin(filters.sectors)]["organisations"]
        return float(shown.sum()) if len(shown) and shown.notna().all() else np.nan
    total = float(by_sector["organisations"].fillna(0).sum()) if by_sector["organisations"].notna().all() \
        else float(_wanting(store, filters, by_sector=False))
    return np.nan if 0 < total < threshold else total


def _wanting(store: Store, filters: Filters, by_sector: bool):
    where, params = filters.where()
    if by_sector:
        return store.query(f"""
            SELECT sector, count(DISTINCT organisation_code) AS organisations
            FROM organisation_support_wanted WHERE {where} GROUP BY sector ORDER BY sector""", params)  # noqa: S608
    return store.scalar(f"""SELECT count(DISTINCT organisation_code) FROM organisation_support_wanted
                            WHERE {where}""", params)  # noqa: S608 - fixed columns
