"""The figures, charts and board-pack slides a page builds are cached for every session of the server
(`pages.shared.store`). The attack: an officer has just looked at every page, so the caches hold what officers
see (every small group shown, organisations named); then a board member opens the same pages with the same
filters. The member must see exactly what a member sees on a server that has never served an officer, and no
organisation's name."""

from __future__ import annotations

import json

import pytest
from test_pages import app

from bfc_data.intake.values import year_label
from bfc_data.store.startup import open_store
from pages.shared.store import clear_caches

# Every page a member may open, and the board pack (whose slides are cached as built).
SHARED_PAGES = ["pages/overview.py", "pages/priority_areas.py", "pages/sectors.py", "pages/equality_groups.py",
                "pages/progress.py", "pages/metrics.py", "pages/coverage.py", "pages/learning.py",
                "pages/boardpack.py"]
# Pages only officers may open; a member reaching them by address after an officer must still be refused.
OFFICER_PAGES = ["pages/history.py", "pages/organisation.py", "pages/quality.py", "pages/tracker.py",
                 "pages/partner_reports.py", "pages/upload.py"]


@pytest.fixture(scope="module")
def facts(sample_db):
    with open_store(sample_db, None) as store:
        names = store.query("SELECT DISTINCT organisation_name FROM organisations").iloc[:, 0].tolist()
        year = store.query("SELECT max(reporting_year) FROM submissions").iloc[0, 0]
    return {"names": [n for n in names if len(n) > 6], "year": year_label(int(year))}


def seen(at) -> dict[str, list[str]]:
    """Everything the page shows a person: words, tables (as CSV), charts (their plotly figures)."""
    return {
        "markdown": [m.value for m in at.markdown],
        "captions": [c.value for c in at.caption],
        "tables": [e.value.to_csv(index=False) for e in at.dataframe],
        "charts": [json.dumps(json.loads(c.proto.spec)["data"], sort_keys=True) for c in at.get("plotly_chart")],
        "errors": [e.value for e in at.error],
    }


@pytest.mark.parametrize("query", [{}, {"sector": "Faith"}], ids=["all sectors", "one small sector"])
@pytest.mark.parametrize("page", SHARED_PAGES)
def test_a_member_after_an_officer_sees_only_what_a_member_sees(monkeypatch, sample_db, facts, page, query):
    query = {"year": facts["year"], **query}
    clear_caches()
    cold = seen(app(monkeypatch, sample_db, page, query=query, role="member"))
    officer = seen(app(monkeypatch, sample_db, page, query=query, role="officer"))
    after_officer = seen(app(monkeypatch, sample_db, page, query=query, role="member"))
    assert after_officer == cold
    shown = json.dumps(after_officer)
    assert not [name for name in facts["names"] if name in shown]
    if "sector" in query:
        # In a small sector officers see figures that members do not, so the comparison above is one that a
        # shared cache handing the officer's object to a member would fail.
        assert officer != cold, f"{page}: officers and members see the same, so this attack proves nothing here"


@pytest.mark.parametrize("page", OFFICER_PAGES)
def test_a_member_reaching_an_officer_page_after_an_officer_is_refused(monkeypatch, sample_db, facts, page):
    app(monkeypatch, sample_db, page, role="officer")
    member = seen(app(monkeypatch, sample_db, page, role="member"))
    assert any("officers" in e for e in member["errors"]), member["errors"]
    assert not member["tables"] and not member["charts"]
    shown = json.dumps(member)
    assert not [name for name in facts["names"] if name in shown]
