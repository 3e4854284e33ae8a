"""The sample generator is deterministic and its data behave as the programme does."""

import hashlib
import random
import signal
import subprocess
import sys
import time

from conftest import ROOT

from bfc_data.sample import sample_files, write_sample
from bfc_data.store import load_files
from bfc_data.store.startup import SAMPLE_DIR, is_sample, open_store


def digest(folder):
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_same_seed_same_files(tmp_path):
    write_sample(tmp_path / "a", organisations_count=30, excel_returns=3)
    write_sample(tmp_path / "b", organisations_count=30, excel_returns=3)
    assert digest(tmp_path / "a") == digest(tmp_path / "b")
    write_sample(tmp_path / "c", organisations_count=30, excel_returns=3, seed=7)
    assert digest(tmp_path / "a") != digest(tmp_path / "c")


def test_committed_sample_is_what_the_generator_writes(tmp_path):
    write_sample(tmp_path / "fresh")
    assert digest(tmp_path / "fresh") == digest(SAMPLE_DIR)


def test_sample_loads_cleanly_and_behaves_like_the_programme(tmp_path):
    store = open_store(tmp_path / "s.duckdb", SAMPLE_DIR)
    assert is_sample(store)
    assert set(store.load_register("test")["outcome"]) <= {"accepted", "accepted with warnings"}
    kinds = set(store.query("SELECT DISTINCT file_kind FROM submissions")["file_kind"])
    assert kinds == {"Excel return", "maturity CSV", "metrics CSV", "learning events CSV", "attendance CSV", "organisation register CSV"}
    assert store.scalar("SELECT count(*) FROM organisations WHERE contact_email IS NULL") == 0
    per_year = store.query("SELECT reporting_year, count(*) AS n FROM current_maturity_submissions GROUP BY 1 ORDER BY 1")
    assert per_year["reporting_year"].tolist() == [2022, 2023, 2024, 2025]
    assert per_year["n"].is_monotonic_increasing and 90 <= per_year["n"].iloc[-1] <= 120
    assert store.scalar("SELECT count(DISTINCT sector) FROM current_maturity_submissions") == 14
    focus = store.query("SELECT min(reporting_year) AS first FROM current_maturity WHERE equality_group IN ('Sexual orientation', 'Age')")
    assert focus["first"].iloc[0] == 2024
    moves = store.query("""
        WITH m AS (SELECT organisation_code, reporting_year, avg(maturity_level) AS level FROM current_maturity GROUP BY ALL),
             span AS (SELECT organisation_code, arg_min(level, reporting_year) AS first, arg_max(level, reporting_year) AS last,
                             count(*) AS years FROM m GROUP BY 1)
        SELECT count(*) FILTER (WHERE last > first) AS up, count(*) FILTER (WHERE last <= first) AS other FROM span WHERE years >= 3""")
    assert moves["up"].iloc[0] > 2 * moves["other"].iloc[0] > 0, "most move up; some stall or slip"


def test_second_start_does_not_reload(tmp_path):
    open_store(tmp_path / "s.duckdb", SAMPLE_DIR).close()
    store = open_store(tmp_path / "s.duckdb", SAMPLE_DIR)
    assert store.load_register("test")["load_id"].max() == len(sample_files(SAMPLE_DIR))


def test_a_new_store_without_sample_folder_is_empty(tmp_path):
    store = open_store(tmp_path / "s.duckdb", None)
    assert store.counts()["returns"] == 0 and not is_sample(store)
    load_files(store, [], "nobody")


def test_a_first_start_killed_at_any_point_leaves_no_store_or_a_complete_sample(tmp_path):
    # Regression: a kill during the first start's sample fill left invented returns with no 'sample' label, or an
    # empty store that was never filled again.
    start = "import sys; from bfc_data.store.startup import open_store; open_store(sys.argv[1]).close()"
    complete = tmp_path / "complete.duckdb"
    began = time.monotonic()
    subprocess.run([sys.executable, "-c", start, str(complete)], cwd=ROOT, check=True, timeout=120)
    took = time.monotonic() - began
    with open_store(complete, None) as store:
        expected = store.scalar("SELECT count(*) FROM submissions")
    chance = random.Random(15)
    outcomes = []
    for trial in range(5):
        db = tmp_path / f"trial{trial}" / "bfc.duckdb"
        db.parent.mkdir()
        child = subprocess.Popen([sys.executable, "-c", start, str(db)], cwd=ROOT)
        time.sleep(chance.uniform(0.05, took))
        child.send_signal(signal.SIGKILL)
        child.wait()
        if db.exists():
            with open_store(db, None) as store:
                assert is_sample(store) and store.scalar("SELECT count(*) FROM submissions") == expected
            outcomes.append("complete")
        else:
            outcomes.append("none")
            if outcomes.count("none") == 1:  # the next start builds it whole (once is enough: each costs a build)
                with open_store(db) as store:
                    assert is_sample(store) and store.scalar("SELECT count(*) FROM submissions") == expected
                assert not list(db.parent.glob(".bfc.duckdb.building-*"))  # the killed build's file is cleared away
    assert "none" in outcomes  # some kills did land during the build
