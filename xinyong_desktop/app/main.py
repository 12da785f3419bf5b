"""Start the Qt review desk: application, bundled CJK font, database, main window."""
from __future__ import annotations

import getpass
import sys


def make_app():
    from PySide6.QtGui import QFont, QFontDatabase
    from PySide6.QtWidgets import QApplication

    from xinyong_desktop.resources import font_path

    # background checks run Python in a worker thread: hand the GIL back to the UI thread more often
    sys.setswitchinterval(0.001)
    app = QApplication.instance() or QApplication(sys.argv)
    app.setOrganizationName("xinyong")
    app.setApplicationName("xinyong-desktop")
    fid = QFontDatabase.addApplicationFont(str(font_path()))
    families = QFontDatabase.applicationFontFamilies(fid) if fid >= 0 else []
    if families:  # Chinese never shows as boxes, even where the laptop has no CJK font
        app.setFont(QFont(families[0], 10))
    return app


def run_gui(open_dir=None, screenshot=None, as_of=None) -> int:
    """The desk.  With open_dir the packet is added and checked; with screenshot the window is saved to that
    file once the check is done and the app exits (automation hook for tests and the README's pictures).
    A screenshot run uses a throw-away database unless XINYONG_DB names one."""
    import os
    import tempfile
    from pathlib import Path

    from PySide6.QtCore import QTimer

    from xinyong_desktop.app.main_window import MainWindow
    from xinyong_desktop.intake.sandbox import ParserPool
    from xinyong_desktop.rules.loader import default_rules
    from xinyong_desktop.store.db import open_db

    app = make_app()
    pool = ParserPool()
    tmp = None
    try:
        db_path = None
        if screenshot is not None and not os.environ.get("XINYONG_DB"):
            tmp = tempfile.TemporaryDirectory()
            db_path = Path(tmp.name) / "screenshot.sqlite3"
        win = MainWindow(open_db(db_path), default_rules(), getpass.getuser(), pool, as_of=as_of)
        if screenshot is not None:
            win.headless = True
            win.resize(1500, 900)
        win.show()
        status = {"code": 0}
        if open_dir is not None:
            win.add_packet(Path(open_dir).resolve(), ask=False)
        if screenshot is not None:
            def grab_when_done() -> None:
                if win.running is not None:
                    QTimer.singleShot(100, grab_when_done)
                    return
                win._step_tree(1)
                ok = win.grab().save(str(screenshot))
                status["code"] = 0 if ok else 1
                print(screenshot if ok else f"无法保存截图：{screenshot}")
                win.close()
                app.quit()

            QTimer.singleShot(200, grab_when_done)
        else:
            QTimer.singleShot(300, pool.warm)  # parser processes start while the instructor looks at the window
        code = app.exec()
        return status["code"] or code
    finally:
        pool.close()
        if tmp is not None:
            tmp.cleanup()
