"""Parse untrusted files in child processes with a time limit, a memory budget and a crash fence.

A worker that hangs is killed at its deadline; one that dies (memory limit, segfault in a native
parser) is replaced.  Either way the file becomes one readable failure and the batch goes on.

Memory: the parser processes share one budget (`Limits.memory_budget_bytes`, 2 GiB for all of them
together): the pool reads their resident size while they work and stops the largest one when the sum goes
over it.  Each process also has an address-space limit as a backstop (not on Windows).

Time: the limit counts the parser's own CPU time (`cpu_seconds`), not the wall clock, so a laptop busy with
other work slows the clock down instead of failing a scan as "timed out"; a parser that stops using the CPU
altogether (a deadlock, a blocked read) is stopped by a wall-clock backstop of `WALL_SLACK` times its limit.

Lifetime: a parser exits when the process that started the pool dies — it watches a lifeline pipe whose
only writer is that process (EOF = gone) and polls that process's pid; on Linux the kernel also kills it
when its parent (the forkserver) exits, and the forkserver and its resource tracker exit with their last
client.  Nothing is left running after a crash or a kill of the app.
"""
from __future__ import annotations

import logging
import multiprocessing as mp
import os
import sys
import threading
import time
import weakref
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from typing import Any

from xinyong_desktop.intake.limits import Limits, Weight, weigh

MEMORY_REASON = "解析时内存超出上限（文件可能是恶意构造或过于复杂），已停止"
DIED_REASON = "解析进程异常退出（可能超出内存上限或文件为恶意构造）"
STARTUP_SECONDS = 60.0  # a new parser process imports its libraries before its first job (slow on a busy laptop)
TIMEOUT_REASON = "文件解析超时（已强制停止），可能文件过于复杂或已损坏"
WALL_SLACK = 6.0  # wall-clock backstop, in multiples of the CPU limit (a parser starved on a loaded laptop)


def _die_with_parent(lifeline: Connection, parent_pid: int) -> None:
    """In the child: exit at once when the process that started the pool is gone."""
    if sys.platform.startswith("linux"):
        try:
            import ctypes
            import signal

            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(1, int(signal.SIGKILL), 0, 0, 0)  # PR_SET_PDEATHSIG: killed when our parent exits
        except (OSError, AttributeError):
            pass

    def watch() -> None:
        while True:
            try:
                if lifeline.poll(1.0):
                    lifeline.recv()
            except (EOFError, OSError):
                os._exit(3)  # the starter closed its end: it has exited or crashed
            if not _alive(parent_pid):
                os._exit(3)

    threading.Thread(target=watch, name="lifeline", daemon=True).start()


def _alive(pid: int) -> bool:
    if sys.platform == "win32":
        import ctypes

        handle = ctypes.windll.kernel32.OpenProcess(0x1000, False, pid)  # PROCESS_QUERY_LIMITED_INFORMATION
        if not handle:
            return False
        code = ctypes.c_ulong()
        ctypes.windll.kernel32.GetExitCodeProcess(handle, ctypes.byref(code))
        ctypes.windll.kernel32.CloseHandle(handle)
        return code.value == 259  # STILL_ACTIVE
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


LOG_RECORDS_PER_JOB = 200  # a parser that logs in a loop cannot flood the app's log


class _ToParent(logging.Handler):
    """In a parser process: every log record — masked by logs.RedactingFilter first — goes to the app over the
    job pipe, which writes it to its own (redacted) log.  Nothing is printed: Python's last-resort handler
    would put an unmasked traceback with the file's full path on the user's terminal."""

    def __init__(self, send: Callable[[tuple], None]):
        super().__init__(logging.DEBUG)
        from xinyong_desktop.logs import RedactingFilter

        self.addFilter(RedactingFilter())
        self._send, self.sent = send, 0

    def emit(self, record: logging.LogRecord) -> None:
        if self.sent >= LOG_RECORDS_PER_JOB:
            return
        self.sent += 1
        try:
            self._send(("log", None, {"name": record.name, "levelno": record.levelno, "levelname": record.levelname,
                                      "msg": record.msg, "exc_text": record.exc_text, "created": record.created,
                                      "process": record.process}))
        except Exception:  # noqa: BLE001 - the app has gone (the lifeline ends this process) or the pipe is full
            pass


_DRAIN = b"\x00xinyong-drain\n"


def _stderr_to_log() -> Callable[[], None]:
    """fd 2 of a parser process becomes a pipe whose lines are logged (masked, sent to the app): native
    libraries (PDFium, libjpeg, OpenCV) and Python's own tracebacks write there, with file names.  Returns
    drain(): waits until what was written so far has been logged (called before a job's result is sent)."""
    r, w = os.pipe()
    os.dup2(w, 2)
    os.close(w)
    log = logging.getLogger("xinyong.parser.stderr")
    drained = threading.Event()

    def pump() -> None:
        with os.fdopen(r, "rb") as fh:
            for line in fh:
                if line.endswith(_DRAIN):
                    line = line[: -len(_DRAIN)]
                    drained.set()
                text = line.decode("utf-8", "replace").rstrip()
                if text:
                    log.warning("%s", text)

    def drain() -> None:
        drained.clear()
        try:
            os.write(2, _DRAIN)
        except OSError:
            return
        drained.wait(1.0)

    threading.Thread(target=pump, name="stderr-pump", daemon=True).start()
    return drain


def _route_logging(conn: Connection) -> tuple[Callable[[tuple], None], _ToParent, Callable[[], None]]:
    lock = threading.Lock()

    def send(msg: tuple) -> None:
        with lock:  # the job loop, the stderr pump and any library thread share the pipe
            conn.send(msg)

    handler = _ToParent(send)
    root = logging.getLogger()
    for h in list(root.handlers):
        root.removeHandler(h)
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    logging.captureWarnings(True)  # warnings.warn (Pillow, openpyxl) name the file too
    return send, handler, _stderr_to_log()


def _child_main(conn: Connection, lifeline: Connection, parent_pid: int, memory_bytes: int,
                initializer: Callable | None, initargs: tuple, preload: bool = True) -> None:
    _die_with_parent(lifeline, parent_pid)
    send, handler, drain = _route_logging(conn)
    if memory_bytes and sys.platform != "win32":
        import resource

        try:
            resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
        except (ValueError, OSError):
            pass
    if preload:  # a packet pool's parsers load their libraries while idle, before the first file
        from xinyong_desktop.intake import worker
    if initializer is not None:
        initializer(*initargs)
    while True:
        try:
            job = conn.recv()
        except EOFError:
            return
        if job is None:
            return
        job_id, what, args, limits = job
        handler.sent = 0
        send(("started", job_id, None))  # the time limit counts from here, not from the process start
        try:
            if what == "file":
                from xinyong_desktop.intake import worker  # the parsers' libraries, loaded before the first file

                path, ocr = args
                result = _unopenable(path)
                if result is None:
                    # what the file can hold sets its budget (and a file with nothing to read is rendered small)
                    weight = weigh(path, limits)
                    if weight is not None:
                        send(("weight", job_id, weight))
                    # pages with nothing to read (blank, a few lines, a huge empty canvas) are not OCR'd
                    result = worker.parse_file(path, ocr=ocr, limits=limits.for_file(weight),
                                               on_pages=lambda n, j=job_id: send(("pages", j, n)))
            else:
                result = run_call(what, args)
        except MemoryError:  # the address-space limit, hit outside the parser's own handling
            result = {"ok": False, "reason": MEMORY_REASON}
        except Exception as e:  # a bug in a parser: logged (masked, to the app), one failure
            logging.getLogger("xinyong.intake").exception("parser job failed")
            result = {"ok": False, "reason": f"文件无法解析（{type(e).__name__}），可能已损坏"}
        drain()  # the job's messages on fd 2 reach the app before its result
        send(("done", job_id, result))


def _unopenable(path: str) -> dict | None:
    """A file the app may not open (permissions, gone meanwhile) is that, in Chinese — not a parser's
    "(PermissionError) 可能已损坏" with a traceback."""
    from xinyong_desktop.errors import os_reason

    try:
        with open(path, "rb"):
            return None
    except OSError as e:
        return {"ok": False, "reason": f"文件无法打开（{os_reason(e)}）"}


def run_call(func: str, args: tuple) -> dict:
    """A sandboxed call of "module:function" (e.g. reading a roster): its value, or the Chinese reason."""
    import importlib

    module, _, name = func.partition(":")
    try:
        return {"ok": True, "value": getattr(importlib.import_module(module), name)(*args)}
    except MemoryError:
        return {"ok": False, "reason": "读取时内存超出上限（文件可能是恶意构造或过于复杂）"}
    except RecursionError:
        return {"ok": False, "reason": "文件结构嵌套过深，无法安全读取"}
    except Exception as e:  # the caller turns the reason into its own error
        chinese = any("\u4e00" <= c <= "\u9fff" for c in str(e))
        if not chinese:
            logging.getLogger("xinyong.intake").exception("sandboxed call failed: %s", func)
        return {"ok": False, "reason": str(e) if chinese else f"文件无法读取（{type(e).__name__}），可能已损坏",
                "error": type(e).__name__}


def resident_bytes(pid: int) -> int:
    """Resident memory of a process (0 when it cannot be read: the budget is then the rlimit's job)."""
    try:
        with open(f"/proc/{pid}/statm", "rb") as fh:
            return int(fh.read().split()[1]) * _PAGE
    except (OSError, ValueError, IndexError):
        return 0


_PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096
_TICK = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def cpu_seconds(pid: int) -> float | None:
    """CPU time (user + system, all threads) a process has used so far; None where it cannot be read (the
    caller then counts wall time)."""
    if sys.platform == "win32":
        return _cpu_seconds_windows(pid)
    try:
        with open(f"/proc/{pid}/stat", "rb") as fh:
            fields = fh.read().rsplit(b")", 1)[1].split()  # the command name may hold spaces
        return (int(fields[11]) + int(fields[12])) / _TICK  # utime, stime (fields 14 and 15 of stat)
    except (OSError, ValueError, IndexError):
        return None


def _cpu_seconds_windows(pid: int) -> float | None:
    if sys.platform != "win32":
        return None
    import ctypes
    from ctypes import wintypes

    kernel32 = ctypes.windll.kernel32
    handle = kernel32.OpenProcess(0x1000, False, pid)  # PROCESS_QUERY_LIMITED_INFORMATION
    if not handle:
        return None
    try:
        times = [wintypes.FILETIME() for _ in range(4)]  # creation, exit, kernel, user
        if not kernel32.GetProcessTimes(handle, *(ctypes.byref(t) for t in times)):
            return None
        return sum((t.dwHighDateTime << 32 | t.dwLowDateTime) for t in times[2:]) / 1e7  # 100 ns units
    finally:
        kernel32.CloseHandle(handle)


_LIVE: weakref.WeakSet[ParserPool] = weakref.WeakSet()  # every pool of this process: one memory budget


@dataclass
class _Slot:
    proc: mp.process.BaseProcess
    conn: Connection
    lifeline: Connection
    job: tuple | None = None  # (job id, label, started, ocr)
    budget: float = 0.0  # CPU seconds this job may use (grows with its page count)
    weighed: bool = False  # the budget was set from what the file can hold (Limits.budget), not its page count
    cpu0: float | None = None  # the parser's CPU time when the job's clock started
    clock0: float = 0.0  # and the wall time then

    def start_clock(self, budget: float) -> None:
        self.budget, self.cpu0, self.clock0 = budget, cpu_seconds(self.proc.pid or 0), time.monotonic()
        self.weighed = False

    def out_of_time(self) -> bool:
        """The job has used its CPU budget, or the wall-clock backstop has passed."""
        wall = time.monotonic() - self.clock0
        if wall >= self.budget * WALL_SLACK:
            return True
        now = cpu_seconds(self.proc.pid or 0) if self.cpu0 is not None else None
        used = wall if now is None or self.cpu0 is None else now - self.cpu0
        return used >= self.budget


def _context(method: str | None = None) -> mp.context.BaseContext:
    method = method or os.environ.get("XINYONG_MP_START")
    if method:
        return mp.get_context(method)
    if sys.platform.startswith("linux"):
        ctx = mp.get_context("forkserver")
        # the fork server imports the parsers' libraries once; every parser process forked from it starts
        # with them loaded (a check from the command line no longer waits for each one to import numpy)
        ctx.set_forkserver_preload(["xinyong_desktop.intake.worker", "pypdfium2"])
        return ctx
    return mp.get_context("spawn")


class ParserPool:
    """A small pool of sandboxed parser processes.  Use as a context manager.

    `initializer(*initargs)` runs in each parser process before its first job (tests install hostile
    parsers that way; the product passes none).  preload=False: the file parsers' libraries are loaded only
    when a file comes (a pool for calls such as reading a roster)."""

    def __init__(self, workers: int | None = None, limits: Limits | None = None, start_method: str | None = None,
                 initializer: Callable | None = None, initargs: tuple = (), preload: bool = True):
        self.limits = limits or Limits()
        self.workers = workers or max(1, min(2, os.cpu_count() or 1))
        self._ctx: Any = _context(start_method)  # typeshed's BaseContext lacks Process
        self._slots: list[_Slot] = []
        self._initializer, self._initargs, self._preload = initializer, initargs, preload
        _LIVE.add(self)

    def __enter__(self) -> ParserPool:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def _spawn(self) -> _Slot:
        parent, child = self._ctx.Pipe()
        life_r, life_w = self._ctx.Pipe(duplex=False)
        proc = self._ctx.Process(target=_child_main, daemon=True,
                                 args=(child, life_r, os.getpid(), self.limits.memory_bytes,
                                       self._initializer, self._initargs, self._preload))
        proc.start()
        child.close()
        life_r.close()
        return _Slot(proc, parent, life_w)

    def pids(self) -> list[int]:
        return [s.proc.pid for s in self._slots if s.proc.pid]

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
                s.proc.join(timeout=5)
            s.conn.close()
            s.lifeline.close()
        self._slots = []

    def _retire(self, slot: _Slot) -> None:
        if slot.proc.is_alive():
            slot.proc.kill()
        slot.proc.join(timeout=5)
        slot.conn.close()
        slot.lifeline.close()
        self._slots.remove(slot)

    def _over_budget(self, busy: list[_Slot]) -> _Slot | None:
        """This pool's busy parser to stop when all parsers of all pools of this process together use more
        than the budget (the largest of ours: the file that made it grow)."""
        budget = self.limits.memory_budget_bytes
        if not budget:
            return None
        total = sum(resident_bytes(pid) for pool in list(_LIVE) if pool is not self for pid in pool.pids())
        sizes = {id(s): resident_bytes(s.proc.pid) for s in self._slots if s.proc.pid}
        if total + sum(sizes.values()) <= budget:
            return None
        return max(busy, key=lambda s: sizes.get(id(s), 0), default=None)

    def map(
        self,
        paths: Iterable[str],
        ocr: bool = True,
        on_result: Callable[[str, dict], None] | None = None,
        cancel: threading.Event | None = None,
    ) -> dict[str, dict]:
        """Parse every path; results keyed by path, delivered to on_result as they finish."""
        jobs = [(p, "file", (p, ocr)) for p in paths]
        return self._run(jobs, ocr, on_result, cancel)

    def call(self, func: str, *args, seconds: float | None = None) -> dict:
        """Run `module:function(*args)` in a parser process under the same limits; returns
        {'ok': True, 'value': ...} or {'ok': False, 'reason': ...} (never raises for what the call did)."""
        limits = self.limits
        if seconds is not None:
            from dataclasses import replace

            self.limits = replace(limits, seconds_base=seconds)
        try:
            return self._run([(func, func, args)], False, None, None)[func]
        finally:
            self.limits = limits

    def _run(self, jobs: list[tuple[str, str, tuple]], ocr: bool, on_result, cancel) -> dict[str, dict]:
        queue = list(jobs)
        results: dict[str, dict] = {}
        next_id = 0

        def finish(label: str, res: dict) -> None:
            results[label] = res
            if on_result:
                on_result(label, res)

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
                label, what, args = queue.pop(0)
                idle.job = (next_id, label, time.monotonic(), ocr)
                idle.start_clock(self.limits.seconds_base + STARTUP_SECONDS)
                next_id += 1
                try:
                    idle.conn.send((idle.job[0], what, args, self.limits))
                except (OSError, BrokenPipeError):
                    self._retire(idle)
                    finish(label, {"ok": False, "reason": "解析进程无法启动"})
            busy = [s for s in self._slots if s.job]
            if not busy:
                continue
            ready = wait([s.conn for s in busy] + [s.proc.sentinel for s in busy], timeout=0.1)
            hog = self._over_budget(busy)
            for s in busy:
                assert s.job is not None
                label = s.job[1]
                if s.conn in ready:
                    try:
                        msg, _jid, payload = s.conn.recv()
                    except (EOFError, OSError):
                        self._retire(s)
                        finish(label, {"ok": False, "reason": DIED_REASON})
                        continue
                    if msg == "log":
                        _relog(payload)
                        continue
                    if msg == "started":
                        s.job = (s.job[0], label, time.monotonic(), s.job[3])
                        s.start_clock(self.limits.seconds_base)
                        continue
                    if msg == "weight" and isinstance(payload, Weight):
                        # what the file can hold (its pages: text, something to read, nothing): its budget
                        s.budget, s.weighed = self.limits.budget(payload, s.job[3], _size(label)), True
                        continue
                    if msg == "pages":
                        # else the budget grows with the page count the worker has found (same clock start)
                        # (capped by what the file's size can hold: Limits.timeout)
                        if not s.weighed:
                            s.budget = self.limits.timeout(int(payload), s.job[3], _size(label))
                        continue
                    s.job = None
                    finish(label, payload)
                elif s is hog:
                    self._retire(s)
                    finish(label, {"ok": False, "reason": MEMORY_REASON})
                elif s.proc.sentinel in ready or not s.proc.is_alive():
                    self._retire(s)
                    finish(label, {"ok": False, "reason": DIED_REASON})
                elif s.out_of_time():
                    self._retire(s)
                    finish(label, {"ok": False, "reason": TIMEOUT_REASON})
        return results


def _size(path: str) -> int | None:
    try:
        return os.stat(path).st_size
    except (OSError, ValueError):
        return None


def _relog(payload: dict) -> None:
    """A parser's record (already masked in the parser) into the app's log; dropped when the app has no log
    configured — Python's last-resort handler would print it on the terminal."""
    try:
        record = logging.makeLogRecord(payload)
        logger = logging.getLogger(record.name)
        if logger.isEnabledFor(record.levelno) and logger.hasHandlers():
            logger.handle(record)
    except Exception:  # noqa: BLE001 - a malformed record from a hostile parser is not the app's problem
        pass


def call_sandboxed(func: str, *args, seconds: float | None = None) -> dict:
    """One call in a parser process of its own (started from the forkserver, stopped afterwards)."""
    with ParserPool(workers=1, preload=False) as pool:
        return pool.call(func, *args, seconds=seconds)
