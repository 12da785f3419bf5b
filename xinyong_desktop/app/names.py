"""Default names of the files the desk writes: never one that is already there."""
from __future__ import annotations

from pathlib import Path


def unused_name(folder: Path, name: str) -> str:
    """name, or name（2）, name（3）… — the first that does not exist in folder."""
    stem, suffix = Path(name).stem, Path(name).suffix
    candidate, n = name, 1
    while (folder / candidate).exists():
        n += 1
        candidate = f"{stem}（{n}）{suffix}"
    return candidate
