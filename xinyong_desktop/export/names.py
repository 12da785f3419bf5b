"""File names that are safe on FAT32, exFAT and NTFS, and unique ignoring case."""
from __future__ import annotations

import re
import unicodedata

from xinyong_desktop.safeio import readable_name

RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)), *(f"LPT{i}" for i in range(1, 10))}
MAX_COMPONENT = 80  # characters; leaves room under Windows' 260-character paths
INCOMPLETE = "（未完成）"
OLD = "（旧）"


def safe_name(name: str, max_len: int = MAX_COMPONENT) -> str:
    """name as a valid, portable file name of at most max_len characters (a name that was not valid UTF-8
    on disk — GBK from a Chinese zip tool — is decoded first, so it never carries lone surrogates)."""
    name = unicodedata.normalize("NFC", readable_name(name))
    name = re.sub(r'[<>:"/\\|?*\x00-\x1f\x7f]', "_", name)
    name = name.strip().rstrip(". ")
    stem, dot, ext = name.rpartition(".") if "." in name[1:] else (name, "", "")
    if stem.split(".")[0].upper() in RESERVED:
        stem = "_" + stem
    if len(stem) + len(dot) + len(ext) > max_len:
        if len(dot) + len(ext) >= max_len // 2:  # an "extension" that is most of the name is not one
            stem, dot, ext = (stem + dot + ext)[:max_len], "", ""
        else:
            stem = stem[: max_len - len(dot) - len(ext)].rstrip(". ")
    out = f"{stem}{dot}{ext}" or "_"
    return out


def folder_names(name: str, max_len: int = MAX_COMPONENT) -> tuple[str, str, str]:
    """(final, staging, old) folder names of one export: the base is capped so that each suffix fits whole,
    so the three never coincide and the staging name always ends in （未完成）."""
    base = safe_name(name, max_len - max(len(INCOMPLETE), len(OLD))).rstrip(". ") or "_"
    return base, base + INCOMPLETE, base + OLD


def unique(name: str, taken: set[str]) -> str:
    """name, or name (2), name (3)… so that no two differ only by case."""
    base, dot, ext = name.rpartition(".") if "." in name[1:] else (name, "", "")
    cand, n = name, 2
    while cand.casefold() in taken:
        suffix = f" ({n})"
        room = MAX_COMPONENT - len(suffix) - len(dot) - len(ext)
        cand = f"{base[:room]}{suffix}{dot}{ext}"
        n += 1
    taken.add(cand.casefold())
    return cand
