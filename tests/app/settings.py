"""GUI tests keep the desk's settings (window size, folders, last case) in their own temporary folder: never the
user's, and never another test run's on the same machine."""
from __future__ import annotations


def isolate_settings(folder) -> None:
    from PySide6.QtCore import QCoreApplication, QSettings

    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(folder))
    QCoreApplication.setOrganizationName("xinyong-test")  # after make_app, which names it "xinyong"
    QSettings().clear()
