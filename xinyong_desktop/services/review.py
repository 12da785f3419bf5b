"""Review-desk logic without Qt: which findings still block, masking personal data, case statuses."""
from __future__ import annotations

from collections.abc import Iterable

# these live in domain.review (the documents use them too) and are re-exported (explicitly, "as")
from xinyong_desktop.domain.review import PERSONAL_FIELDS as PERSONAL_FIELDS
from xinyong_desktop.domain.review import blocking as blocking
from xinyong_desktop.domain.review import finding_key as finding_key
from xinyong_desktop.domain.review import mask as mask
from xinyong_desktop.domain.review import mask_text as mask_text

STATUSES = ("未开始", "审核中", "需补正", "已就绪", "已导出", "已提交", "已修复")


# ---------------------------------------------------------------- instructor decisions applied to a check
def material_key(path: str, pages: list[int]) -> str:
    return f"{path}#{','.join(map(str, pages))}"


def field_target(path: str, pages: list[int], field: str) -> str:
    return f"field:{material_key(path, pages)}/{field}"


def kind_target(path: str, pages: list[int]) -> str:
    return f"kind:{material_key(path, pages)}"


def apply_decisions(materials: list, decisions: Iterable) -> list:
    """Materials as the instructor confirmed them: corrected values and changed kinds replace what was read."""
    import copy
    from dataclasses import replace as dc_replace

    from xinyong_desktop.domain.model import FieldId, FieldValue, Kind

    out = [copy.copy(m) for m in materials]
    for m in out:
        m.fields = dict(m.fields)
    by_key = {material_key(m.path, m.pages): m for m in out}
    for d in decisions:
        if d.action == "set_kind" and d.target.startswith("kind:"):
            m = by_key.get(d.target[5:])
            if m is not None and d.value:
                if d.value not in Kind.__members__.values():  # stored by an older/other app: marked, not fatal
                    m.notes = [*m.notes, f"{UNKNOWN_NOTE}材料类别“{d.value[:40]}”"]
                    continue
                m.kind = Kind(d.value)
        elif d.action == "correct" and d.target.startswith("field:"):
            key, _, fid = d.target[6:].rpartition("/")
            m = by_key.get(key)
            if m is None or not d.value:
                continue
            if fid not in FieldId.__members__.values():
                m.notes = [*m.notes, f"{UNKNOWN_NOTE}字段“{fid[:40]}”的更正"]
                continue
            old = m.fields.get(FieldId(fid))
            m.fields[FieldId(fid)] = dc_replace(old, value=d.value, confidence=1.0, raw="人工更正") if old else \
                FieldValue(d.value, m.pages[0] if m.pages else 1, None, 1.0, "人工更正")
    return out


UNKNOWN_NOTE = "unknown:"  # a material note: the database holds a value this version does not know


def unknown_value_findings(materials) -> list:
    """One review finding per material whose stored data holds a value this version does not know (a kind, a
    field): the case is marked for the instructor, the desk itself keeps working."""
    from xinyong_desktop.domain.model import Code, Finding, Severity

    out = []
    for m in materials:
        what = [n[len(UNKNOWN_NOTE):] for n in m.notes if n.startswith(UNKNOWN_NOTE)]
        if what:
            out.append(Finding(Code.KIND_UNCERTAIN, Severity.REVIEW,
                               f"“{m.path}”的记录中有本程序不认识的内容（{'、'.join(what)}），已忽略；"
                               "请看原件，重新指定材料类别或更正。", m.kind, None, m.path, m.pages[0] if m.pages else None))
    return out


def materials_from_rows(rows) -> list:
    """Rebuild core Materials from stored rows (so a decision can re-run the checks without re-reading files)."""
    from xinyong_desktop.domain.model import FieldId, FieldValue, Kind, Material, TextSource

    out = []
    for r in rows:
        notes = list(r.notes or [])
        kind = Kind(r.kind) if r.kind in Kind.__members__.values() else Kind.OTHER
        if kind != r.kind:
            notes.append(f"{UNKNOWN_NOTE}材料类别“{str(r.kind)[:40]}”")
        source = TextSource(r.text_source) if r.text_source in TextSource.__members__.values() else TextSource.NONE
        m = Material(r.path, kind, list(r.pages), source, notes=notes)
        for f in r.fields:
            if f.field not in FieldId.__members__.values():
                m.notes.append(f"{UNKNOWN_NOTE}字段“{str(f.field)[:40]}”")
                continue
            m.fields[FieldId(f.field)] = FieldValue(f.value, f.page, tuple(f.bbox) if f.bbox else None, f.confidence)
        out.append(m)
    return out


def recheck_case(case, decisions, rules, as_of=None, facts=None):
    """Findings of a stored case after the instructor's corrections (no file is parsed again): the one verdict
    function (check_packet.verdict_findings) on the stored reading, facts and intake findings."""
    import datetime as dt

    from xinyong_desktop.services.check_packet import verdict_findings
    from xinyong_desktop.services.desk import case_facts, intake_findings

    materials = apply_decisions(materials_from_rows(case.materials), decisions)
    findings, eligible_from = verdict_findings(materials, facts or case_facts(case),
                                               as_of or case.as_of or dt.date.today(), rules, intake_findings(case))
    return materials, findings + unknown_value_findings(materials), eligible_from
