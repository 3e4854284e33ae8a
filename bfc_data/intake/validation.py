"""Checking a file against the return contract and the reference framework: the one entry point.

The result is a `ValidatedFile`: the submissions it carries (one per organisation and reporting year), learning
rows, and every problem with file, sheet, row, column, value and what was expected. Nothing here touches the store.
The rules live by kind of file: `excel_return`, `bulk_csv` (with `return_rows`) and `records`.
"""

from __future__ import annotations

import hashlib
import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from bfc_data.intake.bulk_csv import validate_csv
from bfc_data.intake.excel_return import validate_excel
from bfc_data.intake.problems import RefusedFile
from bfc_data.intake.reading import Sheet, Workbook, read
from bfc_data.intake.safety import Limits
from bfc_data.intake.schema import tell_csv_kind
from bfc_data.intake.validated import ORGANISATION_DETAILS, Submission, ValidatedFile
from bfc_data.reference.framework import Framework, framework

__all__ = ["ORGANISATION_DETAILS", "Submission", "ValidatedFile", "each_validated", "validate_bytes", "validate_many",
           "validate_path"]

# Below this many files, starting worker processes costs more than it saves.
PARALLEL_FROM = 64


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


def _validated(item: tuple[str, bytes, Framework | None, Limits | None]) -> ValidatedFile:
    name, data, fw, limits = item
    result = validate_bytes(name, data, fw, limits)
    for submission in result.submissions:
        submission.fingerprint()  # worked out here, in parallel, and carried back with the result
    return result


def _validated_to_send(item: tuple[str, bytes, Framework | None, Limits | None]) -> ValidatedFile:
    # Rows by column cost a fraction of rows as dicts to pickle here and to unpickle in the loading process.
    result = _validated(item)
    for submission in result.submissions:
        submission.by_column()
    return result


def validate_many(files: list[tuple[str, bytes]], fw: Framework | None = None, limits: Limits | None = None,
                  progress=None, workers: int | None = None) -> list[ValidatedFile]:
    """Check many files, each on its own as `validate_bytes` does, in order; `progress(done, total, name)` after each.
    See `each_validated`."""
    return list(each_validated(files, fw, limits, progress, workers))


def each_validated(files: list[tuple[str, bytes]], fw: Framework | None = None, limits: Limits | None = None,
                   progress=None, workers: int | None = None):
    """Each file's `validate_bytes`, in order, as soon as it is ready: a caller may load what is checked while the
    rest is being checked.

    A large batch is shared among worker processes, one per core (checking is pure Python, so threads would
    queue behind one another). Workers are forked: they start at once with the framework already read, and they
    only read bytes and return results, never touching the store. Where forking is not available, or the batch
    is small, the files are checked here, one after another.
    """
    if workers is None:
        workers = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    items = [(name, data, fw, limits) for name, data in files]
    parallel = workers > 1 and len(files) >= PARALLEL_FROM and "fork" in multiprocessing.get_all_start_methods()
    if not parallel:
        for index, item in enumerate(items):
            result = _validated(item)
            if progress:
                progress(index + 1, len(files), item[0])
            yield result
        return
    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
        for index, result in enumerate(pool.map(_validated_to_send, items, chunksize=max(1, min(32, len(files) // (4 * workers))))):
            if progress:
                progress(index + 1, len(files), result.file)
            yield result
