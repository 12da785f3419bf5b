"""Letters from the credit office, filled from roster records: 信用修复提醒函 (one per record and one merged
file for printing), 信用修复材料清单, 信用修复证明, 关于删除失信信息的函; and the class summary with its chart."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from reportlab.lib.units import mm
from reportlab.platypus import PageBreak

from xinyong_desktop.checks.messages import FIELD_NAMES
from xinyong_desktop.documents.forms import fill, load_templates
from xinyong_desktop.documents.pdf import CONTENT_WIDTH, build, p, spacer, styles, table
from xinyong_desktop.domain.model import Applicant, FieldId, Kind, RecordSeverity
from xinyong_desktop.export.names import safe_name
from xinyong_desktop.roster.board import RosterRecord
from xinyong_desktop.rules.assess import NECIPS_CN, SEVERITY_CN, Assessment
from xinyong_desktop.rules.loader import MaterialRule, RuleBook

PLATFORM_NAMES = {"creditchina": "“信用中国”网站", "necips": "国家企业信用信息公示系统"}
CHANNELS = {"creditchina": "“信用中国”网站（www.creditchina.gov.cn）“信用修复”栏目",
            "necips": "国家企业信用信息公示系统（信用修复申请）"}
NO_GUIDE = ("withdrawn", "not_published", "not_repairable", "incomplete")  # nothing to apply for: no material list


@dataclass(frozen=True)
class LetterSettings:
    """What the office sets for a batch of letters.  The class's time and place and the office's contact are
    not stored on a class yet: they are given here (empty: the sentence is left out, never a blank)."""

    class_time: str = ""
    class_place: str = ""
    contact: str = ""  # else forms.toml [office] contact
    issuer: str = ""  # in whose name the reminder goes; "" = the office
    signer: str = ""  # who signs it (e.g. the authority's head, for 两书同达)
    issue_date: dt.date | None = None  # the date on the letter (served with the decision); None = the as-of day
    by_authority: bool = False  # 两书同达: issued in the name of each record's penalising authority


def cn_date(d: dt.date | None) -> str:
    return f"{d.year}年{d.month}月{d.day}日" if d else "________"


def _months(n: int | None) -> str:
    if n is None:
        return "不得提前终止"
    if n == 0:
        return "无（履行义务后即可申请）"
    return f"{n // 12}年" if n % 12 == 0 else f"{n}个月"


def materials_for(rules: RuleBook, rec: RosterRecord, applicant: Applicant,
                  extra: tuple[Kind, ...] = ()) -> list[MaterialRule]:
    """Submission and reference materials of this record's checklist (fine assumed imposed) + the office's."""
    return rules.checklist(rec.known_severity or RecordSeverity.GENERAL, applicant, rec.platform, True, extra)


def material_line(m: MaterialRule, fine_note: str) -> str:
    needs = [FIELD_NAMES[f] for f in m.required_fields if f not in (FieldId.SEAL, FieldId.SIGNATURE)]
    marks = [w for w, on in (("签字", m.signature), ("加盖公章", m.seal)) if on]
    bits = []
    if needs:
        bits.append("写明" + "、".join(needs))
    if marks:
        bits.append("、".join(marks))
    cond = fine_note if m.when == "fine_imposed" else ""
    return f"{m.name}{cond}：{'；'.join(bits) + '。' if bits else ''}{m.advice}"


def short_line(m: MaterialRule, fine_note: str) -> str:
    marks = [w for w, on in (("签字", m.signature), ("加盖公章", m.seal)) if on]
    return m.name + (fine_note if m.when == "fine_imposed" else "") + (f"（{'、'.join(marks)}）" if marks else "")


def platform_text(templates: dict, platform: str) -> dict[str, str]:
    return templates["platform"].get(platform) or templates["platform"]["creditchina"]


def _rule_titles(a: Assessment) -> str:
    titles = [a.ruleset.title] + ([a.max_ruleset.title] if a.max_ruleset is not a.ruleset else [])
    return "、".join(dict.fromkeys(titles))


def _sentences(rec: RosterRecord, rules: RuleBook, as_of: dt.date) -> dict[str, str]:
    """What a letter says about publication, applying and the end of publication, from the rule files."""
    platform = PLATFORM_NAMES.get(rec.platform, rec.platform)
    if rec.listing:
        return {"publicity": "该信息为严重失信主体名单信息。", "apply": rec.route(as_of=as_of), "ends": "",
                "rule_title": "", "min_period": "-", "max_period": "-", "last_day": ""}
    a = rec.assessment
    if a is None:  # no decision date: nothing can be said about the periods
        return {"publicity": "", "apply": "处罚决定日期不详，请以行政处罚决定书和" + platform + "显示为准。", "ends": "",
                "rule_title": "", "min_period": "-", "max_period": "-", "last_day": ""}
    el = a.eligibility
    last = el.last_published_day
    period = a.period
    mn, mx = (_months(period.min_months), _months(period.max_months)) if period else ("-", "-")
    out = {"rule_title": _rule_titles(a), "min_period": mn, "max_period": mx, "last_day": cn_date(last)}
    channel = CHANNELS.get(rec.platform, platform)
    if rec.platform == "necips":
        counted = "自公示之日起计算" + ("" if rec.published_on else "（公示日期未知，按处罚决定后20个工作日估算，以该系统显示为准）")
        kind = f"属于{NECIPS_CN[a.category]}，" if a.category and a.category != "not_published" else ""
        out["publicity"] = f"该信息在{platform}公示，{kind}公示期依据市场监管总局令第45号、国市监信规〔2021〕3号{counted}。"
        if not a.firm:
            out["publicity"] += f"该信息的处罚类别尚待确认（以{platform}显示为准）：{a.candidates_text()}。"
    elif a.status == "minor_unpublished":
        out["publicity"] = (f"该信息属于轻微失信行为信息，依据{a.ruleset.title}原则上不予公示；如已公示，最长公示期"
                            f"{_months(period.max_months) if period else '3个月'}。")
    elif not a.ruleset.by_severity and a.firm:
        sector = "（食品、药品、特种设备、安全生产、消防领域最短1年）" if a.category == "special_sectors" else ""
        out["publicity"] = (f"依据{a.ruleset.title}，该信息将在{platform}等网站公示，最短公示期{mn}{sector}，"
                            f"最长公示期{mx}。")
    elif a.firm:
        sev = ("失信程度待确认（按处罚种类和金额建议）的" if rec.severity_source == "proposed"
               else f"{SEVERITY_CN[rec.record_severity]}失信行为")
        out["publicity"] = (f"该信息属于{sev}信息，将在{platform}等网站公示，最短公示期{mn}，最长公示期{mx}"
                            f"（{a.ruleset.title}）。")
    else:
        out["publicity"] = (f"该信息的{'失信程度' if rec.platform != 'necips' else '处罚类别'}尚待确认"
                            f"（以{platform}显示为准）：{a.candidates_text()}。")
    if a.differs:
        out["publicity"] += "".join(f"{n}。" for n in a.notes if "两种规定" in n)
    if a.status == "not_published":
        out["apply"] = f"按简易程序作出的行政处罚和警告不予公示，无需申请信用修复（以{platform}显示为准）。"
        out["ends"] = ""
        return out
    if not a.firm:
        what = "处罚类别" if rec.platform == "necips" else "失信程度"
        out["apply"] = (f"请先在{platform}查询该信息的{what}和公示情况，在全面履行行政处罚决定所确定的义务、纠正失信行为后，"
                        f"按对应的日期通过{channel}在线申请信用修复。")
    elif el.eligible_from is None:
        out["apply"] = (f"该信息按规定不得提前终止公示，期满自动停止公示（{cn_date(last)}期满），"
                        "无需也无法申请信用修复。")
        return {**out, "ends": ""}
    elif a.status == "minor_unpublished" or el.eligible_from <= el.start:
        out["apply"] = (f"贵单位全面履行行政处罚决定所确定的义务、纠正失信行为后，即可通过{channel}在线申请信用修复。")
    else:
        out["apply"] = (f"贵单位在全面履行行政处罚决定所确定的义务、纠正失信行为后，自{cn_date(el.eligible_from)}起可通过"
                        f"{channel}在线申请信用修复。")
    out["ends"] = (f"最长公示期至{cn_date(last)}届满，届满后该信息终止公示（以{platform}显示为准）。"
                   if a.firm else "")
    return out


def _enterprise(rec: RosterRecord) -> str:
    code = rec.uscc or rec.registration_number
    what = "统一社会信用代码" if rec.uscc else "注册号"
    return f"{rec.enterprise_name}（{what}：{code}）" if code else rec.enterprise_name


def _record_sentence(rec: RosterRecord) -> tuple[str, str, str]:
    """The decision in active and passive voice and in brief, leaving out what is not known."""
    when = f"于{cn_date(rec.decision_date)}" if rec.decision_date else ""
    who = rec.authority
    number = f"（处罚决定书文号：{rec.decision_number}）" if rec.decision_number else ""
    active = f"贵单位{when}受到{who + '作出的' if who else ''}行政处罚{number}。"
    passive = f"{when}受到{who + '作出的' if who else ''}行政处罚{number}"
    brief = "，".join(x for x in (rec.decision_number, who,
                                  f"{cn_date(rec.decision_date)}作出" if rec.decision_date else "") if x)
    return active, passive, brief


def record_facts(rec: RosterRecord, rules: RuleBook, as_of: dt.date, templates: dict,
                 extra: tuple[Kind, ...] = (), settings: LetterSettings | None = None) -> dict[str, str]:
    settings = settings or LetterSettings()
    lr = materials_for(rules, rec, Applicant.LEGAL_REPRESENTATIVE, extra)
    fine_note = templates["material_list"].get("fine_note", "")
    subm = [m for m in lr if m.submission]
    lines = [short_line(m, fine_note) for m in subm]
    if rules.penalties.needs_authority_proof(rec.penalty_types):
        lines.append(rules.authority_proof.name)
    pt = platform_text(templates, rec.platform)
    active, passive, brief = _record_sentence(rec)
    contact = settings.contact or templates["office"].get("contact", "")
    klass = (fill(templates["class"]["with_time"], {"class_time": settings.class_time,
                                                    "class_place": settings.class_place or "另行通知"})
             if settings.class_time else templates["class"]["without_time"])
    issuer = (rec.authority if settings.by_authority and rec.authority else settings.issuer) or templates["office"]["name"]
    out = {
        "enterprise_name": rec.enterprise_name, "uscc": rec.uscc or rec.registration_number,
        "enterprise": _enterprise(rec), "record": active, "record_passive": passive, "record_short": brief,
        "decision_number": rec.decision_number,
        "penalty_authority": rec.authority, "decision_date": cn_date(rec.decision_date),
        "legal_representative": rec.legal_representative, "severity": rec.severity_label,
        "eligible_from": cn_date(rec.eligible_from), "withdrawn_on": cn_date(rec.withdrawn_on),
        "platform_name": PLATFORM_NAMES.get(rec.platform, rec.platform), "channel": CHANNELS.get(rec.platform, ""),
        "materials": "申请时需提交的材料：" + "；".join(f"{i}. {line}" for i, line in enumerate(lines, 1)) + "。",
        "processing": pt["processing"], "rejection": pt["rejection"], "once": pt["once"], "query": pt["query"],
        "payment": templates["payment"]["text"] if (rec.fine_yuan is None or rec.fine_yuan > 0) else "",
        "class": klass, "contact": f"联系方式：{contact}" if contact else "",
        "office": templates["office"]["name"], "today": cn_date(as_of),
        "issuer": issuer, "signer": settings.signer, "issue_date": cn_date(settings.issue_date or as_of),
    }
    out.update(_sentences(rec, rules, as_of))
    if rec.listing or (rec.assessment is not None and rec.assessment.status in NO_GUIDE):
        out["materials"] = out["payment"] = ""  # nothing to apply for: no list of materials
        if rec.assessment is not None and rec.assessment.status in ("not_repairable", "not_published", "withdrawn"):
            out["processing"] = out["rejection"] = out["once"] = ""
    return out


def _letter_story(kind: str, facts: dict[str, str], templates: dict) -> list:
    """Title, number, addressee, paragraphs and sign-off; a paragraph or line that fills to nothing is left out."""
    tpl = templates[kind]
    st = styles()
    story = [p(fill(tpl["title"], facts), st["title"])]
    if tpl.get("number") and facts.get("number"):
        story.append(p(fill(tpl["number"], facts), st["signoff"]))
    if tpl.get("intro"):
        story += [p(fill(tpl["intro"], facts), st["plain"]), spacer(6)]
    for para in tpl.get("paragraphs", []):
        text = fill(para, facts).strip()
        if text:
            story.append(p(text, st["letter"]))
    story.append(spacer(14))  # the issuer signs with its name and date, right-aligned; the seal goes over them
    story += [p(line, st["signoff"]) for s in tpl.get("sign", []) if (line := fill(s, facts).strip())]
    return story + _notes(tpl, facts)


def _notes(tpl: dict, facts: dict[str, str]) -> list:
    """The template's notes in small type ("说明："), those that fill to nothing left out."""
    notes = [text for n in tpl.get("notes", []) if (text := fill(n, facts).strip())]
    if not notes:
        return []
    st = styles()
    return [spacer(6)] + [p(("说明：" if i == 0 else "") + n, st["small"]) for i, n in enumerate(notes)]


def _file_name(rec: RosterRecord, kind_file: str) -> str:
    serial = rec.decision_number.split("〕")[-1].replace("号", "").replace("第", "")
    return safe_name(f"{rec.enterprise_name}_{serial}_{kind_file}")


def _write_batch(records: list[RosterRecord], story, file_name: str, label: str, out_dir: Path,
                 progress=None) -> tuple[list[Path], Path | None]:
    """One PDF per record (story(rec) gives its flowables) and all of them in one file for printing."""
    out_dir.mkdir(parents=True, exist_ok=True)
    paths, merged = [], []
    if progress:
        progress.start(len(records) + 1, f"正在生成{label}…")
    for rec in records:
        if progress and progress.cancelled:
            break
        paths.append(build(out_dir / _file_name(rec, file_name), story(rec), rec.enterprise_name))
        merged += story(rec) + [PageBreak()]  # flowables are single-use: a fresh story for the merged file
        if progress:
            progress.step(rec.enterprise_name)
    merged_path = build(out_dir / f"全部_{file_name}", merged[:-1], f"{label}（合并打印）") if merged else None
    return paths, merged_path


def write_reminders(records: list[RosterRecord], rules: RuleBook, out_dir: Path, as_of: dt.date,
                    progress=None, settings: LetterSettings | None = None) -> tuple[list[Path], Path | None]:
    """信用修复提醒函: one per record, and all of them in one file for printing.  ``settings`` names the issuer
    (the penalising authority for 两书同达), its signer and date, the class's time and place, the contact."""
    templates = load_templates()
    return _write_batch(
        records, lambda rec: _letter_story("reminder_letter",
                                           record_facts(rec, rules, as_of, templates, settings=settings), templates),
        templates["reminder_letter"]["file"], "信用修复提醒函", out_dir, progress)


def needs_guide(rec: RosterRecord) -> bool:
    """A material list only for a record there is something to apply for (not withdrawn, never published,
    not ended early, not a listing)."""
    return not rec.listing and rec.status not in NO_GUIDE


def _guide_story(rec: RosterRecord, rules: RuleBook, as_of: dt.date, templates: dict,
                 extra: tuple[Kind, ...] = (), settings: LetterSettings | None = None) -> list:
    tpl = templates["material_list"]
    facts = record_facts(rec, rules, as_of, templates, extra, settings)
    st = styles()
    story = [p(tpl["title"], st["title"]), p(fill(tpl["intro"], facts), st["plain"]), spacer(4)]
    story += [p(text, st["body"]) for x in tpl.get("paragraphs", []) if (text := fill(x, facts).strip())]
    story.append(spacer(8))
    lr = materials_for(rules, rec, Applicant.LEGAL_REPRESENTATIVE, extra)
    agent = [m for m in materials_for(rules, rec, Applicant.AGENT, extra) if m not in lr]
    fine_note = tpl.get("fine_note", "")
    where = "上传“信用中国”" if rec.platform == "creditchina" else "上传公示系统"

    def rows(items: list[MaterialRule]) -> list[list[str]]:
        return [[str(i), m.name + (fine_note if m.when == "fine_imposed" else ""),
                 (f"提交材料\n（{where}）" if m.submission else "核对材料\n（培训班核对）")
                 + ("\n本班要求" if rec.platform not in m.platforms else ""),
                 material_line(m, "").split("：", 1)[1]]
                for i, m in enumerate(items, 1)]

    widths = [13 * mm, 44 * mm, 24 * mm, CONTENT_WIDTH - 81 * mm]
    story.append(table([["序号", "材料", "用途", "要求"]] + rows(lr), widths, header=True, size="small"))
    if agent:
        story += [spacer(8), p(tpl.get("agent_note", ""), st["plain"]),
                  table([["序号", "材料", "用途", "要求"]] + rows(agent), widths, header=True, size="small")]
    story += [spacer(10), p(tpl.get("mistakes_title", ""), st["plain"])]
    story += [p(f"{i}. {m}", st["small"]) for i, m in enumerate(tpl.get("mistakes", []), 1)]
    return story + _notes(tpl, facts)


def write_guides(records: list[RosterRecord], rules: RuleBook, out_dir: Path, as_of: dt.date,
                 progress=None, extra: tuple[Kind, ...] = (),
                 settings: LetterSettings | None = None) -> tuple[list[Path], Path | None]:
    """信用修复材料清单: one per record there is something to apply for (``needs_guide``) and one merged file;
    content comes from the rule files (+ the class's additions ``extra``)."""
    templates = load_templates()
    return _write_batch([r for r in records if needs_guide(r)],
                        lambda rec: _guide_story(rec, rules, as_of, templates, extra, settings),
                        templates["material_list"]["file"], "信用修复材料清单", out_dir, progress)


def legal_basis(rec: RosterRecord, rules: RuleBook, day: dt.date) -> str:
    """The rules the certificate or letter relies on: the platform's rule set in force on ``day``."""
    rs = rules.ruleset_for(day, rec.platform)
    extra = "及国办发〔2025〕22号" if rs.id == "ndrc-order36" else ""
    if rec.platform == "necips":
        return "《市场监督管理信用修复管理办法》（国市监信规〔2021〕3号）"
    return rs.title + extra


def _repair_facts(rec: RosterRecord, rules: RuleBook, as_of: dt.date, repaired_on: dt.date | None,
                  number: str) -> dict[str, str]:
    templates = load_templates()
    facts = record_facts(rec, rules, as_of, templates)
    facts.update(repaired=f"于{cn_date(repaired_on)}" if repaired_on else "", number=number,
                 basis=legal_basis(rec, rules, repaired_on or as_of))
    return facts


def render_certificate(rec: RosterRecord, rules: RuleBook, out: Path, as_of: dt.date, repaired_on: dt.date | None,
                       query_code: str = "", number: str = "") -> Path:
    """信用修复证明: what the office found on the record's platform, its legal basis, its register number."""
    facts = _repair_facts(rec, rules, as_of, repaired_on, number)
    facts["query_code"] = f"（查询码：{query_code}）" if query_code else ""
    return build(out, _letter_story("repair_certificate", facts, load_templates()), "信用修复证明")


def render_deletion_letter(rec: RosterRecord, rules: RuleBook, out: Path, as_of: dt.date, third_party: str,
                           repaired_on: dt.date | None, number: str = "") -> Path:
    facts = _repair_facts(rec, rules, as_of, repaired_on, number)
    facts["third_party"] = third_party or "相关信用服务机构"
    return build(out, _letter_story("deletion_letter", facts, load_templates()), "关于删除失信信息的函")

