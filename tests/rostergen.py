"""Generate roster spreadsheets the way credit offices export them, with the records they should yield."""
from __future__ import annotations

import csv
import datetime as dt
import io
import random
from dataclasses import dataclass
from pathlib import Path

from tests.packetgen import AUTHORITIES, FORMS, INDUSTRY, TRADE, make_uscc, person

EXCEL_EPOCH = dt.date(1899, 12, 30)


@dataclass
class Row:
    name: str
    uscc: str
    decision_number: str  # as the office wrote it (brackets vary)
    normalized_number: str  # as the contract wants it
    decision_date: dt.date
    severity: str  # general | serious
    authority: str
    legal_rep: str


def make_rows(n: int, seed: int = 1, start: dt.date = dt.date(2023, 6, 1), span_days: int = 900) -> list[Row]:
    rng = random.Random(seed)
    rows = []
    for i in range(n):
        auth, prefix = rng.choice(AUTHORITIES)
        year = rng.choice([2023, 2024, 2025])
        serial = rng.randint(1, 999)
        left, right = rng.choice([("〔", "〕"), ("[", "]"), ("【", "】"), ("（", "）"), ("(", ")")])
        name = f"常州{rng.choice(TRADE)}{rng.choice(INDUSTRY)}{i}{rng.choice(FORMS)}"
        rows.append(Row(name, make_uscc(rng), f"{prefix}{left}{year}{right}{serial}号", f"{prefix}〔{year}〕{serial}号",
                        start + dt.timedelta(days=rng.randint(0, span_days)), rng.choice(["general", "serious"]),
                        auth, person(rng)))
    return rows


SEV_WORDS = {"general": ["一般", "一般失信", "一般失信行为"], "serious": ["严重", "严重失信", "严重失信行为"]}

HEADER_VARIANTS = [
    ["序号", "企业名称", "统一社会信用代码", "处罚决定书文号", "处罚日期", "失信程度", "处罚机关", "法定代表人"],
    ["序号", "单位名称", "信用代码", "决定文书号", "作出处罚决定日期", "严重程度", "作出处罚决定机关", "法定代表人姓名"],
    ["编号", "当事人名称", "统一社会信用代码\n（必填）", "行政处罚决定书文号", "处罚决定日期（年月日）", "失信等级", "处罚机关", "负责人"],
]


def _cells(r: Row, i: int, rng: random.Random, date_style: str) -> list:
    if date_style == "serial":
        d: object = (r.decision_date - EXCEL_EPOCH).days
    elif date_style == "date":
        d = r.decision_date
    elif date_style == "cn":
        d = f"{r.decision_date.year}年{r.decision_date.month}月{r.decision_date.day}日"
    else:
        d = r.decision_date.strftime("%Y/%m/%d") if i % 2 else r.decision_date.strftime("%Y.%m.%d")
    return [i + 1, r.name, r.uscc, r.decision_number, d, rng.choice(SEV_WORDS[r.severity]), r.authority, r.legal_rep]


def write_xlsx(path: Path, rows: list[Row], header: list[str] | None = None, title_rows: int = 2,
               date_style: str = "serial", merge_same: bool = True, extra: list[list] | None = None,
               seed: int = 0) -> Path:
    """Title rows merged across the table, a header, records; records of one enterprise have merged name cells."""
    from openpyxl import Workbook

    rng = random.Random(seed)
    header = header or HEADER_VARIANTS[0]
    wb = Workbook()
    ws = wb.active
    ws.title = "处罚名单"
    for t in range(title_rows):
        ws.append(["常州市行政处罚信息名单（信用修复培训班）" if t == 0 else "导出时间：2024年12月1日"])
        ws.merge_cells(start_row=t + 1, start_column=1, end_row=t + 1, end_column=len(header))
    ws.append(header)
    first_data = ws.max_row + 1
    for i, r in enumerate(rows):
        cells = _cells(r, i, rng, date_style)
        ws.append(cells)
        if date_style == "date":
            ws.cell(ws.max_row, 5).number_format = "yyyy-mm-dd"
    if merge_same:  # consecutive rows of one enterprise: name and code merged vertically, blank below
        r0 = first_data
        while r0 < ws.max_row:
            r1 = r0
            while r1 + 1 <= ws.max_row and ws.cell(r1 + 1, 3).value == ws.cell(r0, 3).value:
                r1 += 1
            if r1 > r0:
                for col in (2, 3):
                    for rr in range(r0 + 1, r1 + 1):
                        ws.cell(rr, col).value = None
                    ws.merge_cells(start_row=r0, start_column=col, end_row=r1, end_column=col)
            r0 = r1 + 1
    for e in extra or []:
        ws.append(e)
    ws.append([])
    ws.append(["制表人：王芳"])
    wb.save(path)
    return path


def write_csv(path: Path, rows: list[Row], encoding: str = "gbk", header: list[str] | None = None,
              date_style: str = "text", extra: list[list] | None = None, seed: int = 0) -> Path:
    rng = random.Random(seed)
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(header or HEADER_VARIANTS[1])
    for i, r in enumerate(rows):
        w.writerow(_cells(r, i, rng, date_style))
    for e in extra or []:
        w.writerow(e)
    data = buf.getvalue().encode(encoding)
    if encoding == "utf-8-sig":
        pass
    path.write_bytes(data)
    return path
