"""`python -m bfc_data`: each command, its output and its exit codes (0 good, 1 rejected, 2 usage)."""

import io
import json
import subprocess
import sys
import time

import openpyxl
import pytest
from conftest import MATURITY, ORG, ROOT, excel_return

from bfc_data.cli import run


def cli(*args):
    out = io.StringIO()
    code = run([str(a) for a in args], out)
    return code, out.getvalue()


def files(tmp_path):
    good = tmp_path / "good.xlsx"
    good.write_bytes(excel_return())
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(excel_return(maturity=MATURITY + [["A3", "All roles", "All Londoners", None, "Level 9"]]))
    return good, bad


def test_template(tmp_path):
    assert cli("template", tmp_path / "t.xlsx")[0] == 0
    assert "Maturity" in openpyxl.load_workbook(tmp_path / "t.xlsx").sheetnames


def test_validate_exit_codes_and_json(tmp_path):
    good, bad = files(tmp_path)
    assert cli("validate", good)[0] == 0
    code, out = cli("validate", good, bad, "--json")
    assert code == 1
    report = json.loads(out)
    assert [r["outcome"] for r in report] == ["accepted", "rejected"]
    [problem] = report[1]["problems"]
    assert (problem["sheet"], problem["row"], problem["column"], problem["value"]) == ("Maturity", 5, "Maturity level", "Level 9")
    code, out = cli("validate", bad)
    assert "bad.xlsx, sheet 'Maturity', row 5, column 'Maturity level'" in out


def test_load_rejects_one_file_and_loads_the_other(tmp_path):
    good, bad = files(tmp_path)
    db = tmp_path / "s.duckdb"
    code, out = cli("load", "--db", db, "--by", "officer.one", bad, good, "--json")
    assert code == 1
    assert [r["outcome"] for r in json.loads(out)] == ["rejected", "accepted"]
    code, out = cli("load", "--db", db, "--loaded-by", "officer.one", good)
    assert code == 0 and "already received" in out


def test_history_restore_and_summary(tmp_path):
    good, _ = files(tmp_path)
    revised = tmp_path / "revised.xlsx"
    revised.write_bytes(excel_return(maturity=[["A1", "All roles", "All Londoners", None, 4]]))
    db = tmp_path / "s.duckdb"
    cli("load", "--db", db, "--by", "officer.one", good)
    code, out = cli("load", "--db", db, "--by", "officer.two", revised)
    assert code == 0 and "replaces ORG-0042's 2024-25 return" in out
    code, out = cli("history", "--db", db, "--organisation", "org-0042")
    assert code == 0 and "superseded" in out and "revised.xlsx" in out
    code, out = cli("summary", "--db", db, "--by", "sector", "--format", "csv")
    assert (code, out) == (0, "sector,organisations,mean_level\nHousing association,1,4.0\n")
    assert cli("restore", "1", "--db", db, "--restored-by", "officer.three")[0] == 0
    code, out = cli("summary", "--db", db, "--by", "action", "--year", "FY2024/25", "--format", "json")
    assert json.loads(out) == [{"action": "A1", "organisations": 1, "mean_level": 2.5}, {"action": "A5", "organisations": 1, "mean_level": 2.0}]
    code, out = cli("summary", "--db", db, "--by", "reporting_year")
    assert code == 0 and "2024-25" in out
    # History filters by organisation and by year.
    other = tmp_path / "other.xlsx"
    other.write_bytes(excel_return(dict(ORG, **{"Organisation code": "ORG-0043", "Organisation name": "Other Org"})))
    cli("load", "--db", db, "--by", "officer.two", other)
    code, out = cli("history", "--db", db, "--organisation", "org-0042")
    assert code == 0 and "revised.xlsx" in out and "ORG-0043" not in out and "other.xlsx" not in out
    code, out = cli("history", "--db", db, "--year", "2023-24")
    assert (code, out.strip()) == (0, "no submissions match")


def test_bad_arguments_exit_3_and_a_store_that_cannot_be_used_exits_2(tmp_path):
    assert cli()[0] == 3
    assert cli("summary", "--db", tmp_path / "none.duckdb", "--by", "shoe_size")[0] == 3
    assert cli("validate", tmp_path / "missing.xlsx")[0] == 3
    assert cli("summary", "--db", tmp_path / "none.duckdb", "--by", "sector")[0] == 2  # no store there
    good, _ = files(tmp_path)
    db = tmp_path / "s.duckdb"
    cli("load", "--db", db, "--by", "x", good)
    assert cli("summary", "--db", db, "--by", "sector", "--year", "someday")[0] == 3
    assert cli("restore", "99", "--db", db, "--by", "x")[0] == 3


STORE_TROUBLES = {
    "foreign": (b"organisation_code,reporting_year\n" * 50, "the file is not a BFC store (it is not a DuckDB database)"),
    "empty": (b"", "the file is not a BFC store (it is not a DuckDB database)"),
}


@pytest.mark.parametrize("trouble", list(STORE_TROUBLES))
def test_a_store_file_that_is_not_a_store_is_said_in_words_with_exit_2(tmp_path, capsys, trouble):
    content, said = STORE_TROUBLES[trouble]
    db = tmp_path / "bfc.duckdb"
    db.write_bytes(content)
    for command in (["summary", "--db", str(db), "--by", "sector"], ["history", "--db", str(db)],
                    ["load", "--db", str(db), str(files(tmp_path)[0])]):
        assert run(command) == 2
        err = capsys.readouterr().err
        assert said in err and "Traceback" not in err
    assert db.read_bytes() == content  # nothing was written to it


def test_a_store_in_use_by_another_program_is_waited_for_then_said_in_words(tmp_path):
    from bfc_data.store.startup import open_store
    db = tmp_path / "bfc.duckdb"
    open_store(db, None).close()
    holder = subprocess.Popen([sys.executable, "-c", "import duckdb, sys, time; c = duckdb.connect(sys.argv[1]); "
                               "print('held', flush=True); time.sleep(30)", str(db)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        started = time.monotonic()
        result = subprocess.run([sys.executable, "-m", "bfc_data", "history", "--db", str(db)], cwd=ROOT,
                                capture_output=True, text=True, timeout=60)
        waited = time.monotonic() - started
    finally:
        holder.kill()
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "another program is using it" in result.stderr and waited >= 4  # it waited before saying so


def test_history_lists_every_kind_of_file_on_the_sample_store(sample_db, capsys):
    # Regression: learning, attendance and register files have no year: "boolean value of NA is ambiguous".
    assert run(["history", "--db", str(sample_db)]) == 0
    out = capsys.readouterr().out
    assert "learning events CSV" in out and "attendance CSV" in out and "Excel return" in out
    assert "NaN" not in out and "<NA>" not in out and "None" not in out


def test_module_entry_point(tmp_path):
    result = subprocess.run([sys.executable, "-m", "bfc_data", "validate", str(files(tmp_path)[1])],
                            cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert result.returncode == 1 and "rejected" in result.stdout


def test_problems_are_grouped_by_kind_with_counts(tmp_path):
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(excel_return(maturity=[["A1", "All roles", "All Londoners", None, 9], ["A2", "All roles", "All Londoners", None, 8]]))
    code, out = cli("validate", bad)
    assert code == 1
    assert "  error: Value outside the allowed range (2). Check the figure" in out
    assert out.count("    - bad.xlsx, sheet 'Maturity'") == 2


def test_progress_bar_in_a_terminal(tmp_path, monkeypatch):
    class Terminal(io.StringIO):
        def isatty(self):
            return True

    terminal = Terminal()
    monkeypatch.setattr("sys.stderr", terminal)
    names = []
    for i in range(5):
        path = tmp_path / f"r{i}.xlsx"
        path.write_bytes(excel_return())
        names.append(path)
    assert cli("load", "--db", tmp_path / "s.duckdb", "--by", "x", *names)[0] == 0
    assert "[" + "#" * 30 + "] 5/5" in terminal.getvalue()


def test_a_store_cut_short_is_said_in_words_with_exit_2(tmp_path, sample_db, capsys):
    for keep in (8192, 300_000):  # the header only; the header and part of the tables
        db = tmp_path / f"cut{keep}.duckdb"
        db.write_bytes(sample_db.read_bytes()[:keep])
        assert run(["summary", "--db", str(db), "--by", "sector"]) == 2
        err = capsys.readouterr().err
        assert "cannot be opened" in err and ("cut short" in err or "damaged" in err) and "Traceback" not in err
