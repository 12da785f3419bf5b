"""The declared rules and the one severity policy, on hand-built materials (no PDFs): an error only from
evidence a person can see; anything resting on not finding or not recognising is for the instructor."""
from __future__ import annotations

import datetime as dt

import pytest

from xinyong_desktop.checks.engine import CaseFacts, run_checks
from xinyong_desktop.checks.policy import Claim, Evidence, decide
from xinyong_desktop.checks.rules import COULD_BE, RULES, SCAN_COLOUR
from xinyong_desktop.domain.model import (
    NO_PLACE,
    SEEN_EMPTY,
    UNCONFIRMED,
    Applicant,
    Code,
    FieldId,
    FieldValue,
    Kind,
    Material,
    RecordSeverity,
    Severity,
    TextSource,
)
from xinyong_desktop.rules.loader import default_rules

RULEBOOK = default_rules()
AS_OF = dt.date(2025, 6, 10)
LR = CaseFacts(RecordSeverity.GENERAL, Applicant.LEGAL_REPRESENTATIVE)
AGENT = CaseFacts(RecordSeverity.GENERAL, Applicant.AGENT)
NAME, USCC, REP = "常州市恒昌食品有限公司", "91320404MAWHC1F04G", "姚晶"


def fv(value: str, conf: float = 1.0, page: int = 1) -> FieldValue:
    return FieldValue(value, page, (100, 100, 200, 112), conf)


def mat(kind: Kind, path: str | None = None, source: TextSource = TextSource.TEXT, notes=(), **fields) -> Material:
    m = Material(path or f"{kind}.pdf", kind, [1], source, notes=list(notes))
    for k, v in fields.items():
        m.fields[FieldId(k)] = v if isinstance(v, FieldValue) else fv(v)
    return m


def clean_packet(source: TextSource = TextSource.TEXT) -> list[Material]:
    """A complete, correct packet of a legal representative's general record (signed, sealed)."""
    signed = {"seal": fv("present", 0.95), "signature": fv("present", 0.9)}
    return [
        mat(Kind.PENALTY_DECISION, enterprise_name=NAME, uscc=USCC, legal_representative=REP,
            decision_number="常环行罚〔2024〕723号", penalty_authority="常州市生态环境局",
            decision_date=fv("2024-11-26", 0.97), fine_amount="5000.00"),
        mat(Kind.BUSINESS_LICENSE, enterprise_name=NAME, uscc=USCC, legal_representative=REP),
        mat(Kind.COMMITMENT_LETTER, source=source, enterprise_name=NAME, uscc=USCC,
            decision_number="常环行罚〔2024〕723号", signed_date="2025-06-01", **signed),
        mat(Kind.LEGAL_REP_CERTIFICATE, enterprise_name=NAME, legal_representative=REP,
            id_number="320412198811067363", seal=fv("present", 0.95)),
        mat(Kind.LEGAL_REP_ID, id_name=REP, id_number="320412198811067363"),
        mat(Kind.PAYMENT_PROOF, payer_name=NAME, paid_amount="5000.00", payment_date="2024-11-30"),
    ]


def check(materials: list[Material], facts: CaseFacts = LR, as_of: dt.date = AS_OF):
    findings, _ = run_checks(materials, facts, as_of, RULEBOOK)
    return [f for f in findings if f.severity != Severity.WARNING]


def codes(findings) -> set[tuple[str, str]]:
    return {(str(f.code), str(f.severity)) for f in findings}


def get(materials: list[Material], kind: Kind) -> Material:
    return next(m for m in materials if m.kind == kind)


# ---------------------------------------------------------------- the policy
@pytest.mark.parametrize(("code", "evidence", "want"), [
    (Code.SEAL_MISSING, Evidence.SEEN, Severity.ERROR),
    (Code.SEAL_MISSING, Evidence.UNSURE, Severity.REVIEW),
    (Code.MATERIAL_MISSING, Evidence.NOT_FOUND, Severity.REVIEW),
    (Code.KIND_UNCERTAIN, Evidence.SEEN, Severity.REVIEW),  # the instructor's by nature
    (Code.VALUE_MASKED, Evidence.SEEN, Severity.REVIEW),
    (Code.NO_REPAIR_NEEDED, Evidence.SEEN, Severity.WARNING),  # advice by nature
    (Code.NAME_MISMATCH, Evidence.ADVICE, Severity.WARNING),
])
def test_one_policy_decides_the_severity(code, evidence, want):
    assert decide(code, evidence) == want
    claim = Claim(code, evidence, "确定的说法", "待核对的说法")
    assert claim.finding().message == ("待核对的说法" if want == Severity.REVIEW else "确定的说法")


def test_every_rule_is_declared_with_its_codes_and_the_evidence_it_needs():
    assert len({r.name for r in RULES}) == len(RULES)
    assert all(r.codes and r.needs for r in RULES)
    declared = {c for r in RULES for c in r.codes}
    # every code the engine can state is some rule's
    assert declared >= {Code.MATERIAL_MISSING, Code.FIELD_MISSING, Code.SEAL_MISSING, Code.SIGNATURE_MISSING,
                        Code.LEGAL_REP_MISMATCH, Code.FINE_NOT_FULLY_PAID, Code.NOT_YET_ELIGIBLE,
                        Code.AUTHORIZATION_INVALID, Code.FILE_UNREADABLE}


def test_each_rule_states_only_its_own_codes():
    from xinyong_desktop.checks.context import Context

    ms = clean_packet()
    get(ms, Kind.COMMITMENT_LETTER).fields[FieldId.SEAL] = fv("absent", SEEN_EMPTY)
    get(ms, Kind.LEGAL_REP_ID).fields[FieldId.ID_NAME] = fv("姚波")
    del ms[-1]  # no receipt
    ctx = Context(ms, LR, dt.date(2025, 1, 10), RULEBOOK, [("坏.pdf", "文件已损坏")])
    seen = set()
    for rule in RULES:
        for claim in rule.run(ctx):
            assert claim.code in rule.codes, rule.name
            seen.add(rule.name)
    assert {"unreadable_files", "missing_materials", "seals", "consistency", "period"} <= seen


def test_a_clean_packet_has_no_finding():
    assert check(clean_packet()) == []


# ---------------------------------------------------------------- materials
def test_a_material_missing_with_nothing_that_could_be_it_is_an_error():
    ms = [m for m in clean_packet() if m.kind != Kind.LEGAL_REP_CERTIFICATE]
    ms.append(mat(Kind.OTHER, "结业证书.pdf"))  # something else, read, resembling no material
    assert codes(check(ms)) == {("MATERIAL_MISSING", "error")}


def test_a_material_missing_while_an_unrecognised_document_could_be_it_is_review_naming_the_file():
    ms = [m for m in clean_packet() if m.kind != Kind.LEGAL_REP_CERTIFICATE]
    ms.append(mat(Kind.OTHER, "法定代表人资格证明.pdf", notes=[f"{COULD_BE}legal_rep_certificate"]))
    (f,) = check(ms)
    assert (f.code, f.severity, f.kind) == (Code.MATERIAL_MISSING, Severity.REVIEW, Kind.LEGAL_REP_CERTIFICATE)
    assert "法定代表人资格证明.pdf" in f.message and f.path == "法定代表人资格证明.pdf"


@pytest.mark.parametrize("unread", [
    Material("IMG_2041.jpg", Kind.OTHER, [1], TextSource.NONE),  # a scan not read (--no-ocr)
    Material("坏.pdf", Kind.OTHER, [], TextSource.NONE),  # a file that could not be opened
])
def test_an_unread_document_never_makes_a_material_missing(unread):
    ms = [m for m in clean_packet() if m.kind != Kind.COMMITMENT_LETTER] + [unread]
    got = [f for f in check(ms) if f.code == Code.MATERIAL_MISSING]
    assert [(f.kind, f.severity) for f in got] == [(Kind.COMMITMENT_LETTER, Severity.REVIEW)]


# ---------------------------------------------------------------- blanks, seals, signatures
def test_a_blank_seen_is_an_error_a_field_not_read_is_review():
    ms = clean_packet()
    letter = get(ms, Kind.COMMITMENT_LETTER)
    del letter.fields[FieldId.SIGNED_DATE]
    assert codes(check(ms)) == {("FIELD_MISSING", "review")}
    letter.notes.append("blank:signed_date")
    assert codes(check(ms)) == {("FIELD_MISSING", "error")}


@pytest.mark.parametrize(("conf", "notes", "want"), [
    (SEEN_EMPTY, [], Severity.ERROR),  # the place seen empty in colour / on a text layer
    (UNCONFIRMED, [], Severity.REVIEW),  # a black-and-white copy
    (UNCONFIRMED, [SCAN_COLOUR], Severity.ERROR),  # colourless page of a file scanned in colour
])
def test_a_missing_seal_is_an_error_only_where_a_seal_would_show(conf, notes, want):
    ms = clean_packet(TextSource.OCR)
    letter = get(ms, Kind.COMMITMENT_LETTER)
    letter.fields[FieldId.SEAL] = fv("absent", conf)
    letter.notes += notes
    (f,) = check(ms)
    assert (f.code, f.severity) == (Code.SEAL_MISSING, want)


def test_a_colourless_page_in_a_packet_of_colour_scans_counts_as_colour():
    ms = clean_packet(TextSource.OCR)
    get(ms, Kind.COMMITMENT_LETTER).fields[FieldId.SEAL] = fv("absent", UNCONFIRMED)
    for kind in (Kind.PAYMENT_PROOF, Kind.LEGAL_REP_ID):  # two other files, both scanned in colour
        m = get(ms, kind)
        m.text_source = TextSource.OCR
        m.notes.append(SCAN_COLOUR)
    assert codes(check(ms)) == {("SEAL_MISSING", "error")}
    get(ms, Kind.LEGAL_REP_ID).notes.remove(SCAN_COLOUR)  # one of them black and white: cannot tell
    assert codes(check(ms)) == {("SEAL_MISSING", "review")}


@pytest.mark.parametrize(("conf", "want"), [(SEEN_EMPTY, "error"), (NO_PLACE, "review")])
def test_a_signature_is_missing_surely_only_when_its_zone_was_seen_empty(conf, want):
    ms = clean_packet()
    get(ms, Kind.COMMITMENT_LETTER).fields[FieldId.SIGNATURE] = fv("absent", conf)
    assert codes(check(ms)) == {("SIGNATURE_MISSING", want)}


def test_an_authorization_letter_unsigned_follows_the_same_evidence():
    ms = clean_packet()
    ms.append(mat(Kind.AUTHORIZATION_LETTER, enterprise_name=NAME, agent_name="庄栋飞", id_number="320404198511260364",
                  seal=fv("present", 0.95), signature=fv("absent", NO_PLACE)))
    ms.append(mat(Kind.AGENT_ID, id_name="庄栋飞", id_number="320404198511260364"))
    got = {(str(f.code), str(f.severity)) for f in check(ms, AGENT) if f.kind == Kind.AUTHORIZATION_LETTER}
    assert got == {("SIGNATURE_MISSING", "review"), ("AUTHORIZATION_INVALID", "review")}
    get(ms, Kind.AUTHORIZATION_LETTER).fields[FieldId.SIGNATURE] = fv("absent", SEEN_EMPTY)
    got = {(str(f.code), str(f.severity)) for f in check(ms, AGENT) if f.kind == Kind.AUTHORIZATION_LETTER}
    assert got == {("SIGNATURE_MISSING", "error"), ("AUTHORIZATION_INVALID", "error")}


# ---------------------------------------------------------------- values read in their role
def test_the_legal_representative_named_differently_on_a_form_is_an_error_when_read_surely():
    ms = clean_packet()
    ms.append(mat(Kind.APPLICATION_FORM, enterprise_name=NAME, uscc=USCC, legal_representative="姚波",
                  decision_number="常环行罚〔2024〕723号", signed_date="2025-06-01",
                  seal=fv("present", 0.95), signature=fv("present", 0.9)))
    (f,) = check(ms)
    assert (f.code, f.severity, f.kind, f.field) == (Code.LEGAL_REP_MISMATCH, Severity.ERROR, Kind.APPLICATION_FORM,
                                                     FieldId.LEGAL_REPRESENTATIVE)
    assert "姚波" in f.message and "姚晶" in f.message
    form = get(ms, Kind.APPLICATION_FORM)
    form.fields[FieldId.LEGAL_REPRESENTATIVE] = fv("姚波", 0.7)  # read unsurely
    assert codes(check(ms)) == {("LEGAL_REP_MISMATCH", "review")}
    form.fields[FieldId.LEGAL_REPRESENTATIVE] = fv("姚波")
    form.notes.append("conflict:legal_representative")  # the page also shows the licence's name
    assert codes(check(ms)) == {("LEGAL_REP_MISMATCH", "review")}


def test_the_id_card_of_another_person_is_a_mismatch():
    ms = clean_packet()
    get(ms, Kind.LEGAL_REP_ID).fields[FieldId.ID_NAME] = fv("姚波")
    assert codes(check(ms)) == {("LEGAL_REP_MISMATCH", "error")}


def test_a_payer_read_as_a_label_word_unsurely_is_review_not_unpaid():
    ms = clean_packet()
    get(ms, Kind.PAYMENT_PROOF).fields[FieldId.PAYER_NAME] = fv("户名", 0.6)
    assert codes(check(ms)) == {("FINE_NOT_FULLY_PAID", "review")}


def test_an_unpaid_rest_is_review_while_an_unrecognised_receipt_could_pay_it():
    ms = clean_packet()
    get(ms, Kind.PAYMENT_PROOF).fields[FieldId.PAID_AMOUNT] = fv("3000.00")
    assert codes(check(ms)) == {("FINE_NOT_FULLY_PAID", "error")}
    ms.append(mat(Kind.OTHER, "缴款凭证.pdf", notes=[f"{COULD_BE}payment_proof"]))
    (f,) = check(ms)
    assert (f.code, f.severity) == (Code.FINE_NOT_FULLY_PAID, Severity.REVIEW) and "缴款凭证.pdf" in f.message


def test_a_file_that_cannot_be_opened_does_not_soften_a_shortfall_seen_on_the_receipts():
    # an encrypted PDF is the enterprise's to replace (FILE_UNREADABLE): the receipts handed in fall short
    ms = clean_packet()
    get(ms, Kind.PAYMENT_PROOF).fields[FieldId.PAID_AMOUNT] = fv("3000.00")
    ms.append(Material("承诺书-加密.pdf", Kind.OTHER, [], TextSource.NONE))
    paid = [f for f in check(ms) if f.code == Code.FINE_NOT_FULLY_PAID]
    assert [(f.severity, "承诺书-加密.pdf" in f.message) for f in paid] == [(Severity.ERROR, True)]
    # a scan not read (--no-ocr) could still be the rest: review
    ms[-1] = Material("scan0001.pdf", Kind.OTHER, [1], TextSource.NONE)
    assert codes(check(ms)) == {("FINE_NOT_FULLY_PAID", "review")}


def test_a_decision_photographed_page_by_page_is_one_document():
    # page 1 (title, party, number) and page 2 (fine, 落款 date and authority) handed in as two photos
    ms = clean_packet()
    dec = get(ms, Kind.PENALTY_DECISION)
    page2 = mat(Kind.PENALTY_DECISION, "微信图片_2.jpg", TextSource.OCR, notes=["untitled"],
                penalty_authority="常州市生态环境局", decision_date=fv("2024-11-26", 0.97), fine_amount="5000.00")
    for f in (FieldId.DECISION_DATE, FieldId.FINE_AMOUNT):
        del dec.fields[f]
    assert check([*ms, page2]) == []
    # a titleless decision of another authority is not a page of this one
    other = mat(Kind.PENALTY_DECISION, "微信图片_3.jpg", TextSource.OCR, notes=["untitled"],
                penalty_authority="常州市应急管理局", decision_date=fv("2024-11-26", 0.97))
    got = codes(check([*ms, page2, other]))
    assert ("KIND_UNCERTAIN", "review") in got and ("FIELD_MISSING", "review") in got


# ---------------------------------------------------------------- the period
@pytest.mark.parametrize(("conf", "want"), [(0.97, "error"), (0.8, "review")])
def test_not_yet_eligible_is_an_error_only_from_a_confirmed_date(conf, want):
    ms = clean_packet()
    get(ms, Kind.PENALTY_DECISION).fields[FieldId.DECISION_DATE] = fv("2024-11-26", conf)
    assert codes(check(ms, as_of=dt.date(2025, 1, 10))) == {("NOT_YET_ELIGIBLE", want)}


@pytest.mark.parametrize(("restated", "want"), [("2024-11-26", "error"), ("2024-11-16", "review"), (None, "review")])
def test_a_date_under_the_seal_restated_by_another_material_is_confirmed(restated, want):
    """The 落款 date read under its seal (0.78) and restated by a letter of the packet: two readings that agree
    vouch for it, so "not yet eligible" counted from it is an error; a letter saying another date, or none,
    leaves it for the instructor."""
    from xinyong_desktop.extract.facts import corroborate

    ms = clean_packet()
    dec = get(ms, Kind.PENALTY_DECISION)
    dec.text_source = TextSource.OCR
    dec.fields[FieldId.DECISION_DATE] = fv("2024-11-26", 0.78)
    if restated:
        get(ms, Kind.COMMITMENT_LETTER).fields[FieldId.DECISION_DATE] = fv(restated, 0.85)
    corroborate(dec, [], [m for m in ms if m is not dec])
    got = [f for f in check(ms, as_of=dt.date(2025, 1, 10)) if f.code == Code.NOT_YET_ELIGIBLE]
    assert [str(f.severity) for f in got] == [want]


@pytest.mark.parametrize("party", ["如不服本处罚决定", "应当自收到本决定书之日起十五日内"])
def test_a_sentence_read_as_the_decisions_party_is_no_evidence_of_another_name(party):
    """A decision's second page photographed alone, its party read as a clause: no mismatch is stated from it
    (and the other materials are still compared with the name the licence and the other page agree on)."""
    ms = clean_packet()
    ms.append(mat(Kind.PENALTY_DECISION, "第二页.jpg", enterprise_name=fv(party, 0.92)))
    del get(ms, Kind.BUSINESS_LICENSE).fields[FieldId.ENTERPRISE_NAME]
    got = [f for f in check(ms) if f.code == Code.NAME_MISMATCH]
    assert {(f.path, f.severity) for f in got} <= {("第二页.jpg", Severity.REVIEW)}


def test_a_payer_read_as_a_label_word_surely_is_no_evidence_either():
    ms = clean_packet()
    get(ms, Kind.PAYMENT_PROOF).fields[FieldId.PAYER_NAME] = fv("户名", 1.0)
    assert codes(check(ms)) == {("FINE_NOT_FULLY_PAID", "review")}


def test_a_receipt_is_not_missing_surely_when_the_fine_was_not_read():
    ms = [m for m in clean_packet() if m.kind != Kind.PAYMENT_PROOF]
    assert codes(check(ms)) == {("MATERIAL_MISSING", "error")}
    del get(ms, Kind.PENALTY_DECISION).fields[FieldId.FINE_AMOUNT]
    assert codes(check(ms)) == {("MATERIAL_MISSING", "review")}


def test_the_decision_naming_another_representative_than_the_licence_is_an_error():
    ms = clean_packet()
    get(ms, Kind.PENALTY_DECISION).fields[FieldId.LEGAL_REPRESENTATIVE] = fv("赵子龙")
    (f,) = check(ms)
    assert (f.code, f.severity, f.kind) == (Code.LEGAL_REP_MISMATCH, Severity.ERROR, Kind.PENALTY_DECISION)


def test_two_readings_of_the_reference_that_disagree_state_no_error():
    """The licence's name not read; two pages of the decision read two different names surely: which one is
    the enterprise's is for the instructor, whatever the forms say."""
    ms = clean_packet()
    del get(ms, Kind.BUSINESS_LICENSE).fields[FieldId.ENTERPRISE_NAME]
    ms.append(mat(Kind.PENALTY_DECISION, "第二页.jpg", enterprise_name="常州市恒昌贸易有限公司"))
    got = [f for f in check(ms) if f.code == Code.NAME_MISMATCH]
    assert got and all(f.severity == Severity.REVIEW for f in got)


def test_a_material_recognised_unsurely_as_another_kind_may_be_the_missing_one():
    ms = [m for m in clean_packet() if m.kind != Kind.LEGAL_REP_CERTIFICATE]
    photo = mat(Kind.COMMITMENT_LETTER, "IMG_1.jpg", notes=["several_documents", f"{COULD_BE}legal_rep_certificate"])
    ms.append(photo)
    got = [f for f in check(ms) if f.code == Code.MATERIAL_MISSING]
    assert [(f.severity, f.path) for f in got] == [(Severity.REVIEW, "IMG_1.jpg")]


@pytest.mark.parametrize(("on_card", "conf", "want"), [
    ("杜国栋", 0.68, "error"),  # no character in common: no misreading makes one of the other
    ("庄栋飞", 0.68, "review"),  # the same name, unsure... no difference at all
    ("庄栎飞", 0.68, "review"),  # one character apart, read unsurely: may be a misreading
    ("杜国栋", 0.5, "review"),  # read too poorly to say anything
])
def test_two_readings_differ_surely_when_no_misreading_makes_one_of_the_other(on_card, conf, want):
    ms = clean_packet()
    ms.append(mat(Kind.AUTHORIZATION_LETTER, enterprise_name=NAME, agent_name=fv("庄栋飞", 0.85),
                  seal=fv("present", 0.95), signature=fv("present", 0.9)))
    ms.append(mat(Kind.AGENT_ID, id_name=fv(on_card, conf)))
    got = [str(f.severity) for f in check(ms, AGENT) if f.code == Code.AUTHORIZATION_INVALID]
    assert got == ([] if on_card == "庄栋飞" else [want])


def test_a_receipts_figures_and_words_disagreeing_is_one_doubt_not_two():
    ms = clean_packet()
    proof = get(ms, Kind.PAYMENT_PROOF)
    proof.text_source = TextSource.OCR
    proof.fields[FieldId.PAID_AMOUNT] = fv("50.00", 0.59)
    proof.notes.append("amount_words:大写 5000.00，小写 50.00")
    got = [f for f in check(ms) if f.code == Code.FINE_NOT_FULLY_PAID]
    assert len(got) == 1 and got[0].severity == Severity.REVIEW and "大写" in got[0].message
