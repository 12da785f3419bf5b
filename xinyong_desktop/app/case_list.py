"""The case list: cases of the class, adding a packet (folder, USB, drop), removing a case, checking."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QFileDialog, QInputDialog, QMessageBox, QTableWidgetItem, QTreeWidgetItem

from xinyong_desktop.app import strings as S
from xinyong_desktop.checks.messages import FIELD_NAMES
from xinyong_desktop.services import desk
from xinyong_desktop.services.check_packet import CaseFileError, read_case_file
from xinyong_desktop.services.review import PERSONAL_FIELDS, mask
from xinyong_desktop.store.models import Case

ROLE = Qt.ItemDataRole.UserRole


class CaseListMixin:
    """Part of MainWindow (see main_window.py): uses the window's shared context (db, rules, instructor, class, case)."""

    def open_case(self, case_id: int) -> None:
        self.tabs.setCurrentIndex(0)
        self.case_id = case_id
        self.refresh_cases(case_id)

    def refresh_cases(self, select_id: int | None = None) -> None:
        self._board_dirty = True  # statuses may have changed: the board is redrawn when it is next shown
        with self.db() as s:  # open errors and open review items counted apart, from the one stored verdict
            data = [(c.id, desk.case_label(c), c.status, errors, reviews)
                    for c, errors, reviews in desk.class_counts(s, self.training_class)]
        self.cases.blockSignals(True)
        self.cases.setRowCount(len(data))
        for r, (cid, name, status, errors, reviews) in enumerate(data):
            for col, text in enumerate((name, status, str(errors) if errors else "", str(reviews) if reviews else "")):
                item = QTableWidgetItem(text)
                item.setData(ROLE, cid)
                if col == 0:
                    item.setToolTip(name)
                if col == 2 and errors:
                    item.setForeground(QColor(S.COLOR_ERROR))
                if col == 3 and reviews:
                    item.setForeground(QColor(S.COLOR_REVIEW))
                self.cases.setItem(r, col, item)
        self.cases.resizeColumnsToContents()
        self.cases.blockSignals(False)
        target = select_id or self.case_id
        for r, (cid, *_rest) in enumerate(data):
            if cid == target:
                self.cases.selectRow(r)
                break

    def _roster_case_without_packet(self) -> tuple[int, str] | None:
        """The selected case when it came from the roster and still waits for its packet: (id, severity)."""
        if self.case_id is None:
            return None
        with self.db() as s:
            c = s.get(Case, self.case_id)
            if c is not None and not c.packet_dir and c.class_id == self.training_class and c.record_id is not None:
                return c.id, c.record_severity
        return None

    def add_packet(self, folder: Path, ask: bool = True) -> int:
        """Attach a packet folder to the selected roster case, or open a new case for it; then check it."""
        from xinyong_desktop.intake.filetypes import discover

        if not folder.is_dir() or not discover(folder):
            self.statusBar().showMessage(S.NO_DOCUMENTS.format(dir=folder), 15000)
            if not getattr(self, "headless", False):
                QMessageBox.information(self, S.ADD_PACKET, S.NO_DOCUMENTS.format(dir=folder))
            return -1
        waiting = self._roster_case_without_packet()
        if waiting is not None:  # the selected roster case: refused when the packet is another enterprise's
            from xinyong_desktop.app.stick_intake import import_stick

            return waiting[0] if import_stick(self, folder, target_case_id=waiting[0]) else -1
        platform, facts = "creditchina", None
        if (folder / "case.json").exists():
            try:
                facts = read_case_file(folder)
            except CaseFileError as e:
                self.statusBar().showMessage(str(e), 15000)
                QMessageBox.warning(self, S.ADD_PACKET, str(e))
                return -1
            sev, app, platform = str(facts.record_severity), str(facts.applicant), facts.platform
        else:
            sev, app = (waiting[1] if waiting else "general"), "legal_representative"
            if ask and waiting is None:
                sev_label, ok = QInputDialog.getItem(self, S.APP_TITLE, S.ASK_SEVERITY, list(S.SEVERITIES), 0, False)
                if not ok:
                    return -1
                sev = S.SEVERITIES[sev_label]
            if ask:
                app_label, ok = QInputDialog.getItem(self, S.APP_TITLE, S.ASK_APPLICANT, list(S.APPLICANTS), 0, False)
                if not ok:
                    return -1
                app = S.APPLICANTS[app_label]
        with self.db() as s, s.begin():
            cid = desk.attach_packet(s, self.training_class, self.case_id, folder, self.instructor, sev, app, platform,
                                     facts=facts, store_root=self.packets_root())  # copied into the data folder
        self.case_id = cid
        self.refresh_cases(cid)
        self.recheck()
        return cid

    def choose_packet(self) -> None:
        d = QFileDialog.getExistingDirectory(self, S.ADD_PACKET)
        if d:
            self.add_packet(Path(d))

    def _pick_start(self, title: str) -> str | None:
        """Removable drives first (name, label, free space), then 其他位置; None when cancelled."""
        drives = removable_volumes()
        if not drives:
            return ""
        labels = [f"{root}  {name}（可用 {free // 2**20} MB）" for root, name, free in drives] + [S.OTHER_PLACE]
        label, ok = QInputDialog.getItem(self, title, S.CHOOSE_DRIVE, labels, 0, False)
        if not ok:
            return None
        i = labels.index(label)
        return drives[i][0] if i < len(drives) else ""

    def open_usb(self) -> None:
        start = self._pick_start(S.OPEN_USB)
        if start is None:
            return
        d = QFileDialog.getExistingDirectory(self, S.OPEN_USB, start)
        if d:
            self.add_packet(Path(d))

    def dragEnterEvent(self, e) -> None:
        if e.mimeData().hasUrls():
            e.acceptProposedAction()

    def dropEvent(self, e) -> None:
        for url in e.mimeData().urls():
            p = Path(url.toLocalFile())
            self.add_packet(p if p.is_dir() else p.parent)

    def _case_selected(self) -> None:
        items = self.cases.selectedItems()
        if items:
            self.case_id = items[0].data(ROLE)
            QSettings().setValue("last_case", self.case_id)
            self.show_case()

    def _step_case(self, d: int) -> None:
        r = max(0, min(self.cases.rowCount() - 1, self.cases.currentRow() + d))
        self.cases.selectRow(r)

    def remove_case(self, confirm: bool = True) -> bool:
        """Remove the selected case (asks first; audited). The packet folder on disk is not touched."""
        from xinyong_desktop.services.desk import remove_case

        if self.case_id is None or self.running is not None:
            self.statusBar().showMessage(S.CHOOSE_CASE_FIRST, 8000)
            return False
        with self.db() as s:
            name = desk.case_name(s.get(Case, self.case_id))
        if confirm and QMessageBox.question(self, S.REMOVE_CASE, S.CONFIRM_REMOVE_CASE.format(name=name)) \
                != QMessageBox.StandardButton.Yes:
            return False
        with self.db() as s, s.begin():
            remove_case(s, s.get(Case, self.case_id), self.instructor, self.packets_root())  # and its copy
        self.case_id = None
        QSettings().remove("last_case")
        self.refresh_cases()
        self.show_case()
        self.statusBar().showMessage(S.CASE_REMOVED.format(name=name), 10000)
        return True

    def recheck(self) -> None:
        if self.case_id is None or self.running is not None:
            return
        from xinyong_desktop.services.intake import IntakeError, check_inputs, run_check

        with self.db() as s:
            c = s.get(Case, self.case_id)
            if not c.packet_dir:
                self.statusBar().showMessage(S.NO_PACKET_YET, 8000)
                return
            try:
                inputs = check_inputs(s, c)  # the copy in the data folder, the stored facts
            except IntakeError as e:
                self.statusBar().showMessage(str(e), 15000)
                return
        cid = self.case_id
        self.form.checkButton.setEnabled(False)
        def work(progress):
            result = run_check(inputs, self.class_date, self.rules, self.pool, progress, on_material=progress.item)
            if not progress.cancelled:  # the database write (hashes, fsync) stays off the UI thread too
                with self.db() as s, s.begin():
                    c = s.get(Case, cid)
                    desk.record_check(s, c, result, self.instructor, self.rules)  # earlier decisions still apply
            return result

        self.tree.clear()
        self.findings.clear()
        self.form.verdictLabel.setText(S.CHECKING)
        if not self.run_op(work, lambda r: self._checked(cid, r), S.CHECKING,
                           on_item=lambda m: self._material_arrived(cid, m)):
            self.form.checkButton.setEnabled(True)

    def _material_arrived(self, cid: int, m) -> None:
        """A material read while the check goes on: shown at once, replaced by the stored reading at the end."""
        if cid != self.case_id:
            return
        top = QTreeWidgetItem([self._kind_name(m.kind), m.path, ",".join(map(str, m.pages))])
        for fid, fv in m.fields.items():
            name = str(fid)
            value = fv.value if self.reveal or name not in PERSONAL_FIELDS else mask(name, fv.value)
            value = S.MARK_VALUES.get(value, value) if name in ("seal", "signature") else value
            top.addChild(QTreeWidgetItem([FIELD_NAMES.get(fid, name), value, f"{fv.confidence:.0%}"]))
        self.tree.addTopLevelItem(top)
        top.setExpanded(True)

    def _checked(self, cid: int, result) -> None:
        self.form.checkButton.setEnabled(True)
        self.last_result = result
        self.refresh_cases(cid)
        self.show_case()
        self.statusBar().showMessage(S.READY if result.ready else S.NOT_READY.format(n=len(result.findings)), 8000)


def removable_volumes() -> list[tuple[str, str, int]]:
    """(root path, label, free bytes) of mounted removable drives: USB sticks on Linux (/media, /run/media),
    macOS (/Volumes) and Windows (drive letters other than the system drive)."""
    import os

    from PySide6.QtCore import QStorageInfo

    system = os.environ.get("SystemDrive", "C:").upper()
    out = []
    for v in QStorageInfo.mountedVolumes():
        if not (v.isValid() and v.isReady()) or v.isReadOnly():
            continue
        root = v.rootPath()
        if root.startswith(("/media/", "/run/media/", "/Volumes/")) or (
                len(root) <= 3 and root[1:2] == ":" and not root.upper().startswith(system)):
            out.append((root, v.displayName() or v.name() or root, int(v.bytesAvailable())))
    return out
