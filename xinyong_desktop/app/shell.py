"""What each part of the desk window (a mixin) sees of the whole, for the type checker.

At run time a part is a plain mixin and MainWindow brings QMainWindow; to mypy a part is a QMainWindow whose other
attributes (the shared context and the other parts' methods, all set up in MainWindow.__init__) are Any."""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from PySide6.QtWidgets import QMainWindow, QMessageBox

    class Shell(QMainWindow):
        # state two parts share (set in MainWindow.__init__)
        _tree_content: tuple | None
        _findings_content: tuple | None
        _queue_content: tuple | None
        _streaming: int | None
        _page: tuple | None
        _page_key: tuple | None
        _want_page: tuple | None
        _page_cache: dict[tuple, tuple]
        _page_jobs: dict[tuple, object]
        _thumb_key: tuple | None
        _thumb_gen: int
        roster_errors_box: QMessageBox | None
        headless: bool
        db: Any

        def __getattr__(self, name: str) -> Any: ...
else:
    class Shell:
        pass
