"""Checking a read file against the return contract and the reference framework.

The result is a `ValidatedFile`: the submissions it carries (one per organisation and
reporting year), learning rows, and every problem with file, sheet, row, column,
value and what was expected. Nothing here touches the store.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from bfc_data.intake import values as v
from bfc_data.intake.fingerprints import canonical_rows, fingerprint
from bfc_data.reference.framework import ALL_LONDONERS, Framework, Vocabulary, framework, key
from bfc_data.intake.problems import Problem, RefusedFile, has_errors
from bfc_data.intake.reading import Sheet, Workbook, read
from bfc_data.intake.safety import Limits
from bfc_data.intake.schema import (ATTENDANCE_CSV, CSV_KINDS, EVENTS_CSV, EXCEL_RETURN, MATURITY_CSV, MATURITY_SHEET,
                     METRICS_CSV, METRICS_SHEET, ORGANISATION_FIELDS, Column, match_headers, tell_csv_kind)

ORGANISATION_DETAILS = ("organisation_name", "sector", "size_band", "borough", "contact_name", "contact_email")
DELIVERY_MODES = {"inperson": "In person", "facetoface": "In person", "online": "Online", "virtual": "Online",
                  "remote": "Online", "hybrid": "Hybrid", "blended": "Hybrid"}


@dataclass
class Submission:
    """One organisation's return for one reporting year, as a file carries it."""

    organisation_code: str
    reporting_year: int
    details: dict = field(default_factory=dict)  # organisation_name, sector, size_band, ...
    maturity: list[dict] | None = None  # None: the file does not carry the maturity part
    metrics: list[dict] | None = None
    _fingerprint: str | None = field(default=None, repr=False, compare=False)

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
    kind: str | None
    sha256: str
    size_bytes: int
    problems: list[Problem] = field(default_factory=list)
    submissions: list[Submission] = field(default_factory=list)
    events: list[dict] = field(default_factory=list)
    attendance: list[dict] = field(default_factory=list)
    register: list[dict] = field(default_factory=list)
    rows_read: int = 0

    @property
    def ok(self) -> bool:
        return not has_errors(self.problems)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "warning"]

    @property
    def outcome(self) -> str:
        if not self.ok:
            return "rejected"
        return "accepted with warnings" if self.warnings else "accepted"


class _Cells:
    """Reads the cells of one sheet, recording every problem against its place."""

    def __init__(self, file: str, sheet: str | None, fw: Framework, problems: list[Problem]):
        self.file, self.sheet, self.fw, self.problems = file, sheet, fw, problems

    def add(self, kind, row=None, column=None, value=None, expected=None, detail=None):
        self.problems.append(Problem(kind, self.file, self.sheet, row, column,
                                     None if value is None else v.text(value), expected, detail))

    def required(self, row, column, raw) -> str | None:
        if v.is_blank(raw):
            self.add("missing_value", row, column, raw if v.text(raw) else None, "a value; this column is required")
            return None
        return v.text(raw)

    def parse(self, row, column, raw, parser, *args):
        try:
            return parser(raw, *args)
        except v.BadValue as bad:
            self.add(bad.kind, row, column, raw, bad.expected)
            return None

    def coded(self, row, column, raw, vocabulary: Vocabulary, what: str, required=True) -> str | None:
        if v.is_blank(raw):
            if required:
                self.add("missing_value", row, column, raw if v.text(raw) else None, f"{what}; this column is required")
            elif v.text(raw):
                self.add("blank_word", row, column, raw)
            return None
        found = vocabulary.match(raw)
        if found is None:
            self.add("unknown_code", row, column, raw, f"{what}: {'; '.join(vocabulary.values)}")
            return None
        canonical, via_variant = found
        if via_variant:
            self.add("variant_normalised", row, column, raw, None, f"read as '{canonical}'")
        return canonical

    def equality_group(self, row, column, raw, context: str = "", required=True) -> str | None:
        # The contract: "LGBTQI+" means Sexual orientation unless the row names gender reassignment.
        if ("lgbt" in key(raw) and self.fw.equality_groups.match(raw) == ("Sexual orientation", True)
                and re.search(r"gender\s+reassignment|\btrans\b", context, re.I)):
            self.add("variant_normalised", row, column, raw, None, "read as 'Gender reassignment', which the row names")
            return "Gender reassignment"
        return self.coded(row, column, raw, self.fw.equality_groups, "an equality group", required)

    def optional_text(self, raw) -> str | None:
        t = v.text(raw)
        return t or None


def _columns(cells: _Cells, sheet: Sheet, columns: tuple[Column, ...]):
    """Map the header; report missing required columns and extra ones. None when the sheet cannot be read on."""
    header_row, headers = sheet.header()
    found, extra = match_headers(headers, columns)
    names = {c.name for c in found.values()}
    missing = [c for c in columns if c.required and c.name not in names]
    for column in missing:
        label = column.title if cells.sheet else column.name
        cells.add("missing_column", header_row, label, None, f"a column headed '{label}'")
    for position in extra:
        cells.add("extra_column", header_row, headers[position], None, None, "kept with each row as a note")
    return (None if missing else found), headers, extra


def _records(sheet: Sheet, found: dict[int, Column], headers: list[str], extra: list[int]):
    """(row number, {column name: raw cell}, {extra header: text}) for each data row."""
    for number, cells in sheet.rows[1:]:
        record = {column.name: (cells[i] if i < len(cells) else None) for i, column in found.items()}
        extras = {headers[i]: v.text(cells[i]) for i in extra if i < len(cells) and v.text(cells[i])}
        yield number, record, extras


def _extra(extras: dict) -> str | None:
    """Extra columns are kept with their row, as JSON {header: value}."""
    return json.dumps(extras, ensure_ascii=False) if extras else None


def _header_names(found: dict[int, Column], headers: list[str]) -> dict[str, str]:
    """Column name -> the header as the file wrote it, so problems use the officer's words."""
    return {column.name: headers[i] for i, column in found.items()}


def _maturity_row(cells: _Cells, number: int, record: dict, extras: dict, label: dict[str, str]) -> dict | None:
    fw = cells.fw
    context = " ".join(v.text(record.get(c)) for c in ("evidence", "next_step"))
    action = cells.parse(number, label["action"], record["action"], v.action, fw) if not v.is_blank(record.get("action")) \
        else cells.required(number, label["action"], record.get("action"))
    role = cells.coded(number, label["role"], record.get("role"), fw.roles, "a role")
    group = cells.equality_group(number, label["equality_group"], record.get("equality_group"), context)
    intersecting = None
    if "intersecting_group" in record:
        intersecting = cells.equality_group(number, label["intersecting_group"], record["intersecting_group"], context, required=False)
        if intersecting and intersecting == group:
            cells.add("ignored_value", number, label["intersecting_group"], record["intersecting_group"], None,
                      "the intersecting group is the same as the equality group, so the row is read as not intersectional")
            intersecting = None
        elif intersecting == ALL_LONDONERS:
            cells.add("ignored_value", number, label["intersecting_group"], record["intersecting_group"], None,
                      "'All Londoners' is not a second group, so the row is read as not intersectional")
            intersecting = None
    level = None
    raw_level = record.get("maturity_level")
    if v.is_blank(raw_level):
        if v.text(raw_level):
            cells.add("blank_word", number, label.get("maturity_level"), raw_level, None,
                      "read as blank: the organisation does not yet take part in this")
    else:
        level = cells.parse(number, label["maturity_level"], raw_level, v.maturity_level, fw)
        if level is None:
            return None
    support = None
    if "support_wanted" in record:
        support = cells.coded(number, label["support_wanted"], record["support_wanted"], fw.learning_formats,
                              "a learning format, or blank", required=False)
    if None in (action, role, group):
        return None
    return {
        "action": action, "role": role, "equality_group": group, "intersecting_group": intersecting,
        "maturity_level": level, "evidence": cells.optional_text(record.get("evidence")),
        "next_step": cells.optional_text(record.get("next_step")), "support_wanted": support,
        "extra_columns": _extra(extras), "source_sheet": cells.sheet, "source_row": number,
    }


def _check_maturity_part(cells: _Cells, rows: list[dict], label: dict[str, str]) -> None:
    """Repeated rows are errors; actions taken part in without an 'All Londoners' row are warnings."""
    seen: dict[tuple, int] = {}
    for row in rows:
        identity = (row["action"], row["role"], row["equality_group"], row["intersecting_group"])
        if identity in seen:
            cells.add("duplicate_row", row["source_row"], label.get("action", "action"),
                      f"{row['action']} / {row['role']} / {row['equality_group']}"
                      + (f" / {row['intersecting_group']}" if row["intersecting_group"] else ""),
                      "one row for each action, role, equality group and intersecting group",
                      f"repeats row {seen[identity]}")
        else:
            seen[identity] = row["source_row"]
    taking_part = {}
    for row in rows:
        if row["maturity_level"] is not None:
            taking_part.setdefault(row["action"], row["source_row"])
    covered = {row["action"] for row in rows if row["equality_group"] == ALL_LONDONERS and not row["intersecting_group"]}
    for action, first_row in taking_part.items():
        if action not in covered:
            cells.add("no_all_londoners", first_row, label.get("equality_group", "equality_group"), action,
                      f"an '{ALL_LONDONERS}' row for action {action}")


def _metric_row(cells: _Cells, number: int, record: dict, extras: dict, label: dict[str, str]) -> dict | None:
    fw = cells.fw
    raw_metric = record.get("metric")
    metric = None
    if cells.required(number, label["metric"], raw_metric) is not None:
        metric = _find_metric(fw, raw_metric)
        if metric is None:
            cells.add("unknown_code", number, label["metric"], raw_metric,
                      "a metric code or name from the metrics catalogue, such as " + ", ".join(list(fw.metrics)[:4]))
    raw_group = record.get("equality_group")
    group = None
    if not v.is_blank(raw_group):
        group = cells.equality_group(number, label.get("equality_group", "equality_group"), raw_group, required=False)
        if metric is not None and group and not metric.by_equality_group and group != ALL_LONDONERS:
            cells.add("unknown_code", number, label["equality_group"], raw_group,
                      f"a blank cell: '{metric.name}' is not reported by equality group")
            return None
    raw_value = record.get("value")
    if cells.required(number, label["value"], raw_value) is None or metric is None:
        return None
    if metric.unit == "yes/no":
        value = cells.parse(number, label["value"], raw_value, v.yes_no)
    else:
        value = cells.parse(number, label["value"], raw_value, v.number)
        if value is not None and metric.unit == "%" and isinstance(raw_value, float) and 0 < abs(value) < 1:
            value = round(value * 100, 6)
            cells.add("percent_fraction", number, label["value"], raw_value, None, f"read as {value:g}%")
        if value is not None and metric.unit == "count" and not float(value).is_integer():
            cells.add("bad_number", number, label["value"], raw_value, "a whole number (this metric is a count)")
            return None
    if value is None:
        return None
    if not metric.min_value <= value <= metric.max_value:
        unit = {"%": "%", "£": " (£)", "count": "", "yes/no": ""}[metric.unit]
        cells.add("out_of_range", number, label["value"], raw_value,
                  f"a value from {metric.min_value:g} to {metric.max_value:g}{unit} for '{metric.name}'")
        return None
    return {"metric": metric.metric, "equality_group": group or ALL_LONDONERS, "value": float(value),
            "notes": cells.optional_text(record.get("notes")), "extra_columns": _extra(extras),
            "source_sheet": cells.sheet, "source_row": number}


def _find_metric(fw: Framework, raw):
    """A metric by its code, its name, or the template's 'CODE - name' form."""
    candidates = [raw, re.split(r"\s+[-–:]\s+", v.text(raw), maxsplit=1)[0]]
    for candidate in candidates:
        wanted = key(candidate)
        for metric in fw.metrics.values():
            if wanted in (key(metric.metric), key(metric.name)):
                return metric
    return None


def _check_metrics_part(cells: _Cells, rows: list[dict], label: dict[str, str]) -> None:
    seen: dict[tuple, int] = {}
    for row in rows:
        identity = (row["metric"], row["equality_group"])
        if identity in seen:
            cells.add("duplicate_row", row["source_row"], label.get("metric", "metric"), f"{row['metric']} / {row['equality_group']}",
                      "one row for each metric and equality group", f"repeats row {seen[identity]}")
        else:
            seen[identity] = row["source_row"]


def _organisation_sheet(cells: _Cells, sheet: Sheet) -> tuple[dict, dict[str, int]]:
    """Label/value rows: the label is the first filled cell of a row, its value the cell to its right."""
    fields: dict[str, object] = {}
    rows: dict[str, int] = {}
    by_key = {k: column for column in ORGANISATION_FIELDS for k in column.keys()}
    for number, row in sheet.rows:
        first = next((i for i, c in enumerate(row) if not v.is_blank(c)), None)
        if first is None:
            continue
        # "Sector (required)", "Organisation name:" and "Contact email *" are the labels they say.
        label = key(re.sub(r"\(.*?\)|[*:]", " ", v.text(row[first])))
        column = by_key.get(label)
        if column is None or column.name in fields:
            continue
        fields[column.name] = row[first + 1] if first + 1 < len(row) else None
        rows[column.name] = number
    return fields, rows


def _organisation_details(cells: _Cells, fields: dict, rows: dict, title: dict[str, str]):
    """(organisation code, reporting year, details) from label/value fields; problems recorded in cells."""
    fw = cells.fw
    where = lambda name: rows.get(name)  # noqa: E731 - the label's row, or None when the label is absent

    def need(name):
        raw = fields.get(name)
        if name not in rows:
            cells.add("missing_value", None, title[name], None, f"a row labelled '{title[name]}' with its value beside it")
            return None
        return cells.required(where(name), title[name], raw)

    code = None
    if need("organisation_code") is not None:
        code, usual = v.organisation_code(fields["organisation_code"])
        if usual and code != v.text(fields["organisation_code"]).upper():
            cells.add("variant_normalised", where("organisation_code"), title["organisation_code"],
                      fields["organisation_code"], None, f"read as '{code}'")
        if not usual:
            cells.add("unusual_code", where("organisation_code"), title["organisation_code"], fields["organisation_code"],
                      "a code such as ORG-0042")
    name = need("organisation_name")
    sector = None
    if need("sector") is not None:
        sector = cells.coded(where("sector"), title["sector"], fields["sector"], fw.sectors, "a sector")
    year = None
    if need("reporting_year") is not None:
        year = cells.parse(where("reporting_year"), title["reporting_year"], fields["reporting_year"], v.reporting_year)
    details = {"organisation_name": name, "sector": sector}
    for optional, vocabulary in (("size_band", fw.size_bands), ("borough", fw.boroughs), ("contact_name", None), ("contact_email", None)):
        raw = fields.get(optional)
        if v.is_blank(raw):
            cells.add("missing_optional", where(optional), title[optional], None, f"the {title[optional].lower()}")
            details[optional] = None
            continue
        if vocabulary is not None:
            found = vocabulary.match(raw)
            if found is None:
                cells.add("unknown_code" if optional == "size_band" else "ignored_value", where(optional), title[optional], raw,
                          f"one of: {'; '.join(vocabulary.values)}" if optional == "size_band" else None,
                          None if optional == "size_band" else "not a London borough or 'London-wide'; kept as written")
                details[optional] = None if optional == "size_band" else v.text(raw)
            else:
                if found[1]:
                    cells.add("variant_normalised", where(optional), title[optional], raw, None, f"read as '{found[0]}'")
                details[optional] = found[0]
        else:
            details[optional] = v.text(raw)
            if optional == "contact_email" and not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", details[optional]):
                cells.add("ignored_value", where(optional), title[optional], raw, "an e-mail address", "kept as written")
    return code, year, details


def _read_sheet(cells: _Cells, sheet: Sheet, columns, row_reader, part_check, result: ValidatedFile):
    """(rows, header labels) of a table sheet, or None when its headings are wrong."""
    found, headers, extra = _columns(cells, sheet, columns)
    if found is None:
        return None
    label = _header_names(found, headers)
    rows = []
    for number, record, extras in _records(sheet, found, headers, extra):
        result.rows_read += 1
        row = row_reader(cells, number, record, extras, label)
        if row:
            rows.append(row)
    part_check(cells, rows, label)
    return rows, label


def validate_excel(workbook: Workbook, fw: Framework) -> ValidatedFile:
    result = ValidatedFile(workbook.file, EXCEL_RETURN, "", 0)
    problems = result.problems
    organisation = workbook.sheet("Organisation")
    maturity = workbook.sheet("Maturity")
    for wanted, sheet in (("Organisation", organisation), ("Maturity", maturity)):
        if sheet is None:
            problems.append(Problem("missing_sheet", workbook.file, wanted, None, None, None,
                                    f"a sheet named '{wanted}'", f"the workbook has: {', '.join(s.name for s in workbook.sheets)}"))
    if organisation is None or maturity is None:
        result.kind = EXCEL_RETURN if organisation or maturity else None
        return result

    cells = _Cells(workbook.file, organisation.name, fw, problems)
    fields, rows = _organisation_sheet(cells, organisation)
    code, year, details = _organisation_details(cells, fields, rows, {c.name: c.title for c in ORGANISATION_FIELDS})

    maturity_rows: list[dict] = []
    cells = _Cells(workbook.file, maturity.name, fw, problems)
    if not maturity.rows:
        cells.add("missing_column", 1, "Action", None, "the headings of the template's Maturity sheet in row 1")
    else:
        read = _read_sheet(cells, maturity, MATURITY_SHEET, _maturity_row, _check_maturity_part, result)
        if read is not None:
            maturity_rows, label = read
            if not any(r["maturity_level"] is not None for r in maturity_rows) and not has_errors(problems):
                cells.add("no_levels", None, label.get("maturity_level", "Maturity level"), None, None,
                          "the return says the organisation does not yet take part in any action")

    metric_rows: list[dict] | None = None
    metrics = workbook.sheet("Metrics")
    if metrics is not None and len(metrics.rows) > 1:
        read = _read_sheet(_Cells(workbook.file, metrics.name, fw, problems), metrics, METRICS_SHEET,
                           _metric_row, _check_metrics_part, result)
        metric_rows = read[0] if read is not None else None
    if code and year is not None and not has_errors(problems):
        result.submissions.append(Submission(code, year, details, maturity_rows, metric_rows or None))
    return result


def _by_return(cells: _Cells, workbook: Workbook, found, headers, extra, label, row_reader, part: str):
    """Group a bulk CSV's rows into one submission per organisation and reporting year."""
    submissions: dict[tuple[str, int], Submission] = {}
    detail_rows: dict[tuple[str, int], dict[str, tuple[str, int]]] = {}
    count = 0
    for number, record, extras in _records(workbook.sheets[0], found, headers, extra):
        count += 1
        code = cells.required(number, label["organisation_code"], record.get("organisation_code"))
        if code is not None:
            code, usual = v.organisation_code(code)
            if usual and code != v.text(record["organisation_code"]).upper():
                cells.add("variant_normalised", number, label["organisation_code"], record["organisation_code"], None, f"read as '{code}'")
            if not usual:
                cells.add("unusual_code", number, label["organisation_code"], record["organisation_code"], "a code such as ORG-0042")
        year = None
        if cells.required(number, label["reporting_year"], record.get("reporting_year")) is not None:
            year = cells.parse(number, label["reporting_year"], record["reporting_year"], v.reporting_year)
        details = {}
        if "organisation_name" in record:
            details["organisation_name"] = cells.required(number, label["organisation_name"], record["organisation_name"])
        if "sector" in record:
            details["sector"] = cells.coded(number, label["sector"], record["sector"], cells.fw.sectors, "a sector")
        row = row_reader(cells, number, record, extras, label)
        if code is None or year is None:
            continue
        submission = submissions.get((code, year))
        if submission is None:
            submission = submissions[(code, year)] = Submission(code, year, details, **{part: []})
            detail_rows[(code, year)] = {k: (val, number) for k, val in details.items()}
        else:
            for name, value in details.items():
                first_value, first_row = detail_rows[(code, year)].get(name, (None, None))
                if value is not None and first_value is not None and key(value) != key(first_value):
                    cells.add("conflicting_details", number, label[name], value,
                              f"'{first_value}', as on row {first_row} for {code} {v.year_label(year)}")
        if row:
            getattr(submission, part).append(row)
    return list(submissions.values()), count


def validate_csv(workbook: Workbook, fw: Framework) -> ValidatedFile:
    """A bulk table: a CSV file, or the one sheet of a workbook that holds such a table."""
    sheet = workbook.sheets[0]
    result = ValidatedFile(workbook.file, None, "", 0)
    cells = _Cells(workbook.file, sheet.name, fw, result.problems)
    header = sheet.header()
    kind, _ = tell_csv_kind(header[1]) if header else (None, 0)
    if kind is None:
        shown = ", ".join(h for h in (header[1] if header else []) if h)[:200]
        cells.add("not_a_return", 1, None, shown or None,
                  "the headings of a maturity, metrics, learning events or attendance CSV (see the README)")
        return result
    result.kind = kind
    found, headers, extra = _columns(cells, sheet, CSV_KINDS[kind])
    if found is None:
        return result
    label = _header_names(found, headers)
    for column in CSV_KINDS[kind]:
        label.setdefault(column.name, column.name)
    if len(sheet.rows) < 2:
        cells.add("no_records", 2, None, None, "at least one row under the headings")
        return result

    if kind == MATURITY_CSV:
        result.submissions, result.rows_read = _by_return(cells, workbook, found, headers, extra, label, _maturity_row, "maturity")
        for submission in result.submissions:
            _check_maturity_part(cells, submission.maturity, label)
    elif kind == METRICS_CSV:
        result.submissions, result.rows_read = _by_return(cells, workbook, found, headers, extra, label, _metric_row, "metrics")
        for submission in result.submissions:
            _check_metrics_part(cells, submission.metrics, label)
    elif kind == EVENTS_CSV:
        result.events, result.rows_read = _events(cells, sheet, found, headers, extra, label)
    elif kind == ATTENDANCE_CSV:
        result.attendance, result.rows_read = _attendance(cells, sheet, found, headers, extra, label)
    else:
        result.register, result.rows_read = _register(cells, sheet, found, headers, extra, label)
    if has_errors(result.problems):
        result.submissions, result.events, result.attendance, result.register = [], [], [], []
    return result


def _register(cells: _Cells, sheet: Sheet, found, headers, extra, label):
    """The organisation register: one row per organisation, with its details and contact."""
    rows, seen, count = [], {}, 0
    for number, record, extras in _records(sheet, found, headers, extra):
        count += 1
        fields = {name: record.get(name) for name in ("organisation_code", "organisation_name", "sector", "size_band",
                                                      "borough", "contact_name", "contact_email")}
        rows_of = {name: number for name in fields}
        title = {name: label.get(name, name) for name in fields}
        code, _, details = _organisation_details(cells, {**fields, "reporting_year": "2000"}, {**rows_of, "reporting_year": number},
                                                 {**title, "reporting_year": "reporting_year"})
        if code is None:
            continue
        if code in seen:
            cells.add("duplicate_row", number, label["organisation_code"], code, "each organisation listed once",
                      f"repeats row {seen[code]}")
            continue
        seen[code] = number
        rows.append({"organisation_code": code, **details, "extra_columns": _extra(extras), "source_row": number})
    return rows, count


def _events(cells: _Cells, sheet: Sheet, found, headers, extra, label):
    fw = cells.fw
    areas = Vocabulary("priority_area", fw.priority_areas,
                       {key(short): area for area, short in fw.priority_area_short.items()})
    rows, seen, count = [], {}, 0
    for number, record, extras in _records(sheet, found, headers, extra):
        count += 1
        event_id = cells.required(number, label["event_id"], record.get("event_id"))
        date = cells.parse(number, label["date"], record.get("date"), v.date) if not v.is_blank(record.get("date")) \
            else cells.required(number, label["date"], record.get("date"))
        learning_format = cells.coded(number, label["format"], record.get("format"), fw.learning_formats, "a learning format")
        area = cells.coded(number, label["priority_area"], record.get("priority_area"), areas, "a priority area")
        delivery = None
        if not v.is_blank(record.get("delivery")):
            delivery = DELIVERY_MODES.get(key(record["delivery"]))
            if delivery is None:
                cells.add("unknown_code", number, label["delivery"], record["delivery"], "in person, online or hybrid")
        if event_id in seen:
            cells.add("duplicate_row", number, label["event_id"], event_id, "each event listed once", f"repeats row {seen[event_id]}")
            continue
        if event_id is not None:
            seen[event_id] = number
        rows.append({"event_id": event_id, "date": date, "format": learning_format, "priority_area": area,
                     "title": cells.optional_text(record.get("title")), "delivery": delivery,
                     "extra_columns": _extra(extras), "source_row": number})
    return rows, count


def _attendance(cells: _Cells, sheet: Sheet, found, headers, extra, label):
    rows, seen, count = [], {}, 0
    for number, record, extras in _records(sheet, found, headers, extra):
        count += 1
        event_id = cells.required(number, label["event_id"], record.get("event_id"))
        code = cells.required(number, label["organisation_code"], record.get("organisation_code"))
        if code is not None:
            code = v.organisation_code(code)[0]
        scores = {}
        for name, low, high in (("attendees", 0, 10_000), ("pitched_right", 1, 5), ("will_use", 1, 5)):
            raw = record.get(name)
            scores[name] = None if v.is_blank(raw) else cells.parse(number, label[name], raw, v.whole_number, low, high)
        identity = (event_id, code)
        if identity in seen:
            cells.add("duplicate_row", number, label["event_id"], f"{event_id} / {code}",
                      "one row for each event and organisation", f"repeats row {seen[identity]}")
            continue
        seen[identity] = number
        rows.append({"event_id": event_id, "organisation_code": code, **scores,
                     "more_support": cells.optional_text(record.get("more_support")),
                     "extra_columns": _extra(extras), "source_row": number})
    return rows, count


def _bulk_table_sheet(workbook: Workbook) -> Sheet | None:
    """A workbook with no return sheets whose first table has the headers of a bulk CSV: read it as that CSV."""
    if workbook.sheet("Organisation") is not None or workbook.sheet("Maturity") is not None:
        return None
    first = next((sheet for sheet in workbook.sheets if sheet.rows), None)
    if first is None:
        return None
    kind, _ = tell_csv_kind(first.header()[1])
    return first if kind else None


def validate_bytes(name: str, data: bytes, fw: Framework | None = None, limits: Limits | None = None) -> ValidatedFile:
    """Read and check one file. Never raises for bad input: refusals become problems."""
    fw = fw or framework()
    sha256 = hashlib.sha256(data).hexdigest()
    try:
        workbook = read(name, data, limits)
    except RefusedFile as refused:
        return ValidatedFile(name, None, sha256, len(data), [refused.problem])
    table = _bulk_table_sheet(workbook) if workbook.kind == "excel" else None
    if table is not None:
        result = validate_csv(Workbook(workbook.file, "excel", [table]), fw)
    else:
        result = validate_excel(workbook, fw) if workbook.kind == "excel" else validate_csv(workbook, fw)
    result.sha256, result.size_bytes = sha256, len(data)
    if not result.ok:
        result.submissions, result.events, result.attendance, result.register = [], [], [], []
    return result


def validate_path(path, fw: Framework | None = None, limits: Limits | None = None) -> ValidatedFile:
    """Read and check a file on disk, for scripts and notebooks."""
    path = Path(path)
    return validate_bytes(path.name, path.read_bytes(), fw, limits)
