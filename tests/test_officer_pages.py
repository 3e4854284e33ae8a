"""The officers' pages under AppTest: upload, history and restore, tracker, data quality, template."""

import shutil

import pytest
from conftest import MATURITY, MATURITY_CSV_HEADER, ORG, ROOT, csv_bytes, excel_return, maturity_row
from streamlit.testing.v1 import AppTest
from test_store import assert_same_tables

from bfc_data.store import Store
from bfc_data.store.startup import open_store

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
OFFICER_PAGES = ["pages/upload.py", "pages/history.py", "pages/tracker.py", "pages/quality.py", "pages/organisation.py",
                 "pages/partner_reports.py"]


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    path = tmp_path_factory.mktemp("officer") / "built.duckdb"
    open_store(path).close()
    return path


@pytest.fixture
def db(built, tmp_path):
    """A fresh copy of the sample store for each test, so uploads do not leak between tests."""
    path = tmp_path / "bfc.duckdb"
    shutil.copy(built, path)
    return path


def app(monkeypatch, db, page, role="officer"):
    monkeypatch.setenv("BFC_DB", str(db))
    monkeypatch.setenv("BFC_LOCAL_ROLE", role)
    monkeypatch.setenv("BFC_LOCAL_NAME", "Olu Officer")
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=90).run()
    at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def upload(at, *files):
    at.file_uploader[0].set_value([(name, data, XLSX if name.endswith("xlsx") else "text/csv") for name, data in files]).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def new_org(code="ORG-0900", name="Fairholt Law Centre"):
    return excel_return(dict(ORG, **{"Organisation code": code, "Organisation name": name, "Sector": "Law centre"}))


def test_upload_a_valid_excel_return_then_confirm(monkeypatch, db):
    at = upload(app(monkeypatch, db, "pages/upload.py"), ("fairholt.xlsx", new_org()))
    overview = at.dataframe[0].value
    assert overview[["File", "Kind of file", "Outcome"]].values.tolist() == [["fairholt.xlsx", "Excel return", "accepted"]]
    assert overview.loc[0, "What loading does"] == "ORG-0900's 2024-25 return is new"
    with Store(db) as store:
        assert store.scalar("SELECT count(*) FROM submissions WHERE organisation_code = 'ORG-0900'") == 0, "nothing stored before confirming"
    [button] = [b for b in at.button if b.key == "confirm_load"]
    button.click().run()
    assert not at.exception
    assert any("Loaded 1 of 1 files" in s.value for s in at.success)
    with Store(db) as store:
        row = store.row("SELECT loaded_by, file_name FROM submissions WHERE organisation_code = 'ORG-0900'")
    assert row == ("Olu Officer", "fairholt.xlsx")


def test_upload_a_valid_csv(monkeypatch, db):
    data = csv_bytes(MATURITY_CSV_HEADER, [maturity_row(code="ORG-0901", name="Upton Vale Law Centre", sector="Law centres")], "cp1252", ";")
    at = upload(app(monkeypatch, db, "pages/upload.py"), ("upton.csv", data))
    assert at.dataframe[0].value.loc[0, "Outcome"] == "accepted with warnings"
    [b for b in at.button if b.key == "confirm_load"][0].click().run()
    with Store(db) as store:
        assert store.scalar("SELECT sector FROM organisations WHERE organisation_code = 'ORG-0901'") == "Law centre"


def test_a_rejected_file_changes_nothing_and_the_report_names_the_cell(monkeypatch, db):
    bad = excel_return(maturity=MATURITY + [["A3", "All roles", "All Londoners", None, "Level 9"]])
    with Store(db) as store:
        before, register_before = store.table_snapshot(), len(store.load_register("test"))
    at = upload(app(monkeypatch, db, "pages/upload.py"), ("bad.xlsx", bad))
    assert at.dataframe[0].value.loc[0, "Outcome"] == "rejected"
    report = at.dataframe[-1].value
    assert report[["Sheet", "Row", "Column", "Value"]].values.tolist() == [["Maturity", 5, "Maturity level", "Level 9"]]
    assert "1 Starting" in report.loc[0, "Expected"]
    assert any("every file was rejected" in w.value for w in at.warning)
    assert not [b for b in at.button if b.key == "confirm_load"]
    labels = [b.label for b in at.get("download_button")]
    assert "Download the problems (CSV)" in labels and "Download the problems (Excel)" in labels
    with Store(db) as store:
        assert_same_tables(before, store.table_snapshot())
        # The refusal is entered in the register when the file is checked, though nothing is then loaded
        # (regression: refusals were recorded only when a loadable file was confirmed with them).
        register = store.load_register("test")
        assert len(register) == register_before + 1
        assert register.iloc[-1][["action", "outcome", "done_by"]].tolist() == ["load", "rejected", "Olu Officer"]
        assert "bad.xlsx, sheet 'Maturity', row 5" in register.iloc[-1]["messages"]


def test_a_bad_file_in_a_batch_does_not_block_the_good_one(monkeypatch, db):
    bad = excel_return(maturity=MATURITY + [["A3", "All roles", "All Londoners", None, "Level 9"]])
    at = upload(app(monkeypatch, db, "pages/upload.py"), ("fairholt.xlsx", new_org()), ("bad.xlsx", bad))
    [b for b in at.button if b.key == "confirm_load"][0].click().run()
    outcomes = at.dataframe[0].value
    assert outcomes[["File", "Outcome"]].values.tolist() == [["fairholt.xlsx", "accepted"], ["bad.xlsx", "rejected"]]
    with Store(db) as store:
        # One load path (the CLI's): a batch records its refusals, then its loads; each file has its own line.
        register = store.load_register("test").tail(2)
        assert dict(zip(register["file_name"], register["outcome"])) == {"fairholt.xlsx": "accepted", "bad.xlsx": "rejected"}


def test_a_superseding_return_says_so_before_it_is_confirmed(monkeypatch, db):
    with Store(db) as store:
        code, name, sector = store.row("SELECT organisation_code, organisation_name, sector FROM current_maturity_submissions "
                                       "WHERE reporting_year = 2025 ORDER BY organisation_code LIMIT 1")
    revised = excel_return(dict(ORG, **{"Organisation code": code, "Organisation name": name, "Sector": sector,
                                        "Reporting year": "2025-26"}))
    at = upload(app(monkeypatch, db, "pages/upload.py"), ("revised.xlsx", revised))
    plan = at.dataframe[0].value.loc[0, "What loading does"]
    assert plan.startswith(f"replaces {code}'s 2025-26 return loaded on ") and "by sample data loader" in plan


def test_template_download_is_offered(monkeypatch, db):
    # The downloaded bytes are opened with openpyxl in the browser test (test_browser.py).
    at = app(monkeypatch, db, "pages/upload.py")
    labels = [b.label for b in at.get("download_button")]
    assert "Download the blank return template (Excel)" in labels


def test_history_filters_and_restore_with_confirmation(monkeypatch, db):
    with Store(db) as store:
        code = store.scalar("SELECT organisation_code FROM current_maturity_submissions WHERE reporting_year = 2024 ORDER BY 1 LIMIT 1")
        name, sector = store.row("SELECT organisation_name, sector FROM organisations WHERE organisation_code = ?", [code])
        from bfc_data.store import load_files
        revised = excel_return(dict(ORG, **{"Organisation code": code, "Organisation name": name, "Sector": sector}))
        [outcome] = load_files(store, [("revised.xlsx", revised)], "someone")
        old = store.scalar("SELECT submission_id FROM submission_history WHERE organisation_code = ? AND reporting_year = 2024 "
                           "AND status = 'superseded' AND carries_maturity", [code])
    at = app(monkeypatch, db, "pages/history.py")
    at.selectbox(key="history_organisation").set_value(code).run()
    table = at.dataframe[0].value
    assert set(table["Organisation code"]) == {code}
    assert table.loc[table["Return"] == outcome.new_submissions[0], "Status"].tolist() == ["current"]
    at.selectbox(key="history_return").set_value(old).run()
    assert at.button(key="restore").disabled
    at.checkbox(key="restore_sure").check().run()
    at.button(key="restore").click().run()
    assert any("restored submission" in s.value for s in at.success)
    # Regression: the page still said "superseded" and offered Restore again until something else reran it.
    table = at.dataframe[0].value
    assert table.loc[table["Return"] == old, "Status"].tolist() == ["current"]
    assert not [b for b in at.button if b.key == "restore"]
    with Store(db) as store:
        assert store.scalar("SELECT status FROM submission_history WHERE submission_id = ?", [old]) == "current"
        assert store.load_register("test").iloc[-1][["action", "done_by"]].tolist() == ["restore", "Olu Officer"]


def test_history_register_lists_every_load(monkeypatch, db):
    at = app(monkeypatch, db, "pages/history.py")
    register = at.dataframe[-1].value
    with Store(db) as store:
        assert len(register) == len(store.load_register("test"))
    assert set(register["Who"]) == {"sample data loader"}


def test_tracker_counts_and_chase_list(monkeypatch, db):
    with Store(db) as store:
        from bfc_data.analysis import tracker
        expected = tracker.chase_list(tracker.status(store, "test", 2025))
    at = app(monkeypatch, db, "pages/tracker.py")
    # Every heading as a person reads it, each with a capital (the by-sector table showed "not yet returned").
    assert at.dataframe[0].value.columns.tolist() == ["Sector", "Organisations", "Returned this year", "Not yet returned",
                                                      "Never returned", "% returned"]
    chase = at.dataframe[1].value
    assert chase["Organisation code"].tolist() == expected["organisation_code"].tolist()
    assert f"{len(expected)} have not" in at.markdown[0].value
    labels = [b.label for b in at.get("download_button")]
    assert "Download the chase list (CSV)" in labels and "Download the chase list (Excel)" in labels


def test_data_quality_lists_warnings_by_organisation(monkeypatch, db):
    at = app(monkeypatch, db, "pages/quality.py")
    table = at.dataframe[0].value
    assert {"Organisation", "Check", "Detail"} <= set(table.columns) and len(table) > 0
    at.multiselect(key="quality_checks").set_value(["actions with no level"]).run()
    assert set(at.dataframe[0].value["Check"]) == {"actions with no level"}


@pytest.mark.parametrize("page", OFFICER_PAGES)
def test_a_member_is_refused_every_officer_page(monkeypatch, db, page):
    monkeypatch.setenv("BFC_DB", str(db))
    monkeypatch.setenv("BFC_LOCAL_ROLE", "member")
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60).run()
    at.switch_page(page).run()
    assert not at.exception
    assert "GLA officers" in at.error[0].value, "through the navigation, the page refuses in the dashboard's words"
    assert not at.dataframe and not at.file_uploader and not at.get("download_button")
    # Opened directly (as after the entry script), the page refuses on its own and shows nothing.
    direct = AppTest.from_file(str(ROOT / page), default_timeout=60)
    direct.session_state["entered"] = True
    direct.run()
    assert not direct.exception
    assert "GLA officers" in direct.error[0].value
    assert not direct.dataframe and not direct.file_uploader and not direct.get("download_button")


def test_cached_figures_follow_a_new_load(monkeypatch, db):
    at = app(monkeypatch, db, "pages/overview.py")
    before = int({m.label: m.value for m in at.metric}["Organisations returning"])
    with Store(db) as store:
        from bfc_data.store import load_files
        revised = excel_return(dict(ORG, **{"Organisation code": "ORG-0950", "Organisation name": "New Partner",
                                            "Reporting year": "2025-26"}))
        load_files(store, [("new.xlsx", revised)], "someone")
    at.run()
    assert int({m.label: m.value for m in at.metric}["Organisations returning"]) == before + 1


def test_history_picker_offers_the_newest_returns_and_says_how_to_find_older_ones(monkeypatch, db):
    from bfc_data.analysis import history
    monkeypatch.setattr(history, "PICKER_LIMIT", 5)
    at = app(monkeypatch, db, "pages/history.py")
    table = at.dataframe[0].value
    picker = at.selectbox(key="history_return")
    assert len(table) > 5 and picker.options == [history.descriptions(table).get(r) for r in table["Return"].head(5)]
    assert any("5 newest returns" in c.value for c in at.caption)
    # One organisation's returns are few: every one is offered, and nothing is said about older ones.
    code = table.loc[table["Organisation code"] != "", "Organisation code"].iloc[0]
    at.selectbox(key="history_organisation").set_value(code).run()
    narrowed = at.dataframe[0].value
    assert len(at.selectbox(key="history_return").options) == len(narrowed) <= 5
    assert not any("newest returns" in c.value for c in at.caption)


def test_return_descriptions_say_who_file_when_and_status(db):
    from bfc_data.analysis import history
    with Store(db) as store:
        table = history.submissions_table(store, "test")
    said = history.descriptions(table, limit=len(table))
    row = table[table["Organisation"] != ""].iloc[0]
    assert said[int(row["Return"])] == (f"{row['Return']}: {row['Organisation']} {row['Reporting year']}, {row['File']}, "
                                        f"loaded {row['Loaded (London time)']} ({row['Status']})")
    # A file that is not one organisation's return (a delivery partner's attendance list) is named by its kind.
    other = table[table["Organisation"] == ""].iloc[0]
    assert said[int(other["Return"])].startswith(f"{other['Return']}: {other['Kind']}, {other['File']}, loaded ")
    assert len(history.descriptions(table)) == min(len(table), history.PICKER_LIMIT)
