"""Benchmark: import a 10,000-row roster (XLSX with title rows and merged cells, and GBK CSV) and compute
the eligibility board.  Target: under 3 s each; peak memory (tracemalloc) and process RSS are reported.

Run from the repository root:  python benchmarks/bench_roster.py
"""
from __future__ import annotations

import datetime as dt
import resource
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.rostergen import make_rows, write_csv, write_xlsx
from xinyong_desktop.roster.board import read_rosters
from xinyong_desktop.rules.loader import default_rules

N = 10_000


def run(path: Path) -> None:
    default_rules()
    t0 = time.perf_counter()
    roster = read_rosters([path], dt.date(2025, 6, 1))
    lists = roster.lists(30)
    took = time.perf_counter() - t0
    tracemalloc.start()  # a second, untimed run: tracemalloc slows Python code down several times
    read_rosters([path], dt.date(2025, 6, 1)).lists(30)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    counts = ", ".join(f"{k} {len(v)}" for k, v in lists.items())
    print(f"{path.suffix[1:]:>5}: {took:5.2f} s for {len(roster.records)} records ({counts}); "
          f"errors {len(roster.errors)}; peak Python memory {peak / 2**20:.0f} MiB  "
          f"[target < 3 s: {'met' if took < 3 else 'NOT met'}]")


def main() -> None:
    rows = make_rows(N, seed=1)
    with tempfile.TemporaryDirectory() as tmp:
        x = write_xlsx(Path(tmp) / "roster.xlsx", rows)
        c = write_csv(Path(tmp) / "roster.csv", rows, encoding="gbk")
        run(x)
        run(c)
    with tempfile.TemporaryDirectory() as tmp:  # issue 6: reminder letters for a 500-enterprise roster < 30 s
        from xinyong_desktop.documents.letters import write_reminders

        roster = read_rosters([write_csv(Path(tmp) / "r.csv", rows[:500])], dt.date(2025, 6, 1))
        t0 = time.perf_counter()
        paths, merged = write_reminders(roster.records, default_rules(), Path(tmp) / "out", dt.date(2025, 6, 1))
        took = time.perf_counter() - t0
        print(f"reminder letters: {took:5.2f} s for {len(paths)} letters + merged file "
              f"({merged.stat().st_size / 2**20:.1f} MiB)  [target < 30 s: {'met' if took < 30 else 'NOT met'}]")
    print(f"process max RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")


if __name__ == "__main__":
    main()
