"""Plotly figures of the analysis frames: drawing only. Each returns None when there is nothing to draw (no
rows, or every figure hidden); the words (`words`) and the table (`tables`) say why.

Colour is never the only carrier of meaning: values are written on the bars and cells, lines carry distinct
markers, and hidden (suppressed) cells say so in words on the chart.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from bfc_data.analysis.disclosure import PRIMARY, SECONDARY
from bfc_data.intake.values import year_label
from bfc_data.outputs.colours import colourscale, level_colour, text_on
from bfc_data.outputs.tables import LABELS, shown
from bfc_data.outputs.words import a_format
from bfc_data.reference.framework import Framework, framework
from bfc_data.reference.settings import settings

HIDDEN = "hidden: too few organisations"
HIDDEN_TO_PROTECT = "hidden: protects a small group"
COVERAGE_MEASURES = {"organisations": "Returning", "new_organisations": "New", "rejoined_organisations": "Back after a gap",
                     "lapsed_organisations": "Lapsed"}
# Patterns that tell series (and levels) apart without colour.
PATTERNS = ["", "/", ".", "x", "-", "|", "+", "\\"]
MARKERS = ["circle", "square", "diamond", "triangle-up", "x", "star", "cross", "triangle-down", "pentagon", "hexagon",
           "circle-open", "square-open", "diamond-open", "star-open"]
TEXT = "#1A1A1A"
BACKGROUND = "#FFFFFF"


def hidden_labels(frame: pd.DataFrame) -> list[str]:
    """Per row, the words a hidden figure carries on a chart: the true reason it is hidden, or nothing."""
    reasons = frame["suppression"] if "suppression" in frame.columns else pd.Series([None] * len(frame))
    return [HIDDEN_TO_PROTECT if r == SECONDARY else HIDDEN if r == PRIMARY else "" for r in reasons]


def layout(figure: go.Figure, title: str, height: int | None = None) -> go.Figure:
    # Near-black text on a white ground, in the dark theme too: the theme's grey axis labels fall short of WCAG
    # contrast on white, and on Streamlit's transparent ground dark text vanished in the dark theme. The colours
    # are chosen against white (and the dark ground), and the PNG and the slides draw the same white chart.
    figure.update_layout(title={"text": title, "x": 0, "xanchor": "left", "font": {"color": TEXT}}, font={"size": 14, "color": TEXT},
                         paper_bgcolor=BACKGROUND, plot_bgcolor=BACKGROUND,
                         margin={"l": 10, "r": 20, "t": 60, "b": 40}, legend={"title": None},
                         colorway=list(settings().palette), **({"height": height} if height else {}),
                         # Figures written on bars stay readable when the chart is narrow (820 px, 200% zoom).
                         uniformtext={"minsize": 12, "mode": "show"})
    figure.update_yaxes(automargin=True, tickfont={"color": TEXT}, title_font={"color": TEXT})
    figure.update_xaxes(automargin=True, tickfont={"color": TEXT}, title_font={"color": TEXT})
    return figure


def _count_text(value) -> str:
    return "" if pd.isna(value) else f"{int(value)}"


def heatmap(frame: pd.DataFrame, x: str, y: str, title: str, fw: Framework | None = None) -> go.Figure | None:
    """Mean level of each x × y cell, the figure written in every cell; hidden cells say so."""
    fw = fw or framework()
    if frame.empty or frame["mean_level"].isna().all():
        # A grid of nothing but "hidden" draws no axes: words say it better, and the table says which.
        return None
    xs = list(dict.fromkeys(frame[x]))
    ys = list(dict.fromkeys(frame[y]))
    grid = frame.pivot_table(index=y, columns=x, values="mean_level", aggfunc="first", dropna=False).reindex(index=ys, columns=xs)
    counts = frame.pivot_table(index=y, columns=x, values="organisations", aggfunc="first").reindex(index=ys, columns=xs)
    short = [year_label(int(v)) if x == "reporting_year" else fw.priority_area_short.get(v, v) for v in xs]
    figure = go.Figure(go.Heatmap(
        z=grid.values, x=short, y=ys, zmin=min(fw.levels), zmax=fw.top_level, colorscale=colourscale(fw),
        colorbar={"title": "Mean level", "tickvals": fw.levels, "ticktext": [fw.level_name(v) for v in fw.levels]},
        customdata=[[("hidden" if pd.isna(n) else f"{int(n)} organisations") for n in row] for row in counts.values],
        hovertemplate="%{y} · %{x}<br>Mean level %{z:.2f}<br>%{customdata}<extra></extra>",
        xgap=2, ygap=2))
    present = frame.pivot_table(index=y, columns=x, values="suppressed", aggfunc="first").reindex(index=ys, columns=xs)
    # Every cell's figure, set in one call: adding them one at a time cost time growing with the square of the cells
    # (each add copies the layout's list), 0.75 s for the 56 cells of the Overview's heat map.
    annotations = []
    for i, row_label in enumerate(ys):
        for j, _ in enumerate(xs):
            value = grid.values[i][j]
            if pd.isna(present.values[i][j]):
                continue
            annotations.append({"x": short[j], "y": row_label, "text": "hidden" if pd.isna(value) else f"{value:.2f}",
                                "showarrow": False,
                                "font": {"color": TEXT if pd.isna(value) else text_on(level_colour(fw, value)), "size": 13}})
    figure.update_layout(annotations=annotations)
    figure.update_yaxes(autorange="reversed")
    return layout(figure, title, height=max(360, 48 * len(ys) + 140))


def level_bars(frame: pd.DataFrame, category: str, title: str, fw: Framework | None = None) -> go.Figure | None:
    """Mean level per group as horizontal bars, the value written on each bar."""
    fw = fw or framework()
    if frame.empty or frame["mean_level"].isna().all():
        return None
    labels = shown(category, frame[category], fw)
    values = frame["mean_level"]
    text = [h or f"{v:.2f} ({int(n)} organisations)" for v, n, h in zip(values, frame["organisations"], hidden_labels(frame))]
    figure = go.Figure(go.Bar(x=values.fillna(0), y=labels, orientation="h", text=text, textposition="outside",
                              marker_color=settings().palette[0], cliponaxis=False,
                              hovertemplate="%{y}: %{text}<extra></extra>"))
    lowest, highest = min(fw.levels), fw.top_level
    figure.update_xaxes(range=[0, highest + 0.9], title=f"Mean maturity level ({fw.level_name(lowest)} – {fw.level_name(highest)})",
                        tickvals=[0, *fw.levels])
    figure.update_yaxes(autorange="reversed")
    return layout(figure, title, height=max(300, 34 * len(labels) + 120))


def level_distribution(frame: pd.DataFrame, category: str, title: str, fw: Framework | None = None) -> go.Figure | None:
    """The share of organisations at each level, as stacked bars in the scale's order and colours."""
    fw = fw or framework()
    if frame.empty or frame["suppressed"].all():
        return None
    labels = shown(category, frame[category], fw)
    figure = go.Figure()
    for share, level in zip(fw.level_shares, fw.levels):
        values = frame[share]
        colour = fw.maturity_colours[level]
        figure.add_bar(x=values.fillna(0), y=labels, orientation="h", name=fw.level_name(level),
                       marker_color=colour, text=[f"{v:.0f}%" if v >= 8 else "" for v in values.fillna(0)],
                       textposition="inside", insidetextanchor="middle", textfont={"color": text_on(colour)},
                       marker_pattern={"shape": PATTERNS[(level - 1) % len(PATTERNS)], "fgcolor": text_on(colour), "fgopacity": 0.3,
                                       "fillmode": "overlay", "size": 8},
                       hovertemplate="%{y}: %{x:.0f}% at " + fw.level_name(level) + "<extra></extra>")
    for label, words in zip(labels, hidden_labels(frame)):
        if words:
            figure.add_annotation(x=50, y=label, text=words, showarrow=False)
    figure.update_layout(barmode="stack", legend={"orientation": "h", "y": -0.15, "traceorder": "normal"})
    figure.update_xaxes(range=[0, 100], title="Share of organisations (%)")
    figure.update_yaxes(autorange="reversed")
    return layout(figure, title, height=max(320, 34 * len(labels) + 160))


def trend_lines(frame: pd.DataFrame, by: str | None, title: str, fw: Framework | None = None) -> go.Figure | None:
    """Mean level per reporting year, one line with its own marker per group."""
    fw = fw or framework()
    if frame.empty:
        return None
    figure = go.Figure()
    groups = list(dict.fromkeys(frame[by])) if by else [None]
    for i, group in enumerate(groups):
        part = frame[frame[by] == group] if by else frame
        figure.add_scatter(x=[year_label(int(y)) for y in part["reporting_year"]], y=part["mean_level"], mode="lines+markers",
                           name=str(group) if by else "All organisations", connectgaps=False,
                           marker={"symbol": MARKERS[i % len(MARKERS)], "size": 10},
                           hovertemplate="%{x}: %{y:.2f}<extra>" + (str(group) if by else "") + "</extra>")
    # The axis spans the figures shown (within the scale), so lines close together are told apart; its title says so.
    shown = frame["mean_level"].dropna()
    low = max(min(fw.levels), float(shown.min()) - 0.25) if len(shown) else min(fw.levels)
    high = min(fw.top_level, float(shown.max()) + 0.25) if len(shown) else fw.top_level
    figure.update_yaxes(range=[low, high], title=f"Mean maturity level (scale {fw.scale_span}; axis zoomed to the figures)",
                        dtick=0.25 if high - low <= 1.5 else 0.5)
    figure.update_xaxes(title="Reporting year", type="category")
    return layout(figure, title, height=460)


def movement_bars(frame: pd.DataFrame, title: str) -> go.Figure | None:
    """Organisations that moved up, stayed and slipped, as columns with their counts written on."""
    if frame.empty or frame["organisations"].fillna(0).sum() == 0 and not frame["suppressed"].any():
        return None
    palette = settings().palette
    colours = {"moved up": palette[2], "slipped": palette[5]}
    text = [HIDDEN if pd.isna(v) else f"{int(v)}" for v in frame["organisations"]]
    figure = go.Figure(go.Bar(x=frame["movement"], y=frame["organisations"].fillna(0), text=text, textposition="outside",
                              marker_color=[colours.get(m, palette[0]) for m in frame["movement"]], cliponaxis=False))
    figure.update_yaxes(title="Organisations")
    return layout(figure, title, height=380)


def metric_lines(frame: pd.DataFrame, unit: str, title: str) -> go.Figure | None:
    """A metric's mean over organisations per year, one line with its own marker per equality group."""
    if frame.empty:
        return None
    figure = go.Figure()
    for i, (group, part) in enumerate(frame.groupby("equality_group", sort=False)):
        figure.add_scatter(x=[year_label(int(y)) for y in part["reporting_year"]], y=part["mean_value"], mode="lines+markers", name=group,
                           marker={"symbol": MARKERS[i % len(MARKERS)], "size": 10})
    axis = {"yes/no": "Organisations answering yes (%)", "%": "Mean over organisations (%)",
            "£": "Mean over organisations (£)", "count": "Mean over organisations"}[unit]
    figure.update_yaxes(title=axis)
    figure.update_xaxes(title="Reporting year", type="category")
    return layout(figure, title, height=440)


def count_bars(frame: pd.DataFrame, category: str, value: str, title: str, colour_by: str | None = None) -> go.Figure | None:
    """Counts per category (organisations returning, organisations asking), grouped by a second column."""
    if frame.empty or frame[value].isna().all():
        return None
    figure = go.Figure()
    groups = list(dict.fromkeys(frame[colour_by])) if colour_by else [None]
    for i, group in enumerate(groups):
        part = frame[frame[colour_by] == group] if colour_by else frame
        x = [year_label(int(v)) for v in part[category]] if category == "reporting_year" else part[category]
        figure.add_bar(x=x, y=part[value].fillna(0), name=str(group) if group is not None else LABELS.get(value, value),
                       # A hidden count is a bar of nothing: "hidden" is written where it would stand; the words
                       # under the chart and the table say why.
                       text=[_count_text(v) or "hidden" for v in part[value]], textposition="outside", cliponaxis=False,
                       textfont={"size": 12}, constraintext="none",
                       marker_pattern_shape=PATTERNS[i % len(PATTERNS)])
    figure.update_layout(barmode="group")
    figure.update_yaxes(title=LABELS.get(value, value))
    figure.update_xaxes(title=LABELS.get(category, category), type="category")
    return layout(figure, title, height=440)


def distance_bars(frame: pd.DataFrame, title: str) -> go.Figure | None:
    """Mean distance travelled (latest minus first level) per sector."""
    if frame.empty or frame["mean_distance"].isna().all():
        return None
    labels = frame["sector"].tolist()
    text = [h or f"{v:+.2f} ({int(n)} organisations)" for v, n, h in zip(frame["mean_distance"], frame["organisations"], hidden_labels(frame))]
    figure = go.Figure(go.Bar(x=frame["mean_distance"].fillna(0), y=labels, orientation="h", text=text, textposition="outside",
                              marker_color=settings().palette[2], cliponaxis=False))
    figure.update_xaxes(range=[-1, 2.5], title="Mean change in level, first to latest return", tickvals=[-1, 0, 1, 2], zeroline=True)
    figure.update_yaxes(autorange="reversed")
    return layout(figure, title, height=max(300, 34 * len(labels) + 120))


def coverage_bars(by_year: pd.DataFrame, title: str) -> go.Figure | None:
    """Organisations returning, new and lapsed per year, as grouped columns."""
    if by_year.empty:
        return None
    long = by_year.melt(id_vars="reporting_year", value_vars=list(COVERAGE_MEASURES), var_name="measure", value_name="count")
    long["measure"] = long["measure"].map(COVERAGE_MEASURES)
    return count_bars(long, "reporting_year", "count", title, colour_by="measure")


def transitions_sankey(frame: pd.DataFrame, from_year: int, to_year: int, title: str, fw: Framework | None = None) -> go.Figure | None:
    """Flows of organisations from each level in the earlier year to each level in the later; hidden flows are left out."""
    fw = fw or framework()
    if frame.empty or frame["organisations"].isna().all():
        return None
    levels = fw.levels
    labels = [f"{fw.level_name(v)} in {year_label(from_year)}" for v in levels] + [f"{fw.level_name(v)} in {year_label(to_year)}" for v in levels]
    shown = frame.dropna(subset=["organisations"])
    figure = go.Figure(go.Sankey(
        arrangement="fixed",
        node={"label": labels, "color": [fw.maturity_colours[v] for v in levels] * 2, "pad": 18, "line": {"color": TEXT, "width": 0.5}},
        link={"source": [levels.index(int(v)) for v in shown["from_level"]],
              "target": [len(levels) + levels.index(int(v)) for v in shown["to_level"]],
              "value": shown["organisations"].tolist(), "color": "rgba(120,120,120,0.35)",
              "hovertemplate": "%{source.label} → %{target.label}: %{value} organisations<extra></extra>"}))
    return layout(figure, title, height=460)


def small_multiples(frame: pd.DataFrame, facet: str, line: str, title: str, fw: Framework | None = None) -> go.Figure | None:
    """One small panel per `facet` value (a priority area), with a line per `line` value (its actions) over the years."""
    from plotly.subplots import make_subplots
    fw = fw or framework()
    if frame.empty:
        return None
    facets = [f for f in fw.priority_areas if f in set(frame[facet])] if facet == "priority_area" else list(dict.fromkeys(frame[facet]))
    columns = 2
    rows = -(-len(facets) // columns)
    figure = make_subplots(rows=rows, cols=columns, subplot_titles=facets, shared_yaxes=True, vertical_spacing=0.14)
    names = list(dict.fromkeys(frame[line]))
    palette = settings().palette
    for index, value in enumerate(facets):
        part = frame[frame[facet] == value]
        for name, lines in part.groupby(line, sort=False):
            # Each line its own marker and colour pair across all panels (the palette alone repeats).
            i = names.index(name)
            figure.add_scatter(x=[year_label(int(y)) for y in lines["reporting_year"]], y=lines["mean_level"], mode="lines+markers",
                               name=shown(line, [name], fw)[0], legendgroup=str(name), showlegend=True,
                               line={"color": palette[i % len(palette)]},
                               marker={"symbol": MARKERS[i % len(MARKERS)], "size": 8, "color": palette[i % len(palette)]},
                               row=index // columns + 1, col=index % columns + 1)
    figure.update_yaxes(range=[min(fw.levels), fw.top_level], dtick=1)
    figure.update_xaxes(type="category")
    return layout(figure, title, height=320 * rows + 80)


def feedback_bars(frame: pd.DataFrame, title: str) -> go.Figure | None:
    """Mean feedback scores (1–5) by learning format, with the middle half of answers as whiskers."""
    if frame.empty:
        return None
    figure = go.Figure()
    palette = settings().palette
    for index, (column, label) in enumerate((("pitched_right", "Pitched right"), ("will_use", "Will use the learning"))):
        means = frame[f"{column}_mean"]
        figure.add_bar(x=frame["learning_format"], y=means.fillna(0), name=label, marker_color=palette[index],
                       error_y={"type": "data", "symmetric": False, "array": (frame[f"{column}_q3"] - means).fillna(0),
                                "arrayminus": (means - frame[f"{column}_q1"]).fillna(0), "color": TEXT},
                       text=[h or f"{v:.2f}" for v, h in zip(means, hidden_labels(frame))], textposition="inside",
                       insidetextanchor="start", textangle=0, textfont={"color": text_on(palette[index]), "size": 14},
                       # A pattern as well as a colour tells the two answers apart (WCAG 1.4.1), faint enough to
                       # leave the figure written on the bar legible.
                       marker_pattern={"shape": PATTERNS[index], "fgcolor": text_on(palette[index]), "fgopacity": 0.3,
                                       "fillmode": "overlay"})
    figure.update_layout(barmode="group")
    figure.update_yaxes(range=[0, 5.2], title="Mean score (1–5); whiskers: middle half of answers")
    return layout(figure, title, height=440)


def association_bars(frame: pd.DataFrame, learning_format: str, title: str) -> go.Figure | None:
    """Mean change in level of organisations that took part in a format against those that did not, by priority area."""
    part = frame[frame["learning_format"] == learning_format]
    if part.empty:
        return None
    figure = go.Figure()
    palette = settings().palette
    # Lying down, each bar's value and count are written beside it in the width of the chart; standing, the labels of
    # neighbouring bars ran into one another.
    for index, (column, count, label) in enumerate((("took_part_change", "took_part", f"Took part in {a_format(learning_format)}"),
                                                    ("did_not_change", "did_not", "Did not"))):
        figure.add_bar(y=part["priority_area"], x=part[column].fillna(0), name=label, orientation="h", marker_color=palette[index],
                       marker_pattern_shape=["", "/"][index],
                       text=[h or f"{v:+.2f} ({int(n)} organisations)" for v, n, h in zip(part[column], part[count], hidden_labels(part))],
                       textposition="outside", cliponaxis=False, hovertemplate="%{y}: %{text}<extra>" + label + "</extra>")
    values = [0.0, *part["took_part_change"].dropna(), *part["did_not_change"].dropna()]
    low, high = min(values), max(values)
    room = max(high - low, 0.5) * 0.7  # for the labels, on the side the bars point to
    figure.update_layout(barmode="group", legend={"traceorder": "normal"})
    figure.update_xaxes(title="Mean change in level, first to latest return", zeroline=True,
                        range=[low - (room if low < 0 else 0.05 * room), high + room])
    figure.update_yaxes(autorange="reversed")
    return layout(figure, title, height=max(360, 70 * part["priority_area"].nunique() + 160))


def organisation_bars(profile, title: str, fw: Framework | None = None) -> go.Figure | None:
    """An organisation's level on each action (markers) against the mean of the rest of its sector (bars)."""
    fw = fw or framework()
    by_action = profile.by_action
    if by_action.empty:
        return None
    palette = settings().palette
    figure = go.Figure()
    actions = shown("action", by_action["action"], fw)
    figure.add_bar(x=actions, y=by_action["sector_mean"], name=f"Mean of other {profile.sector} organisations",
                   marker_color=palette[4], text=by_action["sector_mean"].map(lambda v: "" if pd.isna(v) else f"{v:.2f}"),
                   textposition="inside", insidetextanchor="start", textfont={"color": TEXT})
    figure.add_scatter(x=actions, y=by_action["organisation_level"], mode="markers", name=profile.name,
                       marker={"symbol": MARKERS[2], "size": 14, "color": palette[1], "line": {"width": 1, "color": "#000"}})
    figure.update_yaxes(range=[0, fw.top_level + 0.5], title="Mean maturity level")
    figure.update_xaxes(title="Action", type="category")
    return layout(figure, title, height=440)


def organisation_history(profile, title: str, fw: Framework | None = None) -> go.Figure | None:
    """An organisation's own mean level by year against the mean of the rest of its sector."""
    fw = fw or framework()
    history = profile.history
    if len(history) < 2:
        return None
    figure = go.Figure()
    labels = [year_label(int(y)) for y in history["reporting_year"]]
    figure.add_scatter(x=labels, y=history["organisation_level"], mode="lines+markers", name=profile.name,
                       marker={"symbol": MARKERS[2], "size": 12})
    figure.add_scatter(x=labels, y=history["sector_mean"], mode="lines+markers", name=f"Other {profile.sector} organisations",
                       line={"dash": "dash"}, marker={"symbol": MARKERS[1], "size": 10})
    figure.update_yaxes(range=[min(fw.levels), fw.top_level], title="Mean maturity level")
    figure.update_xaxes(type="category", title="Reporting year")
    return layout(figure, title, height=400)


def slide_preview(item, fw: Framework | None = None) -> go.Figure | None:
    """A board-pack slide's chart as plotly draws it, for the page's preview before download; None for slides
    whose body is a table, a list or numbers (the page shows those as tables)."""
    fw = fw or framework()
    data = item.data
    palette = settings().palette
    if item.layout in ("bar", "column") and len(data.get("categories", [])):
        figure = go.Figure()
        for index, (name, values) in enumerate(data["series"].items()):
            shown_values = [None if v is None or pd.isna(v) else v for v in values]
            text = ["hidden" if v is None else (f"{v:.2f}" if isinstance(v, float) and not float(v).is_integer() else f"{v:g}")
                    for v in shown_values]
            bar = dict(name=str(name), marker_color=palette[index % len(palette)], text=text, textposition="outside",
                       cliponaxis=False, marker_pattern_shape=PATTERNS[index % len(PATTERNS)])
            if item.layout == "bar":
                figure.add_bar(y=data["categories"], x=[v or 0 for v in shown_values], orientation="h", **bar)
            else:
                figure.add_bar(x=data["categories"], y=[v or 0 for v in shown_values], **bar)
        if item.layout == "bar":
            figure.update_yaxes(autorange="reversed")
        figure.update_layout(barmode="group", showlegend=len(data["series"]) > 1)
        return layout(figure, "", height=max(300, 30 * len(data["categories"]) + 140) if item.layout == "bar" else 380)
    if item.layout == "line":
        frame = data["frame"]
        return trend_lines(frame, data["series"], "", fw)
    return None
