"""Every aggregate call the pages and the board pack make, on a large store (2,000 organisations × 6 years × 14
actions × 12 groups, about 2 million scores), each timed cold and warm, against pandas on the same cut.

    python -m bench.bench_queries [--organisations 2000]

Members' calls (suppression threshold 5) are timed, being the dearer: they protect every table. The pandas
baseline (`bench/pandas_baseline.py`) is what a competent analyst would write for the same output: the current
scores held in memory with categorical columns, each organisation's own mean per cell first, then the count, the
mean and the share at each level per cell, and the same suppression applied to the result; its output is checked
against ours in the run ("same output").
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path


from bench.common import build_large_store, median_seconds, peak_memory_mb, table, tiny
from bench.pandas_baseline import PandasBaseline, same_output
from bfc_data import analysis
from bfc_data.access import OFFICER, Viewer
from bfc_data.analysis import learning, overview, quality, tracker
from bfc_data.store import Store

YEAR = 2025
MEMBER = 5  # the members' suppression threshold (settings.toml)


def cases(store: Store) -> dict[str, tuple]:
    """name -> (the call, its pandas baseline[, the columns that match rows where the order of rows that tie is not
    fixed]). Each is a call a page or the board pack makes."""
    F = analysis.Filters
    year, every = F(years=(YEAR,)), F()
    officer = Viewer("bench officer", OFFICER)
    t = MEMBER
    calls = {
        # Overview
        "headline": (lambda: overview.headline(store, YEAR), lambda p: p.headline(YEAR)),
        "years": (lambda: analysis.years(store), lambda p: p.years()),
        "levels sector × priority area (heat map)": (lambda: analysis.levels(store, ["sector", "priority_area"], year, t), lambda p: p.levels(["sector", "priority_area"], [YEAR])),
        "biggest movers by sector": (lambda: analysis.biggest_movers(store, "sector", YEAR, year, t), lambda p: p.biggest_movers("sector", YEAR)),
        "levels by year": (lambda: analysis.levels(store, "reporting_year", every, t), lambda p: p.levels(["reporting_year"])),
        # Priority areas
        "levels by priority area": (lambda: analysis.levels(store, "priority_area", year, t), lambda p: p.levels(["priority_area"], [YEAR])),
        "levels by action": (lambda: analysis.levels(store, "action", year, t), lambda p: p.levels(["action"], [YEAR])),
        "trend by priority area": (lambda: analysis.trend(store, "priority_area", every, t), lambda p: p.trend("priority_area")),
        "levels priority area × action × year": (lambda: analysis.levels(store, ["priority_area", "action", "reporting_year"], every, t),
                                                  lambda p: p.levels(["priority_area", "action", "reporting_year"])),
        # Sectors
        "levels by sector": (lambda: analysis.levels(store, "sector", year, t), lambda p: p.levels(["sector"], [YEAR])),
        "levels sector × year": (lambda: analysis.levels(store, ["sector", "reporting_year"], every, t), lambda p: p.levels(["sector", "reporting_year"])),
        # Equality groups
        "levels by equality group": (lambda: analysis.levels(store, "equality_group", year, t), lambda p: p.levels(["equality_group"], [YEAR])),
        "intersectional": (lambda: analysis.intersectional(store, year, t), lambda p: p.intersectional(YEAR)),
        # Progress
        "trend by sector": (lambda: analysis.trend(store, "sector", every, t), lambda p: p.trend("sector")),
        "movement between two years": (lambda: analysis.movement(store, YEAR - 1, YEAR, every, t), lambda p: p.movement(YEAR - 1, YEAR)),
        "transitions between two years": (lambda: analysis.transitions(store, YEAR - 1, YEAR, every, t), lambda p: p.transitions(YEAR - 1, YEAR)),
        "distance travelled by sector": (lambda: analysis.distance_by(store, "sector", every, t), lambda p: p.distance_by_sector()),
        # Metrics
        "metric trend": (lambda: analysis.metric_trend(store, "LLW_SHARE", every, t), lambda p: p.metric_trend("LLW_SHARE")),
        # Coverage
        "coverage": (lambda: analysis.coverage(store, year, t), lambda p: p.coverage(YEAR)),
        "coverage by year": (lambda: analysis.coverage_by_year(store, every, t), lambda p: p.coverage_by_year()),
        "not returned, count": (lambda: analysis.not_returned_count(store, YEAR, every, t), lambda p: p.not_returned_count(YEAR)),
        "not returned, total": (lambda: analysis.not_returned_total(store, YEAR, every, t), lambda p: p.not_returned_total(YEAR)),
        "not returned, list (officer)": (lambda: analysis.not_returned(store, officer, YEAR, every), lambda p: p.not_returned(YEAR), ["organisation_code"]),
        "support wanted by priority area": (lambda: analysis.support_wanted_by(store, "priority_area", year, t), lambda p: p.support_wanted_by("priority_area", YEAR)),
        "organisations wanting support": (lambda: analysis.organisations_wanting(store, year, t), lambda p: p.organisations_wanting(YEAR)),
        # Learning
        "events by format": (lambda: learning.events_by(store, "learning_format"), lambda p: p.events_by_format()),
        "attendance by sector": (lambda: learning.attendance_by(store, "sector", t), lambda p: p.attendance_by_sector()),
        "feedback by format": (lambda: learning.feedback_by_format(store, t), lambda p: p.feedback_by_format()),
        "more support wanted": (lambda: learning.more_support(store, t), lambda p: p.more_support(), ["priority_area", "answer"]),
        "demand and delivery": (lambda: learning.demand_and_delivery(store, YEAR, t), lambda p: p.demand_and_delivery(YEAR)),
        "target sectors": (lambda: learning.target_sectors(store, YEAR, t), lambda p: p.target_sectors(YEAR)),
        "learning and progress": (lambda: learning.learning_and_progress(store, t), lambda p: p.learning_and_progress()),
        # Officers' pages
        "data-quality warnings (officer)": (lambda: quality.warnings(store, officer, YEAR), lambda p: p.quality(YEAR)),
        "submissions tracker (officer)": (lambda: tracker.status(store, officer, YEAR), lambda p: p.tracker(YEAR), ["organisation_code"]),
    }
    # The board pack: one slide per priority area, its actions.
    for area in store.fw.priority_areas:
        calls[f"board pack: actions of {store.fw.priority_area_short[area]}"] = (
            lambda area=area: analysis.levels(store, "action", F(years=(YEAR,), priority_areas=(area,)), t),
            lambda p, area=area: p.levels(["action"], [YEAR], area))
    return calls


def run(organisations: int, repeat: int = 5, baselines: bool = True) -> tuple[list[dict], float, int]:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "large.duckdb"
        build_large_store(path, organisations).close()
        store = Store(path, read_only=True)
        rows_in_store = store.scalar("SELECT count(*) FROM maturity_scores")
        timings = {}
        calls = cases(store)
        for name, (function, *_) in calls.items():
            start = time.perf_counter()
            function()
            timings[name] = (time.perf_counter() - start, median_seconds(function, repeat))
        memory = peak_memory_mb()  # before the pandas baseline loads its own copy of every row
        baseline = PandasBaseline(store, MEMBER) if baselines else None
        results = []
        for name, (cold, warm) in timings.items():
            function, theirs_of, *keys = calls[name]
            theirs, same = None, "—"
            if baseline is not None and theirs_of is not None:
                same = "yes" if same_output(function(), theirs_of(baseline), *keys) else "NO"
                theirs = median_seconds(lambda: theirs_of(baseline), repeat)
            results.append({"call": name, "cold ms": cold * 1000, "warm median ms": warm * 1000,
                            "pandas median ms": "—" if theirs is None else theirs * 1000,
                            "pandas ÷ ours": "—" if theirs is None else theirs / warm,  # unrounded: years is 0.03, not 0.0
                            "same output": same, "≤ 20 ms": "yes" if warm <= 0.020 else "no"})
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
