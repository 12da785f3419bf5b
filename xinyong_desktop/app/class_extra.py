"""本班要求的补充材料: which materials the class's office requires besides the platform's own list (a check box per
material, for every record or only serious ones), stored on the class; new cases take it, existing ones on
request (their verdict computed again from the stored reading)."""
from __future__ import annotations

from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from xinyong_desktop.app import strings as S

EVERY = "所有记录"
SERIOUS_ONLY = "仅严重失信记录"
ALL_SEVERITIES = ["minor", "general", "serious"]


PLATFORM_NAMES = {"creditchina": "“信用中国”网站", "necips": "国家企业信用信息公示系统"}


def platform_note(m) -> str:
    """What the platforms themselves ask of this material, in words."""
    asks = [PLATFORM_NAMES[p] for p in ("creditchina", "necips") if p in m.platforms]
    if not asks:
        return "各平台均不要求，由培训班另行要求"
    return f"平台要求：仅{'、'.join(asks)}要求；其他平台由培训班另行要求"


class ClassExtraDialog(QDialog):
    """One row per material a class may require: checked or not, and for which records."""

    def __init__(self, parent: QWidget | None, class_name: str, choices: list, setting: dict[str, list[str]],
                 default: dict[str, list[str]]):
        super().__init__(parent)
        self.setObjectName("classExtraDialog")
        self.setWindowTitle(S.CLASS_EXTRA_TITLE)
        self.default = default
        self.rows: dict[str, tuple[QCheckBox, QRadioButton, QRadioButton]] = {}
        outer = QVBoxLayout(self)
        intro = QLabel(S.CLASS_EXTRA_INTRO.format(name=class_name))
        intro.setWordWrap(True)
        outer.addWidget(intro)
        grid = QGridLayout()
        grid.setHorizontalSpacing(18)
        for r, m in enumerate(choices):
            kind = str(m.kind)
            box = QCheckBox(m.name)
            box.setObjectName(f"extra_{kind}")
            box.setToolTip(m.advice or m.name)
            every, serious = QRadioButton(EVERY), QRadioButton(SERIOUS_ONLY)
            every.setObjectName(f"extra_{kind}_all")
            serious.setObjectName(f"extra_{kind}_serious")
            group = QButtonGroup(self)  # each row's two choices exclude each other, not the other rows'
            group.addButton(every)
            group.addButton(serious)
            box.toggled.connect(every.setEnabled)
            box.toggled.connect(serious.setEnabled)
            grid.addWidget(box, 2 * r, 0)
            grid.addWidget(every, 2 * r, 1)
            grid.addWidget(serious, 2 * r, 2)
            source = QLabel(platform_note(m))  # what the platforms themselves ask; the rule's source on hover
            source.setToolTip(m.class_default_source or m.source)
            source.setWordWrap(True)
            source.setStyleSheet("color: #666; font-size: 11px")
            grid.addWidget(source, 2 * r + 1, 0, 1, 3)
            self.rows[kind] = (box, every, serious)
        grid.setColumnStretch(0, 1)
        outer.addLayout(grid)
        note = QLabel(S.CLASS_EXTRA_NOTE)
        note.setWordWrap(True)
        outer.addWidget(note)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.reset_button = QPushButton(S.CLASS_EXTRA_RESET)
        buttons.addButton(self.reset_button, QDialogButtonBox.ButtonRole.ResetRole)
        self.reset_button.clicked.connect(lambda: self.show_setting(self.default))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        outer.addWidget(buttons)
        self.show_setting(setting)
        self.setMinimumWidth(560)

    def show_setting(self, setting: dict[str, list[str]]) -> None:
        for kind, (box, every, serious) in self.rows.items():
            sevs = setting.get(kind) or []
            box.setChecked(bool(sevs))
            (serious if sevs == ["serious"] else every).setChecked(True)
            every.setEnabled(bool(sevs))
            serious.setEnabled(bool(sevs))

    def setting(self) -> dict[str, list[str]]:
        out = {}
        for kind, (box, _every, serious) in self.rows.items():
            if box.isChecked():
                out[kind] = ["serious"] if serious.isChecked() else list(ALL_SEVERITIES)
        return out


def edit_class_extra(w) -> bool:
    """The class menu's 本班要求的补充材料…: ask, store (audited), then offer to apply it to the class's cases."""
    from xinyong_desktop.services import classes as cls
    from xinyong_desktop.store.models import TrainingClass

    class_id, rules, who = w.training_class, w.rules, w.instructor
    with w.db() as s:
        tc = s.get(TrainingClass, class_id)
        name = tc.name if tc is not None else ""
        setting = cls.class_extra_setting(s, class_id, rules)
        default = cls.class_extra_setting(s, None, rules)
    d = ClassExtraDialog(w, name, cls.extra_choices(rules), setting, default)
    if d.exec() != QDialog.DialogCode.Accepted:
        return False
    new = d.setting()
    stored = None if new == default else new  # the default stays NULL: it follows the rule book
    try:
        changed = w.writer.call(lambda s: cls.set_class_extra(s, class_id, stored, who, rules))
    except cls.StatusError as e:
        QMessageBox.warning(w, S.CLASS_EXTRA_TITLE, str(e))
        return False
    with w.db() as s:
        pending = len(cls.class_extra_pending(s, class_id, rules))
    applied: list[int] = []
    if pending:
        ask = QMessageBox.question(w, S.CLASS_EXTRA_TITLE, S.CLASS_EXTRA_APPLY.format(n=pending),
                                   QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                                   QMessageBox.StandardButton.Yes)
        if ask == QMessageBox.StandardButton.Yes:
            applied = w.writer.call(lambda s: cls.apply_class_extra(s, class_id, who, rules))
            w.refresh_cases()
            w.ctl.refresh()
            w._board_dirty = True
    if applied:
        msg = S.CLASS_EXTRA_APPLIED.format(n=len(applied))
    elif changed:
        msg = S.CLASS_EXTRA_SAVED
    else:
        msg = S.CLASS_EXTRA_UNCHANGED
    w.statusBar().showMessage(msg, 10000)
    return changed or bool(applied)

