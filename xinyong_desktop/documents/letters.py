"""Letters from the credit office, filled from roster records: 信用修复提醒函 (one per record and one merged
file for printing), 信用修复材料清单, 信用修复证明, 关于删除失信信息的函; and the class summary with its chart."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from reportlab.lib.units import mm
from reportlab.platypus import PageBreak

from xinyong_desktop.checks.messages import FIELD_NAMES, code_title
from xinyong_desktop.documents.forms import fill, load_templates
from xinyong_desktop.documents.pdf import CONTENT_WIDTH, build, p, spacer, styles, table
from xinyong_desktop.domain.model import Applicant, FieldId, Kind
from xinyong_desktop.export.names import safe_name
from xinyong_desktop.roster.board import SEVERITY_CN, RosterRecord
from xinyong_desktop.rules.loader import MaterialRule, RuleBook

PLATFORM_NAMES = {"creditchina": "“信用中国”网站", "necips": "国家企业信用信息公示系统"}
CHANNELS = {"creditchina": "“信用中国”网站（www.creditchina.gov.cn）“信用修复”栏目",
            "necips": "国家企业信用信息公示系统（信用修复申请）"}


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
    return rules.checklist(rec.record_severity, applicant, rec.platform, True, extra)


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


def _sentences(rec: RosterRecord, rules: RuleBook, as_of: dt.date) -> dict[str, str]:
    """What the letter says about publication, applying and the end of publication, from the rule files."""
    platform = PLATFORM_NAMES.get(rec.platform, rec.platform)
    if rec.listing:
        return {"publicity": "该信息为严重失信主体名单信息。", "apply": rec.route(), "ends": "", "rule_title": "",
                "min_period": "-", "max_period": "-", "last_day": "________"}
    rs = rules.ruleset_for(as_of, rec.platform)
    category = (rules.penalties.necips_category(rec.penalty_types, rec.fine_yuan, rec.penalty_text + rec.authority)
                if rec.platform == "necips" else None)
    period = rs.periods[rs.category(rec.record_severity, category)]
    mn, mx = _months(period.min_months), _months(period.max_months)
    last = rec.withdrawn_on - dt.timedelta(days=1) if rec.withdrawn_on else None
    out = {"rule_title": rs.title, "min_period": mn, "max_period": mx, "last_day": cn_date(last)}
    if rec.platform == "necips":
        counted = "自公示之日起计算" + ("" if rec.published_on else "（公示日期未知，按处罚决定后20个工作日估算，以该系统显示为准）")
        out["publicity"] = f"该信息在{platform}公示，依据{rs.title}{counted}。"
    elif not period.published:
        out["publicity"] = (f"该信息属于{SEVERITY_CN[rec.record_severity]}失信行为信息，依据{rs.title}原则上不予公示；"
                            f"如已公示，最长公示期{mx}。")
    else:
        sev = "失信程度待确认的" if rec.severity_source != "roster" else f"{SEVERITY_CN[rec.record_severity]}失信行为"
        out["publicity"] = (f"该信息属于{sev}信息，将在{platform}等网站公示，最短公示期{mn}，最长公示期{mx}"
                            f"（{rs.title}）。")
    if period.min_months is None:
        out["apply"] = "该信息按规定不适用提前终止公示，无需申请信用修复。"
    elif period.min_months == 0:
        out["apply"] = (f"贵单位全面履行行政处罚决定所确定的义务、纠正失信行为后，即可通过{CHANNELS.get(rec.platform)}"
                        "在线申请信用修复。")
    else:
        out["apply"] = (f"贵单位在全面履行行政处罚决定所确定的义务、纠正失信行为后，自{cn_date(rec.eligible_from)}起可通过"
                        f"{CHANNELS.get(rec.platform)}在线申请信用修复。")
    out["ends"] = (f"最长公示期至{cn_date(last)}届满，届满后该信息终止公示（以{platform}显示为准）。" if last else "")
    return out


def record_facts(rec: RosterRecord, rules: RuleBook, as_of: dt.date, templates: dict,
                 extra: tuple[Kind, ...] = ()) -> dict[str, str]:
    lr = materials_for(rules, rec, Applicant.LEGAL_REPRESENTATIVE, extra)
    fine_note = templates["material_list"].get("fine_note", "")
    subm = [m for m in lr if m.submission]
    lines = [short_line(m, fine_note) for m in subm]
    if rules.penalties.needs_authority_proof(rec.penalty_types):
        lines.append(rules.authority_proof.name)
    out = {
        "enterprise_name": rec.enterprise_name, "uscc": rec.uscc or rec.registration_number,
        "decision_number": rec.decision_number,
        "penalty_authority": rec.authority or "________", "decision_date": cn_date(rec.decision_date),
        "legal_representative": rec.legal_representative, "severity": rec.severity_label,
        "eligible_from": cn_date(rec.eligible_from), "withdrawn_on": cn_date(rec.withdrawn_on),
        "platform_name": PLATFORM_NAMES.get(rec.platform, rec.platform), "channel": CHANNELS.get(rec.platform, ""),
        "materials": "\n".join(f"{i}. {line}" for i, line in enumerate(lines, 1)),
        "office": templates["office"]["name"], "today": cn_date(as_of),
    }
    out.update(_sentences(rec, rules, as_of))
    return out


def _letter_story(kind: str, facts: dict[str, str], templates: dict) -> list:
    tpl = templates[kind]
    st = styles()
    story = [p(fill(tpl["title"], facts), st["title"])]
    if tpl.get("intro"):
        story += [p(fill(tpl["intro"], facts), st["plain"]), spacer(6)]
    for para in tpl.get("paragraphs", []):
        story.append(p(fill(para, facts), st["letter"]))
    story.append(spacer(24))  # the office signs with its name and date, right-aligned; the seal goes over them
    story += [p(fill(s, facts), st["signoff"]) for s in tpl.get("sign", [])]
    return story


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
                    progress=None) -> tuple[list[Path], Path | None]:
    """信用修复提醒函: one per record, and all of them in one file for printing."""
    templates = load_templates()
    return _write_batch(
        records, lambda rec: _letter_story("reminder_letter", record_facts(rec, rules, as_of, templates), templates),
        templates["reminder_letter"]["file"], "信用修复提醒函", out_dir, progress)


def _guide_story(rec: RosterRecord, rules: RuleBook, as_of: dt.date, templates: dict,
                 extra: tuple[Kind, ...] = ()) -> list:
    tpl = templates["material_list"]
    facts = record_facts(rec, rules, as_of, templates, extra)
    st = styles()
    story = [p(tpl["title"], st["title"]), p(fill(tpl["intro"], facts), st["plain"]), spacer(4)]
    story += [p(fill(x, facts), st["body"]) for x in tpl.get("paragraphs", [])]
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
    return story


def write_guides(records: list[RosterRecord], rules: RuleBook, out_dir: Path, as_of: dt.date,
                 progress=None, extra: tuple[Kind, ...] = ()) -> tuple[list[Path], Path | None]:
    """信用修复材料清单: one per record and one merged file; content comes from the rule files (+ the class's
    additions ``extra``)."""
    templates = load_templates()
    return _write_batch(records, lambda rec: _guide_story(rec, rules, as_of, templates, extra),
                        templates["material_list"]["file"], "信用修复材料清单", out_dir, progress)


def render_certificate(rec: RosterRecord, rules: RuleBook, out: Path, as_of: dt.date, repaired_on: dt.date | None,
                       query_code: str = "") -> Path:
    templates = load_templates()
    facts = record_facts(rec, rules, as_of, templates)
    facts.update(repaired_on=cn_date(repaired_on), query_code=query_code or "________")
    return build(out, _letter_story("repair_certificate", facts, templates), "信用修复证明")


def render_deletion_letter(rec: RosterRecord, rules: RuleBook, out: Path, as_of: dt.date, third_party: str,
                           repaired_on: dt.date | None) -> Path:
    templates = load_templates()
    facts = record_facts(rec, rules, as_of, templates)
    facts.update(third_party=third_party or "________", repaired_on=cn_date(repaired_on))
    return build(out, _letter_story("deletion_letter", facts, templates), "关于删除失信信息的函")


# ---------------------------------------------------------------- class summary
def _bar_chart(items: list[tuple[str, int]], width: float, height: float):
    from reportlab.graphics.charts.barcharts import HorizontalBarChart
    from reportlab.graphics.shapes import Drawing, String
    from reportlab.lib import colors

    from xinyong_desktop.documents.pdf import font

    d = Drawing(width, height)
    if not items:
        d.add(String(0, height / 2, "暂无数据", fontName=font(), fontSize=11))
        return d
    items = list(reversed(items))  # the biggest on top
    c = HorizontalBarChart()
    c.x, c.y, c.width, c.height = 120, 10, width - 160, height - 20
    c.data = [[n for _, n in items]]
    c.categoryAxis.categoryNames = [t for t, _ in items]
    c.categoryAxis.labels.fontName = font()
    c.categoryAxis.labels.fontSize = 10
    c.valueAxis.labels.fontName = font()
    c.valueAxis.valueMin = 0
    c.valueAxis.valueStep = max(1, max(n for _, n in items) // 5)
    c.bars[0].fillColor = colors.Color(0.2, 0.43, 0.7)
    c.barLabelFormat = "%d"
    c.barLabels.fontName = font()
    c.barLabels.fontSize = 9
    c.barLabels.nudge = 8
    d.add(c)
    return d


def render_class_summary(title: str, info: str, stats, board_counts: dict[str, int], out: Path,
                         instructor: str, today: dt.date) -> Path:
    st = styles()
    tpl = load_templates()["class_summary"]
    story = [p(tpl["title"], st["title"]), p(title, st["plain"]), p(info, st["small"]), spacer(8)]
    rows = [["邀请企业", f"{stats.enterprises} 家"], ["案件（处罚记录）", f"{stats.cases} 件"],
            ["已审核", str(stats.reviewed)], ["首次检查即就绪", str(stats.ready_first)],
            ["补正后就绪", str(stats.ready_after_correction)], ["已导出", str(stats.exported)],
            ["已提交平台", str(stats.submitted)], ["平台一次通过", str(stats.passed_first)],
            ["已修复", str(stats.repaired)]]
    rows += [[k, str(v)] for k, v in board_counts.items()]
    story.append(table(rows, [60 * mm, CONTENT_WIDTH - 60 * mm]))
    story += [spacer(10), p("首次检查最常见的问题", st["plain"]),
              _bar_chart([(code_title(c), n) for c, n in stats.top_codes], CONTENT_WIDTH, 150)]
    story += [spacer(6), p("案件状态", st["plain"]),
              _bar_chart(sorted(stats.by_status.items(), key=lambda t: -t[1]), CONTENT_WIDTH, 120)]
    story.append(p(f"制表：{instructor}　　{cn_date(today)}", st["small"]))
    return build(out, story, tpl["title"])

