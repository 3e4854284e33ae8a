"""Ingest: N Excel returns from the sample generator, validated and loaded into a fresh store, against a baseline
that reads each file with pandas.read_excel(engine="openpyxl") and inserts row by row.

    python -m bench.bench_ingest [--sizes 100 300 1000] [--baseline-at 100]
"""

from __future__ import annotations

import argparse
import io
import random
import tempfile
import time
from pathlib import Path

import duckdb
import pandas as pd

from bench.common import table, tiny
from bfc_data.reference.framework import framework
from bfc_data.sample import excel_return, organisations
from bfc_data.store import Store, load_files


def make_returns(count: int, seed: int = 7) -> list[tuple[str, bytes]]:
    fw = framework()
    rng = random.Random(seed)
    orgs = organisations(fw, rng, count)
    for org in orgs:
        org.joins = 2022
    return [(f"{org.code}.xlsx", excel_return(fw, rng, org, 2025)) for org in orgs]


def ours(files: list[tuple[str, bytes]]) -> float:
    with tempfile.TemporaryDirectory() as folder:
        store = Store(Path(folder) / "bench.duckdb")
        start = time.perf_counter()
        outcomes = load_files(store, files, "benchmark")
        elapsed = time.perf_counter() - start
        assert all(not o.rejected for o in outcomes), [o.validated.problems[:2] for o in outcomes if o.rejected][:2]
        store.close()
    return elapsed


def baseline(files: list[tuple[str, bytes]]) -> float:
    """The straightforward way: openpyxl through pandas, then one INSERT per row."""
    con = duckdb.connect()
    con.execute("CREATE TABLE scores (organisation VARCHAR, action VARCHAR, role VARCHAR, grp VARCHAR, level VARCHAR)")
    start = time.perf_counter()
    for name, data in files:
        organisation = pd.read_excel(io.BytesIO(data), sheet_name="Organisation", engine="openpyxl", header=None)
        maturity = pd.read_excel(io.BytesIO(data), sheet_name="Maturity", engine="openpyxl")
        code = str(organisation.iloc[2, 1])
        for row in maturity.itertuples(index=False):
            con.execute("INSERT INTO scores VALUES (?, ?, ?, ?, ?)", [code, str(row[0]), str(row[1]), str(row[2]), str(row[4])])
    elapsed = time.perf_counter() - start
    con.close()
    return elapsed


def main(argv=None) -> str:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[5, 10] if tiny() else [100, 300, 1000])
    parser.add_argument("--baseline-at", type=int, nargs="+", default=None,
                        help="sizes at which to run the (slow) baseline too; default all")
    args = parser.parse_args(argv)
    rows = []
    for size in args.sizes:
        files = make_returns(size)
        mine = ours(files)
        run_baseline = args.baseline_at is None or size in args.baseline_at
        theirs = baseline(files) if run_baseline else None
        rows.append({"returns": size, "ours s": mine, "returns/s": round(size / mine, 1),
                     "baseline s": "—" if theirs is None else theirs,
                     "baseline ÷ ours": "—" if theirs is None else round(theirs / mine, 1)})
    return table(rows, "Ingest of Excel returns (validate and load into a fresh store)")


if __name__ == "__main__":
    main()
