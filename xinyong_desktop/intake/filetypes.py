"""Know a file's type from its first bytes, never from its name."""
from __future__ import annotations

from enum import StrEnum
from pathlib import Path


class FileType(StrEnum):
    PDF = "pdf"
    JPEG = "jpeg"
    PNG = "png"
    TIFF = "tiff"
    BMP = "bmp"
    WEBP = "webp"
    EMPTY = "empty"
    UNKNOWN = "unknown"


IMAGE_TYPES = {FileType.JPEG, FileType.PNG, FileType.TIFF, FileType.BMP, FileType.WEBP}

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
    return FileType.UNKNOWN


def sniff_file(path: Path) -> FileType:
    with open(path, "rb") as fh:
        return sniff(fh.read(1024))


def discover(packet_dir: Path) -> list[Path]:
    """Every candidate file under packet_dir, recursively, in a stable order; hidden files skipped."""
    out = []
    for p in sorted(packet_dir.rglob("*")):
        rel = p.relative_to(packet_dir)
        if any(part.startswith(".") or part.startswith("~$") for part in rel.parts):
            continue
        if p.is_symlink() or not p.is_file():
            continue
        if p.name.lower() in IGNORED_NAMES:
            continue
        out.append(p)
    return out
