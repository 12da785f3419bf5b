"""Value objects of the check contract: material kinds, field ids, finding codes, findings."""
from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class Kind(StrEnum):
    PENALTY_DECISION = "penalty_decision"
    APPLICATION_FORM = "application_form"
    COMMITMENT_LETTER = "commitment_letter"
    PAYMENT_PROOF = "payment_proof"
    RECTIFICATION_REPORT = "rectification_report"
    BUSINESS_LICENSE = "business_license"
    LEGAL_REP_CERTIFICATE = "legal_rep_certificate"
    LEGAL_REP_ID = "legal_rep_id"
    AUTHORIZATION_LETTER = "authorization_letter"
    AGENT_ID = "agent_id"
    OTHER = "other"


class FieldId(StrEnum):
    ENTERPRISE_NAME = "enterprise_name"
    USCC = "uscc"
    LEGAL_REPRESENTATIVE = "legal_representative"
    DECISION_NUMBER = "decision_number"
    PENALTY_AUTHORITY = "penalty_authority"
    DECISION_DATE = "decision_date"
    FINE_AMOUNT = "fine_amount"
    PAID_AMOUNT = "paid_amount"
    PAYMENT_DATE = "payment_date"
    PAYER_NAME = "payer_name"
    ID_NAME = "id_name"
    ID_NUMBER = "id_number"
    AGENT_NAME = "agent_name"
    CONTACT_PHONE = "contact_phone"
    SIGNED_DATE = "signed_date"
    SEAL = "seal"
    SIGNATURE = "signature"


class Code(StrEnum):
    MATERIAL_MISSING = "MATERIAL_MISSING"
    FILE_UNREADABLE = "FILE_UNREADABLE"
    FIELD_MISSING = "FIELD_MISSING"
    USCC_INVALID = "USCC_INVALID"
    ID_NUMBER_INVALID = "ID_NUMBER_INVALID"
    NAME_MISMATCH = "NAME_MISMATCH"
    USCC_MISMATCH = "USCC_MISMATCH"
    LEGAL_REP_MISMATCH = "LEGAL_REP_MISMATCH"
    DECISION_NUMBER_MISMATCH = "DECISION_NUMBER_MISMATCH"
    FINE_NOT_FULLY_PAID = "FINE_NOT_FULLY_PAID"
    SEAL_MISSING = "SEAL_MISSING"
    SIGNATURE_MISSING = "SIGNATURE_MISSING"
    NOT_YET_ELIGIBLE = "NOT_YET_ELIGIBLE"
    NO_REPAIR_NEEDED = "NO_REPAIR_NEEDED"
    AUTHORIZATION_INVALID = "AUTHORIZATION_INVALID"
    OUTDATED_TEMPLATE = "OUTDATED_TEMPLATE"
    VALUE_MASKED = "VALUE_MASKED"  # a code or ID number partly hidden (published or photocopied copies): review
    KIND_UNCERTAIN = "KIND_UNCERTAIN"  # a material the engine is unsure it recognised: review
    LATE_PAYMENT = "LATE_PAYMENT"  # paid > 15 days after the decision: 加处罚款 may be owed (warning)
    NOT_REPAIRABLE = "NOT_REPAIRABLE"  # the record may not be ended early (NECIPS 吊销/停产停业…, small fines)


class Severity(StrEnum):
    """error: sure defect; review: the engine cannot tell, the instructor must look; warning: blocks nothing."""

    ERROR = "error"
    REVIEW = "review"
    WARNING = "warning"

    @property
    def blocks(self) -> bool:
        return self is not Severity.WARNING


class RecordSeverity(StrEnum):
    MINOR = "minor"
    GENERAL = "general"
    SERIOUS = "serious"


class Applicant(StrEnum):
    LEGAL_REPRESENTATIVE = "legal_representative"
    AGENT = "agent"


class TextSource(StrEnum):
    TEXT = "text"
    OCR = "ocr"
    NONE = "none"


Box = tuple[float, float, float, float]

# ---------------------------------------------------------------- confidence thresholds (the one place)
# What a confidence *means* for a verdict is decided here and in `checks/policy.py`, nowhere else: the readers
# give calibrated confidences, the policy turns evidence into error / review / pass.

# a value read at least this surely is evidence of what the page says; below it a disagreement is for review
STRONG = 0.9
# a fact found printed on the page, or two independent readings that agree
CONFIRMED = 0.97
# a reading good enough to confirm another, independent one when the two agree
AGREEING = 0.6
# the recogniser's confidence in one character above which a difference is what is printed
SURE_CHARACTER = 0.9
# two readings (each ≥ AGREEING) differ too much for a misreading: codes in more than this many places,
# names sharing less than this share of their characters
MISREAD_PLACES = 3
MISREAD_SHARE = 0.5

# Seals and signatures.  A mark's confidence says how it was decided; "absent" is evidence (an error) only at
# SEEN_EMPTY or above: the signing zone / the seal's place was seen and holds no ink, on a page in colour.
SEEN_EMPTY = 0.8  # the zone was found and seen empty (colour page or text layer)
MARK_SURE = 0.75  # a seal or signature ruled out at least this surely is missing
MARK_NEAR_LABEL = 0.95  # a red seal near its label (or on a page without one)
MARK_AWAY = 0.75  # a red seal away from the seal label
MARK_RING = 0.6  # a grey ring on a black-and-white copy
SIGNED_IN_ZONE = 0.9  # ink in the signing zone
SIGNED_AS_TEXT = 0.85  # handwriting the recogniser read as characters in the signing zone (a scan)
SIGNED_IN_TAIL = 0.8  # ink in the sign-off block (no label found)
SIGNED_LOW = 0.6  # ink in the lower half of the page, no label and no sign-off block
NO_PLACE = 0.6  # no place to sign found: whether it is signed cannot be told
UNREAD = 0.5  # the page has no text at all (an unread scan)
# confidence given to a seal that could be neither seen nor ruled out (a black-and-white copy)
UNCONFIRMED = 0.3
# `FieldValue.raw` of a value the instructor corrected (services/review.apply_decisions): a person read it
CORRECTED = "人工更正"


@dataclass(frozen=True)
class FieldValue:
    """One extracted field: normalised value with its evidence on the page."""

    value: str
    page: int  # 1-based page of the file
    bbox: Box | None
    confidence: float
    raw: str = ""

    def to_json(self) -> dict:
        return {
            "value": self.value,
            "page": self.page,
            "bbox": [round(float(v), 1) for v in self.bbox] if self.bbox else None,
            "confidence": round(float(self.confidence), 3),
        }


@dataclass(frozen=True)
class Finding:
    code: Code
    severity: Severity
    message: str
    kind: Kind | None = None
    field: FieldId | None = None
    path: str | None = None
    page: int | None = None

    def to_json(self) -> dict:
        return {
            "code": str(self.code),
            "severity": str(self.severity),
            "kind": str(self.kind) if self.kind else None,
            "field": str(self.field) if self.field else None,
            "path": self.path,
            "page": self.page,
            "message": self.message,
        }


@dataclass
class Material:
    """One material found in a packet: a run of pages of one file recognised as one kind."""

    path: str
    kind: Kind
    pages: list[int]
    text_source: TextSource
    fields: dict[FieldId, FieldValue] = field(default_factory=dict)
    classify_score: float = 0.0
    notes: list[str] = field(default_factory=list)

    def value(self, fid: FieldId) -> str | None:
        fv = self.fields.get(fid)
        return fv.value if fv else None

    def to_json(self) -> dict:
        return {
            "path": self.path,
            "kind": str(self.kind),
            "pages": self.pages,
            "text_source": str(self.text_source),
            "fields": {str(k): v.to_json() for k, v in self.fields.items()},
        }
