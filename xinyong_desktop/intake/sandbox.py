"""Parse untrusted files in child processes with a time limit, a memory limit and a crash fence.

A worker that hangs is killed at its deadline; one that dies (memory limit, segfault in a native
parser) is replaced.  Either way the file becomes one readable failure and the batch goes on.
"""
from __future__ import annotations

import multiprocessing as mp
import os
import sys
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait

from xinyong_desktop.intake.limits import Limits


def _test_faults(path: str) -> None:
    """Fault injection for the sandbox's own tests: a parser that hangs or eats memory on one file."""
    name = os.path.basename(path)
    if os.environ.get("XINYONG_TEST_HANG") == name:
        time.sleep(3600)
    if os.environ.get("XINYONG_TEST_HOG") == name:
        hog = []
        while True:
            hog.append(bytearray(64 * 1024 * 1024))


def _child_main(conn: Connection, memory_bytes: int) -> None:
    if memory_bytes and sys.platform != "win32":
        import resource

        try:
            resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
        except (ValueError, OSError):
            pass
    from xinyong_desktop.intake.worker import parse_file

    while True:
        try:
            job = conn.recv()
        except EOFError:
            return
        if job is None:
            return
        job_id, path, ocr, limits = job
        _test_faults(path)
        result = parse_file(path, ocr=ocr, limits=limits, on_pages=lambda n, j=job_id: conn.send(("pages", j, n)))
        conn.send(("done", job_id, result))


@dataclass
class _Slot:
    proc: mp.process.BaseProcess
    conn: Connection
    job: tuple | None = None
    deadline: float = 0.0


def _context(method: str | None = None) -> mp.context.BaseContext:
    method = method or os.environ.get("XINYONG_MP_START")
    if method:
        return mp.get_context(method)
    if sys.platform.startswith("linux"):
        return mp.get_context("forkserver")
    return mp.get_context("spawn")


class ParserPool:
    """A small pool of sandboxed parser processes.  Use as a context manager."""

    def __init__(self, workers: int | None = None, limits: Limits | None = None, start_method: str | None = None):
        self.limits = limits or Limits()
        self.workers = workers or max(1, min(2, os.cpu_count() or 1))
        self._ctx = _context(start_method)
        self._slots: list[_Slot] = []

    def __enter__(self) -> ParserPool:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def _spawn(self) -> _Slot:
        parent, child = self._ctx.Pipe()
        proc = self._ctx.Process(target=_child_main, args=(child, self.limits.memory_bytes), daemon=True)
        proc.start()
        child.close()
        return _Slot(proc, parent)

    def warm(self) -> None:
        """Start the parser processes now (idle time), not at the first file of the first check."""
        while len(self._slots) < self.workers:
            self._slots.append(self._spawn())

    def close(self) -> None:
        for s in self._slots:
            try:
                s.conn.send(None)
            except (OSError, BrokenPipeError):
                pass
        for s in self._slots:
            s.proc.join(timeout=1)
            if s.proc.is_alive():
                s.proc.kill()
            s.conn.close()
        self._slots = []

    def _retire(self, slot: _Slot) -> None:
        if slot.proc.is_alive():
            slot.proc.kill()
        slot.proc.join(timeout=5)
        slot.conn.close()
        self._slots.remove(slot)

    def map(
        self,
        paths: Iterable[str],
        ocr: bool = True,
        on_result: Callable[[str, dict], None] | None = None,
        cancel: threading.Event | None = None,
    ) -> dict[str, dict]:
        """Parse every path; results keyed by path, delivered to on_result as they finish."""
        queue = list(paths)
        results: dict[str, dict] = {}
        next_id = 0

        def finish(path: str, res: dict) -> None:
            results[path] = res
            if on_result:
                on_result(path, res)

        while queue or any(s.job for s in self._slots):
            if cancel is not None and cancel.is_set():
                for s in list(self._slots):
                    if s.job:
                        self._retire(s)
                break
            while queue and (len(self._slots) < self.workers or any(s.job is None for s in self._slots)):
                idle = next((s for s in self._slots if s.job is None), None)
                if idle is None:
                    idle = self._spawn()
                    self._slots.append(idle)
                path = queue.pop(0)
                idle.job = (next_id, path, time.monotonic(), ocr)
                idle.deadline = time.monotonic() + self.limits.seconds_base
                next_id += 1
                try:
                    idle.conn.send((idle.job[0], path, ocr, self.limits))
                except (OSError, BrokenPipeError):
                    self._retire(idle)
                    finish(path, {"ok": False, "reason": "解析进程无法启动"})
            busy = [s for s in self._slots if s.job]
            if not busy:
                continue
            now = time.monotonic()
            timeout = max(0.0, min(s.deadline for s in busy) - now)
            ready = wait([s.conn for s in busy] + [s.proc.sentinel for s in busy], timeout=min(timeout, 0.5))
            for s in busy:
                path = s.job[1]
                if s.conn in ready:
                    try:
                        msg, _jid, payload = s.conn.recv()
                    except (EOFError, OSError):
                        self._retire(s)
                        finish(path, {"ok": False, "reason": "解析进程异常退出（可能超出内存上限或文件为恶意构造）"})
                        continue
                    if msg == "pages":
                        # the deadline grows with the page count the worker has found
                        s.deadline = s.job[2] + self.limits.timeout(int(payload), s.job[3])
                        continue
                    s.job = None
                    finish(path, payload)
                elif s.proc.sentinel in ready or not s.proc.is_alive():
                    self._retire(s)
                    finish(path, {"ok": False, "reason": "解析进程异常退出（可能超出内存上限或文件为恶意构造）"})
                elif time.monotonic() >= s.deadline:
                    self._retire(s)
                    finish(path, {"ok": False, "reason": "文件解析超时（已强制停止），可能文件过于复杂或已损坏"})
        return results
