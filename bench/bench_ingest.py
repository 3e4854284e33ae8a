"""Ingest: N full Excel returns (about 170 maturity rows, an Organisation sheet and 10 metrics rows each), validated
and loaded into a fresh store, against the fair baseline: pandas.read_excel(engine="openpyxl") per file, then one
bulk insert per file.

    python -m bench.bench_ingest [--sizes 1000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import io
import os
import random
import resource
import statistics
import tempfile
import time
import zipfile
from pathlib import Path

import duckdb
import pandas as pd

from bench.common import medians, table, tiny
from bfc_data.reference.framework import ALL_LONDONERS, framework
from bfc_data.sample import EVIDENCE, LEVEL_FORMS, NEXT_STEPS, metric_cells, organisations, return_workbook
from bfc_data.store import Store, load_files


GROUP_FORMS = {"Race": ["Race", "Ethnicity", "race"], "Sex": ["Sex", "Gender", "sex"], "Disability": ["Disability", "Disabled people"]}
ROLE_FORMS = ["Employer", "Service provider", "All roles", "As an employer", "Services", "all roles"]


def full_return(fw, rng: random.Random, org, year: int) -> bytes:
    """A return that reports every action for every equality group, typed the ways partners type: about 170 maturity
    rows (14 actions × 12 groups and a few intersectional rows), the Organisation sheet and 10 metrics rows."""
    form = rng.choice(LEVEL_FORMS)
    maturity = []
    for action in fw.actions:
        for group in fw.equality_groups.values:
            level = rng.randint(1, fw.top_level)
            typed_group = rng.choice(GROUP_FORMS.get(group, [group]))
            maturity.append([action if rng.random() < 0.8 else fw.action_label(action), rng.choice(ROLE_FORMS)
                             if group != ALL_LONDONERS else "All roles", typed_group, None,
                             int(level) if form is LEVEL_FORMS[0] else form(fw, level),
                             f"{rng.choice(EVIDENCE)} ({rng.randint(1, 400)})", rng.choice(NEXT_STEPS) or None,
                             rng.choice(fw.learning_formats.values) if level <= 2 and rng.random() < 0.3 else None])
    for action in rng.sample(list(fw.actions), 2):
        maturity.append([action, "All roles", "Race", "Sex", form(fw, 2) if form is not LEVEL_FORMS[0] else 2,
                         "Intersectional review", None, None])
    return return_workbook(org, year, maturity, metric_cells(rng, org, year))


def make_returns(count: int, seed: int = 7, distinct: int = 1000, year: int = 2025) -> list[tuple[str, bytes]]:
    """`count` returns of as many organisations, for `year`. Up to `distinct` are made whole; beyond that, made returns
    are sent again under new organisation codes (the code rewritten in the Organisation sheet), which costs a
    millisecond rather than twenty. The same seed makes the same organisations whatever the year."""
    fw = framework()
    rng = random.Random(seed)
    orgs = organisations(fw, rng, min(count, distinct))
    for org in orgs:
        org.joins = 2022
    made = [(org.code, full_return(fw, rng, org, year)) for org in orgs]
    files = [(f"{code}.xlsx", data) for code, data in made]
    for number in range(len(made) + 1, count + 1):
        code, data = made[(number - 1) % len(made)]
        new = f"ORG-{number:04d}"
        files.append((f"{new}.xlsx", _with_code(data, code, new)))
    return files


def _with_code(workbook: bytes, old: str, new: str) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(workbook)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(f">{old}<".encode(), f">{new}<".encode())
            target.writestr(item, data)
    return out.getvalue()


def cpu_seconds() -> float:
    """CPU time of this process and of the worker processes it has waited for."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def ours(files: list[tuple[str, bytes]], stored: list[tuple[str, bytes]] = ()) -> tuple[float, float]:
    """(wall s, CPU s): every file validated and loaded, as `python -m bfc_data load` does, into a fresh store or one
    already holding `stored` (loaded first, not timed)."""
    with tempfile.TemporaryDirectory() as folder:
        store = Store(Path(folder) / "bench.duckdb")
        if stored:
            load_files(store, list(stored), "benchmark")
        start, cpu = time.perf_counter(), cpu_seconds()
        outcomes = load_files(store, files, "benchmark")
        elapsed, cpu = time.perf_counter() - start, cpu_seconds() - cpu
        assert all(not o.rejected for o in outcomes), [o.validated.problems[:2] for o in outcomes if o.rejected][:2]
        assert store.scalar("SELECT count(*) FROM submissions") == len(files) + len(stored)
        store.close()
    return elapsed, cpu


def baseline(files: list[tuple[str, bytes]]) -> tuple[float, float]:
    """The fair baseline: what a competent analyst would write. Each workbook read once by pandas through openpyxl
    (all its sheets), its maturity and metrics rows then inserted in one bulk statement each. No checking at all."""
    con = duckdb.connect()
    con.execute("CREATE TABLE maturity (organisation_code VARCHAR, action VARCHAR, role VARCHAR, equality_group VARCHAR, "
                "intersecting_group VARCHAR, maturity_level VARCHAR, evidence VARCHAR, next_step VARCHAR, support_wanted VARCHAR)")
    con.execute("CREATE TABLE metrics (organisation_code VARCHAR, metric VARCHAR, equality_group VARCHAR, value VARCHAR, notes VARCHAR)")
    start, cpu = time.perf_counter(), cpu_seconds()
    for _name, data in files:
        sheets = pd.read_excel(io.BytesIO(data), sheet_name=None, engine="openpyxl", header=None, dtype=str)
        code = sheets["Organisation"].iloc[2, 1]
        for name, sheet in (("maturity", sheets["Maturity"]), ("metrics", sheets["Metrics"])):
            frame = sheet.iloc[1:].copy()
            frame.insert(0, "organisation_code", code)
            con.register("incoming", frame)
            con.execute(f"INSERT INTO {name} SELECT * FROM incoming")  # noqa: S608 - fixed names
            con.unregister("incoming")
    elapsed, cpu = time.perf_counter() - start, cpu_seconds() - cpu
    assert con.execute("SELECT count(DISTINCT organisation_code) FROM maturity").fetchone()[0] == len(files)
    con.close()
    return elapsed, cpu


def main(argv=None) -> str:
    parser = argparse.ArgumentParser()
    parser.add_argument("--returns", type=int, default=10 if tiny() else 1000)
    parser.add_argument("--repeat", type=int, default=1 if tiny() else 3)
    parser.add_argument("--scaling", type=int, nargs="*", default=[5, 20] if tiny() else [],
                        help="other sizes, one run each (bench_scaling draws the curve)")
    args = parser.parse_args(argv)
    load = os.getloadavg()[0]
    files = make_returns(args.returns)
    rows_each = statistics.median(_maturity_rows(data) for _, data in files[:50])
    # The same organisations' returns a year later, into a store holding this year's: how a second year's returns
    # arrive, every organisation seen before.
    next_year = make_returns(args.returns, year=2026)
    rows = []
    for kind, loaded, stored in (("into a fresh store", files, ()), ("a year later, into a store holding those", next_year, files)):
        wall, cpu = medians(ours(loaded, stored) for _ in range(args.repeat))
        base_wall, base_cpu = medians(baseline(loaded) for _ in range(args.repeat))
        rows.append({"returns": args.returns, "loaded": kind, "maturity rows each (median)": rows_each, "ours wall s": wall,
                     "ours CPU s": cpu, "baseline wall s": base_wall, "baseline CPU s": base_cpu,
                     "baseline ÷ ours (wall)": round(base_wall / wall, 1), "baseline ÷ ours (CPU)": round(base_cpu / cpu, 1)})
    text = table(rows, f"Ingest of Excel returns, median of {args.repeat} (load average {load:.2f} at the start)")
    scaling = []
    for size in args.scaling:
        wall, cpu = ours(make_returns(size))
        scaling.append({"returns": size, "wall s": wall, "CPU s": cpu, "wall ms a return": wall / size * 1000,
                        "CPU ms a return": cpu / size * 1000})
    if scaling:
        text += "\n" + table(scaling, "How ingest grows (one run each)")
    return text


def _maturity_rows(workbook: bytes) -> int:
    with zipfile.ZipFile(io.BytesIO(workbook)) as archive:
        return archive.read("xl/worksheets/sheet2.xml").count(b"<row ") - 1


if __name__ == "__main__":
    main()
