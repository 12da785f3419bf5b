"""Backups of the SQLite database with SQLite's online backup API: at start-up, every 30 minutes of use, and
always before a schema migration.  The newest N are kept; restoring copies a backup back over the live file
with the same API (so a half-written restore never replaces a good file)."""
from __future__ import annotations

import datetime as dt
import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path

KEEP = 10


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    made_at: dt.datetime
    reason: str
    size: int


def backup_dir(db_path: Path) -> Path:
    d = db_path.parent / "backups"
    d.mkdir(parents=True, exist_ok=True)
    return d


def make_backup(db_path: Path, reason: str = "auto", keep: int = KEEP) -> Path | None:
    """Copy the live database (consistent even while others write); None when there is nothing to back up."""
    if not db_path.exists() or db_path.stat().st_size == 0:
        return None
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    out = backup_dir(db_path) / f"{db_path.stem}-{stamp}-{reason}.sqlite3"
    tmp = out.with_suffix(".part")
    src = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    try:
        dst = sqlite3.connect(tmp)
        try:
            src.backup(dst)
            dst.execute("PRAGMA journal_mode=DELETE")  # the backup is one self-contained file
        finally:
            dst.close()
    finally:
        src.close()
    with open(tmp, "rb+") as fh:
        os.fsync(fh.fileno())
    tmp.replace(out)
    prune(db_path, keep)
    return out


STALE_PART_SECONDS = 3600.0


def remove_stale_parts(db_path: Path, older_than: float = STALE_PART_SECONDS) -> int:
    """Delete the `.part` files of backups killed while being written (each a full copy of the database, ID
    numbers included); a recent one may still be in progress in another window and is left alone."""
    import time

    n = 0
    for p in backup_dir(db_path).glob(f"{db_path.stem}-*.part"):
        try:
            if time.time() - p.stat().st_mtime > older_than:
                p.unlink()
                n += 1
        except OSError:
            continue
    return n


def list_backups(db_path: Path) -> list[BackupInfo]:
    out = []
    for p in backup_dir(db_path).glob(f"{db_path.stem}-*.sqlite3"):
        parts = p.stem[len(db_path.stem) + 1:].split("-")
        try:
            made = dt.datetime.strptime("-".join(parts[:3]), "%Y%m%d-%H%M%S-%f")
        except ValueError:
            continue
        out.append(BackupInfo(p, made, "-".join(parts[3:]) or "auto", p.stat().st_size))
    return sorted(out, key=lambda b: b.made_at, reverse=True)


def prune(db_path: Path, keep: int = KEEP) -> None:
    for b in list_backups(db_path)[keep:]:
        b.path.unlink(missing_ok=True)
    remove_stale_parts(db_path)


def restore_backup(backup: Path, db_path: Path) -> Path | None:
    """Replace the live database by a backup; the current state is itself backed up first ("before-restore").
    Every connection to db_path must be closed (the app disposes its engine first)."""
    check = sqlite3.connect(f"file:{backup}?mode=ro", uri=True)
    try:
        if check.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
            raise ValueError(f"备份文件已损坏：{backup.name}")
    finally:
        check.close()
    safety = make_backup(db_path, "before-restore", keep=KEEP + 1)
    src = sqlite3.connect(f"file:{backup}?mode=ro", uri=True)
    try:
        dst = sqlite3.connect(db_path)
        try:
            src.backup(dst)
        finally:
            dst.close()
    finally:
        src.close()
    return safety


def purge_backups(db_path: Path) -> int:
    """Delete every backup (used after purging personal data, which the older backups still hold)."""
    n = 0
    for b in list_backups(db_path):
        b.path.unlink(missing_ok=True)
        n += 1
    return n
