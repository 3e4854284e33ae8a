"""Show that tests can fail: each named test runs against a deliberately broken copy of the code, and must fail
there (and pass on the unbroken copy). Not part of the suite; run it after changing a test it names:

    python tests/break_and_check.py            # every break
    python tests/break_and_check.py members    # the breaks whose name contains 'members'

Each break is one small change to one file, in a throwaway copy of the tracked files, so the working tree is
never touched.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# name: (file, text in it, the broken text, the tests that must then fail)
BREAKS = {
    "a corrupt file accepted silently": (
        "bfc_data/intake/validation.py", "        return ValidatedFile(name, None, sha256, len(data), [refused.problem])",
        "        return ValidatedFile(name, None, sha256, len(data), [])",
        "tests/test_robustness.py"),
    "the board pack button serves a broken deck": (
        "bfc_data/outputs/boardpack.py", "    return buffer.getvalue()", "    return buffer.getvalue()[:2000]",
        "tests/test_pages.py::test_board_pack_page_previews_the_slides_and_downloads_the_deck"),
    "members see a sector page unprotected": (
        "pages/sectors.py", 'frame = figures(analysis.levels, "sector", filters, threshold())',
        'frame = figures(analysis.levels, "sector", filters, 0)',
        "tests/test_disclosure_attack.py::test_a_member_cannot_work_out_a_small_group_on_any_page"),
    "members' downloads name organisations": (
        "pages/sectors.py", 'frame = figures(analysis.levels, "sector", filters, threshold())',
        'frame = figures(analysis.levels, "sector", filters, threshold()).assign(\n'
        '    organisation_name=store.scalar("SELECT max(organisation_name) FROM organisations"))',
        "tests/test_member_view.py::test_a_member_sees_no_organisation_on_any_page_or_download"),
    "problem kinds listed fewest first": (
        "bfc_data/intake/problems.py", 'ascending=[True, False], kind="stable")', 'ascending=[True, True], kind="stable")',
        "tests/test_validation.py::test_report_lists_the_most_frequent_kind_first_within_each_severity"),
    "a restore leaves the kept own means stale": (
        "bfc_data/store/loading.py", "            measures.refresh(cur, [code])\n", "",
        "tests/test_store.py::test_organisation_levels_stay_current_through_loads_supersedes_restores_and_register_changes"),
    "a chart axis written for four levels": (
        "bfc_data/outputs/figures.py", 'figure.update_yaxes(range=[min(fw.levels), fw.top_level], dtick=1)',
        'figure.update_yaxes(range=[1, 4], dtick=1)',
        "tests/test_scale.py::test_figures_charts_and_words_follow_the_scale"),
    "the words build a plotly figure": (
        "bfc_data/outputs/words.py", "import pandas as pd\n", "import pandas as pd\nimport plotly.graph_objects  # noqa: F401\n",
        "tests/test_words.py::test_the_words_tables_and_board_pack_build_no_plotly_figure"),
    "the stored All Londoners rule forgets intersecting rows": (
        "bfc_data/intake/all_londoners.py", 'COVERS_SQL = "equality_group = ? AND intersecting_group IS NULL"',
        'COVERS_SQL = "equality_group = ?"',
        "tests/test_quality.py::test_the_all_londoners_rule_gives_the_same_answer_at_intake_and_in_the_store"),
    "a pack for a year with no levels": (
        "bfc_data/outputs/slides.py", '    if not len(item.data["categories"]):\n        nothing_to_show(slide, deck)\n        return\n', "",
        "tests/test_boardpack.py::test_a_year_whose_returns_hold_no_levels_still_builds_a_pack_that_says_so"),
}


def copy_of_tracked_files(to: Path) -> None:
    files = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True).stdout.split("\n")
    for name in filter(None, files):
        source = ROOT / name
        if source.is_file():
            (to / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, to / name)


def run(folder: Path, tests: str) -> tuple[bool, float]:
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "pytest", "-q", "-x", "-p", "no:cacheprovider", tests], cwd=folder,
                          capture_output=True, text=True)
    return done.returncode == 0, time.perf_counter() - started


def main(wanted: str = "") -> int:
    failures = 0
    print(f"{'break':58} {'unbroken':>9} {'broken':>9}")
    for name, (path, text, broken, tests) in BREAKS.items():
        if wanted not in name:
            continue
        with tempfile.TemporaryDirectory() as folder:
            folder = Path(folder)
            copy_of_tracked_files(folder)
            passes, _ = run(folder, tests)
            source = (folder / path).read_text(encoding="utf-8")
            if text not in source:
                print(f"{name:58} the text to break is no longer in {path}")
                failures += 1
                continue
            (folder / path).write_text(source.replace(text, broken, 1), encoding="utf-8")
            still_passes, seconds = run(folder, tests)
        ok = passes and not still_passes
        failures += not ok
        print(f"{name:58} {'passes' if passes else 'FAILS':>9} {'PASSES' if still_passes else 'fails':>9}   {tests} ({seconds:.0f} s)")
    print("every test failed against its break" if not failures else f"{failures} break(s) not caught")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else ""))
