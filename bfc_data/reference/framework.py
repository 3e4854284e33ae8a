"""The BFC reference framework, read from the editable CSV files in `reference/`.

Officers change titles, variants or the metrics catalogue by editing those files;
no code changes. Loading checks the files against each other and refuses with a
message that names the file, the row and what is wrong.
"""

from __future__ import annotations

import csv
import os
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

REFERENCE_DIR = Path(__file__).parent  # the reference files sit beside the code that reads them

ALL_LONDONERS = "All Londoners"


class ReferenceError(ValueError):
    """The reference files contradict themselves or cannot be read."""


def key(value: object) -> str:
    """The matching key of a coded value: case, spacing and punctuation do not count, nor full-width forms."""
    text = str(value)
    if not text.isascii():  # 'ＨＥＡＬＴＨ' is 'HEALTH'; ASCII, nearly every cell, skips the normalising
        text = unicodedata.normalize("NFKC", text)
    text = text.strip().lower().replace("&", "and")
    return re.sub(r"[^0-9a-z]+", "", text)


@dataclass(frozen=True)
class Vocabulary:
    """A list of canonical values with their accepted variants."""

    name: str
    values: tuple[str, ...]
    variants: dict[str, str] = field(default_factory=dict)  # key -> canonical

    def __post_init__(self):
        object.__setattr__(self, "_canonical", {key(c): c for c in self.values})

    def match(self, value: object) -> tuple[str, bool] | None:
        """(canonical value, True when it came from a variant) or None when unknown."""
        k = key(value)
        if not k:
            return None
        if k in self._canonical:
            return self._canonical[k], False
        if k in self.variants:
            return self.variants[k], True
        return None

    def __contains__(self, value: object) -> bool:
        return value in self.values


@dataclass(frozen=True)
class Action:
    action: str
    title: str
    priority_area: str
    working_title: bool
    short_title: str = ""  # for legends and axes: 'Living Wage'

    @property
    def number(self) -> int:
        return int(self.action[1:])


@dataclass(frozen=True)
class Metric:
    metric: str
    name: str
    priority_area: str
    unit: str
    better: str
    min_value: float
    max_value: float
    by_equality_group: bool


@dataclass(frozen=True)
class Framework:
    priority_areas: tuple[str, ...]
    priority_area_short: dict[str, str]
    actions: dict[str, Action]
    maturity_scale: dict[int, str]  # level -> label
    maturity_colours: dict[int, str]  # level -> "#RRGGBB", in the scale's order
    roles: Vocabulary
    equality_groups: Vocabulary
    equality_group_category: dict[str, str]  # Protected characteristic, Plan group or Cross-cutting
    focus_groups: dict[str, int]  # equality group -> first reporting year it is a focus
    sectors: Vocabulary
    year_two_sectors: tuple[str, ...]  # the sectors year two reaches out to (sectors.csv: year_two_target)
    learning_formats: Vocabulary
    size_bands: Vocabulary
    boroughs: Vocabulary
    metrics: dict[str, Metric]

    @property
    def levels(self) -> list[int]:
        return sorted(self.maturity_scale)

    @property
    def top_level(self) -> int:
        return max(self.maturity_scale)

    @property
    def scale_span(self) -> str:
        """'1–4': the scale's range as said on screen."""
        return f"{min(self.maturity_scale)}–{self.top_level}"

    @property
    def level_shares(self) -> list[str]:
        """The columns giving the share of organisations at each level: level_1, level_2, …"""
        return [f"level_{level}" for level in self.levels]

    @property
    def upper_levels(self) -> list[int]:
        """The upper half of the scale (3 and 4 of 4; 3, 4 and 5 of 5): 'at 3 Achieving or above'."""
        return [level for level in self.levels if level >= (self.top_level + 2) // 2]

    def level_name(self, level: int) -> str:
        """'3 Achieving', the form shown on screen and in the template."""
        return f"{level} {self.maturity_scale[level]}"

    def action_label(self, action: str) -> str:
        return f"{action} {self.actions[action].title}"

    def action_short(self, action: str) -> str:
        """'A1 Living Wage': the code and short title, for legends, axes and slide titles."""
        found = self.actions.get(action)
        return f"{action} {found.short_title}" if found else str(action)

    def focus_label(self, group: str, year: int) -> str:
        """'Age (focus group from 2024-25)' for a plan's focus group by that reporting year; the group's name otherwise."""
        first = self.focus_groups.get(group)
        if first is None or first > year:
            return group
        return f"{group} (focus group from {first}-{(first + 1) % 100:02d})"


def _read(directory: Path, name: str, required: list[str]) -> list[tuple[int, dict[str, str]]]:
    path = directory / name
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            missing = [c for c in required if c not in (reader.fieldnames or [])]
            if missing:
                raise ReferenceError(f"{path}: missing column(s) {', '.join(missing)}")
            rows = []
            for number, row in enumerate(reader, start=2):
                clean = {k: (v or "").strip() for k, v in row.items() if k is not None}
                if any(clean.values()):
                    rows.append((number, clean))
            return rows
    except FileNotFoundError:
        raise ReferenceError(f"reference file {path} is missing") from None


def _unique(rows, column: str, filename: str) -> list[str]:
    seen: dict[str, int] = {}
    values = []
    for number, row in rows:
        value = row[column]
        if not value:
            raise ReferenceError(f"{filename} row {number}: '{column}' is blank")
        if key(value) in seen:
            raise ReferenceError(
                f"{filename} row {number}: '{value}' repeats row {seen[key(value)]}; "
                f"each {column} must be listed once"
            )
        seen[key(value)] = number
        values.append(value)
    return values


def _vocabulary(directory: Path, filename: str, column: str) -> Vocabulary:
    rows = _read(directory, filename, [column, "variants"])
    values = _unique(rows, column, filename)
    canonical_keys = {key(v): v for v in values}
    variants: dict[str, str] = {}
    for number, row in rows:
        for variant in filter(None, (v.strip() for v in row["variants"].split("|"))):
            k = key(variant)
            owner = canonical_keys.get(k) or variants.get(k)
            if owner and owner != row[column]:
                raise ReferenceError(
                    f"{filename} row {number}: variant '{variant}' of '{row[column]}' "
                    f"already means '{owner}'"
                )
            variants[k] = row[column]
    return Vocabulary(column, tuple(values), variants)


def _number(text: str, filename: str, number: int, column: str) -> float:
    try:
        return float(text)
    except ValueError:
        raise ReferenceError(f"{filename} row {number}: '{column}' must be a number, not '{text}'") from None


def _yes(text: str, filename: str, number: int, column: str) -> bool:
    if key(text) in ("yes", "y", "true", "1"):
        return True
    if key(text) in ("no", "n", "false", "0", ""):
        return False
    raise ReferenceError(f"{filename} row {number}: '{column}' must be yes or no, not '{text}'")


def load_framework(directory: Path | str | None = None) -> Framework:
    """Read and check the reference files (default: `BFC_REFERENCE` or the bundled ones)."""
    directory = Path(directory or os.environ.get("BFC_REFERENCE") or REFERENCE_DIR)

    area_rows = _read(directory, "priority_areas.csv", ["priority_area", "short_name"])
    areas = _unique(area_rows, "priority_area", "priority_areas.csv")
    short = {row["priority_area"]: row["short_name"] or row["priority_area"] for _, row in area_rows}

    action_rows = _read(directory, "actions.csv", ["action", "title", "priority_area", "working_title"])
    _unique(action_rows, "action", "actions.csv")
    actions: dict[str, Action] = {}
    for number, row in action_rows:
        code = row["action"].upper()
        if not re.fullmatch(r"A[1-9][0-9]?", code):
            raise ReferenceError(f"actions.csv row {number}: action code '{row['action']}' must look like A1 … A99")
        if row["priority_area"] not in areas:
            raise ReferenceError(
                f"actions.csv row {number}: action {code} is in priority area '{row['priority_area']}', "
                f"which is not in priority_areas.csv ({'; '.join(areas)})"
            )
        if not row["title"]:
            raise ReferenceError(f"actions.csv row {number}: action {code} has no title")
        # A short title is optional: without one, the title's first words stand in.
        short_title = row.get("short_title") or " ".join(row["title"].split()[:4])
        actions[code] = Action(code, row["title"], row["priority_area"],
                               _yes(row["working_title"], "actions.csv", number, "working_title"), short_title)
    actions = dict(sorted(actions.items(), key=lambda item: item[1].number))

    scale_rows = _read(directory, "maturity_scale.csv", ["maturity_level", "label", "colour"])
    scale: dict[int, str] = {}
    colours: dict[int, str] = {}
    for number, row in scale_rows:
        level = int(_number(row["maturity_level"], "maturity_scale.csv", number, "maturity_level"))
        if level in scale or not row["label"]:
            raise ReferenceError(f"maturity_scale.csv row {number}: level {level} is repeated or has no label")
        if not re.fullmatch(r"#[0-9A-Fa-f]{6}", row["colour"]):
            raise ReferenceError(f"maturity_scale.csv row {number}: colour must be written #RRGGBB, not '{row['colour']}'")
        scale[level], colours[level] = row["label"], row["colour"].upper()
    if sorted(scale) != list(range(1, len(scale) + 1)) or len(scale) < 2:
        raise ReferenceError("maturity_scale.csv: levels must run 1, 2, 3 … without gaps")

    groups = _vocabulary(directory, "equality_groups.csv", "equality_group")
    if ALL_LONDONERS not in groups.values:
        raise ReferenceError(f"equality_groups.csv must list '{ALL_LONDONERS}' (the cross-cutting group)")
    categories = {row["equality_group"]: row.get("category", "") for _, row in _read(directory, "equality_groups.csv", ["equality_group"])}

    focus: dict[str, int] = {}
    for number, row in _read(directory, "focus_groups.csv", ["equality_group", "from_reporting_year"]):
        if row["equality_group"] not in groups.values:
            raise ReferenceError(f"focus_groups.csv row {number}: '{row['equality_group']}' is not in equality_groups.csv")
        focus[row["equality_group"]] = int(_number(row["from_reporting_year"], "focus_groups.csv", number, "from_reporting_year"))

    metrics: dict[str, Metric] = {}
    metric_rows = _read(directory, "metrics.csv", ["metric", "name", "priority_area", "unit", "better",
                                                   "min_value", "max_value", "by_equality_group"])
    _unique(metric_rows, "metric", "metrics.csv")
    _unique(metric_rows, "name", "metrics.csv")
    for number, row in metric_rows:
        if row["priority_area"] not in areas:
            raise ReferenceError(f"metrics.csv row {number}: priority area '{row['priority_area']}' is not in priority_areas.csv")
        if row["unit"] not in ("%", "£", "count", "yes/no"):
            raise ReferenceError(f"metrics.csv row {number}: unit must be %, £, count or yes/no, not '{row['unit']}'")
        if row["better"] not in ("higher", "lower"):
            raise ReferenceError(f"metrics.csv row {number}: better must be 'higher' or 'lower', not '{row['better']}'")
        low = _number(row["min_value"], "metrics.csv", number, "min_value")
        high = _number(row["max_value"], "metrics.csv", number, "max_value")
        if low > high:
            raise ReferenceError(f"metrics.csv row {number}: min_value {low:g} is above max_value {high:g}")
        code = row["metric"].upper()
        metrics[code] = Metric(code, row["name"], row["priority_area"], row["unit"], row["better"], low, high,
                               _yes(row["by_equality_group"], "metrics.csv", number, "by_equality_group"))

    boroughs = _read(directory, "boroughs.csv", ["borough"])
    return Framework(
        priority_areas=tuple(areas),
        priority_area_short=short,
        actions=actions,
        maturity_scale=scale,
        maturity_colours=dict(sorted(colours.items())),
        roles=_vocabulary(directory, "roles.csv", "role"),
        equality_groups=groups,
        equality_group_category=categories,
        focus_groups=focus,
        sectors=_vocabulary(directory, "sectors.csv", "sector"),
        year_two_sectors=tuple(row["sector"] for number, row in _read(directory, "sectors.csv", ["sector", "year_two_target"])
                               if _yes(row["year_two_target"], "sectors.csv", number, "year_two_target")),
        learning_formats=_vocabulary(directory, "learning_formats.csv", "learning_format"),
        size_bands=_vocabulary(directory, "size_bands.csv", "size_band"),
        boroughs=Vocabulary("borough", tuple(_unique(boroughs, "borough", "boroughs.csv"))),
        metrics=metrics,
    )


@lru_cache(maxsize=4)
def _cached(directory: str) -> Framework:
    return load_framework(directory)


def framework() -> Framework:
    """The framework in force, read once per process per reference folder."""
    return _cached(str(os.environ.get("BFC_REFERENCE") or REFERENCE_DIR))
