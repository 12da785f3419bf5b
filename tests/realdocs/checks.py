"""What the real-document tests demand of one checked document; each check returns None or what went wrong.

Shared by test_real_documents.py (asserts) and report.py (prints got-vs-wanted for the lead and refreshes
known_failures.toml), so both judge the engine the same way.
"""
from __future__ import annotations

import datetime as dt
import tomllib
from pathlib import Path

from tests.realdocs.fixtures import RealDoc
from tests.realdocs.render import render, scan
from xinyong_desktop.domain.model import FieldId
from xinyong_desktop.services.check_packet import CheckResult

AS_OF = dt.date(2026, 12, 1)
CONFIDENT = 0.9
KNOWN_FILE = Path(__file__).with_name("known_failures.toml")


def build(doc: RealDoc, root: Path) -> Path:
    """The packet folder holding this one document as the office would hand it over."""
    packet = root / doc.id
    packet.mkdir(parents=True, exist_ok=True)
    (packet / "case.json").write_text('{"record_severity": "general"}', encoding="utf-8")  # severity never defaulted
    pdf = root / f"{doc.id}.source.pdf"
    render(doc.document, doc.render, pdf)
    if doc.render.get("scan"):
        scan(pdf, packet / f"scan{doc.file_suffix}", seed=len(doc.id), angle=0.7)
    else:
        (packet / f"{doc.id}.pdf").write_bytes(pdf.read_bytes())
    return packet


def _material(res: CheckResult, kind: str):
    ms = [m for m in res.materials if str(m.kind) == kind]
    return ms[0] if ms else None


def _same(fid: str, got: str, want: str) -> bool:
    """Contract normalisation; decision numbers compare case-insensitively and whatever the width of ()."""
    if fid == "decision_number":
        def fold(s: str) -> str:
            return s.replace("(", "（").replace(")", "）").casefold()
        return fold(got) == fold(want)
    return got == want


def kind(doc: RealDoc, res: CheckResult) -> str | None:
    kinds = sorted(str(m.kind) for m in res.materials)
    return None if kinds and set(kinds) == {doc.kind} else f"kind: got {kinds}, wanted {doc.kind}"


def lookalike(doc: RealDoc, res: CheckResult) -> str | None:
    kinds = [str(m.kind) for m in res.materials]
    return f"look-alike taken for a penalty decision: kinds {kinds}" if "penalty_decision" in kinds else None


def field(doc: RealDoc, res: CheckResult, fid: str) -> str | None:
    want = doc.truth[fid]
    m = _material(res, doc.kind)
    if m is None:
        return f"{fid}: no {doc.kind} material, wanted {want!r}"
    got = m.fields.get(FieldId(fid))
    if got is None:
        return f"{fid}: got nothing, wanted {want!r}"
    if not _same(fid, got.value, want):
        return f"{fid}: got {got.value!r} (confidence {got.confidence:.2f}), wanted {want!r}"
    return None


def not_shown(doc: RealDoc, res: CheckResult, fid: str) -> str | None:
    for m in res.materials:
        got = m.fields.get(FieldId(fid))
        if got is not None and got.confidence >= CONFIDENT:
            return (f"{fid}: not in the rendered text, yet {m.kind} gives {got.value!r} with confidence "
                    f"{got.confidence:.2f} (wanted no value or confidence < {CONFIDENT})")
    return None


def masked(doc: RealDoc, res: CheckResult, fid: str) -> str | None:
    printed = doc.truth[fid]
    for m in res.materials:
        got = m.fields.get(FieldId(fid))
        if got is not None and got.value != printed and got.confidence >= CONFIDENT:
            return (f"{fid}: printed masked as {printed!r}, yet {m.kind} gives {got.value!r} with confidence "
                    f"{got.confidence:.2f}")
    if fid == "uscc":
        bad = [f.message for f in res.findings if str(f.code) == "USCC_INVALID"]
        if bad:
            return f"masked code reported USCC_INVALID: {bad}"
    return None


def no_invalid(doc: RealDoc, res: CheckResult) -> str | None:
    bad = [f"{f.code}: {f.message}" for f in res.findings if str(f.code) in ("USCC_INVALID", "ID_NUMBER_INVALID")]
    return f"published code reported invalid: {bad}" if bad else None


def cases(docs: list[RealDoc]) -> list[tuple[str, str, RealDoc, tuple]]:
    """Every (test, case id, document, extra args) the suite runs."""
    out: list[tuple[str, str, RealDoc, tuple]] = []
    for d in docs:
        out.append(("kind", d.id, d, ()))
        if d.kind == "other":
            out.append(("lookalike", d.id, d, ()))
        out += [("field", f"{d.id}:{f}", d, (f,)) for f in d.shown_fields() if f not in d.masked]
        out += [("not_shown", f"{d.id}:{f}", d, (f,)) for f in sorted(d.not_shown)]
        out += [("masked", f"{d.id}:{f}", d, (f,)) for f in sorted(d.masked)]
        if not d.truth.get("invalid_as_published"):  # a code printed wrong by the publisher may be reported
            out.append(("no_invalid", d.id, d, ()))
    return out


CHECKS = {"kind": kind, "lookalike": lookalike, "field": field, "not_shown": not_shown, "masked": masked,
          "no_invalid": no_invalid}


def known_failures() -> dict[tuple[str, str], str]:
    if not KNOWN_FILE.exists():
        return {}
    data = tomllib.loads(KNOWN_FILE.read_text(encoding="utf-8"))
    return {(test, case): reason for test, table in data.items() for case, reason in table.items()}
