"""One organisation against the rest of its sector, worked out by hand."""

import pytest
from conftest import MATURITY_CSV_HEADER, csv_bytes, maturity_row

from bfc_data.analysis import organisation
from bfc_data.outputs import charts
from bfc_data.store import NotFound, load_files


def row(code, year, action, level, sector="Health"):
    return maturity_row(code=code, name=f"Org {code}", sector=sector, year=year, action=action, level=level)


def test_profile_against_the_sector(store):
    rows = [row("ORG-0001", "2023-24", "A1", "1"), row("ORG-0001", "2024-25", "A1", "3"), row("ORG-0001", "2024-25", "A2", "1"),
            row("ORG-0002", "2024-25", "A1", "2"), row("ORG-0003", "2024-25", "A1", "4"), row("ORG-0003", "2024-25", "A2", "2"),
            row("ORG-0002", "2023-24", "A1", "2"), row("ORG-0009", "2024-25", "A1", "4", sector="Business")]
    load_files(store, [("o.csv", csv_bytes(MATURITY_CSV_HEADER, rows))], "test")
    _, against, history = charts.organisation_profile(organisation.profile(store, "test", "ORG-0001", 2024))
    table = against.table
    # A1: ORG-0001 at 3; the other Health organisations 2 and 4 -> mean 3.00, one of two (50%) below it.
    # A2: ORG-0001 at 1; ORG-0003 at 2 -> mean 2.00, none below. Business is not its sector.
    assert table.values.tolist() == [["A1 Living Wage", 3.0, 3.0, 2, 50.0], ["A2 Debt advice", 1.0, 2.0, 1, 0.0]]
    assert against.summary == "Org ORG-0001 is above its sector's mean on 0 of the 2 actions it rated in 2024-25."
    # Its own mean 1 in 2023-24 and (3 + 1) / 2 = 2 in 2024-25; others in Health: 2 and then (2 + 3) / 2 = 2.5.
    assert history.table.values.tolist() == [["2023-24", 1.0, 2.0], ["2024-25", 2.0, 2.5]]
    assert history.summary == "Org ORG-0001's mean level went from 1.00 in 2023-24 to 2.00 in 2024-25."


def test_unknown_organisation(store):
    with pytest.raises(NotFound):
        organisation.profile(store, "test", "ORG-9999", 2024)
