"""Every sentence counts what it says, over the organisations it says, and names the filters it reflects: the
examples a reviewer found untrue, each held to hand-worked numbers."""

import pandas as pd
import pytest
from conftest import MATURITY_CSV_HEADER, csv_bytes, maturity_row

from bfc_data import analysis
from bfc_data.outputs import charts, words
from bfc_data.store import load_files


def load(store, rows):
    [outcome] = load_files(store, [("r.csv", csv_bytes(MATURITY_CSV_HEADER, rows))], "officer")
    assert not outcome.rejected, [p.message for p in outcome.validated.errors]


def row(code, year, action="A1", group="All Londoners", level="2", support="", sector="Health"):
    return maturity_row(code=code, name=f"Org {code}", sector=sector, year=year, action=action, group=group, level=level,
                        support=support)


def test_support_wanted_counts_each_organisation_once(store):
    # Two organisations each ask for two formats in living standards (A1, A2): four bars' worth, two organisations.
    load(store, [row("ORG-0001", "2024-25", "A1", support="Study tour"), row("ORG-0001", "2024-25", "A2", support="Resources"),
                 row("ORG-0002", "2024-25", "A1", support="Study tour"), row("ORG-0002", "2024-25", "A2", support="Resources"),
                 row("ORG-0003", "2024-25", "A1")])
    in_year = analysis.Filters(years=(2024,))
    demand = analysis.support_wanted_by(store, "priority_area", in_year)
    assert demand["organisations"].sum() == 4
    total = analysis.organisations_wanting(store, in_year)
    assert total == 2
    said = words.support_wanted(demand, total, "priority_area", 2024, 0)
    assert said.startswith("2 organisations asked for learning support in their 2024-25 returns.")
    assert "add up to more than the organisations asking" in said


def test_coverage_counts_those_back_after_a_gap_and_the_parts_add_up(store):
    # 2022: A, B, C.  2023: A, B.  2024: A, C (back after a gap), D (new).
    rows = [row(code, year) for code, year in [("ORG-000A", "2022-23"), ("ORG-000B", "2022-23"), ("ORG-000C", "2022-23"),
                                               ("ORG-000A", "2023-24"), ("ORG-000B", "2023-24"),
                                               ("ORG-000A", "2024-25"), ("ORG-000C", "2024-25"), ("ORG-000D", "2024-25")]]
    load(store, rows)
    by_year = analysis.coverage_by_year(store)
    latest = by_year[by_year["reporting_year"] == 2024].iloc[0]
    assert (latest["organisations"], latest["new_organisations"], latest["rejoined_organisations"],
            latest["lapsed_organisations"]) == (3, 1, 1, 1)
    assert words.coverage(by_year, 2024) == ("In 2024-25, 3 organisations returned: 1 that also returned the year before, "
                                             "1 for the first time and 1 back after a gap; 1 that returned the year before did not.")


def test_a_filtered_trend_names_its_filter_and_each_years_organisations(store):
    load(store, [row("ORG-0001", "2022-23", level="1"), row("ORG-0001", "2024-25", level="3"),
                 row("ORG-0002", "2024-25", level="3"), row("ORG-0009", "2022-23", level="4", sector="Business")])
    health = analysis.Filters(sectors=("Health",))
    said = charts.trend_lines(analysis.trend(store, None, health), None, "t", filters=health).summary
    assert said == ("Across the organisations filtered to Sector: Health, the mean level rose from 1.00 (1 organisation) to "
                    "3.00 (2 organisations) between 2022-23 and 2024-25. Each year counts the organisations returning that "
                    "year, not always the same ones.")
    assert words.trend(analysis.trend(store, None), None).startswith("Across all organisations, the mean level")


def test_hidden_figures_say_they_are_hidden_not_that_there_is_nothing():
    hidden = pd.DataFrame({"reporting_year": [2024, 2025], "organisations": [float("nan")] * 2,
                           "mean_level": [float("nan")] * 2, "suppressed": [True, True], "suppression": ["primary", "primary"]})
    assert words.trend(hidden, None).startswith("No change over the years can be shown: 2 figures are hidden because")
    movers = pd.DataFrame(columns=["sector", "before", "after", "change"])
    assert "too few organisations" in words.movers(movers, "sector", 2025, earlier_year=True)
    assert words.not_returned(float("nan"), 2025, 5).endswith("is hidden, to protect small groups.")


@pytest.mark.parametrize("page, expected", [
    ("pages/overview.py", "No sector can be compared with 2024-25"),
    ("pages/progress.py", "No change over the years can be shown"),
])
def test_a_member_filtered_to_a_small_sector_is_told_the_figures_are_hidden(monkeypatch, sample_db, page, expected):
    from test_pages import app
    at = app(monkeypatch, sample_db, page, query={"sector": "Faith"})
    shown = " ".join(str(e.value) for e in [*at.markdown, *at.info])
    assert expected in shown
    assert "no earlier year" not in shown and "not yet more than one year" not in shown
