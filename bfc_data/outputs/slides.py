"""Drawing one board-pack slide with python-pptx: its headline, its footer, and a native chart, table,
milestone list or headline numbers. Chart data travels in workbooks inside the deck: every label is neutralised."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import pandas as pd
from pptx.chart.data import CategoryChartData
from pptx.dml.color import RGBColor
from pptx.enum.chart import XL_AXIS_CROSSES, XL_CHART_TYPE, XL_LEGEND_POSITION
from pptx.enum.dml import MSO_PATTERN_TYPE
from pptx.enum.text import MSO_ANCHOR, MSO_AUTO_SIZE, PP_ALIGN
from pptx.util import Inches, Pt

from bfc_data.intake.values import year_label
from bfc_data.outputs.colours import level_colour, text_on
from bfc_data.outputs.export import neutralise
from bfc_data.reference.settings import settings

# Where a sentence ends: a full stop and a space before a capital or a figure ("2.06 on" is not an end).
SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9])")
# The slide's body starts under its title and the line beneath.
BODY_TOP = Inches(1.9)
# Hatches for the second and later series of bars, in turn (the first is solid).
HATCHES = (MSO_PATTERN_TYPE.WIDE_UPWARD_DIAGONAL, MSO_PATTERN_TYPE.LARGE_CHECKER_BOARD, MSO_PATTERN_TYPE.WIDE_DOWNWARD_DIAGONAL)


@dataclass
class SlidePlan:
    """One slide: its short name (for the page's preview), its headline sentence, and how to draw it."""

    name: str
    headline: str
    layout: str  # title, numbers, table, line, bar, column
    data: dict = field(default_factory=dict)


def gaps_for_hidden(values) -> list:
    """Chart values, with hidden (suppressed) figures as gaps rather than zeros."""
    return [None if v is None or pd.isna(v) else float(v) for v in values]


def title_and_detail(text: str) -> tuple[str, str]:
    """The headline's first sentence as the slide's title, the sentences after it (how it was counted, what is
    hidden) as the line beneath: a chair reads the point in two lines, and the caveat stays on the slide."""
    parts = SENTENCE_END.split(text.strip(), maxsplit=1)
    return parts[0], parts[1] if len(parts) > 1 else ""


def title_size(title: str) -> int:
    # Calibri at these sizes holds about 75, 85 and 95 characters a line across the title's 12 inches: the title
    # stays within two lines (tests measure it with Arial's wider metrics).
    return 24 if len(title) <= 120 else 20 if len(title) <= 150 else 18


def headline(slide, deck, text: str) -> None:
    """The headline on the slide: its first sentence as the title, set from the top, the rest beneath it."""
    first, rest = title_and_detail(text)
    title = slide.shapes.title
    title.left, title.top, title.width, title.height = Inches(0.6), Inches(0.3), deck.slide_width - Inches(1.2), Inches(0.95)
    title.text = first
    frame = title.text_frame
    frame.word_wrap = True
    frame.auto_size = MSO_AUTO_SIZE.NONE
    frame.vertical_anchor = MSO_ANCHOR.TOP
    for paragraph in frame.paragraphs:
        paragraph.alignment = PP_ALIGN.LEFT
        for run in paragraph.runs:
            run.font.size = Pt(title_size(first))
    if rest:
        box = slide.shapes.add_textbox(Inches(0.6), Inches(1.25), deck.slide_width - Inches(1.2), Inches(0.6))
        box.name = "Headline detail"
        box.text_frame.word_wrap = True
        box.text_frame.text = rest
        box.text_frame.paragraphs[0].runs[0].font.size = Pt(14)
        box.text_frame.paragraphs[0].runs[0].font.color.rgb = RGBColor(0x26, 0x26, 0x26)


def headline_on(slide) -> str:
    """The headline a drawn slide says, read back from its title and the line beneath it."""
    detail = [shape.text_frame.text for shape in slide.shapes if shape.name == "Headline detail"]
    return " ".join([slide.shapes.title.text, *detail])


def footer(slide, deck, text: str) -> None:
    box = slide.shapes.add_textbox(Inches(0.5), deck.slide_height - Inches(0.55), deck.slide_width - Inches(1.0), Inches(0.4))
    box.text_frame.text = text
    box.text_frame.paragraphs[0].runs[0].font.size = Pt(10)
    box.text_frame.paragraphs[0].runs[0].font.color.rgb = RGBColor(0x40, 0x40, 0x40)
    box.name = "Footer"


def numbers_behind(item: SlidePlan) -> list[str]:
    """The figures a slide draws, line by line, for its speaker notes (hidden figures said as hidden)."""
    data = item.data

    def value(v) -> str:
        return "hidden" if v is None or (isinstance(v, float) and pd.isna(v)) else (f"{v:.2f}" if isinstance(v, float) and not
                                                                                   float(v).is_integer() else f"{v:g}"
                                                                                   if isinstance(v, float) else str(v))
    if item.layout == "numbers":
        return [f"{label}: {shown}" for label, shown in data["numbers"]]
    if item.layout in ("bar", "column"):
        return [f"{category}: " + "; ".join(f"{name} {value(values[i])}" for name, values in data["series"].items())
                for i, category in enumerate(data["categories"])]
    if item.layout == "line":
        frame = data["frame"]
        return [f"{name}: " + "; ".join(f"{year_label(int(y))} {value(v)}" for y, v in zip(part["reporting_year"], part["mean_level"]))
                for name, part in frame.groupby(data["series"], sort=False)]
    if item.layout == "table":
        frame = data["frame"]
        return [f"{row['sector']}, {row['priority_area']}: {value(row['mean_level'])}" for _, row in frame.iterrows()]
    if item.layout == "milestones":
        return [f"{milestone}: {date}, {status}" for milestone, date, status in data["rows"]]
    return []


def speaker_notes(slide, item: SlidePlan, caveats: list[str]) -> None:
    """The sentence, the numbers behind it and the caveats, for whoever presents the slide."""
    parts = [item.headline]
    lines = numbers_behind(item)
    if lines:
        parts.append("The numbers behind it:\n" + "\n".join(lines))
    if item.data.get("note"):
        parts.append(item.data["note"])
    parts.append("Caveats:\n" + "\n".join(caveats))
    slide.notes_slide.notes_text_frame.text = "\n\n".join(parts)


def nothing_to_show(slide, deck) -> None:
    box = slide.shapes.add_textbox(Inches(0.6), BODY_TOP, deck.slide_width - Inches(1.2), Inches(0.8))
    box.text_frame.word_wrap = True
    box.text_frame.text = "No figures can be shown for this slide: no organisation gave a level that fits it."
    box.text_frame.paragraphs[0].runs[0].font.size = Pt(18)
    box.name = "No figures"


def chart(slide, deck, item: SlidePlan) -> None:
    if not len(item.data["categories"]):
        nothing_to_show(slide, deck)
        return
    data = CategoryChartData()
    # The chart's data travels in a workbook inside the deck: its labels are written as text, never formulas.
    data.categories = [neutralise(str(c)) for c in item.data["categories"]]
    for name, values in item.data["series"].items():
        data.add_series(neutralise(str(name)), gaps_for_hidden(values))
    chart_type = {"bar": XL_CHART_TYPE.BAR_CLUSTERED, "column": XL_CHART_TYPE.COLUMN_CLUSTERED}[item.layout]
    top = BODY_TOP
    height = deck.slide_height - top - Inches(0.9 if "note" not in item.data else 1.4)
    frame = slide.shapes.add_chart(chart_type, Inches(0.6), top, deck.slide_width - Inches(1.2), height, data)
    chart = frame.chart
    chart.has_title = False  # the slide's headline says what the chart shows
    chart.has_legend = len(item.data["series"]) > 1
    if chart.has_legend:
        chart.legend.position = XL_LEGEND_POSITION.BOTTOM
        chart.legend.include_in_layout = False
    plot = chart.plots[0]
    plot.has_data_labels = True
    plot.data_labels.font.size = Pt(11)
    plot.data_labels.number_format = "0.00" if item.data.get("axis_max") else "0"
    plot.data_labels.number_format_is_linked = False
    palette = settings().palette
    for index, series in enumerate(plot.series):
        colour = RGBColor.from_string(palette[index % len(palette)].lstrip("#"))
        fill = series.format.fill
        if index == 0:
            fill.solid()
        else:
            # Colour is never the only difference between series: the second and later are hatched, as on the page.
            fill.patterned()
            fill.pattern = HATCHES[(index - 1) % len(HATCHES)]
            fill.back_color.rgb = RGBColor(0xFF, 0xFF, 0xFF)
            series.format.line.color.rgb = colour
        fill.fore_color.rgb = colour
    if item.layout == "bar":
        # First category at the top, as read; the value axis then belongs at the bottom.
        chart.category_axis.reverse_order = True
        chart.category_axis.crosses = XL_AXIS_CROSSES.MAXIMUM
    if item.data.get("axis_max"):
        chart.value_axis.maximum_scale = item.data["axis_max"]
        chart.value_axis.minimum_scale = 0
    if "axis_max" in item.data:
        plot.data_labels.number_format = "0.00"
    chart.category_axis.tick_labels.font.size = Pt(11)
    if "note" in item.data:
        note = slide.shapes.add_textbox(Inches(0.6), deck.slide_height - Inches(1.3), deck.slide_width - Inches(1.2), Inches(0.5))
        note.text_frame.text = item.data["note"]
        note.text_frame.word_wrap = True
        note.text_frame.paragraphs[0].runs[0].font.size = Pt(13)


def line(slide, deck, item: SlidePlan, fw) -> None:
    frame = item.data["frame"]
    years = sorted(frame["reporting_year"].unique())
    data = CategoryChartData()
    data.categories = [year_label(int(y)) for y in years]
    for name, part in frame.groupby(item.data["series"], sort=False):
        values = part.set_index("reporting_year")["mean_level"].reindex(years)
        data.add_series(neutralise(str(name)), gaps_for_hidden(values))
    shape = slide.shapes.add_chart(XL_CHART_TYPE.LINE_MARKERS, Inches(0.6), BODY_TOP, deck.slide_width - Inches(1.2),
                                   deck.slide_height - BODY_TOP - Inches(0.9), data)
    chart = shape.chart
    chart.has_title = False
    chart.has_legend = True
    chart.legend.position = XL_LEGEND_POSITION.BOTTOM
    chart.legend.include_in_layout = False
    chart.value_axis.minimum_scale, chart.value_axis.maximum_scale = min(fw.levels), fw.top_level
    palette = settings().palette
    for index, series in enumerate(chart.plots[0].series):
        series.format.line.color.rgb = RGBColor.from_string(palette[index % len(palette)].lstrip("#"))
        series.smooth = False


def heat_table(slide, deck, item: SlidePlan, fw) -> None:
    """The heat map as a formatted table: PowerPoint has no native heat map."""
    frame = item.data["frame"]
    rows = list(dict.fromkeys(frame["sector"]))
    columns = [a for a in fw.priority_areas if a in set(frame["priority_area"])]
    grid = frame.pivot_table(index="sector", columns="priority_area", values="mean_level", aggfunc="first").reindex(index=rows, columns=columns)
    counts = frame.pivot_table(index="sector", columns="priority_area", values="suppressed", aggfunc="first").reindex(index=rows, columns=columns)
    height = min(deck.slide_height - BODY_TOP - Inches(0.9), Inches(0.33) * (len(rows) + 1))
    shape = slide.shapes.add_table(len(rows) + 1, len(columns) + 1, Inches(0.6), BODY_TOP, deck.slide_width - Inches(1.2), height)
    table = shape.table
    cells = [(0, 0, "Sector")] + [(0, j + 1, fw.priority_area_short.get(c, c)) for j, c in enumerate(columns)]
    for i, sector in enumerate(rows):
        cells.append((i + 1, 0, sector))
        for j, column in enumerate(columns):
            value, count = grid.loc[sector, column], counts.loc[sector, column]
            text = "" if pd.isna(count) else ("hidden" if pd.isna(value) else f"{value:.2f}")
            cells.append((i + 1, j + 1, text))
            if text and text != "hidden":
                cell = table.cell(i + 1, j + 1)
                cell.fill.solid()
                cell.fill.fore_color.rgb = RGBColor.from_string(level_colour(fw, value).lstrip("#"))
    for i, j, text in cells:
        cell = table.cell(i, j)
        cell.text = text
        run = cell.text_frame.paragraphs[0].runs[0] if cell.text_frame.paragraphs[0].runs else None
        if run:
            run.font.size = Pt(11)
            if i and j:
                on = level_colour(fw, float(text)) if text not in ("", "hidden") else "#FFFFFF"
                run.font.color.rgb = RGBColor.from_string(text_on(on).lstrip("#"))


def milestones(slide, deck, item: SlidePlan) -> None:
    rows = item.data["rows"]
    shape = slide.shapes.add_table(len(rows) + 1, 3, Inches(0.6), BODY_TOP, deck.slide_width - Inches(1.2),
                                   Inches(0.32) * (len(rows) + 1))
    for j, heading in enumerate(("Milestone", "Date", "Status")):
        shape.table.cell(0, j).text = heading
    for i, row in enumerate(rows, start=1):
        for j, text in enumerate(row):
            shape.table.cell(i, j).text = text
    for row in shape.table.rows:
        for cell in row.cells:
            for run in cell.text_frame.paragraphs[0].runs:
                run.font.size = Pt(12)
    if item.data.get("note"):
        note = slide.shapes.add_textbox(Inches(0.6), deck.slide_height - Inches(1.4), deck.slide_width - Inches(1.2), Inches(0.6))
        note.text_frame.word_wrap = True
        note.text_frame.text = item.data["note"]
        note.text_frame.paragraphs[0].runs[0].font.size = Pt(13)


def numbers(slide, deck, item: SlidePlan) -> None:
    numbers = item.data["numbers"]
    width = (deck.slide_width - Inches(1.2)) // 3
    for index, (label, value) in enumerate(numbers):
        left = Inches(0.6) + width * (index % 3)
        top = BODY_TOP + Inches(2.1) * (index // 3)
        box = slide.shapes.add_textbox(left, top, width - Inches(0.2), Inches(1.8))
        frame = box.text_frame
        frame.word_wrap = True
        frame.text = value
        frame.paragraphs[0].runs[0].font.size = Pt(44)
        frame.paragraphs[0].runs[0].font.bold = True
        paragraph = frame.add_paragraph()
        paragraph.text = label
        paragraph.runs[0].font.size = Pt(16)


def draw(slide, deck, item: SlidePlan, fw) -> None:
    """The body of a slide under its headline, by the kind of slide."""
    headline(slide, deck, item.headline)
    if item.layout == "numbers":
        numbers(slide, deck, item)
    elif item.layout == "table":
        heat_table(slide, deck, item, fw)
    elif item.layout == "line":
        line(slide, deck, item, fw)
    elif item.layout == "milestones":
        milestones(slide, deck, item)
    else:
        chart(slide, deck, item)
