"""Export packets so that a folder is either complete and verified or visibly incomplete — never silently short.

Each enterprise is written into "<name>（未完成）", every file flushed to disk, the manifest written,
every file read back and hashed, and only then is the folder renamed to its final name.
"""
from __future__ import annotations

import datetime as dt
import errno
import hashlib
import json
import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from xinyong_desktop import __version__
from xinyong_desktop.domain.model import Kind
from xinyong_desktop.errors import OutputError, os_reason
from xinyong_desktop.export.names import INCOMPLETE, folder_names, safe_name, unique
from xinyong_desktop.hashing import file_sha256
from xinyong_desktop.safeio import locate

MANIFEST = "manifest.json"

SUBMISSION_ORDER = [Kind.APPLICATION_FORM, Kind.COMMITMENT_LETTER, Kind.PAYMENT_PROOF, Kind.RECTIFICATION_REPORT,
                    Kind.LEGAL_REP_CERTIFICATE, Kind.AUTHORIZATION_LETTER, Kind.LEGAL_REP_ID, Kind.AGENT_ID,
                    Kind.BUSINESS_LICENSE, Kind.PENALTY_DECISION, Kind.OTHER]


class ExportError(OutputError):
    """The export cannot be done (no space, destination unusable); the message is Chinese."""


@dataclass
class ExportItem:
    name: str  # the enterprise's name (folder name)
    packet_dir: Path
    materials: list  # core Materials of the check (path, kind, pages)
    generated: list[Path] = field(default_factory=list)  # forms and review record
    ready: bool = True


@dataclass
class VerifyReport:
    folder: Path
    missing: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    extra: list[str] = field(default_factory=list)
    incomplete: bool = False

    @property
    def ok(self) -> bool:
        return not (self.missing or self.changed or self.extra or self.incomplete)


def _copy_synced(src: Path, dst: Path) -> str:
    """Copy, hashing the bytes on their way (one pass over the source), fsync; returns the SHA-256.
    The page cache of the copy is dropped where the OS allows, so the read-back verify reads the device."""
    h = hashlib.sha256()
    with open(src, "rb") as fi, open(dst, "wb") as fo:
        buf = bytearray(1 << 20)
        view = memoryview(buf)
        while n := fi.readinto(buf):
            h.update(view[:n])
            fo.write(view[:n])
        fo.flush()
        os.fsync(fo.fileno())
        if hasattr(os, "posix_fadvise"):
            os.posix_fadvise(fo.fileno(), 0, 0, os.POSIX_FADV_DONTNEED)
    return h.hexdigest()


def _fsync_dir(path: Path) -> None:
    if os.name == "nt":
        return  # directories cannot be opened for fsync on Windows; file fsyncs suffice there
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def plan(item: ExportItem, kind_names: dict[Kind, str]) -> list[tuple[Path, str]]:
    """(source, name in the export) in submission order: review record and forms first, then originals."""
    taken: set[str] = {MANIFEST.casefold()}
    out = []
    for src in item.generated:  # the review record keeps its 00_; pre-filled blanks are marked as such
        name = src.name if src.name.startswith("00_") else "预填_" + src.name.split("_", 1)[-1]
        out.append((src, unique(safe_name(name), taken)))
    seen: set[str] = set()
    n = 0
    for kind in SUBMISSION_ORDER:
        for m in item.materials:
            src = locate(item.packet_dir / m.path)  # a name shown decoded (GBK on Linux) finds its file
            if m.kind != kind or m.path in seen or not src.is_file():
                continue
            seen.add(m.path)
            n += 1
            orig = Path(m.path).name
            out.append((src, unique(safe_name(f"{n:02d}_{kind_names[kind]}_{orig}"), taken)))
    return out


def export_item(item: ExportItem, dest: Path, instructor: str, kind_names: dict[Kind, str], reason: str = "",
                on_file: Callable[[str], None] | None = None) -> Path:
    files = plan(item, kind_names)
    need = sum(src.stat().st_size for src, _ in files) + (1 << 20)
    free = shutil.disk_usage(dest).free
    if free < need:
        raise ExportError(f"目标盘剩余空间 {free // 1024 // 1024} MB，不足以导出“{item.name}”（约需 {need // 1024 // 1024 + 1} MB）")
    final_name, staging_name, old_name = folder_names(item.name)
    final, staging, old = dest / final_name, dest / staging_name, dest / old_name
    if staging.exists():
        shutil.rmtree(staging)
    staging.mkdir()
    manifest: dict[str, Any] = {"app": "xinyong-desktop", "version": __version__, "instructor": instructor,
                "exported_at": dt.datetime.now().replace(microsecond=0).isoformat(), "enterprise": item.name,
                "ready": item.ready, "forced_reason": reason or None, "files": []}
    try:
        for src, name in files:
            sha = _copy_synced(src, staging / name)
            manifest["files"].append({"name": name, "size": (staging / name).stat().st_size, "sha256": sha})
            if on_file:
                on_file(name)
        mp = staging / MANIFEST
        with open(mp, "w", encoding="utf-8") as fh:
            json.dump(manifest, fh, ensure_ascii=False, indent=1)
            fh.flush()
            os.fsync(fh.fileno())
        _fsync_dir(staging)
    except OSError as e:  # a full or pulled stick: the folder keeps its "incomplete" name
        why = "目标盘已满" if e.errno == errno.ENOSPC else f"写入失败（{os_reason(e)}）"
        raise ExportError(f"导出“{item.name}”时{why}，文件夹保留为“{staging.name}”（未完成，请勿提交）") from e
    report = verify_folder(staging, check_name=False)
    if not report.ok:
        raise ExportError(f"“{item.name}”写入后校验失败（{'、'.join(report.missing + report.changed)}），文件夹保留为“{staging.name}”")
    if final.exists():  # a re-export replaces the earlier one only once the new one is verified
        if old.exists():
            shutil.rmtree(old)
        os.replace(final, old)
    os.replace(staging, final)
    _fsync_dir(dest)
    if old.exists():
        shutil.rmtree(old)
    return final


def verify_folder(folder: Path, check_name: bool = True) -> VerifyReport:
    rep = VerifyReport(folder, incomplete=check_name and folder.name.endswith(INCOMPLETE))
    mp = folder / MANIFEST
    if not mp.is_file():
        rep.incomplete = True
        rep.missing.append(MANIFEST)
        return rep
    try:
        manifest = json.loads(mp.read_text(encoding="utf-8"))
        entries = manifest["files"]
    except (ValueError, KeyError, UnicodeDecodeError):
        rep.incomplete = True
        rep.changed.append(MANIFEST)
        return rep
    listed = set()
    for e in entries:
        p = folder / e["name"]
        listed.add(e["name"])
        if not p.is_file():
            rep.missing.append(e["name"])
        elif p.stat().st_size != e["size"] or file_sha256(p) != e["sha256"]:
            rep.changed.append(e["name"])
    rep.extra = sorted(p.name for p in folder.iterdir() if p.name not in listed and p.name != MANIFEST)
    return rep


def verify(dest: Path) -> list[VerifyReport]:
    """Verify one exported enterprise folder, or every one under a destination — and, where the destination
    has a batch record (BATCH_MANIFEST), that every case a batch was to contain is there."""
    if (dest / MANIFEST).exists() or dest.name.endswith(INCOMPLETE):
        return [verify_folder(dest)]
    return [verify_folder(p) for p in sorted(dest.iterdir()) if p.is_dir()] + verify_batches(dest)


# ---------------------------------------------------------------- the batch record
BATCH_MANIFEST = "导出清单.json"


class BatchRecord:
    """The stick's top-level record of each batch export: written before the first folder, listing every case
    the batch is to contain (pending), then each case's folder as it is verified (exported) or why it was not
    (skipped), and finally `complete`.  A batch killed half-way leaves pending cases, which verify reports as
    missing: a folder per enterprise cannot tell that a whole enterprise never arrived."""

    def __init__(self, dest: Path, sources: list[str], instructor: str):
        self.path = dest / BATCH_MANIFEST
        doc = _read_batches(self.path)
        self.doc: dict[str, Any] = doc if doc is not None else {"app": "xinyong-desktop", "batches": []}
        self.batch: dict[str, Any] = {
            "started_at": dt.datetime.now().replace(microsecond=0).isoformat(), "instructor": instructor,
            "version": __version__, "complete": False,
            "cases": [{"source": src, "state": "pending"} for src in sources]}
        self.doc["batches"].append(self.batch)
        self._save()

    def exported(self, i: int, folder: Path) -> None:
        self.batch["cases"][i].update(state="exported", folder=folder.name)
        self._save()

    def skipped(self, i: int, why: str) -> None:
        self.batch["cases"][i].update(state="skipped", reason=why)
        self._save()

    def finish(self) -> None:
        self.batch["complete"] = True
        self._save()

    def _save(self) -> None:
        from xinyong_desktop.safeio import atomic_output

        try:
            with atomic_output(self.path) as tmp, open(tmp, "w", encoding="utf-8") as fh:
                json.dump(self.doc, fh, ensure_ascii=False, indent=1)
        except OSError as e:
            why = "目标盘已满" if e.errno == errno.ENOSPC else f"写入失败（{os_reason(e)}）"
            raise ExportError(f"导出清单（{BATCH_MANIFEST}）{why}，本批导出未完成") from e


def _read_batches(path: Path) -> dict | None:
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError, UnicodeDecodeError):
        return None
    return doc if isinstance(doc, dict) and isinstance(doc.get("batches"), list) else None


def verify_batches(dest: Path) -> list[VerifyReport]:
    """One failing report per case a recorded batch was to contain that is not on the stick, complete."""
    path = dest / BATCH_MANIFEST
    if not path.exists():
        return []
    doc = _read_batches(path)
    if doc is None:
        return [VerifyReport(path, changed=[BATCH_MANIFEST], incomplete=True)]
    out = []
    for b in doc["batches"]:
        for c in b.get("cases", []) if isinstance(b, dict) else []:
            if not isinstance(c, dict) or c.get("state") == "skipped":
                continue
            folder = str(c.get("folder") or "")
            if c.get("state") == "exported" and folder and (dest / folder / MANIFEST).is_file():
                continue  # the folder itself is verified with the others
            what = f"批次 {b.get('started_at', '?')} 中的“{folder or c.get('source', '?')}”"
            out.append(VerifyReport(dest / (folder or str(c.get("source", "?"))),
                                    missing=[what + ("（导出中断，未写入）" if c.get("state") == "pending" else "")],
                                    incomplete=True))
    return out
