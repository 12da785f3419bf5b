"""Use case: check packets, generate their forms, export the ready ones (or forced ones, with a reason)."""
from __future__ import annotations

import datetime as dt
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from xinyong_desktop.documents.forms import case_facts, write_forms
from xinyong_desktop.export.usb import ExportItem, export_item
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
    out = ExportOutcome()
    dest.mkdir(parents=True, exist_ok=True)
    names = {k: r.name for k, r in rules.materials.items()}
    if progress:
        progress.start(len(packets), "导出")
    for packet in packets:
        if progress and progress.cancelled:
            break
        result = check_packet(packet, as_of=as_of, rules=rules, pool=pool)
        if not result.ready and not force_reason:
            errors = [f.message for f in result.findings if f.severity in ("error", "review")]
            out.skipped.append((packet, f"未就绪（{len(errors)} 个问题），未导出：{errors[0] if errors else ''}"))
            continue
        with tempfile.TemporaryDirectory() as tmp:
            # the review record always; a pre-filled form only where the packet lacks the signed original
            present = {str(m.kind) for m in result.materials}
            generated = [g for g in write_forms(result, rules, Path(tmp), instructor)
                         if "审核意见表" in g.name or _form_kind(g.name) not in present]
            name = case_facts(result).get("enterprise_name") or packet.name
            item = ExportItem(name, packet, result.materials, generated, result.ready)
            out.exported.append(export_item(item, dest, instructor, names, "" if result.ready else force_reason))
            out.exported_packets.append(packet)
        if progress:
            progress.step(packet.name)
    return out


def _form_kind(file_name: str) -> str:
    for kind, word in (("application_form", "申请书"), ("commitment_letter", "承诺书"), ("authorization_letter", "委托书")):
        if word in file_name:
            return kind
    return ""
