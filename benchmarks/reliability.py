"""Reliability runs: each hostile input, fault or mistake run as a user would run it (the command in a
fresh process), with its wall time, the peak memory of its whole process tree (parser processes, forkserver
and resource tracker included: RSS summed over the tree, sampled every 20 ms from /proc) and what it said.

Run from the repository root (Linux):  python benchmarks/reliability.py [SCENARIO ...]
The figures go into the README's "Reliability" section.  `measure()` is meant to be reused for more rows.
"""
from __future__ import annotations

import csv
import datetime as dt
import os
import shutil
import stat
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
PAGE = os.sysconf("SC_PAGE_SIZE")


def _tree_rss(root: int) -> int:
    """Bytes of RSS summed over `root` and all its descendants, now."""
    parent: dict[int, int] = {}
    rss: dict[int, int] = {}
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            with open(f"/proc/{d}/stat", "rb") as fh:
                fields = fh.read().rsplit(b")", 1)[1].split()
            parent[int(d)] = int(fields[1])
            rss[int(d)] = int(fields[21]) * PAGE
        except (OSError, IndexError, ValueError):
            continue
    tree, todo = {root}, [root]
    while todo:
        p = todo.pop()
        for child, pp in parent.items():
            if pp == p and child not in tree:
                tree.add(child)
                todo.append(child)
    return sum(rss.get(p, 0) for p in tree)


def measure(cmd: list[str], cwd: Path, env: dict | None = None, timeout: float = 600) -> dict:
    """Run `cmd`; its exit status, wall seconds, peak tree RSS in MiB and the first line it printed on stderr."""
    t0 = time.perf_counter()
    p = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                         start_new_session=True)
    peak = 0
    while p.poll() is None and time.perf_counter() - t0 < timeout:
        peak = max(peak, _tree_rss(p.pid))
        time.sleep(0.02)
    if p.poll() is None:
        os.killpg(p.pid, 9)
    err = p.stderr.read() if p.stderr else ""
    p.wait()
    first = next((line for line in err.splitlines() if line.strip() and not line.startswith("用法")), "")
    return {"exit": p.returncode, "seconds": time.perf_counter() - t0, "peak_mib": peak / 2**20,
            "said": first[:90], "traceback": "Traceback" in err}


def _unprivileged() -> list[str]:
    return ["setpriv", "--bounding-set=-dac_override,-dac_read_search", "--"] if os.geteuid() == 0 else []


def scenarios(w: Path, as_of: str) -> dict[str, list[str]]:
    x = [*_unprivileged(), sys.executable, "-m", "xinyong_desktop"]
    return {
        "forms → read-only folder": [*x, "forms", "packet", "--as-of", as_of, "--out", "readonly/out"],
        "forms → a file instead of a folder": [*x, "forms", "packet", "--as-of", as_of, "--out", "a-file"],
        "notice → read-only folder": [*x, "notice", "packet", "--as-of", as_of, "--out", "readonly/n.pdf"],
        "letters → read-only folder": [*x, "letters", "名单.xlsx", "--out", "readonly/l"],
        "guide → a file instead of a folder": [*x, "guide", "名单.xlsx", "--out", "a-file"],
        "roster --xlsx → read-only folder": [*x, "roster", "名单.xlsx", "--xlsx", "readonly/b.xlsx"],
        "export → read-only stick": [*x, "export", "packet", "--force", "测试", "--as-of", as_of, "--to", "readonly"],
        "check: packet folder not readable": [*x, "check", "unreadable", "--json"],
        "check: case.json is a folder": [*x, "check", "case-folder", "--json"],
        "roster: CSV field of 140,000 characters": [*x, "roster", "huge-field.csv"],
        "roster: formula cells (=HYPERLINK, =cmd|…) → --xlsx": [*x, "roster", "formulas.csv", "--xlsx", "f.xlsx"],
        "check: clean packet (reference)": [*x, "check", "packet", "--as-of", as_of, "--json"],
    }


def setup(w: Path) -> str:
    from tests.packetgen import Facts, write_packet
    from tests.rostergen import make_rows, write_csv, write_xlsx

    f = Facts.random(41)
    write_packet(w / "packet", f)
    write_xlsx(w / "名单.xlsx", make_rows(6, seed=4))
    rows = make_rows(3, seed=5)
    import dataclasses

    hostile = ['=HYPERLINK("http://evil.example/x","查看")', "=cmd|' /C calc'!A0", "@SUM(1+1)"]
    write_csv(w / "formulas.csv", [dataclasses.replace(r, authority=h) for r, h in zip(rows, hostile, strict=True)])
    (w / "a-file").write_text("x", encoding="utf-8")
    (w / "readonly").mkdir()
    shutil.copytree(w / "packet", w / "unreadable")
    shutil.copytree(w / "packet", w / "case-folder")
    (w / "case-folder" / "case.json").unlink(missing_ok=True)
    (w / "case-folder" / "case.json").mkdir()
    with open(w / "huge-field.csv", "w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows([["企业名称", "统一社会信用代码", "处罚决定书文号", "处罚日期", "失信程度"],
                                  ["常州甲有限公司", "91320400MA1X2Y3Z4A", "常市监罚〔2024〕1号", "2024-03-05", "x" * 140_000]])
    os.chmod(w / "readonly", stat.S_IRUSR | stat.S_IXUSR)
    os.chmod(w / "unreadable", 0)
    return dt.date.fromordinal(f.decision_date.replace(day=1).toordinal() + 200).isoformat()


def main(only: list[str]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        w = Path(tmp)
        as_of = setup(w)
        env = {**os.environ, "PYTHONPATH": str(ROOT), "XDG_STATE_HOME": str(w / "state")}
        print("| what was tried | exit | time | peak memory (process tree) | what the user is told |")
        print("|---|---|---|---|---|")
        try:
            for name, cmd in scenarios(w, as_of).items():
                if only and not any(o in name for o in only):
                    continue
                r = measure(cmd, w, env)
                said = "（traceback!）" if r["traceback"] else r["said"] or "—"
                print(f"| {name} | {r['exit']} | {r['seconds']:.1f} s | {r['peak_mib']:.0f} MiB | {said} |", flush=True)
        finally:
            os.chmod(w / "readonly", 0o755)
            os.chmod(w / "unreadable", 0o755)
    hostile(only)


def hostile(only: list[str]) -> None:
    """The second table: hostile and oversized inputs (benchmarks/bench_hostile.py's scenarios, the three
    cheap files that used to cost minutes among them), same measure of the whole process tree."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    import bench_hostile

    print()
    print("| what was tried | input | outcome | time | peak memory (tree) | left running |")
    print("|---|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as tmp:
        for key, (what, fn) in bench_hostile.scenarios(Path(tmp)).items():
            if only and not any(o in key or o in what for o in only):
                continue
            before = {p for p in Path(tmp).rglob("*") if p.is_file()}
            r, name = fn()
            # the input: what the scenario wrote (its packet or roster), case.json and helper scripts aside
            size = sum(p.stat().st_size for p in Path(tmp).rglob("*")
                       if p.is_file() and p not in before and p.name not in ("case.json", "hang_main.py", "mixed-line.jpg"))
            print(f"| {what} | {size / 1024:,.1f} KB | {bench_hostile.outcome(r, name)} | {r['secs']:.1f} s | "
                  f"{r['peak_mb']:.0f} MB | {r['left']} |", flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
