"""The one writer of the database: every write (a decision, a stored check, a status change) runs on one thread,
in the order it was asked for, each in its own transaction.  A background check and the instructor's
decisions therefore never race for SQLite's write lock, and a write never runs on the UI thread."""
from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import TypeVar

from sqlalchemy.orm import Session, sessionmaker

T = TypeVar("T")


class DbWriter:
    def __init__(self, db: sessionmaker[Session]):
        self.db = db  # replaced when a backup is restored
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="db-writer")
        self._thread: int | None = None
        self._closed = False

    def _run(self, fn: Callable[[Session], T]) -> T:
        self._thread = threading.get_ident()
        with self.db() as s, s.begin():
            return fn(s)

    def submit(self, fn: Callable[[Session], T]) -> Future[T]:
        """fn(session) in a transaction on the writer thread; its result (or exception) in the future."""
        if self._closed:
            raise RuntimeError("database writer closed")
        return self._pool.submit(self._run, fn)

    def call(self, fn: Callable[[Session], T]) -> T:
        """Submit and wait: the caller sees its own write when this returns.  Never from inside a write (that
        would wait for itself)."""
        if threading.get_ident() == self._thread:
            raise RuntimeError("a write inside a write")
        return self.submit(fn).result()

    def close(self) -> None:
        if not self._closed:
            self._closed = True
            self._pool.shutdown(wait=True)
