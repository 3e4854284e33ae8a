"""What a person sees: the real dashboard in headless Chromium."""

import os
from pathlib import Path

import pytest

from bfc_data import overview
from bfc_data.startup import open_store
from browser import CHROMIUM, browser, streamlit_server, wait_for_app

pytestmark = pytest.mark.browser

if not Path(CHROMIUM).exists():
    if os.environ.get("CI"):
        raise RuntimeError("CI must install Debian's chromium for the browser tests (see .ci/run)")
    pytest.skip("Debian's chromium is not installed here (apt-get install -y chromium)", allow_module_level=True)


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    db = tmp_path_factory.mktemp("browser") / "bfc.duckdb"
    # Built before the server starts: it then holds the file, and no second process may open it.
    with open_store(db) as store:
        expected = overview.headline(store)
    with streamlit_server(db) as url:
        yield url, expected


def test_overview_shows_the_headline(server, tmp_path):
    url, expected = server
    with browser() as page:
        page.goto(url)
        wait_for_app(page)
        assert page.locator('[data-testid="stException"]').count() == 0
        text = page.locator('[data-testid="stMain"]').inner_text()
        page.screenshot(path=str(Path(os.environ.get("BFC_SCREENSHOTS", tmp_path)) / "overview.png"))
    assert "Building a Fairer City: progress overview" in text
    assert "Sample data" in text
    assert "Organisations returning" in text and "Reporting year 2025-26" in text
    assert expected.summary in text
    assert "nan" not in text.lower().split()
