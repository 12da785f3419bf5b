"""The checklist and findings of the selected case, and the instructor's decisions on them."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QInputDialog, QListWidgetItem, QTreeWidgetItem
from sqlalchemy.orm import Session

from xinyong_desktop.app import strings as S
from xinyong_desktop.checks.messages import FIELD_NAMES
from xinyong_desktop.domain.model import FieldId, Kind
from xinyong_desktop.services import desk
from xinyong_desktop.services.review import (
    PERSONAL_FIELDS,
    field_target,
    finding_key,
    kind_target,
    mask,
    mask_text,
    material_key,
)
from xinyong_desktop.store import repo
from xinyong_desktop.store.models import Case

ROLE = Qt.ItemDataRole.UserRole


class ChecklistMixin:
    """Part of MainWindow (see main_window.py): uses the window's shared context (db, rules, instructor, class, case)."""

    def _overrides(self, s: Session) -> dict[str, str]:
        return {d.target: d.reason for d in repo.active_decisions(s, self.case_id) if d.action == "override"}

    def show_case(self) -> None:
        self.tree.clear()
        self.findings.clear()
        self.queue.clear()
        if self.case_id is None:
            self._show_verdict(None, None)
            return
        with self.db() as s:
            c = s.get(Case, self.case_id)
            v = desk.case_verdict(s, c)
            by_target = {d.target: d for d in v.decisions if d.action in ("confirm", "correct")}
            materials = v.result.materials
            pending = {i.target for i in v.pending}
            thumb_key = (c.id, c.checked_at, tuple((m.path, tuple(m.pages), str(m.kind)) for m in materials))
            if thumb_key != self._thumb_key:  # only when the case or its reading changed
                self._thumb_key = thumb_key
                self._load_thumbnails(Path(c.packet_dir), materials if c.packet_dir else [])
            row_ids = {material_key(m.path, list(m.pages)): m.id for m in c.materials}
            for m in materials:
                top = QTreeWidgetItem([self._kind_name(m.kind), m.path, ",".join(map(str, m.pages)), ""])
                top.setData(0, ROLE, {"what": "material", "path": m.path, "page": m.pages[0] if m.pages else 1,
                                      "pages": list(m.pages), "kind": str(m.kind)})
                rid = row_ids.get(material_key(m.path, m.pages))
                for fid, fv in m.fields.items():
                    fname = str(fid)
                    value = fv.value if self.reveal or fname not in PERSONAL_FIELDS else mask(fname, fv.value)
                    value = S.MARK_VALUES.get(value, value) if fname in ("seal", "signature") else value
                    target = field_target(m.path, m.pages, fname)
                    d = by_target.get(target)
                    mark = (S.CORRECTED_BY if d.action == "correct" else S.CONFIRMED_BY).format(who=d.instructor) if d \
                        else S.TO_REVIEW if target in pending else ""
                    child = QTreeWidgetItem([FIELD_NAMES.get(fid, fname), value, f"{fv.confidence:.0%}", mark])
                    child.setData(0, ROLE, {"what": "field", "path": m.path, "page": fv.page, "pages": list(m.pages),
                                            "box": f"{rid}:{fname}", "field": fname, "value": fv.value,
                                            "target": target, "bbox": fv.bbox})
                    child.setToolTip(1, value)
                    if d is not None:
                        child.setForeground(3, QColor(S.COLOR_DONE))
                        if d.reason:
                            child.setToolTip(3, d.reason)
                    elif target in pending:
                        child.setForeground(3, QColor(S.COLOR_REVIEW))
                    if fv.confidence < desk.LOW_CONFIDENCE:
                        child.setForeground(2, QColor(S.COLOR_REVIEW))
                    top.addChild(child)
                self.tree.addTopLevelItem(top)
            for f in c.findings:
                if f.code == "MATERIAL_MISSING":
                    item = QTreeWidgetItem([self._kind_name(f.kind), "缺少", "", ""])
                    item.setForeground(1, QColor(S.COLOR_ERROR))
                    self.tree.addTopLevelItem(item)
            self.tree.expandAll()
            for i in range(4):
                self.tree.resizeColumnToContents(i)
            resolved = {i.finding_key: i.resolved_by for i in v.queue if i.finding_key and i.resolved}
            for f in c.findings:
                key = finding_key(f.code, f.kind, f.field, f.path)
                msg = f.message if self.reveal else mask_text(f.message)
                text = f"[{S.SEVERITY[f.severity]}] {msg}"
                done = v.overrides.get(key)
                colour = S.COLOR_ERROR if f.severity == "error" else S.COLOR_REVIEW if f.severity == "review" else None
                if done is not None:
                    text = f"✓ {text}\n    " + S.IGNORED_BY.format(reason=done.reason, who=done.instructor)
                    colour = S.COLOR_DONE
                elif key in resolved:
                    text = f"✓ {text}\n    " + S.RESOLVED_BY.format(who=resolved[key].instructor)
                    colour = S.COLOR_DONE
                item = QListWidgetItem(text)
                item.setData(ROLE, (key, f.path, f.page, f.field))
                if colour:
                    item.setForeground(QColor(colour))
                self.findings.addItem(item)
            self._fill_queue(v)
            portal = ""
            if c.portal_outcome:
                portal = f"\n平台：{c.portal_outcome}" + (f"（{c.portal_reason}）" if c.portal_reason else "") + \
                    (f"　查询码 {c.query_code}" if c.query_code else "")
        self._show_verdict(v, portal)

    def _show_verdict(self, v, portal: str | None) -> None:
        if v is None:
            self.form.verdictLabel.setText(S.EMPTY_CASE if self.cases.rowCount() == 0 else S.CHOOSE_CASE_FIRST)
            self.form.readyButton.setEnabled(False)
            self.form.blockLabel.setText("")
            return
        if not v.checked:
            text = S.NOT_CHECKED
        elif v.ready:
            text = S.READY
        elif v.open:
            text = S.NOT_READY.format(n=len(v.open)) + (S.AND_PENDING.format(n=len(v.pending)) if v.pending else "")
        else:
            text = S.PENDING_ONLY.format(n=len(v.pending))
        self.form.verdictLabel.setText(text + (portal or ""))
        self.form.readyButton.setEnabled(v.ready and v.status not in ("已就绪", "已导出", "已提交", "已修复"))
        lines = [f"· {mask_text(f.message)}" for f in v.open[:6]] + [f"· {S.TO_REVIEW}：{i.why}" for i in v.pending[:6]]
        self.form.blockLabel.setText("" if not lines else S.BLOCKED_BY + "\n".join(lines))

    def _current_field(self) -> dict | None:
        item = self.tree.currentItem()
        data = item.data(0, ROLE) if item is not None else None
        return data if data and data.get("what") == "field" else None

    def _decide(self, action: str, target: str, value: str | None = None, reason: str = "") -> None:
        """Store a decision, re-run the checks on the confirmed facts at once, and refresh."""
        with self.db() as s, s.begin():
            desk.decide(s, s.get(Case, self.case_id), action, target, self.instructor, self.rules, value, reason)
        cur = self.tree.currentItem()
        keep = cur.data(0, ROLE).get("target") if cur is not None and cur.data(0, ROLE) else None
        self.show_case()  # rebuilds the tree: items (and indexes) from before are gone
        if keep:
            self._select_target(keep)

    def _select_target(self, target: str) -> None:
        self._select_field("target", target)

    def _select_field(self, key: str, value: str) -> None:
        """Select the checklist field whose data[key] is value (its evidence box, or its decision target)."""
        root = self.tree.invisibleRootItem()
        for i in range(root.childCount()):
            top = root.child(i)
            for j in range(top.childCount()):
                if top.child(j).data(0, ROLE).get(key) == value:
                    self.tree.setCurrentItem(top.child(j))
                    return

    def confirm_field(self) -> bool:
        """Accept the value (or the review item) and move on to the next item still to review."""
        got = self._queue_target()
        if got is None:
            return False
        target, value = got
        self._decide("confirm", target, value)
        self.next_review(after=target)
        return True

    def correct_field(self, value: str | None = None, reason: str | None = None) -> bool:
        f = self._current_field()
        if f is None:
            return False
        if value is None:
            value, ok = QInputDialog.getText(self, S.CORRECT, S.CORRECT_PROMPT.format(field=FIELD_NAMES[FieldId(f["field"])]),
                                             text=f["value"])
            if not ok:
                return False
        value = value.strip()
        if not value:
            return False
        self._decide("correct", f["target"], value, reason or "")
        self.next_review(after=f["target"])
        return True

    def mark_seen(self) -> bool:
        f = self._current_field()
        if f is None or f["field"] not in ("seal", "signature"):
            self.statusBar().showMessage(S.MARK_SEEN_HINT, 8000)
            return False
        self._decide("correct", f["target"], "present", S.SEEN_REASON)
        return True

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
        self._decide("set_kind", kind_target(data["path"], data["pages"]), kind)
        return True

    def _tree_selected(self, cur, _prev=None) -> None:
        if cur is None or not cur.data(0, ROLE):
            return
        data = cur.data(0, ROLE)
        self._show_page(data["path"], data["page"], data.get("box"))

    def _finding_selected(self, cur, _prev=None) -> None:
        if cur is None:
            return
        _key, path, page, fname = cur.data(ROLE)
        if fname and path:  # the finding's field: selected in the checklist, its page and box shown
            for i in range(self.tree.topLevelItemCount()):
                top = self.tree.topLevelItem(i)
                for j in range(top.childCount()):
                    data = top.child(j).data(0, ROLE)
                    if data.get("path") == path and data.get("field") == fname:
                        self.tree.blockSignals(True)
                        self.tree.setCurrentItem(top.child(j))
                        self.tree.blockSignals(False)
                        self._show_page(path, data["page"], data.get("box"))
                        return
        if path:
            self._show_page(path, page or 1)

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

    def override_current(self, reason: str | None = None) -> bool:
        item = self.findings.currentItem()
        if item is None or self.case_id is None:
            return False
        if not isinstance(reason, str):
            reason, ok = QInputDialog.getText(self, S.OVERRIDE, S.OVERRIDE_REASON)
            if not ok:
                return False
        if not reason.strip():
            self.statusBar().showMessage(S.OVERRIDE_NEEDS_REASON, 8000)
            return False
        with self.db() as s, s.begin():
            desk.decide(s, s.get(Case, self.case_id), "override", item.data(ROLE)[0], self.instructor, self.rules,
                        reason=reason)
        row = self.findings.currentRow()
        self.show_case()
        self.findings.setCurrentRow(row)
        return True

    def undo(self) -> None:
        if self.case_id is None:
            return
        with self.db() as s, s.begin():
            desk.undo_last(s, s.get(Case, self.case_id), self.instructor, self.rules)
        self.show_case()

    def mark_ready(self) -> bool:
        if self.case_id is None or not self.form.readyButton.isEnabled():
            return False
        try:
            with self.db() as s, s.begin():
                desk.mark_ready(s, s.get(Case, self.case_id), self.instructor)
        except desk.DeskError as e:
            self.statusBar().showMessage(str(e), 10000)
            return False
        self.refresh_cases()
        self.statusBar().showMessage(S.MARKED_READY, 5000)
        return True

    def toggle_reveal(self) -> None:
        self.reveal = self.reveal_action.isChecked()
        with self.db() as s, s.begin():
            repo.audit(s, self.instructor, "reveal_personal_data" if self.reveal else "mask_personal_data", "", self.case_id)
        self.show_case()
