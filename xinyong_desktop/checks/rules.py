"""Every check, declared once: a rule is a code, the evidence it needs, and a function over the one `Context`
that states claims.  `checks/policy.py` alone turns a claim's evidence into error / review / warning.

The rules never decide a severity themselves: each says what its claim rests on (`SEEN`, `UNSURE`, `NOT_FOUND`,
`ADVICE`), with the wording for an error and, where it differs, for a review.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal

from xinyong_desktop.checks import obligations
from xinyong_desktop.checks.context import Context
from xinyong_desktop.checks.messages import field_name
from xinyong_desktop.checks.policy import Claim, Evidence, sure
from xinyong_desktop.domain import identifiers as ids
from xinyong_desktop.domain.model import (
    AGREEING,
    CORRECTED,
    MARK_SURE,
    MISREAD_PLACES,
    MISREAD_SHARE,
    STRONG,
    UNCONFIRMED,
    Applicant,
    Code,
    FieldId,
    FieldValue,
    Finding,
    Kind,
    Material,
    Severity,
    TextSource,
)
from xinyong_desktop.domain.text import normalize_name
from xinyong_desktop.extract.facts import plausible, same

SEEN, UNSURE, NOT_FOUND, ADVICE = Evidence.SEEN, Evidence.UNSURE, Evidence.NOT_FOUND, Evidence.ADVICE
COULD_BE = "could_be:"  # note on an unrecognised material: which material it could be (its words, its title)
SCAN_COLOUR = "scan:colour"  # note: the material's file was scanned in colour (some page shows colour)


@dataclass(frozen=True)
class Rule:
    name: str
    codes: tuple[Code, ...]
    needs: str  # the evidence an error needs (documentation, shown in tests and the README)
    run: Callable[[Context], Iterable[Claim]]


def differs(fid: FieldId, a: FieldValue, b: FieldValue) -> Evidence:
    """What a difference between two readings rests on: SEEN when both are read surely, or when both are read
    well enough (≥ AGREEING) and they differ too much to be a misreading of one another — codes in more than
    MISREAD_PLACES places, names sharing less than MISREAD_SHARE of their characters (毛静怡 / 杜国栋)."""
    if a.confidence >= STRONG and b.confidence >= STRONG:
        return SEEN
    if min(a.confidence, b.confidence) < AGREEING:
        return UNSURE
    x, y = normalize_name(a.value).upper(), normalize_name(b.value).upper()
    if fid in (FieldId.USCC, FieldId.ID_NUMBER):
        places = sum(1 for p, q in zip(x, y, strict=False) if p != q) + abs(len(x) - len(y))
        return SEEN if places > MISREAD_PLACES else UNSURE
    have = Counter(y)
    shared = sum(min(n, have[c]) for c, n in Counter(x).items())
    return SEEN if shared < MISREAD_SHARE * max(len(x), len(y), 1) else UNSURE


# ---------------------------------------------------------------- files and materials
def unreadable_files(ctx: Context) -> Iterator[Claim]:
    for path, reason in ctx.unreadable:
        yield Claim(Code.FILE_UNREADABLE, SEEN, f"文件“{path}”无法读取：{reason}。请确认该文件应是哪份材料，重新扫描或导出后再导入。",
                    path=path)


def _id_kind(kind: Kind) -> str:
    return "id_card" if kind in (Kind.LEGAL_REP_ID, Kind.AGENT_ID) else str(kind)


def candidates(ctx: Context, kind: Kind) -> list[Material]:
    """Materials of the packet that could be `kind`: an unrecognised file that could not be read or a page without
    text (an unread scan, `--no-ocr`), or a document not recognised surely (no title, or a picture of several)
    whose words or title resemble that material's."""
    out = []
    for m in ctx.materials:
        if m.kind == Kind.OTHER and (not m.pages or m.text_source == TextSource.NONE):
            out.append(m)
        elif f"{COULD_BE}{_id_kind(kind)}" in m.notes:
            out.append(m)
    return out


def missing_materials(ctx: Context) -> Iterator[Claim]:
    found = obligations.required_materials(ctx.by_kind, ctx.facts, ctx.fine, ctx.rules)
    for f in found:
        kind = f.kind
        cands = candidates(ctx, kind) if kind else []
        rule = ctx.rules.materials.get(kind) if kind else None
        if not cands and rule is not None and rule.when == "fine_imposed" and ctx.fine is None:
            # required only when a fine was imposed, and the fine was not read: not evidence of a missing receipt
            yield Claim(Code.MATERIAL_MISSING, NOT_FOUND, f.message,
                        f"未能识别处罚决定的罚款金额，无法确定是否须提供{rule.name}：处罚含罚款的，{rule.advice}请看原件确认。",
                        kind=kind)
            continue
        if not cands:
            yield Claim(Code.MATERIAL_MISSING, SEEN, f.message, kind=kind)
            continue
        files = "、".join(f"“{m.path}”" for m in cands[:3])
        name = ctx.name(kind) if kind in ctx.rules.materials else str(kind)
        yield Claim(Code.MATERIAL_MISSING, NOT_FOUND, f.message,
                    f"未能确认{name}是否已提供：{files}未能识别，可能就是该材料，请看原件确认。", kind=kind,
                    path=cands[0].path or None, page=cands[0].pages[0] if cands[0].pages else None)


_SHARED = (FieldId.DECISION_NUMBER, FieldId.ENTERPRISE_NAME, FieldId.USCC, FieldId.PENALTY_AUTHORITY,
           FieldId.DECISION_DATE, FieldId.FINE_AMOUNT)


def same_document(ctx: Context, m: Material) -> list[Material]:
    """The other pages of m's document handed in as separate files (a decision photographed page by page): the
    materials of m's kind that agree with it on at least one fact they both state and differ on none."""
    out = []
    for o in ctx.by_kind.get(m.kind, []):
        if o is m:
            continue
        both = [f for f in _SHARED if m.value(f) and o.value(f)]
        if both and all(same(f, m.value(f) or "", o.value(f) or "") for f in both):
            out.append(o)
    return out


def kind_uncertain(ctx: Context) -> Iterator[Claim]:
    for m in ctx.readable():
        rule = ctx.rules.materials[m.kind]
        if "several_documents" in m.notes:
            yield Claim(Code.KIND_UNCERTAIN, NOT_FOUND,
                        f"“{m.path}”的这一页似乎拍进了多份材料，无法逐份核对，请分开拍摄或扫描，或看原件确认。", material=m)
        elif "untitled" in m.notes and not any("untitled" not in o.notes for o in same_document(ctx, m)):
            # a page without a title that continues a titled page of the same document (page 2 of a decision
            # photographed apart) is that document
            yield Claim(Code.KIND_UNCERTAIN, NOT_FOUND, f"“{m.path}”没有标题，按内容判断为{rule.name}，请看原件确认。", material=m)


# ---------------------------------------------------------------- what each material must carry
def required_fields(ctx: Context) -> Iterator[Claim]:
    for m in ctx.readable():
        rule = ctx.rules.materials[m.kind]
        siblings = same_document(ctx, m)
        for fid in rule.required_fields:
            if fid in m.fields:
                continue
            seen = f"blank:{fid}" in m.notes  # the label is printed with nothing after it
            if not seen and any(fid in o.fields for o in siblings):
                continue  # stated on another page of the same document, handed in as another file
            yield Claim(Code.FIELD_MISSING, SEEN if seen else NOT_FOUND,
                        f"{rule.name}中“{field_name(fid)}”一栏为空，请补填完整。",
                        f"未能在{rule.name}中识别“{field_name(fid)}”，请看原件确认是否已填写。", material=m, field=fid)


def packet_in_colour(ctx: Context, m: Material) -> bool:
    """Whether m's file, or else the packet, was scanned in colour: a page of black print without a seal has
    no coloured pixel, yet it is a colour scan when its file (or every other scan of the packet) shows colour."""
    if SCAN_COLOUR in m.notes:
        return True
    scans = [o for o in ctx.materials if o.path != m.path and o.text_source == TextSource.OCR]
    files = {o.path: SCAN_COLOUR in o.notes for o in scans}
    return len(files) >= 2 and all(files.values())


def mark_evidence(ctx: Context, m: Material, fid: FieldId) -> Evidence:
    """What an "absent" seal or signature rests on: the place seen empty on a colour page or a text layer
    (SEEN), a black-and-white copy (UNSURE), or no place to look found (NOT_FOUND)."""
    conf = m.fields[fid].confidence
    if conf >= MARK_SURE:
        return SEEN
    if fid == FieldId.SEAL and conf <= UNCONFIRMED:
        return SEEN if packet_in_colour(ctx, m) else UNSURE
    return NOT_FOUND


def seals(ctx: Context) -> Iterator[Claim]:
    for m in ctx.readable():
        rule = ctx.rules.materials[m.kind]
        if rule.seal and m.value(FieldId.SEAL) == "absent":
            ev = mark_evidence(ctx, m, FieldId.SEAL)
            doubt = (f"{rule.name}是黑白复印件，无法确认是否加盖公章，请核对原件。" if ev == UNSURE
                     else f"未能确认{rule.name}是否加盖公章，请看原件。")
            yield Claim(Code.SEAL_MISSING, ev, f"{rule.name}未加盖单位公章，请加盖与营业执照名称一致的公章。", doubt,
                        material=m, field=FieldId.SEAL)
        for note in m.notes:
            if note.startswith("seal_name:"):  # the seal's ring text, read, names another unit
                yield Claim(Code.SEAL_MISSING, SEEN, f"{rule.name}所盖印章的名称（{note[10:]}）与单位名称不一致，请加盖本单位公章。",
                            material=m, field=FieldId.SEAL)


def signatures(ctx: Context) -> Iterator[Claim]:
    for m in ctx.readable():
        rule = ctx.rules.materials[m.kind]
        if not (rule.signature and m.value(FieldId.SIGNATURE) == "absent"):
            continue
        who = "受托人或法定代表人" if m.kind == Kind.APPLICATION_FORM and ctx.facts.applicant == Applicant.AGENT else "法定代表人"
        yield Claim(Code.SIGNATURE_MISSING, mark_evidence(ctx, m, FieldId.SIGNATURE),
                    f"{rule.name}缺少{who}签字，请在签字处亲笔签名。", f"未能确认{rule.name}是否有{who}签字，请看原件。",
                    material=m, field=FieldId.SIGNATURE)


# ---------------------------------------------------------------- identifiers
def identifiers(ctx: Context) -> Iterator[Claim]:
    for m in ctx.materials:
        if m.kind == Kind.OTHER:
            continue
        name = ctx.name(m.kind)
        submission = ctx.rules.materials[m.kind].role == "submission"
        u = m.value(FieldId.USCC)
        if u and ids.is_masked(u):
            if submission:
                yield Claim(Code.VALUE_MASKED, NOT_FOUND, f"{name}中的统一社会信用代码被遮挡（{u}），无法校验，请核对原件。",
                            material=m, field=FieldId.USCC)
        elif u and not ids.is_valid_uscc(u):
            yield Claim(Code.USCC_INVALID, sure(m.fields[FieldId.USCC].confidence, threshold=STRONG),
                        f"{name}中的统一社会信用代码 {u} 校验位不正确，请核对营业执照逐位填写。",
                        f"未能准确识别{name}中的统一社会信用代码（识别为 {u}，校验不通过），请看原件核对。",
                        material=m, field=FieldId.USCC)
        n = m.value(FieldId.ID_NUMBER)
        if n and ids.is_masked(n):
            if submission:
                yield Claim(Code.VALUE_MASKED, NOT_FOUND, f"{name}中的身份证号码被遮挡，无法校验，请核对原件。",
                            material=m, field=FieldId.ID_NUMBER)
        elif n and (why := ids.id_number_problem(n, ctx.as_of)):
            yield Claim(Code.ID_NUMBER_INVALID, sure(m.fields[FieldId.ID_NUMBER].confidence, threshold=STRONG),
                        f"{name}中的身份证号码 {n} 无效（{why}），请核对身份证。",
                        f"未能准确识别{name}中的身份证号码（{why}），请看原件核对。", material=m, field=FieldId.ID_NUMBER)


# ---------------------------------------------------------------- the same facts everywhere
_MISMATCH = {
    FieldId.ENTERPRISE_NAME: Code.NAME_MISMATCH,
    FieldId.USCC: Code.USCC_MISMATCH,
    FieldId.LEGAL_REPRESENTATIVE: Code.LEGAL_REP_MISMATCH,
    FieldId.DECISION_NUMBER: Code.DECISION_NUMBER_MISMATCH,
}


def _shaped(m: Material, fid: FieldId) -> bool:
    """The value looks like a value of its field, or a person put it there (the instructor's correction)."""
    fv = m.fields[fid]
    return fv.raw == CORRECTED or plausible(fid, fv.value)


def _reference(ctx: Context, fid: FieldId, ref_kinds: tuple[Kind, ...]) -> tuple[Material, bool] | None:
    """The reference reading of a fact and whether it is undisputed.  Among the readings of the first reference
    kind that has one, the one the other materials agree with most (then the surest); it is disputed when another
    reading of that kind (another page of the decision) says otherwise surely, or when it does not look like a value
    of its field."""
    for kind in ref_kinds:
        cands = [m for m in ctx.by_kind.get(kind, []) if (v := m.value(fid))
                 and (fid != FieldId.USCC or ids.is_valid_uscc(v))]
        if not cands:
            continue

        def support(m: Material) -> tuple[int, float]:
            v = m.value(fid) or ""
            return (sum(1 for o in ctx.materials if o is not m and (w := o.value(fid)) and same(fid, w, v)),
                    m.fields[fid].confidence)

        ref = max(cands, key=support)
        want = ref.value(fid) or ""
        disputed = not _shaped(ref, fid) or any(
            (w := o.value(fid)) and not same(fid, w, want) and o.fields[fid].confidence >= STRONG and _shaped(o, fid)
            for o in cands if o is not ref)
        return ref, not disputed
    return None


def consistency(ctx: Context) -> Iterator[Claim]:
    """A fact read differently on a material than on its reference: an error only when both are read surely
    in their role and the page does not also show the fact (`conflict:` note)."""
    for fid, ref_kinds in ctx.rules.consistency.items():
        found = _reference(ctx, fid, ref_kinds)
        if found is None:
            continue
        ref, undisputed = found
        want = ref.value(fid) or ""
        rname = ctx.name(ref.kind)
        for m in ctx.materials:
            if m is ref or m.kind == Kind.OTHER:
                continue
            got_fid = FieldId.ID_NAME if fid == FieldId.LEGAL_REPRESENTATIVE and m.kind == Kind.LEGAL_REP_ID else fid
            got = m.value(got_fid)
            if not got:
                continue
            if fid == FieldId.USCC and (not ids.is_valid_uscc(got) or ids.is_masked(got)):
                continue  # already USCC_INVALID (or masked: review)
            if same(fid, got, want):
                continue
            ev = differs(fid, m.fields[got_fid], ref.fields[fid])
            if f"conflict:{got_fid}" in m.notes or not undisputed or not _shaped(m, got_fid):
                ev = UNSURE
            name = ctx.name(m.kind)
            yield Claim(_MISMATCH[fid], ev,
                        f"{name}中的{field_name(fid)}“{got}”与{rname}（“{want}”）不一致，请按{rname}更正。",
                        f"{name}中的{field_name(fid)}可能与{rname}（“{want}”）不一致（识别为“{got}”），请看原件核对。",
                        material=m, field=got_fid)


def certificate_id(ctx: Context) -> Iterator[Claim]:
    """The ID number on the 法定代表人身份证明书 must be the representative's own."""
    cert = next((m for m in ctx.by_kind.get(Kind.LEGAL_REP_CERTIFICATE, []) if m.value(FieldId.ID_NUMBER)), None)
    card = next((m for m in ctx.by_kind.get(Kind.LEGAL_REP_ID, []) if m.value(FieldId.ID_NUMBER)), None)
    if not (cert and card) or cert.value(FieldId.ID_NUMBER) == card.value(FieldId.ID_NUMBER):
        return
    a, b = cert.value(FieldId.ID_NUMBER), card.value(FieldId.ID_NUMBER)
    if any(ids.is_masked(v or "") for v in (a, b)):
        return
    yield Claim(Code.LEGAL_REP_MISMATCH,
                differs(FieldId.ID_NUMBER, cert.fields[FieldId.ID_NUMBER], card.fields[FieldId.ID_NUMBER]),
                f"法定代表人身份证明书中的身份证号码（{a}）与法定代表人身份证（{b}）不一致。",
                f"法定代表人身份证明书中的身份证号码可能与法定代表人身份证不一致（识别为 {a} / {b}），请看原件核对。",
                material=cert, field=FieldId.ID_NUMBER)


def record_numbers(ctx: Context) -> Iterator[Claim]:
    for f in obligations.record_number_findings(ctx.materials, ctx.facts, ctx.rules):
        m = next((x for x in ctx.materials if x.path == f.path and x.kind == f.kind and f.field in x.fields), None)
        ev = sure(m.fields[FieldId.DECISION_NUMBER].confidence, threshold=STRONG) if m else UNSURE
        yield Claim(f.code, ev, f.message, f"{f.message}（识别不够确定，请看原件核对。）", kind=f.kind, field=f.field,
                    path=f.path, page=f.page)


# ---------------------------------------------------------------- the fine paid in full, by the enterprise
def payment(ctx: Context) -> Iterator[Claim]:
    proofs = ctx.by_kind.get(Kind.PAYMENT_PROOF, [])
    if not proofs:
        return
    ent, fine = ctx.enterprise(), ctx.fine
    paid = Decimal(0)
    for m in proofs:
        if amount := m.value(FieldId.PAID_AMOUNT):
            paid += Decimal(amount)
        payer = m.value(FieldId.PAYER_NAME)
        if payer and ent and normalize_name(payer) != normalize_name(ent):
            fv = m.fields[FieldId.PAYER_NAME]
            ev = sure(fv.confidence, threshold=STRONG)
            if f"conflict:{FieldId.PAYER_NAME}" in m.notes or not _shaped(m, FieldId.PAYER_NAME) \
                    or not plausible(FieldId.ENTERPRISE_NAME, ent):
                ev = UNSURE
            yield Claim(Code.FINE_NOT_FULLY_PAID, ev,
                        f"缴款凭证的缴款人为“{payer}”，不是被处罚单位“{ent}”。罚款须以本单位名义缴纳，或补充说明代缴关系的证明材料。",
                        f"缴款凭证的缴款人可能不是被处罚单位“{ent}”（识别为“{payer}”），请看原件核对。", material=m,
                        field=FieldId.PAYER_NAME)
        for note in m.notes:
            if note.startswith("amount_words:"):  # on a scan one of the two may be misread
                yield Claim(Code.FINE_NOT_FULLY_PAID, UNSURE if m.text_source == TextSource.OCR else SEEN,
                            f"缴款凭证的大写金额与小写金额不一致（{note[13:]}），请核对凭证。",
                            f"缴款凭证的大写金额与小写金额识别结果不一致（{note[13:]}），请看原件核对。",
                            material=m, field=FieldId.PAID_AMOUNT)
    if fine is None or fine <= 0 or paid >= fine:
        return
    unread = [m for m in proofs if not m.value(FieldId.PAID_AMOUNT)]
    if unread:
        yield Claim(Code.FINE_NOT_FULLY_PAID, NOT_FOUND,
                    f"已识别的缴款金额合计 {paid:.2f} 元，少于罚款 {fine:.2f} 元；有缴款凭证的金额未能识别，请看原件核对。",
                    material=unread[0], field=FieldId.PAID_AMOUNT)
        return
    others = candidates(ctx, Kind.PAYMENT_PROOF)
    unsure = [m for m in others if m.pages]  # a material without pages is a file that could not be opened
    if unsure:  # the rest may be paid on a receipt the engine did not recognise
        files = "、".join(f"“{m.path}”" for m in unsure[:3])
        yield Claim(Code.FINE_NOT_FULLY_PAID, NOT_FOUND,
                    f"已识别的缴款凭证合计 {paid:.2f} 元，少于罚款 {fine:.2f} 元；{files}未能识别，可能是其余的缴款凭证，请看原件核对。",
                    material=proofs[0], field=FieldId.PAID_AMOUNT)
        return
    # a file that cannot be opened is the enterprise's to replace (FILE_UNREADABLE): the receipts it did hand in
    # are what a person sees, and they fall short whatever that file is
    hint = ("；如" + "、".join(f"“{m.path}”" for m in others[:3]) + "是其余的缴款凭证，请提供可以打开的文件") if others else ""
    read = [m.fields[FieldId.PAID_AMOUNT].confidence for m in proofs]
    ev = sure(*read, ctx.fined[1].confidence if ctx.fined else 0.0, threshold=STRONG)
    if any(n.startswith("amount_words:") for m in proofs for n in m.notes):
        return  # the figures and the words of a receipt disagree: already stated, one doubt is enough
    yield Claim(Code.FINE_NOT_FULLY_PAID, ev,
                f"缴款凭证合计 {paid:.2f} 元，少于处罚决定的罚款 {fine:.2f} 元，请补缴或补充其余缴款凭证{hint}。",
                f"识别的缴款金额合计 {paid:.2f} 元，少于罚款 {fine:.2f} 元，但识别不够确定，请看原件核对。",
                material=proofs[0], field=FieldId.PAID_AMOUNT)


def late_payment(ctx: Context) -> Iterator[Claim]:
    for f in obligations.late_payment(ctx.by_kind, ctx.decision_date, ctx.fine):
        yield _as_claim(f, ADVICE)


# ---------------------------------------------------------------- an agent's authority
def authorization(ctx: Context) -> Iterator[Claim]:
    if ctx.facts.applicant != Applicant.AGENT:
        return
    cards = ctx.by_kind.get(Kind.AGENT_ID, [])
    card = cards[0] if cards else None
    for letter in ctx.by_kind.get(Kind.AUTHORIZATION_LETTER, []):
        agent = letter.value(FieldId.AGENT_NAME)
        on_card = card.value(FieldId.ID_NAME) if card else None
        a_no = letter.value(FieldId.ID_NUMBER)
        c_no = card.value(FieldId.ID_NUMBER) if card else None
        # the agent named, and the agent's ID number, each against the card: the surer difference is stated
        claims = []
        if card and agent and on_card and normalize_name(agent) != normalize_name(on_card):
            ev = differs(FieldId.AGENT_NAME, letter.fields[FieldId.AGENT_NAME], card.fields[FieldId.ID_NAME])
            claims.append(Claim(Code.AUTHORIZATION_INVALID, ev if _shaped(letter, FieldId.AGENT_NAME) else UNSURE,
                                f"授权委托书中的受托人“{agent}”与经办人身份证（“{on_card}”）不是同一人，"
                                "请由实际办理人重新签署授权委托书或更换身份证复印件。",
                                f"授权委托书中的受托人可能与经办人身份证不是同一人（识别为“{agent}”/“{on_card}”），请看原件核对。",
                                material=letter, field=FieldId.AGENT_NAME))
        if card and a_no and c_no and a_no != c_no and not ids.is_masked(a_no) and not ids.is_masked(c_no):
            claims.append(Claim(Code.AUTHORIZATION_INVALID,
                                differs(FieldId.ID_NUMBER, letter.fields[FieldId.ID_NUMBER], card.fields[FieldId.ID_NUMBER]),
                                f"授权委托书中的受托人身份证号码（{a_no}）与经办人身份证（{c_no}）不一致。",
                                f"授权委托书中的受托人身份证号码可能与经办人身份证不一致（识别为 {a_no} / {c_no}），请看原件核对。",
                                material=letter, field=FieldId.ID_NUMBER))
        if claims:
            yield next((c for c in claims if c.evidence == SEEN), claims[0])
        for fid, what, doubt in ((FieldId.SEAL, "未加盖单位公章", "是否加盖单位公章"),
                                 (FieldId.SIGNATURE, "缺少法定代表人签字", "是否有法定代表人签字")):
            if letter.value(fid) == "absent":
                yield Claim(Code.AUTHORIZATION_INVALID, mark_evidence(ctx, letter, fid), f"授权委托书{what}，委托无效。",
                            f"未能确认授权委托书{doubt}，请看原件。", material=letter, field=fid)


# ---------------------------------------------------------------- templates and periods
def outdated(ctx: Context) -> Iterator[Claim]:
    for f in obligations.outdated_templates(ctx.materials, ctx.rules):
        yield _as_claim(f, ADVICE)


def period(ctx: Context) -> Iterator[Claim]:
    """The minimum publicity period counted from the decision date: a verdict from a date read surely (or
    confirmed by a second reading) is evidence; from an unsure date, both "not yet" and "eligible" are the
    instructor's to confirm."""
    found, ctx.eligible_from = obligations.eligibility_findings(ctx.decision_date, ctx.facts, ctx.as_of, ctx.rules,
                                                                fine=ctx.fine, materials=ctx.materials)
    confirmed = ctx.dated is None or ctx.dated[1].confidence >= STRONG
    for f in found:
        if f.severity == Severity.WARNING:
            yield _as_claim(f, ADVICE)
        elif f.severity == Severity.REVIEW:  # the dates rest on a fact not confirmed (severity, sector, platform)
            yield _as_claim(f, UNSURE)
        elif confirmed or f.code != Code.NOT_YET_ELIGIBLE:
            yield _as_claim(f, SEEN)
        else:
            yield _unsure_date_claim(ctx, f.message)
    if not confirmed and not found:
        yield _unsure_date_claim(ctx, "按识别的日期已满最短公示期；")


def _unsure_date_claim(ctx: Context, said: str) -> Claim:
    assert ctx.dated is not None
    m, fv = ctx.dated
    unsure = (f"处罚决定日期识别为 {fv.value}（{ctx.name(m.kind)}），但未能确认，"
              "请核对原件上的日期：最短公示期按此日期计算。")
    return Claim(Code.NOT_YET_ELIGIBLE, UNSURE, f"{said}{unsure}", material=m, field=FieldId.DECISION_DATE,
                 page=fv.page)


def _as_claim(f: Finding, evidence: Evidence) -> Claim:
    return Claim(f.code, evidence, f.message, kind=f.kind, field=f.field, path=f.path, page=f.page)


# ---------------------------------------------------------------- the declared list
RULES: tuple[Rule, ...] = (
    Rule("unreadable_files", (Code.FILE_UNREADABLE,), "a file that cannot be opened", unreadable_files),
    Rule("missing_materials", (Code.MATERIAL_MISSING,),
         "no material of the kind, and no unrecognised or unread document that could be it", missing_materials),
    Rule("required_fields", (Code.FIELD_MISSING,), "the field's label seen with a blank after it", required_fields),
    Rule("seals", (Code.SEAL_MISSING,),
         "the seal's place seen empty on a page in colour (or a text layer), or a seal naming another unit", seals),
    Rule("signatures", (Code.SIGNATURE_MISSING,), "the signing zone seen empty: no ink, no handwriting read", signatures),
    Rule("kind_uncertain", (Code.KIND_UNCERTAIN,), "never an error: the instructor confirms the kind", kind_uncertain),
    Rule("identifiers", (Code.USCC_INVALID, Code.ID_NUMBER_INVALID, Code.VALUE_MASKED),
         "a code failing its check, read surely", identifiers),
    Rule("consistency", tuple(_MISMATCH.values()),
         "a different value read surely in its role on both materials", consistency),
    Rule("certificate_id", (Code.LEGAL_REP_MISMATCH,), "two ID numbers read surely that differ", certificate_id),
    Rule("payment", (Code.FINE_NOT_FULLY_PAID,),
         "a payer read surely who is not the enterprise, or amounts read surely that fall short", payment),
    Rule("authorization", (Code.AUTHORIZATION_INVALID,),
         "another agent read surely, or the letter's seal / signing zone seen empty", authorization),
    Rule("outdated", (Code.OUTDATED_TEMPLATE,), "advice only", outdated),
    Rule("record_numbers", (Code.DECISION_NUMBER_MISMATCH,), "another decision number read surely", record_numbers),
    Rule("late_payment", (Code.LATE_PAYMENT,), "advice only", late_payment),
    Rule("period", (Code.NOT_YET_ELIGIBLE, Code.NOT_REPAIRABLE, Code.NO_REPAIR_NEEDED),
         "the decision date read surely or confirmed by a second reading", period),
)
