"""培训班 → 导入其他电脑的培训班数据包…: the import runs off the UI thread — the window keeps repainting, a
progress dialog counts files and cases — and its 取消 stops it with nothing changed; run again, it lands whole."""
from __future__ import annotations

import os
import time

import pytest

pytest.importorskip("PySide6")
pytestmark = pytest.mark.gui

from tests.app.dialogs import Driver  # noqa: E402

CASES, FILES = 40, 30


def _bundle(tmp_path):
    """Another laptop's class: CASES enterprises, each packet of FILES scanned pages (distinct bytes)."""
    import datetime as dt

    from xinyong_desktop.services.bundle import export_bundle
    from xinyong_desktop.store import repo
    from xinyong_desktop.store.db import open_db
    from xinyong_desktop.store.models import Case

    Session = open_db(tmp_path / "other.sqlite3")
    with Session() as s, s.begin():
        tc = repo.create_class(s, "2026年第3期", dt.date(2026, 3, 20), "常州", "王老师")
        for i in range(CASES):
            folder = tmp_path / "other_packets" / f"企业{i:02d}"
            folder.mkdir(parents=True)
            for j in range(FILES):
                (folder / f"第{j:02d}页.jpg").write_bytes(os.urandom(8192))
            s.add(Case(class_id=tc.id, packet_dir=str(folder), status="审核中"))
        s.flush()
        return export_bundle(s, tc.id, tmp_path / "第3期.xybundle", "王老师")


def _classes(w) -> int:
    from sqlalchemy import func, select

    from xinyong_desktop.store.models import TrainingClass

    with w.db() as s:
        return int(s.scalar(select(func.count()).select_from(TrainingClass)))


def test_a_bundle_imports_off_the_ui_thread_with_progress_and_cancel(window, qtbot, tmp_path):
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QPushButton

    bundle = _bundle(tmp_path)
    w = window
    do = Driver(w, qtbot)
    w.packets_root().mkdir(parents=True, exist_ok=True)
    before_classes, before_folders = _classes(w), sorted(p.name for p in w.packets_root().iterdir())

    ticks: list[float] = []
    beat = QTimer()
    beat.setInterval(10)
    beat.timeout.connect(lambda: ticks.append(time.monotonic()))

    # ---- cancelled once the dialog shows it counting
    do.answers.file(bundle).item("新建一个培训班")
    do("导入其他电脑的培训班数据包…", wait=False)
    op = w._op
    assert op is not None  # the action returned while the import runs
    qtbot.waitUntil(lambda: op.dialog.isVisible() and op.dialog.value() > 0, timeout=30000)
    assert "正在导入培训班数据包" in op.dialog.labelText() and op.dialog.maximum() == CASES * FILES + CASES
    next(b for b in op.dialog.findChildren(QPushButton) if b.text() == "取消").click()
    qtbot.waitUntil(lambda: w.running is None, timeout=60000)
    assert "已取消导入" in w.statusBar().currentMessage()
    assert _classes(w) == before_classes
    assert sorted(p.name for p in w.packets_root().iterdir()) == before_folders  # no packet, no staging left

    # ---- run again: the window keeps repainting meanwhile, and the class lands whole
    do.answers.file(bundle).item("新建一个培训班")
    beat.start()
    do("导入其他电脑的培训班数据包…", wait=False)
    started = time.monotonic()
    seen_values: list[int] = []
    qtbot.waitUntil(lambda: seen_values.append(w._op.dialog.value() if w._op else -1) or w.running is None,
                    timeout=120000)
    took = time.monotonic() - started
    beat.stop()
    do.check_dialogs()
    assert "数据包已导入" in w.statusBar().currentMessage()
    assert _classes(w) == before_classes + 1 and w.cases.rowCount() == CASES
    during = [t for t in ticks if t >= started]
    longest = max(b - a for a, b in zip(during, during[1:], strict=False))
    print(f"bundle import {CASES} cases × {FILES} files: {took:.2f} s, longest UI-thread gap {longest * 1000:.0f} ms")
    # the import took a while, and the UI thread was never held for more than a fraction of it
    assert took > 0.3 and longest < max(0.5, took / 3), (took, longest)
    assert len({v for v in seen_values if v > 0}) > 3  # the count moved on the screen
    do.answers.stop()
