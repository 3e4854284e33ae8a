"""Progress over the years: the trend of mean levels, distance travelled (first to latest return), movement
between levels (transitions and the published movement bands) and the biggest movers."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd

from bfc_data.access import Viewer, require_officer
from bfc_data.analysis.disclosure import DisclosureRefused, check_member_view, suppress
from bfc_data.analysis.filters import Filters
from bfc_data.analysis.maturity import levels
from bfc_data.store import Store
from bfc_data.store.measures import own_means


def trend(store: Store, by: str | None, filters: Filters = Filters(), threshold: int = 0) -> pd.DataFrame:
    """Mean level per reporting year (and group), with the change from the group's previous year."""
    dims = ([by] if by else []) + ["reporting_year"]
    frame = levels(store, dims, replace(filters), threshold)
    frame = frame.sort_values(dims, kind="stable") if not by else frame
    group = frame.groupby(by, sort=False)["mean_level"] if by else frame["mean_level"]
    frame["change"] = (group.diff() if by else group.diff()).round(2)
    return frame.reset_index(drop=True)


def _level_pairs(store: Store, from_year: int, to_year: int, filters: Filters) -> pd.DataFrame:
    """How many organisations that returned in both years stood at each pair of levels (own means, rounded halves up)."""
    where, params = replace(filters, years=(from_year, to_year)).where()
    return store.query(f"""
        WITH m AS ({own_means(["reporting_year"], where, name="mean_level")})
        SELECT floor(a.mean_level + 0.5)::BIGINT AS from_level, floor(b.mean_level + 0.5)::BIGINT AS to_level,
               count(*) AS organisations
        FROM m a JOIN m b ON a.organisation_code = b.organisation_code AND a.reporting_year = ? AND b.reporting_year = ?
        GROUP BY ALL ORDER BY from_level, to_level""", params + [from_year, to_year])  # noqa: S608


def distance_travelled(store: Store, viewer: Viewer | str, filters: Filters = Filters()) -> pd.DataFrame:
    """Per organisation with two or more returns: its first and latest year and the change between them (officers)."""
    require_officer(viewer, "see organisations' distance travelled")
    return _distance_travelled(store, filters)


def _distance_travelled(store: Store, filters: Filters) -> pd.DataFrame:
    sql, params = _distances(filters)
    return store.query(f"{sql} ORDER BY organisation_code", params)  # noqa: S608 - built from fixed columns


def _distances(filters: Filters) -> tuple[str, list]:
    """Distance travelled, defined once: per organisation with two or more returns among the years chosen, its
    first and latest year, its own mean level in each (to 2 places) and the change between them; its name and
    sector are those of its latest return."""
    where, params = replace(filters, years=()).where()
    year_filter = ""
    if filters.years:
        year_filter = "WHERE list_contains(?::INTEGER[], reporting_year)"
        params = params + [list(filters.years)]
    own = own_means(["reporting_year"], where, {"organisation_name": "organisation_name", "sector": "sector"},
                    name="level")
    sql = f"""
        WITH own AS ({own}), kept AS (SELECT * FROM own {year_filter})
        SELECT organisation_code, arg_max(organisation_name, reporting_year) AS organisation_name,
               arg_max(sector, reporting_year) AS sector, min(reporting_year) AS first_year, max(reporting_year) AS latest_year,
               round(arg_min(level, reporting_year), 2) AS first_level, round(arg_max(level, reporting_year), 2) AS latest_level,
               count(*) AS returns,
               round(round(arg_max(level, reporting_year), 2) - round(arg_min(level, reporting_year), 2), 2) AS distance
        FROM kept GROUP BY organisation_code HAVING count(*) >= 2"""
    return sql, params


def distance_by(store: Store, by: str, filters: Filters = Filters(), threshold: int = 0) -> pd.DataFrame:
    """Mean distance travelled by the organisations of each sector (their sector in their latest year)."""
    if by != "sector":
        raise ValueError("distance travelled is grouped by sector")
    if threshold > 0:
        check_member_view(replace(filters, years=()), [by])
        if filters.sectors:
            frame = distance_by(store, by, replace(filters, sectors=()), threshold)
            return frame[frame["sector"].isin(filters.sectors)].reset_index(drop=True)
    span, params = _distances(filters)
    frame = store.query(f"""
        SELECT sector, count(*) AS organisations, round(avg(distance), 2) AS mean_distance,
               count(*) FILTER (WHERE distance > 0) AS moved_up
        FROM ({span}) GROUP BY sector ORDER BY sector""", params)  # noqa: S608 - built from fixed columns
    return suppress(frame, threshold, ["mean_distance", "moved_up"], [[]], tie=["sector"])


def transitions(store: Store, from_year: int, to_year: int, filters: Filters = Filters(), threshold: int = 0) -> pd.DataFrame:
    """How many organisations moved from each level to each level between two years (rounded own means).

    Only organisations that returned in both years count. Cells under the threshold are hidden, with the
    fewest others that keep them from being worked out from the published movement bands.
    """
    if threshold > 0:
        _check_movement_view(filters)
    return protected_transitions(_level_pairs(store, from_year, to_year, filters), threshold)


def with_movement(pairs: pd.DataFrame) -> pd.DataFrame:
    """Level pairs (from_level, to_level, organisations) with the movement each is: moved up, stayed or slipped."""
    pairs["movement"] = np.select([pairs["to_level"] > pairs["from_level"], pairs["to_level"] < pairs["from_level"]],
                                  ["moved up", "slipped"], default="stayed")
    return pairs


def protected_transitions(pairs: pd.DataFrame, threshold: int) -> pd.DataFrame:
    """The transitions table from level pairs (from_level, to_level, organisations), small cells protected."""
    if pairs.empty:
        return pd.DataFrame(columns=["from_level", "to_level", "organisations", "movement", "suppressed", "suppression"])
    frame = with_movement(pairs)
    frame["organisations"] = frame["organisations"].astype(float)
    frame["count"] = frame["organisations"]
    # The published totals of these flows are the movement bands (as `movement` publishes them) and the whole:
    # each is a line to protect. How many organisations stood at each level in just these organisations is
    # published nowhere (the level shares cover every organisation of a year), so rows and columns are not lines.
    counts = frame.groupby("movement")["organisations"].sum().reindex(list(MOVEMENTS), fill_value=0).astype(int).to_dict()
    frame["band"] = frame["movement"].map(published_bands(counts, threshold))
    frame = suppress(frame, threshold, ["organisations"], [["band"], []], count="count", tie=["from_level", "to_level"])
    return frame.drop(columns=["band", "count"])


def _check_movement_view(filters: Filters) -> None:
    check_member_view(replace(filters, years=()))
    if filters.sectors:
        # Flows of one sector add up, over sectors, to the flows of all: a third line through every cell that
        # the members' table does not protect. Members see movement across all sectors.
        raise DisclosureRefused("Board members see movement between levels across all sectors, not for one sector: "
                                "for one sector the flows are too small to publish safely.")


MOVEMENTS = ("moved up", "stayed", "slipped")


def published_bands(counts: dict[str, int], threshold: int) -> dict[str, str]:
    """Which published band each movement is counted in: its own, or combined with 'stayed' when too small.

    A category with fewer organisations than the threshold is not hidden but combined with 'stayed'
    ("stayed or slipped"), so the others can still be read and the small count cannot be worked out
    from the total. If even that is too small, only the total is given."""
    bands = {m: m for m in MOVEMENTS}
    if threshold <= 0:
        return bands
    small = [m for m in ("moved up", "slipped") if 0 < counts[m] < threshold]
    if small:
        label = "stayed or " + " or ".join(small)
        for m in ["stayed", *small]:
            bands[m] = label
    totals: dict[str, int] = {}
    for m, label in bands.items():
        totals[label] = totals.get(label, 0) + counts[m]
    if len(totals) == 1 or any(0 < n < threshold for n in totals.values()):
        bands = {m: "all organisations in both years" for m in MOVEMENTS}
    return bands


def movement(store: Store, from_year: int, to_year: int, filters: Filters = Filters(), threshold: int = 0) -> pd.DataFrame:
    """How many organisations moved up a level, stayed, or slipped between two years (see `published_bands`)."""
    if threshold > 0:
        _check_movement_view(filters)
    cells = transitions(store, from_year, to_year, filters)
    counts = cells.groupby("movement")["organisations"].sum().reindex(list(MOVEMENTS), fill_value=0).astype(int).to_dict()
    bands = published_bands(counts, threshold)
    rows: dict[str, dict] = {}
    for m in MOVEMENTS:
        label = bands[m]
        row = rows.setdefault(label, {"movement": label, "organisations": 0, "suppressed": False,
                                      "suppression": None if label in MOVEMENTS else "combined"})
        row["organisations"] += counts[m]
    frame = pd.DataFrame(list(rows.values()))
    frame["organisations"] = frame["organisations"].astype(float)
    if len(rows) == 1:
        total = frame.loc[0, "organisations"]
        frame.loc[0, "suppressed"] = 0 < total < threshold
        frame.loc[frame["suppressed"], "organisations"] = np.nan
    return frame


def biggest_movers(store: Store, by: str, year: int, filters: Filters = Filters(), threshold: int = 0, count: int = 5) -> pd.DataFrame:
    """The groups whose mean level changed most since the year before (both years shown, with the change)."""
    return movers(levels(store, [by, "reporting_year"], replace(filters, years=(year - 1, year)), threshold), by, year, count)


def movers(frame: pd.DataFrame, by: str, year: int, count: int = 5) -> pd.DataFrame:
    """From mean levels by `by` and year: the `count` groups whose level changed most since the year before."""
    # One row per group and year: the two years side by side, groups in order (a pivot table took half the time).
    shown = frame[frame["mean_level"].notna()]
    before, after = (shown[shown["reporting_year"] == y].set_index(by)["mean_level"] for y in (year - 1, year))
    if before.empty or after.empty:
        return pd.DataFrame(columns=[by, "before", "after", "change"])
    wide = pd.concat({"before": before, "after": after}, axis=1, join="inner").sort_index()
    result = pd.DataFrame({by: wide.index, "before": wide["before"].values, "after": wide["after"].values})
    result["change"] = (result["after"] - result["before"]).round(2)
    return result.reindex(result["change"].abs().sort_values(ascending=False).index).head(count).reset_index(drop=True)
