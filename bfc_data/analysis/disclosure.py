"""Disclosure control for the members' view: no figure about fewer than `threshold` organisations can be read or worked out.

The method, in the terms of the ONS's and Eurostat's guidance on tabular data (see the README):

* **Threshold rule (primary suppression).** A cell covering fewer organisations than the threshold is hidden,
  its count of organisations with it.
* **Complementary (secondary) suppression along every additive line.** Where cells add up to a total that is
  published somewhere (organisations partition into sectors, so the sectors of any cut add up to the cut's
  total), a line with exactly one hidden cell would give that cell away by subtraction; the fewest other cells
  are hidden so that every line holds none or at least two.
* **A restricted query space.** A member chooses one value, or all, in each filter, and never a size band:
  every view a member can ask for is then made of cells of one fixed table (year × sector × priority area ×
  action × role × equality group, each a value or all), and "all sectors against all but one" cannot be asked
  for. A view with one sector chosen is computed over every sector and protected along the sector line before
  that sector is picked out, so a cell is hidden in every view or in none.

Equality groups, actions, roles, priority areas and years are not additive: an organisation reports for several
at once, so a total is not the sum of its parts, and primary suppression protects them. Their limits are in
the README.
"""

from __future__ import annotations

from dataclasses import fields
from itertools import combinations

import numpy as np
import pandas as pd

from bfc_data.access import AccessRefused

PRIMARY = "primary"
SECONDARY = "secondary"
COMBINED = "combined"

REASONS = {
    PRIMARY: "too few organisations",
    SECONDARY: "hidden so that a small group cannot be worked out from the others",
}

# Organisation attributes members may break figures down by: each organisation is in exactly one, in a year.
ADDITIVE = ("sector",)
# Filters a member may not set at all: size band is an organisation attribute too, and a sector × size band
# table would be a second additive line through every cell.
OFFICER_ONLY_FILTERS = ("size_bands",)
OFFICER_ONLY_DIMENSIONS = ("size_band",)

# Exact search for the fewest complementary cells in tables up to this many cells; larger ones are protected greedily.
EXACT_SEARCH_CELLS = 24


class DisclosureRefused(AccessRefused):
    """A view that would let a member work out a small group, refused in words."""


def reason(code: str | None) -> str:
    return REASONS.get(code, "") if code else ""


def check_member_view(filters, by: list[str] | tuple[str, ...] = ()) -> None:
    """Refuse a member's view outside the published table: one value or all in each filter, no size band.

    Several years are allowed only when the figures are broken down by year (a trend), never pooled.
    """
    for item in fields(filters):
        values = getattr(filters, item.name)
        if item.name in OFFICER_ONLY_FILTERS and values:
            raise DisclosureRefused("Board members see figures by sector, priority area, action, role, equality group and "
                                    "year. Size bands are for officers: with sectors they would show groups too small to publish.")
        if item.name == "years" and "reporting_year" in by:
            continue
        if len(values) > 1:
            raise DisclosureRefused("Board members choose one value, or all, in each filter: comparing several chosen "
                                    "together against all could give away the figures of a small group.")
    if any(d in OFFICER_ONLY_DIMENSIONS for d in by):
        raise DisclosureRefused("Board members do not see figures by size band.")


def member_filters(filters):
    """The filters a member's view may use: the first value of each, and no size band (see `check_member_view`)."""
    values = {item.name: tuple(getattr(filters, item.name))[:1] for item in fields(filters)}
    for name in OFFICER_ONLY_FILTERS:
        values[name] = ()
    return type(filters)(**values)


def _lines(frame: pd.DataFrame, lines: list[list[str]]) -> list[np.ndarray]:
    """Each line as the positions of its cells: cells sharing the values of the line's context columns."""
    found = []
    for context in lines:
        if not context:
            found.append(np.arange(len(frame)))
            continue
        codes, _ = pd.factorize(_joined(frame, context))  # numbered in order of first appearance
        positions = np.argsort(codes, kind="stable")
        found += np.split(positions, np.flatnonzero(np.diff(codes[positions])) + 1)
    return [line for line in found if len(line) > 1]


def _joined(frame: pd.DataFrame, columns: list[str]) -> pd.Series:
    """Each row's values of `columns` as one text, to group or order rows by (column by column, not row by row)."""
    if len(columns) == 1:
        return frame[columns[0]].astype(str)
    parts = [frame[column].astype(str).tolist() for column in columns]
    return pd.Series(["\x1f".join(values) for values in zip(*parts)], index=frame.index, dtype=object)


def _exposed(hidden: np.ndarray, lines: list[np.ndarray]) -> list[np.ndarray]:
    return [line for line in lines if hidden[line].sum() == 1]


def complementary(counts: np.ndarray, primary: np.ndarray, lines: list[np.ndarray], order: np.ndarray | None = None) -> np.ndarray:
    """The fewest further cells to hide so that no line holds exactly one hidden cell; among equals, the smallest.

    `counts` are the organisations of each cell (cells of no organisations are never chosen: there is nothing
    to hide in them, and they are known to be empty). `order` breaks ties, so that the same line gives the same
    answer in every view.
    """
    hidden = primary.copy()
    if not _exposed(hidden, lines):
        return np.zeros_like(primary)
    order = np.arange(len(counts)) if order is None else order
    candidates = [i for i in np.lexsort((order, counts)) if not hidden[i] and counts[i] > 0]
    disjoint = len(np.concatenate(lines)) == len(np.unique(np.concatenate(lines)))
    if disjoint:
        # Lines that share no cell are independent: in each exposed line its smallest other cell is the best choice.
        for line in _exposed(hidden, lines):
            members = set(line)
            others = [i for i in candidates if i in members]
            if others:
                hidden[others[0]] = True
        return hidden & ~primary
    if len(counts) <= EXACT_SEARCH_CELLS:
        for size in range(1, len(candidates) + 1):
            best = None
            for chosen in combinations(candidates, size):
                trial = hidden.copy()
                trial[list(chosen)] = True
                if not _exposed(trial, lines):
                    weight = counts[list(chosen)].sum()
                    if best is None or weight < best[0]:
                        best = (weight, trial)
            if best is not None:
                return best[1] & ~primary
    # Large crossing tables: hide, in turn, the cell that closes the most exposed lines (smallest first).
    while exposed := _exposed(hidden, lines):
        members = [set(line) for line in exposed]
        scores = {i: sum(i in line for line in members) for i in candidates if not hidden[i]}
        if not scores or max(scores.values()) == 0:
            break
        top = max(scores.values())
        hidden[next(i for i in candidates if scores.get(i) == top)] = True
    return hidden & ~primary


def suppress(frame: pd.DataFrame, threshold: int, hide: list[str], lines: list[list[str]] = (), count: str = "organisations",
             hide_count: bool = True, tie: list[str] | None = None) -> pd.DataFrame:
    """Hide the figures of cells under the threshold, and the fewest others that protect them along `lines`.

    `lines` name, for each family of additive lines, the columns its cells share (`[]`: the whole table is one
    line). `suppression` says why a cell is hidden (`primary`, `secondary`); `suppressed` whether it is. With
    `hide_count`, a hidden cell's count of organisations is hidden too: a member sees a count only beside a
    figure that is shown. `tie` orders cells of equal size the same way in every view.
    """
    frame = frame.reset_index(drop=True)
    reasons = np.full(len(frame), None, dtype=object)
    if threshold <= 0 or frame.empty:
        return _with(frame, {"suppression": pd.Series(reasons, dtype=object), "suppressed": np.zeros(len(frame), dtype=bool)})
    # In numpy, not pandas: a table has tens of cells, and pandas' per-operation cost was most of a figure's time.
    order = _joined(frame, tie).rank(method="first").to_numpy() if tie else None
    primary, secondary = _protect(frame[count], threshold, _lines(frame, list(lines)), order)
    reasons[primary] = PRIMARY
    reasons[secondary] = SECONDARY
    hidden = primary | secondary
    changed = {"suppression": pd.Series(reasons, dtype=object), "suppressed": hidden}
    for column in list(hide) + ([count] if hide_count and count not in hide else []):
        changed[column] = _blanked(frame[column], hidden)
    return _with(frame, changed)


def _with(frame: pd.DataFrame, changed: dict) -> pd.DataFrame:
    """A new frame: `frame`'s columns in their places, those in `changed` replaced, the rest of `changed` after them.
    Built at once: adding columns one by one to a small frame cost a tenth of a millisecond each."""
    columns = {name: frame[name] for name in frame.columns}
    columns.update(changed)
    return pd.DataFrame(columns, index=frame.index)


def _protect(count: pd.Series, threshold: int, lines: list[np.ndarray], order: np.ndarray | None) -> tuple[np.ndarray, np.ndarray]:
    """The cells hidden for being too small (primary) and those hidden to protect them (secondary)."""
    counts = count.to_numpy(dtype=float, na_value=np.nan)
    counts = np.where(np.isnan(counts), 0.0, counts)
    primary = (counts > 0) & (counts < threshold)
    return primary, complementary(counts, primary, lines, order)


def _blanked(column: pd.Series, hidden: np.ndarray) -> np.ndarray:
    values = column.to_numpy(dtype=float, na_value=np.nan, copy=True)
    values[hidden] = np.nan
    return values


def suppress_counts(frame: pd.DataFrame, threshold: int, columns: list[str], lines: list[list[str]] = (),
                    tie: list[str] | None = None) -> pd.DataFrame:
    """Counts of organisations that are themselves the figure (returning, new, lapsed, asking): each column is
    protected on its own, with its own lines, and a hidden count is left blank. `suppression_<column>` says why
    each count is hidden; `suppression` gives each row's strongest reason: a count too small, or else a count
    hidden to protect another."""
    frame = frame.reset_index(drop=True)
    if threshold <= 0 or frame.empty:
        return frame.copy()
    # The lines and the order of ties are the same for every column: worked out once.
    found = _lines(frame, list(lines))
    order = _joined(frame, tie).rank(method="first").to_numpy() if tie else None
    reasons = np.full(len(frame), None, dtype=object)
    changed = {}
    for column in columns:
        primary, secondary = _protect(frame[column], threshold, found, order)
        said = np.full(len(frame), None, dtype=object)
        said[primary] = PRIMARY
        said[secondary] = SECONDARY
        changed[column] = _blanked(frame[column], primary | secondary)
        changed[f"suppression_{column}"] = pd.Series(said, dtype=object)
        # A row's reason is its strongest: a count too small, else a count hidden to protect another.
        stronger = (reasons != PRIMARY) & pd.notna(said)
        reasons[stronger] = said[stronger]
    changed["suppression"] = pd.Series(reasons, dtype=object)
    changed["suppressed"] = pd.notna(reasons)
    return _with(frame, changed)


def pick(frame: pd.DataFrame, column: str, values: tuple) -> pd.DataFrame:
    """The chosen values' rows of a frame computed over all of them (see the module's note), without the column."""
    return frame[frame[column].isin(values)].drop(columns=column).reset_index(drop=True)
