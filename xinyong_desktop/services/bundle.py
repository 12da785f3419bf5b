"""Class bundles: one file that carries a class's cases, decisions and materials between laptops.

Format: a zip with `bundle.json` (class, enterprises, records, cases with their readings, findings and
decisions; each packet file by relative path and SHA-256) and `files/<sha256>` (content-addressed, so a
file shared by several cases travels once).

Import treats the bundle as hostile: only those two kinds of entry are accepted (no path from the bundle
ever becomes a path on disk unchecked), entry count and sizes are capped, every file's hash is verified
while it is read, and everything — files into a staging folder, rows in one transaction — either lands
completely or not at all.  Cases already present (same record, or same packet by hashes) are not
duplicated; their decisions are merged.
"""
from __future__ import annotations

import datetime as dt
from contextlib import nullcontext
import hashlib
import json
import os
import re
import shutil
import uuid
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from sqlalchemy import select
from sqlalchemy.orm import Session

from xinyong_desktop import __version__
from xinyong_desktop.errors import InputError
from xinyong_desktop.export.names import safe_name
from xinyong_desktop.hashing import file_sha256
from xinyong_desktop.store.models import (
    Case, Decision, Enterprise, FieldRow, FindingRow, MaterialRow, PenaltyRecord, TrainingClass,
)
from xinyong_desktop.store.repo import audit

FORMAT = 1
MAX_ENTRIES = 20_000
MAX_FILE_BYTES = 512 * 1024 * 1024
MAX_TOTAL_BYTES = 4 * 1024 * 1024 * 1024
MAX_RATIO = 100  # uncompressed / compressed, per entry (a bomb compresses far better)
MAX_JSON_BYTES = 64 * 1024 * 1024
HASH_NAME = re.compile(r"files/[0-9a-f]{64}")


class BundleError(InputError):
    """The bundle cannot be imported; the message is Chinese.  Nothing was changed."""


# ---------------------------------------------------------------- export
def _date(d) -> str | None:
    return d.isoformat() if d else None


def export_bundle(s: Session, class_id: int, out: Path, instructor: str) -> Path:
    tc = s.get(TrainingClass, class_id)
    cases = list(s.scalars(select(Case).where(Case.class_id == class_id).order_by(Case.id)))
    files: dict[str, Path] = {}
    doc_cases = []
    for c in cases:
        packet = []
        root = Path(c.packet_dir) if c.packet_dir else None
        if root is not None and root.is_dir():
            for p in sorted(root.rglob("*")):
                if p.is_file() and not p.is_symlink():
                    sha = file_sha256(p)
                    files.setdefault(sha, p)
                    packet.append({"path": p.relative_to(root).as_posix(), "sha256": sha, "size": p.stat().st_size})
        rec = s.get(PenaltyRecord, c.record_id) if c.record_id else None
        ent = s.get(Enterprise, c.enterprise_id) if c.enterprise_id else None
        doc_cases.append({
            "enterprise": {"name": ent.name, "uscc": ent.uscc, "legal_representative": ent.legal_representative,
                           "contact_phone": ent.contact_phone} if ent else None,
            "record": {"decision_number": rec.decision_number, "authority": rec.authority,
                       "decision_date": _date(rec.decision_date), "severity": rec.severity, "platform": rec.platform,
                       "source": rec.source} if rec else None,
            "record_severity": c.record_severity, "applicant": c.applicant, "status": c.status,
            "checked_at": _date(c.checked_at), "as_of": _date(c.as_of), "eligible_from": _date(c.eligible_from),
            "first_ready": c.first_ready, "first_codes": c.first_codes,
            "submitted_on": _date(c.submitted_on), "query_code": c.query_code, "portal_outcome": c.portal_outcome,
            "portal_reason": c.portal_reason,
            "packet_name": Path(c.packet_dir).name if c.packet_dir else "",
            "packet": packet,
            "materials": [{"path": m.path, "sha256": m.sha256, "kind": m.kind, "pages": m.pages,
                           "text_source": m.text_source,
                           "fields": [{"field": f.field, "value": f.value, "page": f.page, "bbox": f.bbox,
                                       "confidence": f.confidence} for f in m.fields]} for m in c.materials],
            "findings": [{"code": f.code, "severity": f.severity, "kind": f.kind, "field": f.field, "path": f.path,
                          "page": f.page, "message": f.message} for f in c.findings],
            "decisions": [{"action": d.action, "target": d.target, "value": d.value, "reason": d.reason,
                           "instructor": d.instructor, "made_at": _date(d.made_at), "undone_at": _date(d.undone_at)}
                          for d in s.scalars(select(Decision).where(Decision.case_id == c.id).order_by(Decision.id))],
        })
    doc = {"format": FORMAT, "app_version": __version__, "created_at": dt.datetime.now().isoformat(timespec="seconds"),
           "instructor": instructor,
           "class": {"name": tc.name, "held_on": _date(tc.held_on), "place": tc.place, "instructors": tc.instructors},
           "cases": doc_cases}
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(out.name + ".part")
    with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("bundle.json", json.dumps(doc, ensure_ascii=False, indent=1))
        for sha, p in files.items():
            z.write(p, f"files/{sha}")
    with open(tmp, "rb+") as fh:
        os.fsync(fh.fileno())
    tmp.replace(out)
    audit(s, instructor, "export_bundle", str(out))
    return out


# ---------------------------------------------------------------- import
@dataclass
class ImportResult:
    class_id: int = 0
    cases_added: int = 0
    cases_merged: int = 0
    decisions_added: int = 0
    files: int = 0
    notes: list[str] = field(default_factory=list)


def _safe_rel(path: str) -> PurePosixPath:
    """A relative path from the bundle, made safe: no absolute paths, drives, '..' or odd characters."""
    p = PurePosixPath(str(path).replace("\\", "/"))
    parts = [x for x in p.parts if x not in ("", ".")]
    if not parts or p.is_absolute() or any(x == ".." or ":" in x for x in parts):
        raise BundleError(f"材料包中的文件路径不安全：{path!r}")
    return PurePosixPath(*[safe_name(x) for x in parts])


def _check_entries(z: zipfile.ZipFile) -> dict[str, zipfile.ZipInfo]:
    infos = z.infolist()
    if len(infos) > MAX_ENTRIES:
        raise BundleError(f"文件条目过多（{len(infos)}），已拒绝")
    total = 0
    out = {}
    for i in infos:
        if i.filename != "bundle.json" and not HASH_NAME.fullmatch(i.filename):
            raise BundleError(f"包含不允许的条目：{i.filename!r}（可能是恶意文件）")
        if i.filename in out:
            raise BundleError(f"条目重复：{i.filename}")
        if i.file_size > MAX_FILE_BYTES or i.file_size > max(i.compress_size, 1) * MAX_RATIO:
            raise BundleError(f"条目 {i.filename} 解压后异常巨大，已拒绝（可能是压缩炸弹）")
        total += i.file_size
        out[i.filename] = i
    if total > MAX_TOTAL_BYTES:
        raise BundleError("解压后总大小超过限制，已拒绝")
    if "bundle.json" not in out:
        raise BundleError("不是培训班数据包（缺少 bundle.json）")
    return out


def _read_capped(z: zipfile.ZipFile, info: zipfile.ZipInfo, dest: Path | None, cap: int) -> tuple[str, bytes | None]:
    """Stream one entry (to dest or memory), never more than cap bytes, hashing as it goes."""
    h = hashlib.sha256()
    n = 0
    chunks = [] if dest is None else None
    with z.open(info) as src, (open(dest, "wb") if dest is not None else nullcontext()) as dst:
        while True:
            block = src.read(1 << 20)
            if not block:
                break
            n += len(block)
            if n > cap or n > info.file_size:
                raise BundleError(f"条目 {info.filename} 的实际大小与声明不符，已拒绝")
            h.update(block)
            if chunks is not None:
                chunks.append(block)
            else:
                dst.write(block)
        if dest is not None:
            dst.flush()
            os.fsync(dst.fileno())
    return h.hexdigest(), (b"".join(chunks) if chunks is not None else None)


def _d(v) -> dt.date | None:
    return dt.date.fromisoformat(v) if v else None


def _dt(v) -> dt.datetime | None:
    return dt.datetime.fromisoformat(v) if v else None


def import_bundle(s: Session, bundle: Path, packets_root: Path, instructor: str,
                  into_class: int | None = None) -> ImportResult:
    """Import into a new class (or into_class).  The caller's transaction is rolled back on any error and the
    extracted files removed, so a failed import changes nothing."""
    staging = packets_root / f".import-{uuid.uuid4().hex[:8]}（未完成）"
    moved: list[tuple[Path, Path]] = []
    try:
        return _import(s, bundle, packets_root, staging, moved, instructor, into_class)
    except BundleError:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, KeyError, ValueError, TypeError, OSError,
            json.JSONDecodeError) as e:
        raise BundleError(f"数据包已损坏或不完整，无法导入（{type(e).__name__}）") from None
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _import(s: Session, bundle: Path, root: Path, staging: Path, moved: list, instructor: str,
            into_class: int | None) -> ImportResult:
    out = ImportResult()
    with zipfile.ZipFile(bundle) as z:
        entries = _check_entries(z)
        _, raw = _read_capped(z, entries["bundle.json"], None, MAX_JSON_BYTES)
        doc = json.loads(raw.decode("utf-8"))
        if not isinstance(doc, dict) or doc.get("format") != FORMAT or not isinstance(doc.get("cases"), list):
            raise BundleError("数据包格式不受支持（可能来自更新版本的审核台）")
        staging.mkdir(parents=True)
        blobs: dict[str, Path] = {}
        for name, info in entries.items():
            if name == "bundle.json":
                continue
            sha = name.split("/", 1)[1]
            dest = staging / sha
            got, _ = _read_capped(z, info, dest, MAX_FILE_BYTES)
            if got != sha:
                raise BundleError(f"文件 {sha[:12]}… 的校验值不符，数据包已损坏")
            blobs[sha] = dest
    cls_doc = doc.get("class") or {}
    if into_class is None:
        tc = TrainingClass(name=str(cls_doc.get("name") or "导入的培训班")[:200], held_on=_d(cls_doc.get("held_on")),
                           place=str(cls_doc.get("place") or "")[:200],
                           instructors=str(cls_doc.get("instructors") or "")[:200])
        s.add(tc)
        s.flush()
        into_class = tc.id
    out.class_id = into_class
    existing = list(s.scalars(select(Case).where(Case.class_id == into_class)))
    by_record = {c.record_id: c for c in existing if c.record_id}
    by_packet = {}
    for c in existing:
        if c.packet_dir and Path(c.packet_dir).is_dir():
            by_packet[frozenset(file_sha256(p) for p in Path(c.packet_dir).rglob("*") if p.is_file())] = c
    for cd in doc["cases"]:
        if not isinstance(cd, dict):
            raise BundleError("数据包中的案件数据有误")
        ent = rec = None
        if cd.get("enterprise"):
            e = cd["enterprise"]
            ent = s.scalar(select(Enterprise).where(Enterprise.uscc == str(e["uscc"])[:18]))
            if ent is None:
                ent = Enterprise(name=str(e["name"])[:200], uscc=str(e["uscc"])[:18],
                                 legal_representative=str(e.get("legal_representative") or "")[:50],
                                 contact_phone=str(e.get("contact_phone") or "")[:30])
                s.add(ent)
                s.flush()
        if cd.get("record") and ent is not None:
            r = cd["record"]
            rec = s.scalar(select(PenaltyRecord).where(PenaltyRecord.enterprise_id == ent.id,
                                                       PenaltyRecord.decision_number == str(r["decision_number"])))
            if rec is None:
                rec = PenaltyRecord(enterprise_id=ent.id, decision_number=str(r["decision_number"])[:80],
                                    authority=str(r.get("authority") or "")[:120], decision_date=_d(r.get("decision_date")),
                                    severity=str(r.get("severity") or "general"), platform=str(r.get("platform") or "creditchina"),
                                    source=str(r.get("source") or ""))
                s.add(rec)
                s.flush()
        packet = cd.get("packet") or []
        hashes = frozenset(str(f["sha256"]) for f in packet)
        for f in packet:
            if f["sha256"] not in blobs:
                raise BundleError(f"数据包缺少文件 {f.get('path')!r}")
        case = (by_record.get(rec.id) if rec is not None else None) or (by_packet.get(hashes) if hashes else None)
        if case is not None:
            out.cases_merged += 1
        else:
            case = Case(class_id=into_class, enterprise_id=ent.id if ent else None, record_id=rec.id if rec else None,
                        record_severity=str(cd.get("record_severity") or "general"),
                        applicant=str(cd.get("applicant") or "legal_representative"),
                        status=str(cd.get("status") or "未开始"), checked_at=_dt(cd.get("checked_at")),
                        as_of=_d(cd.get("as_of")), eligible_from=_d(cd.get("eligible_from")),
                        first_ready=cd.get("first_ready"), first_codes=cd.get("first_codes"),
                        submitted_on=_d(cd.get("submitted_on")), query_code=str(cd.get("query_code") or ""),
                        portal_outcome=str(cd.get("portal_outcome") or ""),
                        portal_reason=str(cd.get("portal_reason") or ""))
            s.add(case)
            s.flush()
            if packet:
                folder = root / safe_name(f"{case.id:04d}_{cd.get('packet_name') or 'packet'}")
                for f in packet:
                    rel = _safe_rel(f["path"])
                    dest = staging / "packets" / folder.name / Path(*rel.parts)
                    dest.parent.mkdir(parents=True, exist_ok=True)
                    shutil.copyfile(blobs[f["sha256"]], dest)
                    out.files += 1
                moved.append((staging / "packets" / folder.name, folder))
                case.packet_dir = str(folder)
            for m in cd.get("materials") or []:
                row = MaterialRow(path=str(_safe_rel(m["path"])), sha256=str(m.get("sha256") or ""), kind=str(m["kind"]),
                                  pages=[int(x) for x in m.get("pages") or []], text_source=str(m.get("text_source") or "none"))
                for fv in m.get("fields") or []:
                    row.fields.append(FieldRow(field=str(fv["field"]), value=str(fv["value"]), page=int(fv["page"]),
                                               bbox=[float(x) for x in fv["bbox"]] if fv.get("bbox") else None,
                                               confidence=float(fv["confidence"])))
                case.materials.append(row)
            for f in cd.get("findings") or []:
                case.findings.append(FindingRow(code=str(f["code"]), severity=str(f["severity"]), kind=f.get("kind"),
                                                field=f.get("field"), path=f.get("path"), page=f.get("page"),
                                                message=str(f["message"])))
            out.cases_added += 1
            if rec is not None:
                by_record[rec.id] = case
        have = {(d.action, d.target, d.value, d.instructor, d.made_at)
                for d in s.scalars(select(Decision).where(Decision.case_id == case.id))}
        for d in cd.get("decisions") or []:
            key = (str(d["action"]), str(d["target"]), d.get("value"), str(d["instructor"]), _dt(d.get("made_at")))
            if key in have:
                continue
            s.add(Decision(case_id=case.id, action=key[0], target=key[1], value=key[2], reason=str(d.get("reason") or ""),
                           instructor=key[3], made_at=key[4], undone_at=_dt(d.get("undone_at"))))
            have.add(key)
            out.decisions_added += 1
    s.flush()
    # the rows are in the caller's open transaction; files go into place last, and are removed again if the
    # caller's commit fails (see import_bundle_file)
    for src, dest in moved:
        if dest.exists():
            raise BundleError(f"目标文件夹已存在：{dest}")
    root.mkdir(parents=True, exist_ok=True)
    for src, dest in moved:
        src.replace(dest)
    out.notes = [str(dest) for _, dest in moved]
    audit(s, instructor, "import_bundle", f"{bundle.name}：新增 {out.cases_added}，合并 {out.cases_merged}，"
                                           f"决定 {out.decisions_added}")
    return out


def import_bundle_file(sessionmaker_, bundle: Path, packets_root: Path, instructor: str,
                       into_class: int | None = None) -> ImportResult:
    """One transaction: commit, or roll back and remove the packet folders that were put in place."""
    s = sessionmaker_()
    result = None
    try:
        with s.begin():
            result = import_bundle(s, bundle, packets_root, instructor, into_class)
        return result
    except BaseException:
        if result is not None:
            for folder in result.notes:
                shutil.rmtree(folder, ignore_errors=True)
        raise
    finally:
        s.close()
