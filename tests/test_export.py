"""Downloads cannot carry spreadsheet formulas; numbers stay numbers."""

import csv
import io

import pandas as pd

from bfc_data.outputs.export import csv_bytes, safe_frame


def test_formula_cells_are_neutralised_and_numbers_kept():
    frame = pd.DataFrame({"name": ["=HYPERLINK(\"http://x\")", "+1+1", "-2+3", "@SUM(A1)", "\tTab", "\rCR", "Plain", "Café £5"],
                          "value": [-1.5, 2, -3, 4, 5, 6, 7, 8]})
    rows = list(csv.reader(io.StringIO(csv_bytes(frame).decode("utf-8-sig"), newline="")))
    assert rows[0] == ["name", "value"]
    assert [r[0] for r in rows[1:]] == ["'=HYPERLINK(\"http://x\")", "'+1+1", "'-2+3", "'@SUM(A1)", "'\tTab", "'\rCR", "Plain", "Café £5"]
    assert [r[1] for r in rows[1:]][:3] == ["-1.5", "2.0", "-3.0"]
    assert pd.api.types.is_numeric_dtype(safe_frame(frame)["value"])


def test_hostile_header_is_neutralised():
    assert list(safe_frame(pd.DataFrame({"=cmd": [1]})).columns) == ["'=cmd"]


def test_excel_download_carries_no_formulas_and_keeps_numbers():
    import openpyxl

    from bfc_data.outputs.export import xlsx_bytes
    frame = pd.DataFrame({"name": ["=1+1", "+SUM(A1:A2)", "-2+3", "@cmd", "plain"], "value": [-1.5, 2.0, -3.0, 4.0, 5.0]})
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx_bytes({"Data": frame})))["Data"]
    names = [sheet.cell(row=r, column=1) for r in range(2, 7)]
    assert [c.value for c in names] == ["'=1+1", "'+SUM(A1:A2)", "'-2+3", "'@cmd", "plain"]
    assert all(c.data_type == "s" for c in names)
    assert [sheet.cell(row=r, column=2).value for r in range(2, 7)] == [-1.5, 2, -3, 4, 5]
    assert all(sheet.cell(row=r, column=2).data_type == "n" for r in range(2, 7))
