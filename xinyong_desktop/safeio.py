"""Reading small untrusted files safely: a regular file, not through a link, never more than a cap.

A packet folder comes from a stick or a zip tool: its `case.json` may be a FIFO (an open would wait forever),
a link to `/dev/zero` (a read would never end) or to a file outside the packet (`/etc/passwd`).
"""
from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


class UnsafeFileError(OSError):
    """The file is not something to read (a link, a device, a FIFO, a folder, too large); message in Chinese."""


def read_small_regular_file(path: Path | str, cap: int) -> bytes:
    """The bytes of path, which must be a regular file (not a link to one) of at most cap bytes.

    FileNotFoundError when nothing is there; UnsafeFileError (Chinese message) for a link, a special file,
    a folder or a file over the cap; other OSErrors (permissions) pass through.
    """
    path = Path(path)
    st = os.lstat(path)  # FileNotFoundError when absent
    if stat.S_ISLNK(st.st_mode) or getattr(st, "st_reparse_tag", False):
        raise UnsafeFileError(f"“{path.name}”是一个链接（快捷方式），出于安全考虑未读取；请放入文件本身")
    if stat.S_ISDIR(st.st_mode):
        raise UnsafeFileError(f"“{path.name}”是一个文件夹，不是文件")
    if not stat.S_ISREG(st.st_mode):
        raise UnsafeFileError(f"“{path.name}”不是普通文件（设备或管道），未读取")
    # O_NOFOLLOW: the name cannot be swapped for a link between the check and the open; O_NONBLOCK: a FIFO put
    # there meanwhile does not block the open (fstat then refuses it)
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags)
    except OSError as e:
        if e.errno in (getattr(os, "ELOOP", -1), getattr(os, "EMLINK", -1)):
            raise UnsafeFileError(f"“{path.name}”是一个链接（快捷方式），出于安全考虑未读取；请放入文件本身") from None
        raise
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise UnsafeFileError(f"“{path.name}”不是普通文件（设备或管道），未读取")
        if st.st_size > cap:
            raise UnsafeFileError(f"“{path.name}”大小为 {st.st_size:,} 字节，超过 {cap:,} 字节的上限，未读取")
        chunks, n = [], 0
        while n <= cap:
            block = os.read(fd, min(1 << 16, cap + 1 - n))
            if not block:
                break
            chunks.append(block)
            n += len(block)
        if n > cap:  # grew while being read
            raise UnsafeFileError(f"“{path.name}”超过 {cap:,} 字节的上限，未读取")
        return b"".join(chunks)
    finally:
        os.close(fd)


def readable_name(name: str) -> str:
    """A file name as valid Unicode.  On Linux a name that is not valid UTF-8 reaches Python with lone
    surrogates (os.fsdecode's surrogateescape), which cannot be printed as UTF-8, stored or written to a FAT
    stick.  Chinese zip tools write GBK names: decode those bytes as GB18030 when that gives back exactly the
    same bytes; otherwise show each stray byte as \\xNN."""
    if not any("\udc80" <= c <= "\udcff" for c in name):
        return name
    raw = name.encode("utf-8", "surrogateescape")
    try:
        text = raw.decode("gb18030")
        if text.encode("gb18030") == raw and text.isprintable():
            return text
    except UnicodeDecodeError:
        pass
    return raw.decode("utf-8", "backslashreplace")


def readable_rel(rel: str) -> str:
    """readable_name of each part of a '/'-separated relative path."""
    return "/".join(readable_name(p) for p in rel.split("/"))


def locate(path: Path) -> Path:
    """The file on disk that a shown name stands for: path itself when it exists, else the entry of each
    folder whose readable name matches (a GBK name was shown decoded)."""
    if os.path.lexists(path):
        return path
    cur = Path(path.anchor) if path.anchor else Path(".")
    for part in path.parts[len(Path(path.anchor).parts) if path.anchor else 0:]:
        nxt = cur / part
        if not os.path.lexists(nxt):
            try:
                nxt = next((cur / n for n in os.listdir(cur) if readable_name(n) == part), nxt)
            except OSError:
                return path
        cur = nxt
    return cur


PART = ".part"


@contextmanager
def atomic_output(path: Path) -> Iterator[Path]:
    """Write a result file under a temporary name beside it (`name.part`); only once the writer has finished,
    the bytes are flushed to the device and the name is given: a full disk, a pulled stick or a kill never
    leaves a 0-byte or truncated file under the final name.  Yields the temporary path to write to; on any
    error the temporary file is removed and the error passes on."""
    path = Path(path)
    tmp = path.with_name(path.name + PART)
    try:
        yield tmp
        with open(tmp, "rb+") as fh:
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            tmp.unlink()
        except OSError:
            pass
        raise
    if os.name != "nt":  # the new name itself is durable
        try:
            fd = os.open(path.parent, os.O_RDONLY)
        except OSError:
            return
        try:
            os.fsync(fd)
        except OSError:
            pass
        finally:
            os.close(fd)
