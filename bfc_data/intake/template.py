"""The blank Excel return, generated from the reference files (openpyxl writes; it never reads uploads)."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from bfc_data.intake.schema import MATURITY_SHEET, METRICS_SHEET, ORGANISATION_FIELDS
from bfc_data.intake.values import year_label
from bfc_data.reference.framework import ALL_LONDONERS, Framework, framework

HEADER_FILL = PatternFill("solid", fgColor="1F3864")
HEADER_FONT = Font(bold=True, color="FFFFFF")
DATA_ROWS = 500  # rows of the Maturity and Metrics sheets that carry drop-downs

GUIDANCE = {
    "organisation_name": "Your organisation's full name",
    "organisation_code": "The code the GLA gave you, such as ORG-0042",
    "sector": "Choose from the list",
    "size_band": "Number of staff: choose from the list",
    "borough": "Your borough, or London-wide",
    "reporting_year": "The financial year this return covers, such as 2025-26",
    "contact_name": "Who we may contact about this return",
    "contact_email": "Their e-mail address",
}


def reporting_years(first: int = 2022, today: dt.date | None = None) -> list[str]:
    today = today or dt.date.today()
    return [year_label(y) for y in range(first, today.year + 2)]


def _lists(fw: Framework) -> dict[str, list[str]]:
    return {
        "Action": [f"{code} - {a.title}" for code, a in fw.actions.items()],
        "Role": list(fw.roles.values),
        "Equality group": list(fw.equality_groups.values),
        "Maturity level": [fw.level_name(level) for level in fw.maturity_scale],
        "Support wanted": list(fw.learning_formats.values),
        "Sector": list(fw.sectors.values),
        "Size band": list(fw.size_bands.values),
        "Borough": list(fw.boroughs.values),
        "Reporting year": reporting_years(),
        "Metric": [f"{m.metric} - {m.name}" for m in fw.metrics.values()],
    }


def _style_header(sheet, titles: list[str], widths: list[int]) -> None:
    for column, (title, width) in enumerate(zip(titles, widths), start=1):
        cell = sheet.cell(row=1, column=column, value=title)
        cell.fill, cell.font = HEADER_FILL, HEADER_FONT
        cell.alignment = Alignment(vertical="center", wrap_text=True)
        sheet.column_dimensions[get_column_letter(column)].width = width
    sheet.freeze_panes = "A2"
    sheet.row_dimensions[1].height = 22


def _validation(sheet, reference: str, cells: str, prompt: str) -> None:
    # Warning style: partners may still type an accepted variant ("Ethnicity", "Level 3"), which the loader reads.
    check = DataValidation(type="list", formula1=reference, allow_blank=True, showDropDown=False,
                           showErrorMessage=True, errorStyle="warning", errorTitle="Not in the list",
                           error="This is not one of the listed values. Choose from the list if you can.",
                           showInputMessage=True, promptTitle="Choose from the list", prompt=prompt)
    check.add(cells)
    sheet.add_data_validation(check)


def build_template(fw: Framework | None = None) -> bytes:
    """The blank return as .xlsx bytes: guidance, Organisation, Maturity and Metrics sheets with drop-downs."""
    fw = fw or framework()
    book = Workbook()
    guide = book.active
    guide.title = "How to fill this in"
    lists = _lists(fw)

    # Hidden sheet holding the drop-down lists: list validations over 255 characters must point at cells.
    hidden = book.create_sheet("Lists")
    refs = {}
    for column, (name, items) in enumerate(lists.items(), start=1):
        letter = get_column_letter(column)
        hidden.cell(row=1, column=column, value=name)
        for row, item in enumerate(items, start=2):
            hidden.cell(row=row, column=column, value=item)
        refs[name] = f"Lists!${letter}$2:${letter}${len(items) + 1}"
    hidden.sheet_state = "hidden"

    org = book.create_sheet("Organisation", 1)
    _style_header(org, ["Question", "Your answer", "Guidance"], [26, 44, 52])
    for row, column in enumerate(ORGANISATION_FIELDS, start=2):
        label = org.cell(row=row, column=1, value=column.title + (" (required)" if column.required else ""))
        label.font = Font(bold=column.required)
        org.cell(row=row, column=3, value=GUIDANCE[column.name]).font = Font(italic=True, color="404040")
        list_name = {"sector": "Sector", "size_band": "Size band", "borough": "Borough", "reporting_year": "Reporting year"}.get(column.name)
        if list_name:
            _validation(org, refs[list_name], f"B{row}", GUIDANCE[column.name])
        # Text format keeps '2025-26' and codes as typed instead of Excel turning them into dates or numbers.
        org.cell(row=row, column=2).number_format = "@"

    maturity = book.create_sheet("Maturity", 2)
    titles = [c.title for c in MATURITY_SHEET]
    _style_header(maturity, titles, [46, 18, 26, 22, 16, 44, 44, 22])
    for row, code in enumerate(fw.actions, start=2):
        maturity.cell(row=row, column=1, value=lists["Action"][row - 2])
        maturity.cell(row=row, column=2, value="All roles")
        maturity.cell(row=row, column=3, value=ALL_LONDONERS)
    last = DATA_ROWS + 1
    for column, list_name in (("A", "Action"), ("B", "Role"), ("C", "Equality group"), ("D", "Equality group"),
                              ("E", "Maturity level"), ("H", "Support wanted")):
        _validation(maturity, refs[list_name], f"{column}2:{column}{last}", f"{list_name}: choose from the list")

    metrics = book.create_sheet("Metrics", 3)
    _style_header(metrics, [c.title for c in METRICS_SHEET], [52, 26, 14, 50])
    _validation(metrics, refs["Metric"], f"A2:A{last}", "Metric: choose from the list")
    _validation(metrics, refs["Equality group"], f"B2:B{last}", "Leave blank for a metric not reported by group")

    _write_guide(guide, fw)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _write_guide(sheet, fw: Framework) -> None:
    scale = "; ".join(f"{fw.level_name(level)}" for level in fw.maturity_scale)
    lines = [
        ("Building a Fairer City: annual return", True),
        ("One return for one organisation and one reporting year.", False),
        ("", False),
        ("1. Organisation sheet: fill in the answers in column B. Name, code, sector and reporting year are required.", False),
        ("2. Maturity sheet: one row per action, role and equality group. Each action you take part in needs its "
         f"'{ALL_LONDONERS}' row (already listed). Add rows for other groups; use 'Intersecting group' for a second group.", False),
        (f"   Maturity level: {scale}. Leave it blank for an action you do not yet take part in.", False),
        ("   Support wanted: the learning format that would help you most with that action, or blank.", False),
        ("3. Metrics sheet (optional): one row per metric, with the equality group where the metric is reported by group.", False),
        ("   Percentages as numbers from 0 to 100 (45 or 45%); money in pounds; yes/no as yes or no.", False),
        ("", False),
        ("Do not rename the sheets or the column headings. Extra columns are kept as notes.", False),
        ("Save as an Excel workbook (.xlsx); workbooks with macros or passwords cannot be accepted.", False),
    ]
    for row, (text, bold) in enumerate(lines, start=1):
        cell = sheet.cell(row=row, column=1, value=text)
        cell.font = Font(bold=bold, size=14 if row == 1 else 11)
    sheet.column_dimensions["A"].width = 130


def write_template(path: Path | str, fw: Framework | None = None) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(build_template(fw))
    return path
