"""Every page under Streamlit's AppTest: it runs, every chart has its words, table and download,
filters change what is shown and persist across pages and in the link, and summaries match the data."""

import json

import pytest
from conftest import ROOT
from streamlit.testing.v1 import AppTest

from bfc_data import analysis
from bfc_data.analysis import overview
from bfc_data.outputs import charts, slides
from bfc_data.outputs.colours import contrast
from bfc_data.reference.settings import settings
from bfc_data.store.startup import open_store

PAGES = ["pages/overview.py", "pages/priority_areas.py", "pages/sectors.py", "pages/equality_groups.py",
         "pages/progress.py", "pages/metrics.py", "pages/coverage.py"]


@pytest.fixture(scope="module")
def expected(sample_db):
    """Figures worked out straight from bfc_data, to hold the pages to."""
    with open_store(sample_db, None) as store:
        year = analysis.latest_year(store)
        threshold = settings().suppression_threshold
        health = analysis.Filters(years=(year,), sectors=("Health",))
        return {
            "reporting_year": year,
            "headline": overview.headline(store, year),
            "headline_2024": overview.headline(store, 2024),
            "sectors": charts.level_bars(analysis.levels(store, "sector", analysis.Filters(years=(year,)), threshold), "sector", "").summary,
            "sectors_health": charts.level_bars(analysis.levels(store, "sector", health, threshold), "sector", "").summary,
            "heatmap_health_rows": ["Health"] * 4,
            "names": set(store.query("SELECT organisation_name FROM organisations")["organisation_name"]),
        }


def app(monkeypatch, db, page=None, query=None, env=None, role="member"):
    monkeypatch.setenv("BFC_DB", str(db))
    monkeypatch.setenv("BFC_LOCAL_ROLE", role)
    for name, value in (env or {}).items():
        monkeypatch.setenv(name, value)
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    if query:
        at.query_params.update(query)
    at.run()
    if page:
        at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def words(at):
    return [m.value.removeprefix("**In words:** ") for m in at.markdown if m.value.startswith("**In words:**")]


@pytest.mark.parametrize("page", PAGES)
def test_every_page_runs_with_words_tables_and_downloads_beside_its_charts(monkeypatch, sample_db, page):
    at = app(monkeypatch, sample_db, page)
    chart_count = len(at.get("plotly_chart"))
    assert chart_count >= 1
    assert len(words(at)) >= chart_count
    assert sum(e.label == "Show the data" for e in at.expander) >= chart_count
    labels = [b.label for b in at.get("download_button")]
    assert sum(label.startswith("Download the data (CSV): ") for label in labels) >= chart_count
    assert len(labels) == len(set(labels)), "each download button's name says what it downloads"
    assert all("nan" not in w.split() for w in words(at))
    for chart in at.get("plotly_chart"):
        # Each chart draws its own white ground with dark words, so it reads in the dark theme as in the light one:
        # on Streamlit's transparent ground the axis labels and titles vanished against the dark background.
        figure = json.loads(chart.proto.spec)["layout"]
        ground = figure["paper_bgcolor"]
        assert figure["plot_bgcolor"] == ground
        for colour in (figure["font"]["color"], figure["title"]["font"]["color"]):
            assert contrast(colour, ground) >= 4.5, (figure["title"]["text"], colour, ground)


def test_overview_headline_matches_the_data(monkeypatch, sample_db, expected):
    at = app(monkeypatch, sample_db)
    metrics = {m.label: m.value for m in at.metric}
    head = expected["headline"]
    assert metrics["Organisations returning"] == str(head.organisations)
    assert metrics["Mean maturity level (1–4)"] == f"{head.mean_level:.2f}"
    assert any(m.value == head.summary for m in at.markdown)
    assert any("Sample data" in i.value for i in at.info)


def test_year_filter_changes_the_headline(monkeypatch, sample_db, expected):
    at = app(monkeypatch, sample_db)
    at.selectbox(key="widget_year").set_value(2024).run()
    assert {m.label: m.value for m in at.metric}["Organisations returning"] == str(expected["headline_2024"].organisations)
    # Writing the filters into the link is checked in a real browser (test_browser.py): AppTest drops the
    # sidebar from its element tree after an interaction, and with it the query string it writes.


def test_sector_filter_changes_the_charts_and_persists_across_pages(monkeypatch, sample_db, expected):
    at = app(monkeypatch, sample_db)
    assert len(at.dataframe[0].value["Sector"].unique()) == 14
    # A member chooses one sector, or all (see bfc_data.analysis.disclosure).
    at.selectbox(key="widget_sector").set_value("Health").run()
    assert at.dataframe[0].value["Sector"].tolist() == expected["heatmap_health_rows"]
    assert any("Filtered to Sector: Health" in c.value for c in at.caption)
    at.switch_page("pages/sectors.py").run()
    assert words(at)[0] == expected["sectors_health"] != expected["sectors"]
    assert at.dataframe[0].value["Sector"].tolist() == ["Health"]


def test_a_shared_link_sets_the_filters(monkeypatch, sample_db):
    query = {"year": "2023-24", "sector": ["Health", "Business"], "action": "A99"}
    at = app(monkeypatch, sample_db, query=query, role="officer")
    assert at.selectbox(key="widget_year").value == 2023
    assert at.multiselect(key="widget_sector").value == ["Health", "Business"]
    assert at.multiselect(key="widget_action").value == [], "values that are not in the reference are ignored"
    assert at.subheader[0].value == "Reporting year 2023-24"
    # A member's copy of the same link gets one sector: several at once could be set against all.
    member = app(monkeypatch, sample_db, query=query)
    assert member.selectbox(key="widget_sector").value == "Health"
    assert member.selectbox(key="widget_action").value is None


def test_clear_filters(monkeypatch, sample_db):
    at = app(monkeypatch, sample_db, query={"sector": "Health"})
    assert any("Filtered to Sector: Health" in c.value for c in at.caption)
    [clear] = [b for b in at.button if b.label == "Clear filters"]
    clear.click().run()
    assert not any("Filtered to" in c.value for c in at.caption)
    assert len(at.dataframe[0].value["Sector"].unique()) == 14


def test_filters_that_match_nothing_say_so(monkeypatch, sample_db):
    at = app(monkeypatch, sample_db, query={"sector": "Faith", "role": "Influencer", "equality_group": "Carers"})
    at.switch_page("pages/sectors.py").run()
    assert any("No returns match these filters" in i.value for i in at.info)
    assert not at.get("plotly_chart")


def test_progress_lines_by_sector(monkeypatch, sample_db):
    at = app(monkeypatch, sample_db, "pages/progress.py")
    at.radio(key="progress_by").set_value("Sector").run()
    assert not at.exception
    assert words(at)[0].startswith("Of the groups shown,")


def test_metrics_page_switches_metric(monkeypatch, sample_db):
    at = app(monkeypatch, sample_db, "pages/metrics.py")
    assert words(at)[0].startswith("Median pay gap in 2025-26 (lower is better) — ")
    at.selectbox(key="metric").set_value("LLW_ACCREDITED").run()
    assert words(at)[0].startswith("Accredited London Living Wage employer in 2025-26 (higher is better) — All Londoners: ")
    assert "% answering yes" in words(at)[0]


@pytest.mark.parametrize("page", PAGES)
def test_no_organisation_names_for_a_member(monkeypatch, sample_db, expected, page):
    at = app(monkeypatch, sample_db, page)
    shown = " ".join(str(e.value) for e in [*at.markdown, *at.caption, *at.info, *at.title, *at.subheader])
    tables = " ".join(df.value.to_csv() for df in at.dataframe)
    assert not any(name in shown or name in tables for name in expected["names"])


def test_organisation_page_is_for_officers_only(monkeypatch, sample_db):
    at = app(monkeypatch, sample_db)
    at.switch_page("pages/organisation.py").run()
    assert "shown to GLA officers only" in at.error[0].value
    assert not at.dataframe and not at.get("plotly_chart") and not at.get("download_button")
    # The page checks on its own too: opened directly, it refuses.
    monkeypatch.setenv("BFC_LOCAL_ROLE", "member")
    direct = AppTest.from_file(str(ROOT / "pages" / "organisation.py"), default_timeout=60)
    direct.session_state["entered"] = True  # as after the entry script, which the page would otherwise go through first
    direct.run()
    assert not direct.exception
    assert "shown to GLA officers only" in direct.error[0].value
    assert not direct.get("plotly_chart") and not direct.selectbox


def test_organisation_page_for_an_officer(monkeypatch, sample_db, expected):
    at = app(monkeypatch, sample_db, "pages/organisation.py", role="officer")
    assert at.get("plotly_chart")
    chosen = at.selectbox(key="organisation")
    assert any(name in chosen.format_func(chosen.value) for name in expected["names"] if name)


def test_dashboard_builds_its_store_on_first_start(monkeypatch, tmp_path):
    db = tmp_path / "fresh" / "bfc.duckdb"
    at = app(monkeypatch, db)
    assert db.exists() and int({m.label: m.value for m in at.metric}["Organisations returning"]) > 80


@pytest.mark.parametrize("page", PAGES)
def test_every_page_on_an_empty_store_says_so(monkeypatch, tmp_path, page):
    at = app(monkeypatch, tmp_path / "empty.duckdb", page, env={"BFC_SAMPLE_DIR": ""})
    assert any("No returns have been loaded yet" in w.value for w in at.warning)


def test_support_wanted_by_sector(monkeypatch, sample_db):
    at = app(monkeypatch, sample_db, "pages/coverage.py")
    assert "Priority area" in at.dataframe[-1].value.columns
    at.radio(key="support_by").set_value("Sector").run()
    assert not at.exception
    support = at.dataframe[-1].value
    assert "Sector" in support.columns and "Priority area" not in support.columns
    assert set(support["Learning format"]) <= {"Challenge event", "Action-learning set", "Study tour", "Resources"}


@pytest.mark.parametrize("role", ["member", "officer"])
def test_board_pack_page_previews_the_slides_and_downloads_the_deck(monkeypatch, sample_db, role, served):
    import io

    from pptx import Presentation

    from bfc_data.access import Viewer
    from bfc_data.outputs import boardpack
    at = app(monkeypatch, sample_db, "pages/boardpack.py", role=role)
    preview = at.dataframe[0].value
    with open_store(sample_db, None) as store:
        plans = boardpack.slide_plans(store, Viewer("x", role), analysis.latest_year(store))
    assert preview["Headline"].tolist() == [p.headline for p in plans]
    # What the button serves, as the browser would get it on a click: the deck of the slides previewed.
    deck = Presentation(io.BytesIO(served["board_pack"]()))
    assert [slides.headline_on(slide) for slide in deck.slides][1:] == [p.headline for p in plans][1:]
    assert not at.exception
    assert ("members' version" in at.markdown[0].value) == (role == "member")


def test_a_chart_downloads_as_a_picture(monkeypatch, sample_db, served):
    from bfc_data.outputs import images
    if not images.available():
        pytest.skip("no Chromium here (CI installs it)")
    at = app(monkeypatch, sample_db, "pages/sectors.py")
    assert not at.exception
    picture = served["png_sector_levels"]()
    assert picture.startswith(b"\x89PNG\r\n\x1a\n") and len(picture) > 5000


@pytest.mark.parametrize("role", ["member", "officer"])
def test_learning_page(monkeypatch, sample_db, role):
    at = app(monkeypatch, sample_db, "pages/learning.py", role=role)
    assert len(at.get("plotly_chart")) == 4
    said = words(at)
    assert said[0].startswith("Challenge event has the most events")
    assert any("association, not proof" in w.value for w in at.warning)
    at.radio(key="events_by").set_value("Quarter").run()
    assert not at.exception and "Quarter (calendar)" in at.dataframe[0].value.columns


def test_learning_and_progress_hides_small_groups_from_members(monkeypatch, sample_db):
    with open_store(sample_db, None) as store:
        from bfc_data.analysis import learning
        frame = learning.learning_and_progress(store, 100)  # a threshold above every group: everything hidden
        assert frame["suppressed"].all()
    monkeypatch.setenv("BFC_SUPPRESSION_THRESHOLD", "100")
    from bfc_data.reference import settings as settings_module
    settings_module._load.cache_clear()
    try:
        at = app(monkeypatch, sample_db, "pages/learning.py", role="member")
        assert "Every comparison is hidden because one side has too few organisations." in words(at)
        officer = app(monkeypatch, sample_db, "pages/learning.py", role="officer")
        assert not any("Every comparison is hidden" in w for w in words(officer))
    finally:
        monkeypatch.delenv("BFC_SUPPRESSION_THRESHOLD")
        settings_module._load.cache_clear()


@pytest.mark.parametrize("role", ["member", "officer"])
def test_programme_page_flags_the_discrepancy(monkeypatch, sample_db, role):
    at = app(monkeypatch, sample_db, "pages/programme.py", role=role)
    assert "£72,625" in at.warning[0].value and "£72,765" in at.warning[0].value
    table = at.dataframe[0].value
    assert set(table["Status"]) <= {"done", "due"} and len(table) == 8


@pytest.mark.parametrize("trouble", ["foreign", "locked", "cut short"])
def test_a_store_that_cannot_be_opened_is_said_in_words_on_every_page(monkeypatch, tmp_path, trouble):
    # Regression: a raw "_duckdb.IOException … Conflicting lock" with file paths, on the first page.
    import subprocess
    import sys
    db = tmp_path / "bfc.duckdb"
    holder = None
    if trouble == "foreign":
        db.write_bytes(b"organisation_code,reporting_year\n" * 40)
    elif trouble == "cut short":
        whole = tmp_path / "whole.duckdb"
        open_store(whole, None).close()
        db.write_bytes(whole.read_bytes()[:8192])
    else:
        open_store(db, None).close()
        holder = subprocess.Popen([sys.executable, "-c", "import duckdb, sys, time; c = duckdb.connect(sys.argv[1]); "
                                   "print('held', flush=True); time.sleep(60)", str(db)], stdout=subprocess.PIPE, text=True)
        assert holder.stdout.readline().strip() == "held"
    try:
        monkeypatch.setenv("BFC_DB", str(db))
        monkeypatch.setenv("BFC_LOCAL_ROLE", "officer")
        for page in (None, "pages/upload.py"):
            at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
            at.run()
            if page:
                at.switch_page(page).run()
            assert not at.exception, [e.value for e in at.exception]
            [error] = at.error
            expected = {"locked": "another program is using it", "foreign": "not a BFC store",
                        "cut short": "damaged or cut short"}[trouble]
            assert error.value.startswith("The dashboard cannot open its store just now: ") and expected in error.value
            assert "IOException" not in error.value and str(tmp_path) not in error.value
    finally:
        if holder:
            holder.kill()
