"""WCAG 2.2 AA on every page, for an officer and for a board member: axe-core (from the npm registry, pinned in
tests/axe/package-lock.json) injected into the real dashboard in headless Chromium. No serious or critical
violation is accepted; moderate and minor ones are printed with axe's reason, for a person to read."""

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from browser import CHROMIUM, browser, streamlit_server, wait_for_app
from conftest import ROOT

from bfc_data.reference.statement import details, statement
from bfc_data.store.startup import open_store

pytestmark = pytest.mark.browser

if not Path(CHROMIUM).exists():
    if os.environ.get("CI"):
        raise RuntimeError("CI must install Debian's chromium for the browser tests (see .ci/run)")
    pytest.skip("Debian's chromium is not installed here (apt-get install -y chromium)", allow_module_level=True)

AXE_FOLDER = ROOT / "tests" / "axe"
AXE = AXE_FOLDER / "node_modules" / "axe-core" / "axe.min.js"
RULES = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]
MEMBER_PAGES = ["", "priority_areas", "sectors", "equality_groups", "progress", "metrics", "coverage", "learning", "programme",
                "boardpack", "accessibility"]
OFFICER_PAGES = MEMBER_PAGES + ["upload", "history", "tracker", "quality", "organisation", "partner_reports"]


@pytest.fixture(scope="module")
def axe() -> str:
    """axe-core's script, installed from the lock file on first use (npm ci), as CI does."""
    if not AXE.exists():
        if shutil.which("npm") is None:
            if os.environ.get("CI"):
                raise RuntimeError("CI must install npm for the accessibility tests (see .ci/run)")
            pytest.skip("npm is not installed here: axe-core comes from the npm registry")
        subprocess.run(["npm", "ci", "--silent", "--no-audit", "--no-fund"], cwd=AXE_FOLDER, check=True)
    return AXE.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    path = tmp_path_factory.mktemp("a11y") / "bfc.duckdb"
    open_store(path).close()
    return path


def check(page, axe: str) -> tuple[list, list]:
    page.add_script_tag(content=axe)
    result = page.evaluate("async rules => await axe.run(document, {runOnly: {type: 'tag', values: rules}})", RULES)
    serious = [v for v in result["violations"] if v["impact"] in ("serious", "critical")]
    other = [v for v in result["violations"] if v["impact"] not in ("serious", "critical")]
    return serious, other


def said(violations: list) -> str:
    return "\n".join(f"{v['impact']} {v['id']}: {v['help']} ({len(v['nodes'])}×, e.g. {v['nodes'][0]['target']}: "
                     f"{(v['nodes'][0].get('failureSummary') or '').splitlines()[-1].strip()})" for v in violations)


# The dark theme follows a person's system setting (config.toml's [theme.dark]). Its colours are the theme's, the
# same on every page, so it is checked on the pages that hold every kind of control and chart: the heat map and
# figures, radio groups, chosen filters' tags, primary buttons, the uploader, expanders, tables (a page takes 10-15 s
# to draw here, and CI has 30 minutes).
DARK_PAGES = ["", "progress", "coverage", "learning", "boardpack", "upload", "quality", "organisation", "partner_reports"]


@pytest.mark.parametrize("role, pages, scheme", [("officer", OFFICER_PAGES, "light"), ("member", MEMBER_PAGES, "light"),
                                                 ("officer", DARK_PAGES, "dark")])
def test_no_serious_or_critical_wcag_violation_on_any_page(db, axe, role, pages, scheme):
    found = {}
    with streamlit_server(db, {"BFC_LOCAL_ROLE": role}) as url, browser((1400, 2200), color_scheme=scheme) as page:
        for name in pages:
            page.goto(f"{url}/{name}")
            wait_for_app(page)
            page.wait_for_timeout(800)  # charts draw after the script run ends
            serious, other = check(page, axe)
            if other:
                print(f"\n{role} ({scheme} theme) /{name} — moderate and minor findings:\n{said(other)}")
            if serious:
                found[name or "overview"] = said(serious)
    assert not found, json.dumps(found, indent=2)


def test_the_statement_says_when_and_with_what_the_service_was_tested():
    text = statement()
    for section in ("How accessible this service is", "Feedback and contact information", "Reporting accessibility problems",
                    "Enforcement procedure", "Compliance status", "Non-accessible content",
                    "Preparation of this accessibility statement"):
        assert f"# {section}" in text or f"## {section}" in text, section
    assert "{" not in text and "Equality Advisory and Support Service" in text
    # The statement names the axe-core version this suite runs, so it cannot claim a test that was not run.
    locked = json.loads((AXE_FOLDER / "package-lock.json").read_text())["packages"]["node_modules/axe-core"]["version"]
    assert details()["axe_version"] == locked
