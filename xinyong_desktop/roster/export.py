"""The eligibility board as an XLSX workbook: one sheet per list, plus the rows that were rejected.

Every text comes from a roster someone else made, so every text is written as text: openpyxl would store a
string that starts with "=" as a live formula (=HYPERLINK(…), =cmd|' /C calc'!A0 …), and Excel turns a
cell starting with =, +, -, @ or a tab into a formula as soon as it is edited.  `as_text` stores such a
cell as a string with Excel's quote prefix (shown as typed, never evaluated, also after editing)."""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from pathlib import Path

from xinyong_desktop.roster.board import Roster, list_titles

HEADERS = ("企业名称", "统一社会信用代码", "处罚决定书文号", "处罚日期", "失信程度", "处罚机关", "可申请修复日期",
           "终止公示日期", "高频失信", "来源文件", "行号", "待核对")
SHEET_NAMES = {"eligible": "可申请", "soon": "即将可申请", "not_yet": "未到期", "to_confirm": "日期待确认",
               "minor_unpublished": "轻微原则上不公示", "withdrawn": "已达最长公示期", "not_repairable": "不得提前终止",
               "not_published": "不予公示", "listing": "严重失信主体名单", "incomplete": "缺少处罚日期"}


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")


def as_text(cells: Iterable) -> None:
    """Mark every string cell of a row as a string, never a formula (see the module's docstring)."""
    for cell in cells:
        if isinstance(cell.value, str):
            cell.data_type = "s"
            if cell.value.startswith(FORMULA_STARTS):
                cell.quotePrefix = True


def write_board_xlsx(roster: Roster, soon_days: int, out: Path) -> Path:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill

    wb = Workbook()
    wb.remove(wb.active)
    bold, fill = Font(bold=True), PatternFill("solid", fgColor="DDEBF7")
    titles = list_titles(soon_days)
    for key, items in roster.lists(soon_days).items():
        ws = wb.create_sheet(SHEET_NAMES[key])
        ws.append([f"{titles[key]}（截至 {roster.as_of.isoformat()}，共 {len(items)} 条）"])
        ws["A1"].font = Font(bold=True, size=13)
        ws.append(list(HEADERS))
        for cell in ws[2]:
            cell.font, cell.fill = bold, fill
        for r in items:
            ws.append([r.enterprise_name, r.uscc or r.registration_number, r.decision_number, r.decision_date,
                       r.severity_label, r.authority, r.eligible_from, r.withdrawn_on,
                       "、".join(r.high_frequency_rules), r.file, r.row, "；".join(r.problems + ([r.route()] if r.listing else []) + ([r.note] if r.note else []))])
            as_text(ws[ws.max_row])
        for row in ws.iter_rows(min_row=3):
            for i in (3, 6, 7):
                row[i].number_format = "yyyy-mm-dd"
        for col, width in zip("ABCDEFGHIJKL", (34, 22, 30, 12, 8, 24, 14, 16, 8, 20, 6, 60), strict=True):
            ws.column_dimensions[col].width = width
        ws.freeze_panes = "A3"
    ws = wb.create_sheet("有问题的行")
    ws.append(["来源文件", "工作表", "行号", "问题"])
    for cell in ws[1]:
        cell.font, cell.fill = bold, fill
    for e in roster.errors:
        ws.append([e.file, e.sheet, e.row, e.message])
        as_text(ws[ws.max_row])
    ws.column_dimensions["A"].width, ws.column_dimensions["D"].width = 24, 80
    for row in ws.iter_rows(min_row=2):
        row[3].alignment = Alignment(wrap_text=True)
    out.parent.mkdir(parents=True, exist_ok=True)
    from xinyong_desktop.safeio import atomic_output

    with atomic_output(out) as tmp:  # flushed before the rename (was: renamed unflushed)
        wb.save(tmp)
    return out


CONTACT_HEADERS = ("企业名称", "统一社会信用代码", "法定代表人", "联系电话", "处罚决定书文号", "处罚机关", "可申请修复日期",
                   "申请平台")


def reaching_date(roster: Roster, days: int) -> list:
    """Records whose repair opens within ``days`` of the board's date (a firm date only: a date still to confirm
    is never sent to an enterprise)."""
    horizon = roster.as_of + dt.timedelta(days=days)
    return sorted((r for r in roster.records if r.status == "not_yet" and r.eligible_from
                   and r.eligible_from <= horizon and r.assessment is not None and r.assessment.firm),
                  key=lambda r: (r.eligible_from, r.enterprise_name))


def write_contacts_csv(roster: Roster, days: int, out: Path) -> Path:
    """The contact list (CSV, UTF-8 with BOM for Excel) of enterprises reaching their date within ``days``, for the
    office's SMS or 政企通 channel.  A cell that a spreadsheet would read as a formula is written with a quote."""
    import csv

    def cell(v: object) -> str:
        t = "" if v is None else v.isoformat() if isinstance(v, dt.date) else str(v)
        return "'" + t if t.startswith(FORMULA_STARTS) else t

    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(out.name + ".part")
    with open(tmp, "w", encoding="utf-8-sig", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(CONTACT_HEADERS)
        for r in reaching_date(roster, days):
            w.writerow([cell(v) for v in (r.enterprise_name, r.uscc or r.registration_number, r.legal_representative,
                                          r.phone, r.decision_number, r.authority, r.eligible_from,
                                          r.platform_label)])
    tmp.replace(out)
    return out
