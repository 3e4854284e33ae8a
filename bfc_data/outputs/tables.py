"""Tables as a person reads them: plain headings, years as 2024-25, levels as '3 Achieving', hidden cells said.

What "Show the data", every CSV and Excel download and the board pack's tables carry."""

from __future__ import annotations

import pandas as pd

from bfc_data.analysis.disclosure import REASONS
from bfc_data.intake.values import year_label
from bfc_data.reference.framework import framework

LABELS = {"sector": "Sector", "priority_area": "Priority area", "action": "Action", "role": "Role",
          "equality_group": "Equality group", "intersecting_group": "Intersecting group", "size_band": "Size band",
          "reporting_year": "Reporting year", "mean_level": "Mean maturity level", "organisations": "Organisations",
          "learning_format": "Learning format", "from_level": "Level in the earlier year", "to_level": "Level in the later year",
          "mean_value": "Mean value", "median_value": "Median value", "change": "Change", "direction": "Direction",
          "movement": "Movement", "suppressed": "Hidden", "suppression": "Hidden", "new_organisations": "New organisations",
          "lapsed_organisations": "Lapsed organisations", "rejoined_organisations": "Back after a gap", "rows_wanting": "Rows wanting it", "mean_distance": "Mean distance travelled",
          "moved_up": "Organisations that moved up", "before": "Year before", "after": "This year",
          "count": "Organisations", "measure": "Measure", "events": "Events",
          "quarter": "Quarter (calendar)", "delivery": "Delivery", "attendees": "People attending", "organisations_wanting": "Organisations wanting it",
          "organisations_attending": "Organisations attending", "unmet": "Unmet", "took_part": "Took part", "did_not": "Did not take part",
          "took_part_change": "Change: took part", "did_not_change": "Change: did not", "difference": "Difference",
          "returned": "Returned this year", "not yet returned": "Not yet returned", "never returned": "Never returned",
          "took_part_in_learning": "Took part in learning", "not_yet_engaged": "Not yet engaged",
          "answer": "Answer", "times": "Times given", "responses": "Responses",
          "organisation_code": "Organisation code", "organisation_name": "Organisation", "last_returned": "Last returned",
          "contact_name": "Contact", "contact_email": "E-mail"}


# Columns holding a reporting year, written one way everywhere: 2024-25.
YEAR_COLUMNS = ("reporting_year", "first_year", "latest_year", "last_returned")
# Columns counting organisations, people or rows: whole numbers, never 27.0, a hidden one left blank.
COUNT_COLUMNS = ("organisations", "new_organisations", "rejoined_organisations", "lapsed_organisations", "events",
                 "attendees", "responses", "organisations_wanting", "rows_wanting", "organisations_attending", "moved_up",
                 "took_part", "did_not", "count", "times", "returns", "sector_organisations")


def shown(column: str, values, fw=None) -> list[str]:
    """Values as a person reads them in a legend, axis or sentence: actions as 'A1 Living Wage', years as 2024-25."""
    fw = fw or framework()
    if column == "action":
        return [fw.action_short(v) for v in values]
    if column in YEAR_COLUMNS:
        return ["" if pd.isna(v) else year_label(int(v)) for v in values]
    return [str(v) for v in values]


def plain_table(frame: pd.DataFrame, drop=("suppressed",)) -> pd.DataFrame:
    """The frame as a person reads it: plain headings, years as 2024-25, levels as '3 Achieving', hidden cells said."""
    fw = framework()
    table = frame.drop(columns=[c for c in frame.columns if c in drop or c.startswith("suppression_")]).copy()
    for column in (*YEAR_COLUMNS, "action"):
        if column in table.columns:
            table[column] = shown(column, table[column], fw)
    for column in COUNT_COLUMNS:
        if column in table.columns and pd.api.types.is_numeric_dtype(table[column]):
            table[column] = table[column].round().astype("Int64")
    for column in ("from_level", "to_level"):
        if column in table.columns:
            table[column] = table[column].map(lambda level: fw.level_name(int(level)))
    if "suppression" in table.columns:
        table["suppression"] = table["suppression"].map(lambda r: REASONS.get(r, "combined with another group" if r else "")
                                                        if isinstance(r, str) else "")
    for share, level in zip(fw.level_shares, fw.levels):
        if share in table.columns:
            table = table.rename(columns={share: f"% at {fw.level_name(level)}"})
            table[f"% at {fw.level_name(level)}"] = table[f"% at {fw.level_name(level)}"].round(1)
    return table.rename(columns=LABELS)
