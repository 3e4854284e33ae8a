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


def read_table_sheet(cells: Cells, sheet: Sheet, columns, row_reader, part_check, result: ValidatedFile):
    """(rows, header labels) of a table sheet, or None when its headings are wrong."""
    found, headers, extra = map_columns(cells, sheet, columns)
    if found is None:
        return None
    label = header_names(found, headers)
    rows = []
    for number, record, extras in data_rows(sheet, found, headers, extra):
        result.rows_read += 1
        row = row_reader(cells, number, record, extras, label)
        if row:
            rows.append(row)
    part_check(cells, rows, label)
    return rows, label
