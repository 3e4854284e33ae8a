"""Sparse far-cell workbooks (issue 15): an 8 KB file whose one extra cell sits at XFD1048576 aborted the reader
("memory allocation of 549755813888 bytes failed") and took the dashboard down; one at ZZ100000 cost 2.8 GB and
was accepted. Now how far each sheet reaches is counted from the archive before any cell is read, against a
budget over all sheets, and such a file is refused in words: from the command line and on the upload page, in
under 5 s and 300 MB, with the server still serving everyone else."""

import io
import json
import re
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
from browser import CHROMIUM, SERVERS, browser, streamlit_server, wait_for_app
from conftest import ROOT, excel_return

from bfc_data.intake.validation import validate_bytes
from bfc_data.store.startup import open_store

FAR = {"far cell XFD1048576": {"ref": "XFD1048576"}, "far cell ZZ100000": {"ref": "ZZ100000"},
       # Within the row limit, but a grid of 14 million cells: over the memory budget.
       "far cell ZZ20000": {"ref": "ZZ20000"}, "declared dimension only": {"dimension": "A1:XFD1048576"}}
MATURITY_PART = "xl/worksheets/sheet2.xml"  # the template's sheet order: Organisation, Maturity, Metrics


def far_workbook(ref: str | None = None, dimension: str | None = None) -> bytes:
    """A valid return with one extra cell far away on its Maturity sheet, or a dimension declaring one."""
    source = zipfile.ZipFile(io.BytesIO(excel_return()))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            body = source.read(item)
            if item.filename == MATURITY_PART:
                if ref:
                    row = re.match(r"[A-Z]+(\d+)", ref).group(1)
                    cell = f'<row r="{row}"><c r="{ref}" t="inlineStr"><is><t>x</t></is></c></row>'
                    body = body.replace(b"</sheetData>", cell.encode() + b"</sheetData>")
                if dimension:
                    body, found = re.subn(rb'<dimension ref="[^"]*"/>', f'<dimension ref="{dimension}"/>'.encode(), body)
                    assert found == 1
            target.writestr(item, body)
    data = buffer.getvalue()
    assert len(data) < 16_000  # a small file: the cost is in where its cells are, not its size
    return data


@pytest.mark.parametrize("case", list(FAR))
def test_a_far_reaching_workbook_is_refused_in_words_before_it_is_read(case):
    result = validate_bytes("far.xlsx", far_workbook(**FAR[case]))
    [problem] = result.problems
    assert problem.kind == "file_refused"
    assert "sheet 'Maturity' reaches row" in problem.detail and "send it again" in problem.detail
    assert problem.sheet == "Maturity" and problem.row == int(re.search(r"\d+$", shape := next(iter(FAR[case].values()))).group())
    assert problem.column == re.match(r"[A-Z]*", shape.split(":")[-1]).group()


# The command line, in a process of its own, which reports its own peak memory on the way out: VmHWM, not
# getrusage's ru_maxrss, which Linux carries across exec from the forking process (pytest, grown large by then).
MEASURED = ("import re, sys; from bfc_data.cli import run; code = run(sys.argv[1:]); "
            "hwm = re.search(r'VmHWM:\\s+(\\d+) kB', open('/proc/self/status').read()).group(1); "
            "print('PEAK', int(hwm) // 1024, file=sys.stderr); sys.exit(code)")


@pytest.mark.parametrize("case", list(FAR))
def test_the_command_line_refuses_it_in_under_5_s_and_300_mb(tmp_path, case):
    path = tmp_path / "far.xlsx"
    path.write_bytes(far_workbook(**FAR[case]))
    started = time.monotonic()
    done = subprocess.run([sys.executable, "-c", MEASURED, "validate", str(path), "--json"], cwd=ROOT, capture_output=True,
                          text=True, timeout=60)
    elapsed = time.monotonic() - started
    assert done.returncode == 1, done.stderr[-2000:]
    peak = int(re.search(r"PEAK (\d+)", done.stderr).group(1))
    said = json.dumps(json.loads(done.stdout))
    assert "reaches row" in said and elapsed < 5 and peak < 300, (elapsed, peak)


def _resident_mb(pid: int, field: str) -> float:
    status = Path(f"/proc/{pid}/status").read_text()
    return int(re.search(rf"{field}:\s+(\d+) kB", status).group(1)) / 1024


@pytest.mark.browser
def test_the_upload_page_refuses_it_and_the_server_keeps_serving(tmp_path):
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian's chromium is not installed here")
    db = tmp_path / "bfc.duckdb"
    open_store(db).close()
    files = []
    for case, shape in FAR.items():
        files.append(tmp_path / f"{case.replace(' ', '_')}.xlsx")
        files[-1].write_bytes(far_workbook(**shape))
    with streamlit_server(db, {"BFC_LOCAL_ROLE": "officer"}) as url, browser() as page:
        pid = SERVERS[url].pid
        page.goto(f"{url}/upload")
        wait_for_app(page)
        before = _resident_mb(pid, "VmRSS")
        started = time.monotonic()
        page.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files([str(f) for f in files])
        page.wait_for_function("() => document.body.innerText.includes('declared_dimension_only.xlsx: rejected')",
                               timeout=30_000)
        elapsed = time.monotonic() - started
        text = page.locator('[data-testid="stMain"]').inner_text()
        grew = _resident_mb(pid, "VmHWM") - before
        assert SERVERS[url].poll() is None, "the server died"
        assert all(f"{f.name}: rejected" in text for f in files), text[-2000:]
        with page.expect_download() as download:  # the problems as the officer sends them back
            page.get_by_role("button", name="Download the problems (CSV)").click()
        said = Path(download.value.path()).read_text(encoding="utf-8-sig")
        refused = [line for line in said.splitlines() if line.startswith("error,File refused before reading,")]
        assert len(refused) == len(FAR) and all(",Maturity," in line for line in refused), said
        assert ",Maturity,20000,ZZ," in said and "a grid of 14,040,000 cells that would need more than the 256 MB" in said
        assert elapsed < 5 + 3, elapsed  # 5 s to refuse, and the page's own drawing
        assert grew < 300, grew
        other = page.context.browser.new_page()  # another person's session, in a context of its own
        other.goto(url)
        wait_for_app(other)
        other.wait_for_function("() => document.body.innerText.includes('progress overview')", timeout=30_000)


def test_a_workbook_whose_reading_outruns_the_time_budget_is_refused_in_words():
    from bfc_data.intake.safety import Limits
    [problem] = validate_bytes("slow.xlsx", excel_return(), limits=Limits(seconds=0.0)).problems
    assert problem.kind == "file_refused" and "longer than the 0-second limit" in problem.detail
