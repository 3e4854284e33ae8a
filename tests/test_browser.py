"""What a person sees and does: the real dashboard in headless Chromium."""

import os
from pathlib import Path

import pytest
from browser import CHROMIUM, browser, streamlit_server, wait_for_app

from bfc_data.analysis import overview
from bfc_data.store.startup import open_store

pytestmark = pytest.mark.browser

if not Path(CHROMIUM).exists():
    if os.environ.get("CI"):
        raise RuntimeError("CI must install Debian's chromium for the browser tests (see .ci/run)")
    pytest.skip("Debian's chromium is not installed here (apt-get install -y chromium)", allow_module_level=True)

PAGES = {"": "Building a Fairer City: progress overview", "priority_areas": "Priority areas and actions",
         "sectors": "Sectors", "equality_groups": "Equality groups", "progress": "Progress over time",
         "metrics": "Metrics", "coverage": "Coverage: who is taking part", "learning": "Learning programme"}
SHOTS = Path(os.environ["BFC_SCREENSHOTS"]) if os.environ.get("BFC_SCREENSHOTS") else None


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    db = tmp_path_factory.mktemp("browser") / "bfc.duckdb"
    # Built before the server starts: it then holds the file, and no second process may open it.
    with open_store(db) as store:
        expected = overview.headline(store)
    with streamlit_server(db) as url:
        yield url, expected


def main_text(page) -> str:
    return page.locator('[data-testid="stMain"]').inner_text()


def test_overview_shows_the_headline(server):
    url, expected = server
    with browser() as page:
        page.goto(url)
        wait_for_app(page)
        assert page.locator('[data-testid="stException"]').count() == 0
        text = main_text(page)
    assert "Building a Fairer City: progress overview" in text and "Sample data" in text
    assert f"Reporting year {expected.reporting_year}-{(expected.reporting_year + 1) % 100:02d}" in text
    assert expected.summary in text


@pytest.mark.parametrize("path", list(PAGES))
def test_every_page_renders_its_charts_and_summaries(server, path):
    url, _ = server
    with browser() as page:
        page.goto(f"{url}/{path}")
        wait_for_app(page)
        page.wait_for_selector('[data-testid="stPlotlyChart"] .main-svg', timeout=30_000)
        assert page.locator('[data-testid="stException"]').count() == 0
        text = main_text(page)
        charts = page.locator('[data-testid="stPlotlyChart"]').count()
        if SHOTS:
            page.screenshot(path=str(SHOTS / f"{path or 'overview'}.png"))
    assert PAGES[path] in text
    assert charts >= 1 and text.count("In words:") >= charts
    assert "nan" not in text.lower().split() and "None" not in text.split()


@pytest.mark.parametrize("path, title", [("programme", "Programme delivery"), ("boardpack", "Board pack")])
def test_pages_without_charts_render(server, path, title):
    url, _ = server
    with browser() as page:
        page.goto(f"{url}/{path}")
        wait_for_app(page)
        page.wait_for_function(f"() => document.body.innerText.includes('{title}')", timeout=30_000)
        assert page.locator('[data-testid="stException"]').count() == 0
        text = main_text(page)
        if SHOTS:
            page.screenshot(path=str(SHOTS / f"{path}.png"))
    assert "nan" not in text.lower().split()


def test_a_filter_changes_the_page_the_link_and_the_next_page(server):
    url, _ = server
    with browser() as page:
        page.goto(f"{url}/sectors")
        wait_for_app(page)
        before = main_text(page)
        sidebar = page.locator('[data-testid="stSidebar"]')
        sidebar.locator('[data-testid="stMultiSelect"]').first.click()
        page.get_by_role("option", name="Health", exact=True).click()
        page.keyboard.press("Escape")
        wait_for_app(page)
        page.wait_for_function("() => document.body.innerText.includes('Filtered to Sector: Health')", timeout=30_000)
        after = main_text(page)
        assert "sector=Health" in page.url
        assert after != before and "Health has a mean level of" in after
        # Another page keeps the filter.
        sidebar.locator('.st-key-bfc_navigation a', has_text="Overview").click()
        wait_for_app(page)
        page.wait_for_function("() => document.body.innerText.includes('progress overview')", timeout=30_000)
        assert "Filtered to Sector: Health" in main_text(page)
        # A shared link opens with the same view.
        shared = page.url
    with browser() as other:
        other.goto(shared)
        wait_for_app(other)
        assert "Filtered to Sector: Health" in main_text(other)


def test_a_shared_link_to_a_page_works_as_the_first_request_after_a_restart(tmp_path):
    # Regression: on a fresh server, a first request for /sectors ran pages/sectors.py on its own, in
    # Streamlit's legacy folder mode: no filters, a wrong navigation and "no returns loaded".
    db = tmp_path / "bfc.duckdb"
    open_store(db).close()
    with streamlit_server(db) as url, browser() as page:
        page.goto(f"{url}/sectors?sector=Health")
        wait_for_app(page)
        page.wait_for_function("() => document.body.innerText.includes('Filtered to Sector: Health')", timeout=30_000)
        text = main_text(page)
        nav = page.locator('.st-key-bfc_navigation').inner_text()
        assert page.locator('[data-testid="stException"]').count() == 0
    assert "Sectors" in text and "Health has a mean level of" in text
    assert "common" not in nav and "shared" not in nav and "dashboard" not in nav


def test_an_officer_uploads_confirms_and_sees_the_new_organisation_counted(tmp_path):
    import openpyxl
    from conftest import MATURITY, excel_return, fairholt_return

    db = tmp_path / "bfc.duckdb"
    with open_store(db) as store:
        before = overview.headline(store).organisations
    good = tmp_path / "fairholt.xlsx"
    good.write_bytes(fairholt_return())
    bad = tmp_path / "broken.xlsx"
    bad.write_bytes(excel_return(maturity=MATURITY + [["A3", "All roles", "All Londoners", None, "Level 9"]]))
    with streamlit_server(db, {"BFC_LOCAL_ROLE": "officer"}) as url, browser() as page:
        page.goto(f"{url}/upload")
        wait_for_app(page)
        with page.expect_download() as download:
            page.get_by_role("button", name="Download the blank return template (Excel)").click()
        assert download.value.suggested_filename == "BFC_return_template.xlsx"
        download.value.save_as(tmp_path / download.value.suggested_filename)
        template = openpyxl.load_workbook(tmp_path / download.value.suggested_filename)
        assert template.sheetnames[:4] == ["How to fill this in", "Organisation", "Maturity", "Metrics"]

        page.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files([str(good), str(bad)])
        page.wait_for_function("() => document.body.innerText.includes('What was found')", timeout=60_000)
        wait_for_app(page)
        with page.expect_download() as download:
            page.get_by_role("button", name="Download the problems (Excel)").click()
        download.value.save_as(tmp_path / download.value.suggested_filename)
        report = openpyxl.load_workbook(tmp_path / download.value.suggested_filename)["Problems"]
        header = [c.value for c in report[1]]
        first = dict(zip(header, [c.value for c in report[2]]))
        assert (first["File"], first["Sheet"], first["Row"], first["Column"], first["Value"]) == (
            "broken.xlsx", "Maturity", 5, "Maturity level", "Level 9")
        if SHOTS:
            page.screenshot(path=str(SHOTS / "upload.png"))

        page.get_by_role("button", name="Load 1 file").click()
        page.wait_for_function("() => document.body.innerText.includes('Loaded 1 of 2 files')", timeout=60_000)
        page.locator('.st-key-bfc_navigation a', has_text="Overview").click()
        wait_for_app(page)
        page.wait_for_function("() => document.body.innerText.includes('progress overview')", timeout=30_000)
        text = main_text(page)
    assert f"Organisations returning\n\n{before + 1}" in text or f"{before + 1} organisations in" in text
