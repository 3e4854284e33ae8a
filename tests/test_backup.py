"""Backups, and readers while the dashboard runs (issue 15): the dashboard held the store's lock for its whole life,
so nothing else could read it or back it up, and a copy of the file missed what was only in its log."""

import subprocess
import sys
import threading

import pytest
from conftest import ORG, ROOT, excel_return

from bfc_data.cli import run
from bfc_data.store import Store, load_files
from bfc_data.store.backup import backup, restore_backup
from bfc_data.store.database import snapshot_path
from bfc_data.store.startup import open_store


def every_table(path) -> dict:
    with Store(path, read_only=True) as store:
        names = store.query("SELECT table_name FROM information_schema.tables WHERE table_type = 'BASE TABLE' "
                            "ORDER BY 1")["table_name"].tolist()
        return {name: store.query(f'SELECT * FROM "{name}" ORDER BY ALL') for name in names}  # noqa: S608


def test_a_backup_restores_every_table_row_for_row(sample_db, tmp_path, capsys):
    assert run(["backup", "--db", str(sample_db), str(tmp_path / "backup")]) == 0
    assert "backed up 587 submissions" in capsys.readouterr().out
    assert run(["restore-backup", str(tmp_path / "backup"), "--db", str(tmp_path / "restored.duckdb")]) == 0
    before, after = every_table(sample_db), every_table(tmp_path / "restored.duckdb")
    assert list(before) == list(after) and "load_register" in before and "maturity_scores" in before
    for name in before:
        assert before[name].equals(after[name]), name
    # The restored store carries on: a new load gets new numbers, not ones already used.
    with Store(tmp_path / "restored.duckdb") as store:
        highest = store.scalar("SELECT max(submission_id) FROM submissions")
        [outcome] = load_files(store, [("new.xlsx", excel_return(dict(ORG, **{"Organisation code": "ORG-0950"})))], "test")
        assert min(outcome.new_submissions) > highest


def test_a_backup_of_a_store_whose_kept_tables_had_other_columns_restores(tmp_path):
    # The kept tables are worked out from the returns again on restore, under today's definition: a backup made
    # while they had other columns (or other rows) must restore, not fail on a column today's tables lack.
    from test_store import GOOD, assert_levels_current
    path = tmp_path / "old.duckdb"
    with Store(path) as old:
        load_files(old, [GOOD], "officer.one")
        old.cursor().execute("ALTER TABLE organisation_support_wanted ADD COLUMN rows_wanting INTEGER")
        old.cursor().execute("DELETE FROM organisation_year_levels")
        old.set_meta("organisation_levels", "an older definition")
    backup(path, tmp_path / "backup")
    restore_backup(tmp_path / "backup", tmp_path / "restored.duckdb")
    with Store(tmp_path / "restored.duckdb", read_only=True) as restored:
        assert restored.scalar("SELECT count(*) FROM submissions") == 1
        assert "rows_wanting" not in restored.query("SELECT * FROM organisation_support_wanted").columns
        # rebuilt under today's definition, and marked so: a reader uses the tables, not figures worked out live
        assert restored.meta("organisation_levels") != "an older definition" and not restored._live_levels
        assert_levels_current(restored)


def test_restore_backup_never_overwrites_and_refuses_what_is_not_a_backup(sample_db, tmp_path):
    backup(sample_db, tmp_path / "backup")
    existing = tmp_path / "existing.duckdb"
    existing.write_bytes(b"keep me")
    assert run(["restore-backup", str(tmp_path / "backup"), "--db", str(existing)]) == 3
    assert existing.read_bytes() == b"keep me"
    assert run(["restore-backup", str(tmp_path), "--db", str(tmp_path / "new.duckdb")]) == 3
    assert run(["backup", "--db", str(sample_db), str(tmp_path / "backup")]) == 3  # never into a used folder
    with pytest.raises(FileExistsError):
        restore_backup(tmp_path / "backup", existing)


# A stand-in for the running dashboard: it opens the store as the pages do (publishing a copy after every change),
# loads a return, says so, and holds the store until it is stopped.
DASHBOARD = """
import sys, time
sys.path.insert(0, sys.argv[3])
from conftest import ORG, excel_return
from bfc_data.store import load_files
from bfc_data.store.startup import open_store
store = open_store(sys.argv[1], sys.argv[2] or None, publish=True)
load_files(store, [("late.xlsx", excel_return(dict(ORG, **{"Organisation code": "ORG-0951"})))], "officer")
print("loaded", store.scalar("SELECT count(*) FROM submissions"), flush=True)
time.sleep(120)
"""


def test_the_command_line_reads_and_backs_up_while_the_dashboard_holds_the_store(tmp_path):
    db = tmp_path / "bfc.duckdb"
    dashboard = subprocess.Popen([sys.executable, "-c", DASHBOARD, str(db), str(ROOT / "sample_data"), str(ROOT / "tests")],
                                 cwd=ROOT, stdout=subprocess.PIPE, text=True)
    try:
        said = dashboard.stdout.readline().split()
        assert said[0] == "loaded"
        submissions = int(said[1])
        # Regression: a copy of bfc.duckdb taken now missed the returns only in its write-ahead log.
        for command in (["summary", "--by", "sector"], ["history"]):
            result = subprocess.run([sys.executable, "-m", "bfc_data", *command, "--db", str(db)], cwd=ROOT,
                                    capture_output=True, text=True, timeout=60)
            assert result.returncode == 0, result.stderr
            assert "the dashboard is using the store" in result.stderr and "Traceback" not in result.stderr
        # Publishing the copy must not cost the dashboard its lock (POSIX drops a process's locks on a file when any
        # descriptor of it closes): a second writer is still kept out, in words.
        late = tmp_path / "other.xlsx"
        late.write_bytes(excel_return(dict(ORG, **{"Organisation code": "ORG-0952"})))
        result = subprocess.run([sys.executable, "-m", "bfc_data", "load", "--db", str(db), str(late)], cwd=ROOT,
                                capture_output=True, text=True, timeout=60)
        assert result.returncode == 2 and "another program is using it" in result.stderr, result.stderr
        result = subprocess.run([sys.executable, "-m", "bfc_data", "backup", "--db", str(db), str(tmp_path / "backup")],
                                cwd=ROOT, capture_output=True, text=True, timeout=60)
        assert result.returncode == 0, result.stderr
        assert f"backed up {submissions} submissions" in result.stdout
    finally:
        dashboard.kill()
        dashboard.wait()
    restore_backup(tmp_path / "backup", tmp_path / "restored.duckdb")
    with Store(tmp_path / "restored.duckdb", read_only=True) as store:
        assert store.scalar("SELECT count(*) FROM submissions WHERE organisation_code = 'ORG-0951'") == 1


def test_two_uploads_at_once_with_readers_lose_nothing_and_no_reader_sees_half_a_return(tmp_path):
    db = tmp_path / "bfc.duckdb"
    store = open_store(db, None, publish=True)
    files = [[(f"r{n}.xlsx", excel_return(dict(ORG, **{"Organisation code": f"ORG-{n:04d}", "Organisation name": f"Org {n}"})))
              for n in range(first, first + 6)] for first in (100, 200)]
    # A return is whole when its submission, its scores and its own means are all there, or none of them.
    half_loaded = """SELECT count(*) FROM submissions s WHERE carries_maturity AND (
        NOT EXISTS (SELECT 1 FROM maturity_scores m WHERE m.submission_id = s.submission_id)
        OR NOT EXISTS (SELECT 1 FROM organisation_levels l WHERE l.organisation_code = s.organisation_code))"""
    seen, errors, stop = [], [], threading.Event()

    def read():
        while not stop.is_set():
            try:
                seen.append(store.scalar(half_loaded))
            except Exception as error:  # noqa: BLE001 - any failure is what this test looks for
                errors.append(error)

    def upload(batch):
        try:
            for name, data in batch:  # one file at a time, as an officer confirming uploads one after another
                load_files(store, [(name, data)], "officer")
        except Exception as error:  # noqa: BLE001
            errors.append(error)

    readers = [threading.Thread(target=read) for _ in range(3)]
    uploads = [threading.Thread(target=upload, args=(batch,)) for batch in files]
    other_process = subprocess.Popen([sys.executable, "-c", "import sys, time\nfrom bfc_data.cli import run\n"
                                      "codes = [run(['summary', '--db', sys.argv[1], '--by', 'sector']) for _ in range(8)]\n"
                                      "sys.exit(max(codes))", str(db)], cwd=ROOT, stdout=subprocess.DEVNULL,
                                     stderr=subprocess.PIPE, text=True)
    for thread in readers + uploads:
        thread.start()
    for thread in uploads:
        thread.join(timeout=120)
    stop.set()
    for thread in readers:
        thread.join(timeout=30)
    _, other_err = other_process.communicate(timeout=120)
    assert not errors, errors
    assert seen and set(seen) == {0}
    assert other_process.returncode == 0, other_err
    assert store.scalar("SELECT count(DISTINCT organisation_code) FROM current_maturity_submissions") == 12
    store.close()
    # What other programs read is what was stored: the published copy holds all twelve.
    with Store(snapshot_path(db), read_only=True) as copy:
        assert copy.scalar("SELECT count(DISTINCT organisation_code) FROM current_maturity_submissions") == 12
