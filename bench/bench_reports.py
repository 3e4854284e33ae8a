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
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.common import ROOT, peak_memory_mb, table, tiny
from bfc_data.access import operator
from bfc_data.analysis import feedback as fb
from bfc_data.outputs import feedback_report

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


# The stores are built in a process of their own, so this one's peak memory is the reports' own: building the
# large store alone peaks at about 700 MB, which is the store's cost, not the reports'.
BUILD = """
import sys
from pathlib import Path
from bench.common import build_large_store
from bfc_data.store.startup import open_store
open_store(Path(sys.argv[1])).close()
build_large_store(Path(sys.argv[2]), int(sys.argv[3])).close()
"""


def main(argv=None) -> str:
    parser = argparse.ArgumentParser()
    parser.add_argument("--organisations", type=int, default=40 if tiny() else 2000)
    args = parser.parse_args(argv)
    from bfc_data.reference.settings import settings
    from bfc_data.store import Store
    threshold = settings().suppression_threshold
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        sample, large = Path(folder) / "sample.duckdb", Path(folder) / "large.duckdb"
        subprocess.run([sys.executable, "-c", BUILD, str(sample), str(large), str(args.organisations)], cwd=ROOT, check=True)
        with Store(sample, read_only=True) as store:
            year = int(store.scalar("SELECT max(reporting_year) FROM current_maturity_submissions"))
            rows.append({"store": "sample", **one_year(store, year, threshold, 3 if tiny() else 20, 10 if tiny() else None)})
        with Store(large, read_only=True) as store:
            rows.append({"store": f"large ({args.organisations:,} organisations)",
                         **one_year(store, 2025, threshold, 3 if tiny() else 20)})
    return table(rows, "Partners' feedback reports (PDF), every organisation of a year")


if __name__ == "__main__":
    main()
