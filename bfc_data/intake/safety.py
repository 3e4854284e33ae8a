"""Checks an uploaded file passes before any parser sees it.

Uploaded files are untrusted. These checks read only the first bytes and the zip
index (and stream-count the parts against the limits, so a lying index cannot
get past), so a hostile file is refused in well under a second.
"""

from __future__ import annotations

import io
import os
import zipfile
import zlib
from dataclasses import dataclass

from bfc_data.intake.problems import Problem, RefusedFile

ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # old .xls, and encrypted (password-protected) .xlsx


@dataclass(frozen=True)
class Limits:
    max_file_bytes: int = 20 * 1024 * 1024
    max_rows: int = 100_000
    max_unzipped_bytes: int = 100 * 1024 * 1024
    max_part_ratio: float = 200.0

    @classmethod
    def from_environment(cls) -> "Limits":
        """BFC_MAX_UPLOAD_MB and BFC_MAX_ROWS override the defaults."""
        megabytes = float(os.environ.get("BFC_MAX_UPLOAD_MB", 20))
        return cls(max_file_bytes=int(megabytes * 1024 * 1024), max_rows=int(os.environ.get("BFC_MAX_ROWS", 100_000)))


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


def refuse(name: str, why: str) -> RefusedFile:
    return RefusedFile(Problem("file_refused", name, detail=why))


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
        if b"E\x00n\x00c\x00r\x00y\x00p\x00t\x00" in data[:65536] or ending == ".xlsx":
            raise refuse(name, "the workbook is password-protected; remove the password and send it again")
        raise refuse(name, "it is an old-style Excel 97-2003 workbook (.xls); save it as an Excel workbook (.xlsx) and send it again")
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
    if any(n.endswith("vbaproject.bin") or n.endswith(".bin") and "vba" in n for n in names):
        raise refuse(name, "the workbook contains macros (a VBA part); save it as an ordinary Excel workbook (.xlsx)")
    declared = sum(m.file_size for m in members)
    if declared > limits.max_unzipped_bytes:
        raise refuse(name, f"the workbook would expand to {size_text(declared)}, over the "
                           f"{size_text(limits.max_unzipped_bytes)} safety limit")
    for member in members:
        if member.file_size > limits.max_part_ratio * max(member.compress_size, 1) and member.file_size > 0:
            raise refuse(name, f"part '{member.filename}' would expand {member.file_size / max(member.compress_size, 1):.0f} "
                               f"times, over the safety limit of {limits.max_part_ratio:.0f} (a possible zip bomb)")
    # The index can lie: count what the parts really expand to, stopping at the limit.
    total = 0
    for member in members:
        try:
            with archive.open(member) as part:
                while chunk := part.read(1 << 20):
                    total += len(chunk)
                    if total > limits.max_unzipped_bytes:
                        raise refuse(name, "the workbook expands beyond the safety limit (a possible zip bomb)")
        except (zipfile.BadZipFile, zlib.error, OSError, ValueError, NotImplementedError, EOFError):
            raise refuse(name, "the workbook is damaged and cannot be opened") from None
