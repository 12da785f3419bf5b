"""Pre-filled repair forms (申请书, 承诺书, 授权委托书) and the review record, from a checked packet."""
from __future__ import annotations

import datetime as dt
import tomllib
from pathlib import Path

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Table, TableStyle

from xinyong_desktop.documents.pdf import CONTENT_WIDTH, build, p, spacer, styles, table
from xinyong_desktop.domain.model import STRONG, Applicant, FieldId, Kind
from xinyong_desktop.domain.review import mask
from xinyong_desktop.resources import resource_path
from xinyong_desktop.rules.loader import RuleBook

BLANK = "________"

# where each fact is taken from, most authoritative first
SOURCES: dict[str, list[tuple[Kind, FieldId]]] = {
    "enterprise_name": [(Kind.BUSINESS_LICENSE, FieldId.ENTERPRISE_NAME), (Kind.PENALTY_DECISION, FieldId.ENTERPRISE_NAME),
                        (Kind.APPLICATION_FORM, FieldId.ENTERPRISE_NAME)],
    "uscc": [(Kind.BUSINESS_LICENSE, FieldId.USCC), (Kind.PENALTY_DECISION, FieldId.USCC), (Kind.APPLICATION_FORM, FieldId.USCC)],
    "legal_representative": [(Kind.BUSINESS_LICENSE, FieldId.LEGAL_REPRESENTATIVE),
                             (Kind.PENALTY_DECISION, FieldId.LEGAL_REPRESENTATIVE), (Kind.LEGAL_REP_ID, FieldId.ID_NAME)],
    "decision_number": [(Kind.PENALTY_DECISION, FieldId.DECISION_NUMBER), (Kind.APPLICATION_FORM, FieldId.DECISION_NUMBER)],
    "penalty_authority": [(Kind.PENALTY_DECISION, FieldId.PENALTY_AUTHORITY), (Kind.APPLICATION_FORM, FieldId.PENALTY_AUTHORITY)],
    "decision_date": [(Kind.PENALTY_DECISION, FieldId.DECISION_DATE), (Kind.APPLICATION_FORM, FieldId.DECISION_DATE)],
    "fine_amount": [(Kind.PENALTY_DECISION, FieldId.FINE_AMOUNT)],
    # the person who actually comes is the one on the ID card: name and number from the card first
    "agent_name": [(Kind.AGENT_ID, FieldId.ID_NAME), (Kind.AUTHORIZATION_LETTER, FieldId.AGENT_NAME)],
    "agent_id_number": [(Kind.AGENT_ID, FieldId.ID_NUMBER), (Kind.AUTHORIZATION_LETTER, FieldId.ID_NUMBER)],
    "contact_phone": [(Kind.APPLICATION_FORM, FieldId.CONTACT_PHONE), (Kind.AUTHORIZATION_LETTER, FieldId.CONTACT_PHONE)],
}


def load_templates() -> dict:
    with open(resource_path("templates", "forms.toml"), "rb") as fh:
        return tomllib.load(fh)


def case_facts(result, templates: dict | None = None) -> dict[str, str]:
    """The confirmed facts of a checked packet, for filling forms: a value read less surely than STRONG (and not
    confirmed by the instructor, which makes it 0.97) is left blank for the enterprise to write."""
    out: dict[str, str] = {}
    for key, sources in SOURCES.items():
        for kind, fid in sources:
            v = next((m.value(fid) for m in result.materials if m.kind == kind and m.value(fid)
                      and m.fields[fid].confidence >= STRONG), None)
            if v:
                out[key] = v
                break
    platform = getattr(result.facts, "platform", "creditchina") or "creditchina"
    pt = (templates or load_templates())["platform"]
    pt = pt.get(platform) or pt["creditchina"]
    out.update(platform=platform, platform_name=pt["name"], processing=pt["processing"], rejection=pt["rejection"],
               once=pt["once"])
    if "decision_date" in out:
        d = dt.date.fromisoformat(out["decision_date"])
        out["decision_date"] = f"{d.year}年{d.month}月{d.day}日"
    if "fine_amount" in out:
        out["fine_amount"] = f"{float(out['fine_amount']):,.2f}".rstrip("0").rstrip(".")
    out["today"] = f"{result.as_of.year}年{result.as_of.month}月{result.as_of.day}日"
    if result.eligible_from:
        out["eligible_from"] = result.eligible_from.isoformat()
    return out


class _Blank(dict):
    def __missing__(self, key: str) -> str:
        return BLANK


def fill(text: str, facts: dict[str, str]) -> str:
    return text.format_map(_Blank(facts))


def _sign_block(lines: list[str]) -> KeepTogether:
    st = styles()
    rows = []
    for line in lines:
        box = line.endswith("（盖章）") or line.endswith("（签字）")
        rows.append([p(line + ("：" if box else ""), st["plain"]), ""])
    t = Table(rows, colWidths=[70 * mm, 45 * mm], rowHeights=[16 * mm if r[0].text.endswith("章）：") else 11 * mm
                                                                 for r in rows], hAlign="RIGHT")
    cmds: list[tuple] = [("VALIGN", (0, 0), (-1, -1), "MIDDLE")]
    for i, line in enumerate(lines):
        if line.endswith("（盖章）") or line.endswith("（签字）"):
            cmds.append(("BOX", (1, i), (1, i), 0.5, colors.grey))  # where the enterprise signs or stamps
    t.setStyle(TableStyle(cmds))
    return KeepTogether([spacer(18), t])


def render_form(kind: str, facts: dict[str, str], out: Path, templates: dict | None = None) -> Path:
    """A form from its template; a NECIPS case gets the platform's own variant (``<kind>_necips``) when there is one."""
    templates = templates or load_templates()
    tpl = templates.get(f"{kind}_{facts.get('platform')}") or templates[kind]
    st = styles()
    story = [p(tpl["title"], st["title"])]
    if tpl.get("rows"):
        story.append(table([[k, fill(v, facts)] for k, v in tpl["rows"]], [48 * mm, CONTENT_WIDTH - 48 * mm]))
        story.append(spacer(14))
    for para in tpl.get("paragraphs", []):
        story.append(p(fill(para, facts), st["body"]))
    story.append(_sign_block([fill(s, facts) for s in tpl.get("sign", [])]))
    return build(out, story, tpl["title"])


def render_review_record(result, rules: RuleBook, out: Path, instructor: str, decisions: list | None = None,
                         status: str | None = None) -> Path:
    """One page per enterprise where it fits: every material and field, every finding and override, the verdict."""
    tpl = load_templates()
    st = styles()
    facts = case_facts(result)
    story = [p(tpl["review_record"]["title"], st["title"])]
    story.append(table([["企业名称", facts.get("enterprise_name", BLANK), "统一社会信用代码", facts.get("uscc", BLANK)],
                        ["处罚决定书文号", facts.get("decision_number", BLANK), "可申请日期", facts.get("eligible_from", "-")],
                        ["失信程度", "未知（待确认）" if "record_severity" in getattr(result.facts, "assumed", ())
                         else {"minor": "轻微", "general": "一般", "serious": "严重"}[str(result.facts.record_severity)],
                         "申请人", "法定代表人" if result.facts.applicant == Applicant.LEGAL_REPRESENTATIVE else "委托经办人"]],
                       [30 * mm, 52 * mm, 32 * mm, CONTENT_WIDTH - 114 * mm], size="small"))
    story.append(spacer(8))
    rows = [["材料", "文件（页）", "识别内容"]]
    for m in result.materials:
        vals = "；".join(f"{_fname(fid)}：{mask(str(fid), fv.value) if str(fid) in ('id_number', 'contact_phone') else _mark(fv.value)}"
                        for fid, fv in m.fields.items())
        rows.append([rules.materials[m.kind].name, f"{m.path}（{','.join(map(str, m.pages)) or '-'}）", vals or "-"])
    story.append(table(rows, [34 * mm, 40 * mm, CONTENT_WIDTH - 74 * mm], header=True, size="tiny"))
    story.append(spacer(8))
    overrides = {d.target: d for d in (decisions or []) if d.action == "override"}
    from xinyong_desktop.domain.review import finding_key

    frows = [["级别", "问题", "处理"]]
    for f in result.findings:
        key = finding_key(str(f.code), str(f.kind) if f.kind else None, str(f.field) if f.field else None, f.path)
        d = overrides.get(key)
        frows.append([{"error": "错误", "review": "待核对"}.get(str(f.severity), "提示"), f.message,
                      f"已忽略：{d.reason}（{d.instructor}）" if d else "待补正" if f.severity == "error" else "-"])
    if len(frows) == 1:
        frows.append(["-", "未发现问题", "-"])
    story.append(table(frows, [14 * mm, CONTENT_WIDTH - 64 * mm, 50 * mm], header=True, size="tiny"))
    others = [d for d in (decisions or []) if d.action in ("confirm", "correct", "set_kind")]
    if others:
        story.append(spacer(8))
        drows = [["审核决定", "对象", "处理人"]]
        for d in others:
            what = {"confirm": "确认", "correct": "更正为", "set_kind": "改为材料"}[d.action]
            value = d.value or ""
            if d.action == "set_kind":
                try:
                    value = rules.materials[Kind(value)].name
                except (ValueError, KeyError):
                    pass
            elif any(t in d.target for t in ("/id_number", "/contact_phone")):
                value = mask("id_number" if "/id_number" in d.target else "contact_phone", value)
            drows.append([f"{what}{('：' + _mark(value)) if d.action != 'confirm' else ''}", _target_text(d.target, rules),
                          f"{d.instructor}{('（' + d.reason + '）') if d.reason else ''}"])
        story.append(table(drows, [44 * mm, CONTENT_WIDTH - 94 * mm, 50 * mm], header=True, size="tiny"))
    story.append(spacer(10))
    verdict = status or ("可以提交" if result.ready else "需补正后提交")
    story.append(p(f"审核结论：{verdict}　　审核人：{instructor}　　审核日期：{facts['today']}", st["plain"]))
    return build(out, story, tpl["review_record"]["title"])


def _target_text(target: str, rules: RuleBook) -> str:
    """A decision's target in words: the file and the field."""
    what, _, rest = target.partition(":")
    if what != "field":
        return rest.split("#")[0]
    key, _, fid = rest.rpartition("/")
    name = _fname(FieldId(fid)) if fid in FieldId._value2member_map_ else fid
    return f"{key.split('#')[0]} {name}"


def _fname(fid) -> str:
    from xinyong_desktop.checks.messages import FIELD_NAMES

    return FIELD_NAMES.get(fid, str(fid))


def _mark(v: str) -> str:
    return {"present": "有", "absent": "未见"}.get(v, v)


def write_forms(result, rules: RuleBook, out_dir: Path, instructor: str = "", decisions: list | None = None,
                status: str | None = None) -> list[Path]:
    """The pre-filled forms this case needs, plus the review record (with the instructor's decisions)."""
    templates = load_templates()
    facts = case_facts(result)
    kinds = ["application_form", "commitment_letter"]
    if result.facts.applicant == Applicant.AGENT:
        kinds.append("authorization_letter")
    paths = [render_form(k, facts, out_dir / templates[k]["file"], templates) for k in kinds]
    paths.append(render_review_record(result, rules, out_dir / templates["review_record"]["file"], instructor or "-",
                                      decisions, status))
    return paths
