"""Reading the cells of one sheet: required, coded and parsed values, every problem recorded against its sheet,
row and column in the header's own words; a table sheet's headings matched and its data rows walked."""

from __future__ import annotations

import json
import re

from bfc_data.intake import values as v
from bfc_data.intake.problems import Problem
from bfc_data.intake.reading import Sheet
from bfc_data.intake.schema import Column, match_headers
from bfc_data.intake.validated import ValidatedFile
from bfc_data.reference.framework import Framework, Vocabulary, key


class Cells:
    """Reads the cells of one sheet, recording every problem against its place."""

    def __init__(self, file: str, sheet: str | None, fw: Framework, problems: list[Problem]):
        self.file, self.sheet, self.fw, self.problems = file, sheet, fw, problems
        self._read_before = _read_before(fw)

    def once(self, row, column, raw, reader):
        """`reader(cells, raw)` for this column's cell, worked out once per distinct value in the column.

        A column holds few distinct values (levels, groups, roles) across many rows, so each is read once and its
        problems, recorded without a row, are said again against every row that holds it: the same words as
        reading each cell. A reader must record problems only against `column`, never depend on another cell.
        """
        try:
            value, said = self._remembered(column, raw, reader)
        except TypeError:  # an unhashable cell: read it where it stands
            return reader(self, raw, column, row)
        self.say(row, column, said)
        return value

    def column(self, column, raws: list, reader) -> tuple[list, list[list[tuple] | None]]:
        """`once` over a whole column: (each cell's value, what reading it said, without its row; None for a cell
        that cannot be remembered). Nothing is recorded here: the caller says it, row by row, in the rows' order
        (`say`), or reads the row again through `once`."""
        values, saids = [], []
        for raw in raws:
            try:
                value, said = self._remembered(column, raw, reader)
            except TypeError:  # an unhashable cell: left to the row
                value, said = None, None
            values.append(value)
            saids.append(said)
        return values, saids

    def say(self, row, column, said: list[tuple]) -> None:
        """What reading a cell said (from `column`), recorded against its row, as `once` records it."""
        for kind, text, expected, detail in said:
            self.problems.append(Problem(kind, self.file, self.sheet, row, column, text, expected, detail))

    def _remembered(self, column, raw, reader) -> tuple[object, list[tuple]]:
        """(value, problems without their row) of `reader` on `raw`, read the first time and remembered after."""
        memo = (reader, column, type(raw), raw)  # 1, 1.0 and True are equal but read differently
        found = self._read_before.get(memo)  # TypeError for an unhashable cell
        if found is None:
            recorder = Cells(self.file, self.sheet, self.fw, [])
            value = reader(recorder, raw, column)
            found = self._read_before[memo] = (value, [(p.kind, p.value, p.expected, p.detail) for p in recorder.problems])
        return found

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

    def organisation_code(self, row, column, raw) -> str:
        """The code as the GLA writes it (ORG-0042), with a warning for every way it was typed otherwise."""
        cleaned, removed = v.code_text(raw)
        if removed:
            self.add("invisible_characters", row, column, raw, None, f"removed {v.unseen(removed)}")
        code, usual = v.organisation_code(cleaned)
        if usual and code != (cleaned if removed else v.text(raw)).upper():  # 'org 42', full-width 'ＯＲＧ
            self.add("variant_normalised", row, column, raw, None, f"read as '{code}'")
        if not usual:
            self.add("unusual_code", row, column, raw, "a code such as ORG-0042")
        return code

    def coded(self, row, column, raw, vocabulary: Vocabulary, what: str, required=True) -> str | None:
        cleaned, removed = v.code_text(raw)
        if removed and not v.is_blank(cleaned):
            self.add("invisible_characters", row, column, raw, None, f"removed {v.unseen(removed)}")
            raw = cleaned
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

    def optional_text(self, raw, row=None, column=None) -> str | None:
        """Free text, kept as typed; a hidden control character or direction override gets a warning."""
        t = v.text(raw)
        found = v.CONTROL.findall(t)
        if found:
            self.add("control_characters", row, column, raw, None, f"holds {v.unseen(''.join(found))}")
        return t or None


# What each distinct value read to, and what it said, per framework, shared by every file this process checks: the
# same few levels, groups and roles fill every return. Nothing in it names a file, sheet or row (those are added
# when a problem is said again), and free text is never kept in it. Emptied when it grows past the limit.
_READ: dict[int, tuple[Framework, dict]] = {}
READ_LIMIT = 50_000


def _read_before(fw: Framework) -> dict:
    held = _READ.get(id(fw))
    if held is None or held[0] is not fw:
        held = _READ[id(fw)] = (fw, {})  # holding the framework keeps its id from being reused by another
    if len(held[1]) > READ_LIMIT:
        held[1].clear()
    return held[1]


def map_columns(cells: Cells, sheet: Sheet, columns: tuple[Column, ...]):
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


def data_rows(sheet: Sheet, found: dict[int, Column], headers: list[str], extra: list[int]):
    """(row number, {column name: raw cell}, {extra header: text}) for each data row."""
    for number, cells in sheet.rows[1:]:
        record = {column.name: (cells[i] if i < len(cells) else None) for i, column in found.items()}
        extras = {headers[i]: v.text(cells[i]) for i in extra if i < len(cells) and v.text(cells[i])}
        yield number, record, extras


def extra_json(extras: dict) -> str | None:
    """Extra columns are kept with their row, as JSON {header: value}."""
    return json.dumps(extras, ensure_ascii=False) if extras else None


def header_names(found: dict[int, Column], headers: list[str]) -> dict[str, str]:
    """Column name -> the header as the file wrote it, so problems use the officer's words."""
    return {column.name: headers[i] for i, column in found.items()}


def read_table_sheet(cells: Cells, sheet: Sheet, columns, row_reader, part_check, result: ValidatedFile, sheet_reader=None):
    """(rows, header labels) of a table sheet, or None when its headings are wrong. `sheet_reader`, when given,
    reads all the rows at once (column by column) to the same result as `row_reader` on each."""
    found, headers, extra = map_columns(cells, sheet, columns)
    if found is None:
        return None
    label = header_names(found, headers)
    if sheet_reader is not None:
        result.rows_read += len(sheet.rows) - 1
        rows = sheet_reader(cells, sheet, found, headers, extra, label)
    else:
        rows = []
        for number, record, extras in data_rows(sheet, found, headers, extra):
            result.rows_read += 1
            row = row_reader(cells, number, record, extras, label)
            if row:
                rows.append(row)
    part_check(cells, rows, label)
    return rows, label
