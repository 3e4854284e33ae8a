"""A partner's feedback report as an accessible PDF (PDF/UA-1), laid out by Typst.

Typst (through its Python binding) writes tagged PDF with the document's language, title, reading order,
table headers and alternative text on every chart, and checks PDF/UA-1's rules as it compiles: a report that
broke them would fail here, not reach a partner. Charts are drawn by Typst itself, so they are vector graphics
with real text labels, each with its figures in a table beneath. The fonts travel with the package.
"""

from __future__ import annotations

import io
import re
import json
import zipfile
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path

import pandas as pd

from bfc_data.analysis import feedback as fb
from bfc_data.intake.values import year_label
from bfc_data.outputs import feedback_words as say
from bfc_data.reference.framework import Framework

HERE = Path(__file__).parent
TEMPLATE = HERE / "templates" / "feedback_report.typ"
FONTS = HERE / "fonts"
AUTHOR = "BFC Progress Dashboard, Greater London Authority"


def _text(value) -> str:
    """A cell's words: blank for nothing, never 'nan' or 'None'."""
    if value is None or (isinstance(value, float) and pd.isna(value)) or value is pd.NA:
        return ""
    return str(value)


def _falls(row: dict) -> str | None:
    """Where a figure falls among its peers, or None where the comparison is withheld."""
    found = row.get("falls")
    return found if isinstance(found, str) else None


def _num(value) -> float | None:
    return None if not say.known(value) else round(float(value), 4)


def _ordered(frame: pd.DataFrame, fw: Framework) -> pd.DataFrame:
    """Overall first, then the priority areas and actions in the plan's order."""
    order = {("overall", "All actions"): 0}
    order |= {("priority_area", area): 1 + i for i, area in enumerate(fw.priority_areas)}
    order |= {("action", action): 100 + spec.number for action, spec in fw.actions.items()}
    return frame.assign(_o=[order.get((c, n), 999) for c, n in zip(frame["cut"], frame["name"])]).sort_values("_o").drop(columns="_o")


def _label(cut: str, name: str, fw: Framework) -> str:
    return fw.action_short(name) if cut == "action" else name


def _chart(rows: pd.DataFrame, fw: Framework, caption: str, peers_word: str) -> dict:
    chart_rows, said = [], []
    for row in rows.to_dict("records"):
        label = _label(row["cut"], row["name"], fw) if "cut" in row else row["label"]
        chart_rows.append({"label": label, "you": _num(row["level"]), "q1": _num(row["q1"]), "median": _num(row["median"]),
                           "q3": _num(row["q3"]), "value": say.level(row["level"])})
        where = f", {say.FALLS[_falls(row)]} {peers_word} (middle {row['median']:.2f})" if _falls(row) else \
            ", comparison withheld" if not say.known(row["median"]) else ""
        said.append(f"{label}: yours {say.level(row['level'])}{where}")
    return {"kind": "chart", "caption": caption, "rows": chart_rows, "min": min(fw.levels), "max": fw.top_level,
            "ticks": [[step, f"{step} {label}"] for step, label in fw.maturity_scale.items()],
            "legend": {"you": "Your level", "band": f"Middle half of {peers_word}", "median": "Their middle (median)"},
            "alt": f"{caption}. " + "; ".join(said) + "."}


def _standing_table(rows: pd.DataFrame, fw: Framework, caption: str, first: str) -> dict:
    table_rows = []
    for row in rows.to_dict("records"):
        label = _label(row["cut"], row["name"], fw) if "cut" in row else row["label"]
        compared = say.known(row["median"])
        table_rows.append([label, say.level(row["level"]),
                           f"{row['q1']:.2f}" if compared else "withheld", f"{row['median']:.2f}" if compared else "withheld",
                           f"{row['q3']:.2f}" if compared else "withheld",
                           say.FALLS[_falls(row)].removesuffix(" of") if _falls(row) else ""])
    return {"kind": "table", "caption": caption, "align": ["left", "right", "right", "right", "right", "left"],
            "columns": [first, "Your level", "Lower quartile", "Median", "Upper quartile", "Where you fall"], "rows": table_rows}


def _events_table(events: pd.DataFrame, caption: str) -> dict:
    """Learning events, one a row: the same four columns for those attended and those on offer."""
    return {"kind": "table", "caption": caption, "align": ["left"] * 4, "columns": ["Date", "Learning format", "Priority area", "Event"],
            "rows": [[f"{r.date:%d %B %Y}", _text(r.learning_format), _text(r.priority_area), _text(r.title)]
                     for r in events.itertuples()]}


def document(report: fb.Feedback, fw: Framework, sample: bool = False) -> dict:
    """The report's content, every word and figure, as the template lays it out."""
    year = year_label(report.reporting_year)
    standing = _ordered(report.standing, fw)
    overall_and_areas = standing[standing["cut"].isin(["overall", "priority_area"])]
    actions = standing[standing["cut"] == "action"]
    sections = []

    stand = [{"kind": "text", "text": say.where_you_stand(report, fw)}]
    stand.append(_chart(overall_and_areas, fw, f"Your mean level against {report.sector}, overall and by priority area, {year}",
                        "your sector"))
    stand.append(_standing_table(overall_and_areas, fw, f"Overall and by priority area against {report.sector}, {year}",
                                 "Priority area"))
    stand.append({"kind": "subheading", "text": "By action"})
    stand.append(_chart(actions, fw, f"Your level on each action against {report.sector}, {year}", "your sector"))
    stand.append(_standing_table(actions, fw, f"By action against {report.sector}, {year}", "Action"))
    stand.append({"kind": "subheading", "text": "Against organisations of your size"})
    stand.append({"kind": "text", "text": say.size_band_sentence(report)})
    if not report.size_band_standing.empty:
        stand.append(_standing_table(_ordered(report.size_band_standing, fw), fw,
                                     f"Against organisations of {report.size_band} staff, {year}", "Priority area"))
    sections.append({"heading": "Where you stand", "blocks": stand})

    groups = report.groups.copy()
    group_blocks = [{"kind": "text", "text": "Your levels for each equality group you reported on, against the same "
                                             "group in your sector's other returns. The plan's focus groups are marked."}]
    if groups.empty:
        group_blocks = [{"kind": "text", "text": "Your return gave no levels by equality group."}]
    else:
        order = {g: i for i, g in enumerate(fw.equality_groups.values)}
        groups = groups.assign(_o=groups["equality_group"].map(order).fillna(999)).sort_values("_o")
        groups["label"] = [fw.focus_label(g, report.reporting_year) for g in groups["equality_group"]]
        group_blocks.append(_chart(groups, fw, f"Your level by equality group against {report.sector}, {year}", "your sector"))
        group_blocks.append(_standing_table(groups, fw, f"By equality group against {report.sector}, {year}", "Equality group"))
    sections.append({"heading": "By equality group", "blocks": group_blocks})

    progress = [{"kind": "text", "text": say.progress_sentence(report, fw)}]
    moves = say.level_moves(report, fw)
    if moves:
        progress.append({"kind": "list", "items": moves})
    if not report.progress.empty:
        numbers = {a: spec.number for a, spec in fw.actions.items()}
        rows = report.progress.assign(_o=report.progress["action"].map(numbers)).sort_values("_o")
        progress.append({"kind": "table", "caption": f"Change by action, {year_label(report.previous_year)} to {year}",
                         "align": ["left", "right", "right", "right", "right"],
                         "columns": ["Action", year_label(report.previous_year), year, "Your change", "Your sector's middle change"],
                         "rows": [[fw.action_short(r.action), say.level(r.earlier_level), say.level(r.level),
                                   f"{r.change:+.2f}" if say.known(r.change) else "",
                                   f"{r.peer_median_change:+.2f}" if say.known(r.peer_median_change) else "withheld"]
                                  for r in rows.itertuples()]})
        if rows["peer_median_change"].isna().any():
            progress.append({"kind": "note", "text": "Where your sector's change is withheld, fewer than "
                             f"{report.threshold} other organisations of your sector returned levels for that action in both years."})
    sections.append({"heading": "Progress since your previous return", "blocks": progress})

    chosen = []
    chosen.append({"kind": "subheading", "text": "Strengths"})
    chosen.append({"kind": "list", "items": [f"{fw.action_label(a)}: {why}." for a, why in report.strengths]}
                  if report.strengths else {"kind": "text", "text": "No action stands out against your sector this year."})
    chosen.append({"kind": "subheading", "text": "Areas to develop"})
    chosen.append({"kind": "list", "items": [f"{fw.action_label(a)}: {why}." for a, why in report.to_develop]}
                  if report.to_develop else {"kind": "text", "text": "No action is in your sector's bottom quarter this year."})
    chosen.append({"kind": "note", "text": "How these are chosen is set out under 'How this report was worked out'."})
    sections.append({"heading": "Strengths and areas to develop", "blocks": chosen})

    words = report.own_words
    own = []
    steps = words[words["next_step"].notna()]
    own.append({"kind": "table", "caption": "Your next steps, as you wrote them", "align": ["left", "left"],
                "columns": ["Action", "Next step"],
                "rows": [[fw.action_short(r.action), _text(r.next_step)] for r in steps.itertuples()]}
               if len(steps) else {"kind": "text", "text": "Your return gave no next steps."})
    asked = words[words["support_wanted"].notna()]
    own.append({"kind": "table", "caption": "Support you asked for", "align": ["left", "left"], "columns": ["Action", "Learning format"],
                "rows": [[fw.action_short(r.action), _text(r.support_wanted)] for r in asked.itertuples()]}
               if len(asked) else {"kind": "text", "text": "Your return asked for no learning support."})
    own.append(_events_table(report.attended, f"Learning events you attended, {year}")
               if len(report.attended) else {"kind": "text", "text": f"Our records show no learning event you attended in {year}."})
    if len(asked):
        own.append(_events_table(report.on_offer.head(12), "Learning on offer in the formats you asked for")
                   if len(report.on_offer) else {"kind": "text", "text": "No event in the formats you asked for is listed yet."})
    sections.append({"heading": "Your own words back", "blocks": own})

    metric_blocks = []
    if report.metrics.empty:
        metric_blocks.append({"kind": "text", "text": f"Your {year} return gave no metrics."})
    else:
        order = {m: i for i, m in enumerate(fw.metrics)}
        metrics = report.metrics.assign(_o=report.metrics["metric"].map(order).fillna(999)).sort_values("_o")
        metric_blocks.append({"kind": "list", "items": [say.metric_sentence(r, fw, report.threshold) for r in metrics.to_dict("records")]})
        rows = []
        for r in metrics.to_dict("records"):
            spec = fw.metrics.get(r["metric"])
            unit = spec.unit if spec else ""
            compared = say.known(r["median"])
            rows.append([spec.name if spec else r["metric"], say.metric_value(r["value"], unit),
                         say.metric_value(r["median"], unit) if compared else "withheld",
                         f"{say.metric_value(r['q1'], unit)} to {say.metric_value(r['q3'], unit)}" if compared and unit != "yes/no" else "",
                         spec.better if spec else "", say.METRIC_FALLS[_falls(r)].removesuffix(" of") if _falls(r) and unit != "yes/no" else ""])
        metric_blocks.append({"kind": "table", "caption": f"Your metrics against {report.sector}, {year}",
                              "align": ["left", "right", "right", "right", "left", "left"],
                              "columns": ["Metric", "Yours", "Sector median", "Middle half", "Better is", "Where you fall"], "rows": rows})
    sections.append({"heading": "Metrics", "blocks": metric_blocks})

    used = [[year_label(int(r.reporting_year)), _text(r.file_name), f"{r.loaded_at:%d %B %Y}"] for r in report.returns_used.itertuples()]
    sections.append({"heading": "How this report was worked out", "blocks": [
        {"kind": "list", "items": say.method(report, fw)},
        {"kind": "table", "caption": "Your returns used", "align": ["left", "left", "left"],
         "columns": ["Reporting year", "File", "Loaded"], "rows": used}]})

    name = _text(report.organisation_name)
    return {"title": f"Your Building a Fairer City feedback, {year}",
            "subtitle": f"{name} · {report.sector}" + (f" · {report.size_band} staff" if report.size_band else ""),
            "author": AUTHOR, "keywords": ["Building a Fairer City", "feedback report", year],
            "footer": f"{name} · BFC feedback {year} · made {report.made:%d %B %Y}",
            "sample": "Sample data: the organisations and figures in this report are invented." if sample else None,
            "sections": sections}


@lru_cache(maxsize=1)
def _compiler():
    import typst  # loaded on first use: the dashboard's pages do not need it
    # One compiler for every report: fonts and template are read once. Only the bundled fonts are used, so a
    # report looks the same on every machine.
    return typst.Compiler(TEMPLATE, font_paths=[FONTS], ignore_system_fonts=True)


def pdf(content: dict) -> bytes:
    """The report's content compiled to a PDF/UA-1 document."""
    return _compiler().compile(sys_inputs={"data": json.dumps(content, ensure_ascii=False, default=str)},
                               pdf_standards=["ua-1"])


def file_name(report: fb.Feedback) -> str:
    safe = re.sub(r"[^A-Za-z0-9_-]", "_", report.organisation_code)  # a code never makes a path of its own
    return f"BFC feedback {year_label(report.reporting_year)} {safe}.pdf"


def reports_zip(figures: fb.YearFigures, fw: Framework, codes: list[str] | None = None, sample: bool = False,
                progress: Callable[[int, int], None] | None = None) -> tuple[bytes, int]:
    """Every organisation's report for the year (or those named), in one ZIP; with how many it holds."""
    peers = fb.Peers(figures)
    codes = list(figures.organisations["organisation_code"]) if codes is None else codes
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:  # PDFs are already compressed
        for done, code in enumerate(codes, start=1):
            report = fb.feedback(figures, code, peers)
            archive.writestr(file_name(report), pdf(document(report, fw, sample)))
            if progress:
                progress(done, len(codes))
    return buffer.getvalue(), len(codes)


def _year_figures(store, viewer, year: int) -> fb.YearFigures:
    # Reports go to partners, so small groups are withheld whoever makes them (officers see every figure on screen).
    from bfc_data.reference.settings import settings
    return fb.year_figures(store, viewer, year, settings().suppression_threshold)


def for_organisation(store, viewer, code: str, year: int) -> tuple[str, bytes, dict]:
    """One organisation's report for a year: its file name, the PDF and its content (for a preview). Recorded."""
    from bfc_data.store.startup import is_sample
    figures = _year_figures(store, viewer, year)
    report = fb.feedback(figures, code)
    content = document(report, store.fw, is_sample(store))
    data = pdf(content)
    store.record_reports(viewer, year, [code])
    return file_name(report), data, content


def for_year(store, viewer, year: int, codes: list[str] | None = None,
             progress: Callable[[int, int], None] | None = None) -> tuple[bytes, int]:
    """All the year's reports (or those of the organisations named) in one ZIP, with how many. Recorded."""
    from bfc_data.store.startup import is_sample
    figures = _year_figures(store, viewer, year)
    known = set(figures.organisations["organisation_code"])
    missing = [c for c in codes or [] if c not in known]
    if missing:
        raise fb.NotFound(f"no return for {year_label(year)} gives levels for {', '.join(missing)}")
    data, count = reports_zip(figures, store.fw, codes, is_sample(store), progress)
    store.record_reports(viewer, year, codes or sorted(known))
    return data, count
