"""Load and validate resources/rules/*.toml; an edit that breaks them fails with the file and key named."""
from __future__ import annotations

import datetime as dt
import re
import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from xinyong_desktop.domain.model import Applicant, FieldId, Kind, RecordSeverity
from xinyong_desktop.domain.periods import Eligibility, Period, eligibility
from xinyong_desktop.errors import InputError
from xinyong_desktop.resources import resource_path

FIELD_TYPES = {"org", "person", "name", "uscc", "id_number", "decision_number", "date", "amount", "phone", "authority"}
PLATFORMS = {"creditchina", "necips"}
READ_KINDS = {k.value for k in Kind} - {"legal_rep_id", "agent_id", "other"} | {"id_card"}


class RuleError(InputError):
    """A rule file is missing, unparsable or has a wrong value; the message names file and key."""


@dataclass(frozen=True)
class RuleSet:
    id: str
    platform: str
    title: str
    valid_from: dt.date
    valid_to: dt.date | None
    periods: dict[RecordSeverity, Period]
    outdated: bool = False


@dataclass(frozen=True)
class MaterialRule:
    kind: Kind
    name: str
    role: str
    severities: frozenset[RecordSeverity]
    applicants: frozenset[Applicant]
    when: str | None
    required_fields: tuple[FieldId, ...]
    seal: bool
    signature: bool
    advice: str

    def required_for(self, severity: RecordSeverity, applicant: Applicant, fine_imposed: bool) -> bool:
        if severity not in self.severities or applicant not in self.applicants:
            return False
        if self.when == "fine_imposed" and not fine_imposed:
            return False
        return True


@dataclass(frozen=True)
class KindReading:
    kind: str
    titles: tuple[str, ...]
    keywords: tuple[str, ...]
    fields: tuple[FieldId, ...]
    labels: dict[FieldId, tuple[str, ...]]
    outdated: tuple[str, ...]


@dataclass(frozen=True)
class FieldReading:
    field: FieldId
    type: str
    labels: tuple[str, ...]
    prose: tuple[str, ...]


@dataclass(frozen=True)
class RuleBook:
    rulesets: tuple[RuleSet, ...]
    count_day_itself: bool
    soon_days: int
    materials: dict[Kind, MaterialRule]
    consistency: dict[FieldId, tuple[Kind, ...]]
    high_frequency_count: int
    high_frequency_window_months: int
    kinds: dict[str, KindReading]
    fields: dict[FieldId, FieldReading]
    outdated_titles: tuple[str, ...]
    seal_labels: tuple[str, ...]
    signature_labels: tuple[str, ...]
    source_dir: Path = field(default=Path("."))

    def ruleset_for(self, day: dt.date, platform: str = "creditchina") -> RuleSet:
        cands = [r for r in self.rulesets if r.platform == platform and r.valid_from <= day
                 and (r.valid_to is None or day <= r.valid_to)]
        if not cands:
            cands = [r for r in self.rulesets if r.platform == platform]
            if not cands:
                raise RuleError(f"periods.toml: 没有平台 {platform} 的规则集")
            # before the first rule set: use the earliest; after a gap: the latest that started
            earlier = [r for r in cands if r.valid_from <= day]
            return max(earlier, key=lambda r: r.valid_from) if earlier else min(cands, key=lambda r: r.valid_from)
        return max(cands, key=lambda r: r.valid_from)

    def eligibility(self, decision_date: dt.date, severity: RecordSeverity, as_of: dt.date,
                    platform: str = "creditchina") -> Eligibility:
        """When a record may be repaired and when its publication stops, by the rule set in force on as_of."""
        periods = self.ruleset_for(as_of, platform).periods
        return eligibility(decision_date, periods[severity], self.count_day_itself)


class _Reader:
    """Typed access to one TOML table with errors that name the file and the dotted key."""

    def __init__(self, fname: str, data: dict, prefix: str = ""):
        self.fname, self.data, self.prefix = fname, data, prefix

    def _key(self, k: str) -> str:
        return f"{self.prefix}.{k}" if self.prefix else k

    def fail(self, k: str, why: str) -> RuleError:
        return RuleError(f"规则文件 {self.fname} 中的 {self._key(k)} 有误：{why}")

    def get(self, k: str, typ: type | tuple, default=...):
        if k not in self.data:
            if default is ...:
                raise self.fail(k, "缺少此项")
            return default
        v = self.data[k]
        if not isinstance(v, typ) or (typ is int and isinstance(v, bool)):
            raise self.fail(k, f"类型应为 {getattr(typ, '__name__', typ)}，实际为 {type(v).__name__}")
        return v

    def table(self, k: str) -> _Reader:
        return _Reader(self.fname, self.get(k, dict), self._key(k))

    def str_list(self, k: str, default=...) -> tuple[str, ...]:
        v = self.get(k, list, default)
        if any(not isinstance(x, str) for x in v):
            raise self.fail(k, "应为字符串列表")
        return tuple(v)

    def enum_list(self, k: str, enum, default=...) -> tuple:
        out = []
        for x in self.str_list(k, default):
            try:
                out.append(enum(x))
            except ValueError:
                raise self.fail(k, f"未知取值 “{x}”（可选：{', '.join(e.value for e in enum)}）") from None
        return tuple(out)

    def enum_keys(self, enum, why: str) -> list[tuple[str, object]]:
        """The table's keys as enum members, (key, member); an unknown key fails naming it."""
        out = []
        for k in self.data:
            try:
                out.append((k, enum(k)))
            except ValueError:
                raise self.fail(k, why) from None
        return out

    def date(self, k: str, default=...) -> dt.date | None:
        v = self.get(k, (str, dt.date), default)
        if v is None or isinstance(v, dt.date):
            return v
        try:
            return dt.date.fromisoformat(v)
        except ValueError:
            raise self.fail(k, f"日期格式应为 YYYY-MM-DD，实际为 “{v}”") from None


def _load_toml(path: Path) -> dict:
    try:
        with open(path, "rb") as fh:
            return tomllib.load(fh)
    except FileNotFoundError:
        raise RuleError(f"缺少规则文件 {path}") from None
    except tomllib.TOMLDecodeError as e:
        raise RuleError(f"规则文件 {path.name} 格式错误：{e}") from None


def _periods(fname: str, data: dict) -> tuple[tuple[RuleSet, ...], bool, int]:
    root = _Reader(fname, data)
    settings = root.table("settings")
    sets = []
    for i, raw in enumerate(root.get("ruleset", list)):
        r = _Reader(fname, raw, f"ruleset[{i}]")
        platform = r.get("platform", str)
        if platform not in PLATFORMS:
            raise r.fail("platform", f"应为 {' 或 '.join(sorted(PLATFORMS))}")
        pt = r.table("periods")
        periods = {}
        for sev in RecordSeverity:
            p = pt.table(sev.value)
            mn, mx = p.get("min_months", int), p.get("max_months", int)
            if not 0 <= mn <= mx:
                raise p.fail("min_months", "应满足 0 ≤ min_months ≤ max_months")
            periods[sev] = Period(mn, mx)
        sets.append(RuleSet(r.get("id", str), platform, r.get("title", str), r.date("valid_from"),
                            r.date("valid_to", None), periods, r.get("outdated", bool, False)))
    if not sets:
        raise root.fail("ruleset", "至少需要一个规则集")
    return tuple(sets), settings.get("count_day_itself", bool), settings.get("soon_days", int)


def _materials(fname: str, data: dict) -> tuple[dict, dict, int, int]:
    root = _Reader(fname, data)
    mt = root.table("materials")
    rules = {}
    for name, kind in mt.enum_keys(Kind, "不是已知的材料类型"):
        r = mt.table(name)
        when = r.get("when", str, None)
        if when not in (None, "fine_imposed"):
            raise r.fail("when", "只能是 fine_imposed")
        role = r.get("role", str)
        if role not in ("submission", "reference"):
            raise r.fail("role", "应为 submission 或 reference")
        rules[kind] = MaterialRule(
            kind, r.get("name", str), role,
            frozenset(r.enum_list("severities", RecordSeverity)), frozenset(r.enum_list("applicants", Applicant)),
            when, r.enum_list("required_fields", FieldId), r.get("seal", bool, False), r.get("signature", bool, False),
            r.get("advice", str, ""),
        )
    missing = set(Kind) - set(rules)
    if missing:
        raise mt.fail(sorted(missing)[0], "缺少此材料类型的规则")
    cons = {}
    ct = root.table("consistency")
    for fname_, fid in ct.enum_keys(FieldId, "不是已知的字段"):
        cons[fid] = ct.enum_list(fname_, Kind)
    st = root.table("settings")
    return rules, cons, st.get("high_frequency_count", int), st.get("high_frequency_window_months", int)


def _reading(fname: str, data: dict) -> tuple[dict, dict, tuple, tuple, tuple]:
    root = _Reader(fname, data)
    kt = root.table("kinds")
    kinds = {}
    for name in kt.data:
        if name not in READ_KINDS:
            raise kt.fail(name, f"不是可识别的材料类型（可选：{', '.join(sorted(READ_KINDS))}）")
        r = kt.table(name)
        labels = {}
        if "labels" in r.data:
            lt = r.table("labels")
            for f, fid in lt.enum_keys(FieldId, "不是已知的字段"):
                labels[fid] = lt.str_list(f)
        kinds[name] = KindReading(name, r.str_list("titles"), r.str_list("keywords"), r.enum_list("fields", FieldId),
                                  labels, r.str_list("outdated", ()))
    ft = root.table("fields")
    fields = {}
    for name, fid in ft.enum_keys(FieldId, "不是已知的字段"):
        r = ft.table(name)
        typ = r.get("type", str)
        if typ not in FIELD_TYPES:
            raise r.fail("type", f"未知类型 “{typ}”")
        prose = r.str_list("prose")
        for i, pat in enumerate(prose):
            try:
                re.compile(pat.replace("{", "(").replace("}", ")"))
            except re.error as e:
                raise r.fail(f"prose[{i}]", f"正则表达式错误：{e}") from None
        fields[fid] = FieldReading(fid, typ, r.str_list("labels"), prose)
    marks = root.table("marks")
    return (kinds, fields, root.table("outdated").str_list("titles"), marks.str_list("seal_labels"),
            marks.str_list("signature_labels"))


def load_rules(rules_dir: Path | None = None) -> RuleBook:
    rules_dir = rules_dir or resource_path("rules")
    rulesets, count_day, soon = _periods("periods.toml", _load_toml(rules_dir / "periods.toml"))
    materials, cons, hf_n, hf_m = _materials("materials.toml", _load_toml(rules_dir / "materials.toml"))
    kinds, fields, outdated, seal_l, sig_l = _reading("reading.toml", _load_toml(rules_dir / "reading.toml"))
    return RuleBook(rulesets, count_day, soon, materials, cons, hf_n, hf_m, kinds, fields, outdated, seal_l, sig_l,
                    rules_dir)


@lru_cache(maxsize=1)
def default_rules() -> RuleBook:
    return load_rules()


@dataclass(frozen=True)
class RosterRules:
    """How roster spreadsheets are read (resources/rules/roster.toml)."""

    columns: dict[str, tuple[str, ...]]
    severity: dict[str, RecordSeverity]  # cell word → severity
    platform: dict[str, str]  # cell word → platform id
    note_prefixes: tuple[str, ...]


ROSTER_COLUMNS = ("enterprise_name", "uscc", "decision_number", "decision_date", "record_severity", "authority",
                  "legal_representative", "phone", "platform")


def load_roster_rules(rules_dir: Path | None = None) -> RosterRules:
    fname = "roster.toml"
    root = _Reader(fname, _load_toml((rules_dir or resource_path("rules")) / fname))
    cols = root.table("columns")
    columns = {}
    for name in cols.data:
        if name not in ROSTER_COLUMNS:
            raise cols.fail(name, f"不是已知的名单列（可选：{', '.join(ROSTER_COLUMNS)}）")
        columns[name] = cols.str_list(name)
    for need in ("enterprise_name", "uscc", "decision_number", "decision_date", "record_severity"):
        if need not in columns:
            raise cols.fail(need, "缺少此项")
    sev = root.table("severity")
    severity = {}
    for name, level in sev.enum_keys(RecordSeverity, "应为 minor、general 或 serious"):
        severity.update({w.lower(): level for w in sev.str_list(name)})
    plat = root.table("platform")
    platform = {}
    for name in plat.data:
        if name not in PLATFORMS:
            raise plat.fail(name, f"应为 {' 或 '.join(sorted(PLATFORMS))}")
        platform.update({w.lower(): name for w in plat.str_list(name)})
    return RosterRules(columns, severity, platform, root.table("notes").str_list("prefixes"))


@lru_cache(maxsize=1)
def default_roster_rules() -> RosterRules:
    return load_roster_rules()
