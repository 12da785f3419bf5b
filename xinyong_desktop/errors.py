"""One error hierarchy for everything a user can run into, each with a Chinese message and an exit status.

Each area raises its own subclass (rules: `RuleError`, case.json: `CaseFileError`, rosters: `RosterFileError`,
export: `ExportError`, bundles: `BundleError` …) of one of the kinds below.  The CLI maps them to exit codes
and stderr once (`cli.main`), the desk to dialogs once (`app.main.show_error`); both go through
`user_message`, which also turns an `OSError` (whose text is English: "[Errno 13] Permission denied") and
any unexpected exception into Chinese, so no traceback or raw English text reaches a user.

Exit statuses follow the check contract: 0 ready, 1 not ready, 2 the command could not run."""
from __future__ import annotations

import errno
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

EXIT_READY, EXIT_NOT_READY, EXIT_CANNOT_RUN = 0, 1, 2
EXIT_INTERRUPTED = 130  # Ctrl+C, as shells report it


class XinyongError(Exception):
    """A failure the user can act on.  str() is the Chinese message."""

    exit_code = EXIT_CANNOT_RUN

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class UsageError(XinyongError):
    """The command was asked for something it cannot do (arguments, a folder that is not there)."""


class InputError(XinyongError):
    """An input cannot be read or used: packet folder, case.json, roster file, rule files, bundle."""


class OutputError(XinyongError):
    """A result cannot be written: read-only or full target, a file where a folder should be, a pulled stick."""


class SetupError(XinyongError):
    """The installation is incomplete: the program's data files or the window toolkit are missing."""


class StoreError(XinyongError):
    """The database cannot be opened, migrated or written."""


class ConcurrentEditError(StoreError):
    """Another desk (a laptop on the office database, another window) changed the case first; nothing of this
    change was saved."""

    def __init__(self, message: str = "本案件刚被另一台电脑（或另一个窗口）修改过，您的这次操作未保存。"
                                      "案件已重新载入，请查看最新内容后再操作一次。") -> None:
        super().__init__(message)


def _is_stale(e: BaseException) -> bool:
    return type(e).__name__ == "StaleDataError" and type(e).__module__.startswith("sqlalchemy")


_OS_REASONS = {getattr(errno, name): text for name, text in (  # getattr: not every name exists on Windows
    ("EACCES", "没有权限"), ("EPERM", "操作不被允许（没有权限）"), ("EROFS", "所在磁盘是只读的"),
    ("ENOSPC", "磁盘空间已满"), ("EDQUOT", "磁盘配额已满"), ("ENOENT", "不存在"),
    ("ENOTDIR", "路径中有一个是文件而不是文件夹"), ("EISDIR", "这是一个文件夹，不是文件"),
    ("EEXIST", "已有同名的文件或文件夹"), ("ENAMETOOLONG", "名称太长"), ("ENOTEMPTY", "文件夹不是空的"),
    ("EIO", "读写出错（磁盘或 U 盘可能已拔出或损坏）"), ("EBUSY", "正被其他程序占用"), ("ETXTBSY", "正被其他程序占用"),
    ("EMFILE", "同时打开的文件太多"), ("ENODEV", "设备不存在（可能已拔出）"), ("ENXIO", "设备不存在（可能已拔出）"),
    ("ELOOP", "链接层数太多（可能指向自身）"), ("EINVAL", "名称或参数无效"),
    ("EFBIG", "文件太大（U 盘若是 FAT32 格式，单个文件不能超过 4 GB）"), ("EXDEV", "不能跨磁盘移动"),
) if hasattr(errno, name)}


def os_reason(e: OSError) -> str:
    """The Chinese reason for an OSError (never its English strerror)."""
    if e.errno in _OS_REASONS:
        return _OS_REASONS[e.errno]
    if isinstance(e, PermissionError):
        return "没有权限"
    if isinstance(e, FileNotFoundError):
        return "不存在"
    if isinstance(e, IsADirectoryError):
        return "这是一个文件夹，不是文件"
    if isinstance(e, NotADirectoryError | FileExistsError):
        return "路径中有一个是文件而不是文件夹"
    return f"系统错误（错误号 {e.errno}）" if e.errno is not None else "系统错误"


def _where(e: OSError) -> str:
    return f"（{e.filename}）" if e.filename else ""


def _file_in_the_way(e: OSError) -> str | None:
    """The file that stands where a folder has to be made (mkdir's EEXIST / ENOTDIR), if that is the cause."""
    if e.errno not in (errno.EEXIST, errno.ENOTDIR) or not e.filename:
        return None
    p = Path(e.filename)
    for cand in (p, *p.parents):
        if cand.is_file():
            return str(cand)
    return None


def write_reason(e: OSError) -> str:
    """Why a write failed, in Chinese, naming the path (a file where a folder has to be is said so)."""
    blocker = _file_in_the_way(e)
    return f"“{blocker}”是一个文件，不是文件夹" if blocker else f"{os_reason(e)}{_where(e)}"


@contextmanager
def reading(what: str, path: Path | str) -> Iterator[None]:
    """An OSError while reading `path` becomes an InputError saying, in Chinese, which and why."""
    try:
        yield
    except OSError as e:
        raise InputError(f"无法读取{what}“{path}”：{os_reason(e)}{_where(e)}") from e


@contextmanager
def writing(what: str, path: Path | str) -> Iterator[None]:
    """An OSError while writing to `path` becomes an OutputError saying, in Chinese, which and why."""
    try:
        yield
    except OSError as e:
        raise OutputError(f"无法写入{what}“{path}”：{write_reason(e)}。"
                          "请换一个可以写入的文件夹（不要选只读的盘或已存在的同名文件）。") from e


def _is_database_error(e: BaseException) -> bool:
    return type(e).__module__.split(".")[0] in ("sqlalchemy", "sqlite3", "psycopg", "alembic")


def user_message(e: BaseException) -> str:
    """What to tell the user about `e`: Chinese, without a traceback, SQL or parameters."""
    if isinstance(e, XinyongError):
        return e.message
    if isinstance(e, KeyboardInterrupt):
        return "已中断。"
    if isinstance(e, OSError):
        return f"文件操作失败：{os_reason(e)}{_where(e)}"
    if isinstance(e, MemoryError):
        return "内存不足，操作未完成。请关闭其他程序后重试。"
    if _is_stale(e):  # an UPDATE/DELETE found the row changed by another desk (store.models version)
        return ConcurrentEditError().message
    if _is_database_error(e):
        return "数据库操作失败，本次操作未保存（之前已保存的数据不受影响）。详细信息已写入日志。"
    return f"程序内部错误（{type(e).__name__}），操作未完成。详细信息已写入日志。"


def exit_code(e: BaseException) -> int:
    if isinstance(e, XinyongError):
        return e.exit_code
    if isinstance(e, KeyboardInterrupt):
        return EXIT_INTERRUPTED
    return EXIT_CANNOT_RUN
