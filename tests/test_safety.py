"""Every kind of file refused before parsing names the file and says why in plain words."""

import io
import zipfile

import msoffcrypto.format.ooxml
import pytest
from conftest import MATURITY_CSV_HEADER, csv_bytes, excel_return, maturity_row

from bfc_data.intake.problems import RefusedFile
from bfc_data.intake.reading import read
from bfc_data.intake.safety import Limits, check
from bfc_data.intake.validation import validate_bytes


def refusal(name, data, limits=None):
    with pytest.raises(RefusedFile) as refused:
        read(name, data, limits or Limits())
    problem = refused.value.problem
    assert problem.kind == "file_refused" and problem.file == name
    return problem.detail


def test_a_good_workbook_and_csv_pass():
    assert check("r.xlsx", excel_return(), Limits()) == "excel"
    assert check("r.csv", csv_bytes(MATURITY_CSV_HEADER, [maturity_row()]), Limits()) == "csv"


@pytest.mark.parametrize("data", [b"", b"   \r\n", b"\xef\xbb\xbf"])
def test_empty_file(data):
    assert "empty" in refusal("r.csv", data)


def test_file_over_the_size_limit():
    data = csv_bytes(MATURITY_CSV_HEADER, [maturity_row()] * 200)
    detail = refusal("r.csv", data, Limits(max_file_bytes=1_048_576 // 100))
    assert "over the 10 KB limit" in detail


def test_too_many_rows():
    data = csv_bytes(MATURITY_CSV_HEADER, [maturity_row(action=f"A{i % 14 + 1}") for i in range(30)])
    assert "more than 10 rows" in refusal("r.csv", data, Limits(max_rows=10))


def test_macro_enabled_by_name():
    assert "macro-enabled" in refusal("return.xlsm", excel_return())


def test_macro_part_inside_an_xlsx():
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(excel_return())) as source, zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            target.writestr(item, source.read(item))
        target.writestr("xl/vbaProject.bin", b"\x00" * 64)
    assert "macros" in refusal("return.xlsx", buffer.getvalue())


def test_password_protected_workbook():
    encrypted = io.BytesIO()
    msoffcrypto.format.ooxml.OOXMLFile(io.BytesIO(excel_return())).encrypt("secret", encrypted)
    assert "password-protected" in refusal("return.xlsx", encrypted.getvalue())


# An old Office container: its directory names its streams in UTF-16 ('Workbook' in an .xls, 'WordDocument' in a .doc).
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 1024


def test_old_binary_workbook():
    xls = OLE + "Workbook".encode("utf-16-le") + b"\x00" * 1024
    assert "save it as an Excel workbook (.xlsx)" in refusal("return.xls", xls)
    # Regression: an .xls renamed .xlsx was refused as password-protected, the wrong reason.
    said = refusal("return.xlsx", xls)
    assert "old-style Excel 97-2003 workbook (.xls) named .xlsx" in said and "password" not in said


def test_another_old_office_document_is_not_called_a_workbook():
    said = refusal("return.xlsx", OLE + "WordDocument".encode("utf-16-le"))
    assert "older Office document, not a workbook" in said and "password" not in said


def test_workbook_named_csv():
    assert "not the .csv file its name says" in refusal("return.csv", excel_return())


def test_text_named_xlsx():
    assert "not an Excel workbook" in refusal("return.xlsx", b"organisation_code,reporting_year\nORG-0001,2024\n")


@pytest.mark.parametrize("data", [b"%PDF-1.7\n...", b"\x89PNG\r\n\x1a\n\x00\x00", b"<!DOCTYPE html><html></html>", b"a,b\x00c\n"])
def test_csv_that_is_really_something_else(data):
    assert "not a text file" in refusal("return.csv", data)


def test_other_endings_refused():
    assert "not accepted" in refusal("return.docx", b"hello")


def bomb(size: int, ratio_part: bool = True) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(excel_return())) as source, zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            target.writestr(item, source.read(item))
        target.writestr("xl/worksheets/sheet9.xml", b"0" * size)
    return buffer.getvalue()


def test_zip_bomb_by_ratio():
    assert "zip bomb" in refusal("return.xlsx", bomb(5_000_000))


def test_zip_bomb_by_total_size():
    detail = refusal("return.xlsx", bomb(3_000_000), Limits(max_unzipped_bytes=2_000_000, max_part_ratio=10_000))
    assert "safety limit" in detail


def test_a_lying_zip_index_is_still_caught():
    data = bytearray(bomb(3_000_000))
    # Shrink the declared size of the big part in the central directory; reading must still stop.
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as archive:
        info = archive.getinfo("xl/worksheets/sheet9.xml")
    central = data.rfind(b"xl/worksheets/sheet9.xml")
    header_start = central - 46
    assert data[header_start:header_start + 4] == b"PK\x01\x02"
    data[header_start + 24:header_start + 28] = (1000).to_bytes(4, "little")
    detail = refusal("return.xlsx", bytes(data), Limits(max_unzipped_bytes=2_000_000, max_part_ratio=10_000))
    assert "safety limit" in detail or "damaged" in detail
    assert info.file_size == 3_000_000


def test_damaged_workbook():
    assert "damaged" in refusal("return.xlsx", excel_return()[:300])


def test_refusal_becomes_a_problem_not_an_exception():
    result = validate_bytes("return.xlsm", excel_return())
    assert not result.ok and result.outcome == "rejected"
    assert "return.xlsm" in result.problems[0].message and "macro" in result.problems[0].message


def test_unsupported_zip_version_is_a_refusal_not_a_crash():
    # Found by the fuzz test: a part whose header asks for zip version 7.9 raised NotImplementedError.
    data = bytearray(excel_return())
    for start in range(len(data) - 4):
        if data[start:start + 4] in (b"PK\x01\x02", b"PK\x03\x04"):
            offset = 6 if data[start:start + 4] == b"PK\x01\x02" else 4
            data[start + offset:start + offset + 2] = (79).to_bytes(2, "little")
    assert "damaged" in refusal("return.xlsx", bytes(data))
