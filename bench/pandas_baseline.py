"""The baseline of the query benchmark: what a competent analyst would write in pandas for the same figures.

The current returns are held in memory, as frames with categorical columns (loading them is not timed, as
opening the store is not timed for ours): every score and metric value of the current returns, the current returns
themselves, the register of organisations, and the learning programme's events and attendance. Each figure is worked
out from them as the contract defines it: each organisation's own mean in each cell first (blank levels left out),
then the count, the mean and the share at each level. The same protection of small groups is then applied to the
result with the dashboard's own functions (`suppress`, `suppress_counts`, `published_bands`, `protected_transitions`),
rows are put in the same order (`in_reference_order`, `movers` ranks the biggest movers), and where the dashboard
shapes a table in pandas after its query (`shown_trend`, `answers_shown`, `demand_shown`, `progress_shown`), the
baseline shapes its own with the same function: the baseline is for the arithmetic, not for the disclosure rules or
the order and shape of rows.

`same_output` holds each baseline to the dashboard's answer, so that a faster baseline cannot be a wrong one.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from dataclasses import asdict, is_dataclass

from bfc_data.analysis import quality
from bfc_data.analysis.disclosure import suppress, suppress_counts
from bfc_data.analysis.filters import in_reference_order
from bfc_data.analysis.learning import answers_shown, demand_shown, progress_shown
from bfc_data.analysis.maturity import sector_lines
from bfc_data.analysis.metrics import shown_trend
from bfc_data.analysis.overview import Headline
from bfc_data.analysis.progress import MOVEMENTS, movers, protected_transitions, published_bands, with_movement
from bfc_data.analysis.returning import COVERAGE_COUNTS
from bfc_data.reference.framework import ALL_LONDONERS
from bfc_data.store import Store

CATEGORIES = ("organisation_code", "organisation_name", "sector", "priority_area", "action", "role", "equality_group",
              "intersecting_group", "support_wanted")


def half_up(values, places: int = 0):
    """DuckDB's round: a half goes away from zero (numpy's goes to the even neighbour)."""
    scale = 10.0 ** places
    return np.sign(values) * np.floor(np.abs(values) * scale + 0.5) / scale


class PandasBaseline:
    def __init__(self, store: Store, threshold: int):
        self.threshold = threshold
        self.levels_at, self.shares = list(store.fw.levels), list(store.fw.level_shares)
        scores = store.query("SELECT organisation_code, organisation_name, reporting_year, sector, priority_area, action, "
                             "action_number, role, equality_group, intersecting_group, maturity_level, support_wanted "
                             "FROM current_maturity")
        for column in CATEGORIES:
            scores[column] = scores[column].astype("category")
        self.all_scores = scores
        self.scores = scores[scores["maturity_level"].notna()]
        returned = store.query("SELECT organisation_code, reporting_year, sector FROM current_maturity_submissions")
        returned["sector"] = returned["sector"].astype("category")
        self.returned = returned
        self.organisations = store.query("SELECT organisation_code, organisation_name, sector, contact_name, contact_email "
                                         "FROM organisations")
        metrics = store.query("SELECT m.organisation_code, o.organisation_name, o.sector, m.reporting_year, m.metric, "
                              "m.equality_group, m.value FROM current_metrics m LEFT JOIN organisations o USING (organisation_code)")
        for column in ("organisation_code", "sector", "metric", "equality_group"):
            metrics[column] = metrics[column].astype("category")
        self.metrics = metrics
        self.events = store.query("SELECT event_id, date, learning_format, priority_area FROM current_learning_events")
        self.attendance = store.query("SELECT event_id, organisation_code, attendees, pitched_right, will_use, more_support "
                                      "FROM current_attendance")
        self.store = store  # for the reference order of rows and the framework's definitions only

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


    # -- overview and metrics ---------------------------------------------------
    def years(self) -> list[int]:
        return [int(y) for y in np.sort(self.returned["reporting_year"].unique())]

    def headline(self, year: int) -> Headline | None:
        own = self._own(["reporting_year"])
        by_year = own.groupby("reporting_year")["own"].agg(["count", "mean"])
        if year not in by_year.index:
            return None
        change, compared, earlier = None, 0, (year - 1) in by_year.index
        if earlier:
            wide = own[own["reporting_year"].isin([year - 1, year])].pivot(index="organisation_code", columns="reporting_year",
                                                                            values="own").dropna()
            compared = len(wide)
            change = round(float((wide[year] - wide[year - 1]).mean()), 2) if compared else None
        count = int(by_year.loc[year, "count"])
        returned = self.returned
        return Headline(year, count, count - int(by_year.loc[year - 1, "count"]) if earlier else None,
                        round(float(by_year.loc[year, "mean"]), 2), self.store.fw.scale_span, change, compared,
                        int(returned.loc[returned["reporting_year"] == year, "sector"].nunique()), len(returned))

    def intersectional(self, year: int) -> pd.DataFrame:
        data = self.scores[(self.scores["reporting_year"] == year) & self.scores["intersecting_group"].notna()]
        keys = ["equality_group", "intersecting_group"]
        own = data.groupby([*keys, "organisation_code"], observed=True)["maturity_level"].mean()
        result = own.groupby(level=keys, observed=True).agg(organisations="count", mean_level="mean").reset_index()
        for key in keys:
            result[key] = result[key].astype(str)
        result["mean_level"] = result["mean_level"].round(2)
        result = result.sort_values(keys).reset_index(drop=True)
        return suppress(result, self.threshold, ["mean_level"], sector_lines(keys), tie=keys)

    def metric_trend(self, metric: str) -> pd.DataFrame:
        data = self.metrics[self.metrics["metric"] == metric]
        grouped = data.groupby(["equality_group", "reporting_year"], observed=True)
        frame = pd.DataFrame({"organisations": grouped["organisation_code"].nunique(), "mean_value": grouped["value"].mean(),
                              "median_value": grouped["value"].median()}).reset_index()
        frame["equality_group"] = frame["equality_group"].astype(str)
        return shown_trend(frame.sort_values(["equality_group", "reporting_year"]).reset_index(drop=True),
                           self.store.fw.metrics[metric], self.threshold)

    # -- who has not returned ---------------------------------------------------
    def not_returned(self, year: int) -> pd.DataFrame:
        returned = self.returned
        this_year = set(returned.loc[returned["reporting_year"] == year, "organisation_code"])
        before = returned[(returned["reporting_year"] < year) & ~returned["organisation_code"].isin(this_year)]
        last = before.groupby("organisation_code", observed=True)["reporting_year"].max().rename("last_returned").reset_index()
        last["organisation_code"] = last["organisation_code"].astype(str)
        frame = self.organisations.merge(last, on="organisation_code")
        frame = frame.sort_values(["sector", "organisation_name"]).reset_index(drop=True)
        return frame[["organisation_code", "organisation_name", "sector", "last_returned", "contact_name", "contact_email"]]

    def not_returned_count(self, year: int) -> pd.DataFrame:
        counts = self.not_returned(year).groupby("sector").size().rename("organisations").reset_index()
        return suppress_counts(counts, self.threshold, ["organisations"], [[]], tie=["sector"]).reset_index(drop=True)

    def not_returned_total(self, year: int) -> float:
        total = float(len(self.not_returned(year)))
        return np.nan if 0 < total < self.threshold else total

    def tracker(self, year: int) -> pd.DataFrame:
        returned = self.returned
        this_year = set(returned.loc[returned["reporting_year"] == year, "organisation_code"])
        by = returned.groupby("organisation_code", observed=True)["reporting_year"]
        last = pd.DataFrame({"last_returned": by.max(), "years_returned": by.nunique()}).reset_index()
        last["organisation_code"] = last["organisation_code"].astype(str)
        frame = self.organisations.merge(last, on="organisation_code", how="left")
        frame["status"] = np.where(frame["organisation_code"].isin(this_year), "returned", "not yet returned")
        frame["engaged"] = frame["last_returned"].notna()
        frame = frame.sort_values(["sector", "status", "organisation_name"]).reset_index(drop=True)
        return frame[["organisation_code", "organisation_name", "sector", "status", "engaged", "last_returned",
                      "years_returned", "contact_name", "contact_email"]]

    # -- learning -----------------------------------------------------------------
    def events_by_format(self) -> pd.DataFrame:
        return self.events.groupby("learning_format").size().rename("events").reset_index()

    def attendance_by_sector(self) -> pd.DataFrame:
        sectors = self.organisations.set_index("organisation_code")["sector"]
        data = self.attendance.assign(sector=self.attendance["organisation_code"].map(sectors).fillna("not known"))
        frame = data.groupby("sector").agg(organisations=("organisation_code", "nunique"),
                                           attendees=("attendees", "sum")).reset_index()
        return suppress(frame, self.threshold, ["attendees"], [[]], tie=["sector"])

    def _attended(self) -> pd.DataFrame:
        return self.attendance.merge(self.events[["event_id", "learning_format", "priority_area"]], on="event_id")

    def feedback_by_format(self) -> pd.DataFrame:
        grouped = self._attended().groupby("learning_format")
        frame = pd.DataFrame({"organisations": grouped["organisation_code"].nunique(),
                              "responses": grouped["pitched_right"].count()})
        for score in ("pitched_right", "will_use"):
            frame[f"{score}_mean"] = half_up(grouped[score].mean(), 2)
            frame[f"{score}_q1"] = grouped[score].quantile(0.25)
            frame[f"{score}_q3"] = grouped[score].quantile(0.75)
        attended = self._attended()
        four_or_five = (attended["will_use"] >= 4).groupby(attended["learning_format"]).sum()
        frame["will_use_4_or_5"] = half_up(100.0 * four_or_five / grouped["will_use"].count())
        order = {f: i for i, f in enumerate(self.store.fw.learning_formats.values)}
        frame = frame.reset_index().sort_values("learning_format", key=lambda f: f.map(order)).reset_index(drop=True)
        scores = [c for c in frame.columns if c.startswith(("pitched_right", "will_use"))]
        return suppress(frame, self.threshold, [*scores, "responses"], [], tie=["learning_format"])

    def more_support(self) -> pd.DataFrame:
        data = self._attended()
        data = data[data["more_support"].notna() & (data["more_support"].str.strip() != "")]
        return answers_shown(data[["priority_area", "organisation_code", "more_support"]], self.threshold,
                             self.store.fw.priority_areas)

    def demand_and_delivery(self, year: int) -> pd.DataFrame:
        wanting = self._wanting(year)
        demand = wanting.groupby(["support_wanted", "priority_area"], observed=True)["organisation_code"].nunique() \
            .rename("organisations_wanting").rename_axis(["learning_format", "priority_area"])
        events = self.events[(self.events["date"] >= pd.Timestamp(year, 4, 1)) & (self.events["date"] < pd.Timestamp(year + 1, 4, 1))]
        delivered = events.merge(self.attendance[["event_id", "organisation_code"]], on="event_id", how="left") \
            .groupby(["learning_format", "priority_area"]).agg(events=("event_id", "nunique"),
                                                               organisations_attending=("organisation_code", "nunique"))
        demand.index = demand.index.set_levels([level.astype(str) for level in demand.index.levels])
        frame = pd.concat([demand, delivered], axis=1).fillna(0).reset_index()
        for column in ("organisations_wanting", "events", "organisations_attending"):
            frame[column] = frame[column].astype(int)
        return demand_shown(frame, self.store.fw.learning_formats.values, self.store.fw.priority_areas, self.threshold)

    def target_sectors(self, year: int) -> pd.DataFrame:
        organisations = self.organisations[self.organisations["sector"].isin(self.store.fw.year_two_sectors)]
        code = organisations["organisation_code"]
        returned = self.returned["organisation_code"].astype(str)
        this_year = set(returned[self.returned["reporting_year"] == year])
        attended = set(self.attendance["organisation_code"])
        frame = pd.DataFrame({"sector": organisations["sector"], "organisations": 1, "returned": code.isin(this_year).astype(int),
                              "took_part_in_learning": code.isin(attended).astype(int),
                              "not_yet_engaged": (~code.isin(set(returned)) & ~code.isin(attended)).astype(int)})
        frame = frame.groupby("sector").sum().reset_index()
        return suppress_counts(frame, self.threshold, ["organisations", "returned", "took_part_in_learning", "not_yet_engaged"],
                               [[]], tie=["sector"])

    def learning_and_progress(self) -> pd.DataFrame:
        own = self._own(["priority_area", "reporting_year"]).sort_values("reporting_year")
        by = own.groupby(["organisation_code", "priority_area"], observed=True)["own"]
        changes = pd.DataFrame({"change": by.last() - by.first(), "returns": by.size()})
        changes = changes[changes["returns"] >= 2].reset_index()
        changes["organisation_code"] = changes["organisation_code"].astype(str)
        changes["priority_area"] = changes["priority_area"].astype(str)
        took = self._attended()[["organisation_code", "learning_format"]].drop_duplicates()
        rows = []
        for learning_format in self.store.fw.learning_formats.values:
            took_part = changes["organisation_code"].isin(set(took.loc[took["learning_format"] == learning_format, "organisation_code"]))
            grouped = changes.groupby([took_part.rename("took"), "priority_area"])["change"].agg(["size", "mean"])
            for area in changes["priority_area"].unique():
                yes = grouped.loc[(True, area)] if (True, area) in grouped.index else None
                no = grouped.loc[(False, area)] if (False, area) in grouped.index else None
                rows.append({"learning_format": learning_format, "priority_area": area,
                             "took_part": 0 if yes is None else yes["size"], "took_part_change": np.nan if yes is None else yes["mean"],
                             "did_not": 0 if no is None else no["size"], "did_not_change": np.nan if no is None else no["mean"]})
        found = pd.DataFrame(rows, columns=["learning_format", "priority_area", "took_part", "took_part_change", "did_not",
                                            "did_not_change"])
        return progress_shown(found, self.store.fw.learning_formats.values, self.store.fw.priority_areas, self.threshold)

    # -- data quality -------------------------------------------------------------
    def quality(self, year: int) -> pd.DataFrame:
        scores = self.all_scores[self.all_scores["reporting_year"] == year]
        keys = ["organisation_code", "reporting_year", "action"]
        per_action = scores.assign(
            levelled=scores["maturity_level"].notna(),
            covering=(scores["equality_group"] == ALL_LONDONERS) & scores["intersecting_group"].isna(),
        ).groupby(keys, observed=True).agg(organisation_name=("organisation_name", "first"), action_number=("action_number", "first"),
                                           levelled=("levelled", "any"), covering=("covering", "any")).reset_index()
        for column in ("organisation_code", "organisation_name", "action"):
            per_action[column] = per_action[column].astype(str)
        per_action = per_action.sort_values(["organisation_code", "reporting_year", "action_number"])
        uncovered = per_action[per_action["levelled"] & ~per_action["covering"]]
        parts = [pd.DataFrame({"organisation_code": uncovered["organisation_code"], "organisation_name": uncovered["organisation_name"],
                               "reporting_year": uncovered["reporting_year"], "check": "no All Londoners row",
                               "detail": "action " + uncovered["action"] + " has levels for some groups but no All Londoners row"})]
        unlevelled = per_action[~per_action["levelled"]].groupby(["organisation_code", "reporting_year"], sort=True) \
            .agg(organisation_name=("organisation_name", "first"), actions=("action", ", ".join)).reset_index()
        parts.append(pd.DataFrame({"organisation_code": unlevelled["organisation_code"], "organisation_name": unlevelled["organisation_name"],
                                   "reporting_year": unlevelled["reporting_year"], "check": "actions with no level",
                                   "detail": unlevelled["actions"] + " listed with no level: not taking part yet, or levels left out?"}))
        own = self.scores[self.scores["reporting_year"].isin([year - 1, year])] \
            .groupby(["organisation_code", "action", "reporting_year"], observed=True) \
            .agg(level=("maturity_level", "mean"), organisation_name=("organisation_name", "first"), action_number=("action_number", "first"))
        wide = own["level"].unstack("reporting_year")
        if year - 1 in wide.columns and year in wide.columns:
            jumped = wide[(wide[year] - wide[year - 1]).abs() >= quality.LEVEL_JUMP].reset_index()
            names = own.xs(year, level="reporting_year")
            jumped = jumped.join(names[["organisation_name", "action_number"]], on=["organisation_code", "action"])
            jumped = jumped.sort_values(["organisation_code", "action_number"])
            parts.append(pd.DataFrame({
                "organisation_code": jumped["organisation_code"].astype(str), "organisation_name": jumped["organisation_name"].astype(str),
                "reporting_year": year, "check": "level jumped",
                "detail": [f"action {a} went from {half_up(b, 1)} to {half_up(c, 1)} since the year before"
                           for a, b, c in zip(jumped["action"], jumped[year - 1], jumped[year])]}))
        parts.append(self._metric_checks(year))
        found = [p for p in parts if not p.empty]
        if not found:
            return pd.DataFrame(columns=quality.COLUMNS)
        frame = pd.concat(found, ignore_index=True)
        frame = frame.sort_values(["organisation_name", "reporting_year", "check"], kind="stable").reset_index(drop=True)
        return frame[quality.COLUMNS]

    def _metric_checks(self, year: int) -> pd.DataFrame:
        metrics = self.metrics
        name = {code: m.name for code, m in self.store.fw.metrics.items()}
        keys = ["organisation_code", "metric", "equality_group"]
        before = metrics[metrics["reporting_year"] == year - 1].set_index(keys)["value"]
        now = metrics[metrics["reporting_year"] == year].set_index(keys)
        pairs = now.join(before.rename("before"), how="inner").reset_index()
        unit = pairs["metric"].map(lambda m: self.store.fw.metrics[m].unit if m in self.store.fw.metrics else "").astype(str)
        change = (pairs["value"] - pairs["before"]).abs()
        relative = change / pairs["before"].abs().where(pairs["before"] != 0)
        jumped = pairs[((unit == "%") & (change >= quality.METRIC_JUMP["%"])) |
                       (unit.isin(["£", "count"]) & (relative >= quality.METRIC_JUMP_RELATIVE))]
        jumped = jumped.sort_values(keys)
        parts = [pd.DataFrame({"organisation_code": jumped["organisation_code"].astype(str), "organisation_name": jumped["organisation_name"],
                               "reporting_year": year, "check": "metric jumped",
                               "detail": [f"{name.get(m, m)} ({g}) went from {b:g} to {a:g} since the year before"
                                          for m, g, b, a in zip(jumped["metric"], jumped["equality_group"], jumped["before"], jumped["value"])]})]
        this_year = metrics[metrics["reporting_year"] == year]
        grouped = this_year.groupby(["sector", "metric", "equality_group"], observed=True)["value"]
        bounds = pd.DataFrame({"q1": grouped.quantile(0.25), "q3": grouped.quantile(0.75), "n": grouped.size()})
        bounds = bounds[bounds["n"] >= quality.MIN_SECTOR]
        found = this_year.merge(bounds.reset_index(), on=["sector", "metric", "equality_group"])
        spread = quality.FAR_FROM_SECTOR * (found["q3"] - found["q1"])
        far = found[(found["value"] < found["q1"] - spread) | (found["value"] > found["q3"] + spread)].sort_values(keys)
        parts.append(pd.DataFrame({
            "organisation_code": far["organisation_code"].astype(str), "organisation_name": far["organisation_name"],
            "reporting_year": year, "check": "far from its sector",
            "detail": [f"{name.get(m, m)} ({g}) is {v:g}; most {s} organisations are between {q1:g} and {q3:g}"
                       for m, g, v, s, q1, q3 in zip(far["metric"], far["equality_group"], far["value"], far["sector"], far["q1"], far["q3"])]}))
        return pd.concat(parts, ignore_index=True)


# Figures shown to 2 places: where the exact value is a half (3.075), pandas and DuckDB, adding in another order,
# may land either side of it, and the rounded figures then differ by one in the last place.
ROUNDED = {"mean_level", "mean_distance", "change", "before", "after", "mean_value", "median_value", "pitched_right_mean",
           "will_use_mean", "took_part_change", "did_not_change", "difference"}


def same_output(ours, theirs, keys: list[str] | None = None) -> bool:
    """The same figures: the columns both give, rows matched by `keys` (or in order), values equal to 1e-9 (figures
    rounded to 2 places, to one in the last place)."""
    if is_dataclass(ours) and is_dataclass(theirs):
        ours, theirs = asdict(ours), asdict(theirs)
        return ours.keys() == theirs.keys() and all(
            (a is None) == (b is None) and (a == b if not isinstance(a, float) else abs(a - b) <= 0.01 + 1e-9)
            for a, b in ((ours[k], theirs[k]) for k in ours))
    if isinstance(ours, float) and isinstance(theirs, float) and np.isnan(ours) and np.isnan(theirs):
        return True
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
