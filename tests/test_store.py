"""The store keeps every rule of a load: whole or nothing, one submission per content, history kept."""

import threading

import pandas as pd
import pytest
from conftest import MATURITY, MATURITY_CSV_HEADER, ORG, csv_bytes, excel_return, maturity_row

from bfc_data.intake.validation import validate_bytes
from bfc_data.store import AccessRefused, NotFound, Store, load_files

GOOD = ("brookmere.xlsx", excel_return())
BAD = ("broken.xlsx", excel_return(maturity=MATURITY + [["A3", "All roles", "All Londoners", None, "Level 9"]]))


def assert_same_tables(before: dict, after: dict):
    assert before.keys() == after.keys()
    for table in before:
        pd.testing.assert_frame_equal(before[table], after[table], check_dtype=False, obj=table)


def test_accepted_load_stores_rows_raw_bytes_and_register(store):
    [outcome] = load_files(store, [GOOD], "officer.one")
    assert outcome.outcome == "accepted" and len(outcome.new_submissions) == 1
    scores = store.query("SELECT action, role, equality_group, maturity_level, sector, priority_area FROM current_maturity ORDER BY source_row")
    assert scores.values.tolist() == [["A1", "All roles", "All Londoners", 3, "Housing association", "Living standards"],
                                      ["A1", "Employer", "Race", 2, "Housing association", "Living standards"],
                                      ["A5", "All roles", "All Londoners", 2, "Housing association", "Equality in the labour market"]]
    assert store.query("SELECT metric, value FROM current_metrics ORDER BY metric").values.tolist() == [["LLW_SHARE", 92.5], ["PAY_GAP_MEDIAN", -4.2]]
    name, data = store.raw_file("test", outcome.new_submissions[0])
    assert (name, data) == GOOD
    register = store.load_register("test")
    assert register[["done_by", "action", "file_name", "outcome", "rows_read", "rows_loaded"]].values.tolist() == [
        ["officer.one", "load", "brookmere.xlsx", "accepted", 5, 5]]
    assert register.loc[0, "file_sha256"] == outcome.validated.sha256
    organisation = store.query("SELECT * FROM organisations").iloc[0]
    assert organisation["organisation_name"] == "Brookmere Housing Association" and organisation["borough"] == "Hackney"


def test_rejected_file_in_a_batch_changes_no_data_table(store):
    load_files(store, [GOOD], "officer.one")
    before = store.table_snapshot()
    outcomes = load_files(store, [BAD, ("later.csv", csv_bytes(MATURITY_CSV_HEADER, [maturity_row(code="ORG-0100", level="X")]))], "officer.two")
    assert [o.outcome for o in outcomes] == ["rejected", "rejected"]
    assert_same_tables(before, store.table_snapshot())
    register = store.load_register("test")
    assert register["outcome"].tolist() == ["accepted", "rejected", "rejected"]
    assert "Level 9" in register.loc[1, "messages"] and "row 5" in register.loc[1, "messages"]


def test_bad_file_never_blocks_the_good_ones(store):
    other = ("other.xlsx", excel_return(dict(ORG, **{"Organisation code": "ORG-0043", "Organisation name": "Other"})))
    outcomes = load_files(store, [GOOD, BAD, other], "officer.one")
    assert [o.outcome for o in outcomes] == ["accepted", "rejected", "accepted"]
    assert store.scalar("SELECT count(*) FROM current_maturity_submissions") == 2


def test_failure_in_the_middle_of_a_load_rolls_back(store, monkeypatch):
    load_files(store, [GOOD], "officer.one")
    before = store.table_snapshot()
    original = Store._insert

    def failing(self, cur, table, rows):
        if table == "metric_values":
            raise RuntimeError("disk full")
        return original(self, cur, table, rows)

    monkeypatch.setattr(Store, "_insert", failing)
    other = ("other.xlsx", excel_return(dict(ORG, **{"Organisation code": "ORG-0043"})))
    [outcome] = load_files(store, [other], "officer.one")
    assert outcome.outcome == "failed" and "disk full" in outcome.failure
    assert_same_tables(before, store.table_snapshot())
    assert store.load_register("test")["outcome"].tolist() == ["accepted", "failed"]


def test_same_content_twice_is_one_submission(store):
    load_files(store, [GOOD], "officer.one")
    before = store.table_snapshot()
    # Same bytes, and the same content saved again by another program under another name.
    typed_differently = {"organisation NAME": ORG["Organisation name"], "Org code": "org 42", "Sector:": "Housing Associations",
                         **{k: val for k, val in ORG.items() if k not in ("Organisation name", "Organisation code", "Sector")}}
    resaved = ("copy of brookmere.xlsx", excel_return(typed_differently))
    assert resaved[1] != GOOD[1]
    outcomes = load_files(store, [GOOD, resaved], "officer.two")
    assert [o.outcome for o in outcomes] == ["already received", "already received"]
    assert_same_tables(before, store.table_snapshot())
    assert store.scalar("SELECT count(*) FROM submissions") == 1


def test_later_return_supersedes_and_restore_brings_back(store):
    [first] = load_files(store, [GOOD], "officer.one")
    revised = ("revised.xlsx", excel_return(maturity=[["A1", "All roles", "All Londoners", None, 4]]))
    validated = validate_bytes(*revised)
    [plan] = store.load_plan(validated)
    assert plan.startswith("replaces ORG-0042's 2024-25 return loaded on") and "brookmere.xlsx" in plan
    [second] = load_files(store, [revised], "officer.two")
    assert second.replaced == [plan]
    assert store.query("SELECT maturity_level FROM current_maturity").values.ravel().tolist() == [4]
    history = store.history("test", "ORG-0042")
    assert history.set_index("submission_id")["status"].to_dict() == {first.new_submissions[0]: "superseded", second.new_submissions[0]: "current"}

    # Content of a superseded return coming again changes nothing; restore is the way back.
    [again] = load_files(store, [GOOD], "officer.three")
    assert again.outcome == "already received"
    assert store.query("SELECT maturity_level FROM current_maturity").values.ravel().tolist() == [4]

    said = store.restore(first.new_submissions[0], "officer.four")
    assert "ORG-0042's current 2024-25 return" in said
    assert sorted(store.query("SELECT maturity_level FROM current_maturity").values.ravel().tolist()) == [2, 2, 3]
    assert store.history("test", "ORG-0042").set_index("submission_id")["status"].to_dict() == {
        first.new_submissions[0]: "current", second.new_submissions[0]: "superseded"}
    register = store.load_register("test")
    assert register["action"].tolist() == ["load", "load", "load", "restore"]
    assert register.iloc[-1]["done_by"] == "officer.four"


def test_metrics_csv_supersedes_only_the_metrics_part(store):
    load_files(store, [GOOD], "officer.one")
    metrics = csv_bytes(["organisation_code", "reporting_year", "metric", "value"], [["ORG-0042", "2024", "LLW_SHARE", "99"]])
    load_files(store, [("metrics.csv", metrics)], "officer.one")
    assert store.query("SELECT metric, value FROM current_metrics").values.tolist() == [["LLW_SHARE", 99.0]]
    assert store.scalar("SELECT count(*) FROM current_maturity") == 3


def test_history_filters_and_restore_refusals(store):
    load_files(store, [GOOD], "officer.one")
    assert len(store.history("test", "ORG-0042", 2024)) == 1 and store.history("test", "ORG-0042", 2023).empty
    with pytest.raises(NotFound):
        store.restore(999, "officer.one")
    with pytest.raises(AccessRefused):
        store.restore(1, "")
    with pytest.raises(NotFound):
        store.raw_file("test", 999)


def test_store_reopens_with_its_contents(tmp_path):
    with Store(tmp_path / "s.duckdb") as first:
        load_files(first, [GOOD], "officer.one")
    with Store(tmp_path / "s.duckdb") as again:
        assert again.counts()["returns"] == 1
    with Store(tmp_path / "s.duckdb", read_only=True) as reader:
        assert reader.counts()["organisations"] == 1
        with pytest.raises(AccessRefused):
            reader.restore(1, "officer.one")


def test_readers_on_threads_while_a_writer_loads(store):
    load_files(store, [GOOD], "officer.one")
    errors = []

    def read():
        try:
            for _ in range(20):
                store.counts()
        except Exception as exc:  # noqa: BLE001 - any failure fails the test
            errors.append(exc)

    threads = [threading.Thread(target=read) for _ in range(4)]
    for thread in threads:
        thread.start()
    for i in range(5):
        load_files(store, [(f"r{i}.xlsx", excel_return(dict(ORG, **{"Organisation code": f"ORG-{100 + i}"})))], "officer.one")
    for thread in threads:
        thread.join()
    assert errors == [] and store.counts()["organisations"] == 6


def test_download_is_recorded(store):
    store.record_download("officer.one", "organisation table, 2024-25")
    row = store.load_register("test").iloc[-1]
    assert (row["action"], row["done_by"], row["subject"]) == ("download", "officer.one", "organisation table, 2024-25")


def test_a_failing_file_in_a_batch_does_not_take_the_others_with_it(store, monkeypatch):
    original = Store._insert

    def failing(self, cur, table, rows):
        if table == "metric_values" and len(rows) and \
                cur.execute("SELECT count(*) FROM submissions WHERE organisation_code = 'ORG-0043'").fetchone()[0]:
            raise RuntimeError("disk full")
        return original(self, cur, table, rows)

    monkeypatch.setattr(Store, "_insert", failing)
    other = ("other.xlsx", excel_return(dict(ORG, **{"Organisation code": "ORG-0043"})))
    outcomes = load_files(store, [GOOD, other], "officer.one")
    assert [o.outcome for o in outcomes] == ["accepted", "failed"]
    assert store.scalar("SELECT list(DISTINCT organisation_code) FROM submissions") == ["ORG-0042"]
    assert store.load_register("test")["outcome"].tolist() == ["accepted", "failed"]


def test_a_recorded_download_does_not_move_the_figures_version(store):
    # Regression guard: the version keys the pages' figure cache; a download changes no figure.
    before = store.version()
    store.record_download("officer.one", "chase list 2024-25")
    assert store.version() == before
    assert store.load_register("officer.one")["action"].tolist()[-1] == "download"


def test_fingerprints_are_stable_so_stored_returns_are_still_recognised():
    # One fingerprint function (bfc_data.intake.fingerprints) for returns and for learning files; the digests are those
    # stores already hold, so a file re-sent after an upgrade is still recognised as already received.
    from conftest import csv_bytes, excel_return

    from bfc_data.intake.fingerprints import canonical_rows, fingerprint
    from bfc_data.intake.validation import validate_bytes
    assert validate_bytes("r.xlsx", excel_return()).submissions[0].fingerprint() == \
        "cfdef82f504f10b71905d0ef7c6b549052fe6575d1c43af36b947c0a9e626e11"
    events = validate_bytes("events.csv", csv_bytes(["event_id", "date", "format", "priority_area", "title", "delivery"],
                                                    [["E1", "2024-05-01", "Study tour", "Living standards", "Tour", "In person"]]))
    assert fingerprint(canonical_rows(events.events, leave_out=("source_row",))) == \
        "7a45071958f7a78f95a6977730f6d9aa0c9277153ffdbcb1b2c11eb03f196768"


LIVE_LEVELS = """SELECT organisation_code, reporting_year, action, role, equality_group, intersecting_group,
                        sum(maturity_level) AS level_sum, count(maturity_level) AS level_count, any_value(size_band) AS size_band,
                        any_value(priority_area) AS priority_area
                 FROM current_maturity WHERE maturity_level IS NOT NULL GROUP BY ALL ORDER BY ALL"""
KEPT_LEVELS = """SELECT organisation_code, reporting_year, action, role, equality_group, intersecting_group,
                        level_sum, level_count, size_band, priority_area FROM organisation_levels ORDER BY ALL"""


def assert_levels_current(store):
    pd.testing.assert_frame_equal(store.query(KEPT_LEVELS), store.query(LIVE_LEVELS), check_dtype=False)
    # The coarser sums, each checked against the scores themselves (not against the table it is summed from).
    from bfc_data.store import measures
    for table, columns in (("organisation_action_levels", measures.ACTION_COLUMNS), ("organisation_area_levels", measures.AREA_COLUMNS),
                           ("organisation_year_levels", measures.YEAR_COLUMNS), ("organisation_group_levels", measures.GROUP_COLUMNS)):
        names = ", ".join(columns)
        kept = store.query(f"SELECT {names}, level_sum, level_count FROM {table} ORDER BY ALL")
        live = store.query(f"SELECT {names}, sum(maturity_level) AS level_sum, count(maturity_level) AS level_count "
                           f"FROM current_maturity WHERE maturity_level IS NOT NULL GROUP BY ALL ORDER BY ALL")
        assert not kept.empty, table
        pd.testing.assert_frame_equal(kept, live, check_dtype=False, obj=table)
    # The rows asking for support, against the scores.
    names = ", ".join(measures.SUPPORT_COLUMNS)
    kept = store.query(f"SELECT {names} FROM organisation_support_wanted ORDER BY ALL")
    live = store.query(f"SELECT {names} FROM current_maturity WHERE support_wanted IS NOT NULL ORDER BY ALL")
    pd.testing.assert_frame_equal(kept, live, check_dtype=False, obj="organisation_support_wanted")
    # Who returns is kept too: the same counts as working them out now, from the returns as they stand.
    kept = store.query("SELECT * FROM coverage_counts ORDER BY ALL")
    live = store.query(f"SELECT * FROM ({measures._COVERAGE_ROWS}) ORDER BY ALL")
    assert not kept.empty
    pd.testing.assert_frame_equal(kept, live, check_dtype=False, obj="coverage_counts")


def test_organisation_levels_stay_current_through_loads_supersedes_restores_and_register_changes(store):
    [first] = load_files(store, [GOOD], "officer.one")
    assert store.scalar("SELECT count(*) FROM organisation_levels") == 3
    assert_levels_current(store)
    load_files(store, [("revised.xlsx", excel_return(maturity=[["A1", "All roles", "All Londoners", None, 4]]))], "officer.two")
    assert store.query(KEPT_LEVELS)["level_sum"].tolist() == [4]
    assert_levels_current(store)
    store.restore(first.new_submissions[0], "officer.three")
    assert sorted(store.query(KEPT_LEVELS)["level_sum"].tolist()) == [2, 2, 3]
    assert_levels_current(store)
    # The GLA's register moves the organisation to another size band: the kept levels follow.
    register = csv_bytes(["organisation_code", "organisation_name", "sector", "size_band"],
                         [["ORG-0042", "Brookmere Housing Association", "Housing association", "Large (250+)"]])
    load_files(store, [("register.csv", register)], "officer.one")
    assert_levels_current(store)


def test_a_refused_or_failed_load_leaves_organisation_levels_as_they_were(store, monkeypatch):
    load_files(store, [GOOD], "officer.one")
    before = store.query(KEPT_LEVELS)
    load_files(store, [BAD], "officer.one")
    import bfc_data.store.measures as measures

    def broken(cur, codes=None, **changed):
        raise RuntimeError("disk full")
    monkeypatch.setattr(measures, "refresh", broken)
    revised = ("revised.xlsx", excel_return(maturity=[["A1", "All roles", "All Londoners", None, 4]]))
    [outcome] = load_files(store, [revised], "officer.one")
    assert outcome.outcome == "failed" and "disk full" in outcome.failure
    pd.testing.assert_frame_equal(store.query(KEPT_LEVELS), before)
    assert store.query("SELECT maturity_level FROM current_maturity ORDER BY ALL")["maturity_level"].tolist() == [2, 2, 3]


def test_a_store_rebuilds_its_levels_when_the_definition_or_the_framework_moves(tmp_path):
    path = tmp_path / "s.duckdb"
    with Store(path) as first:
        load_files(first, [GOOD], "officer.one")
        first.cursor().execute("DELETE FROM organisation_levels")  # as if written before the table existed
        first.set_meta("organisation_levels", "an older definition")
    with Store(path, read_only=True) as reader:  # read-only: computed live, not the empty table
        assert len(reader.query(KEPT_LEVELS)) == 3
        assert_levels_current(reader)
    with Store(path) as again:
        assert len(again.query(KEPT_LEVELS)) == 3 and again.meta("organisation_levels") != "an older definition"


def test_a_store_whose_kept_tables_had_other_columns_opens_and_rebuilds_them(tmp_path):
    # Kept tables are worked out from the returns, and their definition may change their columns, not only their
    # rows: a store written under an older one must still open (it raised a binder error and would not), with
    # its kept tables rebuilt to today's columns.
    path = tmp_path / "s.duckdb"
    with Store(path) as first:
        load_files(first, [GOOD], "officer.one")
        cur = first.cursor()
        cur.execute("ALTER TABLE organisation_support_wanted ADD COLUMN rows_wanting INTEGER")
        cur.execute("ALTER TABLE organisation_levels DROP COLUMN size_band")
        first.set_meta("organisation_levels", "an older definition")
    with Store(path) as again:
        assert_levels_current(again)
        assert "rows_wanting" not in again.query("SELECT * FROM organisation_support_wanted").columns
        assert again.meta("organisation_levels") != "an older definition"


def test_a_store_written_before_the_learning_format_rename_opens_and_still_knows_its_files(tmp_path):
    # The events' learning format was stored as `format` before it had one name everywhere. Such a store opens,
    # its column is renamed in the same transaction as its schema, and a re-sent events file is recognised.
    events = ("events.csv", csv_bytes(["event_id", "date", "format", "priority_area", "title", "delivery"],
                                      [["E1", "2024-05-01", "Study tour", "Living standards", "Tour", "In person"]]))
    path = tmp_path / "old.duckdb"
    with Store(path) as old:
        [first] = load_files(old, [events], "officer.one")
        assert first.outcome == "accepted"
        old.cursor().execute("ALTER TABLE learning_events RENAME COLUMN learning_format TO format")
    with Store(path) as upgraded:
        assert upgraded.query("SELECT event_id, learning_format FROM current_learning_events").values.tolist() == [["E1", "Study tour"]]
        [again] = load_files(upgraded, [events], "officer.one")
        assert again.outcome == "already received"


def test_the_figures_version_moves_with_every_load_whichever_store_object_made_it(store):
    # The version is read again only after a write: a second Store on the same file (as the command line or a
    # test opens) must move it for the first, or the pages would show figures from before the load.
    before = store.version()
    with Store(store.path) as other:
        [outcome] = load_files(other, [GOOD], "officer.one")
        assert outcome.outcome == "accepted"
    after = store.version()
    assert after > before
    assert store.version() == after == store.scalar("SELECT max(load_id) FROM load_register WHERE action <> 'download'")
    refused = ("broken.csv", b"not,a,return\n1,2,3\n")
    [outcome] = load_files(store, [refused], "officer.one")
    assert outcome.outcome != "accepted" and store.version() > after


def test_canonical_rows_write_what_the_json_encoder_writes():
    # canonical_rows writes each row's JSON by hand for speed; the stored fingerprints depend on every character.
    import datetime
    import json
    import math
    import random

    from bfc_data.intake.fingerprints import PLACE, canonical_rows
    rng = random.Random(3)
    values = ["A1", "", "Café – “quoted” \\ back\nline", "\u202eevil\x00", "😀 emoji", None, True, False, 0, -7, 2**70,
              1.5, -0.0, 1e300, math.nan, math.inf, -math.inf, datetime.date(2024, 5, 1), "with \"quotes\""]
    keys = ["action", "role", "equality_group", "learning_format", "maturity_level", "evidence", "source_row", "source_sheet"]
    rows = [{k: rng.choice(values) for k in rng.sample(keys, rng.randint(0, len(keys)))} for _ in range(400)]
    rows.append({"format": "old name", "learning_format": "new name"})  # two keys under one name: the encoder decides

    def by_the_encoder(row):
        rename = {"learning_format": "format"}.get
        return json.dumps({rename(k, k): v for k, v in row.items() if k not in PLACE}, sort_keys=True, default=str)
    assert canonical_rows(rows) == sorted(by_the_encoder(row) for row in rows)


def test_files_checked_by_worker_processes_load_as_files_checked_here(tmp_path, monkeypatch):
    # From 64 files, checking is shared among forked workers, which send their rows back by column (ColumnRows).
    # The store must hold exactly what checking the same files one after another here gives.
    import pickle

    from bfc_data.intake import validation
    from bfc_data.intake.validated import ColumnRows
    messy = [["A1", "As an employer", "Disabled people", None, "3 Achieving"], ["A2", "All roles", "All Londoners", None, "2"],
             ["A2", "All roles", "Race", None, ""]]
    files = [(f"r{n}.xlsx", excel_return(dict(ORG, **{"Organisation code": f"ORG-{n:04d}"}), maturity=messy if n % 3 else None))
             for n in range(1, 71)]
    files.append(("bad.xlsx", excel_return(dict(ORG, **{"Organisation code": "ORG-0999"}), maturity=[["A99", "Nobody", "Race", None, "9"]])))
    assert len(files) >= validation.PARALLEL_FROM
    tables = "SELECT * EXCLUDE (submission_id) FROM {} ORDER BY ALL"
    stored = {}
    for how, first_parallel in (("workers", validation.PARALLEL_FROM), ("here", 10**9)):
        monkeypatch.setattr(validation, "PARALLEL_FROM", first_parallel)
        with Store(tmp_path / f"{how}.duckdb") as store:
            outcomes = load_files(store, files, "officer.one")
            stored[how] = ([(o.outcome, [p.message for p in o.validated.problems]) for o in outcomes],
                           {t: store.query(tables.format(t)) for t in ("maturity_scores", "metric_values")},
                           store.query("SELECT organisation_code, reporting_year, fingerprint, rows FROM submissions ORDER BY ALL"))
    (outcomes_w, rows_w, subs_w), (outcomes_h, rows_h, subs_h) = stored["workers"], stored["here"]
    assert outcomes_w == outcomes_h and outcomes_w[-1][0] == "rejected" and len(rows_w["maturity_scores"]) > 100
    for table in rows_w:
        pd.testing.assert_frame_equal(rows_w[table], rows_h[table])
    pd.testing.assert_frame_equal(subs_w, subs_h)
    # Rows by column read back as the same rows, and survive pickling.
    rows = [{"a": 1, "b": None}, {"a": 2, "b": "x"}]
    held = pickle.loads(pickle.dumps(ColumnRows(rows)))
    assert held == rows and list(held) == rows and held[1] == rows[1] and held[:1] == rows[:1] and len(held) == 2


def test_kept_sums_stay_current_when_one_load_brings_new_organisations_and_revises_others(store):
    # New organisations' sums are read from the load's own submissions (measures.refresh `new`); an organisation
    # seen before is deleted and read again. One batch with both, then a restore, must leave every kept table current.
    [first] = load_files(store, [GOOD], "officer.one")
    revised = ("revised.xlsx", excel_return(maturity=[["A1", "All roles", "All Londoners", None, 4],
                                                      ["A3", "All roles", "All Londoners", None, 1]]))
    newcomer = ("new.xlsx", excel_return(dict(ORG, **{"Organisation code": "ORG-0043", "Sector": "Health"})))
    outcomes = load_files(store, [revised, newcomer], "officer.two")
    assert [o.outcome for o in outcomes] == ["accepted", "accepted"]
    assert set(store.query("SELECT DISTINCT organisation_code FROM organisation_year_levels")["organisation_code"]) == {"ORG-0042", "ORG-0043"}
    assert_levels_current(store)
    store.restore(first.new_submissions[0], "officer.three")
    assert_levels_current(store)


def test_a_return_for_an_organisation_seen_before_rereads_its_year_and_no_other_unless_its_size_band_moves(store):
    # An organisation's kept sums are re-read only for the years its new returns cover (each new return is now the
    # current one of its year); its other years keep the very same rows. Rows from returns that gave no size band
    # take the register's, so when the register's size band moves, every year of the organisation is re-read.
    def csv_year(name, year, level):
        return (name, csv_bytes(MATURITY_CSV_HEADER, [maturity_row(year=year, level=level),
                                                      maturity_row(year=year, action="A2", group="Race", level="2")]))

    def rows_of(year):
        return store.query("SELECT rowid, * FROM organisation_levels WHERE reporting_year = ? ORDER BY rowid", [year])

    def band():
        return store.scalar("SELECT size_band FROM organisations WHERE organisation_code = 'ORG-0042'")

    load_files(store, [csv_year("y1.csv", "2023-24", "1"), csv_year("y2.csv", "2024-25", "2")], "officer.one")
    assert_levels_current(store)
    assert rows_of(2023)["size_band"].isna().all() and band() is None
    # A new year's return gives a size band: the register's moves, and the earlier years' rows follow it.
    outcomes = load_files(store, [("y3.xlsx", excel_return(dict(ORG, **{"Reporting year": "2025-26"})))], "officer.one")
    assert [o.outcome for o in outcomes] == ["accepted"]
    assert_levels_current(store)
    assert band() is not None and (rows_of(2023)["size_band"] == band()).all()
    earlier = rows_of(2023), rows_of(2024)
    # A revision of that year, the size band the same: that year is read again, the others are left as they were.
    revised = excel_return(dict(ORG, **{"Reporting year": "2025-26"}), maturity=[["A1", "All roles", "All Londoners", None, 4]])
    load_files(store, [("y3b.xlsx", revised)], "officer.two")
    assert_levels_current(store)
    assert store.query("SELECT level_sum FROM organisation_levels WHERE reporting_year = 2025")["level_sum"].tolist() == [4]
    pd.testing.assert_frame_equal(rows_of(2023), earlier[0])
    pd.testing.assert_frame_equal(rows_of(2024), earlier[1])
    # Two returns for one year in one load: the later is the current one. Metrics alone change no level.
    load_files(store, [csv_year("y2b.csv", "2024-25", "3"), csv_year("y2c.csv", "2024-25", "4"),
                       ("m.xlsx", excel_return(dict(ORG, **{"Reporting year": "2023-24"}), sheets=("Organisation", "Metrics")))],
               "officer.two")
    assert_levels_current(store)
    assert sorted(store.query("SELECT level_sum FROM organisation_levels WHERE reporting_year = 2024")["level_sum"]) == [2, 4]
    pd.testing.assert_frame_equal(rows_of(2023), earlier[0])
    # The GLA's register moves the size band: every year of the organisation follows.
    register = csv_bytes(["organisation_code", "organisation_name", "sector", "size_band"],
                         [["ORG-0042", "Brookmere Housing Association", "Housing association", "1000-4999"]])
    load_files(store, [("register.csv", register)], "officer.one")
    assert_levels_current(store)
    assert band() != earlier[0]["size_band"].iloc[0] and (rows_of(2023)["size_band"] == band()).all()


def test_a_cut_is_answered_from_the_smallest_kept_table_that_holds_it(store):
    # Each table answers only cuts that name nothing finer than it holds; among those, the smallest serves (the
    # year's before the group's, though the group's is built last).
    from bfc_data.store.measures import own_means
    load_files(store, [GOOD], "officer.one")
    expected = {("reporting_year",): "organisation_year_levels", ("sector", "priority_area"): "organisation_area_levels",
                ("equality_group",): "organisation_group_levels", ("equality_group", "intersecting_group"): "organisation_group_levels",
                ("action",): "organisation_action_levels", ("action", "equality_group"): "organisation_levels",
                ("role",): "organisation_levels"}
    for cut, table in expected.items():
        sql = own_means(list(cut))
        assert f"FROM {table} " in sql, (cut, sql)
        # and it gives the same means as the finest table does
        finest = sql.replace(f"FROM {table} ", "FROM organisation_levels ")
        if "GROUP BY" not in finest:  # a row-per-cell table: the finest needs its grouping
            continue
        pd.testing.assert_frame_equal(store.query(sql + " ORDER BY ALL"), store.query(finest + " ORDER BY ALL"))
    assert "FROM organisation_group_levels " not in own_means(["equality_group"], "list_contains(?::VARCHAR[], role)")


def test_a_load_that_fails_inside_the_kept_tables_refresh_says_why_and_changes_nothing(store, monkeypatch):
    # The refresh works through a temporary table; cleaning it up after a failed statement raised "the transaction
    # is aborted" over the real reason, which the officer then read in the register instead of the cause.
    from bfc_data.store import measures
    load_files(store, [GOOD], "officer.one")
    before = store.table_snapshot()
    monkeypatch.setitem(measures._FROM_LOADED, "organisation_area_levels", "SELECT * FROM missing_by_design")
    newcomer = ("new.xlsx", excel_return(dict(ORG, **{"Organisation code": "ORG-0043"})))
    [outcome] = load_files(store, [newcomer], "officer.one")
    assert outcome.outcome == "failed"
    assert "missing_by_design" in outcome.failure and "aborted" not in outcome.failure
    after = store.table_snapshot()
    assert all(before[t].equals(after[t]) for t in before if t != "load_register"), "a failed load changed data"
    monkeypatch.undo()
    [again] = load_files(store, [newcomer], "officer.one")  # and the next load, in a new transaction, works
    assert again.outcome == "accepted"
    assert_levels_current(store)


def test_a_failing_bulk_insert_reports_its_own_reason_not_an_aborted_transaction(store):
    # The frame handed to DuckDB was unregistered in a `finally`, which in a failed transaction raised "the
    # transaction is aborted" over the insert's own error (the one the register should carry).
    import duckdb
    with pytest.raises(duckdb.Error) as caught:
        with store._write() as cur:
            store._insert(cur, "metric_values", {"submission_id": ["not a number"], "metric": ["LLW_SHARE"]})
    assert "aborted" not in str(caught.value) and "not a number" in str(caught.value)
    assert store.scalar("SELECT count(*) FROM metric_values") == 0


def test_who_returned_when_is_the_current_returns_pairs_through_supersedes_metrics_only_returns_and_restores(store):
    # RETURNED answers "who returned levels in which year" without picking each year's current return; it must give
    # the same pairs as the current returns themselves, whatever has been superseded, restored or sent without levels.
    from bfc_data import analysis
    from bfc_data.analysis import tracker
    from bfc_data.store import RETURNED

    def same():
        found = store.query(f"SELECT * FROM {RETURNED} ORDER BY ALL")  # noqa: S608 - fixed SQL
        current = store.query("SELECT DISTINCT organisation_code, reporting_year FROM current_maturity_submissions ORDER BY ALL")
        pd.testing.assert_frame_equal(found, current, check_dtype=False)
        return [tuple(row) for row in found.itertuples(index=False)]

    [first] = load_files(store, [GOOD], "officer.one")
    later = {**ORG, "Reporting year": "2025-26"}
    other = {**ORG, "Organisation code": "ORG-0007", "Organisation name": "Eastgate Law Centre", "Sector": "Law centre"}
    load_files(store, [("2025.xlsx", excel_return(later)), ("other.xlsx", excel_return(other)),
                       ("revised.xlsx", excel_return(maturity=[["A1", "All roles", "All Londoners", None, 4]]))], "officer.one")
    # Metrics alone for a year with no levels: a return, but not one of levels.
    metrics = csv_bytes(["organisation_code", "reporting_year", "metric", "value"], [["ORG-0007", "2023", "LLW_SHARE", "80"]])
    load_files(store, [("metrics.csv", metrics)], "officer.one")
    assert same() == [("ORG-0007", 2024), ("ORG-0042", 2024), ("ORG-0042", 2025)]
    store.restore(first.new_submissions[0], "officer.two")
    assert same() == [("ORG-0007", 2024), ("ORG-0042", 2024), ("ORG-0042", 2025)]
    assert analysis.years(store) == [2024, 2025] and analysis.latest_year(store) == 2025
    assert analysis.not_returned(store, "officer.one", 2025)["organisation_code"].tolist() == ["ORG-0007"]
    status = tracker.status(store, "officer.one", 2025).set_index("organisation_code")
    assert status.loc["ORG-0042", ["status", "last_returned", "years_returned"]].tolist() == ["returned", 2025, 2]
