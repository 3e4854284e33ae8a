"""What every benchmark shares: medians of repeated runs, a printed table, and a large store built straight in DuckDB."""

from __future__ import annotations

import os
import resource
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bfc_data.store import Store, measures  # noqa: E402


def medians(runs) -> tuple[float, float]:
    """The median wall time and the median CPU time of (wall, CPU) runs."""
    runs = list(runs)
    return statistics.median(run[0] for run in runs), statistics.median(run[1] for run in runs)


def median_seconds(function, repeat: int = 5) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def peak_memory_mb() -> float:
    """Peak resident memory of this process so far. VmHWM, not getrusage's ru_maxrss: Linux carries ru_maxrss across
    exec from the process that started this one, so a benchmark started by a large process would report its size."""
    try:
        status = Path("/proc/self/status").read_text()
        return int(status.split("VmHWM:")[1].split()[0]) / 1024
    except (OSError, IndexError, ValueError):  # not Linux: the best there is
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def table(rows: list[dict], title: str) -> str:
    """A plain-text table, printed and returned for RESULTS.md."""
    if not rows:
        return f"{title}: nothing measured\n"
    columns = list(rows[0])
    cells = [[_cell(r[c]) for c in columns] for r in rows]
    widths = [max(len(c), *(len(row[i]) for row in cells)) for i, c in enumerate(columns)]
    lines = [f"## {title}", "", "| " + " | ".join(c.ljust(w) for c, w in zip(columns, widths)) + " |",
             "| " + " | ".join("-" * w for w in widths) + " |"]
    lines += ["| " + " | ".join(v.ljust(w) for v, w in zip(row, widths)) + " |" for row in cells]
    text = "\n".join(lines) + "\n"
    print(text, flush=True)
    return text


def _cell(value) -> str:
    if isinstance(value, float):
        return f"{value:,.3f}" if value < 10 else f"{value:,.1f}"
    return str(value)


def build_large_store(path: Path, organisations: int = 2000, years: int = 6, groups: int = 12) -> Store:
    """A store of `organisations` × `years` returns × 14 actions × `groups` equality groups, written straight in SQL.

    About 2 million maturity scores at the defaults; levels follow a believable rise over the years.
    """
    if path.exists():
        path.unlink()
    store = Store(path)
    fw = store.fw
    sectors = list(fw.sectors.values)
    group_names = list(fw.equality_groups.values)[:groups]
    with store._write() as cur:  # the benchmark's own bulk writer: one transaction, set-based
        cur.execute("""
            INSERT INTO submissions
            SELECT row_number() OVER () AS submission_id, 'maturity CSV', printf('ORG-%04d', o), 2020 + y,
                   printf('bench-%d-%d', o, y), 'bench', 'bench.csv', 0, 'benchmark', now()::TIMESTAMP, TRUE, FALSE,
                   row_number() OVER (), printf('Organisation %d', o), (?::VARCHAR[])[1 + o % ?], NULL, NULL, NULL, NULL, 14 * ?
            FROM range(1, ? + 1) t(o), range(0, ?) u(y)""", [sectors, len(sectors), groups, organisations, years])
        cur.execute("""
            INSERT INTO maturity_scores
            SELECT s.submission_id, 'A' || a, CASE WHEN g = 1 THEN 'All roles' ELSE 'Employer' END, (?::VARCHAR[])[g], NULL,
                   least(4, 1 + ((hash(s.submission_id, a, g) % 3) + (s.reporting_year - 2020) // 3)::INTEGER),
                   NULL, NULL, CASE WHEN hash(s.submission_id, a) % 7 = 0 THEN 'Study tour' END, NULL, NULL, 1
            FROM submissions s, range(1, 15) t(a), range(1, ? + 1) u(g)""", [group_names, groups])
        cur.execute("""
            INSERT INTO organisations
            SELECT organisation_code, any_value(organisation_name), any_value(sector), NULL, NULL, NULL, NULL, now()::TIMESTAMP,
                   now()::TIMESTAMP
            FROM submissions GROUP BY 1""")
        measures.refresh(cur)  # what every load does in its transaction: keep the own means current
        # The ids and precedences a later load takes start after these, as they would after real loads.
        following = cur.execute("SELECT max(submission_id) + 1 FROM submissions").fetchone()[0]
        cur.execute(f"CREATE OR REPLACE SEQUENCE submission_ids START {int(following)}")
        cur.execute(f"CREATE OR REPLACE SEQUENCE precedence_seq START {int(following)}")
    store.checkpoint()
    return store


def tiny() -> bool:
    """BFC_BENCH_TINY=1: every benchmark at a toy size, so the test suite keeps them working."""
    return os.environ.get("BFC_BENCH_TINY") == "1"
