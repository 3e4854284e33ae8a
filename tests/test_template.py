"""The blank return is generated from the reference files and loads without edits once filled in."""

import io

import openpyxl
from test_framework import copy_reference

from bfc_data.intake.template import build_template
from bfc_data.intake.validation import validate_bytes
from bfc_data.reference.framework import load_framework
from bfc_data.store import load_files


def validations(sheet):
    """{cell range: the list it points at} for each drop-down of a sheet."""
    return {str(dv.sqref): dv.formula1 for dv in sheet.data_validations.dataValidation}


def test_template_sheets_headers_and_drop_downs():
    book = openpyxl.load_workbook(io.BytesIO(build_template()))
    assert book.sheetnames == ["How to fill this in", "Organisation", "Maturity", "Metrics", "Lists"]
    assert book["Lists"].sheet_state == "hidden"
    maturity = book["Maturity"]
    assert [c.value for c in maturity[1]] == ["Action", "Role", "Equality group", "Intersecting group", "Maturity level",
                                              "Evidence", "Next step", "Support wanted"]
    assert maturity["A1"].font.bold and maturity.freeze_panes == "A2"
    coded = validations(maturity)
    for column in "ABCDEH":
        assert f"{column}2:{column}501" in coded, column
    lists = book["Lists"]
    level_list = coded["E2:E501"].split("!")[1].replace("$", "")
    assert [c.value for c in lists[level_list.split(":")[0][0]]][1:5] == ["1 Starting", "2 Developing", "3 Achieving", "4 Excelling"]
    organisation = validations(book["Organisation"])
    labels = {cell.value.replace(" (required)", ""): cell.row for cell in book["Organisation"]["A"][1:]}
    for label in ("Sector", "Size band", "Borough", "Reporting year"):
        assert f"B{labels[label]}" in organisation, label
    assert "A2:A501" in validations(book["Metrics"]) and "B2:B501" in validations(book["Metrics"])
    assert "How to fill this in" in book.sheetnames and book["How to fill this in"]["A1"].value.startswith("Building a Fairer City")


def fill(template: bytes, answers: dict, levels: dict, metrics=()) -> bytes:
    """What a partner does by hand: answers in column B, levels picked from the drop-down."""
    book = openpyxl.load_workbook(io.BytesIO(template))
    organisation = book["Organisation"]
    for row in organisation.iter_rows(min_row=2):
        label = row[0].value.replace(" (required)", "")
        if label in answers:
            row[1].value = answers[label]
    maturity = book["Maturity"]
    for row in maturity.iter_rows(min_row=2, max_row=15):
        code = row[0].value.split(" - ")[0]
        if code in levels:
            row[4].value = levels[code]
    for metric in metrics:
        book["Metrics"].append(metric)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_filled_template_loads_without_edits(store):
    template = build_template()
    lists = openpyxl.load_workbook(io.BytesIO(template))["Lists"]
    sector = lists["F2"].value
    year = lists["I5"].value
    data = fill(template, {"Organisation name": "Fairholt Law Centre", "Organisation code": "ORG-0077", "Sector": sector,
                           "Size band": "Under 50", "Borough": "Lambeth", "Reporting year": year,
                           "Contact name": "A. Partner", "Contact email": "a.partner@example.org"},
                {"A1": "3 Achieving", "A4": "1 Starting", "A13": "4 Excelling"},
                metrics=[[lists["J3"].value, None, 95, None]])
    result = validate_bytes("ORG-0077.xlsx", data)
    assert result.ok and result.warnings == [], [p.message for p in result.problems]
    [outcome] = load_files(store, [("ORG-0077.xlsx", data)], "officer.one")
    assert outcome.outcome == "accepted"
    levels = store.query("SELECT action, maturity_level FROM current_maturity WHERE maturity_level IS NOT NULL ORDER BY source_row")
    assert levels.values.tolist() == [["A1", 3], ["A4", 1], ["A13", 4]]
    assert store.scalar("SELECT count(*) FROM current_maturity WHERE maturity_level IS NULL") == 11
    assert store.query("SELECT metric, value FROM current_metrics").values.tolist() == [["LLW_SHARE", 95.0]]


def test_template_follows_the_reference_files(tmp_path):
    ref = copy_reference(tmp_path)
    text = (ref / "actions.csv").read_text()
    (ref / "actions.csv").write_text(text.replace("Report and close pay gaps by equality group", "Close pay gaps (agreed wording)"))
    book = openpyxl.load_workbook(io.BytesIO(build_template(load_framework(ref))))
    assert "A7 - Close pay gaps (agreed wording)" in [c.value for c in book["Lists"]["A"]]
