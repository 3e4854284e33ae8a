"""Words apart from pictures: every sentence comes from the analysis frame without a plotly figure, and the
pages and the board pack say the same sentence about the same figure."""

import io
import subprocess
import sys

import pandas as pd
from conftest import ROOT
from pptx import Presentation

from bfc_data import analysis
from bfc_data.access import MEMBER, Viewer
from bfc_data.outputs import boardpack, charts, slides, words
from bfc_data.store.startup import open_store


def test_the_words_tables_and_board_pack_build_no_plotly_figure():
    # Run in a fresh interpreter: the test process itself has plotly loaded by other tests.
    code = ("import sys; import bfc_data.outputs.words, bfc_data.outputs.tables, bfc_data.outputs.boardpack; "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('plotly', 'streamlit')))")
    loaded = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True).stdout.strip()
    assert loaded == "[]"


def test_a_chart_says_exactly_what_words_say(sample_db):
    with open_store(sample_db, None) as store:
        frame = analysis.levels(store, "sector", analysis.Filters(years=(2025,)), 5)
        assert charts.level_bars(frame, "sector", "t").summary == words.level_bars(frame, "sector")
        trend = analysis.trend(store, "priority_area", analysis.Filters(), 5)
        assert charts.trend_lines(trend, "priority_area", "t").summary == words.trend(trend, "priority_area")


def test_the_board_pack_headlines_are_the_pages_sentences(sample_db):
    with open_store(sample_db, None) as store:
        # A member's pack: the page's member sentences, hidden figures and all.
        deck = Presentation(io.BytesIO(boardpack.build(store, Viewer("Board member", MEMBER), 2025)))
        headlines = {slide.name: slides.headline_on(slide) for slide in deck.slides}
        groups = analysis.levels(store, "equality_group", analysis.Filters(years=(2025,)), 5)
        groups["equality_group"] = groups["equality_group"].map(lambda g: store.fw.focus_label(g, 2025))
        assert headlines["Equality groups"] == charts.level_bars(groups, "equality_group", "").summary
        coverage = analysis.coverage_by_year(store, analysis.Filters(), 5)
        assert headlines["Coverage"] == charts.coverage_chart(coverage, 2025, "").summary


def test_biggest_movers_say_why_none_are_shown():
    # Regression (noted in issue 11's closing note): with an earlier year whose sectors were all hidden, the page
    # said "there is no earlier year to compare", which was untrue.
    empty = pd.DataFrame(columns=["sector", "before", "after", "change"])
    assert words.movers(empty, "sector", 2025, earlier_year=False) == "There is no earlier year to compare 2025-26 with."
    said = words.movers(empty, "sector", 2025, earlier_year=True)
    assert said.startswith("No sector can be compared with 2024-25") and "too few organisations" in said
