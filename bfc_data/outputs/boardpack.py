"""The board pack: a 16:9 PowerPoint deck for LPB and subgroup meetings, with native, editable charts.

Every slide carries its one-sentence summary as its headline and the data source and date in
its footer. A pack made for a member keeps small groups suppressed and names no organisation.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import replace

import pandas as pd
from pptx import Presentation

from bfc_data import analysis
from bfc_data.access import Viewer, as_viewer, threshold_for
from bfc_data.analysis import learning, overview
from bfc_data.analysis.disclosure import member_filters
from bfc_data.intake.values import year_label
from bfc_data.outputs import slides, words
from bfc_data.outputs.slides import SlidePlan
from bfc_data.reference import programme
from bfc_data.reference.framework import REFERENCE_DIR
from bfc_data.store import Store
from bfc_data.store.startup import is_sample

TEMPLATE = REFERENCE_DIR / "boardpack_template.pptx"
TITLE_LAYOUT, TITLE_ONLY_LAYOUT = 0, 5


def slide_plans(store: Store, viewer: Viewer | str, year: int, filters: analysis.Filters = analysis.Filters(),
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
    slides.append(SlidePlan("Progress by priority area", words.trend(trend, "priority_area", all_years), "line",
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
                            {"categories": [year_label(int(y)) for y in by_year["reporting_year"]],
                             "series": {"Returning": by_year["organisations"].tolist(), "New": by_year["new_organisations"].tolist(),
                                        "Back after a gap": by_year["rejoined_organisations"].tolist(),
                                        "Lapsed": by_year["lapsed_organisations"].tolist()},
                             "note": f"Not yet returned for {year_label(year)}, by sector: {not_returned}."}))

    demand = analysis.support_wanted_by(store, "priority_area", in_year, threshold)
    if not demand.empty:
        # A hidden count stays a gap: never a zero, which would say that nobody asked.
        wide = demand.pivot_table(index="learning_format", columns="priority_area", values="organisations", aggfunc="first",
                                  dropna=False)
        wide = wide.reindex([f for f in fw.learning_formats.values if f in wide.index])
        wide = wide[[a for a in fw.priority_areas if a in wide.columns]]
        wanting = analysis.organisations_wanting(store, in_year, threshold)
        summary = words.support_wanted(demand, wanting, "priority_area", year, threshold)
        slides.append(SlidePlan("Support wanted", summary, "column",
                                {"categories": list(wide.index), "series": {a: wide[a].tolist() for a in wide.columns}}))

    feedback = learning.feedback_by_format(store, threshold)
    if not feedback.empty:
        slides.append(SlidePlan("Learning programme", words.feedback(feedback), "column",
                                {"categories": feedback["learning_format"].tolist(),
                                 "series": {"Pitched right": feedback["pitched_right_mean"].tolist(),
                                            "Will use the learning": feedback["will_use_mean"].tolist()}, "axis_max": 5}))
        association = learning.learning_and_progress(store, threshold)
        # The chart is the headline's own comparison: the format it names, by priority area, both sides shown.
        learning_format = fw.learning_formats.values[1]
        part = association[association["learning_format"] == learning_format]
        summary = words.association(association, learning_format)
        slides.append(SlidePlan("Learning and progress", summary, "column",
                                {"categories": part["priority_area"].tolist(),
                                 "series": {f"Took part in {words.a_format(learning_format)}": part["took_part_change"].tolist(),
                                            "Did not": part["did_not_change"].tolist()},
                                 "axis_max": None, "note": "Association, not proof of cause: organisations that take part may differ "
                                                           "from those that do not. Mean change in level, first to latest return."}))
    timeline = programme.timeline(today)
    flagged = programme.discrepancies()
    note = " ".join(f"Note: {row['where']} give £{row['stated']:,.0f} for the {row['item'].lower()}, against £{row['against']:,.0f} "
                    "elsewhere in the decision." for _, row in flagged.iterrows())
    slides.append(SlidePlan("Programme delivery", words.programme_delivery(timeline), "milestones",
                            {"rows": [(m, f"{d:%d %b %Y}", st) for m, d, st in timeline.itertuples(index=False)], "note": note,
                             "source": f"Source: {programme.source()} (bfc_data/reference/programme.toml)"}))

    for area in fw.priority_areas:
        frame = analysis.levels(store, "action", analysis.Filters(**{**in_year.__dict__, "priority_areas": (area,)}), threshold)
        if frame.empty:
            continue
        # The headline names its priority area; the chart's categories are the actions' short titles.
        slides.append(SlidePlan(area, f"{area}: {words.level_bars(frame, 'action')}", "bar",
                                {"categories": [fw.action_short(code) for code in frame["action"]],
                                 "series": {"Mean level": frame["mean_level"].tolist()},
                                 "axis_max": fw.top_level}))
    return slides


def previewed_slides(store: Store, viewer: Viewer | str, year: int, filters: analysis.Filters = analysis.Filters()) -> list:
    """Each slide's plan with its preview (a plotly figure, or None for a slide of numbers, milestones or a table)."""
    from bfc_data.outputs.figures import slide_preview
    return [(plan, slide_preview(plan, store.fw)) for plan in slide_plans(store, viewer, year, filters)]


def caveats(threshold: int, sample: bool) -> list[str]:
    """What a presenter should say alongside every slide's figures."""
    said = ["Each organisation counts once in a group: the mean of the organisations' own mean levels.",
            "Means over years cover the organisations returning in each year, which are not always the same ones."]
    if threshold:
        said.append(f"Members' version: figures about fewer than {threshold} organisations, and figures from which they "
                    "could be worked out, are hidden.")
    if sample:
        said.append("Sample data: the organisations and figures are invented, for demonstration only.")
    return said


def _properties(deck, year: int, today: dt.date) -> None:
    """The file's own properties name the dashboard, not the template's author."""
    properties = deck.core_properties
    properties.author = properties.last_modified_by = "BFC Progress Dashboard, Greater London Authority"
    properties.title = f"Building a Fairer City: progress {year_label(year)}"
    properties.subject = "London Partnership Board pack"
    properties.keywords = "Building a Fairer City; London Partnership Board"
    properties.comments = ""
    properties.created = properties.modified = dt.datetime.combine(today, dt.time())
    properties.revision = 1


def build(store: Store, viewer: Viewer | str, year: int, filters: analysis.Filters = analysis.Filters(),
          today: dt.date | None = None) -> bytes:
    """The pack as .pptx bytes."""
    today = today or dt.date.today()
    planned = slide_plans(store, viewer, year, filters, today)
    deck = Presentation(str(TEMPLATE))
    _properties(deck, year, today)
    # The footer names the filters the figures reflect (the year is in every headline) and marks sample data.
    scope = words.filtered_to(filters)
    scope = f" · filtered to {scope}" if scope else ""
    sample = " · SAMPLE DATA: invented organisations" if is_sample(store) else ""
    returns = f"Source: BFC partner returns, current returns for {year_label(year)}{scope}{sample}"
    made = f"BFC Progress Dashboard · {today:%d %B %Y}"
    for item in planned:
        if item.layout == "title":
            slide = deck.slides.add_slide(deck.slide_layouts[TITLE_LAYOUT])
            slide.shapes.title.text = item.headline
            slide.placeholders[1].text = item.data["subtitle"]
        else:
            slide = deck.slides.add_slide(deck.slide_layouts[TITLE_ONLY_LAYOUT])
            slides.draw(slide, deck, item, store.fw)
        slides.footer(slide, deck, f"{item.data.get('source') or returns} · {made}")
        slides.speaker_notes(slide, item, caveats(threshold_for(as_viewer(viewer)), is_sample(store)))
        slide.name = item.name
    buffer = io.BytesIO()
    deck.save(buffer)
    return buffer.getvalue()
