"""The checklist and findings of the selected case, and the instructor's decisions on them."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QInputDialog, QListWidgetItem, QTreeWidgetItem
from sqlalchemy.orm import Session

from xinyong_desktop.app import strings as S
from xinyong_desktop.checks.messages import FIELD_NAMES
from xinyong_desktop.domain.model import FieldId, Kind
from xinyong_desktop.services import desk
from xinyong_desktop.services.review import PERSONAL_FIELDS, apply_decisions, blocking, field_target, finding_key, kind_target, mask, mask_text, material_key, materials_from_rows
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
        if self.case_id is None:
            return
        with self.db() as s:
            c = s.get(Case, self.case_id)
            decisions = repo.active_decisions(s, self.case_id)
            overrides = {d.target: d.reason for d in decisions if d.action == "override"}
            confirmed = {d.target for d in decisions if d.action == "confirm"}
            corrected = {d.target for d in decisions if d.action == "correct"}
            materials = apply_decisions(materials_from_rows(c.materials), decisions)
            thumb_key = (c.id, c.checked_at, tuple((m.path, tuple(m.pages), str(m.kind)) for m in materials))
            if thumb_key != self._thumb_key:  # only when the case or its reading changed
                self._thumb_key = thumb_key
                self._load_thumbnails(Path(c.packet_dir), materials if c.packet_dir else [])
            row_ids = {material_key(m.path, list(m.pages)): m.id for m in c.materials}
            for m in materials:
                top = QTreeWidgetItem([self._kind_name(m.kind), m.path, ",".join(map(str, m.pages))])
                top.setData(0, ROLE, {"what": "material", "path": m.path, "page": m.pages[0] if m.pages else 1,
                                      "pages": list(m.pages), "kind": str(m.kind)})
                rid = row_ids.get(material_key(m.path, m.pages))
                for fid, fv in m.fields.items():
                    fname = str(fid)
                    value = fv.value if self.reveal or fname not in PERSONAL_FIELDS else mask(fname, fv.value)
                    value = S.MARK_VALUES.get(value, value) if fname in ("seal", "signature") else value
                    target = field_target(m.path, m.pages, fname)
                    if target in corrected:
                        value += S.CORRECTED
                    elif target in confirmed:
                        value += S.CONFIRMED
                    child = QTreeWidgetItem([FIELD_NAMES.get(fid, fname), value, f"{fv.confidence:.0%}"])
                    child.setData(0, ROLE, {"what": "field", "path": m.path, "page": fv.page, "pages": list(m.pages),
                                            "box": f"{rid}:{fname}", "field": fname, "value": fv.value,
                                            "target": target})
                    if fv.confidence < 0.6:
                        child.setForeground(2, Qt.GlobalColor.darkYellow)
                    top.addChild(child)
                self.tree.addTopLevelItem(top)
            for f in c.findings:
                if f.code == "MATERIAL_MISSING":
                    item = QTreeWidgetItem([self._kind_name(f.kind), "缺少", ""])
                    item.setForeground(1, Qt.GlobalColor.red)
                    self.tree.addTopLevelItem(item)
            self.tree.expandAll()
            for i in range(3):
                self.tree.resizeColumnToContents(i)
            for f in c.findings:
                key = finding_key(f.code, f.kind, f.field, f.path)
                msg = f.message if self.reveal else mask_text(f.message)
                text = f"[{S.SEVERITY[f.severity]}] {msg}"
                if key in overrides:
                    text += f"（已忽略：{overrides[key]}）"
                item = QListWidgetItem(text)
                item.setData(ROLE, (key, f.path, f.page))
                if f.severity == "error" and key not in overrides:
                    item.setForeground(Qt.GlobalColor.red)
                self.findings.addItem(item)
            block = blocking(c.findings, set(overrides))
            checked = c.checked_at is not None
            portal = ""
            if c.portal_outcome:
                portal = f"\n平台：{c.portal_outcome}" + (f"（{c.portal_reason}）" if c.portal_reason else "") + \
                    (f"　查询码 {c.query_code}" if c.query_code else "")
        self.form.verdictLabel.setText((S.NOT_CHECKED if not checked else S.READY if not block
                                        else S.NOT_READY.format(n=len(block))) + portal)
        self.form.readyButton.setEnabled(checked and not block)
        self.form.blockLabel.setText("" if not block else S.BLOCKED_BY + "\n".join(
            f"· {mask_text(f.message)}" for f in block[:8]))

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
        f = self._current_field()
        if f is None:
            return False
        self._decide("confirm", f["target"], f["value"])
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
        _key, path, page = cur.data(ROLE)
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
