"""The minimum publication period is counted from the decision date: a date the engine did not read surely
(a 落款 under its seal on a scan) makes the period's verdict the instructor's, in both directions."""
from __future__ import annotations

import datetime as dt

import pytest

from xinyong_desktop.checks.engine import CaseFacts, run_checks
from xinyong_desktop.domain.model import (
    Applicant,
    FieldId,
    FieldValue,
    Kind,
    Material,
    RecordSeverity,
    Severity,
    TextSource,
)
from xinyong_desktop.rules.loader import default_rules

FACTS = CaseFacts(RecordSeverity.GENERAL, Applicant.LEGAL_REPRESENTATIVE)


def decision(date: str, conf: float) -> Material:
    m = Material("决定书.pdf", Kind.PENALTY_DECISION, [1], TextSource.OCR)
    m.fields[FieldId.DECISION_DATE] = FieldValue(date, 1, (400, 700, 500, 715), conf)
    m.fields[FieldId.FINE_AMOUNT] = FieldValue("5000.00", 1, None, 1.0)
    return m


def period(as_of: dt.date, conf: float):
    findings, _ = run_checks([decision("2024-11-26", conf)], FACTS, as_of, default_rules())
    return [f for f in findings if f.code == "NOT_YET_ELIGIBLE"]


@pytest.mark.parametrize("as_of", [dt.date(2025, 1, 10), dt.date(2025, 6, 10)])
def test_a_surely_read_date_decides_the_period(as_of):
    got = period(as_of, 0.97)
    if as_of.month == 1:  # within a general record's three-month minimum: not yet
        assert [f.severity for f in got] == [Severity.ERROR]
    else:
        assert got == []


def test_an_unsure_date_that_says_not_yet_is_for_the_instructor():
    (f,) = period(dt.date(2025, 1, 10), 0.8)
    assert f.severity == Severity.REVIEW and "2024-11-26" in f.message and "核对原件" in f.message
    assert (f.field, f.path, f.page) == (FieldId.DECISION_DATE, "决定书.pdf", 1)  # points at the date


def test_an_unsure_date_that_says_eligible_is_not_ready_by_itself():
    (f,) = period(dt.date(2025, 6, 10), 0.8)
    assert f.severity == Severity.REVIEW and "已满最短公示期" in f.message
