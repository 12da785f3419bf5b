"""Know a file's type from its first bytes, never from its name."""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

from xinyong_desktop.errors import os_reason
from xinyong_desktop.safeio import locate, readable_rel

__all__ = ["FileType", "Survey", "discover", "locate", "rel_name", "sniff", "sniff_file", "survey"]


class FileType(StrEnum):
    PDF = "pdf"
    JPEG = "jpeg"
    PNG = "png"
    TIFF = "tiff"
    BMP = "bmp"
    WEBP = "webp"
    HEIF = "heif"  # HEIC/HEIF: iPhones' default photo format
    EMPTY = "empty"
    UNKNOWN = "unknown"


IMAGE_TYPES = {FileType.JPEG, FileType.PNG, FileType.TIFF, FileType.BMP, FileType.WEBP, FileType.HEIF}
HEIF_BRANDS = {b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"hevm", b"hevs", b"mif1", b"msf1"}

# files that are the packet's own metadata or system litter, not materials
IGNORED_NAMES = {"case.json", "thumbs.db", "desktop.ini", ".ds_store", "manifest.json"}


def sniff(head: bytes) -> FileType:
    if not head:
        return FileType.EMPTY
    if b"%PDF-" in head[:1024]:
        return FileType.PDF
    if head.startswith(b"\xff\xd8\xff"):
        return FileType.JPEG
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return FileType.PNG
    if head[:4] in (b"II*\x00", b"MM\x00*"):
        return FileType.TIFF
    if head.startswith(b"BM"):
        return FileType.BMP
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return FileType.WEBP
    if head[4:8] == b"ftyp" and (head[8:12] in HEIF_BRANDS or any(
            head[i:i + 4] in HEIF_BRANDS for i in range(16, min(len(head), int.from_bytes(head[:4], "big")), 4))):
        return FileType.HEIF
    return FileType.UNKNOWN


def sniff_file(path: Path) -> FileType:
    with open(path, "rb") as fh:
        return sniff(fh.read(1024))


@dataclass
class Survey:
    """What a packet folder holds: the candidate files, and what was not read, with the reason (Chinese)."""

    files: list[Path] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (readable relative path, reason)


def _hidden(name: str) -> bool:
    return name.startswith((".", "~$"))


def survey(packet_dir: Path) -> Survey:
    """Every candidate file under packet_dir, recursively, in a stable order.  Hidden files and the packet's
    own metadata are left out silently; links, devices/FIFOs and folders that cannot be opened are reported
    in `skipped` (a link is never followed: it may point out of the packet or at /dev/zero)."""
    out = Survey()

    def walk(folder: Path) -> None:
        try:
            with os.scandir(folder) as it:
                entries = list(it)
        except OSError as err:
            if folder == packet_dir:
                raise
            out.skipped.append((rel_name(packet_dir, folder), f"文件夹无法打开（{_why(err)}），其中的文件未读取"))
            return
        for e in entries:
            p = Path(e.path)
            if _hidden(e.name):
                continue
            try:
                if e.is_symlink() or getattr(e.stat(follow_symlinks=False), "st_reparse_tag", False):
                    out.skipped.append((rel_name(packet_dir, p), "是链接（快捷方式），出于安全考虑未读取"))
                elif e.is_dir(follow_symlinks=False):
                    walk(p)
                elif e.is_file(follow_symlinks=False):
                    if e.name.lower() not in IGNORED_NAMES:
                        out.files.append(p)
                else:
                    out.skipped.append((rel_name(packet_dir, p), "不是普通文件（设备、管道或套接字），未读取"))
            except OSError as err:
                out.skipped.append((rel_name(packet_dir, p), f"无法读取（{_why(err)}）"))

    walk(packet_dir)
    out.files.sort()
    out.skipped.sort()
    return out


def _why(e: OSError) -> str:
    if isinstance(e, PermissionError):
        return "没有读取权限"
    return os_reason(e)


def discover(packet_dir: Path) -> list[Path]:
    """The candidate files of survey(packet_dir)."""
    return survey(packet_dir).files


def rel_name(packet_dir: Path, path: Path) -> str:
    """path relative to packet_dir as shown, reported and stored: always valid Unicode (see readable_name)."""
    return readable_rel(path.relative_to(packet_dir).as_posix())
