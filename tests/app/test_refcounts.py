"""The Qt binding keeps Python's reference counts: the calls the desk makes thousands of times a session (a
signal emitted from Python by every progress step and thumbnail, processEvents, a runnable started on the pool,
a slot called by Qt) must not take a reference to True or None away.  PySide6 6.12.0 did on Python 3.11 (one
reference per call; the interpreter then aborted at exit with "Fatal Python error: bool_dealloc" after a GUI test
session); pyproject.toml keeps that version off Python < 3.12."""
from __future__ import annotations

import gc
import sys

import pytest

pytest.importorskip("PySide6")
pytestmark = pytest.mark.gui

N = 2000


def _drift(fn) -> tuple[int, int, int]:
    gc.collect()
    before = sys.getrefcount(True), sys.getrefcount(False), sys.getrefcount(None)
    for _ in range(N):
        fn()
    gc.collect()
    after = sys.getrefcount(True), sys.getrefcount(False), sys.getrefcount(None)
    return after[0] - before[0], after[1] - before[1], after[2] - before[2]


def test_the_qt_calls_the_desk_repeats_keep_true_and_none(qapp):
    from PySide6.QtCore import QObject, QRunnable, QThreadPool, QTimer, Signal

    app = qapp

    class Emitter(QObject):
        plain = Signal()
        progress = Signal(int, int, str)

    e = Emitter()
    got: list[int] = []
    e.progress.connect(lambda done, total, label: got.append(done))
    e.plain.connect(lambda: True)
    checks = {
        "Signal.emit（无参数）": e.plain.emit,
        "Signal.emit（进度）": lambda: e.progress.emit(1, 2, "x"),
        "processEvents": app.processEvents,
    }

    class Job(QRunnable):
        def run(self) -> None:
            got.append(0)

    def run_job() -> None:
        QThreadPool.globalInstance().start(Job())
        QThreadPool.globalInstance().waitForDone()
    checks["QThreadPool.start"] = run_job

    ticks: list[int] = []
    timer = QTimer()
    timer.setInterval(0)
    timer.timeout.connect(lambda: ticks.append(1))
    timer.start()

    def one_tick() -> None:
        n = len(ticks)
        while len(ticks) == n:
            app.processEvents()
    try:
        for name, fn in checks.items():
            drift = _drift(fn)
            # a call may leave a few references behind (caches); taking one per call is the defect
            assert min(drift) > -N // 4, (name, drift)
        timer_drift = _drift(one_tick)
        assert min(timer_drift) > -N // 4, ("QTimer → Python slot", timer_drift)
    finally:
        timer.stop()
    assert len(got) >= 2 * N and len(ticks) >= N  # the calls did run
