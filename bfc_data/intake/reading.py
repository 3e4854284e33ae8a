"""Turning the bytes of an upload into sheets of cells, each row with the number Excel shows.

Excel is read with python-calamine's own API (no per-file pandas overhead, several
times faster than openpyxl); CSV with the standard csv module, so a quoted line
break stays inside its record and row numbers match a spreadsheet's.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

import python_calamine

from bfc_data.intake.safety import Limits, check, refuse
from bfc_data.intake.schema import CSV_KINDS
from bfc_data.reference.framework import key


@dataclass
class Sheet:
    name: str | None  # None for a CSV file
    rows: list[tuple[int, list]]  # (row number as Excel shows it, cells), blank rows left out

    def header(self) -> tuple[int, list[str]] | None:
        return (self.rows[0][0], [str(c).strip() for c in self.rows[0][1]]) if self.rows else None


@dataclass
class Workbook:
    file: str
    file_type: str  # 'excel' or 'csv'
    sheets: list[Sheet]
    encoding: str | None = None
    separator: str | None = None

    def sheet(self, wanted: str) -> Sheet | None:
        """The sheet whose name matches without regard to case, spacing or underscores."""
        for sheet in self.sheets:
            if sheet.name is not None and key(sheet.name) == key(wanted):
                return sheet
        return None


def _blank(cell) -> bool:
    return cell is None or (isinstance(cell, str) and not cell.strip())


def _nonblank_rows(rows, first_number: int, name: str, limits: Limits, earlier: int = 0) -> list[tuple[int, list]]:
    """The rows holding something; `earlier` counts the rows of the file's sheets already read (the limit is the file's)."""
    kept = []
    for offset, cells in enumerate(rows):
        if all(_blank(c) for c in cells):
            continue
        kept.append((first_number + offset, list(cells)))
        if earlier + len(kept) > limits.max_rows + 1:
            raise refuse(name, f"it has more than {limits.max_rows:,} rows in all, the most one file may hold")
    return kept


def read_excel(name: str, data: bytes, limits: Limits) -> Workbook:
    try:
        book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
    except Exception as exc:  # calamine raises its own error types for damaged or protected files
        raise refuse(name, f"the workbook cannot be read ({_plain(exc)}); it may be damaged or password-protected") from None
    sheets, read = [], 0
    for sheet_name in book.sheet_names:
        try:
            sheet = book.get_sheet_by_name(sheet_name)
            rows = sheet.to_python(skip_empty_area=False)
        except Exception as exc:
            raise refuse(name, f"sheet '{sheet_name}' cannot be read ({_plain(exc)})", sheet_name) from None
        sheets.append(Sheet(sheet_name, _nonblank_rows(rows, 1, name, limits, max(read - 1, 0))))
        read += max(len(sheets[-1].rows) - 1, 0)  # each sheet's heading row is not counted
    return Workbook(name, "excel", sheets)


def _plain(exc: Exception) -> str:
    return str(exc).splitlines()[0][:160] if str(exc) else type(exc).__name__


def decode(name: str, data: bytes) -> tuple[str, str]:
    """(text, encoding): UTF-8 with or without BOM first, then Windows-1252 (a '£' saved by Excel)."""
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    raise refuse(name, "the file's characters cannot be read; save it as 'CSV UTF-8' from Excel")


def _known_header_keys() -> set[str]:
    return {k for columns in CSV_KINDS.values() for column in columns for k in column.keys()}


def sniff_separator(text: str) -> str:
    """Comma or semicolon: whichever splits the header into more known column names."""
    known = _known_header_keys()

    def score(separator: str) -> tuple[int, int]:
        # The first record as the reader will see it (a quoted heading may hold a line break); an unreadable one
        # scores nothing here and is refused in words when the file is read.
        try:
            cells = next(csv.reader(io.StringIO(text[:65536], newline=""), delimiter=separator), [])
        except csv.Error:
            return 0, 0
        return sum(key(c) in known for c in cells), len(cells)

    return max((",", ";"), key=score)


def read_csv(name: str, data: bytes, limits: Limits) -> Workbook:
    text, encoding = decode(name, data)
    nul = text.find("\x00")
    if nul >= 0:  # text never holds one: stored silently, it would end a value early in other programs
        row = text.count("\n", 0, nul) + 1
        raise refuse(name, f"row {row} holds a NUL character, which a text file never has; save the file again as "
                           "'CSV UTF-8' from Excel and send it again", row=row)
    separator = sniff_separator(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=separator)
    try:
        # Each record is one spreadsheet row, even when a quoted value holds a line break.
        rows = _nonblank_rows(reader, 1, name, limits)
    except csv.Error as exc:
        raise refuse(name, f"the CSV cannot be read ({_plain(exc)})") from None
    return Workbook(name, "csv", [Sheet(None, rows)], encoding=encoding, separator=separator)


def read(name: str, data: bytes, limits: Limits | None = None) -> Workbook:
    """Check, then read, one uploaded file. Raises RefusedFile with the reason when it cannot be read."""
    limits = limits or Limits.from_environment()
    file_type = check(name, data, limits)
    return read_excel(name, data, limits) if file_type == "excel" else read_csv(name, data, limits)
