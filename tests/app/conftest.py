"""The desk window for GUI tests: a fresh database and settings, links opened recorded instead of launched."""
from __future__ import annotations

import pytest


@pytest.fixture
def window(qtbot, tmp_path, pool, rules, monkeypatch):
    from PySide6.QtGui import QDesktopServices

    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    opened: list[str] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", staticmethod(lambda url: opened.append(url.toLocalFile())))
    from xinyong_desktop.app.main import make_app
    from xinyong_desktop.app.main_window import MainWindow
    from xinyong_desktop.store.db import open_db

    make_app()  # (it names the organisation "xinyong": the test's own settings are chosen after it)
    from tests.app.settings import isolate_settings

    isolate_settings(tmp_path / "settings")
    db = tmp_path / "desk.sqlite3"
    w = MainWindow(open_db(db), rules, "张老师", pool, db_path=db)
    qtbot.addWidget(w)
    w.show()
    w.activateWindow()
    qtbot.waitUntil(w.isActiveWindow, timeout=5000)
    w.opened = opened
    return w
