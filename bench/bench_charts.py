"""A chart as a page shows it (figure, sentence and table, `bfc_data.outputs.charts`) built from tables of growing
size: the time a cell should stay flat as the cells grow, never climb with them.

    python -m bench.bench_charts

The heat map (rows × 4 priority areas), the level bars and the trend lines (groups × 6 years) are built from
generated tables of 14 to 896 cells, in the shape `analysis.levels` and `analysis.trend` give. The baseline is the
heat map built as it was before this benchmark's issue, its cell figures added one annotation at a time (up to 224
cells: it grows with the square of the cells).
"""

from __future__ import annotations

import argparse
import random

import pandas as pd

from bench.common import median_seconds, table, tiny
from bfc_data.outputs import charts, figures
from bfc_data.reference.framework import framework


def levels_frame(categories: int, by: list[str], fw, seed: int = 3) -> pd.DataFrame:
    rng = random.Random(seed)
    areas = list(fw.priority_areas)
    rows = []
    for number in range(categories):
        for area in areas if "priority_area" in by else [None]:
            count = rng.randint(1, 60)
            shares = [rng.random() for _ in fw.levels]
            total = sum(shares)
            row = {"sector": f"Sector {number + 1:03d}", "organisations": count, "mean_level": round(rng.uniform(1, 4), 2),
                   **{share: 100 * s / total for share, s in zip(fw.level_shares, shares)},
                   "suppression": None, "suppressed": False}
            if area is not None:
                row["priority_area"] = area
            rows.append(row)
    return pd.DataFrame(rows)


def trend_frame(groups: int, seed: int = 5) -> pd.DataFrame:
    rng = random.Random(seed)
    return pd.DataFrame([{"sector": f"Sector {g + 1:03d}", "reporting_year": year, "organisations": rng.randint(5, 60),
                          "mean_level": round(rng.uniform(1, 4), 2), "suppression": None, "suppressed": False}
                         for g in range(groups) for year in range(2020, 2026)])


def heatmap_one_at_a_time(frame: pd.DataFrame, fw) -> None:
    """The heat map with each cell's figure added by its own call, as it was built before."""
    figure = figures.heatmap(frame, "priority_area", "sector", "t", fw)
    cells = list(figure.layout.annotations)
    figure.layout.annotations = ()
    for cell in cells:
        figure.add_annotation(cell)


def main(argv=None) -> str:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[14, 56, 224] if tiny() else [14, 56, 224, 896])
    args = parser.parse_args(argv)
    fw = framework()
    repeat = 1 if tiny() else 5
    rows = []
    for cells in args.sizes:
        grid = levels_frame(max(1, cells // len(fw.priority_areas)), ["sector", "priority_area"], fw)
        bars = levels_frame(cells, ["sector"], fw)
        trend = trend_frame(max(1, cells // 6))
        heat = median_seconds(lambda: charts.heatmap(grid, "priority_area", "sector", "Heat map", fw), repeat)
        # One at a time grows with the square of the cells: at 896 cells it would take minutes a run.
        baseline = median_seconds(lambda: heatmap_one_at_a_time(grid, fw), repeat) if cells <= 224 else None
        level = median_seconds(lambda: charts.level_bars(bars, "sector", "Bars", fw), repeat)
        lines = median_seconds(lambda: charts.trend_lines(trend, "sector", "Trend", fw), repeat)
        rows.append({"cells": cells, "heat map ms": heat * 1000, "heat map µs a cell": heat / len(grid) * 1e6,
                     "one-at-a-time heat map ms": "—" if baseline is None else baseline * 1000,
                     "level bars ms": level * 1000, "level bars µs a cell": level / len(bars) * 1e6,
                     "trend lines ms": lines * 1000, "trend lines µs a cell": lines / len(trend) * 1e6})
    return table(rows, "Charts (figure, sentence and table) as their tables grow, median of 5")


if __name__ == "__main__":
    main()
