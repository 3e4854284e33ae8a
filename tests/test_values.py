import datetime as dt

import pytest

from bfc_data.intake import values as v


@pytest.mark.parametrize("typed", ["3", 3, 3.0, "3 Achieving", "3 - Achieving", "3 – achieving", "Level 3", "level 3",
                                   "achieving", "ACHIEVING", " Achieving ", "Level 3 (Achieving)", "3.0", "L3"])
def test_every_accepted_level_form(fw, typed):
    assert v.maturity_level(typed, fw) == 3


@pytest.mark.parametrize("typed, kind", [("5", "out_of_range"), ("0", "out_of_range"), ("2.5", "out_of_range"),
                                         ("3 - Excelling", "unknown_code"), ("great", "unknown_code"), ("3 4", "unknown_code")])
def test_bad_levels_say_what_was_expected(fw, typed, kind):
    with pytest.raises(v.BadValue) as bad:
        v.maturity_level(typed, fw)
    assert bad.value.kind == kind
    assert "1 Starting" in bad.value.expected and "4 Excelling" in bad.value.expected


@pytest.mark.parametrize("typed", ["2024-25", "2024/25", "2024-2025", "FY2024-25", "fy 2024/25", "2024", 2024, 2024.0, "2024–25", "2024 - 25"])
def test_every_accepted_year_form(typed):
    assert v.reporting_year(typed) == 2024


def test_year_across_a_century():
    assert v.reporting_year("2099-00") == 2099


@pytest.mark.parametrize("typed", ["2024-26", "24-25", "last year", "2024/2026", "1999-00", ""])
def test_unreadable_years(typed):
    with pytest.raises(v.BadValue) as bad:
        v.reporting_year(typed)
    assert bad.value.kind == "bad_year"


def test_year_label():
    assert v.year_label(2024) == "2024-25"
    assert v.year_label(2099) == "2099-00"


@pytest.mark.parametrize("typed, code", [("A3", "A3"), ("a03", "A3"), ("3", "A3"), (3.0, "A3"), ("Action 3", "A3"),
                                         ("A14 - Share power", "A14"), ("A1 Pay the London Living Wage", "A1")])
def test_action_forms(fw, typed, code):
    assert v.action(typed, fw) == code


def test_action_by_exact_title(fw):
    assert v.action(fw.actions["A7"].title.upper(), fw) == "A7"


@pytest.mark.parametrize("typed", ["A15", "A0", "B3", "Living wage"])
def test_unknown_actions(fw, typed):
    with pytest.raises(v.BadValue, match="A1, A2"):
        v.action(typed, fw)


@pytest.mark.parametrize("typed, code, usual", [("ORG-0042", "ORG-0042", True), ("org 42", "ORG-0042", True),
                                                ("ORG0042", "ORG-0042", True), ("gla-99", "GLA-99", False)])
def test_organisation_codes(typed, code, usual):
    assert v.organisation_code(typed) == (code, usual)


@pytest.mark.parametrize("typed, number", [("1,234", 1234.0), ("£12.50", 12.5), ("45%", 45.0), (7, 7.0), ("-3.5", -3.5), ("−2", -2.0)])
def test_numbers(typed, number):
    assert v.number(typed) == number


@pytest.mark.parametrize("typed", ["N/A", "n/a", "-", "None", "", None, "  ", "not applicable"])
def test_blank_words(typed):
    assert v.is_blank(typed)


@pytest.mark.parametrize("typed", ["2024-03-14", "14/03/2024", "14 March 2024", dt.date(2024, 3, 14), dt.datetime(2024, 3, 14)])
def test_dates(typed):
    assert v.date(typed) == dt.date(2024, 3, 14)


def test_text_of_cells():
    assert v.text(3.0) == "3" and v.text(2.5) == "2.5" and v.text(None) == "" and v.text(float("nan")) == ""


def test_london_time_follows_british_summer_time():
    assert v.london_time(dt.datetime(2025, 7, 1, 9, 30)) == dt.datetime(2025, 7, 1, 10, 30)
    assert v.london_time(dt.datetime(2025, 12, 1, 9, 30)) == dt.datetime(2025, 12, 1, 9, 30)
