"""The fixture set itself: provenance recorded, truth consistent with what the rendering actually shows."""
from __future__ import annotations

import re

import pytest

from tests.realdocs.fixtures import load_all
from tests.realdocs.render import render
from xinyong_desktop.domain.text import to_simplified

DOCS = load_all()
BRACKETS = str.maketrans({"[": "〔", "]": "〕", "【": "〔", "】": "〕", "（": "(", "）": ")"})


def _squash(s: str) -> str:
    """Spaces dropped, brackets and case folded, traditional characters as simplified (the truth of a page
    printed in traditional characters is given in simplified ones, as the engine reads it)."""
    return to_simplified(re.sub(r"\s+", "", s)).translate(BRACKETS).casefold()


def test_ids_are_unique_and_match_file_names():
    assert len({d.id for d in DOCS}) == len(DOCS)
    for d in DOCS:
        assert d.path.stem == d.id


@pytest.mark.parametrize("doc", DOCS, ids=[d.id for d in DOCS])
def test_provenance_is_recorded(doc):
    for key in ("url", "page_title", "publisher", "retrieved", "via"):
        assert doc.source.get(key), f"{doc.id}: source.{key} missing"
    assert doc.truth.get("kind")


@pytest.mark.parametrize("doc", DOCS, ids=[d.id for d in DOCS])
def test_truth_matches_the_rendered_text(doc, tmp_path):
    drawn = render(doc.document, doc.render, tmp_path / "d.pdf")
    text = _squash(drawn.text)
    for fid, value in doc.shown_fields().items():
        if fid in ("decision_date", "fine_amount"):
            continue  # checked below / by hand: written in words or other formats on the page
        assert _squash(value) in text, f"{doc.id}: truth {fid}={value!r} is not in the rendered text"
    assert not set(doc.shown_fields()) & doc.not_shown, f"{doc.id}: a field is both shown and not shown"
    if "decision_date" in doc.truth:
        assert drawn.closing_drawn, f"{doc.id}: a decision date is claimed but the 落款 is not rendered"
    if doc.kind == "penalty_decision" and not drawn.closing_drawn:
        assert "decision_date" in doc.not_shown, f"{doc.id}: 落款 not rendered, decision_date must be not_shown"


def test_the_set_is_wide_enough():
    """Issue 14 item 6: >= 20 published decisions of >= 8 kinds of authority, from several provinces, with
    look-alikes, scans and the number above the title among them."""
    decisions = [d for d in DOCS if d.kind == "penalty_decision"]
    assert len(decisions) >= 20
    assert len({d.sector for d in decisions}) >= 8
    assert len({d.province for d in decisions}) >= 5
    assert len([d for d in DOCS if d.kind == "other"]) >= 4
    assert len([d for d in DOCS if d.render.get("scan")]) >= 4
    assert any(d.render.get("number_above_title") for d in decisions)
    assert any(d.masked for d in decisions)
