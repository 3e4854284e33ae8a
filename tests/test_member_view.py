"""Issue 5: a member sees no organisation anywhere, an officer does; sign-in decides who is who."""

import pytest
from conftest import ROOT
from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage
from streamlit.testing.v1 import AppTest

from bfc_data.store.startup import open_store

EXPLORE = ["pages/overview.py", "pages/priority_areas.py", "pages/sectors.py", "pages/equality_groups.py",
           "pages/progress.py", "pages/metrics.py", "pages/coverage.py", "pages/learning.py", "pages/programme.py",
           "pages/boardpack.py"]
OFFICER_ONLY = ["pages/upload.py", "pages/history.py", "pages/tracker.py", "pages/quality.py", "pages/organisation.py",
                "pages/partner_reports.py"]
AUTH = {"redirect_uri": "http://localhost:8501/oauth2callback", "cookie_secret": "test-secret", "client_id": "id",
        "client_secret": "secret", "server_metadata_url": "https://login.example.org/.well-known/openid-configuration"}


@pytest.fixture(scope="module")
def organisations(sample_db):
    with open_store(sample_db, None) as store:
        frame = store.query("SELECT organisation_code, organisation_name FROM organisations")
    return set(frame["organisation_code"]) | set(frame["organisation_name"])


@pytest.fixture
def downloads(monkeypatch):
    """Every payload handed to a download button, captured as the app gives it to Streamlit."""
    captured = []
    original = MemoryMediaFileStorage.load_and_get_id

    def capture(self, path_or_data, mimetype, kind, filename=None):
        if isinstance(path_or_data, (bytes, bytearray)):
            captured.append(bytes(path_or_data))
        return original(self, path_or_data, mimetype, kind, filename)

    monkeypatch.setattr(MemoryMediaFileStorage, "load_and_get_id", capture)
    return captured


@pytest.fixture
def roles(tmp_path, monkeypatch):
    path = tmp_path / "roles.toml"
    path.write_text('[officer]\ndomains = ["london.gov.uk"]\n[member]\ndomains = ["partner.org"]\n')
    monkeypatch.setenv("BFC_ROLES", str(path))


def signed_in(monkeypatch, db, email=None):
    """The dashboard as sign-in would run it: [auth] configured, the user signed in (or not)."""
    monkeypatch.setenv("BFC_DB", str(db))
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    at.secrets["auth"] = AUTH
    at.user.clear()
    at.user.update({"is_logged_in": email is not None, **({"email": email, "name": email.split("@")[0]} if email else {})})
    return at.run()


def everything_shown(at) -> str:
    parts = [str(e.value) for kind in ("title", "subheader", "markdown", "caption", "info", "warning", "error", "success")
             for e in getattr(at, kind)]
    parts += [m.label + str(m.value) for m in at.metric]
    parts += [df.value.to_csv() for df in at.dataframe]
    parts += [chart.proto.spec for chart in at.get("plotly_chart")]  # the figures' data, hover text included
    parts += [str(o) for box in [*at.selectbox, *at.multiselect] for o in box.options]
    return "\n".join(parts)


def test_not_signed_in_sees_only_the_sign_in_page(monkeypatch, sample_db, roles, organisations):
    at = signed_in(monkeypatch, sample_db)
    assert not at.exception
    assert [b.label for b in at.button] == ["Sign in"]
    assert not at.dataframe and not at.get("plotly_chart") and not at.metric
    with pytest.raises(ValueError):
        at.switch_page("pages/overview.py")


def test_signed_in_without_a_role_has_no_access(monkeypatch, sample_db, roles):
    at = signed_in(monkeypatch, sample_db, "stranger@example.com")
    assert "has no access" in at.error[0].value
    assert not at.dataframe and not at.get("plotly_chart")


def served_contents(served: dict) -> list[bytes]:
    """Everything the page's download buttons would hand over, unpacked: a deck or workbook is a zip of XML parts.
    Pictures are left out: they draw the chart whose every label is checked in the figure's spec."""
    import io
    import zipfile
    contents = []
    for key, data in served.items():
        if str(key).startswith("png_"):
            continue
        data = data() if callable(data) else data
        data = data.encode() if isinstance(data, str) else bytes(data)
        if data[:2] == b"PK":
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                contents += [archive.read(name) for name in archive.namelist()]
        else:
            contents.append(data)
    return contents


@pytest.mark.parametrize("page", EXPLORE)
def test_a_member_sees_no_organisation_on_any_page_or_download(monkeypatch, sample_db, roles, organisations, served, page):
    at = signed_in(monkeypatch, sample_db, "someone@partner.org")
    assert any("a board member" in c.value for c in at.sidebar.caption)
    served.clear()  # the landing page's downloads are not this page's
    at.switch_page(page).run()
    assert not at.exception
    shown = everything_shown(at)
    leaks = sorted(name for name in organisations if name and name in shown)
    assert leaks == []
    contents = served_contents(served)
    if page != "pages/programme.py":  # the programme's timeline and money have no download of their own
        assert contents, f"{page} offers downloads"
    leaked = sorted(name for name in organisations if name and any(name.encode() in data for data in contents))
    assert leaked == []


@pytest.mark.parametrize("page", OFFICER_ONLY)
def test_officer_pages_are_not_in_a_members_navigation(monkeypatch, sample_db, roles, page):
    at = signed_in(monkeypatch, sample_db, "someone@partner.org")
    assert "For officers" not in " ".join(str(e.value) for e in at.sidebar.markdown)
    # Its address is known to the navigation (hidden), so the page itself refuses, in words, and shows nothing.
    at.switch_page(page).run()
    assert not at.exception
    assert "GLA officers" in at.error[0].value
    assert not at.dataframe and not at.file_uploader and not at.get("download_button") and not at.get("plotly_chart")


def test_a_signed_in_officer_sees_organisations(monkeypatch, sample_db, roles, organisations, downloads):
    at = signed_in(monkeypatch, sample_db, "olu@london.gov.uk")
    assert any("a GLA officer" in c.value for c in at.sidebar.caption)
    assert [b.label for b in at.sidebar.button] == ["Sign out", "Clear filters"]
    at.switch_page("pages/organisation.py").run()
    assert not at.exception
    shown = everything_shown(at)
    assert any(name in shown for name in organisations if name)
    at.switch_page("pages/tracker.py").run()
    assert any(name.encode() in data for data in downloads for name in organisations if name)


def test_an_officers_download_of_organisation_data_is_recorded(monkeypatch, tmp_path, sample_db):
    import shutil

    from bfc_data.store import Store
    db = tmp_path / "bfc.duckdb"
    shutil.copy(sample_db, db)
    monkeypatch.setenv("BFC_DB", str(db))
    monkeypatch.setenv("BFC_LOCAL_ROLE", "officer")
    monkeypatch.setenv("BFC_LOCAL_NAME", "Olu Officer")
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60).run()
    at.switch_page("pages/organisation.py").run()
    code = at.selectbox(key="organisation").value
    at.download_button[0].click().run()
    assert not at.exception
    with Store(db) as store:
        last = store.load_register("test").iloc[-1]
    assert (last["action"], last["done_by"]) == ("download", "Olu Officer") and last["subject"].startswith(f"profile of {code}")
