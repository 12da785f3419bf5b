"""The class's instructor signs its papers (decisions, 审核意见表, notices, 小结, manifest.json): asked once per
class and stored on it (services/classes.set_class_instructor), never the computer's login name."""
from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QInputDialog

ASK_INSTRUCTOR = "本班审核老师的姓名（写入审核决定、审核意见表、告知书、小结和导出清单；每个培训班只问一次）："
TITLE = "审核老师"
SET = "审核老师：{name}"


def adopt(w, tc) -> None:
    """The window signs as the shown class's instructor; a class without one is asked for it (once the window
    is up, never in the headless screenshot mode)."""
    from xinyong_desktop.services.classes import instructor_of, is_login_name

    name = instructor_of(tc)
    if name:
        w.instructor = name
        return
    if is_login_name(w.instructor or ""):
        w.instructor = ""
    if not getattr(w, "_instructor_pending", False):
        w._instructor_pending = True
        QTimer.singleShot(0, lambda: ask(w))


def ask(w, name: str | None = None) -> bool:
    from xinyong_desktop.services.classes import StatusError, class_instructor, set_class_instructor

    w._instructor_pending = False
    if getattr(w, "headless", False):
        return False
    with w.db() as s:
        if class_instructor(s, w.training_class):
            return True
    why = ""
    while True:
        if name is None:  # a refused name: the dialog says why
            name, ok = QInputDialog.getText(w, TITLE, f"{why}\n{ASK_INSTRUCTOR}" if why else ASK_INSTRUCTOR,
                                            text=w.instructor or "")
            if not ok:
                return False
        try:
            with w.db() as s, s.begin():
                w.instructor = set_class_instructor(s, w.training_class, name)
        except StatusError as e:
            why, name = str(e), None
            continue
        w.statusBar().showMessage(SET.format(name=w.instructor), 8000)
        return True
