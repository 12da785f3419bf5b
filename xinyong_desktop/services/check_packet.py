"""Check one enterprise's packet: discover → parse (sandboxed) → classify → extract → cross-check."""
from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

from xinyong_desktop.checks.candidates import could_be
from xinyong_desktop.checks.engine import CaseFacts, run_checks, seal_name_mismatch
from xinyong_desktop.checks.rules import COULD_BE, SCAN_COLOUR
from xinyong_desktop.domain.model import (
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
from xinyong_desktop.domain.text import normalize_name, parse_amount
from xinyong_desktop.errors import InputError, os_reason
from xinyong_desktop.extract.classify import PageKind, classify_page, group_pages
from xinyong_desktop.extract.facts import corroborate, establish, fact_sources, reconcile, settle_id_numbers
from xinyong_desktop.extract.fields import blank_fields, read_fields
from xinyong_desktop.extract.layout import Glyph, PageText, build_lines
from xinyong_desktop.extract.marks import find_seal, find_signature
from xinyong_desktop.intake.filetypes import rel_name, survey
from xinyong_desktop.intake.ink import InkMap
from xinyong_desktop.intake.sandbox import ParserPool
from xinyong_desktop.rules.loader import RuleBook, default_rules
from xinyong_desktop.safeio import UnsafeFileError, read_small_regular_file
from xinyong_desktop.services.progress import Progress

CASE_FILE_CAP = 64 * 1024  # a case.json is a few lines


class CaseFileError(InputError):
    """case.json exists but cannot be used; the message is Chinese."""


@dataclass
class CheckResult:
    as_of: dt.date
    facts: CaseFacts
    materials: list[Material]
    findings: list[Finding]
    eligible_from: dt.date | None
    pages: dict[str, list[PageText]] = field(default_factory=dict, repr=False)
    # what the check reported about the files themselves (unreadable, skipped, not OCR'd): part of `findings`,
    # kept exactly as reported when the verdict is computed again from the stored reading
    intake: list[Finding] = field(default_factory=list, repr=False)
    applicant_known: bool = True  # False: the packet shows neither a 授权委托书 nor a 法定代表人身份证明书

    @property
    def ready(self) -> bool:
        return not any(Severity(f.severity).blocks for f in self.findings)

    def to_json(self) -> dict:
        return {
            "schema": 2,
            "ready": self.ready,
            "as_of": self.as_of.isoformat(),
            "record_severity": None if "record_severity" in self.facts.assumed else str(self.facts.record_severity),
            "eligible_from": self.eligible_from.isoformat() if self.eligible_from else None,
            **({"assumed": assumed_json(self.facts)} if self.facts.assumed else {}),
            "materials": [m.to_json() for m in self.materials],
            "findings": [f.to_json() for f in self.findings],
        }


NO_CASE_FILE = ("record_severity", "platform", "applicant")


def assumed_json(facts: CaseFacts) -> dict:
    """What the check did not know and how it went on (a folder without case.json): never a guessed severity."""
    why = {"record_severity": {"value": None, "how": "未知：按一般、严重分别计算公示期，结果不同的列为待核对"},
           "platform": {"value": None, "how": "按处罚机关建议（市场监管、药监部门2026年4月1日前的处罚：国家企业信用信息"
                                               "公示系统，待核对），否则按“信用中国”"},
           "applicant": {"value": str(facts.applicant), "how": "有授权委托书的按委托经办人办理，否则按法定代表人办理"}}
    return {k: why[k] for k in facts.assumed if k in why}


def read_case_file(packet_dir: Path) -> CaseFacts:
    """The instructor's facts about the case (check-contract.md).  Without case.json nothing is assumed silently:
    the facts it would give are listed in ``assumed`` and what depends on them is review."""
    p = packet_dir / "case.json"
    try:  # never through a link, never a FIFO or device, never more than CASE_FILE_CAP bytes
        raw = read_small_regular_file(p, CASE_FILE_CAP)
    except FileNotFoundError:
        return CaseFacts(RecordSeverity.GENERAL, Applicant.LEGAL_REPRESENTATIVE, assumed=NO_CASE_FILE)
    except UnsafeFileError as e:
        raise CaseFileError(f"case.json 无法使用：{e}") from None
    except OSError as e:
        raise CaseFileError(f"case.json 无法读取（{os_reason(e)}）") from None
    try:
        data = json.loads(raw.decode("utf-8-sig"))
    except json.JSONDecodeError as e:
        raise CaseFileError(f"case.json 不是有效的 JSON（第 {e.lineno} 行第 {e.colno} 列附近有误）") from None
    except UnicodeDecodeError:
        raise CaseFileError("case.json 不是 UTF-8 编码的文本，请用记事本另存为 UTF-8") from None
    if not isinstance(data, dict):
        raise CaseFileError("case.json 应为一个对象")
    return case_facts_from(data)


def case_facts_from(data: dict, rules: RuleBook | None = None) -> CaseFacts:
    """CaseFacts from case.json's keys; a known key with a bad value raises CaseFileError (Chinese).  Without
    ``extra_required`` the class's default additions apply (``[]`` = none besides the platform's list)."""
    if data.get("record_severity") in (None, ""):
        raise CaseFileError("case.json 中缺少 record_severity（失信程度）：请按“信用中国”网站显示的失信程度填写 "
                            "minor（轻微）、general（一般）或 serious（严重），不能默认")
    try:
        sev = RecordSeverity(data["record_severity"])
    except (ValueError, TypeError):
        raise CaseFileError(f"case.json 中 record_severity 取值无效：{data.get('record_severity')!r}（可选 minor/general/serious）") from None
    try:
        app = Applicant(data.get("applicant") or "legal_representative")
    except (ValueError, TypeError):
        raise CaseFileError(f"case.json 中 applicant 取值无效：{data.get('applicant')!r}（可选 legal_representative/agent）") from None
    platform = data.get("platform") or "creditchina"
    if platform not in ("creditchina", "necips"):
        raise CaseFileError(f"case.json 中 platform 取值无效：{platform!r}（可选 creditchina “信用中国” / necips 国家企业信用信息公示系统）")
    if "extra_required" not in data:  # nobody said: the class's default additions (materials.toml class_default)
        extra = [str(k) for k in (rules or default_rules()).class_default_extra(sev)]
    else:
        extra = data.get("extra_required") or []
    if not isinstance(extra, list):
        raise CaseFileError("case.json 中 extra_required 应为材料类型列表，例如 [\"application_form\"]")
    kinds = []
    for k in extra:
        try:
            kind = Kind(k)
        except (ValueError, TypeError):
            kind = None
        if kind is None or kind == Kind.OTHER:
            choices = "、".join(x.value for x in Kind if x != Kind.OTHER)
            raise CaseFileError(f"case.json 中 extra_required 含有未知的材料类型 {k!r}（可选：{choices}）")
        kinds.append(kind)
    published = data.get("published_on")
    if published not in (None, ""):
        try:
            published = dt.date.fromisoformat(str(published))
        except ValueError:
            raise CaseFileError(f"case.json 中 published_on（公示日期）应为 YYYY-MM-DD：{published!r}") from None
    else:
        published = None
    art14 = data.get("art14") or []
    if not isinstance(art14, list) or any(a not in (True, False, None) for a in art14):
        raise CaseFileError("case.json 中 art14 应为 true/false/null 的列表（国家企业信用信息公示系统信用修复条件，"
                            "按《市场监督管理信用修复管理办法》第十四条的顺序）")
    text, province = data.get("penalty_text") or "", data.get("province") or ""
    if not isinstance(text, str) or not isinstance(province, str):
        raise CaseFileError("case.json 中 penalty_text（处罚内容）和 province（省份）应为文字")
    return CaseFacts(sev, app, platform, tuple(dict.fromkeys(kinds)), published, assumed=(), penalty_text=text,
                     art14=tuple(art14), natural_person=data.get("natural_person") is True, province=province)


def _page_texts(parsed: dict) -> list[tuple[PageText, InkMap, str]]:
    out = []
    for pg in parsed["pages"]:
        glyphs = [Glyph(*g) for g in pg["glyphs"]]
        pt = PageText(pg["width"], pg["height"], build_lines(glyphs), pg["source"], pg.get("to_page"))
        out.append((pt, InkMap.unpack(pg["ink"]), pg["ring"]))
    return out


def _assign_id_roles(materials: list[Material], facts: CaseFacts) -> None:
    """An ID card copy is the representative's or the agent's: decided by whose name it bears."""
    rep = next((m.value(FieldId.LEGAL_REPRESENTATIVE) for k in (Kind.BUSINESS_LICENSE, Kind.PENALTY_DECISION,
                Kind.LEGAL_REP_CERTIFICATE, Kind.APPLICATION_FORM) for m in materials
                if m.kind == k and m.value(FieldId.LEGAL_REPRESENTATIVE)), None)
    agent = next((m.value(FieldId.AGENT_NAME) for m in materials
                  if m.kind == Kind.AUTHORIZATION_LETTER and m.value(FieldId.AGENT_NAME)), None)
    cards = [m for m in materials if m.kind == Kind.LEGAL_REP_ID]  # provisional kind for every card
    undecided = []
    for m in cards:
        name = m.value(FieldId.ID_NAME)
        if name and rep and normalize_name(name) == normalize_name(rep):
            m.kind = Kind.LEGAL_REP_ID
        elif name and agent and normalize_name(name) == normalize_name(agent):
            m.kind = Kind.AGENT_ID
        else:
            undecided.append(m)
    has_rep = any(m.kind == Kind.LEGAL_REP_ID for m in cards if m not in undecided)
    for m in undecided:
        if facts.applicant == Applicant.AGENT and (has_rep or rep):
            m.kind = Kind.AGENT_ID
        elif not has_rep:
            m.kind = Kind.LEGAL_REP_ID
            has_rep = True
        else:
            m.kind = Kind.AGENT_ID


def _amount_words_note(m: Material, pages: list[PageText]) -> None:
    """A receipt shows the amount in figures and in words; when both are read and differ, note it."""
    from xinyong_desktop.extract.fields import _read_by_label

    words = _read_by_label(list(enumerate(pages, 1)), ("金额（大写）", "大写金额", "（大写）", "大写"), "amount")
    paid = m.value(FieldId.PAID_AMOUNT)
    if words and paid and parse_amount(words.raw) is not None and words.value != paid:
        m.notes.append(f"amount_words:大写 {words.value}，小写 {paid}")


def build_materials(rel: str, pages: list[tuple[PageText, InkMap, str]], rules: RuleBook) -> list[Material]:
    kinds: list[PageKind] = [classify_page(pt, rules) for pt, _, _ in pages]
    # a colour scan is a colour scan on every page, also on one without any coloured pixel (no seal on it)
    in_colour = any(pt.source == "ocr" and not ink.colourless for pt, ink, _ in pages)
    out = []
    for kind_name, idx in group_pages(kinds):
        texts = [(i + 1, pages[i][0]) for i in idx]
        sources = {pages[i][0].source for i in idx}
        source = TextSource.OCR if "ocr" in sources else TextSource.TEXT if "text" in sources else TextSource.NONE
        kind = Kind.LEGAL_REP_ID if kind_name == "id_card" else Kind(kind_name)
        m = Material(rel, kind, [i + 1 for i in idx], source, classify_score=max(kinds[i].score for i in idx))
        if kind_name != "other":
            kr = rules.kinds[kind_name]
            m.fields = read_fields(texts, kr, rules)
            m.notes.extend(f"blank:{fid}" for fid in sorted(blank_fields(texts, kr, rules, m.fields)))
            marked = [(i + 1, pages[i][0], pages[i][1]) for i in idx]
            if FieldId.SEAL in kr.fields and source != TextSource.NONE:
                seal = find_seal(marked, rules.seal_labels, in_colour=in_colour)
                m.fields[FieldId.SEAL] = FieldValue("present" if seal.present else "absent", seal.page, seal.bbox, seal.confidence)
                ring = "".join(pages[i][2] for i in idx)
                bad = seal_name_mismatch(ring, m.value(FieldId.ENTERPRISE_NAME)) if seal.present else None
                if bad:
                    m.notes.append(f"seal_name:{bad}")
            if FieldId.SIGNATURE in kr.fields and source != TextSource.NONE:
                sig = find_signature(marked, rules.signature_labels)
                m.fields[FieldId.SIGNATURE] = FieldValue("present" if sig.present else "absent", sig.page, sig.bbox, sig.confidence)
            if kind == Kind.PAYMENT_PROOF:
                _amount_words_note(m, [t for _, t in texts])
        for fid, fv in list(m.fields.items()):
            if fv.bbox and 1 <= fv.page <= len(pages):
                m.fields[fid] = replace(fv, bbox=pages[fv.page - 1][0].page_box(fv.bbox))
        m.notes.extend(sorted({n for i in idx for n in kinds[i].notes if n == "several_documents"}))
        if in_colour and source == TextSource.OCR:
            m.notes.append(SCAN_COLOUR)
        if kind_name not in ("other", "id_card") and not any(kinds[i].has_title for i in idx):
            m.notes.append("untitled")  # recognised by its words only
        if kind_name == "other" or "untitled" in m.notes or "several_documents" in m.notes:
            # what else it could be, so that a material is not called missing while it may be here
            m.notes.extend(f"{COULD_BE}{k}" for k in could_be([t for _, t in texts], rules) if k != kind_name)
        outdated = next((kinds[i].outdated_title for i in idx if kinds[i].outdated_title), None)
        if outdated:
            m.notes.append(f"outdated:{outdated}")
        out.append(m)
    return out


def check_against_facts(materials: list[Material], page_texts: dict[str, list[PageText]], rules: RuleBook) -> None:
    """Facts from their authoritative materials, then every other material checked by finding them."""
    # every other recognised material that restates the decision (a form, a letter, a receipt's reference)
    forms = [m for m in materials if m.kind not in (Kind.PENALTY_DECISION, Kind.OTHER)]
    for d in (m for m in materials if m.kind == Kind.PENALTY_DECISION and m.path in page_texts):
        before = dict(d.fields)
        corroborate(d, _material_pages(d, page_texts), forms)
        _found_boxes_to_page(d, before, page_texts[d.path])
    known = establish(materials, fact_sources(rules.consistency))
    settle_id_numbers(materials, page_texts)
    for m in materials:
        if m.kind == Kind.OTHER or not m.pages or m.path not in page_texts:
            continue
        reading = "id_card" if m.kind in (Kind.LEGAL_REP_ID, Kind.AGENT_ID) else str(m.kind)
        if reading not in rules.kinds:
            continue
        before = dict(m.fields)
        reconcile(m, _material_pages(m, page_texts), known, set(rules.kinds[reading].fields))
        _found_boxes_to_page(m, before, page_texts[m.path])


def _material_pages(m: Material, page_texts: dict[str, list[PageText]]) -> list[tuple[int, PageText]]:
    texts = page_texts[m.path]
    return [(i, texts[i - 1]) for i in m.pages if 1 <= i <= len(texts)]


def _found_boxes_to_page(m: Material, before: dict[FieldId, FieldValue], texts: list[PageText]) -> None:
    """Boxes a search found are in the text model's (upright) points: put them on the page as the file shows it."""
    for fid, fv in m.fields.items():
        old = before.get(fid)
        if fv.bbox and (old is None or fv.bbox is not old.bbox):
            m.fields[fid] = replace(fv, bbox=texts[fv.page - 1].page_box(fv.bbox))


# ---------------------------------------------------------------- the verdict
def unreadable_finding(path: str, reason: str) -> Finding:
    return Finding(Code.FILE_UNREADABLE, Severity.ERROR,
                   f"文件“{path}”无法读取：{reason}。请确认该文件应是哪份材料，重新扫描或导出后再导入。", None, None, path, None)


def skipped_finding(path: str, why: str) -> Finding:
    return Finding(Code.FILE_UNREADABLE, Severity.WARNING,
                   f"“{path}”{why}。如果其中有申请材料，请把文件本身放入材料文件夹。", None, None, path, None)


def blank_finding(path: str) -> Finding:
    return Finding(Code.KIND_UNCERTAIN, Severity.REVIEW,
                   f"“{path}”的每一页都没有可识别的文字（空白页，或文件损坏后只剩空白），请打开原件核对它应是哪份材料。",
                   None, None, path, 1)


def not_ocred_finding(m: Material) -> Finding:
    return Finding(Code.FIELD_MISSING, Severity.REVIEW,
                   f"“{m.path}”是扫描件，未进行文字识别（--no-ocr），其内容无法读取。", None, None, m.path, m.pages[0])


def verdict_findings(materials: list[Material], facts: CaseFacts, as_of: dt.date, rules: RuleBook,
                     intake: list[Finding]) -> tuple[list[Finding], dt.date | None]:
    """THE verdict of a packet: what the check reported about its files (`intake`, exactly as reported) plus the
    engine run on the materials (as read, or as the instructor corrected them) and the case's facts.  The
    `check` command, the desk's re-computation after every decision and export all come through here."""
    engine, eligible_from = run_checks(materials, facts, as_of, rules)
    first = [f for f in intake if f.code == Code.FILE_UNREADABLE and f.severity == Severity.ERROR]
    findings = first + engine + [f for f in intake if not (f.code == Code.FILE_UNREADABLE and f.severity == Severity.ERROR)]
    findings.sort(key=lambda f: (f.severity != Severity.ERROR, f.path or "", f.page or 0))
    return findings, eligible_from


def applicant_in_packet(materials: list[Material]) -> Applicant | None:
    """Who applies, as the packet shows it: a 授权委托书 → an agent; a 法定代表人身份证明书 without one → the
    legal representative; None when the packet cannot tell."""
    kinds = {m.kind for m in materials}
    if Kind.AUTHORIZATION_LETTER in kinds:
        return Applicant.AGENT
    if Kind.LEGAL_REP_CERTIFICATE in kinds:
        return Applicant.LEGAL_REPRESENTATIVE
    return None


# ---------------------------------------------------------------- reading and checking
@dataclass
class ReadFile:
    """One file of a packet as the parser read it: its pages, or why it could not be read."""

    rel: str
    pages: list[tuple[PageText, InkMap, str]] | None
    reason: str = ""
    materials: list[Material] = field(default_factory=list)  # as classified and read (check_read cross-checks them)
    blank: bool = False  # OCR'd and nothing readable on any page (blank, or a broken file repaired into blank pages)


def read_files(root: Path, files: list[Path], rules: RuleBook, ocr: bool = True, pool: ParserPool | None = None,
               progress: Progress | None = None,
               on_material: Callable[[Material], None] | None = None) -> list[ReadFile]:
    """Parse the files (sandboxed), in the order given; names relative to `root`."""
    rel = {str(p): rel_name(root, p) for p in files}  # valid Unicode even for GBK names on Linux
    if progress:
        progress.start(len(files), "读取材料")
    got: dict[str, ReadFile] = {}

    def on_result(path: str, res: dict) -> None:
        r = rel[path]
        if not res.get("ok"):
            got[path] = ReadFile(r, None, res.get("reason", "未知原因"))
        else:
            pages = _page_texts(res)
            got[path] = ReadFile(r, pages, materials=build_materials(r, pages, rules),
                                 blank=ocr and not any(pg["glyphs"] or pg["ring"] for pg in res["pages"]))
            if on_material:
                for m in got[path].materials:
                    on_material(m)
        if progress:
            progress.step(r)

    own_pool = pool is None
    pool = pool or ParserPool()
    try:
        pool.map([str(p) for p in files], ocr=ocr, on_result=on_result,
                 cancel=progress.cancel_event if progress else None)
    finally:
        if own_pool:
            pool.close()
    return [got[str(p)] for p in files if str(p) in got]


def check_read(read: list[ReadFile], skipped: list[tuple[str, str]], facts: CaseFacts, as_of: dt.date,
               rules: RuleBook, ocr: bool = True, applicant_from_packet: bool = False) -> CheckResult:
    """The check of files already read (no parsing): materials, cross-checks, the verdict.
    applicant_from_packet: who applies is what the packet shows (applicant_in_packet), when it can tell."""
    materials: list[Material] = []
    page_texts: dict[str, list[PageText]] = {}
    unreadable: list[tuple[str, str]] = []
    for f in read:  # in the packet's order (the parser's results come back in any order)
        if f.pages is None:
            unreadable.append((f.rel, f.reason))
            materials.append(Material(f.rel, Kind.OTHER, [], TextSource.NONE))
        else:
            page_texts[f.rel] = [p for p, _, _ in f.pages]
            materials.extend(sorted(f.materials, key=lambda m: m.pages[:1]))
    known = True
    if applicant_from_packet or "applicant" in facts.assumed:
        shown = applicant_in_packet(materials)
        known = shown is not None
        if shown is not None:
            facts = replace(facts, applicant=shown)
    _assign_id_roles(materials, facts)
    check_against_facts(materials, page_texts, rules)
    intake = [unreadable_finding(r, why) for r, why in sorted(unreadable)]
    intake += [blank_finding(f.rel) for f in read if f.blank]
    intake += [skipped_finding(r, why) for r, why in skipped]
    if not ocr:
        intake += [not_ocred_finding(m) for m in materials if m.text_source == TextSource.NONE and m.pages]
    findings, eligible_from = verdict_findings(materials, facts, as_of, rules, intake)
    return CheckResult(as_of, facts, materials, findings, eligible_from, page_texts, intake, known)


def check_packet(
    packet_dir: Path,
    as_of: dt.date | None = None,
    ocr: bool = True,
    rules: RuleBook | None = None,
    facts: CaseFacts | None = None,
    pool: ParserPool | None = None,
    progress: Progress | None = None,
    on_material: Callable[[Material], None] | None = None,
    applicant_from_packet: bool = False,
) -> CheckResult:
    rules = rules or default_rules()
    as_of = as_of or dt.date.today()
    facts = facts or read_case_file(packet_dir)
    found = survey(packet_dir)  # links, special files and closed sub-folders are reported, never followed
    read = read_files(packet_dir, found.files, rules, ocr, pool, progress, on_material)
    return check_read(read, found.skipped, facts, as_of, rules, ocr, applicant_from_packet)
