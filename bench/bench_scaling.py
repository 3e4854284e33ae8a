"""How ingest, the aggregates and the board pack grow with the number of organisations (500, 1,000, 2,000, 8,000),
drawn to `bench/scaling.png`: cost per organisation should stay flat or fall, never climb.

    python -m bench.bench_scaling [--sizes 500 1000 2000 8000]

Ingest: that many full Excel returns validated and loaded into a fresh store (wall time, one run). Aggregates: the
sum of the warm medians of every call in `bench_queries` on a store of that many organisations × 6 years × 14
actions × 12 groups. Board pack: the members' pack built on that store (median of 3).
"""

from __future__ import annotations

import argparse
import os
import tempfile
from pathlib import Path

import plotly.graph_objects as go

from bench import bench_ingest, bench_queries
from bench.common import ROOT, build_large_store, median_seconds, table, tiny
from bfc_data.access import MEMBER, Viewer
from bfc_data.outputs import boardpack, images

PNG = ROOT / "bench" / "scaling.png"


def board_pack_seconds(organisations: int, repeat: int) -> float:
    with tempfile.TemporaryDirectory() as folder:
        store = build_large_store(Path(folder) / "large.duckdb", organisations)
        seconds = median_seconds(lambda: boardpack.build(store, Viewer("benchmark", MEMBER), 2025), repeat)
        store.close()
    return seconds


def draw(rows: list[dict]) -> go.Figure:
    sizes = [r["organisations"] for r in rows]
    figure = go.Figure()
    for column, name, dash in (("ingest ms an organisation", "Ingest (validate and load)", "solid"),
                               ("aggregates ms an organisation", "Every aggregate call, summed", "dash"),
                               ("board pack ms an organisation", "Board pack (members')", "dot")):
        figure.add_scatter(x=sizes, y=[r[column] for r in rows], name=name, mode="lines+markers+text",
                           line={"dash": dash, "width": 3}, text=[f"{r[column]:.2f}" for r in rows], textposition="top center")
    figure.update_layout(title="Cost per organisation as the store grows (flat or falling: no worse than linear)",
                         xaxis={"title": "Organisations (each with 6 years of returns)", "type": "log", "tickvals": sizes},
                         yaxis={"title": "Milliseconds per organisation", "rangemode": "tozero"},
                         paper_bgcolor="white", plot_bgcolor="white", font={"size": 16}, width=1100, height=650,
                         legend={"orientation": "h", "y": -0.2})
    return figure


def main(argv=None) -> str:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[20, 40] if tiny() else [500, 1000, 2000, 8000])
    args = parser.parse_args(argv)
    repeat = 1 if tiny() else 3
    load = os.getloadavg()[0]
    rows = []
    for size in args.sizes:
        ingest, ingest_cpu = bench_ingest.ours(bench_ingest.make_returns(size))
        calls, _, scores = bench_queries.run(size, repeat, baselines=False)
        aggregates = sum(r["warm median ms"] for r in calls)
        pack = board_pack_seconds(size, repeat)
        rows.append({"organisations": size, "scores": f"{scores:,}", "ingest s": ingest, "ingest CPU s": ingest_cpu,
                     "ingest ms an organisation": ingest / size * 1000, "aggregates ms": aggregates,
                     "aggregates ms an organisation": aggregates / size, "board pack s": pack,
                     "board pack ms an organisation": pack / size * 1000})
        print(rows[-1], flush=True)
    text = table(rows, f"How cost grows with the number of organisations (load average {load:.2f} at the start)")
    if not tiny() and images.available():
        PNG.write_bytes(images.figure_png(draw(rows), width=1100, height=650))
        text += f"\nDrawn in `bench/{PNG.name}`.\n"
    return text


if __name__ == "__main__":
    main()
