"""Untrusted input: corrupted and random files come back as problems, never as exceptions."""

import random

import pytest
from conftest import MATURITY_CSV_HEADER, csv_bytes, excel_return, maturity_row

from bfc_data.intake.validation import validate_bytes
from bfc_data.sample import reproducible


def mutations(data: bytes, count: int, seed: int):
    rng = random.Random(seed)
    for _ in range(count):
        mutated = bytearray(data)
        for _ in range(rng.randint(1, 20)):
            choice = rng.random()
            position = rng.randrange(len(mutated))
            if choice < 0.5:
                mutated[position] = rng.randrange(256)
            elif choice < 0.75:
                del mutated[position:position + rng.randint(1, 50)]
            else:
                mutated[position:position] = bytes(rng.randrange(256) for _ in range(rng.randint(1, 20)))
        yield bytes(mutated)


def clean_or_refused(name, result) -> None:
    """Every outcome is a load that would change something, or a refusal that says where and why."""
    if result.ok:
        assert result.submissions or result.events or result.attendance or result.organisation_register, \
            "a file accepted with nothing in it would load nothing and say nothing"
    else:
        assert result.errors, "a refusal names at least one error"
        for problem in result.errors:
            assert problem.file == name and problem.message and problem.title
            if name.endswith(".xlsx") and problem.row is not None:
                assert problem.sheet, "a workbook's row is named with its sheet"


@pytest.mark.parametrize("name, data", [
    # reproducible(): the same bytes every run, so a failure found here can be found again.
    ("r.xlsx", reproducible(excel_return())),
    ("r.csv", csv_bytes(MATURITY_CSV_HEADER, [maturity_row(action=f"A{i}") for i in range(1, 15)])),
])
def test_corrupted_files_never_raise(name, data):
    outcomes = set()
    for mutated in mutations(data, 150, seed=len(name)):
        result = validate_bytes(name, mutated)
        clean_or_refused(name, result)
        outcomes.add(result.outcome)
    assert "rejected" in outcomes


def test_random_bytes_are_refused():
    rng = random.Random(1)
    for _ in range(50):
        data = bytes(rng.randrange(256) for _ in range(rng.randint(1, 4000)))
        for name in ("r.csv", "r.xlsx"):
            result = validate_bytes(name, data)
            assert not result.ok


def test_corrupted_sheet_xml_inside_a_valid_archive_never_raises():
    import io
    import zipfile
    original = reproducible(excel_return())
    with zipfile.ZipFile(io.BytesIO(original)) as source:
        parts = {item.filename: source.read(item) for item in source.infolist()}
    targets = [n for n in parts if n.startswith("xl/worksheets/") or n in ("xl/sharedStrings.xml", "xl/workbook.xml")]
    outcomes = set()
    for index in range(120):
        target = targets[index % len(targets)]
        mutated_part = next(mutations(parts[target], 1, seed=index))
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for filename, content in parts.items():
                archive.writestr(filename, mutated_part if filename == target else content)
        result = validate_bytes("r.xlsx", buffer.getvalue())
        clean_or_refused("r.xlsx", result)
        outcomes.add(result.outcome)
    assert "rejected" in outcomes
