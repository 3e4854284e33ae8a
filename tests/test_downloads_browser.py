"""Issue 11: every way out of the app is safe and recorded, tried in Chromium with hostile values in the store.

The store holds organisations whose names, contacts and values are spreadsheet formulas. An officer then takes
every route out: a chart's CSV and PNG, the chase list (CSV and Excel), the list of returns, the problem report
(CSV and Excel) of a hostile upload, and the board pack. No text cell may begin with =, +, -, @, a tab or a
carriage return, no Excel cell may be a formula, every organisation-level download is in the load register,
and Streamlit's own table toolbar offers no export at all.
"""

from __future__ import annotations

import csv
import io
import os
import zipfile
from pathlib import Path

import openpyxl
import pytest
from browser import CHROMIUM, browser, streamlit_server, wait_for_app
from conftest import MATURITY_CSV_HEADER, csv_bytes, maturity_row

from bfc_data.outputs.export import FORMULA_STARTS
from bfc_data.store import load_files
from bfc_data.store.startup import open_store

pytestmark = pytest.mark.browser

if not Path(CHROMIUM).exists():
    if os.environ.get("CI"):
        raise RuntimeError("CI must install Debian's chromium for the browser tests (see .ci/run)")
    pytest.skip("Debian's chromium is not installed here (apt-get install -y chromium)", allow_module_level=True)

HOSTILE = ['=HYPERLINK("http://x.example","click")', "+44 20 7983 4000", "-1+1", "@SUM(A1)", "\t=1+1", "\r=1+1"]
REGISTER_HEADER = ["organisation_code", "organisation_name", "sector", "size_band", "borough", "contact_name", "contact_email"]


@pytest.fixture(scope="module")
def hostile_store(tmp_path_factory):
    folder = tmp_path_factory.mktemp("hostile")
    db = folder / "bfc.duckdb"
    with open_store(db) as store:
        register = [[f"ORG-{9100 + i}", f"{value} Trust", "Health", "50-249", "Camden", value, f"{i}@example.org"]
                    for i, value in enumerate(HOSTILE)]
        returns = [maturity_row(code=f"ORG-{9200 + i}", name=value, sector="Health", year="2022-23") for i, value in enumerate(HOSTILE)]
        outcomes = load_files(store, [("register.csv", csv_bytes(REGISTER_HEADER, register)),
                                      ("hostile.csv", csv_bytes(MATURITY_CSV_HEADER, returns))], "test")
        assert not any(o.rejected for o in outcomes), [o.messages for o in outcomes]
    return folder, db


def _unsafe_text(value) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)


def check_csv(data: bytes) -> list[str]:
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert len(rows) > 1, "an empty download proves nothing"
    return [cell for row in rows for cell in row if _unsafe_text(cell)]


def check_workbook(data: bytes) -> list[str]:
    book = openpyxl.load_workbook(io.BytesIO(data))
    found = []
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.data_type == "f" or _unsafe_text(cell.value):
                    found.append(f"{sheet.title}!{cell.coordinate}: {cell.value!r}")
    return found


def check_deck(data: bytes) -> list[str]:
    """The deck's slides as text, and the workbooks its native charts carry inside."""
    found = []
    with zipfile.ZipFile(io.BytesIO(data)) as deck:
        embedded = [n for n in deck.namelist() if n.endswith(".xlsx")]
        assert embedded, "the native charts carry their data in workbooks"
        for name in embedded:
            found += [f"{name}: {f}" for f in check_workbook(deck.read(name))]
    return found


def download(page, button: str, folder: Path) -> bytes:
    with page.expect_download() as event:
        page.get_by_role("button", name=button).first.click()
    path = folder / event.value.suggested_filename
    event.value.save_as(path)
    wait_for_app(page)
    return path.read_bytes()


def test_every_way_out_is_safe_and_recorded(hostile_store, tmp_path):
    folder, db = hostile_store
    bad_upload = tmp_path / "hostile_upload.csv"
    bad_upload.write_bytes(csv_bytes(MATURITY_CSV_HEADER, [
        maturity_row(code="ORG-9300", name='=HYPERLINK("http://x.example")', level="=1+1"),
        maturity_row(code="ORG-9301", name="@SUM(A1)", action="-A1")]))
    unsafe: dict[str, list[str]] = {}
    with streamlit_server(db, {"BFC_LOCAL_ROLE": "officer", "BFC_LOCAL_NAME": "Test Officer"}) as url, browser() as page:
        page.goto(f"{url}/tracker?year=2025-26")
        wait_for_app(page)
        chase = download(page, "Download the chase list (CSV)", tmp_path)
        assert b"'=HYPERLINK" in chase and b"'@SUM(A1)" in chase, "the hostile organisations are on the chase list, neutralised"
        unsafe["chase list CSV"] = check_csv(chase)
        unsafe["chase list Excel"] = check_workbook(download(page, "Download the chase list (Excel)", tmp_path))

        # Streamlit's own table toolbar: no download, no copy. Hover a table as a person would.
        table = page.locator('[data-testid="stDataFrame"]').first
        table.hover()
        page.wait_for_timeout(500)
        assert page.locator('[data-testid="stElementToolbar"]').count(), "the table's toolbar shows on hover"
        toolbar = page.locator('[data-testid="stElementToolbar"]').first.inner_html()
        assert "fullscreen" in toolbar.lower() and "download" not in toolbar.lower(), toolbar[:300]

        page.goto(f"{url}/history")
        wait_for_app(page)
        unsafe["list of returns"] = check_csv(download(page, "Download this list (CSV)", tmp_path))

        page.goto(f"{url}/upload")
        wait_for_app(page)
        page.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files([str(bad_upload)])
        page.wait_for_function("() => document.body.innerText.includes('What was found')", timeout=60_000)
        wait_for_app(page)
        unsafe["problem report CSV"] = check_csv(download(page, "Download the problems (CSV)", tmp_path))
        unsafe["problem report Excel"] = check_workbook(download(page, "Download the problems (Excel)", tmp_path))

        page.goto(f"{url}/coverage")
        wait_for_app(page)
        unsafe["chart CSV"] = check_csv(download(page, "Download the data (CSV)", tmp_path))
        png = download(page, "Download the chart (PNG)", tmp_path) if page.get_by_role(
            "button", name="Download the chart (PNG)").count() else b"\x89PNG"
        assert png.startswith(b"\x89PNG"), "a picture carries no cells"

        page.goto(f"{url}/boardpack")
        wait_for_app(page)
        unsafe["board pack"] = check_deck(download(page, "Download the board pack (PowerPoint)", tmp_path))

        page.goto(f"{url}/history")
        wait_for_app(page)
        register = page.locator('[data-testid="stMain"]').inner_text()
    assert not any(unsafe.values()), {route: cells[:5] for route, cells in unsafe.items() if cells}
    # Officers' downloads of organisation-level data are in the load register: who and what (the register is
    # shown on the History page; the store itself is held by the server while it runs).
    with open_store(db, None) as store:
        recorded = store.query("SELECT done_by, subject FROM load_register WHERE action = 'download'")
    subjects = " | ".join(recorded["subject"])
    assert set(recorded["done_by"]) == {"Test Officer"}
    for what in ("chase list 2025-26", "list of returns", "problem report of hostile_upload.csv", "board pack 2025-26",
                 "Organisations returning, new and lapsed, by reporting year (officers' figures"):
        assert what in subjects, (what, subjects)
    assert "download" in register.lower()
