"""Roster records → the eligibility board: dates, statuses, lists and the 高频失信 flag."""
from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from dateutil.relativedelta import relativedelta

from xinyong_desktop.domain import identifiers as ids
from xinyong_desktop.domain.model import RecordSeverity
from xinyong_desktop.domain.text import (
    decision_number_key,
    normalize_decision_number,
    normalize_name,
    parse_amount,
    parse_date,
)
from xinyong_desktop.roster.read import (
    HeaderMatcher,
    RawRow,
    RosterFileError,
    cell_text,
    data_rows,
    find_header,
    read_tables,
)
from xinyong_desktop.rules.assess import SEVERITY_CN, Assessment, RecordFacts, assess
from xinyong_desktop.rules.loader import RosterRules, RuleBook, default_roster_rules, default_rules
from xinyong_desktop.rules.penalties import PenaltyRules

EXCEL_EPOCH = dt.date(1899, 12, 30)
STATUS_CN = {"not_yet": "未到最短公示期", "eligible": "可申请修复", "withdrawn": "已达最长公示期（以“信用中国”网站显示为准）",
             "not_repairable": "不得提前终止公示（期满自动停止公示）", "listing": "严重失信主体名单（向列入单位申请移出）",
             "incomplete": "缺少处罚日期，无法计算", "not_published": "不予公示（简易程序或警告）",
             "minor_unpublished": "轻微：原则上不公示 — 先查询网站",
             "to_confirm": "待确认（失信程度或罚款标准未确认，列出各种情况的日期）"}
LIST_KEYS = ("eligible", "soon", "not_yet", "to_confirm", "minor_unpublished", "withdrawn", "not_repairable",
             "not_published", "listing", "incomplete")


@dataclass(slots=True)
class RosterRecord:
    file: str
    sheet: str
    row: int
    enterprise_name: str
    uscc: str
    decision_number: str
    decision_date: dt.date | None
    record_severity: RecordSeverity
    platform: str = "creditchina"
    authority: str = ""
    legal_representative: str = ""
    phone: str = ""
    eligible_from: dt.date | None = None
    withdrawn_on: dt.date | None = None
    status: str = ""
    high_frequency: bool = False
    # what a published table gives beyond the basics, and what is missing or only proposed
    registration_number: str = ""  # 工商注册号 (个体户 and old records without a USCC)
    severity_source: str = "roster"  # roster | proposed (from 处罚类别/处罚内容 and amount, 待确认) | unknown
    penalty_types: frozenset[str] = frozenset()
    penalty_text: str = ""
    fine_yuan: Decimal | None = None
    published_on: dt.date | None = None
    date_source: str = "decision"  # decision | case_closed (结案时间, later than the decision)
    listing: bool = False  # a 严重失信主体名单 entry: removal at the listing unit, not a penalty repair
    listing_unit: str = ""
    problems: list[str] = field(default_factory=list)  # missing or doubtful facts, shown as 待核对
    high_frequency_rules: list[str] = field(default_factory=list)  # names of the flags that fired
    matched_code: str = ""  # a row without codes: the code another row of the same name carries
    note: str = ""  # how the dates were counted when it is worth saying (estimated publication date …)
    platform_source: str = "roster"  # roster | proposed (from the authority, 待确认) | default
    assessment: Assessment | None = None  # the rules' reading of the record (candidates, notes)
    listing_date: dt.date | None = None
    as_of: dt.date | None = None  # the day the dates were counted for

    @property
    def known_severity(self) -> RecordSeverity | None:
        """The severity when the roster gave it or it was proposed; None when nothing is known."""
        return None if self.severity_source == "unknown" else self.record_severity

    @property
    def natural_person(self) -> bool:
        """个体工商户 (USCC class 92) or a named 个体 business: NECIPS's natural-person threshold applies."""
        return self.uscc.startswith("92") or "个体" in self.enterprise_name

    def facts(self) -> RecordFacts:
        assert self.decision_date is not None
        return RecordFacts(self.decision_date, self.known_severity,
                           "given" if self.severity_source == "roster" else self.severity_source, self.platform,
                           self.penalty_types, self.fine_yuan, self.penalty_text + " " + self.authority,
                           self.published_on, self.natural_person)

    def set_dates(self, rules: RuleBook, as_of: dt.date, roster_rules: RosterRules | None = None) -> None:
        self.assessment, self.as_of = None, as_of
        if self.listing:
            self.eligible_from = self.withdrawn_on = None
            self.status = "listing"
            rr = roster_rules or default_roster_rules()
            listed = self.listing_date or self.decision_date
            if listed and self.samr_listing(rr):
                from xinyong_desktop.domain.periods import period_end
                self.eligible_from = period_end(listed, rr.samr_min_months, rules.day_counting)
                self.withdrawn_on = period_end(listed, rr.samr_max_months, rules.day_counting)
            return
        if self.decision_date is None:
            self.eligible_from = self.withdrawn_on = None
            self.status = "incomplete"
            return
        a = assess(rules, self.facts(), as_of)
        self.assessment = a
        self.eligible_from, self.withdrawn_on, self.status = a.eligible_from, a.withdrawn_on, a.status
        self.note = "；".join(([a.eligibility.note] if a.eligibility.note else []) + list(a.notes))

    @property
    def enterprise_key(self) -> str:
        """Who the record belongs to: USCC, else 工商注册号, else the normalised name."""
        return (self.uscc or self.registration_number or self.matched_code
                or "名称:" + normalize_name(self.enterprise_name))

    @property
    def stored_code(self) -> str:
        """The enterprise's code for the store (18 characters at most): USCC, 工商注册号, or for a row with neither
        "#" + a hash of the name (never a valid USCC, shown as blank)."""
        if self.uscc or self.registration_number:
            return self.uscc or self.registration_number
        return "#" + hashlib.sha1(normalize_name(self.enterprise_name).encode("utf-8")).hexdigest()[:17]

    @staticmethod
    def split_code(code: str) -> tuple[str, str]:
        """(uscc, registration_number) from a stored code."""
        if code.startswith("#"):
            return "", ""
        return ("", code) if len(code) == 15 and code.isdigit() else (code, "")

    @property
    def key(self) -> tuple[str, str]:
        number = decision_number_key(self.decision_number) or self.decision_number
        return self.enterprise_key, number or f"{self.file}#{self.sheet}#{self.row}"

    @property
    def severity_label(self) -> str:
        if self.listing:
            return "严重失信主体名单"
        if self.severity_source == "unknown":
            return "待确认（一般或严重）"
        return SEVERITY_CN[self.record_severity] + ("（待确认）" if self.severity_source != "roster" else "")

    @property
    def platform_label(self) -> str:
        name = {"creditchina": "信用中国", "necips": "国家企业信用信息公示系统"}.get(self.platform, self.platform)
        return name + ("（待确认）" if self.platform_source == "proposed" else "")

    def samr_listing(self, rules: RosterRules | None = None) -> bool:
        """A listing in 市场监管部门的严重违法失信名单 (its words, or a market-regulation listing unit)."""
        rules = rules or default_roster_rules()
        unit = self.listing_unit or self.authority
        return self.listing and (any(w in self.penalty_text or w in self.note for w in rules.samr_words)
                                 or any(w in unit for w in rules.samr_units))

    def route(self, rules: RosterRules | None = None, as_of: dt.date | None = None) -> str:
        """Where a listing goes: the listing unit before 2026-04-01, “信用中国” (reviewed by the listing unit) from
        then on; empty for a penalty record."""
        if not self.listing:
            return ""
        rules = rules or default_roster_rules()
        unit = self.listing_unit or self.authority or "作出列入决定的单位"
        day = as_of or self.as_of
        text = (rules.route_single_window if day and day >= rules.single_window_from and rules.route_single_window
                else rules.listing_route).format(unit=unit)
        if self.samr_listing(rules) and self.eligible_from and self.withdrawn_on:
            text += (f"市场监管部门严重违法失信名单：列入满一年（{self.eligible_from.isoformat()} 起）可申请提前移出，"
                     f"列入满三年（{self.withdrawn_on.isoformat()}）移出（{rules.samr_source}）。")
        return text

    def as_json(self) -> dict:
        return {
            "file": self.file, "sheet": self.sheet, "row": self.row,
            "enterprise_name": self.enterprise_name, "uscc": self.uscc,
            "registration_number": self.registration_number,
            "decision_number": self.decision_number,
            "decision_date": self.decision_date.isoformat() if self.decision_date else None,
            "date_source": self.date_source,
            "record_severity": self.known_severity.value if self.known_severity else None,
            "severity_source": self.severity_source,
            "platform": self.platform, "platform_source": self.platform_source, "authority": self.authority,
            "candidates": [{"label": o.label, "eligible_from": o.eligibility.eligible_from.isoformat()
                            if o.eligibility.eligible_from else None,
                            "withdrawn_on": o.eligibility.withdrawn_on.isoformat(), "status": o.status}
                           for o in self.assessment.options] if self.assessment and not self.assessment.firm else [],
            "penalty_types": sorted(self.penalty_types),
            "fine_amount": f"{self.fine_yuan:.2f}" if self.fine_yuan is not None else None,
            "published_on": self.published_on.isoformat() if self.published_on else None,
            "eligible_from": self.eligible_from.isoformat() if self.eligible_from else None,
            "withdrawn_on": self.withdrawn_on.isoformat() if self.withdrawn_on else None,
            "status": self.status, "high_frequency": self.high_frequency,
            "high_frequency_rules": self.high_frequency_rules,
            "listing": self.listing, "route": self.route(),
            "problems": self.problems, "note": self.note,
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
        out: dict[str, list[RosterRecord]] = {k: [] for k in LIST_KEYS}
        horizon = self.as_of + dt.timedelta(days=soon_days)
        for r in self.records:
            if r.status == "not_yet" and r.eligible_from and r.eligible_from <= horizon:
                out["soon"].append(r)
            else:
                out[r.status].append(r)
        out["eligible"].sort(key=lambda r: (r.withdrawn_on or dt.date.max))
        out["soon"].sort(key=lambda r: r.eligible_from or dt.date.max)
        out["not_yet"].sort(key=lambda r: r.eligible_from or dt.date.max)
        out["not_repairable"].sort(key=lambda r: r.withdrawn_on or dt.date.max)
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
    if len(code) != 18:
        return f"统一社会信用代码“{code}”应为 18 位，实际 {len(code)} 位"
    bad = sorted({c for c in code if c not in ids.USCC_ALPHABET})
    if bad:
        return f"统一社会信用代码“{code}”含有不允许的字符 {''.join(bad)}"
    if not ids.is_valid_uscc(code):
        return f"统一社会信用代码“{code}”校验位不符（可能抄错了某一位）"
    return None


def read_amount(v: object, label: str) -> Decimal | None:
    """An amount cell in 元 or 万元 (the unit from the cell itself or from its header, e.g. "罚款金额（万元）")."""
    if isinstance(v, (int, float)) and not isinstance(v, bool):
        num: Decimal | None = Decimal(str(v))
        in_wan = "万元" in label
    else:
        t = cell_text(v).replace(",", "").replace("，", "")
        if not t:
            return None
        in_wan = "万" in t or ("万元" in label and "元" not in t)
        m = re.fullmatch(r"[¥￥]?\s*(\d+(?:\.\d+)?)\s*(?:万元|万|元)?", t)
        if m:
            num = Decimal(m[1])
        else:
            num = parse_amount(t)
            in_wan = False  # parse_amount applies 万 itself
    if num is None:
        return None
    return (num * 10_000 if in_wan else num).quantize(Decimal("0.01"))


def _text(c: dict, col: str) -> str:
    return re.sub(r"\s", "", cell_text(c.get(col)))


def parse_row(raw: RawRow, rules: RosterRules, penalties: PenaltyRules | None = None) -> RosterRecord | list[str]:
    """One row → a record, with whatever is missing or doubtful in its ``problems``; a list of reasons only when
    the row names neither an enterprise nor a decision (nothing to match it with)."""
    penalties = penalties or default_rules().penalties
    c = raw.cells
    problems = []
    name = normalize_name(cell_text(c.get("enterprise_name")))
    uscc = ids.clean_code(cell_text(c.get("uscc")))
    reg = ids.clean_code(cell_text(c.get("registration_number")))
    if uscc and len(uscc) == 15 and uscc.isdigit() and not reg:
        uscc, reg = "", uscc  # a 15-digit 工商注册号 in the code column
    dn_raw = cell_text(c.get("decision_number"))
    if not name and not dn_raw:
        return ["缺少企业名称和处罚决定书文号，无法确定是哪条记录"]
    if not name:
        problems.append("缺少企业名称")
    if uscc:
        if why := _uscc_problem(uscc):
            problems.append(why)
    elif reg:
        problems.append(f"无统一社会信用代码，按工商注册号 {reg} 识别")
    else:
        problems.append("缺少统一社会信用代码和工商注册号，按企业名称匹配")
    dn = normalize_decision_number(dn_raw) if dn_raw else None
    if not dn_raw:
        problems.append("缺少处罚决定书文号")
    elif dn is None:
        problems.append(f"无法识别的处罚决定书文号“{dn_raw}”（应如 常市监处罚〔2024〕123号）")
    day, date_source = None, "decision"
    date_raw = c.get("decision_date")
    if cell_text(date_raw):
        day = read_date(date_raw)
        if day is None:
            problems.append(f"无法识别的处罚日期“{cell_text(date_raw)}”")
    if day is None and cell_text(c.get("case_closed")) and (closed := read_date(c.get("case_closed"))):
        day, date_source = closed, "case_closed"
        problems.append("名单无处罚决定日期，按结案时间计算（晚于决定日期，可申请日期偏晚），请核对决定书落款日期")
    elif day is None and not cell_text(date_raw):
        problems.append("缺少处罚日期")
    text = _text(c, "penalty_category") + " " + _text(c, "penalty_content")
    types = penalties.types_in(text)
    fine = read_amount(c.get("fine_amount"), raw.labels.get("fine_amount", ""))
    if fine is not None and fine > 0:
        types |= {"fine"}
    sev_raw = _text(c, "record_severity")
    list_raw = _text(c, "list_name")
    listing = any(w in sev_raw or w in list_raw for w in rules.listing_words) or bool(cell_text(c.get("listing_date")))
    severity, source = rules.severity.get(sev_raw.lower()), "roster"
    if severity is None and not listing:
        if sev_raw:
            problems.append(f"无法识别的失信程度“{sev_raw}”（应为轻微、一般或严重）")
        proposed = penalties.propose_severity(types, fine)
        if proposed is not None:
            severity, source = proposed, "proposed"
            problems.append(f"失信程度按处罚种类和金额建议为“{SEVERITY_CN[proposed]}”，待确认（以“信用中国”网站显示为准）")
        else:
            source = "unknown"
            problems.append("名单未写失信程度，按处罚内容和金额也无法建议：按一般、严重分别列出日期，请查询"
                            "“信用中国”网站后确认")
    published = read_date(c.get("published_on")) if cell_text(c.get("published_on")) else None
    plat_raw = _text(c, "platform").lower()
    authority = cell_text(c.get("authority"))
    platform, plat_source = rules.platform.get(plat_raw), "roster"
    if platform is None:
        proposed_platform = penalties.propose_platform(authority, day)
        platform, plat_source = (proposed_platform, "proposed") if proposed_platform else ("creditchina", "default")
        if proposed_platform:
            problems.append("公示平台按处罚机关建议为国家企业信用信息公示系统（2026年4月1日前市场监管部门的处罚在该系统修复），"
                            "待确认")
    listed_on = read_date(c.get("listing_date")) if cell_text(c.get("listing_date")) else None
    return RosterRecord(
        raw.file, raw.sheet, raw.row, name, uscc, dn or dn_raw, day, severity or RecordSeverity.SERIOUS,
        platform=platform, platform_source=plat_source, listing_date=listed_on,
        authority=authority,
        legal_representative=normalize_name(cell_text(c.get("legal_representative"))),
        phone=re.sub(r"\s", "", cell_text(c.get("phone"))),
        registration_number=reg, severity_source=source, penalty_types=types, penalty_text=text.strip(),
        fine_yuan=fine, published_on=published, date_source=date_source, listing=listing,
        listing_unit=cell_text(c.get("listing_unit")), problems=problems,
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
        headed = [(t, h) for t in tables if (h := find_header(t, matcher)) is not None]
        if not headed:
            out.errors.append(RowError(path.name, "", None, "未找到表头：需要“企业名称”（或“被处罚人”“行政相对人名称”）"
                                       "“处罚决定书文号”（或“处罚文号”）“处罚日期”等列中的至少三列"))
            out.unreadable.append(str(path))
            continue
        for table, header in headed:
            for raw in data_rows(table, header, roster_rules):
                rec = parse_row(raw, roster_rules, rules.penalties)
                if isinstance(rec, list):
                    out.errors.append(RowError(raw.file, raw.sheet, raw.row, "；".join(rec)))
                    continue
                key = rec.key
                first = seen.get(key)
                if first is None:
                    seen[key] = rec
                    out.records.append(rec)
                    continue
                diffs = [label for label, a, b in (
                    ("处罚日期", first.decision_date, rec.decision_date),
                    ("失信程度", (first.record_severity, first.listing), (rec.record_severity, rec.listing)),
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
    codes: dict[str, str] = {}  # a row without a code belongs to the enterprise of that name that has one
    for r in roster.records:
        if r.uscc or r.registration_number:
            codes.setdefault(normalize_name(r.enterprise_name), r.uscc or r.registration_number)
    for r in roster.records:
        if not (r.uscc or r.registration_number):
            r.matched_code = codes.get(normalize_name(r.enterprise_name), "")
        r.set_dates(rules, roster.as_of)
    _later_samr_penalties(roster.records)
    fired: dict[str, list[str]] = defaultdict(list)
    for hf in rules.high_frequency:
        for key in high_frequency(roster.records, hf.count, hf.window_months, hf.counts_listings):
            fired[key].append(hf.name)
    for r in roster.records:
        r.high_frequency_rules = list(fired.get(r.enterprise_key, []))
        r.high_frequency = bool(r.high_frequency_rules)


def _later_samr_penalties(records: list[RosterRecord]) -> None:
    """NECIPS art. 14: a later market-regulation penalty of the same kind stops repair — warn on the earlier one."""
    necips = [r for r in records if r.platform == "necips" and not r.listing and r.decision_date]
    for r in necips:
        later = [o for o in necips if o is not r and o.enterprise_key == r.enterprise_key
                 and o.decision_date and r.decision_date and o.decision_date > r.decision_date]
        for o in later:
            same = sorted((r.penalty_types & o.penalty_types) - {"fine"})
            kind = "（处罚种类相同）" if same or r.penalty_types == o.penalty_types else ""
            r.problems.append(f"该企业于 {o.decision_date} 又受到市场监管部门行政处罚（{o.decision_number}）{kind}："
                              "如属同一类违法行为，依《市场监督管理信用修复管理办法》第十四条不予信用修复，请核对")


def still_published(r: RosterRecord) -> bool:
    """Counted for 高频失信: a penalty record with a date whose publication has not ended."""
    return not r.listing and r.decision_date is not None and r.status not in (
        "withdrawn", "incomplete", "not_published")


def high_frequency(records: list[RosterRecord], count: int, window_months: int,
                   counts_listings: bool = False) -> set[str]:
    """Enterprises with ``count`` or more still-published records (and, for the national criterion, listings)
    inside a window shorter than ``window_months``."""
    by_ent: dict[str, list[dt.date]] = defaultdict(list)
    for r in records:
        if still_published(r) and r.decision_date is not None:
            by_ent[r.enterprise_key].append(r.decision_date)
        elif counts_listings and r.listing and (day := r.listing_date or r.decision_date):
            by_ent[r.enterprise_key].append(day)
    flagged = set()
    for key, days in by_ent.items():
        days.sort()
        for i in range(len(days) - count + 1):
            if days[i + count - 1] < days[i] + relativedelta(months=window_months):
                flagged.add(key)
                break
    return flagged


def list_titles(soon_days: int) -> dict[str, str]:
    return {"eligible": "现在可以申请修复", "soon": f"{soon_days} 天内可以申请", "not_yet": "尚未到最短公示期",
            "to_confirm": "待确认（失信程度或罚款标准未确认，列出各种情况的日期）",
            "minor_unpublished": "轻微失信：原则上不公示 — 先查询网站",
            "withdrawn": "已达最长公示期（应已终止公示，以“信用中国”网站显示为准）",
            "not_repairable": "不得提前终止公示（期满自动停止公示）",
            "not_published": "不予公示（简易程序、警告：国家企业信用信息公示系统）",
            "listing": "严重失信主体名单（移出申请）", "incomplete": "缺少处罚日期（待补充）"}
