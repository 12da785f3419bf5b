"""The case list and the check queue: cases of the class, adding a packet (folder, USB, drop), removing a case,
checking packets in the background one after another while the instructor works on any other case."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QColor, QFont
from PySide6.QtWidgets import QInputDialog, QListWidgetItem, QMessageBox, QTableWidgetItem, QTreeWidgetItem

from xinyong_desktop.app import strings as S
from xinyong_desktop.app.shell import Shell
from xinyong_desktop.checks.messages import FIELD_NAMES
from xinyong_desktop.services import desk
from xinyong_desktop.services.check_packet import CaseFileError, read_case_file
from xinyong_desktop.services.desk_view import MARK_VALUES, CaseRow
from xinyong_desktop.services.review import PERSONAL_FIELDS, mask
from xinyong_desktop.store.models import Case

ROLE = Qt.ItemDataRole.UserRole
STATE_COLOURS = {"检查中": S.COLOR_REVIEW, "排队中": "#777777", "可标记就绪": S.COLOR_DONE}


class CaseListMixin(Shell):
    """Part of MainWindow (see main_window.py)."""

    # ------------------------------------------------------------ the list
    def open_case(self, case_id: int) -> None:
        self.tabs.setCurrentIndex(0)
        self.ctl.select_case(case_id)
        self._select_row(case_id)

    def refresh_cases(self, select_id: int | None = None) -> None:
        """The whole list again (after an import, a class switch, a removal).  The selection stays on the selected
        case unless select_id names another; the view follows (an empty class says what to do first)."""
        self._board_dirty = True
        rows = self.ctl.rows()
        self.cases.blockSignals(True)
        self.cases.setRowCount(len(rows))
        for r, row in enumerate(rows):
            self._fill_row(r, row)
        self.cases.resizeRowsToContents()
        self.cases.blockSignals(False)
        ids = [row.case_id for row in rows]
        target = select_id if select_id in ids else self.ctl.case_id if self.ctl.case_id in ids else None
        if target != self.ctl.case_id:
            self.ctl.select_case(target)
        else:  # the selected case is read again too: what changed the list (an export…) may have changed it
            self.ctl.refresh()
        self._select_row(target)

    def _fill_row(self, r: int, row: CaseRow) -> None:
        # the record under the name: three records of one enterprise are told apart, and the name keeps its width
        texts = (f"{row.name}\n{row.record}" if row.record else row.name, row.status,
                 str(row.errors) if row.errors else "", str(row.pending) if row.pending else "")
        for col, text in enumerate(texts):
            item = QTableWidgetItem(text)
            item.setData(ROLE, row.case_id)
            if col == 0:
                item.setToolTip(f"{row.name}\n{row.record}" if row.record else row.name)
            if col == 1 and row.status in STATE_COLOURS:
                item.setForeground(QColor(STATE_COLOURS[row.status]))
            if col == 2 and row.errors:
                item.setForeground(QColor(S.COLOR_ERROR))
            if col == 3 and row.pending:
                item.setForeground(QColor(S.COLOR_REVIEW))
            if row.case_id in self._fresh:  # checked in the background since the instructor last looked at it
                f = QFont(item.font())
                f.setBold(True)
                item.setFont(f)
            self.cases.setItem(r, col, item)

    def _render_row(self, row: CaseRow) -> None:
        """One case's line, redrawn in place: the selection does not move."""
        for r in range(self.cases.rowCount()):
            item = self.cases.item(r, 0)
            if item is not None and item.data(ROLE) == row.case_id:
                self.cases.blockSignals(True)
                self._fill_row(r, row)
                self.cases.resizeRowToContents(r)
                self.cases.blockSignals(False)
                return

    def _select_row(self, case_id: int | None) -> None:
        self.cases.blockSignals(True)
        self.cases.clearSelection()
        for r in range(self.cases.rowCount()):
            item = self.cases.item(r, 0)
            if item is not None and item.data(ROLE) == case_id:
                self.cases.selectRow(r)
                self.cases.setCurrentCell(r, 0)
                break
        self.cases.blockSignals(False)

    def _case_selected(self) -> None:
        items = self.cases.selectedItems()
        if items:
            cid = items[0].data(ROLE)
            QSettings().setValue("last_case", cid)
            self.ctl.select_case(cid)

    def _step_case(self, d: int) -> None:
        if not self.cases.rowCount():
            return
        r = max(0, min(self.cases.rowCount() - 1, self.cases.currentRow() + d))
        self.cases.selectRow(r)

    # ------------------------------------------------------------ adding a packet
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
        """Attach a packet folder to the selected roster case, or open a new case for it; then queue its check."""
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
        class_id, case_id, who, root, rules = (self.training_class, self.case_id, self.instructor, self.packets_root(),
                                               self.rules)
        from xinyong_desktop.services.intake import packet_names_extra

        given = facts is not None and packet_names_extra(folder)  # else the class's additional materials
        cid = self.writer.call(lambda s: desk.attach_packet(s, class_id, case_id, folder, who, sev, app, platform,
                                                            facts=facts, store_root=root, rules=rules,
                                                            extra_given=given))  # copied into the data folder
        self.refresh_cases(cid)
        self.check_case(cid)
        return cid

    def choose_packet(self) -> None:
        d = self._ask_dir(S.ADD_PACKET, None, "packet")
        if d is not None:
            self.add_packet(d)

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
        d = self._ask_dir(S.OPEN_USB, None, "usb", start=start or None)
        if d is not None:
            self.add_packet(d)

    def dragEnterEvent(self, e) -> None:
        if e.mimeData().hasUrls():
            e.acceptProposedAction()

    def dropEvent(self, e) -> None:
        for url in e.mimeData().urls():
            p = Path(url.toLocalFile())
            self.add_packet(p if p.is_dir() else p.parent)

    def remove_case(self, confirm: bool = True) -> bool:
        """Remove the selected case (asks first; audited). The packet folder on disk is not touched."""
        if self.case_id is None or self.checks.active(self.case_id):
            self.statusBar().showMessage(S.CHOOSE_CASE_FIRST if self.case_id is None else S.CASE_BEING_CHECKED, 8000)
            return False
        with self.db() as s:
            c = s.get(Case, self.case_id)
            name, record = desk.case_name(c), desk.case_number(c)
        label = f"{name}（{record}）" if record else name
        if confirm and QMessageBox.question(self, S.REMOVE_CASE, S.CONFIRM_REMOVE_CASE.format(name=label)) \
                != QMessageBox.StandardButton.Yes:
            return False
        cid, who, root = self.case_id, self.instructor, self.packets_root()
        self.writer.call(lambda s: desk.remove_case(s, s.get(Case, cid), who, root))  # and its copy
        QSettings().remove("last_case")
        self.ctl.select_case(None)
        self.refresh_cases()
        self.statusBar().showMessage(S.CASE_REMOVED.format(name=label), 10000)
        return True

    # ------------------------------------------------------------ the check queue
    def recheck(self) -> None:
        if self.case_id is not None:
            self.check_case(self.case_id)

    def check_case(self, case_id: int) -> bool:
        """Queue the case's packet for a check in the background (in order, one at a time)."""
        with self.db() as s:
            c = s.get(Case, case_id)
            if c is None:
                return False
            if not c.packet_dir:
                self.statusBar().showMessage(S.NO_PACKET_YET, 8000)
                return False
            name = desk.case_name(c)
            from xinyong_desktop.services.intake import IntakeError, check_inputs, run_check

            try:
                inputs = check_inputs(s, c)  # the copy in the data folder, the stored facts
            except IntakeError as e:
                self.statusBar().showMessage(str(e), 15000)
                return False
        files = max(1, len(inputs.files))
        as_of, rules, pool, writer, who = self.class_date, self.rules, self.pool, self.writer, self.instructor

        def work(progress):
            result = run_check(inputs, as_of, rules, pool, progress, on_material=progress.item)
            if not progress.cancelled:  # stored through the one writer: decisions made meanwhile are not lost
                writer.call(lambda s: desk.record_check(s, s.get(Case, case_id), result, who, rules))
            return result

        if not self.checker.add(case_id, name, files, work):
            self.statusBar().showMessage(S.ALREADY_QUEUED.format(name=name), 8000)
            return False
        self._queue_changed()
        return True

    def _queue_changed(self) -> dict:
        """The queue's lines, each case's 检查中 / 排队中 mark, and the view of the selected case; returns the list
        lines read again (a case whose check ended)."""
        q = self.checks
        before = dict(self.ctl.activity)
        self.ctl.activity = {j.case_id: q.active(j.case_id) for j in q.jobs if q.active(j.case_id)}
        self.ctl.queue_position = {cid: q.position(cid) for cid in self.ctl.activity}
        self._render_check_lines()
        rows = {}
        for cid in set(before) | set(self.ctl.activity):
            now = self.ctl.activity.get(cid)
            if before.get(cid) == now:
                continue
            if now and before.get(cid):  # 排队中 → 检查中: only the mark changes, nothing is read again
                self._set_row_status(cid, now)
            else:
                rows[cid] = self.ctl.refresh_row(cid)
            if cid == self.ctl.case_id:
                self.ctl.refresh()
        return rows

    def _set_row_status(self, case_id: int, text: str) -> None:
        for r in range(self.cases.rowCount()):
            item = self.cases.item(r, 0)
            if item is not None and item.data(ROLE) == case_id:
                cell = self.cases.item(r, 1)
                cell.setText(text)
                cell.setForeground(QColor(STATE_COLOURS.get(text, "#000000")))
                return

    def _render_check_lines(self) -> None:
        lines = self.checks.lines()
        self.check_list.setVisible(bool(lines))
        if self.check_list.count() != len(lines):
            self.check_list.clear()
            for _ in lines:
                self.check_list.addItem(QListWidgetItem())
        for i, (cid, state, text) in enumerate(lines):
            item = self.check_list.item(i)
            item.setText(text)
            item.setData(ROLE, cid)
            item.setForeground(QColor({"检查中": S.COLOR_REVIEW, "完成": S.COLOR_DONE, "失败": S.COLOR_ERROR}
                                      .get(state, "#555555")))
        self.check_summary.setText(self.checks.summary())

    def _check_line_clicked(self, item) -> None:
        cid = item.data(ROLE)
        if cid is not None:
            self.open_case(cid)

    def _material_arrived(self, cid: int, m) -> None:
        """A material read while the check goes on: shown at once when its case is the one on screen (replaced by
        the stored reading at the end)."""
        if cid != self.case_id:
            return
        if self._streaming != cid:  # the first one: the old reading goes
            self._streaming = cid
            self.tree.clear()
            self._tree_content = None
        top = QTreeWidgetItem([self.ctl.kind_name(str(m.kind)), m.path, ",".join(map(str, m.pages))])
        for fid, fv in m.fields.items():
            name = str(fid)
            value = fv.value if self.ctl.reveal or name not in PERSONAL_FIELDS else mask(name, fv.value)
            value = MARK_VALUES.get(value, value) if name in ("seal", "signature") else value
            top.addChild(QTreeWidgetItem([FIELD_NAMES.get(fid, name), value, f"{fv.confidence:.0%}"]))
        self.tree.addTopLevelItem(top)
        top.setExpanded(True)

    def _checked(self, cid: int, result, error) -> None:
        """A check ended (or failed): its case's line and, when it is the one on screen, the view — the selection
        stays where the instructor is."""
        self._streaming = None
        if result is not None:
            self.last_result = result
            if cid != self.case_id:
                self._fresh.add(cid)
        rows = self._queue_changed()  # its 检查中 mark goes; its line is redrawn with the stored verdict
        row = rows.get(cid) or self.ctl.refresh_row(cid)
        if row is not None and result is not None:
            self.checks.set_outcome(cid, S.CHECK_OUTCOME.format(e=row.errors, p=row.pending), row.name)
            self._render_check_lines()
        if cid == self.ctl.case_id:
            self.ctl.refresh()
        self._board_dirty = True
        if error is not None:
            self._failed(error)
        elif result is not None:
            self.statusBar().showMessage(self.ctl.current.status_text if cid == self.ctl.case_id else
                                         S.CHECKED_OTHER.format(name=row.name if row else ""), 10000)


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
