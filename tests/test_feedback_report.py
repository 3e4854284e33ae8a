"""Partners' feedback reports (issue 14): figures worked out by hand on a small store, read back out of the PDF,
and the PDF's structure (tagged, language, title, alt text) checked as a screen reader would find it."""

import io
import re
import zipfile

import pytest
from conftest import MATURITY_CSV_HEADER, csv_bytes, maturity_row
from pypdf import PdfReader

from bfc_data.access import MEMBER, AccessRefused, Viewer, operator
from bfc_data.analysis import feedback as fb
from bfc_data.cli import run
from bfc_data.outputs import feedback_report
from bfc_data.store import load_files

OFFICER = operator("Olu")
# Health, 2025-26. ORG-0001 rates A1 at 4 and A2 at 2 and gives no A3. Its five peers:
#   A1: 1, 2, 2, 3, 4  -> quartiles 2, 2, 3: ORG-0001's 4 is in the top quarter.
#   A2: 3, 3, 3, 4, 4  -> quartiles 3, 3, 4: its 2 is in the bottom quarter.
#   A3: three of five peers give it (2 each): most of the sector does, ORG-0001 does not.
#   Peers' own means: 2.00, 2.33, 2.33, 3.50, 4.00 -> quartiles 2.33, 2.33, 3.50; ORG-0001's (4 + 2) / 2 = 3.00 is
#   above the middle.
# 2024-25: ORG-0001 at 2 on A1 and A2 (mean 2.00, so +1.00 since); peers on A1 1, 1, 2, 3, 3, so their changes
# are 0, 1, 0, 0, 1 (median 0.00); only two peers rated A2 in 2024-25, so that change is withheld.
THIS_YEAR = {"ORG-0001": {"A1": 4, "A2": 2}, "ORG-0002": {"A1": 1, "A2": 3, "A3": 2}, "ORG-0003": {"A1": 2, "A2": 3, "A3": 2},
             "ORG-0004": {"A1": 2, "A2": 3, "A3": 2}, "ORG-0005": {"A1": 3, "A2": 4}, "ORG-0006": {"A1": 4, "A2": 4}}
LAST_YEAR = {"ORG-0001": {"A1": 2, "A2": 2}, "ORG-0002": {"A1": 1, "A2": 3}, "ORG-0003": {"A1": 1, "A2": 3},
             "ORG-0004": {"A1": 2}, "ORG-0005": {"A1": 3}, "ORG-0006": {"A1": 3}}


def rows(levels: dict, year: str, sector="Health") -> list:
    return [maturity_row(code=code, name=f"Org {code}", sector=sector, year=year, action=action, level=str(level))
            for code, actions in levels.items() for action, level in actions.items()]


@pytest.fixture
def small(store):
    data = rows(THIS_YEAR, "2025-26") + rows(LAST_YEAR, "2024-25") + rows({"ORG-0009": {"A1": 3}}, "2025-26", "Business")
    load_files(store, [("returns.csv", csv_bytes(MATURITY_CSV_HEADER, data))], "test")
    return store


def report(store, code="ORG-0001"):
    figures = fb.year_figures(store, OFFICER, 2025, 5)
    return fb.feedback(figures, code)


def pdf_text(data: bytes) -> str:
    return re.sub(r"\s+", " ", " ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages))


def test_position_against_peers_worked_by_hand(small):
    r = report(small)
    standing = r.standing.set_index("name")
    assert standing.loc["A1", ["q1", "median", "q3"]].tolist() == [2, 2, 3] and standing.loc["A1", "falls"] == fb.TOP
    assert standing.loc["A2", ["q1", "median", "q3"]].tolist() == [3, 3, 4] and standing.loc["A2", "falls"] == fb.BOTTOM
    overall = standing.loc["All actions"]
    assert overall["level"] == 3.0 and overall["peers"] == 5 and overall["falls"] == fb.ABOVE
    assert [round(overall[q], 2) for q in ("q1", "median", "q3")] == [2.33, 2.33, 3.5]
    assert r.strengths == [("A1", "in your sector's top quarter")]
    assert r.to_develop == [("A2", "in your sector's bottom quarter"),
                            ("A3", "most of your sector gives a level for it; you do not yet")]


def test_progress_against_peers_over_the_same_years(small):
    r = report(small)
    assert r.previous_year == 2024 and r.overall_change == pytest.approx(1.0)
    progress = r.progress.set_index("action")
    assert progress.loc["A1", ["earlier_level", "level", "change", "peers", "peer_median_change"]].tolist() == [2, 4, 2, 5, 0]
    assert progress.loc["A2", "peers"] == 2 and progress.loc["A2", "peer_median_change"] != progress.loc["A2", "peer_median_change"]


def test_the_pdf_says_the_hand_worked_figures(small):
    name, data, _ = feedback_report.for_organisation(small, OFFICER, "ORG-0001", 2025)
    text = pdf_text(data)
    assert name == "BFC feedback 2025-26 ORG-0001.pdf"
    assert ("your mean maturity level across the actions you gave a level for was 3.00 on the 1–4 scale (Achieving). "
            "That is above the middle of your sector (Health): the middle of your sector's other organisations was 2.33, "
            "and the middle half lay between 2.33 and 3.50.") in text
    assert "Since your previous return (2024-25), your mean level rose by 1.00 (2024-25 to 2025-26)." in text
    assert "Moved from Developing to Excelling on A1 " in text and "(2.00 to 4.00)" in text
    assert "A1 Living Wage 2.00 4.00 +2.00 +0.00" in text  # the progress table: yours, and the sector's middle change
    assert "A2 Debt advice 2.00 2.00 +0.00 withheld" in text
    assert "in your sector's top quarter" in text and "most of your sector gives a level for it; you do not yet" in text
    for other in ("ORG-0002", "Org ORG-0002", "ORG-0009"):
        assert other not in text  # no other organisation is ever named


def test_too_few_peers_withholds_the_comparison_but_shows_your_own_figures(small):
    _, data, content = feedback_report.for_organisation(small, OFFICER, "ORG-0009", 2025)
    text = pdf_text(data)
    assert "Your own figures are shown" in text and "fewer than 5 other organisations in your sector returned this year" in text
    assert "was 3.00 on the 1–4 scale" in text
    charts = [b for s in content["sections"] for b in s["blocks"] if b["kind"] == "chart"]
    assert all(row["median"] is None and row["q1"] is None for chart in charts for row in chart["rows"])


def test_the_pdf_is_tagged_with_language_title_and_alternative_text(small):
    _, data, content = feedback_report.for_organisation(small, OFFICER, "ORG-0001", 2025)
    reader = PdfReader(io.BytesIO(data))
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "en-GB"
    assert bool(root["/MarkInfo"]["/Marked"])
    assert bool(root["/ViewerPreferences"]["/DisplayDocTitle"])
    assert reader.metadata["/Title"] == "Your Building a Fairer City feedback, 2025-26"
    assert reader.metadata["/Author"] == feedback_report.AUTHOR
    assert b"pdfuaid" in reader.xmp_metadata.stream.get_data()  # declared PDF/UA-1, as Typst checked it
    tree = root["/StructTreeRoot"].get_object()
    tags, alts = [], []

    def walk(node):
        node = node.get_object()
        if isinstance(node, dict):
            if "/S" in node:
                tags.append(str(node["/S"]))
                if node["/S"] == "/Figure":
                    alts.append(str(node.get("/Alt", "")))
            kids = node.get("/K")
            for kid in (kids if isinstance(kids, list) else [kids] if kids is not None else []):
                walk(kid)
    walk(tree)
    assert {"/H1", "/Table", "/TH", "/TD", "/Figure", "/L", "/LI"} <= set(tags), set(tags)
    charts = [b for s in content["sections"] for b in s["blocks"] if b["kind"] == "chart"]
    assert len(alts) >= len(charts) and all(alts)
    assert any("A1 Living Wage: yours 4.00, in the top quarter of your sector (middle 2.00)" in alt for alt in alts)


def test_a_year_of_reports_in_one_zip_is_recorded_and_refused_to_members(small):
    data, count = feedback_report.for_year(small, OFFICER, 2025)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert sorted(archive.namelist()) == [f"BFC feedback 2025-26 ORG-000{n}.pdf" for n in (1, 2, 3, 4, 5, 6, 9)]
        assert archive.read("BFC feedback 2025-26 ORG-0001.pdf").startswith(b"%PDF-")
    assert count == 7
    register = small.load_register(OFFICER)
    made = register[register["action"] == "feedback reports"]
    assert made["subject"].tolist() == ["feedback reports 2025-26 for 7 organisations"] and made["done_by"].tolist() == ["Olu"]
    with pytest.raises(AccessRefused):
        feedback_report.for_year(small, Viewer("Board member", MEMBER), 2025)
    with pytest.raises(AccessRefused):
        fb.year_figures(small, Viewer("Board member", MEMBER), 2025, 5)


def test_cli_writes_the_reports_and_refuses_an_unknown_organisation(small, tmp_path, capsys):
    path = small.path
    small.close()
    assert run(["reports", "--db", str(path), "--year", "2025-26", "--out", str(tmp_path / "out"),
                "--organisation", "ORG-0001"]) == 0
    assert [p.name for p in (tmp_path / "out").iterdir()] == ["BFC feedback 2025-26 ORG-0001.pdf"]
    assert run(["reports", "--db", str(path), "--year", "2025-26", "--out", str(tmp_path / "none"),
                "--organisation", "ORG-7777"]) == 3  # a bad argument
    assert "no return for 2025-26 gives levels for ORG-7777" in capsys.readouterr().err
    assert not (tmp_path / "none").exists()


def test_what_a_partner_typed_stays_words_in_the_pdf(store):
    # A name and a next step written as Typst markup and code: laid out as the words they are, never run.
    hostile = "#panic(\"x\") *bold* $x^2$ <label> @ref = Heading"
    data = rows({"ORG-0001": {"A1": 3}}, "2025-26")
    data[0][1] = hostile
    data[0][10] = "#read(\"/etc/passwd\")"
    load_files(store, [("r.csv", csv_bytes(MATURITY_CSV_HEADER, data))], "test")
    _, pdf, _ = feedback_report.for_organisation(store, OFFICER, "ORG-0001", 2025)
    text = pdf_text(pdf)
    assert "#panic(\"x\") *bold* $x^2$ <label> @ref = Heading" in text and '#read("/etc/passwd")' in text
    assert "root:" not in text


def test_the_organisation_page_makes_previews_and_serves_one_report(monkeypatch, sample_db, served):
    from test_pages import app
    at = app(monkeypatch, sample_db, "pages/organisation.py", role="officer")
    assert "report_pdf" not in served  # nothing is made (or recorded) until asked for
    at.button(key="make_report").click().run()
    assert not at.exception
    code = at.selectbox(key="organisation").value
    data = served["report_pdf"]
    assert data.startswith(b"%PDF-") and "Your Building a Fairer City feedback, 2025-26" in pdf_text(data)
    labels = [b.label for b in at.get("download_button")]
    assert any(label.startswith("Download the feedback report (PDF): ") for label in labels)
    shown = " ".join(m.value for m in at.markdown)
    assert "Where you stand" in shown and "Chart:" in shown and "nan" not in shown.split()
    from bfc_data.store.startup import open_store
    with open_store(sample_db, None) as store:
        register = store.load_register(OFFICER)
    assert f"feedback report 2025-26 for {code}" in register["subject"].tolist()


def test_the_partner_reports_page_makes_a_zip_of_the_year_and_refuses_members(monkeypatch, sample_db, served):
    from test_pages import app
    at = app(monkeypatch, sample_db, "pages/partner_reports.py", role="officer")
    at.button(key="make_reports").click().run()
    assert not at.exception
    with zipfile.ZipFile(io.BytesIO(served["reports_zip"])) as archive:
        names = archive.namelist()
    assert len(names) > 50 and all(n.startswith("BFC feedback 2025-26 ORG-") and n.endswith(".pdf") for n in names)
    assert any(f"{len(names)} reports for 2025-26 are ready" in s.value for s in at.success)
    member = app(monkeypatch, sample_db, "pages/partner_reports.py", role="member")
    assert not member.button and not member.get("download_button")
    assert any("Only GLA officers" in e.value or "officers" in e.value for e in member.error)
