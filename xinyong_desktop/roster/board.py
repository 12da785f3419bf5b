"""Roster records → the eligibility board: dates, statuses, lists and the 高频失信 flag."""
from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from dateutil.relativedelta import relativedelta

from xinyong_desktop.domain import identifiers as ids
from xinyong_desktop.domain.model import RecordSeverity
from xinyong_desktop.domain.text import decision_number_key, normalize_decision_number, normalize_name, parse_date
from xinyong_desktop.roster.read import (
    HeaderMatcher, RawRow, RosterFileError, cell_text, data_rows, find_header, read_tables,
)
from xinyong_desktop.rules.loader import RosterRules, RuleBook, default_roster_rules, default_rules

EXCEL_EPOCH = dt.date(1899, 12, 30)
SEVERITY_CN = {RecordSeverity.MINOR: "轻微", RecordSeverity.GENERAL: "一般", RecordSeverity.SERIOUS: "严重"}
STATUS_CN = {"not_yet": "未到最短公示期", "eligible": "可申请修复", "withdrawn": "已到最长公示期（自动停止公示）"}


@dataclass
class RosterRecord:
    file: str
    sheet: str
    row: int
    enterprise_name: str
    uscc: str
    decision_number: str
    decision_date: dt.date
    record_severity: RecordSeverity
    platform: str = "creditchina"
    authority: str = ""
    legal_representative: str = ""
    phone: str = ""
    eligible_from: dt.date | None = None
    withdrawn_on: dt.date | None = None
    status: str = ""
    high_frequency: bool = False

    def set_dates(self, rules: RuleBook, as_of: dt.date) -> None:
        el = rules.eligibility(self.decision_date, self.record_severity, as_of, self.platform)
        self.eligible_from, self.withdrawn_on, self.status = el.eligible_from, el.withdrawn_on, el.status(as_of)

    @property
    def key(self) -> tuple[str, str]:
        return self.uscc, decision_number_key(self.decision_number) or self.decision_number

    def as_json(self) -> dict:
        return {
            "file": self.file, "sheet": self.sheet, "row": self.row,
            "enterprise_name": self.enterprise_name, "uscc": self.uscc,
            "decision_number": self.decision_number, "decision_date": self.decision_date.isoformat(),
            "record_severity": self.record_severity.value, "platform": self.platform,
            "authority": self.authority,
            "eligible_from": self.eligible_from.isoformat() if self.eligible_from else None,
            "withdrawn_on": self.withdrawn_on.isoformat() if self.withdrawn_on else None,
            "status": self.status, "high_frequency": self.high_frequency,
        }


@dataclass
class RowError:
    file: str
    sheet: str
    row: int | None
    message: str

    def as_json(self) -> dict:
        return {"file": self.file, "sheet": self.sheet, "row": self.row, "message": self.message}


@dataclass
class Roster:
    as_of: dt.date
    records: list[RosterRecord] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    duplicates: list[dict] = field(default_factory=list)
    unreadable: list[str] = field(default_factory=list)  # files that could not be read at all

    def lists(self, soon_days: int) -> dict[str, list[RosterRecord]]:
        """The board: may apply now, within soon_days, not yet, stops by itself."""
        out: dict[str, list[RosterRecord]] = {"eligible": [], "soon": [], "not_yet": [], "withdrawn": []}
        horizon = self.as_of + dt.timedelta(days=soon_days)
        for r in self.records:
            if r.status == "not_yet" and r.eligible_from and r.eligible_from <= horizon:
                out["soon"].append(r)
            else:
                out[r.status].append(r)
        out["eligible"].sort(key=lambda r: (r.withdrawn_on or dt.date.max))
        out["soon"].sort(key=lambda r: r.eligible_from or dt.date.max)
        out["not_yet"].sort(key=lambda r: r.eligible_from or dt.date.max)
        return out

    def as_json(self) -> dict:
        return {
            "as_of": self.as_of.isoformat(),
            "records": [r.as_json() for r in self.records],
            "errors": [e.as_json() for e in self.errors],
            "duplicates": self.duplicates,
        }


# ---------------------------------------------------------------- cells → values
def read_date(v: object) -> dt.date | None:
    if isinstance(v, dt.datetime):
        return v.date()
    if isinstance(v, dt.date):
        return v
    if isinstance(v, (int, float)) and not isinstance(v, bool):
        return EXCEL_EPOCH + dt.timedelta(days=int(v)) if 1 <= v < 2958466 else None
    s = cell_text(v)
    if re.fullmatch(r"\d{5}(\.0+)?", s):  # a serial number that reached a CSV as text
        return EXCEL_EPOCH + dt.timedelta(days=int(float(s)))
    if m := re.fullmatch(r"((?:19|20)\d\d)(\d\d)(\d\d)", s):
        try:
            return dt.date(int(m[1]), int(m[2]), int(m[3]))
        except ValueError:
            return None
    if m := re.fullmatch(r"(\d{1,2})/(\d{1,2})/((?:19|20)\d\d)", s):  # US-locale Excel: 3/5/2024
        try:
            return dt.date(int(m[3]), int(m[1]), int(m[2]))
        except ValueError:
            return None
    return parse_date(s)


def _uscc_problem(code: str) -> str | None:
    if not code:
        return "缺少统一社会信用代码"
    if len(code) != 18:
        return f"统一社会信用代码“{code}”应为 18 位，实际 {len(code)} 位"
    bad = sorted({c for c in code if c not in ids.USCC_ALPHABET})
    if bad:
        return f"统一社会信用代码“{code}”含有不允许的字符 {''.join(bad)}"
    if not ids.is_valid_uscc(code):
        return f"统一社会信用代码“{code}”校验位不符（可能抄错了某一位）"
    return None


def parse_row(raw: RawRow, rules: RosterRules) -> RosterRecord | list[str]:
    c = raw.cells
    problems = []
    name = normalize_name(cell_text(c.get("enterprise_name")))
    if not name:
        problems.append("缺少企业名称")
    uscc = ids.clean_code(cell_text(c.get("uscc")))
    if why := _uscc_problem(uscc):
        problems.append(why)
    dn_raw = cell_text(c.get("decision_number"))
    dn = normalize_decision_number(dn_raw) if dn_raw else None
    if not dn_raw:
        problems.append("缺少处罚决定书文号")
    elif dn is None:
        problems.append(f"无法识别的处罚决定书文号“{dn_raw}”（应如 常市监处罚〔2024〕123号）")
    date_raw = c.get("decision_date")
    day = read_date(date_raw)
    if not cell_text(date_raw):
        problems.append("缺少处罚日期")
    elif day is None:
        problems.append(f"无法识别的处罚日期“{cell_text(date_raw)}”")
    sev_raw = re.sub(r"\s", "", cell_text(c.get("record_severity")))
    severity = rules.severity.get(sev_raw.lower())
    if not sev_raw:
        problems.append("缺少失信程度（一般/严重）")
    elif severity is None:
        problems.append(f"无法识别的失信程度“{sev_raw}”（应为一般或严重）")
    if problems:
        return problems
    plat_raw = re.sub(r"\s", "", cell_text(c.get("platform"))).lower()
    return RosterRecord(
        raw.file, raw.sheet, raw.row, name, uscc, dn, day, severity,
        platform=rules.platform.get(plat_raw, "creditchina"),
        authority=cell_text(c.get("authority")),
        legal_representative=normalize_name(cell_text(c.get("legal_representative"))),
        phone=re.sub(r"\s", "", cell_text(c.get("phone"))),
    )


# ---------------------------------------------------------------- the whole import
def _where(r: RosterRecord | RawRow) -> str:
    return f"{r.file}{'（' + r.sheet + '）' if r.sheet else ''}第 {r.row} 行"


def read_rosters(paths: list[Path], as_of: dt.date, rules: RuleBook | None = None,
                 roster_rules: RosterRules | None = None) -> Roster:
    """Read one or more rosters as one: duplicates dropped, conflicts reported, board dates computed."""
    rules = rules or default_rules()
    roster_rules = roster_rules or default_roster_rules()
    matcher = HeaderMatcher(roster_rules)
    out = Roster(as_of)
    seen: dict[tuple[str, str], RosterRecord] = {}
    for path in paths:
        path = Path(path)
        try:
            tables = read_tables(path)
        except RosterFileError as e:
            out.errors.append(RowError(path.name, "", None, str(e)))
            out.unreadable.append(str(path))
            continue
        headed = [(t, find_header(t, matcher)) for t in tables]
        headed = [(t, h) for t, h in headed if h is not None]
        if not headed:
            out.errors.append(RowError(path.name, "", None, "未找到表头：需要“企业名称”“统一社会信用代码”"
                                       "“处罚决定书文号”“处罚日期”“失信程度”等列"))
            out.unreadable.append(str(path))
            continue
        for table, header in headed:
            for raw in data_rows(table, header, roster_rules):
                rec = parse_row(raw, roster_rules)
                if isinstance(rec, list):
                    out.errors.append(RowError(raw.file, raw.sheet, raw.row, "；".join(rec)))
                    continue
                first = seen.get(rec.key)
                if first is None:
                    seen[rec.key] = rec
                    out.records.append(rec)
                    continue
                diffs = [label for label, a, b in (
                    ("处罚日期", first.decision_date, rec.decision_date),
                    ("失信程度", first.record_severity, rec.record_severity),
                    ("企业名称", first.enterprise_name, rec.enterprise_name)) if a != b]
                if diffs:
                    out.errors.append(RowError(rec.file, rec.sheet, rec.row,
                                               f"与{_where(first)}的文号相同，但{'、'.join(diffs)}不同，请核对"))
                else:
                    out.duplicates.append({"file": rec.file, "sheet": rec.sheet, "row": rec.row,
                                           "same_as": {"file": first.file, "sheet": first.sheet, "row": first.row}})
    compute_board(out, rules)
    return out


def compute_board(roster: Roster, rules: RuleBook) -> None:
    for r in roster.records:
        r.set_dates(rules, roster.as_of)
    flagged = high_frequency(roster.records, rules.high_frequency_count, rules.high_frequency_window_months)
    for r in roster.records:
        r.high_frequency = r.uscc in flagged


def high_frequency(records: list[RosterRecord], count: int, window_months: int) -> set[str]:
    """Enterprises with `count` or more decisions inside any window shorter than `window_months`."""
    by_ent: dict[str, list[dt.date]] = defaultdict(list)
    for r in records:
        by_ent[r.uscc].append(r.decision_date)
    flagged = set()
    for uscc, days in by_ent.items():
        days.sort()
        for i in range(len(days) - count + 1):
            if days[i + count - 1] < days[i] + relativedelta(months=window_months):
                flagged.add(uscc)
                break
    return flagged


def list_titles(soon_days: int) -> dict[str, str]:
    return {"eligible": "现在可以申请修复", "soon": f"{soon_days} 天内可以申请", "not_yet": "尚未到最短公示期",
            "withdrawn": "已自动停止公示（无需修复）"}
