"""Run every benchmark and write their tables to bench/RESULTS.md (with the machine and the command).

    python -m bench.run_all
"""

from __future__ import annotations

import os
import platform
import subprocess
import sys
from pathlib import Path

BENCHES = ["bench.bench_ingest", "bench.bench_queries", "bench.bench_charts", "bench.bench_pages", "bench.bench_browser", "bench.bench_boardpack",
           "bench.bench_reports", "bench.bench_memory", "bench.bench_scaling"]


def main() -> None:
    root = Path(__file__).resolve().parent.parent
    outputs = []
    for module in BENCHES:
        # Each in its own process, so each peak-memory figure is its own.
        result = subprocess.run([sys.executable, "-m", module, *sys.argv[1:]], cwd=root, capture_output=True, text=True,
                                env=os.environ)
        print(result.stdout, end="", flush=True)
        if result.returncode != 0:
            print(result.stderr[-3000:], file=sys.stderr)
            raise SystemExit(f"{module} failed")
        outputs.append(result.stdout)
    if os.environ.get("BFC_BENCH_TINY") != "1":
        machine = f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, {platform.platform()}"
        (root / "bench" / "RESULTS.raw.md").write_text(f"Machine: {machine}\n\nCommand: python -m bench.run_all\n\n" + "\n".join(outputs))


if __name__ == "__main__":
    main()
