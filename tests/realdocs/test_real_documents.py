"""The engine on real published documents (tests/fixtures/real): kinds, fields, honesty about what is not shown.

Each document is rendered as an office would (word-processor PDF, some printed-and-scanned), put alone in a
packet and run through the real pipeline (`check_packet`, OCR on).  The truth was read by hand from the
published text.  One parametrized case per document (and field):
  - test_kind: every material found in the file has the document's kind;
  - test_lookalike: a look-alike (不予处罚决定书, 告知书, 通知书 …) is never a penalty_decision;
  - test_field: each field the rendered text shows is read, normalised as check-contract.md says
    (decision numbers compared case-insensitively);
  - test_not_shown: a field the text does not show (the 落款 date of a first page, a fine that is cut off,
    an authority named only as 我局) is not given with confidence >= 0.9;
  - test_masked: a value the publisher masked is never replaced by another confident value, and a masked
    USCC never produces USCC_INVALID;
  - test_no_invalid: no published document produces USCC_INVALID / ID_NUMBER_INVALID.
Cases the current engine fails are xfail(strict) from known_failures.toml, each with the value it gave
(`python -m tests.realdocs.report` prints them and rewrites that file); the mark must go when fixed.
"""
from __future__ import annotations

import pytest

from tests.realdocs import checks
from tests.realdocs.fixtures import DECISION_FIELDS, load_all
from xinyong_desktop.services.check_packet import CheckResult, check_packet

DOCS = load_all()
BY_ID = {d.id: d for d in DOCS}
KNOWN = checks.known_failures()
CASES = checks.cases(DOCS)


def _params(test: str) -> list:
    out = []
    for name, case_id, doc, extra in CASES:
        if name != test:
            continue
        reason = KNOWN.get((test, case_id))
        marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
        out.append(pytest.param(doc.id, *extra, id=case_id, marks=marks))
    return out


@pytest.fixture(scope="session")
def checked(tmp_path_factory, pool):
    """Run each document through the pipeline once, on first use."""
    root = tmp_path_factory.mktemp("realdocs")
    cache: dict[str, CheckResult] = {}

    def get(doc_id: str) -> CheckResult:
        if doc_id not in cache:
            cache[doc_id] = check_packet(checks.build(BY_ID[doc_id], root), as_of=checks.AS_OF, pool=pool)
        return cache[doc_id]
    return get


@pytest.mark.parametrize("doc_id", _params("kind"))
def test_kind(checked, doc_id):
    problem = checks.kind(BY_ID[doc_id], checked(doc_id))
    assert problem is None, problem


@pytest.mark.parametrize("doc_id", _params("lookalike"))
def test_lookalike(checked, doc_id):
    problem = checks.lookalike(BY_ID[doc_id], checked(doc_id))
    assert problem is None, problem


@pytest.mark.parametrize("doc_id,fid", _params("field"))
def test_field(checked, doc_id, fid):
    problem = checks.field(BY_ID[doc_id], checked(doc_id), fid)
    assert problem is None, problem


@pytest.mark.parametrize("doc_id,fid", _params("not_shown"))
def test_not_shown(checked, doc_id, fid):
    problem = checks.not_shown(BY_ID[doc_id], checked(doc_id), fid)
    assert problem is None, problem


@pytest.mark.parametrize("doc_id,fid", _params("masked"))
def test_masked(checked, doc_id, fid):
    problem = checks.masked(BY_ID[doc_id], checked(doc_id), fid)
    assert problem is None, problem


@pytest.mark.parametrize("doc_id", _params("no_invalid"))
def test_no_invalid(checked, doc_id):
    problem = checks.no_invalid(BY_ID[doc_id], checked(doc_id))
    assert problem is None, problem


def test_known_failures_name_existing_cases():
    existing = {(name, case_id) for name, case_id, _, _ in CASES}
    stale = sorted(set(KNOWN) - existing)
    assert not stale, f"known_failures.toml names cases that do not exist: {stale}"


def test_truth_covers_every_decision_field():
    for d in DOCS:
        if d.kind == "penalty_decision":
            missing = [f for f in DECISION_FIELDS
                       if f not in d.truth and f not in d.not_shown and f != "legal_representative"]
            assert not missing, f"{d.id}: truth says nothing of {missing}"
