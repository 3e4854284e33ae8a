"""The organisation register (an extension of the contract): contacts, and organisations not yet engaged."""

from conftest import csv_bytes, excel_return

from bfc_data.analysis import tracker
from bfc_data.intake.validation import validate_bytes
from bfc_data.store import load_files

HEADER = ["organisation_code", "organisation_name", "sector", "size_band", "borough", "contact_name", "contact_email"]


def test_register_rows_are_checked_like_the_organisation_sheet():
    rows = [["org 42", "Brookmere Housing Association", "Housing Associations", "250-999", "Hackney", "Sam Lee", "sam@example.org"],
            ["ORG-0043", "Upton Vale Law Centre", "Spaceflight", "", "", "", ""],
            ["ORG-0042", "Again", "Health", "", "", "", ""]]
    result = validate_bytes("register.csv", csv_bytes(HEADER, rows))
    assert result.file_kind == "organisation register CSV"
    errors = [(p.kind, p.row, p.column, p.value) for p in result.errors]
    assert errors == [("unknown_code", 3, "sector", "Spaceflight"), ("duplicate_row", 4, "organisation_code", "ORG-0042")]


def test_register_gives_contacts_and_lists_organisations_never_engaged(store):
    register = csv_bytes(HEADER, [["ORG-0042", "Brookmere HA", "Housing association", "", "", "Register Contact", "reg@example.org"],
                                  ["ORG-0077", "Fairholt Law Centre", "Law centre", "Under 50", "Lambeth", "Ali Khan", "ali@example.org"]])
    [outcome] = load_files(store, [("register.csv", register)], "officer")
    assert outcome.outcome == "accepted with warnings"
    assert {p.kind for p in outcome.validated.warnings} == {"missing_optional"}  # ORG-0042's size band and borough
    load_files(store, [("brookmere.xlsx", excel_return())], "officer")
    details = store.query("SELECT organisation_code, organisation_name, contact_email, borough FROM organisations ORDER BY 1")
    # The register's name and contact stand; what the register leaves out (borough) comes from the return.
    assert details.values.tolist() == [["ORG-0042", "Brookmere HA", "reg@example.org", "Hackney"],
                                       ["ORG-0077", "Fairholt Law Centre", "ali@example.org", "Lambeth"]]
    status = tracker.status(store, "test", 2024).set_index("organisation_code")
    assert status.loc["ORG-0042", "status"] == "returned" and status.loc["ORG-0077", "status"] == "not yet returned"
    assert not bool(status.loc["ORG-0077", "engaged"])
    chase = tracker.chase_list(tracker.status(store, "test", 2024))
    assert chase[["organisation_code", "contact_email"]].values.tolist() == [["ORG-0077", "ali@example.org"]]
    sectors = tracker.by_sector(tracker.status(store, "test", 2024)).set_index("sector")
    assert sectors.loc["Law centre", ["organisations", "returned", "not yet returned", "never returned"]].tolist() == [1, 0, 1, 1]


def test_register_loaded_twice_changes_nothing(store):
    register = csv_bytes(HEADER, [["ORG-0077", "Fairholt Law Centre", "Law centre", "", "", "", ""]])
    load_files(store, [("register.csv", register)], "officer")
    [again] = load_files(store, [("register copy.csv", register)], "officer")
    assert again.outcome == "already received"
