"""The baseline of the query benchmark: what a competent analyst would write in pandas for the same figures.

The current returns are held in memory, as frames with categorical columns (loading them is not timed, as
opening the store is not timed for ours): every score of the current returns, and the current returns
themselves. Each figure is worked out from them as the contract defines it: each organisation's own mean in
each cell first (blank levels left out), then the count, the mean and the share at each level. The same
protection of small groups is then applied to the result with the dashboard's own functions (`suppress`,
`suppress_counts`, `published_bands`, `protected_transitions`), and rows are put in the same order
(`in_reference_order`, `movers` ranks the biggest movers): the baseline is for the arithmetic, not for the disclosure
rules or the order of rows.

`same_output` holds each baseline to the dashboard's answer, so that a faster baseline cannot be a wrong one.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from bfc_data.analysis.disclosure import suppress, suppress_counts
from bfc_data.analysis.filters import in_reference_order
from bfc_data.analysis.maturity import sector_lines
from bfc_data.analysis.progress import MOVEMENTS, movers, protected_transitions, published_bands, with_movement
from bfc_data.analysis.returning import COVERAGE_COUNTS
from bfc_data.store import Store

CATEGORIES = ("organisation_code", "sector", "priority_area", "action", "role", "equality_group", "support_wanted")


class PandasBaseline:
    def __init__(self, store: Store, threshold: int):
        self.threshold = threshold
        self.levels_at, self.shares = list(store.fw.levels), list(store.fw.level_shares)
        scores = store.query("SELECT organisation_code, reporting_year, sector, priority_area, action, role, equality_group, "
                             "maturity_level, support_wanted FROM current_maturity")
        for column in CATEGORIES:
            scores[column] = scores[column].astype("category")
        self.all_scores = scores
        self.scores = scores[scores["maturity_level"].notna()]
        returned = store.query("SELECT organisation_code, reporting_year, sector FROM current_maturity_submissions")
        returned["sector"] = returned["sector"].astype("category")
        self.returned = returned
        self.store = store  # for the reference order of rows only

    # -- levels ------------------------------------------------------------
    def _own(self, by: list[str], years=None, area=None) -> pd.DataFrame:
        data = self.scores
        if years is not None:
            data = data[data["reporting_year"].isin(years)]
        if area is not None:
            data = data[data["priority_area"] == area]
        return data.groupby([*by, "organisation_code"], observed=True)["maturity_level"].mean().rename("own").reset_index()

    def levels(self, by: list[str], years=None, area=None) -> pd.DataFrame:
        own = self._own(by, years, area)
        rounded = np.floor(own["own"] + 0.5)
        for level, share in zip(self.levels_at, self.shares):
            own[share] = (rounded == level) * 100.0
        result = own.groupby(by, observed=True).agg(organisations=("own", "count"), mean_level=("own", "mean"),
                                                     **{share: (share, "mean") for share in self.shares}).reset_index()
        for b in by:
            if isinstance(result[b].dtype, pd.CategoricalDtype):
                result[b] = result[b].astype(str)
        result["mean_level"] = result["mean_level"].round(2)
        result = in_reference_order(result, by, self.store)
        return suppress(result, self.threshold, ["mean_level", *self.shares], sector_lines(by), tie=by)

    def trend(self, by: str) -> pd.DataFrame:
        frame = self.levels([by, "reporting_year"])
        frame["change"] = frame.groupby(by, sort=False)["mean_level"].diff().round(2)
        return frame

    def biggest_movers(self, by: str, year: int, count: int = 5) -> pd.DataFrame:
        return movers(self.levels([by, "reporting_year"], years=[year - 1, year]), by, year, count)

    # -- progress ----------------------------------------------------------
    def _pairs(self, from_year: int, to_year: int) -> pd.DataFrame:
        own = self._own(["reporting_year"], years=[from_year, to_year])
        wide = own.pivot(index="organisation_code", columns="reporting_year", values="own")
        if from_year not in wide.columns or to_year not in wide.columns:
            return pd.DataFrame(columns=["from_level", "to_level", "organisations"])
        wide = wide.dropna()
        pairs = pd.DataFrame({"from_level": np.floor(wide[from_year] + 0.5).astype(int),
                              "to_level": np.floor(wide[to_year] + 0.5).astype(int)})
        frame = pairs.value_counts().rename("organisations").reset_index().sort_values(["from_level", "to_level"])
        return frame.reset_index(drop=True)

    def transitions(self, from_year: int, to_year: int) -> pd.DataFrame:
        return protected_transitions(self._pairs(from_year, to_year), self.threshold)

    def movement(self, from_year: int, to_year: int) -> pd.DataFrame:
        frame = with_movement(self._pairs(from_year, to_year))
        counts = frame.groupby("movement")["organisations"].sum().reindex(list(MOVEMENTS), fill_value=0).astype(int)
        bands = published_bands(counts.to_dict(), self.threshold)
        result = counts.groupby(counts.index.map(bands), sort=False).sum().rename("organisations").rename_axis("movement")
        return result.astype(float).reset_index()

    def distance_by_sector(self) -> pd.DataFrame:
        own = self._own(["reporting_year"]).sort_values(["organisation_code", "reporting_year"])
        sector = self.returned.set_index(["organisation_code", "reporting_year"])["sector"]
        own["sector"] = sector.reindex(pd.MultiIndex.from_frame(own[["organisation_code", "reporting_year"]])).to_numpy()
        by_organisation = own.groupby("organisation_code", observed=True).agg(
            first=("own", "first"), latest=("own", "last"), returns=("own", "size"), sector=("sector", "last"))
        by_organisation = by_organisation[by_organisation["returns"] >= 2]
        distance = (by_organisation["latest"].round(2) - by_organisation["first"].round(2)).round(2)
        frame = pd.DataFrame({"sector": by_organisation["sector"].astype(str), "distance": distance})
        result = frame.groupby("sector").agg(organisations=("distance", "size"), mean_distance=("distance", "mean"),
                                             moved_up=("distance", lambda d: int((d > 0).sum()))).reset_index()
        result["mean_distance"] = result["mean_distance"].round(2)
        return suppress(result, self.threshold, ["mean_distance", "moved_up"], [[]], tie=["sector"])

    # -- who returns -------------------------------------------------------
    def _coverage(self) -> pd.DataFrame:
        returned = self.returned.sort_values(["organisation_code", "reporting_year"])
        by = returned.groupby("organisation_code", sort=False)["reporting_year"]
        first = by.transform("min")
        previous = by.shift(1)
        following = by.shift(-1)
        year = returned["reporting_year"]
        kept = pd.DataFrame({"sector": returned["sector"], "reporting_year": year, "organisations": 1,
                             "new_organisations": (first == year).astype(int),
                             "rejoined_organisations": ((first < year) & (previous != year - 1)).astype(int),
                             "lapsed_organisations": 0})
        gone = returned[(year + 1 <= year.max()) & (following != year + 1)]
        lapsed = pd.DataFrame({"sector": gone["sector"], "reporting_year": gone["reporting_year"] + 1, "organisations": 0,
                               "new_organisations": 0, "rejoined_organisations": 0, "lapsed_organisations": 1})
        frame = pd.concat([kept, lapsed]).groupby(["sector", "reporting_year"], observed=True)[COVERAGE_COUNTS].sum().reset_index()
        frame["sector"] = frame["sector"].astype(str)
        return frame.sort_values(["sector", "reporting_year"]).reset_index(drop=True)

    def coverage(self, year: int) -> pd.DataFrame:
        frame = suppress_counts(self._coverage(), self.threshold, COVERAGE_COUNTS, [["reporting_year"]], tie=["sector", "reporting_year"])
        return frame[frame["reporting_year"] == year].reset_index(drop=True)

    def coverage_by_year(self) -> pd.DataFrame:
        totals = self._coverage().groupby("reporting_year", as_index=False)[COVERAGE_COUNTS].sum()
        return suppress_counts(totals, self.threshold, COVERAGE_COUNTS)

    def _wanting(self, year: int) -> pd.DataFrame:
        return self.all_scores[(self.all_scores["reporting_year"] == year) & self.all_scores["support_wanted"].notna()]

    def support_wanted_by(self, by: str, year: int) -> pd.DataFrame:
        result = self._wanting(year).groupby(["support_wanted", by], observed=True).agg(
            organisations=("organisation_code", "nunique"), rows_wanting=("organisation_code", "size")).reset_index()
        result = result.rename(columns={"support_wanted": "learning_format"})
        for column in ("learning_format", by):
            result[column] = result[column].astype(str)
        formats = {f: i for i, f in enumerate(self.store.fw.learning_formats.values)}
        result = in_reference_order(result, [by], self.store).sort_values("learning_format", kind="stable", key=lambda f: f.map(formats))
        result = result.reset_index(drop=True)
        keys = ["learning_format", by]
        return suppress(result, self.threshold, ["rows_wanting"], sector_lines(keys), tie=keys)

    def organisations_wanting(self, year: int) -> float:
        data = self._wanting(year)
        by_sector = data.groupby("sector", observed=True)["organisation_code"].nunique().rename("organisations").reset_index()
        by_sector["sector"] = by_sector["sector"].astype(str)
        by_sector = suppress_counts(by_sector, self.threshold, ["organisations"], [[]], tie=["sector"])
        total = float(by_sector["organisations"].fillna(0).sum()) if by_sector["organisations"].notna().all() \
            else float(data["organisation_code"].nunique())
        return np.nan if 0 < total < self.threshold else total


# Figures shown to 2 places: where the exact value is a half (3.075), pandas and DuckDB, adding in another order,
# may land either side of it, and the rounded figures then differ by one in the last place.
ROUNDED = {"mean_level", "mean_distance", "change", "before", "after"}


def same_output(ours, theirs, keys: list[str] | None = None) -> bool:
    """The same figures: the columns both give, rows matched by `keys` (or in order), values equal to 1e-9 (figures
    rounded to 2 places, to one in the last place)."""
    if not isinstance(ours, pd.DataFrame):
        return ours == theirs
    columns = [c for c in ours.columns if c in theirs.columns]
    if len(ours) != len(theirs) or not columns:
        return False
    a, b = ours[columns], theirs[columns]
    if keys:
        a = a.sort_values(keys).reset_index(drop=True)
        b = b.sort_values(keys).reset_index(drop=True)
    for column in columns:
        x, y = a[column], b[column]
        if pd.api.types.is_numeric_dtype(x) and pd.api.types.is_numeric_dtype(y):
            tolerance = 0.01 + 1e-9 if column in ROUNDED else 1e-9
            if not np.allclose(x.to_numpy(float, na_value=np.nan), y.to_numpy(float, na_value=np.nan), rtol=0, atol=tolerance,
                               equal_nan=True):
                return False
        elif [None if pd.isna(v) else str(v) for v in x] != [None if pd.isna(v) else str(v) for v in y]:
            return False
    return True
