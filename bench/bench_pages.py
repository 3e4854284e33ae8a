"""Every page through AppTest, on the sample store and on a large store: the first run with every cache empty, and
a rerun with its figures and charts cached.

    python -m bench.bench_pages [--organisations 2000]

"First run" clears every cached figure and chart (`pages.shared.store.clear_caches`) before the page is run, so it
pays for all its queries and charts; only the open store and Python's imports are kept, as on a server that has
served any page before. "Cached rerun" runs the same page again straight after, as a widget change that does not
touch its figures would. Each is the median of `--repeat` runs.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from pathlib import Path

from bench.common import ROOT, build_large_store, peak_memory_mb, table, tiny
from bfc_data.store.startup import open_store

MEMBER_PAGES = ["overview", "priority_areas", "sectors", "equality_groups", "progress", "metrics", "coverage", "learning",
                "programme", "boardpack"]
PAGES = [*MEMBER_PAGES, "upload", "history", "tracker", "quality", "organisation", "partner_reports"]


def page_times(db: Path, repeat: int, role: str = "officer") -> dict[str, tuple[float, float]]:
    from streamlit.testing.v1 import AppTest

    from pages.shared.store import clear_caches
    os.environ["BFC_DB"] = str(db)
    os.environ["BFC_LOCAL_ROLE"] = role
    times = {}
    for page in PAGES if role == "officer" else MEMBER_PAGES:
        first, again = [], []
        for _ in range(repeat):
            at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=300).run()
            clear_caches()
            start = time.perf_counter()
            at.switch_page(f"pages/{page}.py").run()
            first.append(time.perf_counter() - start)
            assert not at.exception, (page, [e.value for e in at.exception])
            start = time.perf_counter()
            at.run()
            again.append(time.perf_counter() - start)
            assert not at.exception, (page, [e.value for e in at.exception])
        times[page] = (statistics.median(first), statistics.median(again))
    return times


def main(argv=None) -> str:
    parser = argparse.ArgumentParser()
    parser.add_argument("--organisations", type=int, default=40 if tiny() else 2000)
    parser.add_argument("--repeat", type=int, default=1 if tiny() else 3)
    args = parser.parse_args(argv)
    load = os.getloadavg()[0]
    with tempfile.TemporaryDirectory() as folder:
        sample = Path(folder) / "sample.duckdb"
        open_store(sample).close()
        large = Path(folder) / "large.duckdb"
        build_large_store(large, args.organisations).close()
        on_sample = page_times(sample, args.repeat)
        on_large = page_times(large, args.repeat)
        member_sample = page_times(sample, args.repeat, "member")
        member_large = page_times(large, args.repeat, "member")
    rows = []
    for role, sample_times, large_times in (("officer", on_sample, on_large), ("member", member_sample, member_large)):
        for page in large_times:
            first, cached = large_times[page][0], max(sample_times[page][1], large_times[page][1])
            rows.append({"page": page, "viewer": role, "sample: first run s": sample_times[page][0],
                         "sample: cached rerun ms": sample_times[page][1] * 1000, "large: first run s": first,
                         "large: cached rerun ms": large_times[page][1] * 1000, "large first ≤ 1 s": "yes" if first <= 1 else "no",
                         "cached ≤ 100 ms": "yes" if cached <= 0.1 else "no"})
    text = table(rows, f"Page run time, median of {args.repeat} AppTest runs; large store {args.organisations:,} "
                       f"organisations; load average {load:.2f} at the start")
    line = f"Peak resident memory of the page benchmark: {peak_memory_mb():,.0f} MB\n"
    print(line)
    return text + "\n" + line


if __name__ == "__main__":
    main()
