"""Charts: figures with words on them, summaries that say what the data say, one palette."""

import tomllib

import pandas as pd

from bfc_data.outputs import charts, figures, words
from bfc_data.reference.framework import framework as _framework

LEVEL_SHARES = _framework().level_shares
from conftest import ROOT

from bfc_data.analysis.disclosure import REASONS, suppress
from bfc_data.reference.settings import settings


def levels_frame(rows, by="sector", threshold=0):
    frame = pd.DataFrame(rows, columns=[by, "organisations", "mean_level", *LEVEL_SHARES])
    return suppress(frame, threshold, ["mean_level", *LEVEL_SHARES], [[]])


ROWS = [("Health", 10, 2.5, 10.0, 40.0, 40.0, 10.0), ("Business", 6, 1.5, 50.0, 50.0, 0.0, 0.0), ("Faith", 3, 3.0, 0.0, 0.0, 100.0, 0.0)]


def test_level_bars_summary_and_hidden_groups():
    chart = charts.level_bars(levels_frame(ROWS), "sector", "t")
    assert chart.summary == "Faith has the highest mean level (3.00) and Business the lowest (1.50), across 3 sectors shown."
    hidden = charts.level_bars(levels_frame(ROWS, threshold=5), "sector", "t")
    # Faith (3) is under 5 and hidden; Business (6) is the smallest other and hidden too.
    # The words give each its true reason: Business covers enough organisations but is hidden to protect Faith.
    assert hidden.summary == ("Health has a mean level of 2.50 over 10 organisations. 2 groups are hidden: 1 because it covers "
                              "too few organisations; 1 so that a small group cannot be worked out from the others.")
    assert list(hidden.figure.data[0].text) == ["2.50 (10 organisations)", figures.HIDDEN_TO_PROTECT, figures.HIDDEN]
    assert hidden.table["Hidden"].tolist() == ["", REASONS["secondary"], REASONS["primary"]]


def test_level_distribution_keeps_the_scale_order_and_colours():
    chart = charts.level_distribution(levels_frame(ROWS), "sector", "t")
    assert [trace.name for trace in chart.figure.data] == ["1 Starting", "2 Developing", "3 Achieving", "4 Excelling"]
    assert [trace.marker.color for trace in chart.figure.data] == list(_framework().maturity_colours.values())
    # Levels are told apart by more than colour: each has its own pattern as well as its name in the legend.
    patterns = [trace.marker.pattern.shape for trace in chart.figure.data]
    assert len(set(patterns)) == len(patterns)
    assert chart.summary == "Faith has the largest share of organisations at 3 Achieving or above (100%)."
    assert "% at 3 Achieving" in chart.table.columns


def test_heatmap_writes_values_and_hidden_in_the_cells():
    frame = pd.DataFrame([("Health", "Living standards", 10, 2.0), ("Health", "Civil society strength", 2, 3.0),
                          ("Business", "Living standards", 8, 1.5), ("Business", "Civil society strength", 9, 2.5),
                          ("Local government", "Living standards", 20, 2.2), ("Local government", "Civil society strength", 30, 2.8)],
                         columns=["sector", "priority_area", "organisations", "mean_level"])
    chart = charts.heatmap(suppress(frame, 5, ["mean_level"], [["priority_area"]]), "priority_area", "sector", "t")
    # Sectors add up; priority areas do not (an organisation is in several), so only the sector lines are protected.
    # Health × Civil society (2) is primary; its sector line then hides Business × Civil society (9), the smallest
    # other. The Living standards line has nothing hidden and stays whole.
    texts = [a.text for a in chart.figure.layout.annotations]
    assert texts == ["2.00", "hidden", "1.50", "hidden", "2.20", "2.80"]
    assert chart.summary == ("The highest mean level is 2.80 (Local government, Civil society strength); the lowest is 1.50 "
                             "(Business, Living standards). 2 cells are hidden: 1 because it covers too few organisations; "
                             "1 so that a small group cannot be worked out from the others.")
    assert chart.figure.data[0].x == ("Living standards", "Civil society")


def test_trend_summary_names_the_group_that_moved_most():
    frame = pd.DataFrame([("Housing association", 2022, 1.8), ("Housing association", 2025, 2.4),
                          ("Health", 2022, 2.0), ("Health", 2025, 2.1)], columns=["sector", "reporting_year", "mean_level"])
    assert words.trend(frame, "sector") == (
        "Of the groups shown, Housing association moved most: it rose from 1.80 to 2.40 between 2022-23 and 2025-26.")
    single = pd.DataFrame([(2024, 2.0)], columns=["reporting_year", "mean_level"])
    assert words.trend(single, None) == "There is not yet more than one year to compare."


def test_empty_frames_give_words_not_a_blank_chart():
    empty = levels_frame([])
    for chart in (charts.level_bars(empty, "sector", "t"), charts.level_distribution(empty, "sector", "t"),
                  charts.heatmap(pd.DataFrame(columns=["sector", "priority_area", "organisations", "mean_level", "suppressed"]),
                                 "priority_area", "sector", "t")):
        assert chart.figure is None and chart.summary == "No returns match these filters."


def test_lines_carry_distinct_markers_not_only_colours():
    frame = pd.DataFrame([(g, y, 2.0) for g in ("A", "B", "C") for y in (2023, 2024)], columns=["sector", "reporting_year", "mean_level"])
    chart = charts.trend_lines(frame, "sector", "t")
    assert len({trace.marker.symbol for trace in chart.figure.data}) == 3


def test_palette_is_the_one_streamlit_uses():
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    assert config["theme"]["chartCategoricalColors"] == list(settings().palette)


def test_sankey_with_every_flow_hidden_says_so_instead_of_a_blank_chart():
    frame = pd.DataFrame({"from_level": [1, 2], "to_level": [2, 2], "organisations": [float("nan")] * 2,
                          "movement": ["moved up", "stayed"], "suppressed": [True, True], "suppression": ["primary", "secondary"]})
    chart = charts.transitions_sankey(frame, 2024, 2025, "t")
    assert chart.figure is None and "are all hidden" in chart.summary


def test_sankey_flows_and_summary():
    frame = pd.DataFrame({"from_level": [1, 1, 2], "to_level": [1, 2, 3], "organisations": [4.0, 6.0, 2.0],
                          "movement": ["stayed", "moved up", "moved up"], "suppressed": [False] * 3, "suppression": [None] * 3})
    chart = charts.transitions_sankey(frame, 2024, 2025, "t")
    link = chart.figure.data[0].link
    assert list(link.source) == [0, 0, 1] and list(link.target) == [4, 5, 6] and list(link.value) == [4.0, 6.0, 2.0]
    assert chart.summary == "Largest movement between 2024-25 and 2025-26: 6 organisations from 1 Starting to 2 Developing."


def test_small_multiples_give_every_line_its_own_marker_and_colour():
    rows = [("Living standards" if a <= 3 else "Civil society strength", f"A{a}", y, 2.0) for a in (1, 2, 3, 13, 14) for y in (2023, 2024)]
    frame = pd.DataFrame(rows, columns=["priority_area", "action", "reporting_year", "mean_level"])
    chart = charts.small_multiples(frame, "priority_area", "action", "t")
    pairs = {(t.marker.symbol, t.marker.color) for t in chart.figure.data}
    assert len(pairs) == 5
    assert [a.text for a in chart.figure.layout.annotations] == ["Living standards", "Civil society strength"]


def test_a_heatmap_with_every_cell_hidden_is_said_in_words():
    frame = pd.DataFrame([("Faith", "Living standards", 2, 2.0), ("Faith", "Civil society strength", 3, 3.0)],
                         columns=["sector", "priority_area", "organisations", "mean_level"])
    chart = charts.heatmap(suppress(frame, 5, ["mean_level"], [["priority_area"]]), "priority_area", "sector", "t")
    assert chart.figure is None
    assert chart.summary == "All 2 cells are hidden because they cover too few organisations."
    assert chart.table["Hidden"].tolist() == [REASONS["primary"]] * 2


def test_a_trend_of_hidden_years_says_so_rather_than_that_there_is_one_year():
    frame = pd.DataFrame({"reporting_year": [2023, 2024], "mean_level": [float("nan"), float("nan")], "suppression": ["primary", "primary"]})
    assert words.trend(frame, None) == ("No change over the years can be shown: 2 figures are hidden because they "
                                                 "cover too few organisations.")


def test_counts_all_hidden_are_said_in_words_not_drawn_as_zero():
    frame = pd.DataFrame({"learning_format": ["Study tour"], "priority_area": ["Living standards"], "organisations": [float("nan")],
                          "suppression": ["primary"]})
    chart = charts.count_bars(frame, "learning_format", "organisations", "t", colour_by="priority_area")
    assert chart.figure is None and chart.summary == "The one count is hidden because it covers too few organisations."


def test_every_chart_colour_stands_out_in_light_and_dark_themes_and_text_on_it_is_readable():
    # WCAG 1.4.11: graphical objects at 3:1 against their background, here white and Streamlit's dark #0E1117;
    # WCAG 1.4.3: the figures written on the heat map's cells at 4.5:1, wherever a mean level falls.
    from bfc_data.outputs.colours import contrast, level_colour, text_on
    fw = _framework()
    for colour in [*settings().palette, *fw.maturity_colours.values()]:
        assert contrast(colour, "#FFFFFF") >= 3 and contrast(colour, "#0E1117") >= 3, colour
    for hundredths in range(100, 100 * fw.top_level + 1):
        cell = level_colour(fw, hundredths / 100)
        assert contrast(cell, text_on(cell)) >= 4.5, (hundredths, cell)


def test_the_learning_association_labels_have_room_beside_their_bars():
    # Standing, each bar's '+0.52 (26 organisations)' ran into its neighbour's (seen on the Learning programme page).
    # Lying down, every label is written beside its bar, with room on the side the bar points to.
    frame = pd.DataFrame({"learning_format": ["Study tour"] * 3, "priority_area": ["Living standards", "Equity in public services",
                                                                                  "Civil society strength"],
                          "took_part": [12, 3, 20], "took_part_change": [-0.45, None, 1.25], "did_not": [30, 3, 5],
                          "did_not_change": [0.1, None, 0.3], "suppressed": [False, True, False],
                          "suppression": [None, "primary", None]})
    figure = figures.association_bars(frame, "Study tour", "Change in level")
    assert all(bar.orientation == "h" and bar.textposition == "outside" for bar in figure.data)
    assert list(figure.data[0].y) == frame["priority_area"].tolist() and figure.layout.yaxis.autorange == "reversed"
    low, high = figure.layout.xaxis.range
    assert low <= -0.45 - 0.5 and high >= 1.25 + 0.5  # a label's width beyond the longest bar either way
    assert "hidden: too few organisations" in figure.data[0].text[1]
