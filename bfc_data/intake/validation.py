"""Checking a file against the return contract and the reference framework: the one entry point.

The result is a `ValidatedFile`: the submissions it carries (one per organisation and reporting year), learning
rows, and every problem with file, sheet, row, column, value and what was expected. Nothing here touches the store.
The rules live by kind of file: `excel_return`, `bulk_csv` (with `return_rows`) and `records`.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from bfc_data.intake.bulk_csv import validate_csv
from bfc_data.intake.excel_return import validate_excel
from bfc_data.intake.problems import RefusedFile
from bfc_data.intake.reading import Sheet, Workbook, read
from bfc_data.intake.safety import Limits
from bfc_data.intake.schema import tell_csv_kind
from bfc_data.intake.validated import ORGANISATION_DETAILS, Submission, ValidatedFile
from bfc_data.reference.framework import Framework, framework

__all__ = ["ORGANISATION_DETAILS", "Submission", "ValidatedFile", "validate_bytes", "validate_path"]


def bulk_table_sheet(workbook: Workbook) -> Sheet | None:
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
    table = bulk_table_sheet(workbook) if workbook.file_type == "excel" else None
    if table is not None:
        result = validate_csv(Workbook(workbook.file, "excel", [table]), fw)
    else:
        result = validate_excel(workbook, fw) if workbook.file_type == "excel" else validate_csv(workbook, fw)
    result.sha256, result.size_bytes = sha256, len(data)
    if not result.ok:
        result.submissions, result.events, result.attendance, result.organisation_register = [], [], [], []
    return result


def validate_path(path, fw: Framework | None = None, limits: Limits | None = None) -> ValidatedFile:
    """Read and check a file on disk, for scripts and notebooks."""
    path = Path(path)
    return validate_bytes(path.name, path.read_bytes(), fw, limits)
