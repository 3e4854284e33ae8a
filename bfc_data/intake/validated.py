"""What checking a file gives: the submissions it carries (one per organisation and reporting year), its
learning and register rows, and every problem found, each with its place and reason."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from bfc_data.intake.fingerprints import canonical_rows, fingerprint
from bfc_data.intake.problems import ERROR_KINDS, WARNING_KINDS, Problem, has_errors

ORGANISATION_DETAILS = ("organisation_name", "sector", "size_band", "borough", "contact_name", "contact_email")


class ColumnRows(Sequence):
    """A part's rows (dicts with the same keys, as `return_rows` builds them) held as one list per column: the same
    rows when read (`list(rows)`, `rows[i]`), at a fraction of the cost to send between processes, and ready for
    the store's column-wise insert. A worker checking files sends its submissions' rows back this way."""

    __slots__ = ("keys", "columns")

    def __init__(self, rows: list[dict]):
        self.keys = tuple(rows[0]) if rows else ()
        self.columns = [[row[key] for row in rows] for key in self.keys]

    def __len__(self) -> int:
        return len(self.columns[0]) if self.columns else 0

    def __getitem__(self, index):
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        return dict(zip(self.keys, (column[index] for column in self.columns)))

    def __iter__(self):
        for values in zip(*self.columns):
            yield dict(zip(self.keys, values))

    def __eq__(self, other) -> bool:
        return isinstance(other, Sequence) and list(self) == list(other)

    def __repr__(self) -> str:
        return f"ColumnRows({list(self)!r})"

    def column(self, key: str) -> list:
        return self.columns[self.keys.index(key)]


@dataclass
class Submission:
    """One organisation's return for one reporting year, as a file carries it."""

    organisation_code: str
    reporting_year: int
    details: dict = field(default_factory=dict)  # organisation_name, sector, size_band, ...
    maturity: list[dict] | None = None  # None: the file does not carry the maturity part
    metrics: list[dict] | None = None
    _fingerprint: str | None = field(default=None, repr=False, compare=False)

    def by_column(self) -> None:
        """Hold the rows by column (`ColumnRows`), to be sent to another process."""
        for part in ("maturity", "metrics"):
            rows = getattr(self, part)
            if rows and not isinstance(rows, ColumnRows):
                keys = tuple(rows[0])
                if all(tuple(row) == keys for row in rows):  # rows of other shapes are sent as they are
                    setattr(self, part, ColumnRows(rows))

    def fingerprint(self) -> str:
        """A hash of what was said, not of the bytes: the same return saved again is the same content."""
        if self._fingerprint is None:
            self._fingerprint = self._content_hash()
        return self._fingerprint

    def _content_hash(self) -> str:
        def rows(part):
            return None if part is None else canonical_rows(part)
        return fingerprint({"organisation_code": self.organisation_code, "reporting_year": self.reporting_year,
                            "details": self.details, "maturity": rows(self.maturity), "metrics": rows(self.metrics)})


@dataclass
class ValidatedFile:
    file: str
    file_kind: str | None  # Excel return, maturity CSV, … (bfc_data.intake.schema)
    sha256: str
    size_bytes: int
    problems: list[Problem] = field(default_factory=list)
    submissions: list[Submission] = field(default_factory=list)
    events: list[dict] = field(default_factory=list)
    attendance: list[dict] = field(default_factory=list)
    organisation_register: list[dict] = field(default_factory=list)
    rows_read: int = 0

    @property
    def ok(self) -> bool:
        return not has_errors(self.problems)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.kind in ERROR_KINDS]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.kind in WARNING_KINDS]

    @property
    def outcome(self) -> str:
        if not self.ok:
            return "rejected"
        return "accepted with warnings" if self.warnings else "accepted"
