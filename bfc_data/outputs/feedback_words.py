"""What a partner's feedback report says in words: every sentence of the report, from its frames.

Written to the partner ("you", "your sector"); never names or describes another organisation. A comparison
withheld for too few peers says so without saying how many there were.
"""

from __future__ import annotations

import math

from bfc_data.analysis.feedback import ABOVE, BELOW, BOTTOM, MIDDLE, TOP, Feedback
from bfc_data.intake.values import year_label
from bfc_data.reference.framework import Framework

FALLS = {TOP: "in the top quarter of", ABOVE: "above the middle of", MIDDLE: "at the middle of",
         BELOW: "below the middle of", BOTTOM: "in the bottom quarter of"}
# For metrics the order follows the catalogue's direction of better.
METRIC_FALLS = {TOP: "in the best quarter of", ABOVE: "better than the middle of", MIDDLE: "at the middle of",
                BELOW: "worse than the middle of", BOTTOM: "in the worst quarter of"}


def known(value) -> bool:
    return value is not None and not (isinstance(value, float) and math.isnan(value))


def level(value) -> str:
    return f"{value:.2f}" if known(value) else "no level"


def level_band(fw: Framework, value: float) -> str:
    """'Developing': the scale's label nearest an organisation's own mean level."""
    nearest = min(fw.levels, key=lambda step: (abs(step - value), -step))
    return fw.maturity_scale[nearest]


def withheld(threshold: int, peers_word: str = "organisations in your sector") -> str:
    return (f"Withheld: fewer than {threshold} other {peers_word} returned this year, so a comparison could point "
            f"to one of them. Your own figures are shown.")


def falls(row, peers_word: str = "your sector") -> str:
    found = row.get("falls")
    return f"{FALLS[found]} {peers_word}" if isinstance(found, str) else ""


def where_you_stand(report: Feedback, fw: Framework) -> str:
    overall = report.standing[report.standing["cut"] == "overall"].iloc[0]
    year = year_label(report.reporting_year)
    said = (f"In {year} your mean maturity level across the actions you gave a level for was {level(overall['level'])} "
            f"on the {fw.scale_span} scale ({level_band(fw, overall['level'])})." if known(overall["level"]) else
            f"Your {year} return gave no maturity level.")
    if known(overall["median"]):
        said += (f" That is {falls(overall)} ({report.sector}): the middle of your sector's other organisations was "
                 f"{overall['median']:.2f}, and the middle half lay between {overall['q1']:.2f} and {overall['q3']:.2f}.")
    else:
        said += " " + withheld(report.threshold)
    return said


def size_band_sentence(report: Feedback) -> str:
    if report.size_band is None or report.size_band_standing.empty:
        return "Your return gave no size band, so there is no comparison with organisations of your size."
    overall = report.size_band_standing[report.size_band_standing["cut"] == "overall"].iloc[0]
    if not known(overall["median"]):
        return withheld(report.threshold, f"organisations of your size band ({report.size_band} staff)")
    return (f"Against organisations of your size band ({report.size_band} staff), in every sector, you are "
            f"{FALLS[overall['falls']]} them: their middle was {overall['median']:.2f}.")


def progress_sentence(report: Feedback, fw: Framework) -> str:
    if report.previous_year is None:
        return f"This is your first return with levels, so there is no earlier one to compare {year_label(report.reporting_year)} with."
    change = report.overall_change
    before, now = year_label(report.previous_year), year_label(report.reporting_year)
    said = f"Since your previous return ({before}), your mean level "
    said += ("did not change." if known(change) and abs(change) < 0.005 else
             f"{'rose' if change > 0 else 'fell'} by {abs(change):.2f} ({before} to {now})." if known(change) else
             "cannot be compared.")
    return said


def level_moves(report: Feedback, fw: Framework) -> list[str]:
    """'Moved from Developing to Achieving on A4 Employment rights (2.00 to 3.00).' for each action whose band moved."""
    moves = []
    for row in report.progress.itertuples():
        if not known(row.level) or not known(row.earlier_level):
            continue
        before, now = level_band(fw, row.earlier_level), level_band(fw, row.level)
        if before != now:
            moves.append(f"Moved from {before} to {now} on {fw.action_label(row.action)} "
                         f"({row.earlier_level:.2f} to {row.level:.2f}).")
    return moves


def metric_value(value: float, unit: str) -> str:
    if unit == "yes/no":
        return "yes" if value >= 0.5 else "no"
    if unit == "%":
        return f"{value:.1f}%"
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}"


def metric_sentence(row, fw: Framework, threshold: int) -> str:
    spec = fw.metrics.get(row["metric"])
    name, unit, better = (spec.name, spec.unit, spec.better) if spec else (row["metric"], "", "higher")
    said = f"{name}: yours {metric_value(row['value'], unit)}"
    if not known(row["median"]):
        return f"{said}. {withheld(threshold)}"
    if unit == "yes/no":
        most = {1.0: "yes", 0.0: "no"}.get(float(row["median"]), "about half yes")
        return f"{said}; most of your sector's other organisations: {most}."
    return (f"{said}; your sector's middle {metric_value(row['median'], unit)} (middle half {metric_value(row['q1'], unit)} "
            f"to {metric_value(row['q3'], unit)}). {better.capitalize()} is better, so you are "
            f"{METRIC_FALLS[row['falls']]} your sector.")


def method(report: Feedback, fw: Framework) -> list[str]:
    """The plain-language page: what the levels mean and how every figure was worked out."""
    year = year_label(report.reporting_year)
    return [
        f"Each action is assessed on a {fw.scale_span} maturity scale: " + "; ".join(
            f"{step} {label}" for step, label in fw.maturity_scale.items()) + ".",
        "Your level on an action is the mean of the levels you gave for it (across roles and equality groups). "
        "Blank levels, where you do not yet take part, are left out. Your level for a priority area, an equality group "
        "or overall is the mean of all your levels there.",
        f"Your peers are the other organisations of your sector ({report.sector}) whose {year} return is current. "
        "You are never counted among your own peers. A second comparison uses organisations of your size band in every sector.",
        "Peers are summed up by three figures: the lower quartile (a quarter of peers are below it), the median (the "
        "middle: half are below it) and the upper quartile (a quarter are above it). The middle half lies between the "
        "quartiles. 'Top quarter' means above the upper quartile; 'bottom quarter' below the lower one.",
        f"Where fewer than {report.threshold} peers exist, the comparison is withheld, so that no organisation can be "
        "identified. No other organisation is named in this report.",
        "Progress compares this return with your previous one, action by action, against the middle change of your "
        "sector's organisations that returned in both years.",
        "Strengths are up to three actions where you are in your sector's top quarter, furthest above its middle first "
        "(with too few peers, your own highest levels). Areas to develop are up to three actions in your sector's bottom "
        "quarter, then actions most of your sector gives a level for and you do not yet.",
        f"Figures come from the returns listed below as loaded by the Greater London Authority. Report made "
        f"{report.made:%d %B %Y}.",
    ]
