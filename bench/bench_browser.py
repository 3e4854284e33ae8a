"""What a person waits for in Chromium: the Overview's first render on a freshly started server with the sample store,
and a page switch from the sidebar until the new page is drawn and can be used.

    python -m bench.bench_browser [--runs 5]

"Drawn" means the page's title is on screen, every chart has drawn its picture, no skeleton or running-script
indicator is left, and (for the Overview) the headline figures are shown. Each run starts a new `streamlit run`
process and a new browser; the clock starts when the browser is sent to the address, once the server answers its
health check (it has then imported the dashboard's modules and opened the store, as it does before its first visitor
on any start: see dashboard.py). The server's memory (VmHWM) is read at the end of each run.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

from bench.common import ROOT, table, tiny

sys.path.insert(0, str(ROOT / "tests"))

SWITCHES = [("Sectors", "Sectors"), ("Priority areas and actions", "Priority areas"), ("Overview", "Building a Fairer City")]
BUSY = '[data-testid="stStatusWidget"], [data-testid="stSkeleton"]'


def drawn(page, title: str, timeout: float = 60.0) -> float:
    """Seconds until the page shows `title` in its heading, its charts have drawn and nothing is busy."""
    start = time.perf_counter()
    deadline = start + timeout
    while time.perf_counter() < deadline:
        ready = page.evaluate("""([title, busy]) => {
            const h1 = document.querySelector('[data-testid="stMain"] h1');
            if (!h1 || !h1.textContent.includes(title)) return false;
            if (document.querySelector(busy)) return false;
            const charts = document.querySelectorAll('[data-testid="stPlotlyChart"]');
            for (const c of charts) { if (!c.querySelector('.main-svg')) return false; }
            return true; }""", [title, BUSY])
        if ready:
            return time.perf_counter() - start
        page.wait_for_timeout(20)
    raise TimeoutError(f"'{title}' was not drawn within {timeout:.0f} s")


def server_peak_mb(process) -> float:
    status = Path(f"/proc/{process.pid}/status").read_text()
    return int(status.split("VmHWM:")[1].split()[0]) / 1024


def one_run(db: Path, profile: Path | None, port: int | None = None) -> dict:
    """A fresh server; a browser that has never seen the dashboard (profile None), or one that has visited it before
    and keeps Streamlit's scripts in its cache (a persistent profile, and the server at the same address, as a
    deployed dashboard always is), as a returning board member's would."""
    from browser import CHROMIUM, CHROMIUM_ARGS, SERVERS, streamlit_server
    from playwright.sync_api import sync_playwright
    with streamlit_server(db, {"BFC_LOCAL_ROLE": "member"}, port=port) as url, sync_playwright() as p:
        if profile is None:
            chromium = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            page = chromium.new_page(viewport={"width": 1400, "height": 1000})
        else:
            chromium = p.chromium.launch_persistent_context(str(profile), executable_path=CHROMIUM, args=CHROMIUM_ARGS,
                                                            viewport={"width": 1400, "height": 1000})
            page = chromium.new_page()
        try:
            start = time.perf_counter()
            page.goto(url)
            first = time.perf_counter() - start + drawn(page, "Building a Fairer City")
            page.wait_for_selector('[data-testid="stMetricValue"]')
            switches = []
            for link, title in SWITCHES:
                start = time.perf_counter()
                page.locator('.st-key-bfc_navigation a', has_text=link).first.click()
                switches.append(time.perf_counter() - start + drawn(page, title))
            return {"first": first, "switches": switches, "peak": server_peak_mb(SERVERS[url])}
        finally:
            chromium.close()


def main(argv=None) -> str:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=1 if tiny() else 5)
    args = parser.parse_args(argv)
    from browser import free_port

    from bfc_data.store.startup import open_store
    load = os.getloadavg()[0]
    with tempfile.TemporaryDirectory() as folder:
        db = Path(folder) / "sample.duckdb"
        open_store(db).close()
        profile, port = Path(folder) / "profile", free_port()
        one_run(db, profile, port)  # the returning visitor's first visit, which fills its cache (not counted)
        runs = {"never visited": [one_run(db, None) for _ in range(args.runs)],
                "visited before": [one_run(db, profile, port) for _ in range(args.runs)]}
    rows = []
    for browser_kind, measured in runs.items():
        firsts = [r["first"] for r in measured]
        rows.append({"browser": browser_kind, "measure": "Overview, first render on a fresh server (s)",
                     "median": statistics.median(firsts), "slowest": max(firsts), "target": "≤ 3 s",
                     "met": "yes" if statistics.median(firsts) <= 3 else "no"})
        for index, (link, _) in enumerate(SWITCHES):
            values = [r["switches"][index] for r in measured]
            rows.append({"browser": browser_kind, "measure": f"switch to {link}, until drawn (s)", "median": statistics.median(values),
                         "slowest": max(values), "target": "≤ 1 s", "met": "yes" if statistics.median(values) <= 1 else "no"})
    text = table(rows, f"In Chromium, sample store, {args.runs} runs each (member; load average {load:.2f} at the start)")
    runs = [r for measured in runs.values() for r in measured]
    line = f"Peak resident memory of the server (VmHWM), largest of the runs: {max(r['peak'] for r in runs):,.0f} MB\n"
    print(line)
    return text + "\n" + line


if __name__ == "__main__":
    main()
