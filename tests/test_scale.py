"""The maturity scale is reference data: a five-level scale in maturity_scale.csv, and every page, chart,
table, template and board pack follows it with no code change."""

import io
import shutil

import pytest
from conftest import MATURITY_CSV_HEADER, ROOT, csv_bytes, maturity_row
from pptx import Presentation
from streamlit.testing.v1 import AppTest

from bfc_data import analysis
from bfc_data.analysis import overview
from bfc_data.intake.template import build_template
from bfc_data.outputs import boardpack, charts
from bfc_data.reference.framework import REFERENCE_DIR, framework
from bfc_data.store import load_files
from bfc_data.store.startup import open_store

FIVE = [(1, "Starting", "#DEEBF7"), (2, "Developing", "#9ECAE1"), (3, "Achieving", "#4292C6"), (4, "Excelling", "#08519C"),
        (5, "Leading others", "#08306B")]
PAGES = sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / "pages").glob("*.py"))


@pytest.fixture(scope="module")
def five_levels(tmp_path_factory):
    """A reference folder with a five-level scale, and a store built under it with some organisations at level 5."""
    folder = tmp_path_factory.mktemp("five") / "reference"
    shutil.copytree(REFERENCE_DIR, folder)
    (folder / "maturity_scale.csv").write_text("maturity_level,label,description,colour\n" + "".join(
        f"{level},{label},The level {level} description,{colour}\n" for level, label, colour in FIVE), encoding="utf-8")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("BFC_REFERENCE", str(folder))
        db = folder.parent / "bfc.duckdb"
        with open_store(db) as store:
            rows = [maturity_row(code=f"ORG-95{i:02d}", name=f"Leading Partner {i}", sector="Health", year="2025-26",
                                 action=action, level="5 Leading others")
                    for i in range(6) for action in ("A1", "A2", "A3")]
            [outcome] = load_files(store, [("leaders.csv", csv_bytes(MATURITY_CSV_HEADER, rows))], "officer.one")
            assert outcome.outcome == "accepted", outcome.validated.errors
    return folder, db


@pytest.fixture
def five(monkeypatch, five_levels):
    folder, db = five_levels
    monkeypatch.setenv("BFC_REFERENCE", str(folder))
    return db


def test_the_framework_reads_the_five_levels_labels_and_colours(five):
    fw = framework()
    assert fw.levels == [1, 2, 3, 4, 5] and fw.top_level == 5 and fw.scale_span == "1–5"
    assert fw.level_name(5) == "5 Leading others" and fw.maturity_colours[5] == "#08306B"
    assert fw.level_shares == ["level_1", "level_2", "level_3", "level_4", "level_5"]
    assert fw.upper_levels == [3, 4, 5]


def test_figures_charts_and_words_follow_the_scale(five):
    with open_store(five, None) as store:
        frame = analysis.levels(store, "sector", analysis.Filters(years=(2025,)))
        assert "level_5" in frame.columns and frame.loc[frame["sector"] == "Health", "level_5"].iloc[0] > 0
        distribution = charts.level_distribution(frame, "sector", "t")
        assert [t.name for t in distribution.figure.data] == [f"{level} {label}" for level, label, _ in FIVE]
        assert [t.marker.color for t in distribution.figure.data] == [colour for *_, colour in FIVE]
        assert "% at 5 Leading others" in distribution.table.columns
        bars = charts.level_bars(frame, "sector", "t")
        assert bars.figure.layout.xaxis.title.text == "Mean maturity level (1 Starting – 5 Leading others)"
        trend = charts.trend_lines(analysis.levels(store, "reporting_year"), None, "t")
        assert "scale 1–5" in trend.figure.layout.yaxis.title.text
        panels = charts.small_multiples(analysis.levels(store, ["priority_area", "action", "reporting_year"]), "priority_area",
                                        "action", "t")
        assert list(panels.figure.layout.yaxis.range) == [1, 5]
        heat = charts.heatmap(analysis.levels(store, ["sector", "priority_area"], analysis.Filters(years=(2025,))),
                              "priority_area", "sector", "t")
        assert list(heat.figure.data[0].colorbar.tickvals) == [1, 2, 3, 4, 5] and heat.figure.data[0].zmax == 5
        assert "on the 1–5 scale" in overview.headline(store, 2025).summary


def test_a_level_5_is_read_and_a_level_6_refused_in_words(five):
    from bfc_data.intake.validation import validate_bytes
    good = validate_bytes("good.csv", csv_bytes(MATURITY_CSV_HEADER, [maturity_row(level="Leading others")]))
    assert not good.errors and good.submissions[0].maturity[0]["maturity_level"] == 5
    bad = validate_bytes("bad.csv", csv_bytes(MATURITY_CSV_HEADER, [maturity_row(level="6")]))
    assert any("5 Leading others" in problem.message for problem in bad.errors)


def test_the_template_offers_the_five_levels(five):
    from openpyxl import load_workbook
    book = load_workbook(io.BytesIO(build_template()))
    words = " ".join(str(cell.value) for sheet in book for row in sheet.iter_rows() for cell in row if cell.value)
    assert "5 Leading others" in words


def test_the_board_pack_draws_the_five_level_axis(five):
    with open_store(five, None) as store:
        deck = Presentation(io.BytesIO(boardpack.build(store, "officer", 2025)))
    line_axes = [shape.chart.value_axis.maximum_scale for slide in deck.slides for shape in slide.shapes
                 if shape.has_chart and shape.chart.chart_type is not None and "LINE" in str(shape.chart.chart_type)]
    assert line_axes and set(line_axes) == {5}
    text = " ".join(shape.text_frame.text for slide in deck.slides for shape in slide.shapes if shape.has_text_frame)
    assert "Mean maturity level (1–5)" in text


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("role", ["officer", "member"])
def test_every_page_runs_on_a_five_level_scale(monkeypatch, five, page, role):
    monkeypatch.setenv("BFC_DB", str(five))
    monkeypatch.setenv("BFC_LOCAL_ROLE", role)
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=90).run()
    at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    shown = " ".join(str(getattr(e, "value", "")) for e in at.markdown) + " ".join(m.label for m in at.metric)
    assert "1–4" not in shown
    if page == "pages/overview.py":
        assert any(m.label == "Mean maturity level (1–5)" for m in at.metric)
