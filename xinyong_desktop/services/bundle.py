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
import hashlib
import json
import logging
import os
import re
import shutil
import uuid
import zipfile
from contextlib import nullcontext
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from sqlalchemy import select
from sqlalchemy.orm import Session

from xinyong_desktop import __version__
from xinyong_desktop.errors import os_reason
from xinyong_desktop.export.names import safe_name
from xinyong_desktop.hashing import file_sha256
from xinyong_desktop.safeio import readable_rel
from xinyong_desktop.services.bundle_doc import BundleError, parse_doc
from xinyong_desktop.services.privacy import neutral_name
from xinyong_desktop.services.progress import Cancelled, Progress
from xinyong_desktop.store.models import (
    Case,
    Decision,
    Enterprise,
    FieldRow,
    FindingRow,
    MaterialRow,
    PenaltyRecord,
    TrainingClass,
)
from xinyong_desktop.store.repo import audit

__all__ = ["BundleError", "ImportResult", "clean_leftovers", "export_bundle", "import_bundle", "import_bundle_file"]

FORMAT = 1
INCOMPLETE = "（未完成）"
MAX_ENTRIES = 20_000
MAX_FILE_BYTES = 512 * 1024 * 1024
MAX_TOTAL_BYTES = 4 * 1024 * 1024 * 1024
MAX_RATIO = 100  # uncompressed / compressed, per entry (a bomb compresses far better)
MAX_JSON_BYTES = 64 * 1024 * 1024
HASH_NAME = re.compile(r"files/[0-9a-f]{64}")


CASE_COLUMNS = ("record_severity", "applicant", "status", "checked_at", "as_of", "eligible_from", "first_ready",
                "first_codes", "submitted_on", "query_code", "portal_outcome", "portal_reason")
log = logging.getLogger("xinyong.bundle")


# ---------------------------------------------------------------- encryption (optional, with a passphrase)
# An encrypted bundle is the whole zip, encrypted: MAGIC, the scrypt parameters and salt, a nonce prefix, then
# chunks of at most CHUNK bytes, each AES-256-GCM with its index and a last-chunk flag in the nonce (a chunk
# cannot be moved, dropped or the file cut short without the tag failing).  What travels in clear: that it is
# an encrypted bundle, the parameters, and its approximate size.
MAGIC = b"XYBUNDLE-AES1\n"
CHUNK = 1 << 20
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**15, 8, 1


def _key(passphrase: str, salt: bytes) -> bytes:
    from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

    return Scrypt(salt=salt, length=32, n=SCRYPT_N, r=SCRYPT_R, p=SCRYPT_P).derive(passphrase.encode("utf-8"))


def _nonce(prefix: bytes, i: int, last: bool) -> bytes:
    return prefix + i.to_bytes(4, "big") + (b"\x01" if last else b"\x00")


def encrypt_file(src: Path, dst: Path, passphrase: str) -> None:
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    salt, prefix = os.urandom(16), os.urandom(7)
    header = MAGIC + b"%d,%d,%d\n" % (SCRYPT_N, SCRYPT_R, SCRYPT_P) + salt + prefix
    aead = AESGCM(_key(passphrase, salt))
    size = src.stat().st_size
    with open(src, "rb") as fi, open(dst, "wb") as fo:
        fo.write(header)
        i = 0
        while True:
            block = fi.read(CHUNK)
            last = fi.tell() >= size
            sealed = aead.encrypt(_nonce(prefix, i, last), block, header)
            fo.write(len(sealed).to_bytes(4, "big") + sealed)
            i += 1
            if last:
                break
        fo.flush()
        os.fsync(fo.fileno())


def is_encrypted(bundle: Path) -> bool:
    with open(bundle, "rb") as fh:
        return fh.read(len(MAGIC)) == MAGIC


def decrypt_file(src: Path, dst: Path, passphrase: str, cap: int, progress: Progress | None = None) -> None:
    """Decrypt into dst (at most cap bytes); a wrong passphrase or any change to the file is a BundleError.
    With `progress`, cancelling stops it between chunks (Cancelled)."""
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    with open(src, "rb") as fi, open(dst, "wb") as fo:
        if fi.read(len(MAGIC)) != MAGIC:
            raise BundleError("不是加密的培训班数据包")
        params = fi.readline(40)
        try:
            n, r, p = (int(x) for x in params.strip().split(b","))
        except ValueError:
            raise BundleError("加密数据包的文件头已损坏") from None
        if (n, r, p) != (SCRYPT_N, SCRYPT_R, SCRYPT_P):  # parameters are not taken from the file: no KDF bomb
            raise BundleError("加密数据包的参数不受支持（可能来自更新版本的审核台）")
        salt, prefix = fi.read(16), fi.read(7)
        header = MAGIC + params + salt + prefix
        aead = AESGCM(_key(passphrase, salt))
        i, total, last = 0, 0, False
        while not last:
            raw = fi.read(4)
            if len(raw) < 4:
                raise BundleError("加密数据包不完整（文件被截断），无法导入")
            length = int.from_bytes(raw, "big")
            if length > CHUNK + 16:
                raise BundleError("加密数据包已损坏，无法导入")
            sealed = fi.read(length)
            for flag in (False, True):
                try:
                    block = aead.decrypt(_nonce(prefix, i, flag), sealed, header)
                except InvalidTag:
                    continue
                last = flag
                break
            else:
                raise BundleError("口令不正确，或数据包已被改动/损坏，无法导入")
            total += len(block)
            if total > cap:
                raise BundleError("解压后总大小超过限制，已拒绝")
            fo.write(block)
            i += 1
            _stop_if_cancelled(progress)
        if fi.read(1):
            raise BundleError("加密数据包末尾有多余内容，已拒绝")


# ---------------------------------------------------------------- export
def _date(d) -> str | None:
    return d.isoformat() if d else None


def export_bundle(s: Session, class_id: int, out: Path, instructor: str, passphrase: str | None = None) -> Path:
    """Write the class's bundle to out; with a passphrase the whole file is encrypted (see encrypt_file)."""
    tc = s.get(TrainingClass, class_id)
    if tc is None:
        raise BundleError(f"没有编号为 {class_id} 的培训班，无法导出")
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
                    packet.append({"path": readable_rel(p.relative_to(root).as_posix()), "sha256": sha,
                                   "size": p.stat().st_size})
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
                           "text_source": m.text_source, "notes": list(m.notes or []),
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
           "class": {"name": tc.name, "held_on": _date(tc.held_on), "place": tc.place, "instructors": tc.instructors,
                     "extra_required": tc.extra_required},  # the office's additional materials (None: default)
           "cases": doc_cases}
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(out.name + ".part")
    with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("bundle.json", json.dumps(doc, ensure_ascii=False, indent=1))
        for sha, p in files.items():
            z.write(p, f"files/{sha}")
    if passphrase:
        sealed = out.with_name(out.name + ".enc.part")
        try:
            encrypt_file(tmp, sealed, passphrase)
        finally:
            tmp.unlink(missing_ok=True)
        tmp = sealed
    with open(tmp, "rb+") as fh:
        os.fsync(fh.fileno())
    tmp.replace(out)
    audit(s, instructor, "export_bundle", f"{out.name}{'（已加密）' if passphrase else ''}")
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
    chunks: list[bytes] | None = [] if dest is None else None
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
                assert dst is not None
                dst.write(block)
        if dst is not None:
            dst.flush()
            os.fsync(dst.fileno())
    return h.hexdigest(), (b"".join(chunks) if chunks is not None else None)


def clean_leftovers(packets_root: Path) -> int:
    """Remove the staging folders of imports that were killed half-way (they hold copies of packets)."""
    n = 0
    if packets_root.is_dir():
        for p in packets_root.iterdir():
            if p.name.startswith(".import-") and p.name.endswith(INCOMPLETE) and p.is_dir() and not p.is_symlink():
                shutil.rmtree(p, ignore_errors=True)
                n += 1
    return n


def _stop_if_cancelled(progress: Progress | None) -> None:
    if progress is not None and progress.cancelled:
        raise Cancelled()


def import_bundle(s: Session, bundle: Path, packets_root: Path, instructor: str,
                  into_class: int | None = None, passphrase: str | None = None,
                  progress: Progress | None = None) -> ImportResult:
    """Import into a new class (or into_class).  The caller's transaction is rolled back on any error and the
    extracted files removed, so a failed import changes nothing.  Every failure is a BundleError.  An
    encrypted bundle needs its passphrase; it is decrypted into the staging folder (removed afterwards).
    `progress` hears each file and case; cancelling it stops the import before anything is put in place
    (Cancelled, nothing changed)."""
    clean_leftovers(packets_root)
    staging = packets_root / f".import-{uuid.uuid4().hex[:8]}{INCOMPLETE}"
    placed: list[Path] = []
    try:
        if is_encrypted(bundle):
            if not passphrase:
                raise BundleError("该数据包已加密，请输入导出时设定的口令")
            staging.mkdir(parents=True)
            plain = staging / "bundle.zip"
            if progress is not None:
                progress.start(0, "正在解密数据包")
            decrypt_file(bundle, plain, passphrase, MAX_TOTAL_BYTES + MAX_JSON_BYTES, progress)
            bundle_name, bundle = bundle.name, plain
            return _import(s, bundle, packets_root, staging, placed, instructor, into_class, bundle_name, progress)
        return _import(s, bundle, packets_root, staging, placed, instructor, into_class, progress=progress)
    except BaseException as e:
        for folder in placed:
            shutil.rmtree(folder, ignore_errors=True)
        if isinstance(e, (BundleError, Cancelled)) or not isinstance(e, Exception):
            raise
        if isinstance(e, RecursionError):
            raise BundleError("数据包内容嵌套过深，无法安全读取，已拒绝") from None
        if isinstance(e, (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, UnicodeDecodeError,
                          json.JSONDecodeError)):
            raise BundleError(f"数据包已损坏或不完整，无法导入（{type(e).__name__}）") from None
        if isinstance(e, OSError):
            raise BundleError(f"读写数据包时出错，未导入（{os_reason(e)}）") from None
        log.error("bundle import failed: %s", type(e).__name__)  # no message: it may quote personal data
        raise BundleError(f"数据包内容有误，无法导入（{type(e).__name__}），数据库未作任何更改") from None
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _import(s: Session, bundle: Path, root: Path, staging: Path, placed: list[Path], instructor: str,
            into_class: int | None, shown_name: str | None = None, progress: Progress | None = None) -> ImportResult:
    out = ImportResult()
    with zipfile.ZipFile(bundle) as z:
        entries = _check_entries(z)
        _, raw = _read_capped(z, entries["bundle.json"], None, MAX_JSON_BYTES)
        assert raw is not None  # read into memory: no destination was given
        doc = parse_doc(json.loads(raw.decode("utf-8")))
        for cd in doc["cases"]:
            for f in cd["packet"]:
                if "files/" + f["sha256"] not in entries:
                    raise BundleError(f"数据包缺少文件 {f['path']!r}")
        staging.mkdir(parents=True, exist_ok=True)
        blobs: dict[str, Path] = {}
        n_files = len(entries) - 1
        if progress is not None:  # each file read and verified, then each case stored
            progress.start(n_files + len(doc["cases"]), f"正在读取数据包中的文件（共 {n_files} 个）")
        for name, info in entries.items():
            if name == "bundle.json":
                continue
            _stop_if_cancelled(progress)
            if progress is not None:
                progress.step(f"正在读取数据包中的文件（共 {n_files} 个）")
            sha = name.split("/", 1)[1]
            dest = staging / sha
            got, _ = _read_capped(z, info, dest, MAX_FILE_BYTES)
            if got != sha:
                raise BundleError(f"文件 {sha[:12]}… 的校验值不符，数据包已损坏")
            blobs[sha] = dest
    if into_class is None:
        tc = TrainingClass(**doc["class"])
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
    moved: list[tuple[Path, Path]] = []
    for i, cd in enumerate(doc["cases"]):
        _stop_if_cancelled(progress)
        if progress is not None:
            progress.step(f"正在导入案件 {i + 1}/{len(doc['cases'])}")
        ent = rec = None
        if cd["enterprise"]:
            e = cd["enterprise"]
            ent = s.scalar(select(Enterprise).where(Enterprise.uscc == e["uscc"]))
            if ent is None:
                ent = Enterprise(**e)
                s.add(ent)
                s.flush()
        if cd["record"] and ent is not None:
            r = cd["record"]
            rec = s.scalar(select(PenaltyRecord).where(PenaltyRecord.enterprise_id == ent.id,
                                                       PenaltyRecord.decision_number == r["decision_number"]))
            if rec is None:
                rec = PenaltyRecord(enterprise_id=ent.id, **r)
                s.add(rec)
                s.flush()
        packet = cd["packet"]
        hashes = frozenset(f["sha256"] for f in packet)
        case = (by_record.get(rec.id) if rec is not None else None) or (by_packet.get(hashes) if hashes else None)
        if case is not None:
            out.cases_merged += 1
        else:
            case = Case(class_id=into_class, enterprise_id=ent.id if ent else None, record_id=rec.id if rec else None,
                        **{k: cd[k] for k in CASE_COLUMNS})
            s.add(case)
            s.flush()
            if packet:
                folder = root / safe_name(f"{case.id:04d}_{neutral_name(cd['packet_name']) or 'packet'}")
                if folder.exists():  # left by an import killed after its move, before its commit: not reused
                    folder = folder.with_name(f"{folder.name}-{uuid.uuid4().hex[:6]}")
                for f in packet:
                    # stored under a neutral name: an ID number in a file name is masked (privacy.neutral_name)
                    dest = staging / "packets" / folder.name / Path(*PurePosixPath(neutral_name(f["path"])).parts)
                    dest.parent.mkdir(parents=True, exist_ok=True)
                    shutil.copyfile(blobs[f["sha256"]], dest)
                    out.files += 1
                moved.append((staging / "packets" / folder.name, folder))
                case.packet_dir = str(folder)
            for m in cd["materials"]:
                row = MaterialRow(path=neutral_name(m["path"]), sha256=m["sha256"], kind=m["kind"], pages=m["pages"],
                                  text_source=m["text_source"], notes=m["notes"])  # validated in bundle_doc
                row.fields.extend(FieldRow(**fv) for fv in m["fields"])
                case.materials.append(row)
            case.findings.extend(FindingRow(**{**f, "path": f["path"] and neutral_name(f["path"])})
                                 for f in cd["findings"])
            out.cases_added += 1
            if rec is not None:
                by_record[rec.id] = case
        have = {(d.action, d.target, d.value, d.instructor, d.made_at)
                for d in s.scalars(select(Decision).where(Decision.case_id == case.id))}
        for d in cd["decisions"]:
            d = {**d, "target": neutral_name(d["target"])}
            key = (d["action"], d["target"], d["value"], d["instructor"], d["made_at"])
            if key in have:
                continue
            s.add(Decision(case_id=case.id, **d))
            have.add(key)
            out.decisions_added += 1
    s.flush()
    _stop_if_cancelled(progress)  # the last moment a cancel changes nothing; past it the import completes
    # the rows are in the caller's open transaction; files go into place last, and are removed again if the
    # caller's commit fails (see import_bundle_file)
    for _src, dest in moved:
        if dest.exists():
            raise BundleError(f"目标文件夹已存在：{dest}")
    root.mkdir(parents=True, exist_ok=True)
    for src, dest in moved:
        src.replace(dest)
        placed.append(dest)
    out.notes = [str(dest) for _, dest in moved]
    audit(s, instructor, "import_bundle", f"{shown_name or bundle.name}：新增 {out.cases_added}，合并 {out.cases_merged}，"
                                           f"决定 {out.decisions_added}")
    s.flush()
    return out


def import_bundle_file(sessionmaker_, bundle: Path, packets_root: Path, instructor: str,
                       into_class: int | None = None, passphrase: str | None = None,
                       progress: Progress | None = None) -> ImportResult:
    """One transaction: commit, or roll back and remove the packet folders that were put in place.  Cancelled
    (through `progress`) rolls back too and is raised as it is."""
    s = sessionmaker_()
    result = None
    try:
        with s.begin():
            result = import_bundle(s, bundle, packets_root, instructor, into_class, passphrase, progress)
        return result
    except BaseException as e:
        if result is not None:
            for folder in result.notes:
                shutil.rmtree(folder, ignore_errors=True)
        if isinstance(e, Exception) and not isinstance(e, (BundleError, Cancelled)):  # the commit itself failed
            log.error("bundle import commit failed: %s", type(e).__name__)
            raise BundleError(f"保存导入的数据时出错（{type(e).__name__}），数据库未作任何更改") from None
        raise
    finally:
        s.close()
