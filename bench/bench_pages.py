"""Every page through AppTest on the sample store and on a large store: median run time per page.

    python -m bench.bench_pages [--organisations 2000]
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

PAGES = ["overview", "priority_areas", "sectors", "equality_groups", "progress", "metrics", "coverage", "learning",
         "programme", "boardpack", "upload", "history", "tracker", "quality", "organisation"]


def page_times(db: Path, repeat: int) -> dict[str, float]:
    from streamlit.testing.v1 import AppTest
    os.environ["BFC_DB"] = str(db)
    os.environ["BFC_LOCAL_ROLE"] = "member" if os.environ.get("BFC_BENCH_ROLE") == "member" else "officer"
    times = {}
    for page in PAGES:
        runs = []
        for _ in range(repeat + 1):
            at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=300).run()
            start = time.perf_counter()
            at.switch_page(f"pages/{page}.py").run()
            runs.append(time.perf_counter() - start)
            assert not at.exception, (page, [e.value for e in at.exception])
        times[page] = statistics.median(runs[1:])  # the first run warms the process's caches and store
    return times


def main(argv=None) -> str:
    parser = argparse.ArgumentParser()
    parser.add_argument("--organisations", type=int, default=40 if tiny() else 2000)
    args = parser.parse_args(argv)
    repeat = 1 if tiny() else 3
    with tempfile.TemporaryDirectory() as folder:
        sample = Path(folder) / "sample.duckdb"
        open_store(sample).close()
        large = Path(folder) / "large.duckdb"
        build_large_store(large, args.organisations).close()
        on_sample = page_times(sample, repeat)
        on_large = page_times(large, repeat)
    rows = [{"page": page, "sample store s": on_sample[page], "large store s": on_large[page]} for page in PAGES]
    text = table(rows, f"Page run time, median of {repeat} AppTest runs (large store: {args.organisations:,} organisations)")
    line = f"Peak resident memory of the page benchmark: {peak_memory_mb():,.0f} MB\n"
    print(line)
    return text + "\n" + line


if __name__ == "__main__":
    main()
