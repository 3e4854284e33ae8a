"""Time and memory to make every partner's feedback report for a year: on the sample store, and for 2,000
organisations on the large store.

    python -m bench.bench_reports [--organisations 2000]

Each report is timed whole: its figures against its peers, its words, and the PDF compiled by Typst. The
year's figures are read from the store once for all its reports (`feedback.year_figures`); that read is
timed on its own and shared out in the per-report figure. The baseline is what the Organisation page does
for one report, done once per organisation: read the year's figures afresh for every report.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from bench.common import build_large_store, peak_memory_mb, table, tiny
from bfc_data.access import operator
from bfc_data.analysis import feedback as fb
from bfc_data.outputs import feedback_report
from bfc_data.store.startup import open_store

OFFICER = operator("benchmark")


def one_year(store, year: int, threshold: int, baseline_reports: int, limit: int | None = None) -> dict:
    start = time.perf_counter()
    figures = fb.year_figures(store, OFFICER, year, threshold)
    read = time.perf_counter() - start
    peers = fb.Peers(figures)
    times = []
    for code in list(figures.organisations["organisation_code"])[:limit]:
        start = time.perf_counter()
        feedback_report.pdf(feedback_report.document(fb.feedback(figures, code, peers), store.fw))
        times.append(time.perf_counter() - start)
    baseline = []
    for code in list(figures.organisations["organisation_code"])[:baseline_reports]:
        start = time.perf_counter()
        fresh = fb.year_figures(store, OFFICER, year, threshold)
        feedback_report.pdf(feedback_report.document(fb.feedback(fresh, code), store.fw))
        baseline.append(time.perf_counter() - start)
    count = len(times)
    ours = statistics.median(times) + read / count
    return {"reports": count, "year's figures s": read, "median s a report": ours,
            "slowest s": max(times) + read / count, "all reports s": read + sum(times),
            "baseline median s": statistics.median(baseline), "baseline ÷ ours": statistics.median(baseline) / ours,
            "peak MB": peak_memory_mb()}


def main(argv=None) -> str:
    parser = argparse.ArgumentParser()
    parser.add_argument("--organisations", type=int, default=40 if tiny() else 2000)
    args = parser.parse_args(argv)
    from bfc_data.reference.settings import settings
    threshold = settings().suppression_threshold
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        with open_store(Path(folder) / "sample.duckdb") as store:
            year = int(store.scalar("SELECT max(reporting_year) FROM current_maturity_submissions"))
            rows.append({"store": "sample", **one_year(store, year, threshold, 3 if tiny() else 20, 10 if tiny() else None)})
        store = build_large_store(Path(folder) / "large.duckdb", args.organisations)
        rows.append({"store": f"large ({args.organisations:,} organisations)", **one_year(store, 2025, threshold, 3 if tiny() else 20)})
        store.close()
    return table(rows, "Partners' feedback reports (PDF), every organisation of a year")


if __name__ == "__main__":
    main()
