"""Cross-check a packet's materials against the rules and each other; every problem is one Finding."""
from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal

from xinyong_desktop.checks import obligations
from xinyong_desktop.checks.messages import field_name
from xinyong_desktop.domain import identifiers as ids
from xinyong_desktop.domain.model import (
    STRONG,
    UNCONFIRMED,
    Applicant,
    Code,
    FieldId,
    FieldValue,
    Finding,
    Kind,
    Material,
    RecordSeverity,
    Severity,
    TextSource,
)
from xinyong_desktop.domain.text import normalize_name
from xinyong_desktop.extract.facts import same
from xinyong_desktop.logs import redact
from xinyong_desktop.rules.loader import RuleBook

E, R, W = Severity.ERROR, Severity.REVIEW, Severity.WARNING
MARK_SURE = 0.75  # a seal or signature ruled out at least this surely is missing


@dataclass(frozen=True)
class CaseFacts:
    record_severity: RecordSeverity
    applicant: Applicant
    platform: str = "creditchina"
    extra_required: tuple[Kind, ...] = ()  # the office's additions to the platform's checklist
    published_on: dt.date | None = None  # when the record was published (NECIPS counts from it)
    penalty_types: tuple[str, ...] = ()  # penalties.toml type ids, when known (roster 处罚类别/处罚内容)
    decision_number: str | None = None  # the case's own record, when known (one case per record)


def _name(rules: RuleBook, kind: Kind) -> str:
    return rules.materials[kind].name


def _f(code: Code, sev: Severity, msg: str, m: Material | None = None, fid: FieldId | None = None,
       kind: Kind | None = None) -> Finding:
    page = None
    if m is not None:
        fv = m.fields.get(fid) if fid else None
        page = fv.page if fv else (m.pages[0] if m.pages else None)
    # a message refers to the field; an ID or phone number it quotes is masked (the field itself is stored).
    # Not in a message about a code (an all-digit USCC looks like an ID number, and is not personal)
    if fid not in (FieldId.USCC, FieldId.DECISION_NUMBER):
        msg = redact(msg)
    return Finding(code, sev, msg, kind or (m.kind if m else None), fid, m.path if m else None, page)


def _readable(m: Material) -> bool:
    return m.text_source != TextSource.NONE


_DECISION_ORDER = (Kind.PENALTY_DECISION, Kind.APPLICATION_FORM, Kind.COMMITMENT_LETTER)


def decision_evidence(materials: list[Material], fid: FieldId) -> tuple[Material, FieldValue] | None:
    """Where the case's decision date or fine is taken from: the 行政处罚决定书, else a form restating it."""
    for kind in _DECISION_ORDER:
        for m in materials:
            if m.kind == kind and m.value(fid):
                return m, m.fields[fid]
    return None


def _unsure_period(found: list[Finding], seen: tuple[Material, FieldValue] | None, rules: RuleBook) -> list[Finding]:
    """The period is counted from the decision date (`seen`): when that date was not read surely (a 落款 under
    its seal on a scan, no form restating it), whether the case may apply is for the instructor to confirm."""
    if seen is None or seen[1].confidence >= STRONG:
        return found
    m, fv = seen
    unsure = (f"处罚决定日期识别为 {fv.value}（{_name(rules, m.kind)}），但未能确认，"
              "请核对原件上的日期：最短公示期按此日期计算。")
    out = [Finding(f.code, R, f"{f.message}{unsure}", m.kind, FieldId.DECISION_DATE, m.path, fv.page)
           if f.severity == E and f.code == Code.NOT_YET_ELIGIBLE else f for f in found]
    if not any(f.code in (Code.NOT_YET_ELIGIBLE, Code.NOT_REPAIRABLE, Code.NO_REPAIR_NEEDED) for f in found):
        out.append(Finding(Code.NOT_YET_ELIGIBLE, R, f"按识别的日期已满最短公示期；{unsure}", m.kind,
                           FieldId.DECISION_DATE, m.path, fv.page))
    return out


def run_checks(materials: list[Material], facts: CaseFacts, as_of: dt.date, rules: RuleBook,
               unreadable: list[tuple[str, str]] | None = None) -> tuple[list[Finding], dt.date | None]:
    out: list[Finding] = []
    for path, reason in unreadable or []:
        out.append(Finding(Code.FILE_UNREADABLE, E, f"文件“{path}”无法读取：{reason}。请确认该文件应是哪份材料，重新扫描或导出后再导入。",
                           None, None, path, None))
    by_kind: dict[Kind, list[Material]] = {}
    for m in materials:
        by_kind.setdefault(m.kind, []).append(m)
    dated = decision_evidence(materials, FieldId.DECISION_DATE)
    decision_date = dt.date.fromisoformat(dated[1].value) if dated else None
    fined = decision_evidence(materials, FieldId.FINE_AMOUNT)
    fine = Decimal(fined[1].value) if fined else None

    out += obligations.required_materials(by_kind, facts, fine, rules)

    for m in materials:
        if m.kind == Kind.OTHER or not _readable(m):
            continue
        rule = rules.materials[m.kind]
        for fid in rule.required_fields:
            if fid in m.fields:
                continue
            if f"blank:{fid}" in m.notes:  # the label is printed with nothing after it
                out.append(_f(Code.FIELD_MISSING, E, f"{rule.name}中“{field_name(fid)}”一栏为空，请补填完整。", m, fid))
            else:
                out.append(_f(Code.FIELD_MISSING, R, f"未能在{rule.name}中识别“{field_name(fid)}”，请看原件确认是否已填写。", m, fid))
        if rule.seal and m.value(FieldId.SEAL) == "absent":
            if m.fields[FieldId.SEAL].confidence <= UNCONFIRMED:
                out.append(_f(Code.SEAL_MISSING, R, f"{rule.name}是黑白复印件，无法确认是否加盖公章，请核对原件。", m, FieldId.SEAL))
            elif m.fields[FieldId.SEAL].confidence < MARK_SURE:
                out.append(_f(Code.SEAL_MISSING, R, f"未能确认{rule.name}是否加盖公章，请看原件。", m, FieldId.SEAL))
            else:
                out.append(_f(Code.SEAL_MISSING, E, f"{rule.name}未加盖单位公章，请加盖与营业执照名称一致的公章。", m, FieldId.SEAL))
        if rule.signature and m.value(FieldId.SIGNATURE) == "absent":
            who = "受托人或法定代表人" if m.kind == Kind.APPLICATION_FORM and facts.applicant == Applicant.AGENT else "法定代表人"
            if m.fields[FieldId.SIGNATURE].confidence < MARK_SURE:
                out.append(_f(Code.SIGNATURE_MISSING, R, f"未能确认{rule.name}是否有{who}签字，请看原件。", m, FieldId.SIGNATURE))
            else:
                out.append(_f(Code.SIGNATURE_MISSING, E, f"{rule.name}缺少{who}签字，请在签字处亲笔签名。", m, FieldId.SIGNATURE))
        if "several_documents" in m.notes:
            out.append(_f(Code.KIND_UNCERTAIN, R, f"“{m.path}”的这一页似乎拍进了多份材料，无法逐份核对，请分开拍摄或扫描，或看原件确认。", m))
        elif "untitled" in m.notes:
            out.append(_f(Code.KIND_UNCERTAIN, R, f"“{m.path}”没有标题，按内容判断为{rule.name}，请看原件确认。", m))
        for note in m.notes:
            if note.startswith("seal_name:"):
                out.append(_f(Code.SEAL_MISSING, E, f"{rule.name}所盖印章的名称（{note[10:]}）与单位名称不一致，请加盖本单位公章。",
                              m, FieldId.SEAL))

    # --- identifiers
    for m in materials:
        u = m.value(FieldId.USCC)
        if u and ids.is_masked(u):
            if rules.materials[m.kind].role == "submission":
                out.append(_f(Code.VALUE_MASKED, R, f"{_name(rules, m.kind)}中的统一社会信用代码被遮挡（{u}），无法校验，请核对原件。",
                              m, FieldId.USCC))
        elif u and not ids.is_valid_uscc(u):
            sure = m.fields[FieldId.USCC].confidence >= STRONG
            out.append(_f(Code.USCC_INVALID, E if sure else R,
                          f"{_name(rules, m.kind)}中的统一社会信用代码 {u} 校验位不正确，请核对营业执照逐位填写。" if sure else
                          f"未能准确识别{_name(rules, m.kind)}中的统一社会信用代码（识别为 {u}，校验不通过），请看原件核对。",
                          m, FieldId.USCC))
        n = m.value(FieldId.ID_NUMBER)
        if n and ids.is_masked(n):
            if rules.materials[m.kind].role == "submission":
                out.append(_f(Code.VALUE_MASKED, R, f"{_name(rules, m.kind)}中的身份证号码被遮挡，无法校验，请核对原件。",
                              m, FieldId.ID_NUMBER))
        elif n:
            why = ids.id_number_problem(n, as_of)
            if why:
                sure = m.fields[FieldId.ID_NUMBER].confidence >= STRONG
                out.append(_f(Code.ID_NUMBER_INVALID, E if sure else R,
                              f"{_name(rules, m.kind)}中的身份证号码 {n} 无效（{why}），请核对身份证。" if sure else
                              f"未能准确识别{_name(rules, m.kind)}中的身份证号码（{why}），请看原件核对。",
                              m, FieldId.ID_NUMBER))

    out += _consistency(materials, rules)
    out += _payment(by_kind, fine, rules)
    out += _authorization(by_kind, facts, rules)

    out += obligations.outdated_templates(materials, rules)
    out += obligations.record_number_findings(materials, facts, rules)
    out += obligations.late_payment(by_kind, decision_date, fine)
    found, eligible_from = obligations.eligibility_findings(decision_date, facts, as_of, rules)
    out += _unsure_period(found, dated, rules)
    return out, eligible_from


def _reference(materials: list[Material], fid: FieldId, ref_kinds: tuple[Kind, ...]) -> Material | None:
    for kind in ref_kinds:
        for m in materials:
            if m.kind == kind and (v := m.value(fid)) and (fid != FieldId.USCC or ids.is_valid_uscc(v)):
                return m
    return None


_MISMATCH = {
    FieldId.ENTERPRISE_NAME: Code.NAME_MISMATCH,
    FieldId.USCC: Code.USCC_MISMATCH,
    FieldId.LEGAL_REPRESENTATIVE: Code.LEGAL_REP_MISMATCH,
    FieldId.DECISION_NUMBER: Code.DECISION_NUMBER_MISMATCH,
}


def _consistency(materials: list[Material], rules: RuleBook) -> list[Finding]:
    out = []
    for fid, ref_kinds in rules.consistency.items():
        ref = _reference(materials, fid, ref_kinds)
        if ref is None:
            continue
        want = ref.value(fid) or ""  # the reference was chosen for having a value
        for m in materials:
            pairs = [(fid, m.value(fid))]
            if fid == FieldId.LEGAL_REPRESENTATIVE and m.kind == Kind.LEGAL_REP_ID:
                pairs = [(FieldId.ID_NAME, m.value(FieldId.ID_NAME))]
            for got_fid, got in pairs:
                if m is ref or not got:
                    continue
                if fid == FieldId.USCC and (not ids.is_valid_uscc(got) or ids.is_masked(got)):
                    continue  # already USCC_INVALID (or masked: review)
                if same(fid, got, want):
                    continue
                sure = (m.fields[got_fid].confidence >= STRONG and f"conflict:{got_fid}" not in m.notes
                        and ref.fields[fid].confidence >= STRONG)
                if sure:
                    out.append(_f(_MISMATCH[fid], E,
                                  f"{_name(rules, m.kind)}中的{field_name(fid)}“{got}”与{_name(rules, ref.kind)}"
                                  f"（“{want}”）不一致，请按{_name(rules, ref.kind)}更正。", m, got_fid))
                else:
                    out.append(_f(_MISMATCH[fid], R,
                                  f"{_name(rules, m.kind)}中的{field_name(fid)}可能与{_name(rules, ref.kind)}（“{want}”）"
                                  f"不一致（识别为“{got}”），请看原件核对。", m, got_fid))
    # the ID number on the certificate must be the representative's own
    cert = next((m for m in materials if m.kind == Kind.LEGAL_REP_CERTIFICATE and m.value(FieldId.ID_NUMBER)), None)
    card = next((m for m in materials if m.kind == Kind.LEGAL_REP_ID and m.value(FieldId.ID_NUMBER)), None)
    if cert and card and cert.value(FieldId.ID_NUMBER) != card.value(FieldId.ID_NUMBER):
        out.append(_f(Code.LEGAL_REP_MISMATCH, E,
                      f"法定代表人身份证明书中的身份证号码（{cert.value(FieldId.ID_NUMBER)}）与法定代表人身份证"
                      f"（{card.value(FieldId.ID_NUMBER)}）不一致。", cert, FieldId.ID_NUMBER))
    return out


def _payment(by_kind: dict[Kind, list[Material]], fine: Decimal | None, rules: RuleBook) -> list[Finding]:
    out: list[Finding] = []
    proofs = by_kind.get(Kind.PAYMENT_PROOF, [])
    if not proofs:
        return out
    ent = None
    for kind in (Kind.BUSINESS_LICENSE, Kind.PENALTY_DECISION, Kind.APPLICATION_FORM):
        ent = next((m.value(FieldId.ENTERPRISE_NAME) for m in by_kind.get(kind, []) if m.value(FieldId.ENTERPRISE_NAME)), None)
        if ent:
            break
    paid = Decimal(0)
    for m in proofs:
        if amount := m.value(FieldId.PAID_AMOUNT):
            paid += Decimal(amount)
        payer = m.value(FieldId.PAYER_NAME)
        if payer and ent and normalize_name(payer) != normalize_name(ent) and (
                m.fields[FieldId.PAYER_NAME].confidence < STRONG or f"conflict:{FieldId.PAYER_NAME}" in m.notes):
            out.append(_f(Code.FINE_NOT_FULLY_PAID, R,
                          f"缴款凭证的缴款人可能不是被处罚单位“{ent}”（识别为“{payer}”），请看原件核对。", m, FieldId.PAYER_NAME))
        elif payer and ent and normalize_name(payer) != normalize_name(ent):
            out.append(_f(Code.FINE_NOT_FULLY_PAID, E,
                          f"缴款凭证的缴款人为“{payer}”，不是被处罚单位“{ent}”。罚款须以本单位名义缴纳，或补充说明代缴关系的证明材料。",
                          m, FieldId.PAYER_NAME))
        for note in m.notes:
            if note.startswith("amount_words:"):
                if m.text_source == TextSource.OCR:  # one of the two may be misread
                    out.append(_f(Code.FINE_NOT_FULLY_PAID, R, f"缴款凭证的大写金额与小写金额识别结果不一致（{note[13:]}），"
                                  "请看原件核对。", m, FieldId.PAID_AMOUNT))
                else:
                    out.append(_f(Code.FINE_NOT_FULLY_PAID, E, f"缴款凭证的大写金额与小写金额不一致（{note[13:]}），请核对凭证。",
                                  m, FieldId.PAID_AMOUNT))
    unread = [m for m in proofs if not m.value(FieldId.PAID_AMOUNT)]
    sure_paid = all(m.fields[FieldId.PAID_AMOUNT].confidence >= STRONG and not any(
        n.startswith("amount_words:") for n in m.notes) for m in proofs if m.value(FieldId.PAID_AMOUNT))
    short = fine is not None and fine > 0 and paid < fine
    if short and unread:
        out.append(_f(Code.FINE_NOT_FULLY_PAID, R,
                      f"已识别的缴款金额合计 {paid:.2f} 元，少于罚款 {fine:.2f} 元；有缴款凭证的金额未能识别，请看原件核对。",
                      unread[0], FieldId.PAID_AMOUNT))
    elif short and not sure_paid:
        out.append(_f(Code.FINE_NOT_FULLY_PAID, R,
                      f"识别的缴款金额合计 {paid:.2f} 元，少于罚款 {fine:.2f} 元，但识别不够确定，请看原件核对。",
                      proofs[0], FieldId.PAID_AMOUNT))
    elif short:
        out.append(_f(Code.FINE_NOT_FULLY_PAID, E,
                      f"缴款凭证合计 {paid:.2f} 元，少于处罚决定的罚款 {fine:.2f} 元，请补缴或补充其余缴款凭证。",
                      proofs[0], FieldId.PAID_AMOUNT))
    return out


def _authorization(by_kind: dict[Kind, list[Material]], facts: CaseFacts, rules: RuleBook) -> list[Finding]:
    if facts.applicant != Applicant.AGENT:
        return []
    out = []
    letters = by_kind.get(Kind.AUTHORIZATION_LETTER, [])
    cards = by_kind.get(Kind.AGENT_ID, [])
    for letter in letters:
        agent = letter.value(FieldId.AGENT_NAME)
        card = cards[0] if cards else None
        if agent and card and (on_card := card.value(FieldId.ID_NAME)) and normalize_name(agent) != normalize_name(on_card):
            out.append(_f(Code.AUTHORIZATION_INVALID, E,
                          f"授权委托书中的受托人“{agent}”与经办人身份证（“{card.value(FieldId.ID_NAME)}”）不是同一人，"
                          "请由实际办理人重新签署授权委托书或更换身份证复印件。", letter, FieldId.AGENT_NAME))
        elif card and letter.value(FieldId.ID_NUMBER) and card.value(FieldId.ID_NUMBER) \
                and letter.value(FieldId.ID_NUMBER) != card.value(FieldId.ID_NUMBER):
            out.append(_f(Code.AUTHORIZATION_INVALID, E,
                          f"授权委托书中的受托人身份证号码（{letter.value(FieldId.ID_NUMBER)}）与经办人身份证"
                          f"（{card.value(FieldId.ID_NUMBER)}）不一致。", letter, FieldId.ID_NUMBER))
        for fid, what in ((FieldId.SEAL, "未加盖单位公章"), (FieldId.SIGNATURE, "缺少法定代表人签字")):
            if letter.value(fid) == "absent":
                out.append(_f(Code.AUTHORIZATION_INVALID, E, f"授权委托书{what}，委托无效。", letter, fid))
    return out


def seal_name_mismatch(ring_text: str, enterprise: str | None) -> str | None:
    """The seal's ring text when it clearly names another unit; None when it matches or is unreadable."""
    ring = "".join(c for c in ring_text if "\u4e00" <= c <= "\u9fff")
    if not enterprise or len(ring) < 6:
        return None
    want = Counter(c for c in normalize_name(enterprise) if "\u4e00" <= c <= "\u9fff")
    have = Counter(ring)
    covered = sum(min(n, have[c]) for c, n in want.items()) / max(sum(want.values()), 1)
    return None if covered >= 0.8 else ring
