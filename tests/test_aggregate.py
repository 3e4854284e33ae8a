"""Mean levels worked out by hand on a tiny store: each organisation counts once, blanks are left out."""

import pytest

from bfc_data import aggregate, overview
from bfc_data.store import load_files
from conftest import MATURITY_CSV_HEADER, csv_bytes, maturity_row


def row(code, sector, year, action, group, level, role="All roles"):
    return maturity_row(code=code, name=f"Org {code}", sector=sector, year=year, action=action, role=role, group=group, level=level)


@pytest.fixture
def small(store):
    rows = [
        # 2024-25. Org 1 (Health): own mean (4 + 2 + 3) / 3 = 3.0 from three rows.
        row("ORG-0001", "Health", "2024-25", "A1", "All Londoners", "4"),
        row("ORG-0001", "Health", "2024-25", "A1", "Race", "2", role="Employer"),
        row("ORG-0001", "Health", "2024-25", "A5", "All Londoners", "3"),
        # Org 2 (Health): one row, level 1.
        row("ORG-0002", "Health", "2024-25", "A1", "All Londoners", "1"),
        # Org 3 (Business): A1 blank (not taking part), A2 level 2.
        row("ORG-0003", "Business", "2024-25", "A1", "All Londoners", ""),
        row("ORG-0003", "Business", "2024-25", "A2", "All Londoners", "2"),
        # 2023-24: Org 1 at 2, Org 3 at 1.
        row("ORG-0001", "Health", "2023-24", "A1", "All Londoners", "2"),
        row("ORG-0003", "Business", "2023-24", "A2", "All Londoners", "1"),
    ]
    load_files(store, [("small.csv", csv_bytes(MATURITY_CSV_HEADER, rows))], "test")
    return store


def records(frame):
    return [tuple(r) for r in frame.itertuples(index=False)]


def test_by_sector_latest_year(small):
    # Health: organisations 1 and 2, means 3.0 and 1.0 -> 2.0 (not the row mean 2.5). Business: org 3 -> 2.0.
    assert records(aggregate.mean_level_by(small, "sector")) == [("Business", 1, 2.0), ("Health", 2, 2.0)]


def test_by_action_leaves_blank_levels_out(small):
    # A1: org 1 (4+2)/2 = 3, org 2 = 1 -> 2.0 over 2 organisations; org 3's blank A1 is not counted.
    assert records(aggregate.mean_level_by(small, "action")) == [("A1", 2, 2.0), ("A2", 1, 2.0), ("A5", 1, 3.0)]


def test_by_priority_area_in_reference_order(small):
    # A1, A2: Living standards (org 1: (4+2)/2 = 3, org 2: 1, org 3: 2 -> 2.0); A5: labour market (org 1: 3).
    assert records(aggregate.mean_level_by(small, "priority_area")) == [("Living standards", 3, 2.0), ("Equality in the labour market", 1, 3.0)]


def test_by_year_shows_every_year(small):
    # 2023-24: org 1 = 2, org 3 = 1 -> 1.5. 2024-25: 3.0, 1.0, 2.0 -> 2.0.
    assert records(aggregate.mean_level_by(small, "year")) == [(2023, 2, 1.5), (2024, 3, 2.0)]


def test_by_equality_group_and_chosen_year(small):
    # All Londoners 2024-25: org 1 (4+3)/2 = 3.5, org 2 = 1, org 3 = 2 -> 6.5 / 3 = 2.17. Race: org 1 = 2.
    assert records(aggregate.mean_level_by(small, "equality_group", 2024)) == [("All Londoners", 3, 2.17), ("Race", 1, 2.0)]
    assert records(aggregate.mean_level_by(small, "equality_group", 2023)) == [("All Londoners", 2, 1.5)]


def test_unknown_dimension_refused(small):
    with pytest.raises(ValueError, match="cannot summarise by"):
        aggregate.mean_level_by(small, "organisation_name; DROP TABLE submissions")


def test_headline(small):
    # Progress 2023-24 -> 2024-25 over organisations in both years: org 1 from 2 to 3 (+1), org 3 from 1 to 2 (+1) -> +1.00.
    head = overview.headline(small)
    assert (head.year, head.organisations, head.organisations_change, head.mean_level, head.mean_level_change,
            head.organisations_compared, head.sectors, head.returns_all_years) == (2024, 3, 1, 2.0, 1.0, 2, 2, 5)
    assert head.summary == ("In 2024-25, 3 organisations in 2 sectors returned; their mean maturity level was 2.00 on the 1–4 scale. "
                            "The 2 organisations that also returned in 2023-24 rose by 1.00 on average.")


def test_headline_of_an_empty_store(store):
    assert overview.headline(store) is None
