"""培训班小结: the class's numbers, the board's counts and two charts, on A4.

Each heading is kept on the page of what it heads (never alone at a page's foot); each chart's drawing holds its
axis labels inside its own box, so what follows is never printed over it; who made it and when is the page's
footer, in the margin, on every page."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether

from xinyong_desktop.checks.messages import code_title
from xinyong_desktop.documents.forms import load_templates
from xinyong_desktop.documents.pdf import CONTENT_WIDTH, build, font, p, spacer, styles, table

AXIS = 18  # points below the bars for the value axis and its labels (inside the drawing)


def cn_date(d: dt.date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def bar_chart(items: list[tuple[str, int]], width: float, bar: float = 16):
    """Horizontal bars, the biggest on top; the drawing's height grows with the number of bars and contains the
    labels of both axes."""
    from reportlab.graphics.charts.barcharts import HorizontalBarChart
    from reportlab.graphics.shapes import Drawing, String
    from reportlab.lib import colors

    if not items:
        d = Drawing(width, 24, initialFontName=font())
        d.add(String(0, 8, "暂无数据", fontName=font(), fontSize=11))
        return d
    height = AXIS + 8 + bar * 1.5 * len(items)
    d = Drawing(width, height, initialFontName=font())  # the renderer starts in this font, not in Helvetica
    items = list(reversed(items))
    c = HorizontalBarChart()
    c.x, c.y, c.width, c.height = 130, AXIS, width - 170, height - AXIS - 6
    c.data = [[n for _, n in items]]
    c.categoryAxis.categoryNames = [t for t, _ in items]
    c.categoryAxis.labels.fontName = font()
    c.categoryAxis.labels.fontSize = 10
    c.valueAxis.labels.fontName = font()
    c.valueAxis.labels.fontSize = 9
    c.valueAxis.valueMin = 0
    c.valueAxis.valueMax = max(n for _, n in items) * 1.15 + 0.5
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
    for heading, items in (("首次检查最常见的问题", [(code_title(c), n) for c, n in stats.top_codes]),
                           ("案件状态", sorted(stats.by_status.items(), key=lambda t: -t[1]))):
        story.append(KeepTogether([spacer(10), p(heading, st["plain"]), spacer(4), bar_chart(items, CONTENT_WIDTH)]))
    footer = f"制表：{instructor}　　{cn_date(today)}"
    story += [spacer(12), p(footer, st["small"])]

    def page_footer(canvas, doc) -> None:
        canvas.saveState()
        canvas.setFont(font(), 9)
        canvas.drawRightString(doc.pagesize[0] - doc.rightMargin, 14 * mm,
                               f"{title}　小结　第 {canvas.getPageNumber()} 页")
        canvas.restoreState()

    return build(out, story, tpl["title"], on_page=page_footer)
