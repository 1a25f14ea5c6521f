"""Start-up time: from starting `replycoach serve` to /api/v1/health
answering 200 (dictionaries preloaded, packs compiled, as a user sees it).

    .venv/bin/python benchmarks/startup_time.py [--runs 3] [--out FILE]

Results: benchmarks/results/startup.md."""
from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from load_test import free_port, start_server, stop_server  # noqa: E402
from report import write_result  # noqa: E402

RESULTS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "results")


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--out", default=os.path.join(RESULTS, "startup.md"))
    args = ap.parse_args()
    rows = []
    for label, extra in (("default (pack hot reload on)", []),
                         ("--no-reload", ["--no-reload"])):
        times = []
        for _ in range(args.runs):
            home = tempfile.mkdtemp(prefix="replycoach-start-")
            proc, seconds = start_server(home, free_port(), extra_args=extra)
            stop_server(proc)
            shutil.rmtree(home, ignore_errors=True)
            times.append(seconds)
        rows.append((label, statistics.median(times), min(times), max(times)))
    lines = ["# Start-up time (benchmarks/startup_time.py)", "",
             f"Machine: {platform.platform()}, {os.cpu_count()} cores, Python {platform.python_version()}. "
             f"From process start to the first 200 from /api/v1/health (polled every 20 ms), fresh "
             f"REPLYCOACH_HOME each run, {args.runs} runs (the pack compile cache is per process, so every "
             "run is cold).", "", "| mode | median s | min s | max s |", "|---|---|---|---|"]
    for label, med, lo, hi in rows:
        lines.append(f"| `replycoach serve` {label} | {med:.2f} | {lo:.2f} | {hi:.2f} |")
    write_result(args.out, lines)
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
