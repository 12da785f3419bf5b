"""File names that are safe on FAT32, exFAT and NTFS, and unique ignoring case."""
from __future__ import annotations

import re
import unicodedata

RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)), *(f"LPT{i}" for i in range(1, 10))}
MAX_COMPONENT = 80  # characters; leaves room under Windows' 260-character paths


def safe_name(name: str, max_len: int = MAX_COMPONENT) -> str:
    name = unicodedata.normalize("NFC", name)
    name = re.sub(r'[<>:"/\\|?*\x00-\x1f]', "_", name)
    name = name.strip().rstrip(". ")
    stem, dot, ext = name.rpartition(".") if "." in name[1:] else (name, "", "")
    if stem.split(".")[0].upper() in RESERVED:
        stem = "_" + stem
    if len(stem) + len(dot) + len(ext) > max_len:
        stem = stem[: max_len - len(dot) - len(ext)]
    out = f"{stem}{dot}{ext}" or "_"
    return out


def unique(name: str, taken: set[str]) -> str:
    """name, or name (2), name (3)… so that no two differ only by case."""
    base, dot, ext = name.rpartition(".") if "." in name[1:] else (name, "", "")
    cand, n = name, 2
    while cand.casefold() in taken:
        cand = f"{base} ({n}){dot}{ext}"
        n += 1
    taken.add(cand.casefold())
    return cand
