"""Reading the maturity sheet column by column, each distinct value once, says exactly what reading every cell
on its own says: the same rows, the same problems, in the same order."""

from __future__ import annotations

import random

import pytest
from conftest import excel_return

from bfc_data.intake import cells as cells_module
from bfc_data.intake.cells import Cells, read_table_sheet
from bfc_data.intake.reading import read
from bfc_data.intake.return_rows import check_maturity_part, maturity_row, maturity_sheet
from bfc_data.intake.schema import MATURITY_SHEET
from bfc_data.intake.validated import ValidatedFile
from bfc_data.reference.framework import framework

# Cells of every kind a partner types: good, variant, blank words, wrong, hidden characters, numbers as numbers.
CHOICES = {
    "action": ["A1", "a01", "Action 3", 3, 3.0, "A99", "", None, "A1 Pay the London Living Wage and become an accredited Living Wage employer", "A\u200b2"],
    "role": ["Employer", "As an employer", "all roles", "Nobody", None, "N/A", "Ｅｍｐｌｏｙｅｒ"],
    "group": ["All Londoners", "Race", "Ethnicity", "LGBTQI+", "LGBT", "Sex", "Martians", None, "Disabled people", "race\u200d"],
    "second": [None, None, None, "Sex", "Race", "All Londoners", "n/a", "Martians"],
    "level": [1, 2.0, "3 Achieving", "Level 2", "excelling", "N/A", "", None, 7, "2 Excelling", True, "nil"],
    "evidence": ["Board paper", None, "Trans staff network review", "bad\u2066bell", "gender reassignment audit", 42],
    "next": [None, "Publish", "\u202eevil", ""],
    "support": [None, "Study tour", "Study tours", "Knitting", "none"],
}


COLUMNS = ("action", "role", "group", "second", "level", "evidence", "next", "support")
CLEAN = ["A1", "Employer", "Race", None, 2, "Board paper", None, None]


def _messy_rows(seed: int, count: int = 120) -> list[list]:
    """Rows of clean cells with one or two cells typed otherwise, and some rows messy throughout."""
    rng = random.Random(seed)
    rows = []
    for number in range(count):
        row = [f"A{1 + number % 14}", *CLEAN[1:]]
        if rng.random() < 0.2:
            row = [rng.choice(CHOICES[c]) for c in COLUMNS]
        else:
            for _ in range(rng.choice([0, 1, 1, 2])):
                position = rng.randrange(len(COLUMNS))
                row[position] = rng.choice(CHOICES[COLUMNS[position]])
        rows.append(row)
    return rows


def _cell_by_cell(monkeypatch, sheet, fw):
    """The rules applied to each cell where it stands: no memory of earlier cells, no column pass."""
    monkeypatch.setattr(Cells, "once", lambda self, row, column, raw, reader: reader(self, raw, column, row))
    problems = []
    result = ValidatedFile("f.xlsx", None, "", 0)
    rows, _ = read_table_sheet(Cells("f.xlsx", sheet.name, fw, problems), sheet, MATURITY_SHEET, maturity_row,
                               check_maturity_part, result)
    monkeypatch.undo()
    return rows, problems, result.rows_read


@pytest.mark.parametrize("seed", range(6))
def test_column_by_column_reads_as_cell_by_cell(monkeypatch, seed):
    fw = framework()
    workbook = read("f.xlsx", excel_return(maturity=_messy_rows(seed)))
    sheet = workbook.sheet("Maturity")
    cells_module._READ.clear()
    problems = []
    result = ValidatedFile("f.xlsx", None, "", 0)
    rows, _ = read_table_sheet(Cells("f.xlsx", sheet.name, fw, problems), sheet, MATURITY_SHEET, maturity_row,
                               check_maturity_part, result, maturity_sheet)
    expected_rows, expected_problems, expected_read = _cell_by_cell(monkeypatch, sheet, fw)
    assert problems == expected_problems
    assert rows == expected_rows
    assert result.rows_read == expected_read == 120
    assert {p.kind for p in problems} >= {"unknown_code", "variant_normalised", "blank_word", "missing_value",
                                         "invisible_characters", "control_characters", "ignored_value"}


def test_a_second_file_says_the_same_as_the_first():
    """What a value read to is remembered across files; each file's problems still name its own file and rows."""
    from bfc_data.intake.validation import validate_bytes
    data = excel_return(maturity=_messy_rows(99, 40))
    first, second = validate_bytes("first.xlsx", data), validate_bytes("second.xlsx", data)
    assert [p.file for p in second.problems] == ["second.xlsx"] * len(second.problems)
    assert [(p.kind, p.row, p.column, p.value, p.detail) for p in first.problems] == \
           [(p.kind, p.row, p.column, p.value, p.detail) for p in second.problems]
