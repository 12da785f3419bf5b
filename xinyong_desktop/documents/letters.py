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
from xinyong_desktop.domain.model import Applicant, FieldId
from xinyong_desktop.export.names import safe_name
from xinyong_desktop.roster.board import SEVERITY_CN, RosterRecord
from xinyong_desktop.rules.loader import MaterialRule, RuleBook

PLATFORM_NAMES = {"creditchina": "“信用中国”网站", "necips": "国家企业信用信息公示系统"}


def cn_date(d: dt.date | None) -> str:
    return f"{d.year}年{d.month}月{d.day}日" if d else "________"


def _months(n: int) -> str:
    if n == 0:
        return "无（履行义务后即可申请）"
    return f"{n // 12}年" if n % 12 == 0 else f"{n}个月"


def materials_for(rules: RuleBook, rec: RosterRecord, applicant: Applicant) -> list[MaterialRule]:
    """Submission and reference materials the rule files require for this record (fine assumed imposed)."""
    return [m for m in rules.materials.values()
            if m.required_for(rec.record_severity, applicant, fine_imposed=True)]


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


def record_facts(rec: RosterRecord, rules: RuleBook, as_of: dt.date, templates: dict) -> dict[str, str]:
    rs = rules.ruleset_for(as_of, rec.platform)
    period = rs.periods[rec.record_severity]
    lr = materials_for(rules, rec, Applicant.LEGAL_REPRESENTATIVE)
    fine_note = templates["material_list"].get("fine_note", "")
    subm = [m for m in lr if m.role == "submission"]
    return {
        "enterprise_name": rec.enterprise_name, "uscc": rec.uscc, "decision_number": rec.decision_number,
        "penalty_authority": rec.authority or "________", "decision_date": cn_date(rec.decision_date),
        "legal_representative": rec.legal_representative, "severity": SEVERITY_CN[rec.record_severity],
        "min_period": _months(period.min_months), "max_period": _months(period.max_months),
        "eligible_from": cn_date(rec.eligible_from), "withdrawn_on": cn_date(rec.withdrawn_on),
        "platform_name": PLATFORM_NAMES.get(rec.platform, rec.platform),
        "materials": "\n".join(f"{i}. {short_line(m, fine_note)}" for i, m in enumerate(subm, 1)),
        "office": templates["office"]["name"], "today": cn_date(as_of),
    }


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


def _guide_story(rec: RosterRecord, rules: RuleBook, as_of: dt.date, templates: dict) -> list:
    tpl = templates["material_list"]
    facts = record_facts(rec, rules, as_of, templates)
    st = styles()
    story = [p(tpl["title"], st["title"]), p(fill(tpl["intro"], facts), st["plain"]), spacer(4)]
    story += [p(fill(x, facts), st["body"]) for x in tpl.get("paragraphs", [])]
    story.append(spacer(8))
    lr = materials_for(rules, rec, Applicant.LEGAL_REPRESENTATIVE)
    agent = [m for m in materials_for(rules, rec, Applicant.AGENT) if m not in lr]
    fine_note = tpl.get("fine_note", "")

    def rows(items: list[MaterialRule]) -> list[list[str]]:
        return [[str(i), m.name + (fine_note if m.when == "fine_imposed" else ""),
                 "提交“信用中国”" if m.role == "submission" else "培训班核对", material_line(m, "").split("：", 1)[1]]
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
                 progress=None) -> tuple[list[Path], Path | None]:
    """信用修复材料清单: one per record and one merged file; content comes from the rule files."""
    templates = load_templates()
    return _write_batch(records, lambda rec: _guide_story(rec, rules, as_of, templates),
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

