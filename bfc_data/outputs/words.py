"""What a figure says in words: the one true sentence under each chart and on each board-pack slide.

Every function reads the same analysis frame the chart draws and builds no figure, so the pages, the board
pack and the partner reports say the same thing. Hidden figures are always said, with their true reason.
"""

from __future__ import annotations

import pandas as pd

from bfc_data.analysis.disclosure import PRIMARY, REASONS, SECONDARY
from bfc_data.intake.values import year_label
from bfc_data.outputs.tables import LABELS, shown
from bfc_data.reference.framework import Framework, framework

NO_MATCH = "No returns match these filters."


def _name(column: str, value) -> str:
    return shown(column, [value])[0]


def hidden_sentence(frame: pd.DataFrame, noun: str = "figures") -> str:
    """' 2 cells are hidden: 1 because it covers too few organisations; 1 so that …'. Empty when nothing is hidden."""
    if "suppression" not in frame.columns:
        return ""
    primary = int((frame["suppression"] == PRIMARY).sum())
    secondary = int((frame["suppression"] == SECONDARY).sum())
    total = primary + secondary
    if not total:
        return ""
    counted = f" {total} {noun if total != 1 else noun.removesuffix('s')} {'is' if total == 1 else 'are'} hidden"
    too_few = f"because {'it covers' if primary == 1 else 'they cover'} {REASONS[PRIMARY]}"
    protecting = REASONS[SECONDARY].removeprefix("hidden ")
    # One reason is said once ("19 cells are hidden because …"), not counted twice ("19 are hidden: 19 because …").
    if not secondary:
        return f"{counted} {too_few}."
    if not primary:
        return f"{counted} {protecting}."
    return f"{counted}: {primary} {too_few}; {secondary} {protecting}."


def all_hidden(frame: pd.DataFrame, noun: str) -> str:
    """'All 6 groups are hidden because they cover too few organisations.': why nothing can be shown."""
    total = int(frame["suppression"].isin([PRIMARY, SECONDARY]).sum()) if "suppression" in frame.columns else 0
    if not total:
        return f"No {noun} match these filters."
    secondary = int((frame["suppression"] == SECONDARY).sum())
    said = f"All {total} {noun} are hidden" if total > 1 else f"The one {noun.removesuffix('s')} is hidden"
    if not secondary:
        return f"{said} because {'they cover' if total > 1 else 'it covers'} {REASONS[PRIMARY]}."
    return f"{said}: {total - secondary} because of {REASONS[PRIMARY]}, {secondary} {REASONS[SECONDARY].removeprefix('hidden ')}."


def heatmap(frame: pd.DataFrame, x: str, y: str) -> str:
    """The highest and lowest cell of a grid of mean levels."""
    if frame.empty:
        return NO_MATCH
    shown = frame.dropna(subset=["mean_level"])
    if shown.empty:
        return all_hidden(frame, "cells")
    top, bottom = shown.loc[shown["mean_level"].idxmax()], shown.loc[shown["mean_level"].idxmin()]

    def where(row):
        return f"{row[y]}, {year_label(int(row[x])) if x == 'reporting_year' else row[x]}"
    if len(shown) == 1:
        summary = f"The one cell shown has a mean level of {top['mean_level']:.2f} ({where(top)})."
    else:
        summary = (f"The highest mean level is {top['mean_level']:.2f} ({where(top)}); the lowest is "
                   f"{bottom['mean_level']:.2f} ({where(bottom)}).")
    return summary + hidden_sentence(frame, "cells")


def level_bars(frame: pd.DataFrame, category: str) -> str:
    """The groups with the highest and the lowest mean level."""
    if frame.empty:
        return NO_MATCH
    shown = frame.dropna(subset=["mean_level"])
    if shown.empty:
        return all_hidden(frame, "groups")
    if len(shown) == 1:
        row = shown.iloc[0]
        summary = f"{_name(category, row[category])} has a mean level of {row['mean_level']:.2f} over {int(row['organisations'])} organisations."
    else:
        top, bottom = shown.loc[shown["mean_level"].idxmax()], shown.loc[shown["mean_level"].idxmin()]
        summary = (f"{_name(category, top[category])} has the highest mean level ({top['mean_level']:.2f}) and "
                   f"{_name(category, bottom[category])} the lowest "
                   f"({bottom['mean_level']:.2f}), across {len(shown)} {LABELS.get(category, category).lower()}s shown.")
    return summary + hidden_sentence(frame, "groups")


def level_distribution(frame: pd.DataFrame, category: str, fw: Framework | None = None) -> str:
    """The group with the largest share of organisations in the upper half of the scale."""
    fw = fw or framework()
    if frame.empty:
        return NO_MATCH
    shown = frame[~frame["suppressed"]]
    if shown.empty:
        return all_hidden(frame, "groups")
    upper = shown[[f"level_{level}" for level in fw.upper_levels]].sum(axis=1)
    best = shown.loc[upper.idxmax()]
    return (f"{_name(category, best[category])} has the largest share of organisations at {fw.level_name(fw.upper_levels[0])} or above "
            f"({upper.max():.0f}%)." + hidden_sentence(frame, "groups"))


def filtered_to(filters) -> str:
    """'Sector: Health; Equality group: Race', the filters a figure reflects; empty when there are none."""
    if filters is None:
        return ""
    names = {"sectors": "Sector", "priority_areas": "Priority area", "actions": "Action", "roles": "Role",
             "equality_groups": "Equality group", "size_bands": "Size band"}
    return "; ".join(f"{label}: {', '.join(getattr(filters, name))}" for name, label in names.items() if getattr(filters, name))


def _organisations(row) -> str:
    if "organisations" not in row or pd.isna(row["organisations"]):
        return ""
    count = int(row["organisations"])
    return f" ({count} organisation{'' if count == 1 else 's'})"


def trend(frame: pd.DataFrame, by: str | None, filters=None) -> str:
    """'Of the groups shown, Health moved most: it rose from 1.80 (12 organisations) to 2.40 (20 organisations) between
    2022-23 and 2025-26.': the group that moved most, over the organisations it covers, with the filters named.

    Each year's mean is over the organisations returning that year, which are not always the same ones: the
    sentence gives each year's count and says so."""
    if frame.empty:
        return NO_MATCH
    best = None
    for group, part in (frame.groupby(by, sort=False) if by else [("All organisations", frame)]):
        part = part.dropna(subset=["mean_level"])
        if len(part) < 2:
            continue
        first, last = part.iloc[0], part.iloc[-1]
        change = last["mean_level"] - first["mean_level"]
        if best is None or abs(change) > abs(best[1]):
            best = (group, change, first, last)
    if best is None:
        if frame["mean_level"].isna().any() and "suppression" in frame.columns and frame["suppression"].notna().any():
            return ("No change over the years can be shown: " + all_hidden(frame[frame["mean_level"].isna()], "figures")
                    .removeprefix("All ").removeprefix("The one "))
        return "There is not yet more than one year to compare."
    group, change, first, last = best
    verb = "rose" if change > 0 else "fell" if change < 0 else "stayed"
    scope = filtered_to(filters)
    if by:
        lead = f"Of the groups shown{' (' + scope + ')' if scope else ''}, {group} moved most: it"
    else:
        lead = f"Across the organisations filtered to {scope}, the mean level" if scope else "Across all organisations, the mean level"
    figures = (f"from {first['mean_level']:.2f}{_organisations(first)} to {last['mean_level']:.2f}{_organisations(last)}"
               if change else f"at {last['mean_level']:.2f}")
    said = f"{lead} {verb} {figures} between {year_label(int(first['reporting_year']))} and {year_label(int(last['reporting_year']))}."
    if _organisations(first):
        said += " Each year counts the organisations returning that year, not always the same ones."
    return said


def small_multiples(frame: pd.DataFrame, line: str) -> str:
    """The line (an action) that moved most over the years."""
    if frame.empty:
        return NO_MATCH
    return trend(frame.rename(columns={line: "_line"}).assign(_line=lambda f: f["_line"].astype(str)), "_line")


def both_years_missing(from_year: int, to_year: int) -> str:
    return f"No organisation returned in both {year_label(from_year)} and {year_label(to_year)}."


def movement(frame: pd.DataFrame, from_year: int, to_year: int) -> str:
    """How many organisations moved up, stayed and slipped between two years."""
    if frame.empty or frame["organisations"].fillna(0).sum() == 0 and not frame["suppressed"].any():
        return both_years_missing(from_year, to_year)
    shown = {m: v for m, v in zip(frame["movement"], frame["organisations"]) if not pd.isna(v)}
    parts = [f"{int(v)} {m}" for m, v in shown.items()]
    summary = (f"Between {year_label(from_year)} and {year_label(to_year)}, of organisations that returned in both years: "
               + (", ".join(parts) if parts else "all counts are hidden") + ".")
    if (frame["suppression"] == "combined").any():
        summary += " Groups of too few organisations are combined with others."
    return summary


def transitions(frame: pd.DataFrame, from_year: int, to_year: int, fw: Framework | None = None) -> str:
    """The largest flow from one level to another between two years."""
    fw = fw or framework()
    if frame.empty:
        return both_years_missing(from_year, to_year)
    if frame["organisations"].isna().all():
        return (f"The flows from level to level between {year_label(from_year)} and {year_label(to_year)} are all hidden:"
                + hidden_sentence(frame, "flows") + " The counts above combine them.")
    shown = frame.dropna(subset=["organisations"])
    moved = shown[shown["to_level"] != shown["from_level"]]
    if moved.empty:
        summary = f"No movement between levels is shown for {year_label(from_year)} to {year_label(to_year)}."
    else:
        biggest = moved.loc[moved["organisations"].idxmax()]
        summary = (f"Largest movement between {year_label(from_year)} and {year_label(to_year)}: "
                   f"{int(biggest['organisations'])} organisations from {fw.level_name(int(biggest['from_level']))} to "
                   f"{fw.level_name(int(biggest['to_level']))}.")
    if frame["suppressed"].any():
        summary += hidden_sentence(frame, "flows") + " Hidden flows are left out of the chart."
    return summary


def distance(frame: pd.DataFrame) -> str:
    """The sector that travelled furthest, first to latest return."""
    if frame.empty:
        return "No organisation has returned in two or more years yet."
    shown = frame.dropna(subset=["mean_distance"])
    if shown.empty:
        return all_hidden(frame, "sectors")
    best = shown.loc[shown["mean_distance"].idxmax()]
    return (f"{best['sector']} travelled furthest on average ({best['mean_distance']:+.2f} levels from first to latest "
            f"return, over {int(best['organisations'])} organisations)." + hidden_sentence(frame, "sectors"))


def metric_value(value: float, unit: str) -> str:
    return {"%": f"{value:.1f}%", "yes/no": f"{value:.0f}% answering yes", "£": f"£{value:,.0f}", "count": f"{value:,.1f}"}[unit]


def metric(frame: pd.DataFrame, name: str, unit: str, better: str) -> str:
    """The latest year against the year before, for each group, with whether that is better."""
    if frame.empty:
        return "No values of this metric match these filters."
    latest_year = int(frame["reporting_year"].max())
    latest = frame[frame["reporting_year"] == latest_year].dropna(subset=["mean_value"])
    if latest.empty:
        return f"The {year_label(latest_year)} figures of {name} are hidden because too few organisations reported them."
    parts = []
    for _, row in latest.iterrows():
        said = f"{row['equality_group']}: {metric_value(row['mean_value'], unit)}"
        if row["direction"] in ("better", "worse"):
            previous = row["mean_value"] - row["change"]
            said += f", {row['direction']} than {metric_value(previous, unit)} the year before"
        parts.append(said)
    return f"{name} in {year_label(latest_year)} ({better} is better) — " + "; ".join(parts) + "."


def counts(frame: pd.DataFrame, category: str, value: str, colour_by: str | None = None) -> str:
    """The group with the most (organisations returning, organisations asking, events …), hidden counts said."""
    if frame.empty:
        return "Nothing matches these filters."
    reasons = f"suppression_{value}" if f"suppression_{value}" in frame.columns else "suppression"
    if frame[value].isna().all():
        return all_hidden(frame.assign(suppression=frame.get(reasons)), "counts")
    totals = frame.groupby(colour_by if colour_by else category)[value].sum()
    summary = f"{totals.idxmax()} has the most {LABELS.get(value, value).lower()} ({int(totals.max())} in all shown)."
    if reasons in frame.columns:
        summary += hidden_sentence(frame[frame[value].isna()].assign(suppression=frame[reasons]), "counts")
    return summary


def coverage(by_year: pd.DataFrame, year: int) -> str:
    """Organisations returning in the chosen year: those that returned the year before too, the new, those back after a
    gap, and those that lapsed; the parts add up to the whole."""
    if by_year.empty:
        return NO_MATCH
    row = by_year[by_year["reporting_year"] == year]
    numbers = ["organisations", "new_organisations", "rejoined_organisations", "lapsed_organisations"]
    if not row.empty and not row[numbers].isna().any(axis=None):
        row = row.iloc[0]
        returning, new, back, lapsed = (int(row[n]) for n in numbers)
        continuing = returning - new - back
        return (f"In {year_label(year)}, {returning} organisations returned: {continuing} that also returned the year before, "
                f"{new} for the first time and {back} back after a gap; {lapsed} that returned the year before did not.")
    if row.empty or pd.isna(row.iloc[0]["organisations"]):
        return f"How many organisations returned in {year_label(year)} is hidden, to protect small groups."
    row = row.iloc[0]
    parts = {"new_organisations": "for the first time", "rejoined_organisations": "back after a gap"}
    shown = [f"{int(row[n])} {words}" for n, words in parts.items() if not pd.isna(row[n])]
    hidden = [words for n, words in parts.items() if pd.isna(row[n])]
    said = f"In {year_label(year)}, {int(row['organisations'])} organisations returned" + (": " + " and ".join(shown) if shown else "")
    said += "" if pd.isna(row["lapsed_organisations"]) else \
        f"; {int(row['lapsed_organisations'])} that returned the year before did not"
    if hidden or pd.isna(row["lapsed_organisations"]):
        hidden += [] if not pd.isna(row["lapsed_organisations"]) else ["lapsed"]
        said += ". How many " + " and how many ".join(
            {"for the first time": "came for the first time", "back after a gap": "came back after a gap",
             "lapsed": "lapsed"}[h] for h in hidden) + (" is" if len(hidden) == 1 else " are") + " hidden, to protect small groups"
    return said + "."


def feedback(frame: pd.DataFrame) -> str:
    """The learning format scoring highest on 'will use the learning'."""
    if frame.empty:
        return "No feedback has been loaded yet."
    shown = frame.dropna(subset=["will_use_mean"])
    if shown.empty:
        return all_hidden(frame, "formats")
    best = shown.loc[shown["will_use_mean"].idxmax()]
    return (f"{best['learning_format']} scores highest on 'will use the learning' ({best['will_use_mean']:.2f} of 5, "
            f"{best['will_use_4_or_5']:.0f}% scoring 4 or 5).")


def a_format(learning_format: str) -> str:
    """'an action-learning set', 'a study tour'."""
    name = learning_format.lower()
    return ("an " if name[0] in "aeiou" else "a ") + name


def association(frame: pd.DataFrame, learning_format: str) -> str:
    """The priority area where taking part in a format goes with the largest difference in progress."""
    part = frame[frame["learning_format"] == learning_format]
    if part.empty:
        return "No organisation has two returns to compare yet."
    shown = part.dropna(subset=["difference"])
    if shown.empty:
        return "Every comparison is hidden because one side has too few organisations."
    top = shown.loc[shown["difference"].abs().idxmax()]
    direction = "more" if top["difference"] > 0 else "less"
    return (f"In {top['priority_area'].lower()}, organisations that took part in {a_format(learning_format)} moved "
            f"{top['took_part_change']:+.2f} levels on average against {top['did_not_change']:+.2f} for those that did not: "
            f"{abs(top['difference']):.2f} {direction} ({int(top['took_part'])} and {int(top['did_not'])} organisations). "
            "This is an association, not proof that the learning caused it.")


def organisation(profile) -> str:
    """The line above an organisation's profile: who it is, or that it has no levels this year."""
    if profile.by_action.empty:
        return (f"{profile.name} ({profile.organisation_code}, {profile.sector}) has no current return with levels for "
                f"{year_label(profile.reporting_year)}.")
    return f"**{profile.name}** ({profile.organisation_code}) · {profile.sector}."


def organisation_against_sector(profile) -> str:
    if profile.by_action.empty:
        return f"{profile.name} has no maturity levels for {year_label(profile.reporting_year)}."
    by_action = profile.by_action
    above = int((by_action["organisation_level"] > by_action["sector_mean"]).sum())
    return (f"{profile.name} is above its sector's mean on {above} of the {len(by_action)} actions it rated in "
            f"{year_label(profile.reporting_year)}.")


def organisation_history(profile) -> str:
    history = profile.history
    if len(history) < 2:
        return f"{profile.name} has returned in one reporting year so far."
    first, last = history.iloc[0], history.iloc[-1]
    return (f"{profile.name}'s mean level went from {first['organisation_level']:.2f} in {year_label(int(first['reporting_year']))} "
            f"to {last['organisation_level']:.2f} in {year_label(int(last['reporting_year']))}.")


def programme_delivery(timeline: pd.DataFrame) -> str:
    """How many milestones of the delivery timeline are done, and how many are due."""
    done = int((timeline["status"] == "done").sum())
    return f"{done} of {len(timeline)} milestones of the delivery timeline are done as of today; {len(timeline) - done} are due."


def movers(frame: pd.DataFrame, category: str, year: int, earlier_year: bool) -> str:
    """The group that moved most since the year before, or why none can be shown."""
    if frame.empty:
        if not earlier_year:
            return f"There is no earlier year to compare {year_label(year)} with."
        return (f"No {LABELS.get(category, category).lower()} can be compared with {year_label(year - 1)}: each has too few "
                "organisations in one year or the other, so its figures are hidden.")
    top = frame.iloc[0]
    return (f"{top[category]} moved most, from {top['before']:.2f} to {top['after']:.2f} ({top['change']:+.2f}). "
            f"{LABELS.get(category, category)}s with too few organisations in either year are left out; each year's mean "
            "is over the organisations returning that year, not always the same ones.")


def not_returned(total: float, year: int, threshold: int) -> str:
    """How many organisations that returned before have not returned this year."""
    if total == 0:
        return f"Every organisation that returned before has returned for {year_label(year)}."
    if pd.isna(total):
        return (f"How many organisations that returned in an earlier year have not returned for {year_label(year)} is hidden, "
                "to protect small groups.")
    return f"{int(total)} organisations that returned in an earlier year have not returned for {year_label(year)}."


def quality(frame: pd.DataFrame, year: int) -> str:
    """How many warnings, about how many organisations, of which checks (most frequent first)."""
    if frame.empty:
        return f"No warnings for {year_label(year)}."
    counts = frame["check"].value_counts()
    return (f"**{len(frame)} warnings** for {year_label(year)}, about {frame['organisation_code'].nunique()} organisations: "
            + "; ".join(f"{n} {check}" for check, n in counts.items()) + ".")


def tracker(status: pd.DataFrame, chase: pd.DataFrame, year: int) -> str:
    """Who has returned this year, who has not, and how many never have."""
    returned = int((status["status"] == "returned").sum())
    never = int((~status["engaged"].astype(bool)).sum())
    return (f"For **{year_label(year)}**, {returned} of the {len(status)} organisations in the register have returned; "
            f"{len(chase)} have not, of which {never} have never returned.")


def unmet_demand(demand: pd.DataFrame, year: int, threshold: int) -> str:
    """Where organisations asked for a learning format that was not delivered in the year."""
    unmet = demand[demand["unmet"]]
    asked = [f"{f} in {a.lower()} ({'fewer than ' + str(threshold) if pd.isna(n) else int(n)} organisations asked)"
             for f, a, n in zip(unmet["learning_format"], unmet["priority_area"], unmet["organisations_wanting"])]
    return (f"Organisations asked for learning in their {year_label(year)} returns; events were delivered in that financial "
            "year. " + (f"**Unmet demand** in {len(unmet)} places: " + "; ".join(asked) + "." if asked
                        else "Every kind of learning asked for was delivered."))


def support_wanted(frame: pd.DataFrame, total: float, by: str, year: int, threshold: int) -> str:
    """How many distinct organisations asked for learning support, and the format and group asked for most.

    The bars count organisations per format and group; an organisation asking for several counts in each, so the
    sentence gives the distinct total and says the bars do not add up to it."""
    if frame.empty:
        return f"No organisation asked for learning support in its {year_label(year)} return."
    if pd.isna(total):
        # Hidden for being small, or to protect another small count: either way the number is not given.
        said = f"How many organisations asked for learning support in their {year_label(year)} returns is hidden, to protect small groups."
    else:
        said = f"{int(total)} organisations asked for learning support in their {year_label(year)} returns."
    shown = frame.dropna(subset=["organisations"])
    if shown.empty:
        return said + hidden_sentence(frame, "counts")
    top = shown.loc[shown["organisations"].idxmax()]
    said += (f" The most asked for was {top['learning_format'].lower()} in {top[by]} ({int(top['organisations'])} "
             f"organisations). An organisation may ask for several formats and {LABELS.get(by, by).lower()}s, so the bars "
             "add up to more than the organisations asking.")
    return said + hidden_sentence(frame, "counts")
