"""Every aggregation the pages use, on a large store, cold and warm, against the same cut in pandas.

    python -m bench.bench_queries [--organisations 2000]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import pandas as pd

from bench.common import build_large_store, median_seconds, peak_memory_mb, table, tiny
from bfc_data import analysis
from bfc_data.analysis import overview
from bfc_data.store import Store

YEAR = 2025


def cases(store: Store):
    F = analysis.Filters
    year = F(years=(YEAR,))
    return {
        "mean level by sector": lambda: analysis.levels(store, "sector", year),
        "sector × priority area heat map": lambda: analysis.levels(store, ["sector", "priority_area"], year),
        "level shares by action": lambda: analysis.levels(store, "action", year),
        "by equality group": lambda: analysis.levels(store, "equality_group", year),
        "trend by priority area": lambda: analysis.trend(store, "priority_area", F()),
        "sector × year": lambda: analysis.levels(store, ["sector", "reporting_year"], F()),
        "headline": lambda: overview.headline(store, YEAR),
        "movement between two years": lambda: analysis.movement(store, YEAR - 1, YEAR, F(), 5),
        "distance travelled by sector": lambda: analysis.distance_by(store, "sector", F(), 5),
        "biggest movers": lambda: analysis.biggest_movers(store, "sector", YEAR, F(), 5),
        "coverage": lambda: analysis.coverage(store, F()),
        "support wanted": lambda: analysis.support_wanted_by(store, "priority_area", year),
        "intersectional": lambda: analysis.intersectional(store, year, 5),
    }


def pandas_baselines(frame: pd.DataFrame):
    """The same cuts over the full frame in memory: each organisation's own mean first, then the mean of those."""
    def mean_of_means(data, by):
        own = data.groupby([*by, "organisation_code"], observed=True)["maturity_level"].mean()
        return own.groupby(level=list(range(len(by)))).agg(["count", "mean"])
    this_year = lambda: frame[frame["reporting_year"] == YEAR].dropna(subset=["maturity_level"])  # noqa: E731
    return {
        "mean level by sector": lambda: mean_of_means(this_year(), ["sector"]),
        "sector × priority area heat map": lambda: mean_of_means(this_year(), ["sector", "priority_area"]),
        "level shares by action": lambda: mean_of_means(this_year(), ["action"]),
        "by equality group": lambda: mean_of_means(this_year(), ["equality_group"]),
        "trend by priority area": lambda: mean_of_means(frame.dropna(subset=["maturity_level"]), ["priority_area", "reporting_year"]),
        "sector × year": lambda: mean_of_means(frame.dropna(subset=["maturity_level"]), ["sector", "reporting_year"]),
    }


def run(organisations: int, repeat: int = 5) -> tuple[list[dict], float]:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "large.duckdb"
        build_large_store(path, organisations).close()
        store = Store(path)
        rows_in_store = store.scalar("SELECT count(*) FROM maturity_scores")
        timings = {}
        for name, function in cases(store).items():
            start = time.perf_counter()
            function()
            timings[name] = (time.perf_counter() - start, median_seconds(function, repeat))
        # Read before the pandas baseline loads its own copy of every row: this is the dashboard's path.
        memory = peak_memory_mb()
        frame = store.query("SELECT organisation_code, reporting_year, sector, priority_area, action, role, equality_group, "
                            "maturity_level FROM current_maturity")
        baselines = pandas_baselines(frame)
        results = []
        for name, (cold, warm) in timings.items():
            baseline = median_seconds(baselines[name], repeat) if name in baselines else None
            results.append({"aggregation": name, "rows": f"{rows_in_store:,}", "cold ms": cold * 1000, "warm median ms": warm * 1000,
                            "pandas median ms": "—" if baseline is None else baseline * 1000,
                            "pandas ÷ duckdb": "—" if baseline is None else round(baseline / warm, 1)})
        store.close()
    return results, memory


def main(argv=None) -> str:
    parser = argparse.ArgumentParser()
    parser.add_argument("--organisations", type=int, default=40 if tiny() else 2000)
    parser.add_argument("--scaling", type=int, nargs="+", default=[10, 20] if tiny() else [500, 1000],
                        help="smaller sizes, to see how the cost grows")
    args = parser.parse_args(argv)
    repeat = 1 if tiny() else 5
    results, memory = run(args.organisations, repeat)
    text = table(results, f"Queries on {args.organisations:,} organisations × 6 years × 14 actions × 12 groups")
    scaling = []
    for size, rows in [*((s, run(s, repeat)[0]) for s in args.scaling), (args.organisations, results)]:
        total = sum(r["warm median ms"] for r in rows)
        scores = int(rows[0]["rows"].replace(",", ""))
        scaling.append({"organisations": size, "scores": f"{scores:,}", "all aggregations, ms": total,
                        "ms per million scores": total / scores * 1_000_000})
    text += "\n" + table(scaling, "How query cost grows with the store (sum of warm medians)")
    line = f"Peak resident memory of the query benchmark (DuckDB path, before the pandas baseline): {memory:,.0f} MB\n"
    print(line)
    return text + "\n" + line


if __name__ == "__main__":
    main()
