"""The `bundle.json` of a class bundle, validated before anything is written.

A bundle comes from another laptop (or from someone who edited it): every value is checked for its type,
its length and — for statuses, applicants, severities, kinds, codes — against the app's own enums, and
paths are made safe.  What comes out is plain data of the right types; anything else is one BundleError
with a Chinese message naming where in the file the problem is.
"""
from __future__ import annotations

import datetime as dt
import re
from pathlib import PurePosixPath
from typing import Any, overload

from xinyong_desktop.domain.model import Applicant, Code, FieldId, Kind, RecordSeverity, Severity, TextSource
from xinyong_desktop.errors import InputError
from xinyong_desktop.export.names import safe_name
from xinyong_desktop.services.classes import OUTCOMES as PORTAL_OUTCOMES
from xinyong_desktop.services.classes import STATUSES

OUTCOMES = ("", *PORTAL_OUTCOMES)
PLATFORMS = ("creditchina", "necips")
SHA = re.compile(r"[0-9a-f]{64}")
ACTIONS = ("confirm", "correct", "override", "set_kind", "mark_seen")  # store.models.Decision.action
MAX_TEXT = 100_000
# what one class can be: a class is tens of enterprises; these are generous by two orders of magnitude
MAX_CASES = 2_000
MAX_PACKET_FILES = 500  # per case
MAX_MATERIALS = 300  # per case
MAX_FIELDS = 100  # per material
MAX_PAGES = 60  # per material (intake.limits.Limits.max_pages)
MAX_FINDINGS = 1_000  # per case
MAX_DECISIONS = 5_000  # per case


class BundleError(InputError):
    """The bundle cannot be imported; the message is Chinese.  Nothing was changed."""


def _bad(where: str, what: str) -> BundleError:
    return BundleError(f"数据包内容有误：{where} {what}")


@overload
def _obj(v: Any, where: str) -> dict: ...
@overload
def _obj(v: Any, where: str, optional: bool) -> dict | None: ...


def _obj(v: Any, where: str, optional: bool = False) -> dict | None:
    if v is None and optional:
        return None
    if not isinstance(v, dict):
        raise _bad(where, "应为一个对象")
    return v


def _list(d: dict, key: str, where: str, cap: int = MAX_TEXT) -> list:
    v = d.get(key)
    if v is None:
        return []
    if not isinstance(v, list):
        raise _bad(f"{where}.{key}", "应为一个列表")
    if len(v) > cap:
        raise _bad(f"{where}.{key}", f"条目过多（{len(v):,} 条，一个培训班最多 {cap:,} 条）")
    return v


def _text(d: dict, key: str, where: str, cap: int = MAX_TEXT, required: bool = False, default: str = "") -> str:
    v = d.get(key)
    if v is None or (v == "" and not required):
        if required:
            raise _bad(f"{where}.{key}", "缺失")
        return default
    if not isinstance(v, str):
        raise _bad(f"{where}.{key}", "应为文字")
    if len(v) > cap:
        raise _bad(f"{where}.{key}", f"过长（{len(v)} 字，上限 {cap}）")
    return v


def _opt_text(d: dict, key: str, where: str, cap: int = MAX_TEXT) -> str | None:
    return None if d.get(key) is None else _text(d, key, where, cap)


def _choice(d: dict, key: str, where: str, allowed, default: str | None) -> str | None:
    v = d.get(key)
    if v is None or v == "":
        if default is None and v is None:
            return None
        v = default
    values = [str(a) for a in allowed]
    if v not in values:
        raise _bad(f"{where}.{key}", f"取值无效：{str(v)[:40]!r}（可选：{'、'.join(x for x in values if x) or '空'}）")
    return v


def _int(d: dict, key: str, where: str, optional: bool = False) -> int | None:
    v = d.get(key)
    if v is None and optional:
        return None
    if isinstance(v, bool) or not isinstance(v, int) or not -(2**31) <= v < 2**31:
        raise _bad(f"{where}.{key}", "应为整数")
    return v


def _float(v: Any, where: str) -> float:
    if isinstance(v, bool) or not isinstance(v, (int, float)) or not abs(v) <= 1e9:  # NaN fails too
        raise _bad(where, "应为数字")
    return float(v)


def _date(d: dict, key: str, where: str) -> dt.date | None:
    v = d.get(key)
    if v is None or v == "":
        return None
    try:
        return dt.date.fromisoformat(v) if isinstance(v, str) and len(v) <= 10 else _fail()
    except ValueError:
        raise _bad(f"{where}.{key}", f"不是有效日期：{str(v)[:30]!r}") from None


def _datetime(d: dict, key: str, where: str) -> dt.datetime | None:
    v = d.get(key)
    if v is None or v == "":
        return None
    try:
        return dt.datetime.fromisoformat(v) if isinstance(v, str) and len(v) <= 40 else _fail()
    except ValueError:
        raise _bad(f"{where}.{key}", f"不是有效时间：{str(v)[:30]!r}") from None


def _fail():
    raise ValueError


def safe_rel(path: Any, where: str = "路径") -> str:
    """A relative path from the bundle, made safe: no absolute paths, drives, '..' or odd characters."""
    if not isinstance(path, str) or not path or len(path) > 1000:
        raise BundleError(f"材料包中的文件路径不安全：{str(path)[:80]!r}")
    p = PurePosixPath(path.replace("\\", "/"))
    parts = [x for x in p.parts if x not in ("", ".")]
    if not parts or p.is_absolute() or any(x == ".." or ":" in x for x in parts):
        raise BundleError(f"材料包中的文件路径不安全：{path!r}")
    return str(PurePosixPath(*[safe_name(x) for x in parts]))


def parse_doc(doc: Any) -> dict:
    """The validated document: {'class': {...}, 'cases': [...]} with values of the types the store wants."""
    if not isinstance(doc, dict) or doc.get("format") != 1 or not isinstance(doc.get("cases"), list):
        raise BundleError("数据包格式不受支持（可能来自更新版本的审核台）")
    if len(doc["cases"]) > MAX_CASES:  # counted before any case is looked at
        raise BundleError(f"数据包中的案件过多（{len(doc['cases']):,} 件，一个培训班最多 {MAX_CASES:,} 件），已拒绝")
    c = _obj(doc.get("class") or {}, "class")
    out_class = {"name": _text(c, "name", "class", 200) or "导入的培训班", "held_on": _date(c, "held_on", "class"),
                 "place": _text(c, "place", "class", 200), "instructors": _text(c, "instructors", "class", 200),
                 "extra_required": _class_extra(c.get("extra_required"))}
    return {"class": out_class, "cases": [_case(cd, f"cases[{i}]") for i, cd in enumerate(doc["cases"])]}


def _class_extra(v: Any) -> dict[str, list[str]] | None:
    """The class's additional materials ({kind: [severities]}, None = the rule book's default)."""
    if v is None:
        return None
    where = "class.extra_required"
    if not isinstance(v, dict) or len(v) > len(Kind):
        raise _bad(where, "应为 {材料类型: [失信程度…]}")
    out: dict[str, list[str]] = {}
    for k, sevs in v.items():
        if k not in {str(x) for x in Kind} or not isinstance(sevs, list) or len(sevs) > len(RecordSeverity) \
                or any(x not in {str(r) for r in RecordSeverity} for x in sevs):
            raise _bad(where, f"含有未知的材料类型或失信程度：{str(k)[:40]!r}")
        out[k] = [str(x) for x in sevs]
    return out


def _case(cd: Any, w: str) -> dict:
    cd = _obj(cd, w)
    e = _obj(cd.get("enterprise"), f"{w}.enterprise", optional=True)
    r = _obj(cd.get("record"), f"{w}.record", optional=True)
    ent = None if e is None else {
        "name": _text(e, "name", f"{w}.enterprise", 200, required=True),
        "uscc": _text(e, "uscc", f"{w}.enterprise", 18, required=True),
        "legal_representative": _text(e, "legal_representative", f"{w}.enterprise", 50),
        "contact_phone": _text(e, "contact_phone", f"{w}.enterprise", 30)}
    rec = None if r is None else {
        "decision_number": _text(r, "decision_number", f"{w}.record", 80, required=True),
        "authority": _text(r, "authority", f"{w}.record", 120),
        "decision_date": _date(r, "decision_date", f"{w}.record"),
        "severity": _choice(r, "severity", f"{w}.record", RecordSeverity, "general"),
        "platform": _choice(r, "platform", f"{w}.record", PLATFORMS, "creditchina"),
        "source": _text(r, "source", f"{w}.record")}
    first_ready = cd.get("first_ready")
    if first_ready is not None and not isinstance(first_ready, bool):
        raise _bad(f"{w}.first_ready", "应为 true/false")
    first_codes = cd.get("first_codes")
    if first_codes is not None and not (isinstance(first_codes, list) and len(first_codes) <= 1000
                                        and all(isinstance(x, str) and len(x) <= 40 for x in first_codes)):
        raise _bad(f"{w}.first_codes", "应为问题代码的列表")
    if not (e or r or cd.get("packet") or cd.get("materials")):
        raise _bad(w, "是空的案件（没有企业、处罚记录或材料）")
    packet, seen = [], set()
    for i, f in enumerate(_list(cd, "packet", w, MAX_PACKET_FILES)):
        f = _obj(f, f"{w}.packet[{i}]")
        rel = safe_rel(f.get("path"))
        if rel.casefold() in seen:
            raise BundleError(f"数据包中同一案件有两个同名文件：{rel!r}，已拒绝（文件会互相覆盖）")
        seen.add(rel.casefold())
        sha = f.get("sha256")
        if not isinstance(sha, str) or not SHA.fullmatch(sha):
            raise _bad(f"{w}.packet[{i}].sha256", "不是有效的校验值")
        packet.append({"path": rel, "sha256": sha})
    return {
        "enterprise": ent, "record": rec,
        "record_severity": _choice(cd, "record_severity", w, RecordSeverity, "general"),
        "applicant": _choice(cd, "applicant", w, Applicant, "legal_representative"),
        "status": _choice(cd, "status", w, STATUSES, "未开始"),
        "checked_at": _datetime(cd, "checked_at", w), "as_of": _date(cd, "as_of", w),
        "eligible_from": _date(cd, "eligible_from", w), "first_ready": first_ready, "first_codes": first_codes,
        "submitted_on": _date(cd, "submitted_on", w), "query_code": _text(cd, "query_code", w, 60),
        "portal_outcome": _choice(cd, "portal_outcome", w, OUTCOMES, ""),
        "portal_reason": _text(cd, "portal_reason", w),
        "packet_name": _text(cd, "packet_name", w, 200), "packet": packet,
        "materials": [_material(m, f"{w}.materials[{i}]")
                      for i, m in enumerate(_list(cd, "materials", w, MAX_MATERIALS))],
        "findings": [_finding(f, f"{w}.findings[{i}]") for i, f in enumerate(_list(cd, "findings", w, MAX_FINDINGS))],
        "decisions": [_decision(d, f"{w}.decisions[{i}]")
                      for i, d in enumerate(_list(cd, "decisions", w, MAX_DECISIONS))],
    }


def _material(m: Any, w: str) -> dict:
    m = _obj(m, w)
    pages = _list(m, "pages", w, MAX_PAGES)
    fields = []
    for i, fv in enumerate(_list(m, "fields", w, MAX_FIELDS)):
        fv = _obj(fv, f"{w}.fields[{i}]")
        bbox = fv.get("bbox")
        if bbox is not None and not (isinstance(bbox, list) and len(bbox) == 4):
            raise _bad(f"{w}.fields[{i}].bbox", "应为四个数字")
        fields.append({"field": _choice(fv, "field", f"{w}.fields[{i}]", FieldId, None) or _fail_missing(f"{w}.fields[{i}].field"),
                       "value": _text(fv, "value", f"{w}.fields[{i}]"),
                       "page": _int(fv, "page", f"{w}.fields[{i}]"),
                       "bbox": [_float(x, f"{w}.fields[{i}].bbox") for x in bbox] if bbox is not None else None,
                       "confidence": _float(fv.get("confidence"), f"{w}.fields[{i}].confidence")})
    notes = _list(m, "notes", w)
    if len(notes) > 50 or not all(isinstance(n, str) and len(n) < 500 for n in notes):
        raise _bad(f"{w}.notes", "应为不超过 50 条的简短文字")
    return {"path": safe_rel(m.get("path")), "sha256": _text(m, "sha256", w, 64), "notes": notes,
            "kind": _choice(m, "kind", w, Kind, None) or _fail_missing(f"{w}.kind"),
            "pages": [_int({"p": p}, "p", f"{w}.pages") for p in pages],
            "text_source": _choice(m, "text_source", w, TextSource, "none"), "fields": fields}


def _finding(f: Any, w: str) -> dict:
    f = _obj(f, w)
    return {"code": _choice(f, "code", w, Code, None) or _fail_missing(f"{w}.code"),
            "severity": _choice(f, "severity", w, Severity, None) or _fail_missing(f"{w}.severity"),
            "kind": _choice(f, "kind", w, Kind, None), "field": _choice(f, "field", w, FieldId, None),
            "path": _opt_text(f, "path", w, 1000), "page": _int(f, "page", w, optional=True),
            "message": _text(f, "message", w, required=True)}


def _decision(d: Any, w: str) -> dict:
    """A decision is checked against what the desk applies: an unknown action, a correction of a field the app
    does not have, a kind it does not know (set_kind → "passport") or an override of an unknown finding code
    would be stored and fail the desk at every start."""
    d = _obj(d, w)
    action = _choice(d, "action", w, ACTIONS, None) or _fail_missing(f"{w}.action")
    target = _text(d, "target", w, 2000, required=True)
    value = _opt_text(d, "value", w, 2000)
    reason = _text(d, "reason", w, 2000)
    if action == "set_kind":
        if not target.startswith("kind:"):
            raise _bad(f"{w}.target", f"不是材料类别的决定对象：{target[:60]!r}")
        _choice({"value": value}, "value", w, Kind, None) or _fail_missing(f"{w}.value")
    elif action == "override" or (action == "confirm" and target.startswith("finding:")):
        code = target[len("finding:"):].split("/", 1)[0] if target.startswith("finding:") else ""
        _choice({"code": code}, "code", f"{w}.target", Code, None) or _fail_missing(f"{w}.target")
        if action == "override" and not reason.strip():
            raise _bad(f"{w}.reason", "缺失（驳回一项问题必须有理由）")
    elif action in ("confirm", "correct"):
        if target.startswith("field:"):
            fid = target.rsplit("/", 1)[-1]
        elif "/field:" in target:
            fid = target.rsplit("/field:", 1)[-1]
        else:
            raise _bad(f"{w}.target", f"不是字段的决定对象：{target[:60]!r}")
        _choice({"field": fid}, "field", f"{w}.target", FieldId, None)
    return {"action": action, "target": target, "value": value, "reason": reason,
            "instructor": _text(d, "instructor", w, 50, required=True),
            "made_at": _datetime(d, "made_at", w), "undone_at": _datetime(d, "undone_at", w)}


def _fail_missing(where: str):
    raise _bad(where, "缺失")
