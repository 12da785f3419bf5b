"""The real-document fixture set: published texts with provenance and the truth read by hand.

One TOML file per document under tests/fixtures/real/.  Tables:
  [source]   url, page_title, publisher, retrieved, via, notes — where the text comes from
  [render]   number_above_title, first_page_only, scan ("" | "pdf" | "jpg"), seal, seal_name
  [document] header, title, number, addressee, party[], table[[label, value]], body (paragraphs), closing[]
  [truth]    kind, the fields shown, masked[] (fields printed masked by the publisher), not_shown[]
"""
from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1] / "fixtures" / "real"

DECISION_FIELDS = ("enterprise_name", "uscc", "legal_representative", "decision_number", "penalty_authority",
                   "decision_date", "fine_amount")


@dataclass(frozen=True)
class RealDoc:
    id: str
    path: Path
    sector: str
    province: str
    source: dict
    render: dict
    document: dict
    truth: dict

    @property
    def kind(self) -> str:
        return self.truth["kind"]

    @property
    def masked(self) -> set[str]:
        return set(self.truth.get("masked", []))

    @property
    def not_shown(self) -> set[str]:
        return set(self.truth.get("not_shown", []))

    def shown_fields(self) -> dict[str, str]:
        skip = {"kind", "masked", "not_shown", "invalid_as_published"}
        return {k: v for k, v in self.truth.items() if k not in skip}

    @property
    def file_suffix(self) -> str:
        return ".jpg" if self.render.get("scan") == "jpg" else ".pdf"


def load_all() -> list[RealDoc]:
    docs = []
    for p in sorted(ROOT.glob("*.toml")):
        d = tomllib.loads(p.read_text(encoding="utf-8"))
        docs.append(RealDoc(d["id"], p, d.get("sector", ""), d.get("province", ""), d["source"], d.get("render", {}),
                            d["document"], d["truth"]))
    return docs
