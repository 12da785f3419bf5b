"""Data safety: backups, restore, purge of a class's personal data."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QInputDialog, QMessageBox

from xinyong_desktop.app import strings as S
from xinyong_desktop.app.shell import Shell
from xinyong_desktop.store.models import TrainingClass


class DataSafetyMixin(Shell):
    """Part of MainWindow (see main_window.py): uses the window's shared context (db, rules, instructor, class, case)."""

    def backup_now(self) -> Path | None:
        if self.db_path is None:
            return None
        from xinyong_desktop.store.backup import make_backup

        out = make_backup(self.db_path, "auto")
        if out is not None:
            self.statusBar().showMessage(S.BACKED_UP.format(path=out), 8000)
        return out

    def restore_backup(self, backup: Path | None = None, confirm: bool = True) -> bool:
        """Put a backup back in place of the live database; the current state is kept as a backup first."""
        from xinyong_desktop.store.backup import list_backups, restore_backup
        from xinyong_desktop.store.db import open_db

        if self.db_path is None:
            self.statusBar().showMessage(S.NO_BACKUP_HERE, 8000)
            return False
        if self.running is not None:
            self.statusBar().showMessage(S.WAIT_FOR_CHECKS, 8000)
            return False
        if backup is None:
            infos = list_backups(self.db_path)
            if not infos:
                self.statusBar().showMessage(S.NO_BACKUPS, 8000)
                return False
            labels = [f"{b.made_at:%Y-%m-%d %H:%M:%S}（{S.BACKUP_REASONS.get(b.reason, b.reason)}，"
                      f"{b.size // 1024} KB）" for b in infos]
            label, ok = QInputDialog.getItem(self, S.RESTORE_BACKUP, S.CHOOSE_BACKUP, labels, 0, False)
            if not ok:
                return False
            backup = infos[labels.index(label)].path
        if confirm and QMessageBox.question(self, S.RESTORE_BACKUP, S.CONFIRM_RESTORE) != QMessageBox.StandardButton.Yes:
            return False
        self.db.kw["bind"].dispose()
        try:
            restore_backup(backup, self.db_path)
        except Exception as e:  # noqa: BLE001 - shown, the live database is untouched
            self.db = self.ctl.db = self.writer.db = open_db(self.db_path)
            self._failed(e)
            return False
        self.db = self.ctl.db = self.writer.db = open_db(self.db_path)
        self.ctl.select_case(None)
        self.set_class(self._current_class())
        self.statusBar().showMessage(S.RESTORED, 10000)
        return True

    def purge_personal_data(self, confirm: bool = True) -> bool:
        """Remove the class's ID and phone numbers from the database file (after the class); the instructor
        types the class's name to confirm."""
        from xinyong_desktop.services.privacy import purge_and_compact

        if self.running is not None:
            self.statusBar().showMessage(S.WAIT_FOR_CHECKS, 8000)
            return False
        if confirm:
            with self.db() as s:
                name = s.get(TrainingClass, self.training_class).name
            typed, ok = QInputDialog.getText(self, S.PURGE_CLASS, S.PURGE_TYPE_NAME.format(name=name))
            if not ok:
                return False
            if typed.strip() != name:
                self.statusBar().showMessage(S.PURGE_NAME_WRONG, 10000)
                return False
        out = purge_and_compact(self.db, self.training_class, self.instructor, self.db_path)
        self.show_case()
        self.statusBar().showMessage(S.PURGED.format(f=out.fields, t=out.texts, b=out.backups_removed), 15000)
        return True
