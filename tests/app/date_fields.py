"""Type a date into a desk date field the way a user does: select what is there, type, press Enter."""
from __future__ import annotations


def type_date(qtbot, parent, text: str) -> None:
    from PySide6.QtCore import Qt

    from xinyong_desktop.app.date_field import DateField

    field = parent if isinstance(parent, DateField) else parent.findChild(DateField)
    assert field is not None, "no date field"
    field.edit.setFocus()
    field.edit.selectAll()
    if text.isascii():
        qtbot.keyClicks(field.edit, text)
    else:  # Chinese comes from the input method, committed as a whole (QTest cannot type it key by key)
        field.edit.insert(text)
    qtbot.keyClick(field.edit, Qt.Key.Key_Return)
