"""Small hand-built returns, written the way partners' own tools write them."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from openpyxl import Workbook

from bfc_data.reference.framework import framework
from bfc_data.store import Store

ROOT = Path(__file__).resolve().parent.parent

ORG = {
    "Organisation name": "Brookmere Housing Association",
    "Organisation code": "ORG-0042",
    "Sector": "Housing association",
    "Size band": "250-999",
    "Borough": "Hackney",
    "Reporting year": "2024-25",
    "Contact name": "Sam Lee",
    "Contact email": "sam.lee@example.org",
}
MATURITY_HEADER = ["Action", "Role", "Equality group", "Intersecting group", "Maturity level", "Evidence", "Next step", "Support wanted"]
MATURITY = [
    ["A1", "All roles", "All Londoners", None, "3 Achieving", "Accredited 2023", None, None],
    ["A1", "Employer", "Race", None, 2, None, "Publish ethnicity pay gap", "Action-learning set"],
    ["A5", "All roles", "All Londoners", None, "Developing", None, None, None],
]
METRICS = [
    ["LLW_SHARE", None, 92.5, None],
    ["PAY_GAP_MEDIAN", "Race", -4.2, "Hourly pay"],
]

MATURITY_CSV_HEADER = ["organisation_code", "organisation_name", "sector", "reporting_year", "action", "role",
                       "equality_group", "intersecting_group", "maturity_level", "evidence", "next_step", "support_wanted"]


def excel_return(org: dict | None = None, maturity=None, metrics=None, *, maturity_header=None,
                 sheets=("Organisation", "Maturity", "Metrics")) -> bytes:
    """An Excel return as openpyxl writes it; None for a part leaves the defaults above."""
    org = ORG if org is None else org
    book = Workbook()
    book.remove(book.active)
    if "Organisation" in sheets:
        sheet = book.create_sheet("Organisation")
        sheet.append(["Question", "Your answer"])
        for label, value in org.items():
            sheet.append([label, value])
    if "Maturity" in sheets:
        sheet = book.create_sheet("Maturity")
        sheet.append(maturity_header or MATURITY_HEADER)
        for row in MATURITY if maturity is None else maturity:
            sheet.append(row)
    if "Metrics" in sheets:
        sheet = book.create_sheet("Metrics")
        sheet.append(["Metric", "Equality group", "Value", "Notes"])
        for row in METRICS if metrics is None else metrics:
            sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def fairholt_return() -> bytes:
    """A new organisation's 2025-26 Excel return, for tests that load one through the pages."""
    return excel_return(dict(ORG, **{"Organisation code": "ORG-0900", "Organisation name": "Fairholt Law Centre",
                                     "Sector": "Law centre", "Reporting year": "2025-26"}))


def csv_bytes(header: list[str], rows: list[list], encoding="utf-8", separator=",") -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=separator, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode(encoding)


def maturity_row(code="ORG-0042", name="Brookmere Housing Association", sector="Housing association", year="2024-25",
                 action="A1", role="All roles", group="All Londoners", intersecting="", level="3", support=""):
    return [code, name, sector, year, action, role, group, intersecting, level, "", "", support]


@pytest.fixture
def fw():
    return framework()


@pytest.fixture
def store(tmp_path):
    with Store(tmp_path / "bfc.duckdb") as s:
        yield s


@pytest.fixture(scope="module")
def sample_db(tmp_path_factory):
    """A store built from the bundled sample, once per test module."""
    from bfc_data.store.startup import open_store
    path = tmp_path_factory.mktemp("sample") / "bfc.duckdb"
    open_store(path).close()
    return path


@pytest.fixture
def served(monkeypatch):
    """What each download button on a page would serve, by key (or label): bytes, or the callable Streamlit
    runs when the button is clicked. AppTest runs no such callable itself, so tests call it."""
    import streamlit
    from streamlit.elements.widgets.button import ButtonMixin

    captured: dict[str, object] = {}
    original = ButtonMixin.download_button

    def capture(self, label, data, *args, **kwargs):
        captured[kwargs.get("key") or label] = data
        return original(self, label, data, *args, **kwargs)

    monkeypatch.setattr(ButtonMixin, "download_button", capture)
    monkeypatch.setattr(streamlit, "download_button", lambda *args, **kwargs: capture(streamlit._main, *args, **kwargs))
    return captured
