"""The server's peak memory while a browser visits every page on a store of 8,000 organisations (about 8 million
scores): `streamlit run` on that store, an officer (who may see every page) following each link of the sidebar in
turn, each page waited for until drawn. The server's VmHWM is read after the last page.

    python -m bench.bench_memory [--organisations 8000]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

from bench.bench_browser import server_peak_mb
from bench.common import ROOT, build_large_store, table, tiny

sys.path.insert(0, str(ROOT / "tests"))


def main(argv=None) -> str:
    parser = argparse.ArgumentParser()
    parser.add_argument("--organisations", type=int, default=40 if tiny() else 8000)
    args = parser.parse_args(argv)
    from browser import SERVERS, browser, streamlit_server, wait_for_app
    load = os.getloadavg()[0]
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        db = Path(folder) / "large.duckdb"
        build_large_store(db, args.organisations).close()
        with streamlit_server(db, {"BFC_LOCAL_ROLE": "officer"}) as url, browser((1400, 1000)) as page:
            page.goto(url)
            wait_for_app(page, timeout=300_000, quiet=0.5)
            links = page.locator('.st-key-bfc_navigation a')
            # A link's text starts with its icon's name (Material Symbols ligature): the page's title is its last line.
            names = [links.nth(i).inner_text().strip().splitlines()[-1] for i in range(links.count())]
            for index, name in enumerate(names):
                start = time.perf_counter()
                page.locator('.st-key-bfc_navigation a').nth(index).click()
                wait_for_app(page, timeout=300_000, quiet=0.5)
                rows.append({"page": name, "until settled s": time.perf_counter() - start - 0.5,
                             "server peak so far MB": server_peak_mb(SERVERS[url])})
    peak = max(r["server peak so far MB"] for r in rows)
    text = table(rows, f"Server memory while an officer visits every page, {args.organisations:,} organisations "
                       f"(load average {load:.2f} at the start)")
    line = f"Peak resident memory of the server (VmHWM): {peak:,.0f} MB (target ≤ 600 MB: {'met' if peak <= 600 else 'not met'})\n"
    print(line)
    return text + "\n" + line


if __name__ == "__main__":
    main()
