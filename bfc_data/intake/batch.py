"""An officer's batch of uploaded files: checked first, shown, then loaded on confirmation.

Each file is validated and its effect planned ("replaces ORG-0042's 2024-25 return loaded on …")
before anything is stored. Loading takes only the files that passed, each whole or not at all.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from bfc_data.access import Viewer, require_officer
from bfc_data.intake.problems import problems_frame, summarise
from bfc_data.intake.validation import ValidatedFile, validate_bytes
from bfc_data.store import LoadOutcome, Store, load_validated


@dataclass
class CheckedFile:
    name: str
    data: bytes
    validated: ValidatedFile
    load_plan: list[str]
    refusal: LoadOutcome | None = None  # a rejected file's entry in the load register, made when it was checked

    @property
    def loadable(self) -> bool:
        """Passed its checks and would change something (not all of it already received)."""
        if not self.validated.ok:
            return False
        return not self.load_plan or any(not line.endswith("nothing changes") for line in self.load_plan)


def check_files(store: Store, files: list[tuple[str, bytes]], viewer: Viewer) -> list[CheckedFile]:
    """Check each file and plan its effect. A rejected file is entered in the load register now, whether or not
    anything is loaded afterwards."""
    require_officer(viewer, "load returns")
    checked = []
    for name, data in files:
        validated = validate_bytes(name, data, store.fw)
        checked.append(CheckedFile(name, data, validated, store.load_plan(validated) if validated.ok else []))
    rejected = [item for item in checked if not item.validated.ok]
    for item, outcome in zip(rejected, store.record_refused([item.validated for item in rejected], viewer)):
        item.refusal = outcome
    return checked


def batch_overview(checked: list[CheckedFile]) -> pd.DataFrame:
    """One row per file: what it is, its outcome, counts, and what loading it would do."""
    rows = []
    for item in checked:
        v = item.validated
        rows.append({"File": item.name, "Kind of file": v.file_kind or "not recognised", "Outcome": v.outcome,
                     "Rows read": v.rows_read, "Errors": len(v.errors), "Warnings": len(v.warnings),
                     "Returns": len(v.submissions) or (1 if (v.events or v.attendance) else 0),
                     "What loading does": "nothing: the file is rejected" if not v.ok else "; ".join(item.load_plan) or _other_effect(v)})
    return pd.DataFrame(rows, columns=["File", "Kind of file", "Outcome", "Rows read", "Errors", "Warnings", "Returns",
                                       "What loading does"])


def _other_effect(validated: ValidatedFile) -> str:
    if validated.organisation_register:
        return f"updates {len(validated.organisation_register)} organisations in the register"
    if validated.events:
        return f"adds or updates {len(validated.events)} learning events"
    if validated.attendance:
        return f"adds or updates {len(validated.attendance)} attendance records"
    return "nothing"


def problem_report(checked: list[CheckedFile]) -> pd.DataFrame:
    """Every problem of every file, for the partner: file, sheet, row, column, value, what was expected."""
    frames = [problems_frame(item.validated.problems) for item in checked if item.validated.problems]
    if not frames:
        return problems_frame([])
    report = pd.concat(frames, ignore_index=True)
    # Headings in plain words: the report goes back to the partner as it is.
    return report.drop(columns=["kind"]).rename(columns={
        "severity": "Severity", "title": "Problem", "file": "File", "sheet": "Sheet", "row": "Row", "column": "Column",
        "value": "Value", "expected": "Expected", "detail": "Detail", "message": "Message"})


def problem_summary(item: CheckedFile) -> pd.DataFrame:
    """One row per kind of problem in the file, most frequent first, with plain headings for the page."""
    return summarise(item.validated.problems).rename(columns={
        "severity": "Severity", "title": "Problem", "count": "How many", "what to do": "What to do", "examples": "Examples"})


def load_checked(store: Store, checked: list[CheckedFile], viewer: Viewer, progress=None, batch: int = 25) -> list[LoadOutcome]:
    """Load the checked files through the one load path (`store.load_validated`), each whole or not at all (the
    rejected ones were recorded when checked). Batches are small enough for the page's progress bar to move."""
    require_officer(viewer, "load returns")
    passed = [item for item in checked if item.refusal is None]
    loaded = iter(load_validated(store, [(item.validated, item.data) for item in passed], viewer, progress, batch))
    return [item.refusal if item.refusal is not None else next(loaded) for item in checked]


def outcomes_table(outcomes: list[LoadOutcome]) -> pd.DataFrame:
    """What happened to each file on loading, in words."""
    return pd.DataFrame([{"File": o.file, "Outcome": o.outcome, "New returns": len(o.new_submissions),
                          "Already received": len(o.unchanged), "Replaced": "; ".join(o.replaced),
                          "Note": o.failure or ""} for o in outcomes])
