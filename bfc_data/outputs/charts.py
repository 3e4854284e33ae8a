"""A chart as a page shows it: the figure (`figures`), its one true sentence (`words`) and the table it shows
(`tables`), put together. The board pack and the reports take the sentences straight from `words`."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go

from bfc_data.intake.values import year_label
from bfc_data.outputs import figures, words
from bfc_data.outputs.tables import LABELS, plain_table
from bfc_data.reference.framework import Framework

__all__ = ["LABELS", "Chart", "association_chart", "count_bars", "coverage_chart", "distance_bars", "feedback_chart",
           "heatmap", "level_bars", "level_distribution", "metric_lines", "movement_bars", "organisation_profile", "plain_table",
           "small_multiples", "support_wanted",
           "transitions_sankey", "trend_lines"]


@dataclass
class Chart:
    figure: go.Figure | None  # None: nothing to draw; the summary says why
    summary: str
    table: pd.DataFrame  # what the chart shows, with plain column headings, for "Show the data" and downloads
    title: str = ""

    @property
    def empty(self) -> bool:
        return self.table.empty


def heatmap(frame: pd.DataFrame, x: str, y: str, title: str, fw: Framework | None = None) -> Chart:
    return Chart(figures.heatmap(frame, x, y, title, fw), words.heatmap(frame, x, y), plain_table(frame), title)


def level_bars(frame: pd.DataFrame, category: str, title: str, fw: Framework | None = None) -> Chart:
    return Chart(figures.level_bars(frame, category, title, fw), words.level_bars(frame, category), plain_table(frame), title)


def level_distribution(frame: pd.DataFrame, category: str, title: str, fw: Framework | None = None) -> Chart:
    return Chart(figures.level_distribution(frame, category, title, fw), words.level_distribution(frame, category, fw),
                 plain_table(frame), title)


def trend_lines(frame: pd.DataFrame, by: str | None, title: str, fw: Framework | None = None, filters=None) -> Chart:
    return Chart(figures.trend_lines(frame, by, title, fw), words.trend(frame, by, filters), plain_table(frame), title)


def movement_bars(frame: pd.DataFrame, from_year: int, to_year: int, title: str) -> Chart:
    return Chart(figures.movement_bars(frame, title), words.movement(frame, from_year, to_year), plain_table(frame), title)


def metric_lines(frame: pd.DataFrame, name: str, unit: str, better: str, title: str) -> Chart:
    return Chart(figures.metric_lines(frame, unit, title), words.metric(frame, name, unit, better), plain_table(frame), title)


def count_bars(frame: pd.DataFrame, category: str, value: str, title: str, colour_by: str | None = None) -> Chart:
    return Chart(figures.count_bars(frame, category, value, title, colour_by), words.counts(frame, category, value, colour_by),
                 plain_table(frame), title)


def support_wanted(frame: pd.DataFrame, total: float, by: str, year: int, threshold: int, title: str) -> Chart:
    return Chart(figures.count_bars(frame, "learning_format", "organisations", title, colour_by=by),
                 words.support_wanted(frame, total, by, year, threshold), plain_table(frame), title)


def distance_bars(frame: pd.DataFrame, title: str) -> Chart:
    return Chart(figures.distance_bars(frame, title), words.distance(frame), plain_table(frame), title)


def coverage_chart(by_year: pd.DataFrame, year: int, title: str) -> Chart:
    return Chart(figures.coverage_bars(by_year, title), words.coverage(by_year, year), plain_table(by_year), title)


def transitions_sankey(frame: pd.DataFrame, from_year: int, to_year: int, title: str, fw: Framework | None = None) -> Chart:
    return Chart(figures.transitions_sankey(frame, from_year, to_year, title, fw), words.transitions(frame, from_year, to_year, fw),
                 plain_table(frame), title)


def small_multiples(frame: pd.DataFrame, facet: str, line: str, title: str, fw: Framework | None = None) -> Chart:
    return Chart(figures.small_multiples(frame, facet, line, title, fw), words.small_multiples(frame, line), plain_table(frame), title)


def feedback_chart(frame: pd.DataFrame, title: str) -> Chart:
    return Chart(figures.feedback_bars(frame, title), words.feedback(frame), plain_table(frame), title)


def association_chart(frame: pd.DataFrame, learning_format: str, title: str) -> Chart:
    part = frame[frame["learning_format"] == learning_format]
    return Chart(figures.association_bars(frame, learning_format, title), words.association(frame, learning_format),
                 plain_table(part if not part.empty else frame), title)


def profile_charts(store, viewer, code: str, year: int) -> tuple[str, Chart, Chart]:
    """An organisation's profile in words and its two charts (officers only: `organisation.profile` checks)."""
    from bfc_data.analysis import organisation
    return organisation_profile(organisation.profile(store, viewer, code, year))


def organisation_profile(profile) -> tuple[str, Chart, Chart]:
    """The line above a profile, the organisation against its sector by action, and its history by year."""
    title = f"{profile.name} against other {profile.sector} organisations, {year_label(profile.reporting_year)}"
    against = Chart(figures.organisation_bars(profile, title), words.organisation_against_sector(profile),
                    plain_table(profile.by_action.rename(columns={
                        "organisation_level": "Organisation's level", "sector_mean": "Sector mean",
                        "sector_organisations": "Other organisations in the sector",
                        "percent_of_sector_below": "% of sector below"})), title)
    history_title = f"{profile.name} by reporting year, against the mean of other {profile.sector} organisations"
    history = Chart(figures.organisation_history(profile, history_title), words.organisation_history(profile),
                    plain_table(profile.history.rename(columns={"organisation_level": "Organisation's level",
                                                                "sector_mean": "Sector mean"})), history_title)
    return words.organisation(profile), against, history
