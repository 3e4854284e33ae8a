"""The dashboard and its pages under Streamlit's AppTest."""

import pytest
from streamlit.testing.v1 import AppTest

from bfc_data import overview
from bfc_data.startup import open_store
from conftest import ROOT


@pytest.fixture
def sample_db(tmp_path_factory):
    path = tmp_path_factory.mktemp("dash") / "bfc.duckdb"
    open_store(path).close()
    return path


def run_app(monkeypatch, db, samples=None):
    monkeypatch.setenv("BFC_DB", str(db))
    if samples is not None:
        monkeypatch.setenv("BFC_SAMPLE_DIR", samples)
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    return at.run()


def test_dashboard_runs_on_the_sample_store(monkeypatch, sample_db):
    at = run_app(monkeypatch, sample_db)
    assert not at.exception
    with open_store(sample_db, None) as store:
        expected = overview.headline(store)
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Organisations returning"] == str(expected.organisations)
    assert metrics["Mean maturity level (1–4)"] == f"{expected.mean_level:.2f}"
    assert metrics["Sectors represented"] == "14"
    assert any(expected.summary == m.value for m in at.markdown)
    assert any("Sample data" in i.value for i in at.info)
    assert at.title[0].value == "Building a Fairer City: progress overview"
    table = at.dataframe[0].value
    assert table["Reporting year"].tolist() == ["2022-23", "2023-24", "2024-25", "2025-26"]


def test_dashboard_builds_its_store_on_first_start(monkeypatch, tmp_path):
    db = tmp_path / "fresh" / "bfc.duckdb"
    at = run_app(monkeypatch, db)
    assert not at.exception and db.exists()
    assert int({m.label: m.value for m in at.metric}["Organisations returning"]) > 80


def test_dashboard_on_an_empty_store_says_so(monkeypatch, tmp_path):
    at = run_app(monkeypatch, tmp_path / "empty.duckdb", samples="")
    assert not at.exception
    assert "No returns have been loaded yet" in at.warning[0].value
    assert not at.info
