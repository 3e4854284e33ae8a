"""Bulk tables (a CSV, or the one sheet of a workbook holding such a table): the kind told from the headings,
maturity and metrics rows grouped into one submission per organisation and reporting year."""

from __future__ import annotations

from bfc_data.intake import values as v
from bfc_data.intake.cells import Cells, data_rows, header_names, map_columns
from bfc_data.intake.problems import has_errors
from bfc_data.intake.reading import Workbook
from bfc_data.intake.records import attendance_rows, event_rows, register_rows
from bfc_data.intake.return_rows import check_maturity_part, check_metrics_part, maturity_row, metric_row
from bfc_data.intake.schema import ATTENDANCE_CSV, CSV_KINDS, EVENTS_CSV, MATURITY_CSV, METRICS_CSV, tell_csv_kind
from bfc_data.intake.validated import Submission, ValidatedFile
from bfc_data.reference.framework import Framework, key


def group_by_return(cells: Cells, workbook: Workbook, found, headers, extra, label, row_reader, part: str):
    """Group a bulk CSV's rows into one submission per organisation and reporting year."""
    submissions: dict[tuple[str, int], Submission] = {}
    detail_rows: dict[tuple[str, int], dict[str, tuple[str, int]]] = {}
    count = 0
    for number, record, extras in data_rows(workbook.sheets[0], found, headers, extra):
        count += 1
        code = cells.required(number, label["organisation_code"], record.get("organisation_code"))
        if code is not None:
            code = cells.organisation_code(number, label["organisation_code"], record["organisation_code"])
        year = None
        if cells.required(number, label["reporting_year"], record.get("reporting_year")) is not None:
            year = cells.parse(number, label["reporting_year"], record["reporting_year"], v.reporting_year)
        details = {}
        if "organisation_name" in record:
            details["organisation_name"] = cells.required(number, label["organisation_name"], record["organisation_name"])
            if details["organisation_name"] is not None:
                details["organisation_name"] = cells.optional_text(details["organisation_name"], number, label["organisation_name"])
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
    cells = Cells(workbook.file, sheet.name, fw, result.problems)
    header = sheet.header()
    kind, _ = tell_csv_kind(header[1]) if header else (None, 0)
    if kind is None:
        shown = ", ".join(h for h in (header[1] if header else []) if h)[:200]
        cells.add("not_a_return", 1, None, shown or None,
                  "the headings of a maturity, metrics, learning events or attendance CSV (see the README)")
        return result
    result.file_kind = kind
    found, headers, extra = map_columns(cells, sheet, CSV_KINDS[kind])
    if found is None:
        return result
    label = header_names(found, headers)
    for column in CSV_KINDS[kind]:
        label.setdefault(column.name, column.name)
    if len(sheet.rows) < 2:
        cells.add("no_records", 2, None, None, "at least one row under the headings")
        return result

    if kind == MATURITY_CSV:
        result.submissions, result.rows_read = group_by_return(cells, workbook, found, headers, extra, label, maturity_row, "maturity")
        for submission in result.submissions:
            check_maturity_part(cells, submission.maturity, label)
    elif kind == METRICS_CSV:
        result.submissions, result.rows_read = group_by_return(cells, workbook, found, headers, extra, label, metric_row, "metrics")
        for submission in result.submissions:
            check_metrics_part(cells, submission.metrics, label)
    elif kind == EVENTS_CSV:
        result.events, result.rows_read = event_rows(cells, sheet, found, headers, extra, label)
    elif kind == ATTENDANCE_CSV:
        result.attendance, result.rows_read = attendance_rows(cells, sheet, found, headers, extra, label)
    else:
        result.organisation_register, result.rows_read = register_rows(cells, sheet, found, headers, extra, label)
    if has_errors(result.problems):
        result.submissions, result.events, result.attendance, result.organisation_register = [], [], [], []
    return result
