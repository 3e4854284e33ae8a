"""CSV in every encoding and separator the contract allows; row numbers as a spreadsheet shows them."""

import pytest
from conftest import MATURITY_CSV_HEADER, csv_bytes, excel_return, maturity_row

from bfc_data.intake.reading import read
from bfc_data.intake.validation import validate_bytes

ROWS = [maturity_row(action="A1"), maturity_row(action="A2", level="2")]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252"])
@pytest.mark.parametrize("separator", [",", ";"])
def test_csv_encodings_and_separators(encoding, separator):
    rows = [maturity_row(action="A1"), ["ORG-0042", "Brookmere Housing Association", "Housing association", "2024-25",
                                        "A2", "All roles", "All Londoners", "", "2", "£2,000 grant; 3 staff trained", "", ""]]
    result = validate_bytes("r.csv", csv_bytes(MATURITY_CSV_HEADER, rows, encoding, separator))
    assert result.ok, [p.message for p in result.problems]
    maturity = result.submissions[0].maturity
    assert [r["maturity_level"] for r in maturity] == [3, 2]
    assert maturity[1]["evidence"] == "£2,000 grant; 3 staff trained"


def test_encoding_is_recorded():
    rows = [maturity_row()[:9] + ["£500 spent", "", ""]]
    workbook = read("r.csv", csv_bytes(MATURITY_CSV_HEADER, rows, "cp1252", ";"))
    assert workbook.encoding == "cp1252" and workbook.separator == ";"


def test_quoted_line_break_is_one_row():
    text = ",".join(MATURITY_CSV_HEADER) + "\r\n"
    text += 'ORG-0042,Brookmere,Housing association,2024-25,A1,All roles,All Londoners,,3,"line one\nline two",,\r\n'
    text += "ORG-0042,Brookmere,Housing association,2024-25,A2,All roles,All Londoners,,9,,,\r\n"
    result = validate_bytes("r.csv", text.encode())
    [problem] = result.errors
    assert problem.row == 3 and problem.column == "maturity_level" and problem.value == "9"


def test_blank_lines_keep_their_row_numbers():
    text = ",".join(MATURITY_CSV_HEADER) + "\n\n" + ",".join(maturity_row(level="7")) + "\n"
    [problem] = validate_bytes("r.csv", text.encode()).errors
    assert problem.row == 3


def test_excel_rows_count_from_the_sheet_top_even_with_gaps():
    data = excel_return(maturity=[["A1", "All roles", "All Londoners", None, 3], [None] * 5, ["A2", "All roles", "All Londoners", None, 8]])
    [problem] = validate_bytes("r.xlsx", data).errors
    assert (problem.sheet, problem.row, problem.column, problem.value) == ("Maturity", 4, "Maturity level", "8")


def test_kind_is_told_by_headers_not_name():
    result = validate_bytes("metrics.csv", csv_bytes(MATURITY_CSV_HEADER, ROWS))
    assert result.file_kind == "maturity CSV" and result.ok
