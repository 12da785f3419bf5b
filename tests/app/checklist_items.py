"""Find a field's row in the desk's checklist the way a user does: under its material, by its label."""
from __future__ import annotations


def field_item(w, kind_name: str, field_label: str):
    root = w.tree.invisibleRootItem()
    for i in range(root.childCount()):
        top = root.child(i)
        if top.text(0) == kind_name:
            for j in range(top.childCount()):
                if top.child(j).text(0) == field_label:
                    return top.child(j)
    raise AssertionError(f"{kind_name}/{field_label} not in the checklist")


def select_field(w, kind_name: str, field_label: str):
    """Click the row (it becomes the current item); returns it."""
    item = field_item(w, kind_name, field_label)
    w.tree.setCurrentItem(item)
    return item
