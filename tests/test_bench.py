"""The benchmarks still run: each at a toy size (they are measured with `python -m bench.run_all`, never here)."""

import importlib

import pytest


@pytest.mark.parametrize("module", ["bench.bench_ingest", "bench.bench_queries", "bench.bench_boardpack", "bench.bench_reports", "bench.bench_charts",
                                    "bench.bench_scaling"])
def test_benchmark_runs_at_toy_size(monkeypatch, module):
    monkeypatch.setenv("BFC_BENCH_TINY", "1")
    text = importlib.import_module(module).main([])
    assert text.startswith("## ") and "|" in text
    if module == "bench.bench_queries":  # at toy size small groups are hidden: the baselines still agree
        assert "| yes " in text and "| NO " not in text


def test_large_store_has_the_shape_asked_for(tmp_path):
    from bench.common import build_large_store
    store = build_large_store(tmp_path / "large.duckdb", organisations=10, years=3, groups=4)
    assert store.scalar("SELECT count(*) FROM maturity_scores") == 10 * 3 * 14 * 4
    assert store.scalar("SELECT count(*) FROM current_maturity_submissions") == 30
    assert store.scalar("SELECT min(maturity_level) FROM maturity_scores") >= 1
    assert store.scalar("SELECT max(maturity_level) FROM maturity_scores") <= 4
    store.close()


def test_pages_benchmark_runs_at_toy_size(monkeypatch):
    monkeypatch.setenv("BFC_BENCH_TINY", "1")
    # The benchmark sets these for the pages it runs; monkeypatch puts them back afterwards.
    monkeypatch.setenv("BFC_DB", "unused")
    monkeypatch.setenv("BFC_LOCAL_ROLE", "officer")
    from bench import bench_pages
    text = bench_pages.main([])
    assert "| overview" in text and "| organisation" in text


def test_the_pandas_baseline_gives_the_dashboards_figures_on_the_sample(monkeypatch, sample_db):
    # A baseline is only a baseline if it answers the same question: on the sample's returns (small groups hidden,
    # organisations that lapse and come back, years missing) each pandas figure must be the dashboard's own.
    from bench import bench_queries
    from bench.pandas_baseline import PandasBaseline, same_output
    from bfc_data.store import Store
    with Store(sample_db, read_only=True) as store:
        latest = store.scalar("SELECT max(reporting_year) FROM current_maturity_submissions")
        monkeypatch.setattr(bench_queries, "YEAR", latest)
        baseline = PandasBaseline(store, bench_queries.MEMBER)
        calls = bench_queries.cases(store)
        compared = {name: same_output(ours(), theirs(baseline), *keys) for name, (ours, theirs, *keys) in calls.items()}
        hidden = calls["levels by sector"][0]()["suppressed"].sum()
        warned = calls["data-quality warnings (officer)"][0]()["check"].nunique()
    # Every call has its baseline; the sample hides small groups and has data-quality warnings of several kinds.
    assert len(compared) == len(calls) and hidden > 0 and warned >= 2
    assert [name for name, same in compared.items() if not same] == []


@pytest.mark.browser
@pytest.mark.parametrize("module", ["bench.bench_browser", "bench.bench_memory"])
def test_browser_benchmarks_run_at_toy_size(monkeypatch, module):
    # They drive Chromium against `streamlit run`; a benchmark that no longer finds the page's links or charts
    # must fail here, not on the day its figures are wanted.
    import re
    monkeypatch.setenv("BFC_BENCH_TINY", "1")
    text = importlib.import_module(module).main([])
    assert text.startswith("## ")
    peak = float(re.search(r"Peak resident memory of the server \(VmHWM\)[^:]*: ([0-9,.]+) MB", text)[1].replace(",", ""))
    assert 50 < peak < 2000
    if module == "bench.bench_browser":  # the first render and each of the three switches, in seconds
        seconds = [float(s) for s in re.findall(r"\| ([0-9]+\.[0-9]+) +\| [0-9]+\.[0-9]+ +\| ≤", text)]
        assert len(seconds) == 8 and all(0 < s < 60 for s in seconds)
    else:  # every page of the navigation visited
        assert "| Overview" in text and "| Data quality" in text and "| Accessibility statement" in text
