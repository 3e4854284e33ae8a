"""How ingest, the aggregates and the board pack grow with the number of organisations (500, 1,000, 2,000, 8,000),
drawn to `bench/scaling.png` as multiples of their cost at 500 beside the data's own growth (16× at 8,000): a cost
that grows no faster than the data stays on or under its line.

    python -m bench.bench_scaling [--sizes 500 1000 2000 8000]

Ingest: that many full Excel returns validated and loaded into a fresh store (medians of 3 runs' wall and CPU
time). Aggregates: the sum of the warm medians of every call in `bench_queries` on a store of that many
organisations × 6 years × 14 actions × 12 groups. Board pack: the members' pack built on that store (median of 3).
"""

from __future__ import annotations

import argparse
import math
import os
import tempfile
from pathlib import Path

import plotly.graph_objects as go

from bench import bench_ingest, bench_queries
from bench.common import ROOT, build_large_store, median_seconds, medians, table, tiny
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
    """Each cost as a multiple of its cost at the smallest size, beside the data's own growth: a line under the
    data's grows more slowly than the data."""
    sizes = [r["organisations"] for r in rows]
    growth = [size / sizes[0] for size in sizes]
    figure = go.Figure()
    figure.add_scatter(x=sizes, y=growth, name="The data (organisations, and scores with them)", mode="lines",
                       line={"color": "#505A5F", "width": 2, "dash": "longdash"})
    ends = []
    for column, name, short, dash, symbol in (("ingest s", "Ingest: validate and load", "ingest", "solid", "circle"),
                                              ("aggregates ms", "Every aggregate call, summed", "aggregates", "dash", "square"),
                                              ("board pack s", "Board pack (members')", "board pack", "dot", "diamond")):
        values = [r[column] / rows[0][column] for r in rows]
        figure.add_scatter(x=sizes, y=values, name=name, mode="lines+markers", line={"dash": dash, "width": 3},
                           marker={"symbol": symbol, "size": 11})
        ends.append([math.log10(values[-1]), f"{short} {values[-1]:.1f}×", None])
    ends.append([math.log10(growth[-1]), f"data {growth[-1]:.0f}×", "#505A5F"])
    # Each line is named at its end, so that no line is told by its colour alone; labels that would touch are moved
    # apart (on log axes plotly places annotations by the logarithm of their position).
    ends.sort()
    for lower, upper in zip(ends, ends[1:]):
        upper[0] = max(upper[0], lower[0] + 0.09)
    for position, text, colour in ends:
        figure.add_annotation(x=math.log10(sizes[-1]), y=position, text=text, showarrow=False, xanchor="left",
                              yanchor="middle", xshift=12, font={"size": 15, **({"color": colour} if colour else {})})
    ticks = [0.5, 1, 2, 4, 8, 16, 32]
    figure.update_layout(title=f"How each cost grows from {sizes[0]:,} to {sizes[-1]:,} organisations, against the data",
                         xaxis={"title": "Organisations (each with 6 years of returns)", "type": "log", "tickvals": sizes},
                         yaxis={"title": f"Times its cost at {sizes[0]:,} organisations", "type": "log", "tickvals": ticks,
                                "ticktext": [f"{t:g}×" for t in ticks], "gridcolor": "#DDDDDD"},
                         paper_bgcolor="white", plot_bgcolor="white", font={"size": 16}, width=1100, height=650,
                         legend={"orientation": "h", "y": -0.22}, margin={"r": 190})
    return figure


def main(argv=None) -> str:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[20, 40] if tiny() else [500, 1000, 2000, 8000])
    args = parser.parse_args(argv)
    repeat = 1 if tiny() else 3
    load = os.getloadavg()[0]
    rows = []
    for size in args.sizes:
        files = bench_ingest.make_returns(size)
        # Medians: one run each moved the 500-organisation figure, every ratio's denominator, from 2.2 to 2.8 s.
        ingest, ingest_cpu = medians(bench_ingest.ours(files) for _ in range(repeat))
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
