"""The board pack: a 16:9 PowerPoint deck for LPB and subgroup meetings, with native, editable charts.

Every slide carries its one-sentence summary as its headline and the data source and date in
its footer. A pack made for a member keeps small groups suppressed and names no organisation.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass, field, replace

import pandas as pd
from pptx import Presentation
from pptx.chart.data import CategoryChartData
from pptx.dml.color import RGBColor
from pptx.enum.chart import XL_AXIS_CROSSES, XL_CHART_TYPE, XL_LEGEND_POSITION
from pptx.enum.text import MSO_ANCHOR, MSO_AUTO_SIZE, PP_ALIGN
from pptx.util import Inches, Pt

from bfc_data import analysis
from bfc_data.outputs import words
from bfc_data.analysis import learning
from bfc_data.analysis import overview
from bfc_data.reference import programme
from bfc_data.access import Viewer, as_viewer, threshold_for
from bfc_data.outputs.colours import level_colour, text_on
from bfc_data.analysis.disclosure import member_filters
from bfc_data.outputs.export import neutralise
from bfc_data.reference.framework import REFERENCE_DIR
from bfc_data.reference.settings import settings
from bfc_data.store.startup import is_sample
from bfc_data.store import Store
from bfc_data.intake.values import year_label

TEMPLATE = REFERENCE_DIR / "boardpack_template.pptx"
TITLE_LAYOUT, TITLE_ONLY_LAYOUT = 0, 5


@dataclass
class SlidePlan:
    """One slide: its short name (for the page's preview), its headline sentence, and how to draw it."""

    name: str
    headline: str
    kind: str  # title, numbers, table, line, bar, column
    data: dict = field(default_factory=dict)


def plan(store: Store, viewer: Viewer | str, year: int, filters: analysis.Filters = analysis.Filters(),
         today: dt.date | None = None) -> list[SlidePlan]:
    """The slides of the pack, with their headlines, worked out from the same figures as the dashboard."""
    viewer = as_viewer(viewer)
    today = today or dt.date.today()
    fw = store.fw
    threshold = threshold_for(viewer)
    if threshold:
        # A member's pack is cut from the same published table as the member's pages: one value or all in each filter.
        filters = member_filters(filters)
    in_year = analysis.Filters(**{**filters.__dict__, "years": (year,)})
    all_years = analysis.Filters(**{**filters.__dict__, "years": ()})
    slides: list[SlidePlan] = []
    version = "members' version: groups of fewer than " f"{threshold} organisations are hidden" if threshold else "officers' version"
    sample = " · sample data: invented organisations" if is_sample(store) else ""
    slides.append(SlidePlan("Title", f"Building a Fairer City: progress {year_label(year)}", "title",
                            {"subtitle": f"London Partnership Board · {version}{sample}"}))

    head = overview.headline(store, year)
    if head is not None:
        numbers = [("Organisations returning", f"{head.organisations}"),
                   ("Change on the year before", "—" if head.organisations_change is None else f"{head.organisations_change:+d}"),
                   (f"Mean maturity level ({head.scale_span})", f"{head.mean_level:.2f}"),
                   ("Progress of those returning both years", "—" if head.mean_level_change is None else f"{head.mean_level_change:+.2f}"),
                   ("Sectors represented", f"{head.sectors}"), ("Returns loaded, all years", f"{head.returns_all_years}")]
        slides.append(SlidePlan("Headline numbers", head.summary, "numbers", {"numbers": numbers}))

    grid = analysis.levels(store, ["sector", "priority_area"], in_year, threshold)
    slides.append(SlidePlan("Sector × priority area", words.heatmap(grid, "priority_area", "sector"), "table", {"frame": grid}))

    trend = analysis.trend(store, "priority_area", all_years, threshold)
    slides.append(SlidePlan("Progress by priority area", words.trend(trend, "priority_area"), "line",
                            {"frame": trend, "series": "priority_area"}))

    years = analysis.years(store)
    if year - 1 in years:
        # Members see movement across all sectors (see analysis.transitions).
        movement = analysis.movement(store, year - 1, year, replace(all_years, sectors=()) if threshold else all_years, threshold)
        slides.append(SlidePlan("Level transitions", words.movement(movement, year - 1, year), "column",
                                {"categories": movement["movement"].tolist(), "series": {"Organisations": movement["organisations"].tolist()}}))

    groups = analysis.levels(store, "equality_group", in_year, threshold)
    groups["equality_group"] = groups["equality_group"].map(lambda g: fw.focus_label(g, year))
    slides.append(SlidePlan("Equality groups", words.level_bars(groups, "equality_group"), "bar",
                            {"categories": groups["equality_group"].tolist(), "series": {"Mean level": groups["mean_level"].tolist()},
                             "axis_max": fw.top_level}))

    by_year = analysis.coverage_by_year(store, all_years, threshold)
    missing = analysis.not_returned_count(store, year, all_years, threshold)
    not_returned = ", ".join(f"{s} {'hidden' if pd.isna(n) else int(n)}" for s, n in zip(missing["sector"], missing["organisations"])) or "none"
    slides.append(SlidePlan("Coverage", words.coverage(by_year, year), "column",
                            {"categories": [year_label(int(y)) for y in by_year["year"]],
                             "series": {"Returning": by_year["organisations"].tolist(), "New": by_year["new_organisations"].tolist(),
                                        "Lapsed": by_year["lapsed_organisations"].tolist()},
                             "note": f"Not yet returned for {year_label(year)}, by sector: {not_returned}."}))

    demand = analysis.support_demand(store, "priority_area", in_year, threshold)
    if not demand.empty:
        # A hidden count stays a gap: never a zero, which would say that nobody asked.
        wide = demand.pivot_table(index="learning_format", columns="priority_area", values="organisations", aggfunc="first",
                                  dropna=False)
        wide = wide.reindex([f for f in fw.learning_formats.values if f in wide.index])
        wide = wide[[a for a in fw.priority_areas if a in wide.columns]]
        summary = words.counts(demand, "learning_format", "organisations", colour_by="priority_area")
        slides.append(SlidePlan("Support wanted", summary, "column",
                                {"categories": list(wide.index), "series": {a: wide[a].tolist() for a in wide.columns}}))

    feedback = learning.feedback_by_format(store, threshold)
    if not feedback.empty:
        slides.append(SlidePlan("Learning programme", words.feedback(feedback), "column",
                                {"categories": feedback["format"].tolist(),
                                 "series": {"Pitched right": feedback["pitched_right_mean"].tolist(),
                                            "Will use the learning": feedback["will_use_mean"].tolist()}, "axis_max": 5}))
        association = learning.learning_and_progress(store, threshold)
        took_part = association.groupby("format", sort=False)[["took_part_change", "did_not_change"]].mean().round(2)
        summary = words.association(association, fw.learning_formats.values[1])
        slides.append(SlidePlan("Learning and progress", summary, "column",
                                {"categories": list(took_part.index),
                                 "series": {"Took part: mean change in level": took_part["took_part_change"].tolist(),
                                            "Did not: mean change in level": took_part["did_not_change"].tolist()},
                                 "axis_max": None, "note": "Association, not proof of cause: organisations that take part may differ "
                                                           "from those that do not. Averaged over priority areas."}))
    timeline = programme.timeline(today)
    flagged = programme.discrepancies()
    note = " ".join(f"Note: {row['where']} give £{row['stated']:,.0f} for the {row['item'].lower()}, against £{row['against']:,.0f} "
                    "elsewhere in the decision." for _, row in flagged.iterrows())
    slides.append(SlidePlan("Programme delivery", words.programme_delivery(timeline), "milestones",
                            {"rows": [(m, f"{d:%d %b %Y}", st) for m, d, st in timeline.itertuples(index=False)], "note": note}))

    for area in fw.priority_areas:
        frame = analysis.levels(store, "action", analysis.Filters(**{**in_year.__dict__, "priority_areas": (area,)}), threshold)
        if frame.empty:
            continue
        frame["action"] = frame["action"].map(lambda code: f"{code} {fw.actions[code].title}")
        slides.append(SlidePlan(area, words.level_bars(frame, "action"), "bar",
                                {"categories": frame["action"].tolist(), "series": {"Mean level": frame["mean_level"].tolist()},
                                 "axis_max": fw.top_level}))
    return slides


def _values(values) -> list:
    """Chart values, with hidden (suppressed) figures as gaps rather than zeros."""
    return [None if v is None or pd.isna(v) else float(v) for v in values]


def _headline(slide, deck, text: str) -> None:
    """The summary sentence as the slide's title, set from the top so a long one never runs off the slide."""
    title = slide.shapes.title
    title.left, title.top, title.width, title.height = Inches(0.6), Inches(0.35), deck.slide_width - Inches(1.2), Inches(1.25)
    title.text = text
    frame = title.text_frame
    frame.word_wrap = True
    frame.auto_size = MSO_AUTO_SIZE.NONE
    frame.vertical_anchor = MSO_ANCHOR.TOP
    for paragraph in frame.paragraphs:
        paragraph.alignment = PP_ALIGN.LEFT
        for run in paragraph.runs:
            run.font.size = Pt(20 if len(text) > 110 else 24)


def _footer(slide, deck, text: str) -> None:
    box = slide.shapes.add_textbox(Inches(0.5), deck.slide_height - Inches(0.55), deck.slide_width - Inches(1.0), Inches(0.4))
    box.text_frame.text = text
    box.text_frame.paragraphs[0].runs[0].font.size = Pt(10)
    box.text_frame.paragraphs[0].runs[0].font.color.rgb = RGBColor(0x40, 0x40, 0x40)
    box.name = "Footer"


def _nothing_to_show(slide, deck) -> None:
    box = slide.shapes.add_textbox(Inches(0.6), Inches(1.9), deck.slide_width - Inches(1.2), Inches(0.8))
    box.text_frame.word_wrap = True
    box.text_frame.text = "No figures can be shown for this slide: no organisation gave a level that fits it."
    box.text_frame.paragraphs[0].runs[0].font.size = Pt(18)
    box.name = "No figures"


def _chart(slide, deck, item: SlidePlan) -> None:
    if not len(item.data["categories"]):
        _nothing_to_show(slide, deck)
        return
    data = CategoryChartData()
    # The chart's data travels in a workbook inside the deck: its labels are written as text, never formulas.
    data.categories = [neutralise(str(c)) for c in item.data["categories"]]
    for name, values in item.data["series"].items():
        data.add_series(neutralise(str(name)), _values(values))
    kind = {"bar": XL_CHART_TYPE.BAR_CLUSTERED, "column": XL_CHART_TYPE.COLUMN_CLUSTERED}[item.kind]
    top = Inches(1.7)
    height = deck.slide_height - top - Inches(0.9 if "note" not in item.data else 1.4)
    frame = slide.shapes.add_chart(kind, Inches(0.6), top, deck.slide_width - Inches(1.2), height, data)
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
        series.format.fill.solid()
        series.format.fill.fore_color.rgb = RGBColor.from_string(palette[index % len(palette)].lstrip("#"))
    if item.kind == "bar":
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


def _line(slide, deck, item: SlidePlan, fw) -> None:
    frame = item.data["frame"]
    years = sorted(frame["year"].unique())
    data = CategoryChartData()
    data.categories = [year_label(int(y)) for y in years]
    for name, part in frame.groupby(item.data["series"], sort=False):
        values = part.set_index("year")["mean_level"].reindex(years)
        data.add_series(neutralise(str(name)), _values(values))
    shape = slide.shapes.add_chart(XL_CHART_TYPE.LINE_MARKERS, Inches(0.6), Inches(1.7), deck.slide_width - Inches(1.2),
                                   deck.slide_height - Inches(2.6), data)
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


def _table(slide, deck, item: SlidePlan, fw) -> None:
    """The heat map as a formatted table: PowerPoint has no native heat map."""
    frame = item.data["frame"]
    rows = list(dict.fromkeys(frame["sector"]))
    columns = [a for a in fw.priority_areas if a in set(frame["priority_area"])]
    grid = frame.pivot_table(index="sector", columns="priority_area", values="mean_level", aggfunc="first").reindex(index=rows, columns=columns)
    counts = frame.pivot_table(index="sector", columns="priority_area", values="suppressed", aggfunc="first").reindex(index=rows, columns=columns)
    height = min(deck.slide_height - Inches(2.6), Inches(0.33) * (len(rows) + 1))
    shape = slide.shapes.add_table(len(rows) + 1, len(columns) + 1, Inches(0.6), Inches(1.7), deck.slide_width - Inches(1.2), height)
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


def _milestones(slide, deck, item: SlidePlan) -> None:
    rows = item.data["rows"]
    shape = slide.shapes.add_table(len(rows) + 1, 3, Inches(0.6), Inches(1.7), deck.slide_width - Inches(1.2),
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


def _numbers(slide, deck, item: SlidePlan) -> None:
    numbers = item.data["numbers"]
    width = (deck.slide_width - Inches(1.2)) // 3
    for index, (label, value) in enumerate(numbers):
        left = Inches(0.6) + width * (index % 3)
        top = Inches(1.9) + Inches(2.1) * (index // 3)
        box = slide.shapes.add_textbox(left, top, width - Inches(0.2), Inches(1.8))
        frame = box.text_frame
        frame.word_wrap = True
        frame.text = value
        frame.paragraphs[0].runs[0].font.size = Pt(44)
        frame.paragraphs[0].runs[0].font.bold = True
        paragraph = frame.add_paragraph()
        paragraph.text = label
        paragraph.runs[0].font.size = Pt(16)


def build(store: Store, viewer: Viewer | str, year: int, filters: analysis.Filters = analysis.Filters(),
          today: dt.date | None = None) -> bytes:
    """The pack as .pptx bytes."""
    today = today or dt.date.today()
    slides = plan(store, viewer, year, filters, today)
    deck = Presentation(str(TEMPLATE))
    filtered = "" if filters.is_empty() else " (filtered)"
    footer = f"Source: BFC partner returns, current returns for {year_label(year)}{filtered}, BFC Progress Dashboard · {today:%d %B %Y}"
    for item in slides:
        if item.kind == "title":
            slide = deck.slides.add_slide(deck.slide_layouts[TITLE_LAYOUT])
            slide.shapes.title.text = item.headline
            slide.placeholders[1].text = item.data["subtitle"]
        else:
            slide = deck.slides.add_slide(deck.slide_layouts[TITLE_ONLY_LAYOUT])
            _headline(slide, deck, item.headline)
            if item.kind == "numbers":
                _numbers(slide, deck, item)
            elif item.kind == "table":
                _table(slide, deck, item, store.fw)
            elif item.kind == "line":
                _line(slide, deck, item, store.fw)
            elif item.kind == "milestones":
                _milestones(slide, deck, item)
            else:
                _chart(slide, deck, item)
        _footer(slide, deck, footer)
        slide.name = item.name
    buffer = io.BytesIO()
    deck.save(buffer)
    return buffer.getvalue()
