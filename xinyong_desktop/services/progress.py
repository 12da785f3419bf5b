"""A Qt-free progress and cancel object that long work reports to; the UI renders it."""
from __future__ import annotations

import threading
from dataclasses import dataclass, field


class Cancelled(Exception):
    """The user cancelled the work."""


@dataclass
class Progress:
    total: int = 0
    done: int = 0
    label: str = ""
    cancel_event: threading.Event = field(default_factory=threading.Event)

    def start(self, total: int, label: str = "") -> None:
        self.total, self.done, self.label = total, 0, label
        self.on_change()

    def step(self, label: str = "") -> None:
        self.done += 1
        self.label = label or self.label
        self.on_change()

    def cancel(self) -> None:
        self.cancel_event.set()

    @property
    def cancelled(self) -> bool:
        return self.cancel_event.is_set()

    def on_change(self) -> None:
        """Override or replace to observe progress."""

    def item(self, obj) -> None:
        """A partial result (e.g. one material read) for whoever watches; replace on_item to receive them."""
        if self.on_item is not None:
            self.on_item(obj)

    on_item = None
