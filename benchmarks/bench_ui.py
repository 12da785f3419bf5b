"""Benchmark the review desk, three runs: time from launch to a usable window, and the longest UI-thread
stall while several packets are checked in the background queue (measured as the drift of a 10 ms timer)
— with the instructor confirming review items on another case meanwhile.

python benchmarks/bench_ui.py [--packets 4]     (offscreen platform by default)
"""
from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

STARTUP = """
import time, sys, os
t0 = time.perf_counter()
sys.path.insert(0, %r)
os.environ['XINYONG_DB'] = %r
from xinyong_desktop.app.main import make_app
from xinyong_desktop.app.main_window import MainWindow
from xinyong_desktop.rules.loader import default_rules
from xinyong_desktop.store.db import open_db
app = make_app()
w = MainWindow(open_db(), default_rules(), 'bench', None)
w.show()
app.processEvents()
print(time.perf_counter() - t0, 'rapidocr' in sys.modules, 'onnxruntime' in sys.modules)
"""


def launch(tmp: Path) -> tuple[float, float, bool]:
    t = time.perf_counter()
    out = subprocess.run([sys.executable, "-c", STARTUP % (str(ROOT), str(tmp / "start.sqlite3"))],
                         capture_output=True, text=True, check=True).stdout.split()
    return float(out[0]), time.perf_counter() - t, out[1] == "True" or out[2] == "True"


def stall_run(tmp: Path, n: int, app, pool, confirm_every: float = 0.5) -> tuple[float, float, float, int, float, float]:
    """(longest stall ms, median drift ms, seconds for the queue, decisions made meanwhile, seconds to add,
    longest confirmation ms)."""
    from PySide6.QtCore import QElapsedTimer, QThreadPool, QTimer

    from tests.packetgen import Facts, Spec, draw_pdf, write_packet
    from xinyong_desktop.app.main_window import MainWindow
    from xinyong_desktop.rules.loader import default_rules
    from xinyong_desktop.store.db import open_db

    w = MainWindow(open_db(tmp / "ui.sqlite3"), default_rules(), "bench", pool)
    w.resize(1366, 768)
    w.show()
    first = write_packet(tmp / "first", Facts.random(2, decision_date=dt.date.today() - dt.timedelta(days=200)))
    w.add_packet(first, ask=False)
    while w.running is not None:
        app.processEvents()
        time.sleep(0.001)
    worked = w.case_id
    folders = []
    for i in range(n):
        f = Facts.random(3 + i, decision_date=dt.date.today() - dt.timedelta(days=200))
        d = write_packet(tmp / f"packet{i}", f)
        draw_pdf(d / "stack.pdf", [Spec("commitment_letter"), Spec("payment_proof", layout=1),
                                   Spec("business_license")], f)
        folders.append(d)
    clock = QElapsedTimer()
    stalls: list[float] = []  # ticks late because of the background work (the checks, their results arriving)
    actions: list[float] = []  # how long each of the instructor's own confirmations took
    acted = [False]
    last = [0.0]

    def tick() -> None:
        now = clock.elapsed()
        if not acted[0]:  # a tick delayed by the instructor's own key press is that action's time, counted apart
            stalls.append(now - last[0] - 10)
            if now - last[0] - 10 > 30 and os.environ.get("BENCH_VERBOSE"):
                print(f"  stall {now - last[0] - 10:.0f} ms at {now} ms")
        acted[0] = False
        last[0] = now

    timer = QTimer()
    timer.timeout.connect(tick)
    t0 = time.perf_counter()
    for d in folders:  # several packets at once: queued, read one after another
        w.ctl.select_case(None)
        w.add_packet(d, ask=False)
    adding = time.perf_counter() - t0  # the instructor's own action (a stall of its own, reported apart)
    if os.environ.get("BENCH_VERBOSE"):  # when each packet ends, to set against the stalls
        w.checker.finished.connect(lambda cid, _r, _e: print(f"  case {cid} checked at {clock.elapsed()} ms"))
        w.checker.progressed.connect(lambda job: job and job.done == 0 and print(
            f"  case {job.case_id} started at {clock.elapsed()} ms"))
    w.open_case(worked)  # the instructor works on another case meanwhile, its page drawn
    w.next_review()
    deadline = time.perf_counter() + 10
    while w._want_page != w._page_key and time.perf_counter() < deadline:
        app.processEvents()
        time.sleep(0.001)
    clock.start()
    timer.start(10)
    decisions = 0
    next_decision = time.perf_counter() + confirm_every
    while w.running is not None:
        app.processEvents()
        if confirm_every and time.perf_counter() > next_decision and w.ctl.current.pending:
            acted[0] = True
            t = time.perf_counter()
            w.confirm_field()  # one confirmation every half second, through the one writer
            actions.append((time.perf_counter() - t) * 1000)
            decisions += 1
            next_decision = time.perf_counter() + confirm_every
        time.sleep(0.001)
    took = time.perf_counter() - t0
    timer.stop()
    w.close()  # thumbnail workers stop; none may outlive the window and the parser pool
    QThreadPool.globalInstance().waitForDone(10_000)
    w.deleteLater()  # gone before the next run (and before the interpreter's own clean-up)
    app.processEvents()
    stalls = stalls or [0.0]
    return max(stalls), sorted(stalls)[len(stalls) // 2], took, decisions, adding, max(actions or [0.0])


def main() -> None:
    import argparse

    ap = argparse.ArgumentParser()
    ap.add_argument("--packets", type=int, default=4)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--confirm-every", type=float, default=0.5,
                    help="seconds between the confirmations made meanwhile (0: none, the check alone)")
    args = ap.parse_args()
    from xinyong_desktop.app.main import make_app
    from xinyong_desktop.intake.sandbox import ParserPool

    app = make_app()
    with ParserPool() as pool:
        pool.warm()  # as the app does 300 ms after start
        for run in range(1, args.runs + 1):
            tmp = Path(tempfile.mkdtemp())
            inproc, wall, ocr = launch(tmp)
            worst, median, took, decisions, adding, slowest = stall_run(tmp, args.packets, app, pool, args.confirm_every)
            print(f"run {run}: launch to usable window {inproc:.2f} s in-process ({wall:.2f} s with interpreter "
                  f"start; OCR loaded at start: {ocr}); adding {args.packets} packets {adding * 1000:.0f} ms; "
                  f"checked in {took:.1f} s with {decisions} confirmations meanwhile (slowest {slowest:.0f} ms); "
                  f"longest UI stall from the background work "
                  f"{worst:.0f} ms (target ≤ 50 ms), median tick drift {median:.1f} ms; load average "
                  f"{os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
