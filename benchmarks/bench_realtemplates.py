"""Score the engine on packets built from real public templates (tests/realtemplates, PROVENANCE.md there).

    python benchmarks/bench_realtemplates.py [--only text|scan] [--out DIR] [-v]

Generates the 16 packets (8 clean, 8 with one seeded real defect) into DIR (default: a folder in the system's
temporary directory; nothing is committed) and runs ../shared/tools/score.py on them through
scripts/cached_check.py, so scanned files are recognised once and then served from the parse cache
($XINYONG_PARSE_CACHE, as for the corpora).  Prints score.py's figures: false alarms on clean packets,
recall of the seeded defects, kinds, fields, review findings per clean packet, confident-but-wrong values.
Exit status is score.py's with the thresholds of issue 23 (so it fails until the engine reads real templates).
"""
from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

THRESHOLDS = ["--min-recall", "0.98", "--max-false-alarm", "0.05", "--min-class", "0.98", "--min-fields", "0.95",
              "--max-review", "1.0", "--max-confident-wrong", "0.01"]


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", type=Path, default=Path(tempfile.gettempdir()) / "xinyong-realtemplates")
    ap.add_argument("--only", choices=["text", "scan"])
    ap.add_argument("--score", type=Path, default=ROOT.parent / "shared" / "tools" / "score.py")
    ap.add_argument("--no-cache", action="store_true", help="run the plain command (parse everything afresh)")
    ap.add_argument("-v", "--verbose", action="store_true")
    a = ap.parse_args()
    if not a.score.exists():
        print(f"找不到评分脚本：{a.score}（用 --score 指定 shared/tools/score.py）", file=sys.stderr)
        return 2

    from tests.realtemplates.packets import build_all

    shutil.rmtree(a.out, ignore_errors=True)
    build_all(a.out)
    py = sys.executable
    check = f"{py} -m xinyong_desktop" if a.no_cache else f"{py} {ROOT / 'scripts' / 'cached_check.py'}"
    cmd = [py, str(a.score), str(a.out), "--cmd", f"{check} check {{packet}} --as-of {{as_of}} --json", *THRESHOLDS]
    if a.only:
        cmd += ["--only", a.only]
    if a.verbose:
        cmd.append("-v")
    env = {**os.environ, "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    print("$", " ".join(cmd[1:]), flush=True)
    return subprocess.run(cmd, env=env).returncode


if __name__ == "__main__":
    sys.exit(main())
