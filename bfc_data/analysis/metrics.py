"""The metrics framework's figures: a metric by equality group and year, and whether it got better."""

from __future__ import annotations

import numpy as np
import pandas as pd

from bfc_data.analysis.disclosure import check_member_view, pick, suppress
from bfc_data.analysis.filters import Filters
from bfc_data.analysis.maturity import sector_lines
from bfc_data.store import Store


def metric_trend(store: Store, metric: str, filters: Filters = Filters(), threshold: int = 0) -> pd.DataFrame:
    """A metric by equality group and year: organisations reporting, mean and median value, and whether it got better.

    For a yes/no metric, `mean_value` is the percentage of organisations answering yes. The change and its
    direction are worked out after suppression, so a hidden year gives no change on either side of it."""
    if metric not in store.fw.metrics:
        raise ValueError(f"there is no metric '{metric}'")
    if threshold > 0:
        check_member_view(filters, ["reporting_year"])
    by_sector = threshold > 0 and bool(filters.sectors)
    clauses, params = ["m.metric = ?"], [metric]
    for name, column in (("years", "m.reporting_year"), ("sectors", "o.sector"), ("size_bands", "o.size_band"),
                         ("equality_groups", "m.equality_group")):
        values = getattr(filters, name)
        if values and not (by_sector and name == "sectors"):
            kind = "INTEGER" if name == "years" else "VARCHAR"
            clauses.append(f"list_contains(?::{kind}[], {column})")
            params.append(list(values))
    sector = "o.sector, " if by_sector else ""
    frame = store.query(f"""
        SELECT {sector}m.equality_group, m.reporting_year, count(DISTINCT m.organisation_code) AS organisations,
               avg(m.value) AS mean_value, median(m.value) AS median_value
        FROM current_metrics m LEFT JOIN organisations o USING (organisation_code)
        WHERE {" AND ".join(clauses)}
        GROUP BY ALL ORDER BY m.equality_group, m.reporting_year""", params)  # noqa: S608 - fixed columns
    return shown_trend(frame, store.fw.metrics[metric], threshold, filters.sectors if by_sector else ())


def shown_trend(frame: pd.DataFrame, definition, threshold: int, sectors: tuple = ()) -> pd.DataFrame:
    """A metric's organisations, mean and median per group and year (and sector, when `sectors` are chosen) as shown:
    a yes/no metric as the percentage answering yes, rounded, small groups hidden, then the change and its direction."""
    if definition.unit == "yes/no":
        # For a yes/no metric the mean is the share answering yes, shown as a percentage; a median says nothing.
        frame["mean_value"] = frame["mean_value"] * 100
        frame["median_value"] = np.nan
    frame[["mean_value", "median_value"]] = frame[["mean_value", "median_value"]].round(2)
    keys = ["sector"] * bool(sectors) + ["equality_group", "reporting_year"]
    frame = suppress(frame, threshold, ["mean_value", "median_value"], sector_lines(keys), tie=keys)
    if sectors:
        frame = pick(frame, "sector", sectors)
    frame["change"] = frame.groupby("equality_group")["mean_value"].diff().round(2)
    sign = 1 if definition.better == "higher" else -1
    frame["direction"] = np.select([frame["change"] * sign > 0, frame["change"] * sign < 0, frame["change"] == 0],
                                   ["better", "worse", "no change"], default="")
    columns = ["equality_group", "reporting_year", "organisations", "mean_value", "median_value", "change", "direction",
               "suppressed", "suppression"]
    return frame[columns]
