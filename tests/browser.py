"""Running the real dashboard with `streamlit run` and driving it in Debian's headless Chromium."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
# The running servers' processes by URL, so a test can look at one (its memory, whether it still runs).
SERVERS: dict[str, subprocess.Popen] = {}
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def streamlit_server(db: Path, extra_env: dict | None = None, port: int | None = None, extra_args: tuple[str, ...] = ()):
    """`streamlit run dashboard.py` on a free localhost port; yields its URL and stops it afterwards."""
    port = port or free_port()
    env = {**os.environ, "BFC_DB": str(db), **(extra_env or {})}
    log = open(db.parent / "streamlit.log", "w")
    # The streamlit process itself, not a wrapper shell, so that stopping it stops the server.
    process = subprocess.Popen([sys.executable, "-m", "streamlit", "run", str(ROOT / "dashboard.py"),
                                "--server.port", str(port), "--server.address", "127.0.0.1", "--server.headless", "true",
                                "--browser.gatherUsageStats", "false", *extra_args], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if urllib.request.urlopen(f"{url}/_stcore/health", timeout=2).read() == b"ok":
                    break
            except OSError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"streamlit did not start: {(db.parent / 'streamlit.log').read_text()[-2000:]}")
            time.sleep(0.3)
        SERVERS[url] = process
        yield url
    finally:
        SERVERS.pop(url, None)
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


BUSY = '[data-testid="stStatusWidget"], [data-testid="stSkeleton"]'


def wait_for_app(page, timeout: float = 60_000, quiet: float = 1.0) -> None:
    """Wait until the page has drawn its title and been quiet for `quiet` seconds: no script running, no
    skeletons, and the same page. A shared link's first run goes through the entry script and back to the page
    (see pages/shared/navigation), so the page's address can change between runs (the query string, which the
    filters write, may change without a new page)."""
    page.wait_for_selector('[data-testid="stApp"]', timeout=timeout)
    deadline = time.monotonic() + timeout / 1000
    address, quiet_since = page.url.split("?")[0], None
    while time.monotonic() < deadline:
        now = page.url.split("?")[0]
        drawn = page.locator('[data-testid="stMain"] h1').count() > 0
        if page.locator(BUSY).count() or now != address or not drawn:
            address, quiet_since = now, None
        elif quiet_since is None:
            quiet_since = time.monotonic()
        elif time.monotonic() - quiet_since >= quiet:
            return
        page.wait_for_timeout(100)
    raise TimeoutError(f"the page did not settle within {timeout / 1000:.0f} s: {page.url}")


@contextmanager
def browser(viewport=(1400, 2200), color_scheme="light"):
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield chromium.new_page(viewport={"width": viewport[0], "height": viewport[1]}, accept_downloads=True,
                                   color_scheme=color_scheme)
        finally:
            chromium.close()
