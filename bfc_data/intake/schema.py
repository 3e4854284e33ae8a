"""The return schema: the columns of each kind of file, and how a file's kind is told from its headers.

The names here are the ones used in the database and on screen. Column titles as
they appear in the Excel template are `title`; in the CSV returns, `name`.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from bfc_data.reference.framework import key

EXCEL_RETURN = "Excel return"
MATURITY_CSV = "maturity CSV"
METRICS_CSV = "metrics CSV"
EVENTS_CSV = "learning events CSV"
ATTENDANCE_CSV = "attendance CSV"
REGISTER_CSV = "organisation register CSV"


@dataclass(frozen=True)
class Column:
    name: str  # database and CSV name
    title: str  # Excel header
    required: bool = False
    aliases: tuple[str, ...] = ()

    def keys(self) -> frozenset[str]:
        return _keys(self)


@lru_cache(maxsize=None)
def _keys(column: Column) -> frozenset[str]:
    return frozenset({key(column.name), key(column.title), *(key(a) for a in column.aliases)})


def _c(name, title, required=False, *aliases):
    return Column(name, title, required, tuple(aliases))


ORG_CODE = _c("organisation_code", "Organisation code", True, "organization code", "org code", "gla code", "code")
ORG_NAME = _c("organisation_name", "Organisation name", True, "organization name", "org name", "name", "organisation", "organization")
SECTOR = _c("sector", "Sector", True)
YEAR = _c("reporting_year", "Reporting year", True, "year", "financial year", "reporting period")
ACTION = _c("action", "Action", True, "action code")
ROLE = _c("role", "Role", True)
GROUP = _c("equality_group", "Equality group", True, "group", "protected characteristic", "characteristic")
INTERSECTING = _c("intersecting_group", "Intersecting group", False, "intersectional group", "second group", "intersecting characteristic")
LEVEL = _c("maturity_level", "Maturity level", True, "level", "maturity", "rating", "self assessment")
EVIDENCE = _c("evidence", "Evidence")
NEXT_STEP = _c("next_step", "Next step", False, "next steps")
SUPPORT = _c("support_wanted", "Support wanted", False, "support needed", "learning support wanted")
METRIC = _c("metric", "Metric", True, "metric code", "indicator", "measure")
VALUE = _c("value", "Value", True, "figure")
NOTES = _c("notes", "Notes", False, "note", "comments", "comment")

# On the Excel Maturity sheet the level may be blank, so it is not a required *column value*.
MATURITY_SHEET = (ACTION, ROLE, GROUP, INTERSECTING, _c("maturity_level", "Maturity level", False, *LEVEL.aliases),
                  EVIDENCE, NEXT_STEP, SUPPORT)
METRICS_SHEET = (METRIC, _c("equality_group", "Equality group", False, *GROUP.aliases), VALUE, NOTES)

# Label/value rows of the Organisation sheet.
ORGANISATION_FIELDS = (
    ORG_NAME,
    ORG_CODE,
    SECTOR,
    _c("size_band", "Size band", False, "size", "number of staff", "staff numbers", "employees"),
    _c("borough", "Borough", False, "borough or london-wide", "location", "area"),
    YEAR,
    _c("contact_name", "Contact name", False, "contact"),
    _c("contact_email", "Contact email", False, "email", "e-mail", "contact e-mail"),
)

CSV_KINDS: dict[str, tuple[Column, ...]] = {
    MATURITY_CSV: (ORG_CODE, ORG_NAME, SECTOR, YEAR, ACTION, ROLE, GROUP, INTERSECTING, LEVEL, EVIDENCE, NEXT_STEP, SUPPORT),
    METRICS_CSV: (ORG_CODE, YEAR, METRIC, METRICS_SHEET[1], VALUE, NOTES),
    EVENTS_CSV: (
        _c("event_id", "Event ID", True, "event"), _c("date", "Date", True, "event date"),
        _c("learning_format", "Learning format", True, "format"), _c("priority_area", "Priority area", True),
        _c("title", "Title", False, "event title"), _c("delivery", "Delivery", False, "delivery mode", "mode"),
    ),
    ATTENDANCE_CSV: (
        _c("event_id", "Event ID", True, "event"), ORG_CODE, _c("attendees", "Attendees", False, "people", "number attending"),
        _c("pitched_right", "Pitched right", False), _c("will_use", "Will use", False),
        _c("more_support", "More support", False, "more support wanted", "further support"),
    ),
    # An extension of the contract: the GLA's own list of partner organisations, with whom to contact.
    REGISTER_CSV: (
        ORG_CODE, ORG_NAME, SECTOR, ORGANISATION_FIELDS[3], ORGANISATION_FIELDS[4], ORGANISATION_FIELDS[6], ORGANISATION_FIELDS[7],
    ),
}

# Columns that only one kind has: they break ties when telling kinds apart.
_TELLING = {
    MATURITY_CSV: {"action", "maturity_level", "role"},
    METRICS_CSV: {"metric", "value"},
    EVENTS_CSV: {"date", "learning_format", "priority_area"},
    ATTENDANCE_CSV: {"attendees", "pitched_right", "will_use", "more_support"},
    REGISTER_CSV: {"contact_email", "contact_name", "size_band", "borough"},
}


def match_headers(headers: list[str], columns: tuple[Column, ...]) -> tuple[dict[int, Column], list[int]]:
    """Which header position is which column, and the positions of headers that are no column."""
    by_key: dict[str, Column] = {}
    for column in columns:
        for k in column.keys():
            by_key.setdefault(k, column)
    found: dict[int, Column] = {}
    extra: list[int] = []
    taken: set[str] = set()
    # Exact names first, so that a 'name' alias never steals a column an exact header claims.
    exact = {key(c.name): c for c in columns} | {key(c.title): c for c in columns}
    for position, header in enumerate(headers):
        column = exact.get(key(header))
        if column and column.name not in taken:
            found[position] = column
            taken.add(column.name)
    for position, header in enumerate(headers):
        if position in found or not key(header):
            continue
        column = by_key.get(key(header))
        if column and column.name not in taken:
            found[position] = column
            taken.add(column.name)
        else:
            extra.append(position)
    return found, extra


def tell_csv_kind(headers: list[str]) -> tuple[str | None, int]:
    """The CSV kind whose columns the headers fit best, and how many required columns are missing."""
    best, best_score, best_missing = None, 0, 0
    for kind, columns in CSV_KINDS.items():
        found, _ = match_headers(headers, columns)
        names = {c.name for c in found.values()}
        required = [c for c in columns if c.required]
        present = sum(c.name in names for c in required)
        telling = len(_TELLING[kind] & names)
        if telling == 0:
            continue
        score = present * 10 + telling * 3 + len(names) - (len(required) - present) * 5
        if score > best_score:
            best, best_score, best_missing = kind, score, len(required) - present
    if best is None or best_score < 20:
        return None, 0
    return best, best_missing
