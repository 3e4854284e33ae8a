"""The Excel return (the template's Organisation, Maturity and Metrics sheets): the organisation's label/value
answers, then its table sheets by the row rules."""

from __future__ import annotations

import re

from bfc_data.intake import values as v
from bfc_data.intake.cells import Cells, read_table_sheet
from bfc_data.intake.problems import Problem, has_errors
from bfc_data.intake.reading import Sheet, Workbook
from bfc_data.intake.return_rows import check_maturity_part, check_metrics_part, maturity_row, maturity_sheet, metric_row
from bfc_data.intake.schema import EXCEL_RETURN, MATURITY_SHEET, METRICS_SHEET, ORGANISATION_FIELDS
from bfc_data.intake.validated import Submission, ValidatedFile
from bfc_data.reference.framework import Framework, key


def organisation_sheet(cells: Cells, sheet: Sheet) -> tuple[dict, dict[str, int]]:
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


def organisation_details(cells: Cells, fields: dict, rows: dict, title: dict[str, str]):
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
        code = cells.organisation_code(where("organisation_code"), title["organisation_code"], fields["organisation_code"])
    name = need("organisation_name")
    if name is not None:
        name = cells.optional_text(name, where("organisation_name"), title["organisation_name"])
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
        result.file_kind = EXCEL_RETURN if organisation or maturity else None
        return result

    cells = Cells(workbook.file, organisation.name, fw, problems)
    fields, rows = organisation_sheet(cells, organisation)
    code, year, details = organisation_details(cells, fields, rows, {c.name: c.title for c in ORGANISATION_FIELDS})

    maturity_rows: list[dict] = []
    cells = Cells(workbook.file, maturity.name, fw, problems)
    if not maturity.rows:
        cells.add("missing_column", 1, "Action", None, "the headings of the template's Maturity sheet in row 1")
    else:
        read = read_table_sheet(cells, maturity, MATURITY_SHEET, maturity_row, check_maturity_part, result, maturity_sheet)
        if read is not None:
            maturity_rows, label = read
            if not any(r["maturity_level"] is not None for r in maturity_rows) and not has_errors(problems):
                cells.add("no_levels", None, label.get("maturity_level", "Maturity level"), None, None,
                          "the return says the organisation does not yet take part in any action")

    metric_rows: list[dict] | None = None
    metrics = workbook.sheet("Metrics")
    if metrics is not None and len(metrics.rows) > 1:
        read = read_table_sheet(Cells(workbook.file, metrics.name, fw, problems), metrics, METRICS_SHEET,
                           metric_row, check_metrics_part, result)
        metric_rows = read[0] if read is not None else None
    if code and year is not None and not has_errors(problems):
        result.submissions.append(Submission(code, year, details, maturity_rows, metric_rows or None))
    return result
