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


def run_gui() -> int:
    from xinyong_desktop.app.main_window import MainWindow
    from xinyong_desktop.intake.sandbox import ParserPool
    from xinyong_desktop.rules.loader import default_rules
    from xinyong_desktop.store.db import open_db

    app = make_app()
    pool = ParserPool()
    try:
        win = MainWindow(open_db(), default_rules(), getpass.getuser(), pool)
        win.show()
        from PySide6.QtCore import QTimer

        QTimer.singleShot(300, pool.warm)  # parser processes start while the instructor looks at the window
        return app.exec()
    finally:
        pool.close()
