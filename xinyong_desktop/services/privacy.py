"""Purge a class's personal data (ID numbers, phone numbers) so that it is gone from every place the app keeps
it: database rows, the database file's free pages and WAL, its backups (with their temporary `.part` files),
the packet copies in the data folder and what killed imports left there.

Purge by construction: every such place is one entry of `PLACES`, registered with `@personal_data_place`,
and `purge_and_compact` walks the list.  Code that starts keeping personal data somewhere new registers that
place next to the code that writes it, e.g. a content-addressed file store under the data folder:

    @personal_data_place("案件材料文件库", phase=FILES)
    def _purge_blobs(ctx: PurgeContext) -> int:
        ...  # delete the class's files (ctx.case_ids, ctx.data_dir); return how many

Phases run in this order: ROWS inside the purge transaction (rows, paths, targets, messages); FILES after the
rows are gone (packet copies, leftovers); the database is then compacted (SQLite: VACUUM + WAL truncated;
PostgreSQL: VACUUM FULL of every table, which rewrites their files); BACKUPS last (every file in the backup
folder, then one fresh backup made from the purged database).
"""
from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Engine, or_, select, text
from sqlalchemy.orm import Session

from xinyong_desktop.logs import ID_NUMBER, MOBILE
from xinyong_desktop.services.review import PERSONAL_FIELDS, mask
from xinyong_desktop.store.models import (
    AuditEvent,
    Base,
    Case,
    Decision,
    Enterprise,
    FieldRow,
    FindingRow,
    MaterialRow,
    PenaltyRecord,
)
from xinyong_desktop.store.repo import audit

ROWS, FILES, BACKUPS = "rows", "files", "backups"
_IMPORTED = re.compile(r"[0-9]{4,}_")  # a packet folder of an imported case: "<case id>_<packet name>"
MASK = "＊"  # a full-width asterisk: valid in file names on every system, unlike "*"


@dataclass
class PurgeSummary:
    fields: int = 0
    texts: int = 0
    phones: int = 0
    backups_removed: int = 0
    folders_removed: int = 0
    by_place: dict[str, int] = field(default_factory=dict)


@dataclass
class PurgeContext:
    session: Session  # the purge transaction (ROWS); still open, read-only use, in the FILES phase
    class_id: int
    case_ids: list[int]
    data_dir: Path | None  # the desk's data folder: packets/, backups/ (and the SQLite file when there is one)
    db_path: Path | None  # the SQLite file; None for the office database
    summary: PurgeSummary


@dataclass(frozen=True)
class Place:
    name: str  # what is kept there, in Chinese
    phase: str  # ROWS | FILES | BACKUPS
    purge: Callable[[PurgeContext], int]  # returns how many items it deleted or masked


PLACES: list[Place] = []


def personal_data_place(name: str, phase: str = ROWS) -> Callable[[Callable[[PurgeContext], int]],
                                                                   Callable[[PurgeContext], int]]:
    """Register a place that can hold personal data; purge_and_compact walks every registered place."""
    if phase not in (ROWS, FILES, BACKUPS):
        raise ValueError(phase)

    def register(fn: Callable[[PurgeContext], int]) -> Callable[[PurgeContext], int]:
        PLACES[:] = [p for p in PLACES if p.name != name] + [Place(name, phase, fn)]
        return fn

    return register


# ---------------------------------------------------------------- masking
def _mask_digits(m: re.Match, keep: int = 4, star: str = "*") -> str:
    digits = re.sub(r"[^0-9Xx]", "", m.group())
    return star * (len(digits) - keep) + digits[-keep:]


def scrub(value: str | None, star: str = "*") -> str | None:
    """Free text with every ID-like number (15–19 digits, also "ID320…", "320413 19780704 3678") and mobile
    number (also "+86 139-…") masked; the last four characters are kept."""
    if not value:
        return value
    value = ID_NUMBER.sub(lambda m: _mask_digits(m, star=star), value)
    return MOBILE.sub(lambda m: star * 7 + m.group(3), value)


def neutral_name(path: str) -> str:
    """A packet file's relative path as the app stores it: an ID or phone number in a file or folder name
    (身份证320413197807043678.pdf) masked with full-width asterisks, which every file system accepts
    (身份证＊＊＊＊＊＊＊＊＊＊＊＊＊＊3678.pdf).  Paths without one are unchanged."""
    return scrub(path, MASK) or path


def stored_names(rels: list[str]) -> dict[str, str]:
    """The name each file of a packet is stored under in the data folder (and in every row that names it):
    its neutral name; two names that become the same once masked (身份证…3678.pdf of two people born the
    same year) are told apart by "(2)", "(3)" before the extension."""
    out: dict[str, str] = {}
    used: set[str] = set()
    for rel in rels:
        name = neutral_name(rel)
        if name.casefold() in used:
            folder, _, base = name.rpartition("/")
            stem, dot, ext = base.rpartition(".") if "." in base.lstrip(".") else (base, "", "")
            k = 2
            while (name := f"{folder + '/' if folder else ''}{stem}({k}){dot}{ext}").casefold() in used:
                k += 1
        used.add(name.casefold())
        out[rel] = name
    return out


def neutral_result(result, names: dict[str, str]):
    """A check result (services.check_packet.CheckResult) read from files under their original names, with
    every material path, finding path and file name quoted in a finding message as stored (`names`, from
    stored_names; a name not in it — a skipped link — by neutral_name).  Findings that were the same stay the
    same (the intake findings are found again among the findings by equality)."""
    from dataclasses import replace

    def name(path: str | None) -> str | None:
        return path if not path else names.get(path) or neutral_name(path)

    def finding(f):
        message = f.message
        for old, new in sorted(names.items(), key=lambda kv: -len(kv[0])):
            if old != new:
                message = message.replace(old, new)
        if has_personal_number(f.path):  # a name not in `names` (a skipped link) quoted as it was
            message = scrub(message, MASK) or message
        return replace(f, path=name(f.path), message=message)

    return replace(result, materials=[replace(m, path=name(m.path)) for m in result.materials],
                   findings=[finding(f) for f in result.findings], intake=[finding(f) for f in result.intake],
                   pages={name(p): v for p, v in result.pages.items()})


def has_personal_number(value: str | None) -> bool:
    return bool(value) and scrub(value) != value


def decision_field(target: str) -> str:
    """The field a decision is about: "field:<path>#<pages>/<field>" (services/review.field_target), or the
    older "material:<path>#<pages>/field:<field>"."""
    if "/field:" in target:
        return target.rsplit("/field:", 1)[-1]
    if target.startswith("field:"):
        return target.rsplit("/", 1)[-1]
    return ""


def _scrub_attrs(rows, attrs: tuple[str, ...], star: str = "*") -> int:
    n = 0
    for rec in rows:
        changed = False
        for attr in attrs:
            old = getattr(rec, attr)
            new = scrub(old, star) if isinstance(old, str) else old
            if new != old:
                setattr(rec, attr, new)
                changed = True
        n += changed
    return n


# ---------------------------------------------------------------- the places
@personal_data_place("案件材料副本（数据文件夹 packets/ 下导入的材料包）", FILES)
def _packet_copies(ctx: PurgeContext) -> int:
    """The class's packet copies under the data folder's packets/ (imported bundles).  Folders elsewhere (the
    instructor's own) are never touched.  Runs before the ROWS that mask case.packet_dir (see _ORDER)."""
    root = packets_root(ctx.data_dir)
    n = 0
    for case in ctx.session.scalars(select(Case).where(Case.id.in_(ctx.case_ids))):
        folder = Path(case.packet_dir) if case.packet_dir else None
        if folder is not None and _inside(folder, root) and not folder.is_symlink():
            if folder.exists():
                shutil.rmtree(folder)
                n += 1
            case.packet_dir = ""
    ctx.summary.folders_removed += n
    return n


@personal_data_place("导入中断留下的文件夹（.import-…、不属于任何案件的材料文件夹）", FILES)
def _import_leftovers(ctx: PurgeContext) -> int:
    """Staging folders of killed imports, and packet folders no case points to (an import killed after moving
    its folders but before its commit).  packets/ belongs to the app: nothing there is the instructor's."""
    root = packets_root(ctx.data_dir)
    if not root.is_dir():
        return 0
    used = {Path(p).name for p in ctx.session.scalars(select(Case.packet_dir)) if p}
    n = 0
    for p in root.iterdir():
        if p.is_symlink() or p.name in used or not (p.name.startswith(".import-") or _IMPORTED.match(p.name)):
            continue
        if p.is_dir():
            shutil.rmtree(p)
        else:
            p.unlink()
        n += 1
    ctx.summary.folders_removed += n
    return n


@personal_data_place("识别出的字段（身份证号、电话等）")
def _fields(ctx: PurgeContext) -> int:
    n = 0
    rows = ctx.session.scalars(select(FieldRow).join(MaterialRow).where(MaterialRow.case_id.in_(ctx.case_ids)))
    for row in rows:
        if row.field in PERSONAL_FIELDS:
            ctx.session.delete(row)
            ctx.summary.fields += 1
            n += 1
        elif has_personal_number(row.value):  # a misread field holding an ID number
            row.value = scrub(row.value) or ""
            ctx.summary.texts += 1
            n += 1
    return n


@personal_data_place("材料记录（文件路径、备注）")
def _materials(ctx: PurgeContext) -> int:
    rows = ctx.session.scalars(select(MaterialRow).where(MaterialRow.case_id.in_(ctx.case_ids)))
    n = 0
    for m in rows:
        path, notes = neutral_name(m.path), [scrub(x) for x in (m.notes or [])]
        if (path, notes) != (m.path, list(m.notes or [])):
            m.path, m.notes = path, notes
            n += 1
    ctx.summary.texts += n
    return n


@personal_data_place("问题提示（说明文字、文件路径）")
def _findings(ctx: PurgeContext) -> int:
    rows = ctx.session.scalars(select(FindingRow).where(FindingRow.case_id.in_(ctx.case_ids)))
    n = _scrub_attrs(rows, ("message",)) + _scrub_attrs(
        ctx.session.scalars(select(FindingRow).where(FindingRow.case_id.in_(ctx.case_ids))), ("path",), MASK)
    ctx.summary.texts += n
    return n


@personal_data_place("审核决定（对象、更正值、理由）")
def _decisions(ctx: PurgeContext) -> int:
    n = 0
    for d in ctx.session.scalars(select(Decision).where(Decision.case_id.in_(ctx.case_ids))):
        fld = decision_field(d.target)
        value = mask(fld, d.value) if d.value and fld in PERSONAL_FIELDS else d.value
        new = (neutral_name(d.target), scrub(value), scrub(d.reason) or "")
        if new != (d.target, d.value, d.reason):
            d.target, d.value, d.reason = new
            n += 1
    ctx.summary.texts += n
    return n


@personal_data_place("操作记录（审计明细）")
def _audit(ctx: PurgeContext) -> int:
    """The class's cases' events, and the events of no case (imports and exports name files)."""
    rows = ctx.session.scalars(select(AuditEvent).where(or_(AuditEvent.case_id.in_(ctx.case_ids),
                                                            AuditEvent.case_id.is_(None))))
    n = _scrub_attrs(rows, ("detail",))
    ctx.summary.texts += n
    return n


@personal_data_place("案件（材料文件夹路径、平台退回理由、查询码）")
def _cases(ctx: PurgeContext) -> int:
    rows = ctx.session.scalars(select(Case).where(Case.id.in_(ctx.case_ids)))
    n = _scrub_attrs(rows, ("portal_reason", "query_code")) + _scrub_attrs(
        ctx.session.scalars(select(Case).where(Case.id.in_(ctx.case_ids))), ("packet_dir",), MASK)
    ctx.summary.texts += n
    return n


@personal_data_place("企业联系电话、处罚记录来源")
def _enterprises(ctx: PurgeContext) -> int:
    s = ctx.session
    ent_ids = {e for e in s.scalars(select(Case.enterprise_id).where(Case.id.in_(ctx.case_ids))) if e}
    n = 0
    for ent in s.scalars(select(Enterprise).where(Enterprise.id.in_(ent_ids))):
        if ent.contact_phone:
            ent.contact_phone = ""
            ctx.summary.phones += 1
            n += 1
    n += _scrub_attrs(s.scalars(select(PenaltyRecord).where(PenaltyRecord.enterprise_id.in_(ent_ids))), ("source",))
    return n


@personal_data_place("数据库备份（所有后缀，包括未写完的 .part 文件）", BACKUPS)
def _backups(ctx: PurgeContext) -> int:
    """Every file of the backup folder — older backups still hold what was purged, and a backup killed while
    it was written leaves a full copy as `.part` — then one fresh backup of the purged database."""
    if ctx.data_dir is None:
        return 0
    folder = ctx.data_dir / "backups"
    n = 0
    if folder.is_dir():
        for p in folder.iterdir():
            if p.is_file() or p.is_symlink():
                p.unlink()
                n += 1
            elif p.is_dir():
                shutil.rmtree(p)
                n += 1
    ctx.summary.backups_removed += n
    if ctx.db_path is not None:
        from xinyong_desktop.store.backup import make_backup

        make_backup(ctx.db_path, "after-purge")
    return n


# the packet copies are found through case.packet_dir, which the ROWS phase masks: they go first
_ORDER = {FILES: 0, ROWS: 1, BACKUPS: 3}


# ---------------------------------------------------------------- the purge
def packets_root(data_dir: Path | None) -> Path:
    """Where the desk keeps packet copies (imported bundles): packets/ in the data folder."""
    from xinyong_desktop.store.db import data_dir as default_data_dir

    return (data_dir or default_data_dir(None)) / "packets"


def _inside(path: Path, root: Path) -> bool:
    try:
        path.resolve().relative_to(root.resolve())
    except (ValueError, OSError):
        return False
    return path.resolve() != root.resolve()


def compact(engine: Engine) -> None:
    """Make deleted bytes unrecoverable from the database's files.  SQLite: secure_delete is on; checkpoint
    the WAL, VACUUM, and truncate the WAL so no old page survives in it either.  PostgreSQL: VACUUM FULL of
    every table of the app (each is rewritten into a new file, the old one removed) and a CHECKPOINT."""
    with engine.connect() as conn:
        conn = conn.execution_options(isolation_level="AUTOCOMMIT")
        if engine.dialect.name == "sqlite":
            conn.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))
            conn.execute(text("VACUUM"))
            conn.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))
        else:
            for table in Base.metadata.sorted_tables:
                conn.execute(text(f'VACUUM FULL "{table.name}"'))
            try:
                conn.execute(text("CHECKPOINT"))
            except Exception:  # noqa: BLE001 - CHECKPOINT needs a superuser on older servers; VACUUM FULL did the work
                pass


def purge_and_compact(sessionmaker_, class_id: int, instructor: str, db_path: Path | None,
                      data_dir: Path | None = None) -> PurgeSummary:
    """Walk every registered place for the class: FILES and ROWS in one transaction, compact the database,
    then BACKUPS.  data_dir: the desk's data folder (default: the SQLite file's folder, or the user's data
    folder for the office database — where the desk puts packets/ in either mode)."""
    from xinyong_desktop.store.db import data_dir as default_data_dir

    out = PurgeSummary()
    data_dir = data_dir or default_data_dir(db_path)
    places = sorted(PLACES, key=lambda p: _ORDER[p.phase])
    with sessionmaker_() as s, s.begin():
        case_ids = list(s.scalars(select(Case.id).where(Case.class_id == class_id)))
        ctx = PurgeContext(s, class_id, case_ids, data_dir, db_path, out)
        for p in places:
            if p.phase != BACKUPS and (case_ids or p.phase == FILES):
                out.by_place[p.name] = p.purge(ctx)
        if case_ids:
            audit(s, instructor, "purge_class", f"删除个人信息：字段 {out.fields}，文字 {out.texts}，电话 {out.phones}")
    compact(sessionmaker_.kw["bind"])
    ctx.session = None  # type: ignore[assignment]  # closed: the BACKUPS phase works on files only
    for p in places:
        if p.phase == BACKUPS:
            out.by_place[p.name] = p.purge(ctx)
    return out
