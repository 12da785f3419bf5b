"""The one context every check runs over: the packet's materials, the case's facts, the class date, the rules."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from xinyong_desktop.domain.model import Applicant, FieldId, FieldValue, Kind, Material, RecordSeverity, TextSource
from xinyong_desktop.rules.loader import RuleBook


@dataclass(frozen=True)
class CaseFacts:
    record_severity: RecordSeverity
    applicant: Applicant
    platform: str = "creditchina"
    extra_required: tuple[Kind, ...] = ()  # the office's additions to the platform's checklist
    published_on: dt.date | None = None  # when the record was published (NECIPS counts from it)
    penalty_types: tuple[str, ...] = ()  # penalties.toml type ids, when known (roster 处罚类别/处罚内容)
    decision_number: str | None = None  # the case's own record, when known (one case per record)
    assumed: tuple[str, ...] = ()  # facts not given (no case.json): record_severity / platform / applicant
    penalty_text: str = ""  # 处罚内容 as the instructor knows it: sector words, restriction periods (rules.assess)
    art14: tuple[bool | None, ...] = ()  # NECIPS 第十四条 conditions answered on the case (None: not asked yet)
    natural_person: bool = False  # a natural person / 个体工商户: NECIPS's own small-fine threshold
    province: str = ""  # whose NECIPS small-fine threshold applies (empty: the authority's, else penalties.toml's)


_DECISION_ORDER = (Kind.PENALTY_DECISION, Kind.APPLICATION_FORM, Kind.COMMITMENT_LETTER)


def decision_evidence(materials: list[Material], fid: FieldId) -> tuple[Material, FieldValue] | None:
    """Where the case's decision date or fine is taken from: the 行政处罚决定书, else a form restating it."""
    for kind in _DECISION_ORDER:
        for m in materials:
            if m.kind == kind and m.value(fid):
                return m, m.fields[fid]
    return None


@dataclass
class Context:
    materials: list[Material]
    facts: CaseFacts
    as_of: dt.date
    rules: RuleBook
    unreadable: list[tuple[str, str]] = field(default_factory=list)
    eligible_from: dt.date | None = None  # set by the period rule

    def __post_init__(self) -> None:
        self.by_kind: dict[Kind, list[Material]] = {}
        for m in self.materials:
            self.by_kind.setdefault(m.kind, []).append(m)
        self.dated = decision_evidence(self.materials, FieldId.DECISION_DATE)
        self.fined = decision_evidence(self.materials, FieldId.FINE_AMOUNT)

    @property
    def decision_date(self) -> dt.date | None:
        return dt.date.fromisoformat(self.dated[1].value) if self.dated else None

    @property
    def fine(self) -> Decimal | None:
        return Decimal(self.fined[1].value) if self.fined else None

    def name(self, kind: Kind) -> str:
        return self.rules.materials[kind].name

    def readable(self) -> list[Material]:
        """Recognised materials whose pages have text."""
        return [m for m in self.materials if m.kind != Kind.OTHER and m.text_source != TextSource.NONE]

    def enterprise(self) -> str | None:
        for kind in (Kind.BUSINESS_LICENSE, Kind.PENALTY_DECISION, Kind.APPLICATION_FORM):
            for m in self.by_kind.get(kind, []):
                if v := m.value(FieldId.ENTERPRISE_NAME):
                    return v
        return None
