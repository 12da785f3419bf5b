"""Packets into the desk, without Qt: copied into the data folder at intake, and a whole USB stick of several
enterprises' packets read once, split by enterprise and matched to the class roster.

The copy (``copy_packet``): every file the check reads is copied into ``<data>/packets/case-<id>-<hash>`` (the
folder named by the SHA-256 of its content list, so the same packet added again is the same folder), each file
hashed while it is copied and read back to verify it, and registered (``PacketFile``: path, size, SHA-256) with
the case.  The case's ``packet_dir`` is that folder — inside the packets folder that purging a class deletes —
and ``source_dir`` remembers the stick.  A re-check (``check_inputs`` / ``run_check``) reads the copy, verifies
each file against its registered hash first, and reports the files the check skipped on the stick (links,
special files) as it did then: the verdict does not depend on the stick being there.

A stick (``read_stick`` → ``match_stick`` → ``place``; ``intake_stick`` does all three): every file is read
once; files are grouped into packets — a top-level sub-folder is one packet unless its files show two
enterprises, loose files are grouped by the enterprise (USCC, name) their materials show, and a file showing
no enterprise (an ID card, a receipt) goes with its folder or the packet whose representative or agent it
names.  Each packet is checked from what was read (no second parse), and matched to the roster by the USCC and
name of its licence and decision, the decision number choosing the record.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import os
import shutil
import uuid
from dataclasses import dataclass, field, replace
from pathlib import Path, PurePosixPath

from sqlalchemy import select
from sqlalchemy.orm import Session

from xinyong_desktop.checks.engine import CaseFacts
from xinyong_desktop.domain.identifiers import is_valid_uscc
from xinyong_desktop.domain.model import Applicant, FieldId, Kind, Material, RecordSeverity
from xinyong_desktop.domain.text import normalize_name
from xinyong_desktop.errors import InputError
from xinyong_desktop.extract.facts import same
from xinyong_desktop.intake.filetypes import rel_name, survey
from xinyong_desktop.rules.loader import RuleBook
from xinyong_desktop.services.check_packet import (
    CheckResult,
    ReadFile,
    applicant_in_packet,
    check_read,
    read_files,
    verdict_findings,
)
from xinyong_desktop.services.privacy import neutral_name, neutral_result, stored_names
from xinyong_desktop.services.progress import Progress
from xinyong_desktop.store.models import Case, Enterprise, PacketFile, PenaltyRecord

INCOMPLETE = "（未完成）"  # a staging folder's mark, as the bundle import and export use it


class IntakeError(InputError):
    """A packet that cannot be taken in (its copy does not verify, the copy is gone); the message is Chinese."""


# ---------------------------------------------------------------- the copy in the data folder
def _copy_hashed(src: Path, dst: Path) -> tuple[str, int]:
    h = hashlib.sha256()
    n = 0
    with open(src, "rb") as fi, open(dst, "wb") as fo:
        while block := fi.read(1 << 20):
            h.update(block)
            fo.write(block)
            n += len(block)
        fo.flush()
        os.fsync(fo.fileno())
    return h.hexdigest(), n


def _sha(path: Path) -> str:
    from xinyong_desktop.hashing import file_sha256

    return file_sha256(path)


def _rel_path(rel: str) -> Path:
    parts = PurePosixPath(rel).parts
    if not parts or any(p in ("", ".", "..") for p in parts) or PurePosixPath(rel).is_absolute():
        raise IntakeError(f"文件名“{rel}”不能用作材料文件名")
    return Path(*parts)


def copy_packet(s: Session, case: Case, folder: Path, store_root: Path,
                files: list[tuple[str, Path]] | None = None, skipped: list[tuple[str, str]] | None = None) -> Path:
    """Copy the packet's files into the data folder, verified, and make the copy the case's packet.

    files: (name inside the packet, source file); default: every file the check would read in `folder`
    (intake.filetypes.survey), `skipped` then being what it skips.  Returns the case's new packet folder."""
    if files is None:
        found = survey(folder)
        files = [(rel_name(folder, p), p) for p in found.files]
        skipped = found.skipped if skipped is None else skipped
    skipped = skipped or []
    names = stored_names([rel for rel, _ in files])  # an ID number in a file name is stored masked
    store_root.mkdir(parents=True, exist_ok=True)
    staging = store_root / f".import-case{case.id}-{uuid.uuid4().hex[:8]}{INCOMPLETE}"
    staging.mkdir()
    copied: list[tuple[str, str, int]] = []
    try:
        for rel, src in files:
            dst = staging / _rel_path(names[rel])
            dst.parent.mkdir(parents=True, exist_ok=True)
            try:
                sha, size = _copy_hashed(src, dst)
            except OSError as e:
                raise IntakeError(f"复制“{rel}”时出错（{e.strerror or type(e).__name__}），材料未加入") from None
            if _sha(dst) != sha:  # read back: the copy on the disk is the file that was read
                raise IntakeError(f"“{rel}”复制后校验不一致，材料未加入，请重试")
            copied.append((names[rel], sha, size))
        content = hashlib.sha256("".join(f"{r}\0{h}\n" for r, h, _ in sorted(copied)).encode()).hexdigest()
        final = store_root / f"case-{case.id}-{content[:16]}"
        old = Path(case.packet_dir) if case.packet_dir else None
        if final.exists():  # the same packet again: the copy is there already
            shutil.rmtree(staging)
        else:
            os.replace(staging, final)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    for pf in list(s.scalars(select(PacketFile).where(PacketFile.case_id == case.id))):
        s.delete(pf)
    for rel, sha, size in copied:
        s.add(PacketFile(case_id=case.id, path=rel, sha256=sha, size=size, skipped=""))
    for rel, why in skipped:
        s.add(PacketFile(case_id=case.id, path=neutral_name(rel), sha256="", size=0, skipped=why))
    if old is not None:
        drop_copy(old, store_root, keep=final)  # the packet it replaces
    case.source_dir = neutral_name(str(folder))
    case.packet_dir = str(final)
    s.flush()
    return final


def drop_copy(folder: Path, store_root: Path, keep: Path | None = None) -> None:
    """Delete a packet copy the desk made (only ever inside the data folder's packets folder)."""
    if folder != keep and _inside(folder, store_root) and folder.is_dir() and not folder.is_symlink():
        shutil.rmtree(folder, ignore_errors=True)


def _inside(path: Path, root: Path) -> bool:
    try:
        path.resolve().relative_to(root.resolve())
    except (ValueError, OSError):
        return False
    return True


@dataclass
class CheckInputs:
    """What a case's check reads: its packet folder, the files (name, path, SHA-256 or "" when not registered),
    what the check skipped at intake, and the case's stored facts."""

    folder: Path
    files: list[tuple[str, Path, str]]
    skipped: list[tuple[str, str]]
    facts: CaseFacts


def check_inputs(s: Session, case: Case) -> CheckInputs:
    """The case's check inputs from the store: its copied files (a case added before copies existed: the folder
    as it is now).  Raises IntakeError (Chinese) when the packet is not there."""
    from xinyong_desktop.services.desk import case_facts, unknown_values, unknown_values_text

    if not case.packet_dir:
        raise IntakeError("该企业尚未添加材料")
    if unknown_values(case):
        raise IntakeError(unknown_values_text(unknown_values(case)))
    folder = Path(case.packet_dir)
    rows = list(s.scalars(select(PacketFile).where(PacketFile.case_id == case.id).order_by(PacketFile.id)))
    if not folder.is_dir():
        raise IntakeError(f"材料文件夹“{folder}”已不存在，请重新添加该企业的材料")
    if rows:
        files = [(r.path, folder / _rel_path(r.path), r.sha256) for r in rows if not r.skipped]
        skipped = [(r.path, r.skipped) for r in rows if r.skipped]
    else:
        found = survey(folder)
        files = [(rel_name(folder, p), p, "") for p in found.files]
        skipped = found.skipped
    return CheckInputs(folder, files, skipped, case_facts(case))


def run_check(inputs: CheckInputs, as_of: dt.date, rules: RuleBook, pool=None, progress: Progress | None = None,
              on_material=None, ocr: bool = True) -> CheckResult:
    """Check a case from its copy (no database access: runs off the UI thread); every registered file is
    verified against its hash first."""
    for rel, path, sha in inputs.files:
        if sha and (not path.is_file() or _sha(path) != sha):
            raise IntakeError(f"数据文件夹中的材料“{rel}”已缺失或被改动，请重新添加该企业的材料")
    read = read_files(inputs.folder, [p for _, p, _ in inputs.files], rules, ocr, pool, progress, on_material)
    return check_read(read, inputs.skipped, inputs.facts, as_of, rules, ocr)


# ---------------------------------------------------------------- a stick of several enterprises
@dataclass
class StickPacket:
    """One enterprise's packet found on a stick, checked, and (after match_stick) matched to the class."""

    label: str  # where it was found: the sub-folder, or "U盘根目录"
    files: list[tuple[str, Path]]  # (name inside the packet, file on the stick)
    skipped: list[tuple[str, str]]
    result: CheckResult = field(repr=False)
    enterprise_name: str = ""
    uscc: str = ""
    decision_number: str = ""
    applicant: str | None = None  # from the packet (授权委托书 → agent); None: the packet cannot tell
    case_id: int | None = None  # the case it belongs to
    status: str = "unmatched"  # matched | replaces | unmatched | refused | placed
    message: str = ""  # Chinese, for the instructor
    case_file: CaseFacts | None = None  # the packet folder's case.json, when it has a usable one
    extra_given: bool = False  # its case.json names the additional materials (they win over the class's setting)

    @property
    def name(self) -> str:
        return self.enterprise_name or self.label


@dataclass
class StickIntake:
    packets: list[StickPacket] = field(default_factory=list)
    unassigned: list[str] = field(default_factory=list)  # files on the stick belonging to no packet

    def by_status(self, *status: str) -> list[StickPacket]:
        return [p for p in self.packets if p.status in status]


def _identity(materials: list[Material]) -> tuple[str, str, str]:
    """(USCC, name, decision number) from the licence, then the decision, then any material."""
    order = [Kind.BUSINESS_LICENSE, Kind.PENALTY_DECISION]
    ranked = sorted(materials, key=lambda m: order.index(m.kind) if m.kind in order else len(order))

    def first(fid: FieldId, ok=lambda v: True) -> str:
        return next((m.value(fid) or "" for m in ranked if m.value(fid) and ok(m.value(fid))), "")

    number = next((m.value(FieldId.DECISION_NUMBER) or "" for m in ranked if m.kind == Kind.PENALTY_DECISION
                   and m.value(FieldId.DECISION_NUMBER)), "") or first(FieldId.DECISION_NUMBER)
    return first(FieldId.USCC, is_valid_uscc).upper(), first(FieldId.ENTERPRISE_NAME), number


def _people(materials: list[Material]) -> set[str]:
    return {normalize_name(v) for m in materials for fid in (FieldId.LEGAL_REPRESENTATIVE, FieldId.AGENT_NAME)
            if (v := m.value(fid))}


def _group(read: list[ReadFile], top: dict[str, str]) -> tuple[list[list[ReadFile]], list[ReadFile]]:
    """Files into packets: by top-level folder unless it shows two enterprises; loose files by the enterprise
    their materials show; files showing none with their folder, else with the packet naming their person."""
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        while parent.setdefault(x, x) != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def union(a: str, b: str) -> None:
        parent[find(a)] = find(b)

    tokens: dict[str, list[str]] = {}
    for f in read:
        ts = []
        for m in f.materials:
            u = (m.value(FieldId.USCC) or "").upper()
            n = normalize_name(m.value(FieldId.ENTERPRISE_NAME) or "")
            mt = ([f"u:{u}"] if u and is_valid_uscc(u) else []) + ([f"n:{n}"] if len(n) >= 4 else [])
            for a, b in zip(mt, mt[1:], strict=False):
                union(a, b)
            ts += mt
        tokens[f.rel] = ts
        for t in ts:
            find(t)
    folders: dict[str, list[ReadFile]] = {}
    for f in read:
        folders.setdefault(top[f.rel], []).append(f)
    for name, fs in folders.items():
        if name and len({t for f in fs for t in tokens[f.rel] if t.startswith("u:")}) <= 1:
            for f in fs:  # one enterprise's folder: a misread name does not split it
                for t in tokens[f.rel]:
                    union(t, f"d:{name}")
                union(f"f:{f.rel}", f"d:{name}")
    for f in read:
        for t in tokens[f.rel]:
            union(f"f:{f.rel}", t)
    comps: dict[str, list[ReadFile]] = {}
    lonely: list[ReadFile] = []
    for f in read:
        if tokens[f.rel] or top[f.rel]:
            comps.setdefault(find(f"f:{f.rel}"), []).append(f)
        else:
            lonely.append(f)
    groups = [g for g in comps.values() if any(tokens[f.rel] for f in g)]
    stray = [f for g in comps.values() if not any(tokens[f.rel] for f in g) for f in g] + lonely
    if len(groups) <= 1:  # one enterprise (or none known): every file is its packet's, unreadable ones too
        return [(groups[0] if groups else []) + stray], []
    unassigned = []
    for f in stray:  # an ID card or a receipt: with the packet whose representative or agent it names
        names = {normalize_name(v) for m in f.materials for fid in (FieldId.ID_NAME, FieldId.PAYER_NAME)
                 if (v := m.value(fid))}
        hits = [g for g in groups if names & (_people([m for x in g for m in x.materials])
                                             | {normalize_name(m.value(FieldId.ENTERPRISE_NAME) or "")
                                                for x in g for m in x.materials})]
        if len(hits) == 1:
            hits[0].append(f)
        else:
            unassigned.append(f)
    return groups, unassigned


def read_stick(stick: Path, rules: RuleBook, as_of: dt.date, pool=None, progress: Progress | None = None,
               ocr: bool = True) -> StickIntake:
    """Read every file on the stick once, split them into packets and check each (no database access)."""
    if not stick.is_dir():
        raise IntakeError(f"“{stick}”不是文件夹")
    found = survey(stick)
    if not found.files:
        raise IntakeError(f"“{stick}”中没有找到申请材料（PDF、图片或 Word 文件）")
    read = read_files(stick, found.files, rules, ocr, pool, progress)
    top = {f.rel: (PurePosixPath(f.rel).parts[0] if len(PurePosixPath(f.rel).parts) > 1 else "") for f in read}
    paths = {rel_name(stick, p): p for p in found.files}
    groups, stray = _group(read, top)
    out = StickIntake(unassigned=[f.rel for f in stray])
    if len(groups) != 1:
        out.unassigned += [r for r, _ in found.skipped if len(PurePosixPath(r).parts) == 1]
    order = {f.rel: i for i, f in enumerate(read)}
    for g in groups:
        g.sort(key=lambda f: order[f.rel])  # the packet's own order, as `check` on its folder reads it
        tops = {top[f.rel] for f in g}
        strip = next(iter(tops)) if len(tops) == 1 and "" not in tops else ""
        inner = [(str(PurePosixPath(f.rel).relative_to(strip)) if strip else f.rel) for f in g]
        renamed = []
        for f, rel in zip(g, inner, strict=True):
            for m in f.materials:
                m.path = rel
            renamed.append(replace(f, rel=rel))
        skipped = [(str(PurePosixPath(r).relative_to(strip)), why) for r, why in found.skipped
                   if strip and PurePosixPath(r).parts[0] == strip and len(PurePosixPath(r).parts) > 1]
        if len(groups) == 1:  # what the check skipped at the top of the stick belongs to its only packet
            skipped += [(r, why) for r, why in found.skipped if len(PurePosixPath(r).parts) == 1]
        case_file = _case_file(stick / strip if strip else stick) if strip or len(groups) == 1 else None
        provisional = case_file or CaseFacts(RecordSeverity.GENERAL, Applicant.LEGAL_REPRESENTATIVE)
        result = check_read(renamed, skipped, provisional, as_of, rules, ocr, applicant_from_packet=case_file is None)
        uscc, name, number = _identity(result.materials)
        shown = case_file.applicant if case_file is not None else applicant_in_packet(result.materials)
        folder = stick / strip if strip else stick
        out.packets.append(StickPacket(strip or "U盘根目录", [(rel, paths[f.rel]) for f, rel in zip(g, inner, strict=True)],
                                       skipped, result, name, uscc, number, str(shown) if shown else None,
                                       case_file=case_file,
                                       extra_given=case_file is not None and packet_names_extra(folder)))
    return out


def packet_names_extra(folder: Path) -> bool:
    """Whether the packet's case.json says which additional materials it needs (the key ``extra_required``,
    even an empty list): then they are the packet's own and win over the class's setting."""
    import json

    from xinyong_desktop.safeio import read_small_regular_file
    from xinyong_desktop.services.check_packet import CASE_FILE_CAP

    try:
        data = json.loads(read_small_regular_file(folder / "case.json", CASE_FILE_CAP).decode("utf-8-sig"))
    except (OSError, ValueError):
        return False
    return isinstance(data, dict) and "extra_required" in data


def _case_file(folder: Path) -> CaseFacts | None:
    """A packet folder's case.json (the instructor's facts), when there is a usable one."""
    from xinyong_desktop.services.check_packet import CaseFileError, read_case_file

    if not (folder / "case.json").is_file():
        return None
    try:
        return read_case_file(folder)
    except CaseFileError:
        return None


def _case_label(s: Session, c: Case) -> str:
    from xinyong_desktop.services.desk import case_label

    return case_label(c)  # the name with its record (decision number)


def _case_identity(s: Session, c: Case) -> tuple[str, str, str]:
    """(USCC, name, decision number) of a case: its roster record's, else what its check read."""
    if c.record_id is not None:
        rec = s.get(PenaltyRecord, c.record_id)
        ent = s.get(Enterprise, rec.enterprise_id) if rec is not None else None
        if rec is not None and ent is not None:
            return (ent.uscc if is_valid_uscc(ent.uscc) else ""), ent.name, rec.decision_number
    from xinyong_desktop.services.review import materials_from_rows

    return _identity(materials_from_rows(c.materials)) if c.materials else ("", "", "")


def _same_enterprise(a: tuple[str, str, str], b: tuple[str, str, str]) -> bool | None:
    """True/False when the codes or names tell; None when neither side shows one."""
    if a[0] and b[0]:
        return a[0] == b[0]
    if a[1] and b[1]:
        return normalize_name(a[1]) == normalize_name(b[1])
    return None


def match_stick(s: Session, class_id: int, intake: StickIntake, target_case_id: int | None = None) -> StickIntake:
    """Match each packet to the class's cases (no writes).  With a target case (the one selected), a packet of
    another enterprise is refused with the two names side by side."""
    cases = list(s.scalars(select(Case).where(Case.class_id == class_id).order_by(Case.id)))
    ids = {c.id: _case_identity(s, c) for c in cases}
    target = s.get(Case, target_case_id) if target_case_id is not None else None
    for p in intake.packets:
        mine = (p.uscc, p.enterprise_name, p.decision_number)
        if target is not None:
            same_ent = _same_enterprise(mine, ids.get(target.id) or _case_identity(s, target))
            if same_ent is False:
                p.status = "refused"
                p.message = (f"这份材料属于“{p.name}”，与所选企业“{_case_label(s, target)}”不是同一家企业，"
                             "未加入。请选择正确的企业，或用“导入U盘（多家企业）”按名单分配。")
                continue
            tid = ids.get(target.id) or _case_identity(s, target)
            other = next((c for c in cases if c.id != target.id and p.decision_number and ids[c.id][2]
                          and _same_enterprise(mine, ids[c.id]) and not (tid[2] and same(
                              FieldId.DECISION_NUMBER, p.decision_number, tid[2]))
                          and same(FieldId.DECISION_NUMBER, p.decision_number, ids[c.id][2])), None)
            if other is not None:  # the same enterprise's other record
                p.status = "refused"
                p.message = (f"这份材料的处罚决定书文号为“{p.decision_number}”，属于“{_case_label(s, other)}”，"
                             f"不是所选记录“{_case_label(s, target)}”，未加入。")
                continue
            candidates = [target]
        else:
            candidates = [c for c in cases if _same_enterprise(mine, ids[c.id])]
        if not candidates:
            p.status, p.message = "unmatched", f"“{p.name}”不在本班名单中：可指定到某个企业，或作为新企业加入"
            continue
        by_number = [c for c in candidates if p.decision_number and ids[c.id][2]
                     and same(FieldId.DECISION_NUMBER, p.decision_number, ids[c.id][2])]
        if by_number:
            chosen = by_number[0]
        elif len(candidates) == 1 and (target is not None or not p.decision_number or not ids[candidates[0].id][2]):
            chosen = candidates[0]
        else:
            numbers = "、".join(ids[c.id][2] or "（未知文号）" for c in candidates)
            p.status = "unmatched"
            p.message = (f"“{p.name}”在名单中，但决定书文号“{p.decision_number or '未识别'}”与名单记录（{numbers}）"
                         "不符：请指定到对应的记录")
            continue
        p.case_id = chosen.id
        if chosen.packet_dir:
            p.status = "replaces"
            p.message = f"“{_case_label(s, chosen)}”已有材料（{chosen.source_dir or chosen.packet_dir}），是否用这份材料替换？"
        else:
            p.status, p.message = "matched", f"已匹配名单：{_case_label(s, chosen)}"
    return intake


def place(s: Session, class_id: int, packet: StickPacket, case_id: int | None, store_root: Path, instructor: str,
          rules: RuleBook, applicant: str | None = None, severity: str | None = None) -> int:
    """Put a packet read from a stick into a case (None: a new case): the files copied in, the facts stored
    (the packet's case.json when it has one; the applicant the packet shows, else `applicant`, else the legal
    representative; a roster case keeps its record's severity, a new one takes `severity`), its check recorded
    under the case's own facts without reading the files again.  Returns the case id."""
    from xinyong_desktop.services.desk import attach_packet, case_facts, record_check

    who = packet.applicant or applicant or str(Applicant.LEGAL_REPRESENTATIVE)
    case = s.get(Case, case_id) if case_id is not None else None
    base = packet.case_file or CaseFacts(RecordSeverity(severity or "general"), Applicant(who))
    facts = replace(base, applicant=Applicant(who))
    if case is not None:
        facts = replace(facts, record_severity=RecordSeverity(case.record_severity),
                        platform=case.platform if case.record_id is not None else facts.platform)
    previous = Path(case.packet_dir) if case is not None and case.packet_dir else None
    if case is not None:  # replacing a packet: its earlier reading goes, decisions stay
        case.packet_dir = ""
    cid = attach_packet(s, class_id, case_id, Path(packet.files[0][1]).parent, instructor, facts=facts, rules=rules,
                        extra_given=packet.extra_given)  # the class's additional materials unless the packet's own
    case = s.get(Case, cid)
    assert case is not None  # attach_packet made or found it (a number only read is no fact: not stored)
    new = copy_packet(s, case, Path(packet.files[0][1]).parent, store_root, packet.files, packet.skipped)
    if previous is not None:
        drop_copy(previous, store_root, keep=new)
    cf = case_facts(case)
    r = neutral_result(packet.result, stored_names([rel for rel, _ in packet.files]))  # names as copy_packet stored them
    findings, eligible_from = verdict_findings(r.materials, cf, r.as_of, rules, r.intake)
    record_check(s, case, replace(r, facts=cf, findings=findings, eligible_from=eligible_from), instructor, rules)
    packet.case_id, packet.status = cid, "placed"
    return cid


def intake_stick(db, class_id: int, stick: Path, store_root: Path, instructor: str, rules: RuleBook,
                 as_of: dt.date, pool=None, progress: Progress | None = None, target_case_id: int | None = None,
                 replace_existing: bool = False) -> StickIntake:
    """Read a stick, match its packets to the class and place the matched ones (each in its own transaction).
    Packets replacing an earlier one are placed only with replace_existing; unmatched and refused packets are
    returned for the instructor (place them with `place`).  `db` is a sessionmaker."""
    out = read_stick(stick, rules, as_of, pool, progress)
    with db() as s:
        match_stick(s, class_id, out, target_case_id)
    for p in out.packets:
        if p.status == "matched" or (p.status == "replaces" and replace_existing):
            with db() as s, s.begin():
                place(s, class_id, p, p.case_id, store_root, instructor, rules)
    return out
