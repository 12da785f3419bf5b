"""Answer the desk's modal dialogs the way a user does: type into the file-name box, pick an item, click a button.

Each expected dialog is queued with its answer; a timer looks for the active modal dialog and answers the next
one.  Every dialog seen is recorded (kind, title, text) so a test can assert that no error dialog appeared and
that every queued answer was used."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QInputDialog,
    QLineEdit,
    QMessageBox,
    QProgressDialog,
)


@dataclass
class Seen:
    kind: str  # file | input | message | dialog
    title: str
    text: str
    icon: str = ""


@dataclass
class Answers:
    queue: list[tuple[str, object]] = field(default_factory=list)
    seen: list[Seen] = field(default_factory=list)
    unexpected: list[Seen] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.timer = QTimer()
        self.timer.setInterval(30)
        self.timer.timeout.connect(self._poll)
        self.timer.start()

    # ---------------------------------------------------------------- queueing answers
    def file(self, path: Path | str) -> Answers:
        """A file dialog: the path is typed into the file-name box and the dialog accepted."""
        self.queue.append(("file", str(path)))
        return self

    def text(self, value: str) -> Answers:
        self.queue.append(("text", value))
        return self

    def item(self, label: str) -> Answers:
        """A choice: the item whose text starts with label."""
        self.queue.append(("item", label))
        return self

    def yes(self) -> Answers:
        self.queue.append(("button", QMessageBox.StandardButton.Yes))
        return self

    def no(self) -> Answers:
        self.queue.append(("button", QMessageBox.StandardButton.No))
        return self

    def ok(self) -> Answers:
        self.queue.append(("button", QMessageBox.StandardButton.Ok))
        return self

    def form(self, fill: Callable[[QDialog], None]) -> Answers:
        """A dialog built in code: fill() sets its fields; then its OK button is clicked."""
        self.queue.append(("form", fill))
        return self

    def look(self, fn: Callable[[QDialog], None]) -> Answers:
        """Look at the dialog (fn records what it sees), then cancel it."""
        self.queue.append(("look", fn))
        return self

    def cancel(self) -> Answers:
        self.queue.append(("cancel", None))
        return self

    # ---------------------------------------------------------------- what was shown
    @property
    def errors(self) -> list[Seen]:
        return [s for s in self.seen if s.icon in ("critical",) or s.title == "出错了"]

    def done(self) -> bool:
        return not self.queue

    def stop(self) -> None:
        self.timer.stop()

    def _poll(self) -> None:
        d = QApplication.activeModalWidget()
        if d is None or not d.isVisible() or d.property("answered") or isinstance(d, QProgressDialog):
            return  # (a progress dialog is watched, not answered: its 取消 is the test's to click)
        d.setProperty("answered", True)
        seen = self._describe(d)
        self.seen.append(seen)
        if seen.icon == "critical" or not self.queue:
            self.unexpected.append(seen)
            QTimer.singleShot(0, d.reject if isinstance(d, QDialog) else d.close)
            return
        how, value = self.queue.pop(0)
        QTimer.singleShot(0, lambda: self._safe_answer(d, how, value, seen))

    def _safe_answer(self, d, how: str, value, seen: Seen) -> None:
        try:
            self._answer(d, how, value)
        except Exception as e:  # noqa: BLE001 - a wrong answer must fail the test, not hang it
            self.unexpected.append(Seen(seen.kind, seen.title, f"{seen.text} — cannot answer {how} {value!r}: {e!r}"))
            d.reject() if isinstance(d, QDialog) else d.close()

    @staticmethod
    def _describe(d) -> Seen:
        if isinstance(d, QFileDialog):
            return Seen("file", d.windowTitle(), "")
        if isinstance(d, QInputDialog):
            return Seen("input", d.windowTitle(), d.labelText())
        if isinstance(d, QMessageBox):
            icon = {QMessageBox.Icon.Critical: "critical", QMessageBox.Icon.Warning: "warning",
                    QMessageBox.Icon.Question: "question", QMessageBox.Icon.Information: "information"}.get(d.icon(), "")
            return Seen("message", d.windowTitle(), d.text(), icon)
        return Seen("dialog", d.windowTitle(), "")

    def _answer(self, d, how: str, value) -> None:
        if how == "cancel":
            d.reject()
        elif how == "look":
            value(d)
            d.reject()
        elif how == "file":
            assert isinstance(d, QFileDialog), f"expected a file dialog, got {d.windowTitle()}"
            d.findChild(QLineEdit, "fileNameEdit").setText(value)  # typed into the name box
            d.done(QDialog.DialogCode.Accepted)
        elif how == "text":
            assert isinstance(d, QInputDialog), f"expected an input dialog, got {d.windowTitle()}"
            d.setTextValue(value)
            d.accept()
        elif how == "item":
            assert isinstance(d, QInputDialog), f"expected a choice, got {d.windowTitle()}"
            match = next(i for i in d.comboBoxItems() if i.startswith(value))
            d.setTextValue(match)
            d.accept()
        elif how == "button":
            assert isinstance(d, QMessageBox), f"expected a message box, got {d.windowTitle()}"
            d.button(value).click()
        elif how == "form":
            value(d)
            d.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok).click()


def actions(w) -> dict[str, object]:
    out = {}
    for menu in w.menuBar().actions():
        for a in menu.menu().actions():
            if not a.isSeparator():
                out[a.text()] = a
    return out


class Driver:
    def __init__(self, w, qtbot):
        from tests.app.dialogs import Answers

        self.w, self.qtbot = w, qtbot
        self.acts = actions(w)
        self.used: set[str] = set()
        self.answers = Answers()
        w.destroyed.connect(self.answers.stop)  # a failed test's answers never answer the next test's dialogs

    def __call__(self, text: str, key: bool = True, wait: bool = True) -> None:
        """Press the action's shortcut (when it has one and key is set), else choose it from its menu."""
        from PySide6.QtCore import Qt
        from PySide6.QtWidgets import QApplication

        a = self.acts[text]
        self.used.add(text)
        fired = []
        def note(*_):
            fired.append(1)

        a.triggered.connect(note)
        seq = a.shortcut()
        if key and not seq.isEmpty():
            combo = seq[0]
            if not self.w.isActiveWindow():  # offscreen: the window is not re-activated when a dialog closes
                self.w.activateWindow()
                self.qtbot.waitUntil(self.w.isActiveWindow, timeout=5000)
            target = QApplication.focusWidget() or self.w
            if target.window() is not self.w:
                target = self.w
            self.qtbot.keyClick(target, combo.key(), combo.keyboardModifiers())
        else:
            a.trigger()
        assert fired, f"{text} did not fire from {'its key ' + seq.toString() if key and not seq.isEmpty() else 'its menu'}"
        if wait:
            self.idle()
        a.triggered.disconnect(note)
        del Qt

    def idle(self, timeout: int = 90000) -> None:
        self.qtbot.waitUntil(lambda: self.w.running is None, timeout=timeout)
        self.qtbot.wait(50)

    def check_dialogs(self) -> None:
        assert not self.answers.errors, self.answers.errors
        assert not self.answers.unexpected, self.answers.unexpected
        assert self.answers.done(), f"dialogs expected but not shown: {self.answers.queue}"
