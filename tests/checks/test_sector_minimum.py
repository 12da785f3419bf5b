"""Order 58's 1-year minimum for food, drugs, special equipment, work safety and fire, when the record's sector is
only inferred from the authority's name: "not yet" is for the instructor to confirm (both dates given) unless
another reading of the rules also says not yet (a serious record under Order 36's classes) or the penalty's own
text names the sector — then it is an error."""
from __future__ import annotations

import datetime as dt

from xinyong_desktop.checks.engine import CaseFacts
from xinyong_desktop.checks.obligations import eligibility_findings
from xinyong_desktop.domain.model import Applicant, FieldId, FieldValue, Kind, Material, RecordSeverity, TextSource
from xinyong_desktop.rules.loader import default_rules

RULES = default_rules()
DECIDED, AS_OF = dt.date(2025, 5, 22), dt.date(2026, 1, 23)  # eight months after a fire brigade's decision


def _decision(authority: str) -> list[Material]:
    m = Material("决定书.pdf", Kind.PENALTY_DECISION, [1], TextSource.TEXT)
    m.fields[FieldId.PENALTY_AUTHORITY] = FieldValue(authority, 1, None, 1.0)
    return [m]


def _not_yet(severity: RecordSeverity, authority: str = "常州市消防救援支队", text: str = ""):
    facts = CaseFacts(severity, Applicant.LEGAL_REPRESENTATIVE, penalty_text=text)
    found, eligible_from = eligibility_findings(DECIDED, facts, AS_OF, RULES, materials=_decision(authority))
    return [(str(f.severity), f.message) for f in found if f.code == "NOT_YET_ELIGIBLE"], eligible_from


def test_a_general_fire_record_guessed_from_the_authority_is_review_with_both_dates():
    found, eligible_from = _not_yet(RecordSeverity.GENERAL)
    assert [sev for sev, _ in found] == ["review"]
    assert "2026-05-23" in found[0][1] and "2025-08-23" in found[0][1]  # the sector's date and the ordinary one
    assert eligible_from == dt.date(2026, 5, 23)  # the conservative date


def test_a_serious_fire_record_is_not_yet_eligible_under_either_reading():
    found, _ = _not_yet(RecordSeverity.SERIOUS)
    assert [sev for sev, _ in found] == ["error"]


def test_a_penalty_text_naming_the_sector_makes_it_an_error():
    found, _ = _not_yet(RecordSeverity.GENERAL, text="违反《中华人民共和国消防法》，罚款")
    assert [sev for sev, _ in found] == ["error"]


def test_outside_the_five_sectors_the_ordinary_minimum_applies():
    found, eligible_from = _not_yet(RecordSeverity.GENERAL, authority="常州市生态环境局")
    assert found == [] and eligible_from == dt.date(2025, 8, 23)
