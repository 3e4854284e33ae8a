"""Problems found in a file, said in words an officer can send back to the partner.

Errors block the file; warnings are listed and the file still loads. Problems are
grouped by kind, each kind with a plain title, what to do, a count and examples.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass

import pandas as pd

ERROR = "error"
WARNING = "warning"

# kind -> (severity, title, what the partner should do)
KINDS: dict[str, tuple[str, str, str]] = {
    "file_refused": (ERROR, "File refused before reading", "Send the return again as a plain .xlsx or .csv file."),
    "not_a_return": (ERROR, "Not a BFC return", "Use the BFC return template, or the column names of the bulk CSV returns."),
    "missing_sheet": (ERROR, "Sheet missing", "Add the sheet, named as in the template."),
    "missing_column": (ERROR, "Column missing", "Add the column, headed as in the template."),
    "missing_value": (ERROR, "Required value missing", "Fill in the cell."),
    "unknown_code": (ERROR, "Value not recognised", "Choose one of the values listed in the template's drop-down."),
    "out_of_range": (ERROR, "Value outside the allowed range", "Check the figure; it is outside what the measure allows."),
    "bad_year": (ERROR, "Reporting year not readable", "Write the financial year as 2024-25."),
    "bad_number": (ERROR, "Not a number", "Write a plain number, such as 42 or 12.5."),
    "bad_date": (ERROR, "Date not readable", "Write the date as 2024-03-14 or 14/03/2024."),
    "duplicate_row": (ERROR, "Row repeated", "Keep one of the rows, or make them differ."),
    "conflicting_details": (ERROR, "Details disagree within the file", "Make the organisation's details the same on every row."),
    "no_records": (ERROR, "Nothing to load", "Fill in at least one row under the headings."),
    "extra_column": (WARNING, "Extra column kept as notes", "No action needed; the column is kept with each row as a note."),
    "variant_normalised": (WARNING, "Value read as its standard form", "No action needed; next time use the standard wording."),
    "blank_word": (WARNING, "Value read as blank", "No action needed; a blank cell means the same."),
    "no_all_londoners": (WARNING, "Action without an 'All Londoners' row", "Add an 'All Londoners' row for each action you take part in."),
    "missing_optional": (WARNING, "Optional detail missing", "Fill it in next time if you can."),
    "unusual_code": (WARNING, "Organisation code in an unusual form", "Check the code the GLA gave you (ORG-0000)."),
    "percent_fraction": (WARNING, "Fraction read as a percentage", "Check the figure: a cell formatted as a percentage was read as such."),
    "no_levels": (WARNING, "No maturity levels given", "If the organisation takes part in an action, give its level."),
    "ignored_value": (WARNING, "Value ignored", "No action needed."),
    "invisible_characters": (WARNING, "Invisible characters removed from a code",
                             "No action needed; they were taken out so the value matches. Retype the cell next time."),
    "control_characters": (WARNING, "Hidden control characters in text",
                           "Check the cell: it holds characters that do not show, or that turn text's direction round."),
}
# Looked up for every problem of every file a load registers (tens of thousands in a large batch), so worked out once.
ERROR_KINDS = frozenset(kind for kind, (severity, _, _) in KINDS.items() if severity == ERROR)
WARNING_KINDS = frozenset(kind for kind, (severity, _, _) in KINDS.items() if severity == WARNING)
_SAID_TITLES = {kind: title.lower() for kind, (_, title, _) in KINDS.items()}


@dataclass(frozen=True)
class Problem:
    kind: str
    file: str
    sheet: str | None = None
    row: int | None = None
    column: str | None = None
    value: str | None = None
    expected: str | None = None
    detail: str | None = None

    @property
    def severity(self) -> str:
        return KINDS[self.kind][0]

    @property
    def title(self) -> str:
        return KINDS[self.kind][1]

    @property
    def where(self) -> str:
        said = self.file
        if self.sheet:
            said += f", sheet '{self.sheet}'"
        if self.row:
            said += f", row {self.row}"
        if self.column:
            said += f", column '{self.column}'"
        return said

    @property
    def message(self) -> str:
        """One sentence: where, what was found, what was expected."""
        said = f"{self.where}: {_SAID_TITLES[self.kind]}"
        if self.value is not None and self.value != "":
            said += f": found '{self.value}'"
        elif self.kind == "missing_value" and self.row is not None:
            said += ": the cell is blank"
        if self.expected:
            said += f"; expected {self.expected}"
        if self.detail:
            said += f" ({self.detail})"
        return said + "."

    def as_dict(self) -> dict:
        return {"severity": self.severity, "kind": self.kind, "title": self.title, **asdict(self),
                "message": self.message}


class RefusedFile(Exception):
    """A file that cannot be read at all; carries the one problem that says why."""

    def __init__(self, problem: Problem):
        super().__init__(problem.message)
        self.problem = problem


def has_errors(problems: list[Problem]) -> bool:
    return any(p.kind in ERROR_KINDS for p in problems)


def problems_frame(problems: list[Problem]) -> pd.DataFrame:
    """Every problem as a row, errors first, in file order: the report sent back to a partner."""
    columns = ["severity", "title", "file", "sheet", "row", "column", "value", "expected", "detail", "message", "kind"]
    if not problems:
        return pd.DataFrame(columns=columns)
    frame = pd.DataFrame([p.as_dict() for p in problems])[columns]
    frame["row"] = frame["row"].astype("Int64")
    order = frame["severity"].map({ERROR: 0, WARNING: 1})
    return frame.assign(_o=order).sort_values(["_o", "file", "sheet", "row"], kind="stable", na_position="first").drop(columns="_o").reset_index(drop=True)


def summarise(problems: list[Problem], examples: int = 3) -> pd.DataFrame:
    """One row per kind: severity, title, what to do, count, and the first few places."""
    counts = Counter(p.kind for p in problems)
    rows = []
    for kind, count in counts.items():
        severity, title, advice = KINDS[kind]
        first = [p for p in problems if p.kind == kind][:examples]
        rows.append({
            "severity": severity, "title": title, "count": count, "what to do": advice,
            "examples": " | ".join(p.message for p in first),
        })
    frame = pd.DataFrame(rows, columns=["severity", "title", "count", "what to do", "examples"])
    # Errors before warnings; within each, the most frequent kind first (what to fix first). Stable: ties keep file order.
    order = frame["severity"].map({ERROR: 0, WARNING: 1})
    return frame.assign(_order=order).sort_values(["_order", "count"], ascending=[True, False], kind="stable") \
        .drop(columns="_order").reset_index(drop=True)
