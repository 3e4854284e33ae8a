"""Every aggregate call the pages and the board pack make, on a large store (2,000 organisations × 6 years × 14
actions × 12 groups, about 2 million scores), each timed cold and warm, against pandas on the same cut.

    python -m bench.bench_queries [--organisations 2000]

Members' calls (suppression threshold 5) are timed, being the dearer: they protect every table. The pandas
baseline is what a competent analyst would write for the same output: the current scores held in memory as one
frame with categorical columns, each organisation's own mean per cell first, then the count, the mean and the
share at each level per cell, and the same suppression applied to the result.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

from bench.common import build_large_store, median_seconds, peak_memory_mb, table, tiny
from bfc_data import analysis
from bfc_data.access import OFFICER, Viewer
from bfc_data.analysis import learning, overview, quality, tracker
from bfc_data.analysis.disclosure import suppress
from bfc_data.analysis.maturity import sector_lines
from bfc_data.store import Store

YEAR = 2025
MEMBER = 5  # the members' suppression threshold (settings.toml)


def cases(store: Store) -> dict[str, tuple]:
    """name -> (the call, the pandas baseline's cut or None). Each is a call a page or the board pack makes."""
    F = analysis.Filters
    year, every = F(years=(YEAR,)), F()
    officer = Viewer("bench officer", OFFICER)
    t = MEMBER
    calls = {
        # Overview
        "headline": (lambda: overview.headline(store, YEAR), None),
        "years": (lambda: analysis.years(store), None),
        "levels sector × priority area (heat map)": (lambda: analysis.levels(store, ["sector", "priority_area"], year, t), (["sector", "priority_area"], True)),
        "biggest movers by sector": (lambda: analysis.biggest_movers(store, "sector", YEAR, year, t), None),
        "levels by year": (lambda: analysis.levels(store, "reporting_year", every, t), (["reporting_year"], False)),
        # Priority areas
        "levels by priority area": (lambda: analysis.levels(store, "priority_area", year, t), (["priority_area"], True)),
        "levels by action": (lambda: analysis.levels(store, "action", year, t), (["action"], True)),
        "trend by priority area": (lambda: analysis.trend(store, "priority_area", every, t), None),
        "levels priority area × action × year": (lambda: analysis.levels(store, ["priority_area", "action", "reporting_year"], every, t),
                                                  (["priority_area", "action", "reporting_year"], False)),
        # Sectors
        "levels by sector": (lambda: analysis.levels(store, "sector", year, t), (["sector"], True)),
        "levels sector × year": (lambda: analysis.levels(store, ["sector", "reporting_year"], every, t), (["sector", "reporting_year"], False)),
        # Equality groups
        "levels by equality group": (lambda: analysis.levels(store, "equality_group", year, t), (["equality_group"], True)),
        "intersectional": (lambda: analysis.intersectional(store, year, t), None),
        # Progress
        "trend by sector": (lambda: analysis.trend(store, "sector", every, t), None),
        "movement between two years": (lambda: analysis.movement(store, YEAR - 1, YEAR, every, t), None),
        "transitions between two years": (lambda: analysis.transitions(store, YEAR - 1, YEAR, every, t), None),
        "distance travelled by sector": (lambda: analysis.distance_by(store, "sector", every, t), None),
        # Metrics
        "metric trend": (lambda: analysis.metric_trend(store, "LLW_SHARE", every, t), None),
        # Coverage
        "coverage": (lambda: analysis.coverage(store, year, t), None),
        "coverage by year": (lambda: analysis.coverage_by_year(store, every, t), None),
        "not returned, count": (lambda: analysis.not_returned_count(store, YEAR, every, t), None),
        "not returned, total": (lambda: analysis.not_returned_total(store, YEAR, every, t), None),
        "not returned, list (officer)": (lambda: analysis.not_returned(store, officer, YEAR, every), None),
        "support wanted by priority area": (lambda: analysis.support_wanted_by(store, "priority_area", year, t), None),
        "organisations wanting support": (lambda: analysis.organisations_wanting(store, year, t), None),
        # Learning
        "events by format": (lambda: learning.events_by(store, "learning_format"), None),
        "attendance by sector": (lambda: learning.attendance_by(store, "sector", t), None),
        "feedback by format": (lambda: learning.feedback_by_format(store, t), None),
        "more support wanted": (lambda: learning.more_support(store, t), None),
        "demand and delivery": (lambda: learning.demand_and_delivery(store, YEAR, t), None),
        "target sectors": (lambda: learning.target_sectors(store, YEAR, t), None),
        "learning and progress": (lambda: learning.learning_and_progress(store, t), None),
        # Officers' pages
        "data-quality warnings (officer)": (lambda: quality.warnings(store, officer, YEAR), None),
        "submissions tracker (officer)": (lambda: tracker.status(store, officer, YEAR), None),
    }
    # The board pack: one slide per priority area, its actions.
    for area in store.fw.priority_areas:
        calls[f"board pack: actions of {store.fw.priority_area_short[area]}"] = (
            lambda area=area: analysis.levels(store, "action", F(years=(YEAR,), priority_areas=(area,)), t),
            (["action"], True, area))
    return calls


def pandas_levels(frame: pd.DataFrame, levels: list[int], shares: list[str]):
    """The levels table in pandas: own means per organisation and cell, then count, mean, shares, suppressed alike."""
    def run(by, this_year, area=None):
        data = frame
        if this_year:
            data = data[data["reporting_year"] == YEAR]
        if area is not None:
            data = data[data["priority_area"] == area]
        own = data.groupby([*by, "organisation_code"], observed=True)["maturity_level"].mean().rename("own").reset_index()
        own["rounded"] = np.floor(own["own"] + 0.5)
        grouped = own.groupby(by, observed=True)
        result = grouped["own"].agg(organisations="count", mean_level="mean")
        for level, share in zip(levels, shares):
            result[share] = grouped["rounded"].apply(lambda r, level=level: 100.0 * (r == level).sum() / len(r))
        result = result.reset_index()
        result["mean_level"] = result["mean_level"].round(2)
        return suppress(result, MEMBER, ["mean_level", *shares], sector_lines(by), tie=by)
    return run


def run(organisations: int, repeat: int = 5, baselines: bool = True) -> tuple[list[dict], float]:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "large.duckdb"
        build_large_store(path, organisations).close()
        store = Store(path, read_only=True)
        rows_in_store = store.scalar("SELECT count(*) FROM maturity_scores")
        timings = {}
        calls = cases(store)
        for name, (function, _) in calls.items():
            start = time.perf_counter()
            function()
            timings[name] = (time.perf_counter() - start, median_seconds(function, repeat))
        memory = peak_memory_mb()  # before the pandas baseline loads its own copy of every row
        if baselines:
            frame = store.query("SELECT organisation_code, reporting_year, sector, priority_area, action, role, equality_group, "
                                "maturity_level FROM current_maturity WHERE maturity_level IS NOT NULL")
            for column in ("organisation_code", "sector", "priority_area", "action", "role", "equality_group"):
                frame[column] = frame[column].astype("category")
            baseline = pandas_levels(frame, store.fw.levels, store.fw.level_shares)
        results = []
        for name, (cold, warm) in timings.items():
            cut = calls[name][1]
            theirs = median_seconds(lambda: baseline(*cut), repeat) if baselines and cut else None
            results.append({"call": name, "cold ms": cold * 1000, "warm median ms": warm * 1000,
                            "pandas median ms": "—" if theirs is None else theirs * 1000,
                            "pandas ÷ ours": "—" if theirs is None else round(theirs / warm, 1),
                            "≤ 20 ms": "yes" if warm <= 0.020 else "no"})
        store.close()
    return results, memory, rows_in_store


def main(argv=None) -> str:
    parser = argparse.ArgumentParser()
    parser.add_argument("--organisations", type=int, default=40 if tiny() else 2000)
    parser.add_argument("--scaling", type=int, nargs="*", default=[10, 20] if tiny() else [],
                        help="other sizes, to see how the cost grows (no pandas baseline; bench_scaling draws the curve)")
    args = parser.parse_args(argv)
    repeat = 1 if tiny() else 7
    results, memory, scores = run(args.organisations, repeat)
    text = table(results, f"Every aggregate call on {args.organisations:,} organisations × 6 years × 14 actions × 12 groups "
                          f"({scores:,} scores), members' view")
    met = sum(r["≤ 20 ms"] == "yes" for r in results)
    compared = [r for r in results if r["pandas ÷ ours"] != "—"]
    summary = (f"{met} of {len(results)} calls at or under 20 ms (warm median). Against pandas with categorical columns, "
               f"{sum(r['pandas ÷ ours'] >= 3 for r in compared)} of {len(compared)} compared calls are 3× faster or more.\n")
    scaling = [{"organisations": args.organisations, "scores": f"{scores:,}",
                "all calls, ms": sum(r["warm median ms"] for r in results)}]
    for size in args.scaling:
        rows, _, size_scores = run(size, repeat, baselines=False)
        scaling.append({"organisations": size, "scores": f"{size_scores:,}", "all calls, ms": sum(r["warm median ms"] for r in rows)})
    scaling.sort(key=lambda r: r["organisations"])
    for row in scaling:
        row["ms per million scores"] = row["all calls, ms"] / int(row["scores"].replace(",", "")) * 1_000_000
    text += "\n" + summary + "\n" + table(scaling, "How the cost of all calls grows with the store (sum of warm medians)")
    line = f"Peak resident memory of the query benchmark (before the pandas baseline): {memory:,.0f} MB\n"
    print(summary + line)
    return text + "\n" + line


if __name__ == "__main__":
    main()
