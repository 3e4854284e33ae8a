"""The board pack: opened with python-pptx and held to the dashboard's own figures."""

import io
import os

import pytest
from pptx import Presentation
from pptx.util import Emu

from bfc_data import analysis
from bfc_data.access import MEMBER, OFFICER, Viewer
from bfc_data.cli import run
from bfc_data.outputs import boardpack, slides
from bfc_data.store.startup import open_store

OFFICER_VIEWER, MEMBER_VIEWER = Viewer("Olu", OFFICER), Viewer("Board member", MEMBER)


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    with open_store(tmp_path_factory.mktemp("pack") / "bfc.duckdb") as s:
        yield s


def deck(store, viewer, year=2025, filters=analysis.Filters()):
    return Presentation(io.BytesIO(boardpack.build(store, viewer, year, filters)))


def texts(presentation) -> str:
    parts = []
    for slide in presentation.slides:
        for shape in slide.shapes:
            if shape.has_text_frame:
                parts.append(shape.text_frame.text)
            if shape.has_table:
                parts += [cell.text for row in shape.table.rows for cell in row.cells]
            if shape.has_chart:
                plot = shape.chart.plots[0]
                parts += [str(c) for c in plot.categories] + [s.name for s in plot.series]
    return "\n".join(parts)


def chart_on(presentation, name):
    [slide] = [s for s in presentation.slides if s.name == name]
    [chart] = [shape.chart for shape in slide.shapes if shape.has_chart]
    return slide, chart


def test_slides_titles_and_16_9(store):
    plans = boardpack.slide_plans(store, OFFICER_VIEWER, 2025)
    pack = deck(store, OFFICER_VIEWER)
    assert Emu(pack.slide_width) * 9 == Emu(pack.slide_height) * 16
    assert [s.name for s in pack.slides] == [p.name for p in plans] == [
        "Title", "Headline numbers", "Sector × priority area", "Progress by priority area", "Level transitions",
        "Equality groups", "Coverage", "Support wanted", "Learning programme", "Learning and progress", "Programme delivery",
        "Living standards", "Equality in the labour market",
        "Equity in public services", "Civil society strength"]
    assert [slides.headline_on(s) for s in pack.slides] == [p.headline for p in plans]
    assert pack.slides[1].shapes.title.text.startswith("In 2025-26, ")


def test_every_slide_has_its_true_footer_speaker_notes_and_the_dashboard_as_author(store):
    # Regression: every footer said "(filtered)" with no filter set (the year counted as a filter), and the programme
    # slide named the partner returns as its source. The sample store's decks are marked as sample data.
    pack = deck(store, OFFICER_VIEWER, filters=analysis.Filters(years=(2025,)))
    for slide in pack.slides:
        [footer] = [shape for shape in slide.shapes if shape.name == "Footer"]
        text = footer.text_frame.text
        assert "filtered" not in text and text.endswith(" · BFC Progress Dashboard · " + text.rsplit(" · ", 1)[-1])
        if slide.name == "Programme delivery":
            assert text.startswith("Source: GLA decision DD2691")
        else:
            assert text.startswith("Source: BFC partner returns, current returns for 2025-26 · SAMPLE DATA: invented organisations")
        notes = slide.notes_slide.notes_text_frame.text
        assert notes.startswith(slides.headline_on(slide)) and "Caveats:" in notes
    assert pack.core_properties.author == "BFC Progress Dashboard, Greater London Authority"
    [support] = [s for s in pack.slides if s.name == "Support wanted"]
    assert "The numbers behind it:" in support.notes_slide.notes_text_frame.text


def test_charts_are_native_and_hold_the_dashboards_figures(store):
    pack = deck(store, OFFICER_VIEWER)
    _, chart = chart_on(pack, "Equality groups")
    expected = analysis.levels(store, "equality_group", analysis.Filters(years=(2025,)))
    assert list(chart.plots[0].series[0].values) == expected["mean_level"].tolist()
    assert [c.split(" (")[0] for c in chart.plots[0].categories] == expected["equality_group"].tolist()
    _, trend = chart_on(pack, "Progress by priority area")
    frame = analysis.trend(store, "priority_area")
    for series in trend.plots[0].series:
        assert list(series.values) == frame[frame["priority_area"] == series.name]["mean_level"].tolist()
    _, movement = chart_on(pack, "Level transitions")
    moved = analysis.movement(store, 2024, 2025)
    assert list(movement.plots[0].series[0].values) == moved["organisations"].tolist()
    _, area = chart_on(pack, "Civil society strength")
    actions = analysis.levels(store, "action", analysis.Filters(years=(2025,), priority_areas=("Civil society strength",)))
    assert list(area.plots[0].series[0].values) == actions["mean_level"].tolist()


def test_heat_map_is_a_table_with_the_figures(store):
    pack = deck(store, OFFICER_VIEWER)
    [slide] = [s for s in pack.slides if s.name == "Sector × priority area"]
    [table] = [shape.table for shape in slide.shapes if shape.has_table]
    grid = analysis.levels(store, ["sector", "priority_area"], analysis.Filters(years=(2025,)))
    health = grid[(grid["sector"] == "Health") & (grid["priority_area"] == "Living standards")]["mean_level"].iloc[0]
    rows = {table.cell(i, 0).text: i for i in range(len(table.rows))}
    assert table.cell(rows["Health"], 1).text == f"{health:.2f}"


def test_a_members_pack_keeps_small_groups_hidden_and_names_no_organisation(store):
    pack = deck(store, MEMBER_VIEWER)
    names = store.query("SELECT organisation_code, organisation_name FROM organisations")
    everything = texts(pack)
    assert not [n for n in [*names["organisation_code"], *names["organisation_name"]] if n and n in everything]
    [slide] = [s for s in pack.slides if s.name == "Sector × priority area"]
    [table] = [shape.table for shape in slide.shapes if shape.has_table]
    assert "hidden" in [cell.text for row in table.rows for cell in row.cells]
    assert "members' version" in pack.slides[0].placeholders[1].text_frame.text
    _, movement = chart_on(pack, "Level transitions")
    assert list(movement.plots[0].categories) == analysis.movement(store, 2024, 2025, threshold=5)["movement"].tolist()


def test_filters_reach_the_pack(store):
    pack = deck(store, OFFICER_VIEWER, filters=analysis.Filters(sectors=("Health",)))
    _, chart = chart_on(pack, "Equality groups")
    expected = analysis.levels(store, "equality_group", analysis.Filters(years=(2025,), sectors=("Health",)))
    assert list(chart.plots[0].series[0].values) == expected["mean_level"].tolist()
    assert "filtered to Sector: Health" in [shape for shape in pack.slides[2].shapes if shape.name == "Footer"][0].text_frame.text


def test_the_template_is_16_9_with_placeholders_on_the_slide():
    template = Presentation(str(boardpack.TEMPLATE))
    assert template.slide_width * 9 == template.slide_height * 16
    for layout in template.slide_layouts:
        for shape in layout.placeholders:
            assert shape.left + shape.width <= template.slide_width


def test_cli_writes_the_pack(tmp_path):
    db = tmp_path / "bfc.duckdb"
    open_store(db).close()
    out = tmp_path / "pack.pptx"
    assert run(["boardpack", "--db", str(db), "--year", "2024-25", str(out)], io.StringIO()) == 0
    pack = Presentation(str(out))
    assert pack.slides[0].shapes.title.text == "Building a Fairer City: progress 2024-25"
    members = tmp_path / "members.pptx"
    assert run(["boardpack", "--db", str(db), "--members", str(members)], io.StringIO()) == 0
    assert "members' version" in Presentation(str(members)).slides[0].placeholders[1].text_frame.text
    assert run(["boardpack", "--db", str(tmp_path / "none.duckdb"), str(out)], io.StringIO()) == 2


def test_a_year_whose_returns_hold_no_levels_still_builds_a_pack_that_says_so(tmp_path):
    # Regression: a year whose only return lists its actions with no level (not taking part yet) crashed the
    # build ("chart data contains no categories") for officers and members alike.
    from conftest import excel_return

    from bfc_data.store import Store, load_files
    with Store(tmp_path / "s.duckdb") as blank:
        [outcome] = load_files(blank, [("blank.xlsx", excel_return(maturity=[["A1", "All roles", "All Londoners", None, None,
                                                                               None, None, None]]))], "officer")
        assert outcome.outcome == "accepted with warnings"
        for viewer in (OFFICER_VIEWER, MEMBER_VIEWER):
            pack = deck(blank, viewer, 2024)
            assert "No figures can be shown" in texts(pack)


LIBERATION_SANS = "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf"


def lines_needed(text: str, width_pt: float, size_pt: float) -> int:
    """Lines a text wraps to in a box, word by word, with Liberation Sans's metrics: Arial's, wider than the
    deck's Calibri, so a title that fits here fits on the slide."""
    from PIL import ImageFont
    font, lines, line = ImageFont.truetype(LIBERATION_SANS, 100), 1, ""
    for word in text.split():
        trial = f"{line} {word}".strip()
        if font.getlength(trial) * size_pt / 100 > width_pt and line:
            lines, line = lines + 1, word
        else:
            line = trial
    return lines


@pytest.mark.parametrize("viewer", [OFFICER_VIEWER, MEMBER_VIEWER], ids=["officer", "member"])
def test_titles_fit_on_two_lines_and_the_area_slides_name_their_priority_area(store, viewer):
    if not os.path.exists(LIBERATION_SANS):
        if os.environ.get("CI"):
            raise RuntimeError("CI must install fonts-liberation (see .ci/run)")
        pytest.skip("fonts-liberation is not installed here")
    pack = deck(store, viewer)
    for slide in list(pack.slides)[1:]:
        title = slide.shapes.title
        width = Emu(title.width).pt - 14.4  # less the text frame's insets, 0.1 inch each side
        size = title.text_frame.paragraphs[0].runs[0].font.size.pt
        assert lines_needed(title.text, width, size) <= 2, (slide.name, size, title.text)
        assert Emu(title.height).pt >= 2 * 1.2 * size + 7.2, slide.name  # two lines and the insets fit in the box
    for area in store.fw.priority_areas:
        [slide] = [s for s in pack.slides if s.name == area]
        assert slide.shapes.title.text.startswith(f"{area}: ")
    # The sentences after the first stay on the slide, under the title.
    [trend] = [s for s in pack.slides if s.name == "Progress by priority area"]
    assert [s.text_frame.text for s in trend.shapes if s.name == "Headline detail"] == [
        "Each year counts the organisations returning that year, not always the same ones."]


def test_bars_of_several_series_differ_by_more_than_colour(store):
    # Colour is never the only carrier of meaning: in a chart of two or more series of bars (took part or not, say),
    # every series after the first is hatched, as on the dashboard's own charts; lines differ by their markers.
    pack = deck(store, OFFICER_VIEWER)
    several = [shape.chart for slide in pack.slides for shape in slide.shapes
               if shape.has_chart and len(shape.chart.plots[0].series) > 1 and "bar" in shape.chart.plots[0].__class__.__name__.lower()]
    assert several, "the sample's pack has a chart of several series of bars"
    for chart in several:
        fills = [series.format.fill._xPr.xml for series in chart.plots[0].series]
        assert "solidFill" in fills[0] and all("pattFill" in fill for fill in fills[1:]), chart.plots[0].categories[0]
