"""Who may see and do what: roles from the roles file, and refusals in every organisation-level function."""

import pytest
from conftest import ROOT, excel_return

from bfc_data import analysis
from bfc_data.access import MEMBER, OFFICER, AccessRefused, RoleRules, Viewer, load_rules, local_viewer, resolve
from bfc_data.analysis import history, organisation, quality, tracker
from bfc_data.store import load_files

RULES = RoleRules(officer_emails=frozenset({"lead@partner.org"}), officer_domains=frozenset({"london.gov.uk"}),
                  member_emails=frozenset({"chair@example.org", "member@london.gov.uk"}), member_domains=frozenset({"partner.org"}))
MEMBER_VIEWER = Viewer("Board Member", MEMBER)


@pytest.mark.parametrize("email, role", [
    ("ann@london.gov.uk", OFFICER), ("Ann@London.gov.uk", OFFICER), ("lead@partner.org", OFFICER),
    ("someone@partner.org", MEMBER), ("chair@example.org", MEMBER), ("member@london.gov.uk", MEMBER),
    ("stranger@example.com", None), ("", None), (None, None), ("not-an-address", None),
])
def test_roles_by_address_then_domain(email, role):
    assert RULES.role_of(email) == role


def test_resolution_in_one_place(monkeypatch):
    monkeypatch.delenv("BFC_LOCAL_ROLE", raising=False)
    assert resolve(False, False, None, None).role == OFFICER
    monkeypatch.setenv("BFC_LOCAL_ROLE", "member")
    assert resolve(False, False, None, None).role == MEMBER
    monkeypatch.setenv("BFC_LOCAL_ROLE", "admin")
    assert local_viewer().role == MEMBER, "an unreadable setting gives the members' view, never more"
    assert resolve(True, False, None, None, RULES) is None
    assert resolve(True, True, "stranger@example.com", "S", RULES) is None
    assert resolve(True, True, "ann@london.gov.uk", "Ann", RULES) == Viewer("Ann", OFFICER, "ann@london.gov.uk")


def test_roles_file(tmp_path):
    assert load_rules(ROOT / "roles.example.toml").role_of("x@london.gov.uk") == OFFICER
    assert load_rules(tmp_path / "missing.toml").role_of("x@london.gov.uk") is None


@pytest.fixture
def loaded(store):
    load_files(store, [("r.xlsx", excel_return())], "officer")
    return store


@pytest.mark.parametrize("call", [
    lambda s, v: s.load(__import__("bfc_data.intake.validation", fromlist=["x"]).validate_bytes("r.xlsx", excel_return()), excel_return(), v),
    lambda s, v: s.restore(1, v),
    lambda s, v: s.history(v),
    lambda s, v: s.load_register(v),
    lambda s, v: s.raw_file(v, 1),
    lambda s, v: analysis.distance_travelled(s, v),
    lambda s, v: analysis.not_returned(s, v, 2025),
    lambda s, v: tracker.status(s, v, 2024),
    lambda s, v: quality.warnings(s, v),
    lambda s, v: organisation.profile(s, v, "ORG-0042", 2024),
    lambda s, v: organisation.with_returns(s, v),
    lambda s, v: history.submissions_table(s, v),
    lambda s, v: history.load_register_table(s, v),
    lambda s, v: history.organisation_choices(s, v),
], ids=["load", "restore", "history", "load_register", "raw_file", "distance_travelled", "not_returned",
        "tracker", "quality", "profile", "with_returns", "submissions_table", "load_register_table", "organisation_choices"])
def test_every_organisation_level_read_and_every_write_refuses_a_member(loaded, call):
    before = loaded.table_snapshot()
    with pytest.raises(AccessRefused, match="Only GLA officers may"):
        call(loaded, MEMBER_VIEWER)
    after = loaded.table_snapshot()
    assert all(before[t].equals(after[t]) for t in before)
    call(loaded, Viewer("Olu", OFFICER))  # and an officer may
