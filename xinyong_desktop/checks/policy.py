"""The one severity policy: what a claim rests on decides whether it is an error, a review or a warning.

Every check (`checks/rules.py`) states *claims* — "this seal is absent", "this name differs" — each with the
evidence it rests on.  Only here is that evidence turned into a severity:

- `SEEN`: positive evidence a person can see on the page — a blank seen empty, a different value read surely
  in its role, the seal's place seen empty on a page in colour, a date confirmed by a second reading.
  → `error` (the enterprise must fix it).
- `UNSURE`: the thing was read, but not surely (a digit under a seal, a black-and-white copy, a value read
  below `STRONG`).  → `review`.
- `NOT_FOUND`: the claim rests on *not* finding or *not* recognising something (a signature not detected, a
  material not classified, a value not read).  → `review`.
- `ADVICE`: worth knowing, blocks nothing.  → `warning`.

Codes that are by nature the instructor's (a masked code, a material the engine is unsure it recognised) are
never errors; codes that are by nature advice are never blocking.
"""
from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from xinyong_desktop.domain.model import Code, FieldId, Finding, Kind, Material, Severity
from xinyong_desktop.logs import redact


class Evidence(StrEnum):
    SEEN = "seen"
    UNSURE = "unsure"
    NOT_FOUND = "not_found"
    ADVICE = "advice"


# codes that never state a defect: the instructor looks, or it is only advice
ALWAYS_REVIEW = frozenset({Code.VALUE_MASKED, Code.KIND_UNCERTAIN})
ALWAYS_WARNING = frozenset({Code.NO_REPAIR_NEEDED, Code.LATE_PAYMENT, Code.OUTDATED_TEMPLATE})


def decide(code: Code, evidence: Evidence) -> Severity:
    """The severity of a claim of `code` resting on `evidence` (the whole policy)."""
    if code in ALWAYS_WARNING or evidence == Evidence.ADVICE:
        return Severity.WARNING
    if code in ALWAYS_REVIEW:
        return Severity.REVIEW
    return Severity.ERROR if evidence == Evidence.SEEN else Severity.REVIEW


def sure(*confidences: float, threshold: float) -> Evidence:
    """SEEN when every reading the claim compares is at least `threshold` sure, else UNSURE."""
    return Evidence.SEEN if all(c >= threshold for c in confidences) else Evidence.UNSURE


@dataclass(frozen=True)
class Claim:
    """What a check states, with what it rests on; `doubt` is the wording when it is only for review."""

    code: Code
    evidence: Evidence
    message: str
    doubt: str | None = None
    material: Material | None = None
    field: FieldId | None = None
    kind: Kind | None = None
    path: str | None = None
    page: int | None = None

    def finding(self) -> Finding:
        sev = decide(self.code, self.evidence)
        msg = self.message if sev != Severity.REVIEW or self.doubt is None else self.doubt
        m = self.material
        page = self.page
        if page is None and m is not None:
            fv = m.fields.get(self.field) if self.field else None
            page = fv.page if fv else (m.pages[0] if m.pages else None)
        # a message refers to the field; an ID or phone number it quotes is masked (the field itself is stored).
        # Not in a message about a code (an all-digit USCC looks like an ID number, and is not personal)
        if self.field not in (FieldId.USCC, FieldId.DECISION_NUMBER):
            msg = redact(msg)
        return Finding(self.code, sev, msg, self.kind or (m.kind if m else None), self.field,
                       self.path or (m.path if m else None), page)
