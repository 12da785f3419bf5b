"""The checklist and findings of the selected case, and the instructor's decisions on them.  Rendered from the
controller's one view; every decision goes through the controller (and its one database writer)."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QInputDialog, QListWidgetItem, QMessageBox, QTreeWidgetItem

from xinyong_desktop.app import strings as S
from xinyong_desktop.app.shell import Shell
from xinyong_desktop.domain.model import Kind
from xinyong_desktop.services import desk
from xinyong_desktop.services.desk_view import CaseView
from xinyong_desktop.services.review import kind_target
from xinyong_desktop.store import repo

ROLE = Qt.ItemDataRole.UserRole
COLOURS = {"error": S.COLOR_ERROR, "review": S.COLOR_REVIEW, "done": S.COLOR_DONE}


class ChecklistMixin(Shell):
    """Part of MainWindow (see main_window.py)."""

    # ------------------------------------------------------------ rendering the view
    def render_view(self, view: CaseView) -> None:
        """Every panel from the one view."""
        self._fresh.discard(view.case_id)  # a case checked in the background is no longer news once shown
        self._render_tree(view)
        self._render_findings(view)
        self._render_page(view)  # before the queue: the evidence crop is cut from the shown page
        self._render_queue(view)
        self._render_thumbs(view)
        self._render_header(view)
        if view.row is not None:
            self._render_row(view.row)

    def show_case(self) -> None:
        """The selected case again from the store (after a change made elsewhere)."""
        self.ctl.refresh()

    def _render_header(self, view: CaseView) -> None:
        self.form.verdictLabel.setText(view.header)
        self.form.readyButton.setEnabled(view.ready_enabled)
        self.form.checkButton.setEnabled(view.case_id is not None and not view.checking)
        self.form.blockLabel.setText(view.block)

    def _render_tree(self, view: CaseView) -> None:
        if view.content != self._tree_content:
            self._tree_content = view.content
            self.tree.blockSignals(True)
            self.tree.clear()
            for m in view.materials:
                top = QTreeWidgetItem([m.kind_name, "缺少" if m.missing else m.path, ",".join(map(str, m.pages)), ""])
                if m.missing:
                    top.setForeground(1, QColor(S.COLOR_ERROR))
                else:
                    top.setData(0, ROLE, {"what": "material", "path": m.path, "page": m.pages[0] if m.pages else 1,
                                          "pages": list(m.pages), "kind": m.kind})
                for f in m.fields:
                    child = QTreeWidgetItem([f.label, f.value, f"{f.confidence:.0%}", f.mark])
                    child.setData(0, ROLE, {"what": "field", "path": f.path, "page": f.page, "pages": list(f.pages),
                                            "box": f.box, "field": f.field, "target": f.target})
                    child.setToolTip(1, f.value)
                    if f.state in COLOURS:
                        child.setForeground(3, QColor(COLOURS[f.state]))
                    if f.note:
                        child.setToolTip(3, f.note)
                    if f.low:
                        child.setForeground(2, QColor(S.COLOR_REVIEW))
                    top.addChild(child)
                self.tree.addTopLevelItem(top)
            self.tree.expandAll()
            for i in range(4):
                self.tree.resizeColumnToContents(i)
            self.tree.blockSignals(False)
        if view.selected:
            item = self._tree_item("target", view.selected)
            if item is not None and item is not self.tree.currentItem():
                self.tree.blockSignals(True)
                self.tree.setCurrentItem(item)
                self.tree.blockSignals(False)
                self.tree.scrollToItem(item)  # the selected field in sight, whichever panel selected it

    def _render_findings(self, view: CaseView) -> None:
        if view.content != self._findings_content:
            self._findings_content = view.content
            keep = self._finding_key
            self.findings.blockSignals(True)
            self.findings.clear()
            for f in view.findings:
                item = QListWidgetItem(f.text)
                item.setData(ROLE, f)
                if f.state in COLOURS:
                    item.setForeground(QColor(COLOURS[f.state]))
                self.findings.addItem(item)
            row = next((i for i, f in enumerate(view.findings) if f.key == keep), -1)
            if row >= 0:
                self.findings.setCurrentRow(row)
            self.findings.blockSignals(False)
        cur = self.findings.currentItem()
        if cur is not None:  # the current finding is the selection's, or none is current
            f, sel = cur.data(ROLE), view.selected_field
            if f.key != view.selected and not (sel is not None and (f.path, f.field) == (sel.path, sel.field)):
                self.findings.blockSignals(True)
                self.findings.setCurrentRow(-1)
                self.findings.blockSignals(False)

    def _tree_item(self, key: str, value: str):
        root = self.tree.invisibleRootItem()
        for i in range(root.childCount()):
            top = root.child(i)
            for j in range(top.childCount()):
                if (top.child(j).data(0, ROLE) or {}).get(key) == value:
                    return top.child(j)
        return None

    # ------------------------------------------------------------ selecting
    def _tree_selected(self, cur, _prev=None) -> None:
        data = cur.data(0, ROLE) if cur is not None else None
        if not data:
            return
        if data["what"] == "field":
            self.ctl.select_target(data["target"])
        else:
            self.ctl.select_page(data["path"], data["page"])

    def _finding_selected(self, cur, _prev=None) -> None:
        if cur is None:
            return
        f = cur.data(ROLE)
        self._finding_key = f.key
        self.ctl.select_target(f.key)

    def _select_target(self, target: str) -> None:
        self.ctl.select_target(target)

    def _current_field(self) -> dict | None:
        f = self.ctl.current.selected_field
        if f is None:
            return None
        return {"target": f.target, "value": f.raw, "field": f.field, "path": f.path, "page": f.page,
                "pages": list(f.pages), "box": f.box, "bbox": f.bbox}

    def _step_tree(self, d: int) -> None:
        items = []
        root = self.tree.invisibleRootItem()
        for i in range(root.childCount()):
            items.append(root.child(i))
            items.extend(root.child(i).child(j) for j in range(root.child(i).childCount()))
        if items:
            cur = self.tree.currentItem()
            idx = items.index(cur) + d if cur in items else 0
            self.tree.setCurrentItem(items[max(0, min(len(items) - 1, idx))])

    def _step_findings(self, d: int) -> None:
        n = self.findings.count()
        if n:
            self.findings.setCurrentRow(max(0, min(n - 1, self.findings.currentRow() + d)))

    # ------------------------------------------------------------ deciding
    def _decide(self, action: str, target: str, value: str | None = None, reason: str = "") -> bool:
        from xinyong_desktop.errors import ConcurrentEditError

        try:
            self.ctl.decide(action, target, value, reason)
        except desk.DeskError as e:
            self.statusBar().showMessage(str(e), 8000)
            return False
        except ConcurrentEditError as e:
            self.stale_write_refused(e)
            return False
        return True

    def stale_write_refused(self, e: Exception) -> None:
        """Another desk changed the case first: nothing was saved, the case has been read again (the controller);
        the list follows and the instructor is told why."""
        self.refresh_cases()
        self._board_dirty = True
        self.statusBar().showMessage(str(e), 15000)
        if not getattr(self, "headless", False):
            QMessageBox.warning(self, S.STALE_TITLE, str(e))

    def confirm_field(self) -> bool:
        """Accept the value (or the review item) and move on to the next item still to review."""
        got = self._queue_target()
        if got is None:
            return False
        target, value = got
        if not self._decide("confirm", target, value):
            return False
        self.next_review(after=target)
        return True

    def correct_field(self, value: str | None = None, reason: str | None = None) -> bool:
        """With a value: store it as the correction.  Without: the correction box beside the evidence takes the
        focus, filled with the value as read (Enter saves, the evidence stays in view)."""
        f = self.ctl.current.selected_field
        if f is None:
            self.statusBar().showMessage(S.CORRECT_NEEDS_FIELD, 8000)
            return False
        if value is None:
            self._editing = f.target
            self.correct_label.setText(S.CORRECT_PROMPT.format(field=f.label))
            self.correct_edit.setText(f.raw if self.ctl.reveal or f.value == f.raw else "")
            self.correct_edit.setFocus()
            self.correct_edit.selectAll()
            return True
        value = value.strip()
        target = self._editing or f.target
        if not value:
            self.statusBar().showMessage(S.CORRECT_EMPTY, 8000)
            return False
        if not self._decide("correct", target, value, reason or ""):
            return False
        self._editing = None
        self.correct_edit.clear()
        if self.correct_edit.hasFocus():  # back to the queue: the desk's keys (Ctrl+Z undo…) are the desk's again
            self.queue.setFocus()
        self.next_review(after=target)
        return True

    def mark_seen(self) -> bool:
        f = self.ctl.current.selected_field
        if f is None or f.field not in ("seal", "signature"):
            self.statusBar().showMessage(S.MARK_SEEN_HINT, 8000)
            return False
        return self._decide("correct", f.target, "present", S.SEEN_REASON)

    def change_kind(self, kind: str | None = None) -> bool:
        item = self.tree.currentItem()
        data = item.data(0, ROLE) if item is not None else None
        if not data or "pages" not in data:
            return False
        if kind is None:
            names = {self.rules.materials[k].name: str(k) for k in Kind}
            label, ok = QInputDialog.getItem(self, S.CHANGE_KIND, S.CHANGE_KIND_PROMPT, list(names), 0, False)
            if not ok:
                return False
            kind = names[label]
        return self._decide("set_kind", kind_target(data["path"], data["pages"]), kind)

    def override_current(self, reason: str | None = None) -> bool:
        """Ignore the selected finding with a reason; the dialog itself refuses an empty reason."""
        item = self.findings.currentItem()
        if item is None or self.case_id is None:
            self.statusBar().showMessage(S.OVERRIDE_CHOOSE, 8000)
            return False
        if not isinstance(reason, str):
            got = ask_reason(self, S.OVERRIDE, S.OVERRIDE_REASON)
            if got is None:
                return False
            reason = got
        if not reason.strip():
            self.statusBar().showMessage(S.OVERRIDE_NEEDS_REASON, 8000)
            return False
        self._finding_key = item.data(ROLE).key
        return self._decide("override", item.data(ROLE).key, None, reason)

    def undo(self) -> None:
        from xinyong_desktop.errors import ConcurrentEditError

        try:
            self.ctl.undo()
        except desk.DeskError as e:
            self.statusBar().showMessage(str(e), 8000)
        except ConcurrentEditError as e:
            self.stale_write_refused(e)

    def mark_ready(self) -> bool:
        from xinyong_desktop.errors import ConcurrentEditError

        if self.case_id is None or not self.form.readyButton.isEnabled():
            return False
        try:
            self.ctl.mark_ready()
        except desk.DeskError as e:
            self.statusBar().showMessage(str(e), 10000)
            return False
        except ConcurrentEditError as e:
            self.stale_write_refused(e)
            return False
        self._board_dirty = True
        self.statusBar().showMessage(S.MARKED_READY, 5000)
        return True

    def toggle_reveal(self) -> None:
        self.ctl.reveal = self.reveal_action.isChecked()
        reveal, who, cid = self.ctl.reveal, self.instructor, self.case_id
        self.writer.call(lambda s: repo.audit(s, who, "reveal_personal_data" if reveal else "mask_personal_data", "",
                                              cid))
        self.ctl.refresh()


def ask_reason(parent, title: str, label: str) -> str | None:
    """A reason typed in a dialog whose OK stays disabled (with the reason shown) while the text is empty."""
    from PySide6.QtWidgets import QDialogButtonBox, QLabel

    d = QInputDialog(parent)
    d.setWindowTitle(title)
    d.setLabelText(label)
    d.setInputMode(QInputDialog.InputMode.TextInput)
    d.setOkButtonText("确定")  # (this builds the dialog's own widgets, so that its OK button can be reached)
    d.setCancelButtonText("取消")
    box, layout = d.findChild(QDialogButtonBox), d.layout()
    assert box is not None and layout is not None  # built by setOkButtonText above
    ok = box.button(QDialogButtonBox.StandardButton.Ok)
    hint = QLabel(S.OVERRIDE_NEEDS_REASON)
    hint.setStyleSheet(f"color: {S.COLOR_ERROR}")
    layout.addWidget(hint)

    def changed(text: str) -> None:
        ok.setEnabled(bool(text.strip()))
        hint.setVisible(not text.strip())

    d.textValueChanged.connect(changed)
    changed("")
    if d.exec() != QInputDialog.DialogCode.Accepted:
        return None
    return d.textValue().strip() or None
