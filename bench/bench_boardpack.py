"""Time to build the full board pack on a large store.

    python -m bench.bench_boardpack [--organisations 2000]
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from bench.common import build_large_store, median_seconds, table, tiny
from bfc_data.outputs import boardpack


def main(argv=None) -> str:
    parser = argparse.ArgumentParser()
    parser.add_argument("--organisations", type=int, default=40 if tiny() else 2000)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as folder:
        store = build_large_store(Path(folder) / "large.duckdb", args.organisations)
        rows = []
        for who in ("officer", "member"):
            from bfc_data.access import MEMBER, OFFICER, Viewer
            viewer = Viewer("benchmark", OFFICER if who == "officer" else MEMBER)
            seconds = median_seconds(lambda: boardpack.build(store, viewer, 2025), 1 if tiny() else 3)
            rows.append({"pack": f"{who}s' version", "organisations": args.organisations, "median s": seconds})
        store.close()
    return table(rows, "Board pack build time")


if __name__ == "__main__":
    main()
