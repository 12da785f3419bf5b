"""Use case: check packets, generate their forms, export the ready ones (or forced ones, with a reason)."""
from __future__ import annotations

import datetime as dt
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from xinyong_desktop.documents.forms import case_facts, write_forms
from xinyong_desktop.export.names import folder_names
from xinyong_desktop.export.usb import BatchRecord, ExportItem, export_item
from xinyong_desktop.rules.loader import RuleBook
from xinyong_desktop.services.check_packet import check_packet
from xinyong_desktop.services.progress import Progress


@dataclass
class ExportOutcome:
    exported: list[Path] = field(default_factory=list)
    exported_packets: list[Path] = field(default_factory=list)
    skipped: list[tuple[Path, str]] = field(default_factory=list)  # (packet, Chinese reason)


def export_packets(packets: list[Path], dest: Path, rules: RuleBook, instructor: str = "", as_of: dt.date | None = None,
                   force_reason: str = "", pool=None, progress: Progress | None = None) -> ExportOutcome:
    def one(packet: Path, taken: set[str]) -> tuple[Path, Path | None, str]:
        result = check_packet(packet, as_of=as_of, rules=rules, pool=pool)
        if not result.ready and not force_reason:
            errors = [f.message for f in result.findings if f.severity in ("error", "review")]
            return packet, None, f"未就绪（{len(errors)} 个问题），未导出：{errors[0] if errors else ''}"
        return packet, export_checked(result, packet, dest, rules, instructor, force_reason=force_reason,
                                      taken=taken), ""

    return _export_each(packets, dest, progress, one, [str(p) for p in packets], instructor)


def _export_each(items: list, dest: Path, progress: Progress | None,
                 one: Callable[[Any, set[str]], tuple[Path, Path | None, str]], sources: list[str],
                 instructor: str) -> ExportOutcome:
    """Export item by item: `one` gives (packet, exported folder or None, the Chinese reason it was skipped).
    The batch is recorded on the stick first (export.usb.BatchRecord); two items never share a folder."""
    out = ExportOutcome()
    dest.mkdir(parents=True, exist_ok=True)
    batch = BatchRecord(dest, sources, instructor)
    taken: set[str] = set()  # folder names of this batch (casefolded)
    if progress:
        progress.start(len(items), "导出")
    for i, item in enumerate(items):
        if progress and progress.cancelled:
            break
        packet, final, why = one(item, taken)
        if final is None:
            batch.skipped(i, why)
            out.skipped.append((packet, why))
            continue
        batch.exported(i, final)
        out.exported.append(final)
        out.exported_packets.append(packet)
        if progress:
            progress.step(packet.name)
    else:
        batch.finish()
    return out


def _form_kind(file_name: str) -> str:
    for kind, word in (("application_form", "申请书"), ("commitment_letter", "承诺书"), ("authorization_letter", "委托书")):
        if word in file_name:
            return kind
    return ""


def export_checked(result, packet: Path, dest: Path, rules: RuleBook, instructor: str, decisions: list | None = None,
                   status: str | None = None, ready: bool | None = None, force_reason: str = "",
                   taken: set[str] | None = None) -> Path:
    """Generate the review record (and the forms the packet lacks) for one checked packet and export it.
    taken: the folder names already used by this batch (a second case of one enterprise never replaces the
    first, even where the decision number could not be read)."""
    names = {k: r.name for k, r in rules.materials.items()}
    ready = result.ready if ready is None else ready
    name = export_name(result, packet)
    if taken is not None:
        base, n = name, 2
        while folder_names(name)[0].casefold() in taken:
            name, n = f"{base} ({n})", n + 1
        taken.add(folder_names(name)[0].casefold())
    with tempfile.TemporaryDirectory() as tmp:
        present = {str(m.kind) for m in result.materials}
        generated = [g for g in write_forms(result, rules, Path(tmp), instructor, decisions, status)
                     if "审核意见表" in g.name or _form_kind(g.name) not in present]
        item = ExportItem(name, packet, result.materials, generated, ready)
        return export_item(item, dest, instructor, names, "" if ready else force_reason)


def export_name(result, packet: Path) -> str:
    """The export folder of a case (before making it file-system safe): the enterprise's name and the
    decision number, so that two records of one enterprise never share a folder."""
    facts = case_facts(result)
    number = getattr(result.facts, "decision_number", None) or facts.get("decision_number")
    name = facts.get("enterprise_name") or packet.name
    return f"{name}_{number}" if number else name


def export_cases(db, case_ids: list[int], dest: Path, rules: RuleBook, instructor: str,
                 progress: Progress | None = None) -> ExportOutcome:
    """Export the class's cases from their stored verdict (the check plus the instructor's decisions): a case
    made ready by an override with a reason is exported, with that override in its review record."""
    from xinyong_desktop.services.classes import note_exported
    from xinyong_desktop.services.desk import case_verdict
    from xinyong_desktop.store import repo
    from xinyong_desktop.store.models import Case

    def one(cid: int, taken: set[str]) -> tuple[Path, Path | None, str]:
        with db() as s:
            c = s.get(Case, cid)
            v = case_verdict(s, c)
            packet = Path(c.packet_dir)
            if not v.ready or c.status != "已就绪":
                first = v.open[0].message if v.open else f"状态为“{c.status}”"
                return packet, None, f"未就绪（{len(v.open)} 个问题），未导出：{first}"
            status_text = "可以提交" + (f"（{len(v.overrides)} 项经审核员忽略，理由见上表）" if v.overrides else "")
            final = export_checked(v.result, packet, dest, rules, instructor, v.decisions, status_text, ready=True,
                                   taken=taken)
        with db() as s, s.begin():
            c = s.get(Case, cid)
            note_exported(s, c, instructor)
            repo.audit(s, instructor, "export", str(final), cid)
        return packet, final, ""

    from xinyong_desktop.services.desk import case_name

    with db() as s:  # the batch record names each case as the desk does
        sources = [case_name(c) if (c := s.get(Case, cid)) is not None else f"案件 {cid}" for cid in case_ids]
    return _export_each(case_ids, dest, progress, one, sources, instructor)
