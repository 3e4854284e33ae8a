"""Checks an uploaded file passes before any parser sees it.

Uploaded files are untrusted. These checks read only the first bytes and the zip
index (and stream-count the parts against the limits, so a lying index cannot
get past), so a hostile file is refused in well under a second.
"""

from __future__ import annotations

import io
import os
import re
import time
import zipfile
import zlib
from dataclasses import dataclass

from bfc_data.intake.problems import Problem, RefusedFile

ZIP_MAGIC = b"PK\x03\x04"
# What reading a damaged archive raises, in the standard library.
DAMAGED = (zipfile.BadZipFile, zlib.error, OSError, ValueError, NotImplementedError, EOFError)
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # old .xls, and encrypted (password-protected) .xlsx


# What the reader holds per cell of a sheet's grid, measured: a sheet reaching ZZ100000 (70 million cells) cost
# python-calamine 2.8 GB. The grid runs from A1 to the furthest cell, so a cell far away costs all the empty ones.
BYTES_PER_CELL = 40


@dataclass(frozen=True)
class Limits:
    max_file_bytes: int = 20 * 1024 * 1024
    max_rows: int = 100_000  # over all the sheets of a file
    max_unzipped_bytes: int = 100 * 1024 * 1024
    max_part_ratio: float = 200.0
    memory_mb: int = 256
    seconds: float = 10.0

    @property
    def max_cells(self) -> int:
        return self.memory_mb * 1024 * 1024 // BYTES_PER_CELL

    @classmethod
    def from_environment(cls) -> "Limits":
        """Reading's budget from settings.toml [reading]; BFC_MAX_UPLOAD_MB and BFC_MAX_ROWS override the defaults."""
        from bfc_data.reference.settings import settings
        megabytes = float(os.environ.get("BFC_MAX_UPLOAD_MB", 20))
        budget = settings()
        return cls(max_file_bytes=int(megabytes * 1024 * 1024), max_rows=int(os.environ.get("BFC_MAX_ROWS", 100_000)),
                   memory_mb=budget.reading_memory_mb, seconds=budget.reading_seconds)


EXCEL_SUFFIXES = (".xlsx",)
CSV_SUFFIXES = (".csv", ".txt")
REFUSED_SUFFIXES = {
    ".xlsm": "it is a macro-enabled workbook (.xlsm); save it as an ordinary Excel workbook (.xlsx) and send it again",
    ".xltm": "it is a macro-enabled template (.xltm); save it as an ordinary Excel workbook (.xlsx)",
    ".xlsb": "it is a binary workbook (.xlsb); save it as an ordinary Excel workbook (.xlsx)",
    ".ods": "it is an OpenDocument spreadsheet; save it as an Excel workbook (.xlsx) or a CSV file",
}


def size_text(count: int) -> str:
    return f"{count / 1048576:.1f} MB".replace(".0 MB", " MB") if count >= 1048576 else f"{count / 1024:.0f} KB"


def refuse(name: str, why: str, sheet: str | None = None, row: int | None = None, column: str | None = None) -> RefusedFile:
    return RefusedFile(Problem("file_refused", name, sheet=sheet, row=row, column=column, detail=why))


def suffix(name: str) -> str:
    return os.path.splitext(name.lower())[1]


def check(name: str, data: bytes, limits: Limits) -> str:
    """'excel' or 'csv' for a file that may be parsed; raises RefusedFile otherwise."""
    ending = suffix(name)
    if len(data) == 0 or not data.strip(b" \t\r\n\x00\xef\xbb\xbf"):
        raise refuse(name, "the file is empty")
    if len(data) > limits.max_file_bytes:
        raise refuse(name, f"the file is {size_text(len(data))}, over the {size_text(limits.max_file_bytes)} limit")
    if ending in REFUSED_SUFFIXES:
        raise refuse(name, REFUSED_SUFFIXES[ending])
    if data.startswith(OLE_MAGIC):
        # An older Office container: the stream names in its directory say what it holds.
        if "EncryptionInfo".encode("utf-16-le") in data:
            raise refuse(name, "the workbook is password-protected; remove the password and send it again")
        if "Workbook".encode("utf-16-le") in data or "Book".encode("utf-16-le") in data:
            named = f" named {ending}" if ending and ending != ".xls" else ""
            raise refuse(name, f"it is an old-style Excel 97-2003 workbook (.xls){named}; save it as an Excel workbook "
                               "(.xlsx) and send it again")
        raise refuse(name, "it is an older Office document, not a workbook; send an .xlsx or .csv file")
    if data.startswith(ZIP_MAGIC):
        if ending not in EXCEL_SUFFIXES:
            raise refuse(name, f"the file is a zipped workbook, not the {ending or 'plain'} file its name says")
        _check_workbook_archive(name, data, limits)
        return "excel"
    if ending in EXCEL_SUFFIXES:
        raise refuse(name, f"the file is named {ending} but is not an Excel workbook")
    if ending not in CSV_SUFFIXES:
        raise refuse(name, f"files ending {ending or '(no ending)'} are not accepted; send an .xlsx or .csv file")
    head = data[:8192]
    if b"\x00" in head or head.startswith((b"%PDF", b"\x89PNG", b"GIF8", b"\xff\xd8")) or head.lstrip().lower().startswith((b"<!doctype", b"<html", b"<?xml")):
        raise refuse(name, "the file is named .csv but is not a text file of comma- or semicolon-separated values")
    return "csv"


def _check_workbook_archive(name: str, data: bytes, limits: Limits) -> None:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, zlib.error, OSError, ValueError, EOFError, NotImplementedError):
        raise refuse(name, "the workbook is damaged and cannot be opened") from None
    names = {m.filename.lower() for m in members}
    if "[content_types].xml" not in names or not any(n.startswith("xl/") for n in names):
        raise refuse(name, "the file is a zip archive but not an Excel workbook")
    if any(n.endswith("vbaproject.bin") or n.endswith(".bin") and "vba" in n for n in names) or _declares_macros(archive):
        raise refuse(name, "the workbook contains macros (a VBA part); save it as an ordinary Excel workbook (.xlsx)")
    if any(n.endswith(".bin") and n.startswith("xl/worksheets/") for n in names) or "xl/workbook.bin" in names:
        raise refuse(name, "it is a binary workbook (.xlsb) named .xlsx; save it as an ordinary Excel workbook (.xlsx)")
    declared = sum(m.file_size for m in members)
    if declared > limits.max_unzipped_bytes:
        raise refuse(name, f"the workbook would expand to {size_text(declared)}, over the "
                           f"{size_text(limits.max_unzipped_bytes)} safety limit")
    for member in members:
        if member.file_size > limits.max_part_ratio * max(member.compress_size, 1) and member.file_size > 0:
            raise refuse(name, f"part '{member.filename}' would expand {member.file_size / max(member.compress_size, 1):.0f} "
                               f"times, over the safety limit of {limits.max_part_ratio:.0f} (a possible zip bomb)")
    # The index can lie: count what the parts really expand to, stopping at the limit. On the way, find how far
    # each sheet reaches, from its declared dimension and the cells it holds, before any reader sizes a grid by it.
    total, started, rows_reached = 0, time.monotonic(), 0
    sheet_names = _sheet_names(archive, members)
    for member in members:
        extent = SheetExtent() if _is_sheet(member.filename) else None
        try:
            with archive.open(member) as part:
                while chunk := part.read(1 << 20):
                    total += len(chunk)
                    if total > limits.max_unzipped_bytes:
                        raise refuse(name, "the workbook expands beyond the safety limit (a possible zip bomb)")
                    if extent is not None:
                        extent.feed(chunk)
                    if time.monotonic() - started > limits.seconds:
                        raise refuse(name, f"reading it would take longer than the {limits.seconds:.0f}-second limit")
        except (zipfile.BadZipFile, zlib.error, OSError, ValueError, NotImplementedError, EOFError):
            raise refuse(name, "the workbook is damaged and cannot be opened") from None
        if extent is not None:
            rows_reached += max(extent.rows - 1, 0)  # less its heading row
            label = sheet_names.get(member.filename.lower()) or member.filename.rsplit("/", 1)[-1].removesuffix(".xml")
            _check_extent(name, label, extent, rows_reached, limits)


# A cell's reference (r="C12") or a row's (r="12") in a sheet's XML, in either quote, any namespace prefix; and the
# declared dimension. Each pattern starts with its literal text, which Python's re finds by a fast search rather than
# trying every position (5× faster on a return's sheets): they may also match an attribute whose name ends in `r`, or
# such text in a cell, which can only make the extent larger than it is, never smaller.
_REFERENCE_ROW = re.compile(rb"r=[\"'][A-Z]{0,3}([0-9]{1,7})[\"']")
_REFERENCE_COLUMN = re.compile(rb"r=[\"']([A-Z]{1,3})[0-9]{1,7}[\"']")
_DIMENSION = re.compile(rb"dimension\s[^>]*?\bref=\"[A-Z]{0,3}[0-9]{0,7}(?::([A-Z]{0,3})([0-9]{0,7}))?\"")
_OVERLAP = 256  # a reference cut in two by a chunk's end is found whole in the next


def _column_number(letters: bytes) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + letter - 64
    return number


def _column_letters(number: int) -> str:
    letters = ""
    while number:
        number, remainder = divmod(number - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


class SheetExtent:
    """How far a sheet reaches (rows, columns), fed its XML chunk by chunk."""

    def __init__(self):
        self.rows = self.columns = 0
        self._tail = b""

    def feed(self, chunk: bytes) -> None:
        text = self._tail + chunk
        # A sheet names few rows and fewer columns many times over: each distinct one is converted once.
        rows, letters = set(_REFERENCE_ROW.findall(text)), set(_REFERENCE_COLUMN.findall(text))
        if rows:
            self.rows = max(self.rows, *map(int, rows))
        if letters:
            self.columns = max(self.columns, *map(_column_number, letters))
        for letters, row in _DIMENSION.findall(text):
            if letters:
                self.columns = max(self.columns, _column_number(letters))
            if row:
                self.rows = max(self.rows, int(row))
        self._tail = text[-_OVERLAP:]


def _is_sheet(part: str) -> bool:
    part = part.lower()
    return part.startswith("xl/worksheets/") and part.endswith(".xml")


_ELEMENT = re.compile(rb"<(?:\w+:)?(sheet|Relationship)\s([^>]*)>")
_ATTRIBUTE = re.compile(rb"([\w:]+)=\"([^\"]*)\"")


def _elements(xml: bytes, tag: bytes) -> list[dict[bytes, bytes]]:
    """Each <tag …> element's attributes, whatever their order and namespace prefix (r:id, id)."""
    return [{key.split(b":")[-1].lower(): value for key, value in _ATTRIBUTE.findall(attributes)}
            for name, attributes in _ELEMENT.findall(xml) if name == tag]


def _sheet_names(archive: zipfile.ZipFile, members) -> dict[str, str]:
    """Each sheet part's name as the officer sees it on its tab ('Maturity'), from the workbook and its relations."""
    parts = {m.filename.lower(): m for m in members}
    try:
        with archive.open(parts["xl/workbook.xml"]) as part:
            book = part.read(1 << 20)
        with archive.open(parts["xl/_rels/workbook.xml.rels"]) as part:
            relations = {r.get(b"id"): r.get(b"target", b"") for r in _elements(part.read(1 << 20), b"Relationship")}
    except (KeyError, *DAMAGED):
        return {}
    names = {}
    for sheet in _elements(book, b"sheet"):
        target = relations.get(sheet.get(b"id"), b"").decode("utf-8", "replace").lstrip("/")
        target = target if target.lower().startswith("xl/") else f"xl/{target}"
        names[target.lower()] = sheet.get(b"name", b"").decode("utf-8", "replace").replace("&amp;", "&")
    return names


def _check_extent(name: str, sheet: str, extent: SheetExtent, rows_reached: int, limits: Limits) -> None:
    if rows_reached > limits.max_rows:
        raise refuse(name, f"its sheets reach {rows_reached:,} rows in all (sheet '{sheet}' reaches row "
                           f"{extent.rows:,}), over the {limits.max_rows:,} rows one file may hold; delete the rows "
                           "and columns past your data and send it again", sheet, extent.rows,
                     _column_letters(extent.columns) or None)
    cells = extent.rows * extent.columns
    if cells > limits.max_cells:
        raise refuse(name, f"sheet '{sheet}' reaches row {extent.rows:,} and column {extent.columns:,}, "
                           f"a grid of {cells:,} cells that would need more than the {limits.memory_mb} MB one file may "
                           "use to read; delete the rows and columns past your data and send it again",
                     sheet, extent.rows, _column_letters(extent.columns))


def _declares_macros(archive: zipfile.ZipFile) -> bool:
    """A VBA part found by its content type, whatever it is named."""
    found = [m for m in archive.infolist() if m.filename.lower() == "[content_types].xml"]
    if not found:
        return False
    try:
        with archive.open(found[0]) as part:
            types = part.read(1 << 20).lower()
    except DAMAGED:
        return False  # the part-by-part read below refuses a damaged archive in words
    return b"vbaproject" in types or b"macroenabled" in types
