"""Figures over the current returns. DuckDB does the scanning and grouping; pandas the shaping.

Every function takes `Filters` and returns a tidy frame. Mean levels follow the contract: the
mean over organisations of each organisation's own mean level in the group (each organisation
counts once; blank levels are left out). Functions that members may see take a suppression
`threshold` (0: nothing suppressed) and mark the cells they hide (see `suppress`).
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace

import numpy as np
import pandas as pd

from bfc_data.access import Viewer, require_officer
from bfc_data.analysis.disclosure import DisclosureRefused, check_member_view, pick, suppress, suppress_counts
from bfc_data.store.measures import own_means
from bfc_data.store import Store

# Dimension name (as on screen and in the CLI) -> column of the current_maturity view.
DIMENSIONS = {
    "sector": "sector",
    "priority_area": "priority_area",
    "action": "action",
    "role": "role",
    "equality_group": "equality_group",
    "size_band": "size_band",
    "year": "reporting_year",
}


@dataclass(frozen=True)
class Filters:
    """What to include; an empty tuple means everything."""

    years: tuple[int, ...] = ()
    sectors: tuple[str, ...] = ()
    priority_areas: tuple[str, ...] = ()
    actions: tuple[str, ...] = ()
    roles: tuple[str, ...] = ()
    equality_groups: tuple[str, ...] = ()
    size_bands: tuple[str, ...] = ()

    _COLUMNS = {"years": "reporting_year", "sectors": "sector", "priority_areas": "priority_area", "actions": "action",
                "roles": "role", "equality_groups": "equality_group", "size_bands": "size_band"}

    def where(self, skip: tuple[str, ...] = (), prefix: str = "") -> tuple[str, list]:
        """A parameterised SQL condition over current_maturity's columns."""
        clauses, params = ["TRUE"], []
        for item in fields(self):
            values = getattr(self, item.name)
            if not values or item.name in skip:
                continue
            kind = "INTEGER" if item.name == "years" else "VARCHAR"
            clauses.append(f"{prefix}{self._COLUMNS[item.name]} IN (SELECT unnest(?::{kind}[]))")
            params.append(list(values))
        return " AND ".join(clauses), params

    def only_year(self, year: int | None) -> "Filters":
        return self if year is None else replace(self, years=(int(year),))

    def is_empty(self) -> bool:
        return not any(getattr(self, f.name) for f in fields(self))


def _dimensions(by) -> list[str]:
    by = [by] if isinstance(by, str) else list(by)
    for name in by:
        if name not in DIMENSIONS:
            raise ValueError(f"cannot summarise by '{name}'; choose one of {', '.join(DIMENSIONS)}")
    return by


def years(store: Store) -> list[int]:
    return [int(y) for y in store.query("SELECT DISTINCT reporting_year FROM current_maturity_submissions ORDER BY 1")["reporting_year"]]


def latest_year(store: Store) -> int | None:
    return store.scalar("SELECT max(reporting_year) FROM current_maturity_submissions")


def _order(frame: pd.DataFrame, by: list[str], store: Store) -> pd.DataFrame:
    """Reference order for actions and priority areas; alphabetical otherwise."""
    keys = []
    for name in by:
        if name == "action":
            keys.append(frame[name].str[1:].astype(int))
        elif name == "priority_area":
            order = {a: i for i, a in enumerate(store.fw.priority_areas)}
            keys.append(frame[name].map(order))
        else:
            keys.append(frame[name])
    if not by or frame.empty:
        return frame.reset_index(drop=True)
    ordering = pd.DataFrame({f"k{i}": k.values for i, k in enumerate(keys)})
    return frame.iloc[ordering.sort_values(list(ordering.columns), kind="stable").index].reset_index(drop=True)


def levels(store: Store, by, filters: Filters = Filters(), threshold: int = 0) -> pd.DataFrame:
    """Per group: organisations, mean level, and the share of organisations at each level (in %).

    An organisation's level, for the shares, is its own mean level in the group rounded to the
    nearest level (halves up). Empty filters on years mean every year: pass `filters.only_year`.
    """
    by = _dimensions(by)
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
    frame = _order(frame, by, store)
    frame["mean_level"] = frame["mean_level"].round(2)
    return frame


def mean_level_by(store: Store, by: str, year: int | None = None) -> pd.DataFrame:
    """`<by>`, organisations, mean_level over the current returns: the CLI's summary.

    `year` defaults to the latest reporting year; with by='year', every year is shown.
    """
    _dimensions(by)
    filters = Filters() if by == "year" else Filters().only_year(latest_year(store) if year is None else year)
    return levels(store, by, filters)[[by, "organisations", "mean_level"]]


def trend(store: Store, by: str | None, filters: Filters = Filters(), threshold: int = 0) -> pd.DataFrame:
    """Mean level per reporting year (and group), with the change from the group's previous year."""
    dims = ([by] if by else []) + ["year"]
    frame = levels(store, dims, replace(filters), threshold)
    frame = frame.sort_values(dims, kind="stable") if not by else frame
    group = frame.groupby(by, sort=False)["mean_level"] if by else frame["mean_level"]
    frame["change"] = (group.diff() if by else group.diff()).round(2)
    return frame.reset_index(drop=True)


def _organisation_means(store: Store, filters: Filters) -> pd.DataFrame:
    where, params = filters.where()
    return store.query(f"""
        SELECT organisation_code, organisation_name, sector, year, mean_level
        FROM ({own_means(["reporting_year AS year"], where, {"organisation_name": "organisation_name", "sector": "sector"},
                         name="mean_level")})
        ORDER BY organisation_code, year""", params)  # noqa: S608


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
        year_filter = "WHERE year IN (SELECT unnest(?::INTEGER[]))"
        params = params + [list(filters.years)]
    own = own_means(["reporting_year AS year"], where, {"organisation_name": "organisation_name", "sector": "sector"},
                    name="level")
    sql = f"""
        WITH own AS ({own}), kept AS (SELECT * FROM own {year_filter})
        SELECT organisation_code, arg_max(organisation_name, year) AS organisation_name, arg_max(sector, year) AS sector,
               min(year) AS first_year, max(year) AS latest_year, round(arg_min(level, year), 2) AS first_level,
               round(arg_max(level, year), 2) AS latest_level, count(*) AS returns,
               round(round(arg_max(level, year), 2) - round(arg_min(level, year), 2), 2) AS distance
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
    means = _organisation_means(store, replace(filters, years=(from_year, to_year)))
    wide = means.pivot_table(index="organisation_code", columns="year", values="mean_level")
    if from_year not in wide.columns or to_year not in wide.columns:
        return pd.DataFrame(columns=["from_level", "to_level", "organisations", "movement", "suppressed", "suppression"])
    wide = wide.dropna(subset=[from_year, to_year])
    pairs = pd.DataFrame({"from_level": np.floor(wide[from_year] + 0.5).astype(int), "to_level": np.floor(wide[to_year] + 0.5).astype(int)})
    frame = pairs.value_counts().rename("organisations").reset_index().sort_values(["from_level", "to_level"]).reset_index(drop=True)
    frame["organisations"] = frame["organisations"].astype(float)
    frame["movement"] = np.select([frame["to_level"] > frame["from_level"], frame["to_level"] < frame["from_level"]],
                                  ["moved up", "slipped"], default="stayed")
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
    frame = levels(store, [by, "year"], replace(filters, years=(year - 1, year)), threshold)
    wide = frame.pivot_table(index=by, columns="year", values="mean_level")
    if year - 1 not in wide.columns or year not in wide.columns:
        return pd.DataFrame(columns=[by, "before", "after", "change"])
    wide = wide.dropna(subset=[year - 1, year])
    result = pd.DataFrame({by: wide.index, "before": wide[year - 1].values, "after": wide[year].values})
    result["change"] = (result["after"] - result["before"]).round(2)
    return result.reindex(result["change"].abs().sort_values(ascending=False).index).head(count).reset_index(drop=True)


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


def metric_trend(store: Store, metric: str, filters: Filters = Filters(), threshold: int = 0) -> pd.DataFrame:
    """A metric by equality group and year: organisations reporting, mean and median value, and whether it got better.

    For a yes/no metric, `mean_value` is the percentage of organisations answering yes. The change and its
    direction are worked out after suppression, so a hidden year gives no change on either side of it."""
    if metric not in store.fw.metrics:
        raise ValueError(f"there is no metric '{metric}'")
    if threshold > 0:
        check_member_view(filters, ["year"])
    by_sector = threshold > 0 and bool(filters.sectors)
    clauses, params = ["m.metric = ?"], [metric]
    for name, column in (("years", "m.reporting_year"), ("sectors", "o.sector"), ("size_bands", "o.size_band"),
                         ("equality_groups", "m.equality_group")):
        values = getattr(filters, name)
        if values and not (by_sector and name == "sectors"):
            kind = "INTEGER" if name == "years" else "VARCHAR"
            clauses.append(f"{column} IN (SELECT unnest(?::{kind}[]))")
            params.append(list(values))
    sector = "o.sector, " if by_sector else ""
    frame = store.query(f"""
        SELECT {sector}m.equality_group, m.reporting_year AS year, count(DISTINCT m.organisation_code) AS organisations,
               avg(m.value) AS mean_value, median(m.value) AS median_value
        FROM current_metrics m LEFT JOIN organisations o USING (organisation_code)
        WHERE {" AND ".join(clauses)}
        GROUP BY ALL ORDER BY m.equality_group, year""", params)  # noqa: S608 - fixed columns
    better = store.fw.metrics[metric].better
    if store.fw.metrics[metric].unit == "yes/no":
        # For a yes/no metric the mean is the share answering yes, shown as a percentage; a median says nothing.
        frame["mean_value"] = frame["mean_value"] * 100
        frame["median_value"] = np.nan
    frame[["mean_value", "median_value"]] = frame[["mean_value", "median_value"]].round(2)
    keys = ["sector"] * by_sector + ["equality_group", "year"]
    frame = suppress(frame, threshold, ["mean_value", "median_value"], sector_lines(keys), tie=keys)
    if by_sector:
        frame = pick(frame, "sector", filters.sectors)
    frame["change"] = frame.groupby("equality_group")["mean_value"].diff().round(2)
    sign = 1 if better == "higher" else -1
    frame["direction"] = np.select([frame["change"] * sign > 0, frame["change"] * sign < 0, frame["change"] == 0],
                                   ["better", "worse", "no change"], default="")
    columns = ["equality_group", "year", "organisations", "mean_value", "median_value", "change", "direction",
               "suppressed", "suppression"]
    return frame[columns]


COVERAGE_COUNTS = ["organisations", "new_organisations", "lapsed_organisations"]


def coverage(store: Store, filters: Filters = Filters(), threshold: int = 0) -> pd.DataFrame:
    """Per sector and year: organisations returning, new (first return ever) and lapsed (returned the year before, not this).

    Lapsed organisations are counted in the sector of their last return. For members, each count under the
    threshold is hidden, with the fewest others in its year that keep it from being worked out from the total."""
    if threshold > 0:
        check_member_view(replace(filters, years=()))
        frame = suppress_counts(coverage(store, replace(filters, sectors=(), years=())), threshold, COVERAGE_COUNTS,
                                [["year"]], tie=["sector", "year"])
        if filters.sectors:
            frame = frame[frame["sector"].isin(filters.sectors)]
        if filters.years:
            frame = frame[frame["year"].isin(filters.years)]
        return frame.reset_index(drop=True)
    sectors = list(filters.sectors)
    frame = store.query("""
        WITH returned AS (
            SELECT organisation_code, reporting_year AS year, sector FROM current_maturity_submissions),
        firsts AS (SELECT organisation_code, min(year) AS first_year FROM returned GROUP BY 1),
        lapsed AS (
            SELECT r.organisation_code, r.year + 1 AS year, r.sector FROM returned r
            WHERE r.year + 1 <= (SELECT max(year) FROM returned)
              AND NOT EXISTS (SELECT 1 FROM returned n WHERE n.organisation_code = r.organisation_code AND n.year = r.year + 1))
        SELECT sector, year, sum(returned) AS organisations, sum(new) AS new_organisations,
               sum(lapsed) AS lapsed_organisations FROM (
            SELECT r.sector, r.year, 1 AS returned, CASE WHEN f.first_year = r.year THEN 1 ELSE 0 END AS new, 0 AS lapsed
            FROM returned r JOIN firsts f USING (organisation_code)
            UNION ALL
            SELECT sector, year, 0, 0, 1 FROM lapsed)
        WHERE (? = 0 OR sector IN (SELECT unnest(?::VARCHAR[])))
        GROUP BY ALL ORDER BY sector, year""", [len(sectors), sectors])
    if filters.years:
        frame = frame[frame["year"].isin(filters.years)]
    return frame.astype({"organisations": int, "new_organisations": int, "lapsed_organisations": int}).reset_index(drop=True)


def coverage_by_year(store: Store, filters: Filters = Filters(), threshold: int = 0) -> pd.DataFrame:
    """Per year: organisations returning, new and lapsed, over the sectors filtered.

    A member's one sector is that sector's protected row of `coverage`; all sectors are the published totals."""
    if threshold > 0 and filters.sectors:
        return coverage(store, filters, threshold).drop(columns="sector").reset_index(drop=True)
    if threshold > 0:
        check_member_view(replace(filters, years=()))
    frame = coverage(store, filters)
    totals = frame.groupby("year", as_index=False)[COVERAGE_COUNTS].sum()
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
    return store.query("""
        SELECT o.organisation_code, o.organisation_name, o.sector, max(s.reporting_year) AS last_returned,
               o.contact_name, o.contact_email
        FROM organisations o JOIN current_maturity_submissions s USING (organisation_code)
        WHERE s.reporting_year < ?
          AND o.organisation_code NOT IN (SELECT organisation_code FROM current_maturity_submissions WHERE reporting_year = ?)
          AND (? = 0 OR o.sector IN (SELECT unnest(?::VARCHAR[])))
        GROUP BY ALL ORDER BY o.sector, o.organisation_name""", [year, year, len(sectors), sectors])


def support_demand(store: Store, by: str, filters: Filters = Filters(), threshold: int = 0) -> pd.DataFrame:
    """How many organisations asked for each learning format, by priority area or sector (counts, not levels).

    For members, a count under the threshold is hidden; by sector, with the fewest others in its format."""
    if by not in ("priority_area", "sector"):
        raise ValueError("support wanted is shown by priority_area or sector")
    if threshold > 0:
        check_member_view(filters)
        if filters.sectors:
            frame = _support_demand(store, list(dict.fromkeys(["sector", by])), replace(filters, sectors=()), threshold)
            return frame[frame["sector"].isin(filters.sectors)].reset_index(drop=True) if by == "sector" \
                else pick(frame, "sector", filters.sectors)
    return _support_demand(store, [by], filters, threshold)


def _support_demand(store: Store, by: list[str], filters: Filters, threshold: int) -> pd.DataFrame:
    where, params = filters.where()
    groups = ", ".join(by)
    frame = store.query(f"""
        SELECT support_wanted AS learning_format, {groups}, count(DISTINCT organisation_code) AS organisations,
               count(*) AS requests
        FROM current_maturity WHERE support_wanted IS NOT NULL AND {where}
        GROUP BY ALL""", params)  # noqa: S608 - by is checked by the caller
    order = {f: i for i, f in enumerate(store.fw.learning_formats.values)}
    frame = frame.assign(_f=frame["learning_format"].map(order))
    frame = _order(frame.sort_values("_f", kind="stable"), by[-1:], store).sort_values(["_f"], kind="stable") \
        .drop(columns="_f").reset_index(drop=True)
    keys = ["learning_format", *by]
    return suppress(frame, threshold, ["requests"], sector_lines(keys), tie=keys)
