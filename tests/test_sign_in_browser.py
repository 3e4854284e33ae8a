"""Issue 11: sign-in works from a fresh clone, through a real OpenID Connect round trip in headless Chromium.

The dashboard runs with `streamlit run`, configured with an [auth] block that points at a small OpenID
Connect provider of the test's own on 127.0.0.1 (tests/oidc_provider.py). Chromium clicks "Sign in", the
provider signs someone in, Streamlit exchanges the code (Authlib and httpx, as installed from requirements)
and checks the ID token against the provider's keys; the dashboard then decides what that person may see.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from browser import CHROMIUM, CHROMIUM_ARGS, free_port, streamlit_server, wait_for_app
from oidc_provider import oidc_provider

from bfc_data.store.startup import open_store

pytestmark = pytest.mark.browser

if not Path(CHROMIUM).exists():
    if os.environ.get("CI"):
        raise RuntimeError("CI must install Debian's chromium for the browser tests (see .ci/run)")
    pytest.skip("Debian's chromium is not installed here (apt-get install -y chromium)", allow_module_level=True)

OFFICER = {"email": "officer@london.gov.uk", "name": "Olu Officer", "email_verified": True}
MEMBER = {"email": "member@partner.org", "name": "Mina Member", "email_verified": True}
STRANGER = {"email": "someone@example.com", "name": "Sam Stranger", "email_verified": True}
UNVERIFIED = {"email": "officer@london.gov.uk", "name": "Not Really", "email_verified": False}


@pytest.fixture(scope="module")
def signed_in_app(tmp_path_factory):
    folder = tmp_path_factory.mktemp("sign_in")
    db = folder / "bfc.duckdb"
    open_store(db).close()
    roles = folder / "roles.toml"
    roles.write_text('[officer]\nemails = ["officer@london.gov.uk"]\n[member]\ndomains = ["partner.org"]\n')
    port = free_port()
    with oidc_provider() as provider:
        secrets = folder / "secrets.toml"
        secrets.write_text(f"""[auth]
redirect_uri = "http://localhost:{port}/oauth2callback"
cookie_secret = "a-long-random-test-cookie-secret-0123456789"
client_id = "{provider.client_id}"
client_secret = "{provider.client_secret}"
server_metadata_url = "{provider.issuer}/.well-known/openid-configuration"
""")
        with streamlit_server(db, {"BFC_ROLES": str(roles)}, port=port, extra_args=("--secrets.files", str(secrets))) as url:
            yield provider, url.replace("127.0.0.1", "localhost")


@pytest.fixture
def chromium():
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def sign_in(chromium, signed_in_app, user):
    """A fresh browser (no cookies), through the sign-in page and the provider, back to the dashboard."""
    provider, url = signed_in_app
    page = chromium.new_context(viewport={"width": 1400, "height": 1600}).new_page()
    page.goto(url)
    wait_for_app(page)
    assert "Please sign in" in page.locator('[data-testid="stMain"]').inner_text()
    provider.next_user = user
    issued = provider.tokens_issued
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{url}/**", timeout=30_000)
    wait_for_app(page)
    assert provider.tokens_issued == issued + 1, "the dashboard did not exchange a code with the provider"
    return page


def nav_links(page) -> list[str]:
    return [link.inner_text().strip().splitlines()[-1] for link in page.locator('.st-key-bfc_navigation a').all()]


def main_text(page) -> str:
    return page.locator('[data-testid="stMain"]').inner_text()


def test_an_officer_signs_in_and_sees_the_officers_pages(chromium, signed_in_app):
    page = sign_in(chromium, signed_in_app, OFFICER)
    assert "Building a Fairer City: progress overview" in main_text(page)
    assert {"Load returns", "History", "Submissions tracker", "Data quality", "Organisation"} <= set(nav_links(page))
    assert "a GLA officer" in page.locator('[data-testid="stSidebar"]').inner_text()


def test_a_member_sees_no_officers_page_and_is_refused_at_their_address(chromium, signed_in_app):
    page = sign_in(chromium, signed_in_app, MEMBER)
    assert "Building a Fairer City: progress overview" in main_text(page)
    links = nav_links(page)
    assert "Overview" in links and not {"Load returns", "History", "Submissions tracker", "Data quality", "Organisation"} & set(links)
    assert "For officers" not in page.locator('[data-testid="stSidebar"]').inner_text()
    _, url = signed_in_app
    for address, refusal in (("upload", "Only GLA officers may load returns"), ("tracker", "Only GLA officers may"),
                             ("organisation", "shown to GLA officers only")):
        page.goto(f"{url}/{address}")
        wait_for_app(page)
        text = main_text(page)
        assert refusal in text, text[:400]
        assert "Page not found" not in page.content()
        assert not page.locator('[data-testid="stFileUploader"]').count()


@pytest.mark.parametrize("user, words", [
    (STRANGER, "someone@example.com, which has no access to this dashboard"),
    # An unverified address is refused even when it names an officer.
    (UNVERIFIED, "did not confirm that officer@london.gov.uk is your address"),
], ids=["stranger", "unverified"])
def test_no_access_is_said_in_words_and_shows_nothing(chromium, signed_in_app, user, words):
    page = sign_in(chromium, signed_in_app, user)
    assert words in main_text(page)
    assert not page.locator('[data-testid="stPlotlyChart"]').count()
    assert not {"Overview", "Load returns"} & set(nav_links(page))


def test_sign_out_ends_the_session(chromium, signed_in_app):
    page = sign_in(chromium, signed_in_app, OFFICER)
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_timeout(1500)
    wait_for_app(page)
    assert "Please sign in" in main_text(page)
    _, url = signed_in_app
    page.goto(f"{url}/history")  # the old session's address: no way back in without signing in again
    wait_for_app(page)
    assert "Please sign in" in main_text(page) and "Load register" not in main_text(page)
