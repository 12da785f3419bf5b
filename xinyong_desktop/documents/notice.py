"""一次性补正告知单: every open finding of a packet, grouped by material, with where and how to fix it."""
from __future__ import annotations

from pathlib import Path

from reportlab.lib.units import mm

from xinyong_desktop.checks.obligations import verdict
from xinyong_desktop.documents.forms import case_facts, fill, load_templates
from xinyong_desktop.documents.pdf import CONTENT_WIDTH, build, p, spacer, styles, table
from xinyong_desktop.domain.model import Kind
from xinyong_desktop.domain.review import blocking, finding_key, mask_text
from xinyong_desktop.rules.loader import RuleBook


def open_findings(result, overridden: set[str]) -> list:
    """Errors not overridden, then warnings: what the enterprise must (or should) act on."""
    errors = blocking(result.findings, overridden)
    warnings = [f for f in result.findings if f.severity == "warning"
                and finding_key(str(f.code), str(f.kind) if f.kind else None, str(f.field) if f.field else None, f.path)
                not in overridden]
    return errors + warnings


def _label(rules: RuleBook, kind: Kind) -> str:
    """A material's name with its role: what goes to the platform vs what the class checks against."""
    m = rules.materials[kind]
    return f"{m.name}（{'提交材料' if m.submission else '核对材料'}）"


def render_notice(result, rules: RuleBook, out: Path, instructor: str = "", overridden: set[str] | None = None,
                  status: str | None = None) -> Path:
    tpl = load_templates()["notice"]
    st = styles()
    facts = case_facts(result)
    todo = open_findings(result, overridden or set())
    errors = [f for f in todo if f.severity == "error"]
    withdrawn = any(str(f.code) == "NO_REPAIR_NEEDED" for f in todo)
    facts.update(instructor=instructor or "________",
                 status=status or (verdict(not errors, todo) if not errors else "需补正"))
    opening = tpl["intro"] if errors else tpl.get("withdrawn", tpl["ready"]) if withdrawn else tpl["ready"]
    story = [p(tpl["title"], st["title"]), p(fill(opening, facts), st["plain"]), spacer(8)]
    if todo:
        groups: dict[str, list] = {}
        for f in todo:
            name = _label(rules, Kind(f.kind)) if f.kind else "申请条件"
            groups.setdefault(name, []).append(f)
        rows = [["材料", "问题及补正要求", "位置"]]
        for name, fs in groups.items():
            for i, f in enumerate(fs):
                where = f"{f.path}" + (f" 第{f.page}页" if f.page else "") if f.path else "-"
                tag = "" if f.severity == "error" else "（提示）"
                rows.append([name if i == 0 else "", tag + mask_text(f.message), where])
        story.append(table(rows, [36 * mm, CONTENT_WIDTH - 80 * mm, 44 * mm], header=True, size="small"))
        story.append(spacer(8))
    bad_kinds = {f.kind for f in todo}
    fine = [m.kind for m in result.materials if m.kind != Kind.OTHER and m.kind not in bad_kinds]
    for role, what in (("submission", "提交材料"), ("reference", "核对材料")):
        names = [rules.materials[k].name for k in dict.fromkeys(fine) if rules.materials[k].role == role]
        if names:
            story.append(p(f"以下{what}已审核无误，无需重新提供：" + "、".join(names) + "。", st["plain"]))
    if tpl.get("after"):
        story += [spacer(6), p(fill(tpl["after"], facts), st["plain"])]
    story.append(spacer(14))
    story.append(p(fill(tpl["footer"], facts), st["plain"]))
    return build(out, story, tpl["title"])
