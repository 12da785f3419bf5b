"""Letters from rosters: reminder letters, material lists (following the rule files), certificate, deletion
letter, class summary — fonts embedded, facts correct, one per record plus a merged file."""
from __future__ import annotations

import datetime as dt
import shutil
import tomllib

import pdfplumber
import pytest

from tests.documents.test_forms import embedded_fonts
from tests.rostergen import make_rows, write_csv
from xinyong_desktop.cli import main
from xinyong_desktop.documents import letters
from xinyong_desktop.resources import resource_path
from xinyong_desktop.roster.board import read_rosters
from xinyong_desktop.rules.loader import load_rules

AS_OF = dt.date(2025, 6, 1)


def text_of(path) -> str:
    with pdfplumber.open(path) as pdf:
        return "".join(pg.extract_text() or "" for pg in pdf.pages).replace(" ", "").replace("\n", "")


def pages(path) -> int:
    with pdfplumber.open(path) as pdf:
        return len(pdf.pages)


@pytest.fixture(scope="module")
def roster(tmp_path_factory):
    d = tmp_path_factory.mktemp("roster")
    rows = make_rows(12, seed=31)
    rows[0].name = "常州<甲&乙>丄贸易有限公司"
    return read_rosters([write_csv(d / "名单.csv", rows, encoding="utf-8-sig")], AS_OF)


def test_reminders_one_per_record_and_merged(roster, rules, tmp_path):
    paths, merged = letters.write_reminders(roster.records, rules, tmp_path, AS_OF)
    assert len(paths) == len(roster.records) == 12
    counts = [pages(p) for p in paths]
    assert pages(merged) == sum(counts)
    for rec, path, n in zip(roster.records, paths, counts, strict=True):
        text = text_of(path)
        assert rec.enterprise_name in text and rec.uscc in text and rec.decision_number in text
        if rec.assessment.firm:  # one date, one page
            assert letters.cn_date(rec.eligible_from) in text and n == 1
        else:  # a fact to confirm: every candidate date, never one firm date
            assert "尚待确认" in text and "如属" in text and n <= 2
        assert "________" not in text and "：）" not in text
        assert embedded_fonts(path)
    assert "常州<甲&乙>丄贸易有限公司" in text_of(paths[0])


def _required_names(severity: str, applicant: str) -> set[str]:
    data = tomllib.loads(resource_path("rules", "materials.toml").read_text(encoding="utf-8"))["materials"]
    return {m["name"] for m in data.values() if severity in m["severities"] and applicant in m["applicants"]
            and "creditchina" in m["platforms"]}


@pytest.mark.parametrize("severity", ["general", "serious"])
def test_material_list_has_exactly_the_rule_files_materials(roster, rules, tmp_path, severity):
    rec = next(r for r in roster.records if r.record_severity.value == severity and r.platform == "creditchina"
               and letters.needs_guide(r))
    paths, _ = letters.write_guides([rec], rules, tmp_path, AS_OF)
    text = text_of(paths[0])
    with pdfplumber.open(paths[0]) as pdf:  # the material column of the tables, in order
        tables = [t for pg in pdf.pages for t in pg.extract_tables()]
    fine_note = letters.load_templates()["material_list"]["fine_note"]
    names: list[list[str]] = []
    for t in tables:  # a table split over two pages continues without its header row
        if t[0][0] == "序号":
            names.append([])
        names[-1] += [row[1].replace("\n", "").replace(" ", "").replace(fine_note, "") for row in t if row[0] != "序号"]
    lr, agent = _required_names(severity, "legal_representative"), _required_names(severity, "agent")
    assert set(names[0]) == lr and len(names[0]) == len(lr)
    assert set(names[1]) == agent - lr
    assert letters.cn_date(rec.eligible_from) in text
    assert embedded_fonts(paths[0])


def test_rule_change_shows_in_the_next_list(roster, tmp_path):
    rules_dir = tmp_path / "rules"
    shutil.copytree(resource_path("rules"), rules_dir)
    toml = rules_dir / "materials.toml"
    text = toml.read_text(encoding="utf-8").replace('name = "整改报告"', 'name = "失信行为整改情况报告"')
    i = text.index("[materials.rectification_report]")
    toml.write_text(text[:i] + text[i:].replace("platforms = []", 'platforms = ["creditchina"]', 1), encoding="utf-8")
    changed = load_rules(rules_dir)
    rec = next(r for r in roster.records if r.platform == "creditchina" and letters.needs_guide(r))
    paths, _ = letters.write_guides([rec], changed, tmp_path / "out", AS_OF)
    assert "失信行为整改情况报告" in text_of(paths[0])


def test_certificate_and_deletion_letter(roster, rules, tmp_path):
    rec = roster.records[1]
    cert = letters.render_certificate(rec, rules, tmp_path / "证明.pdf", AS_OF, dt.date(2025, 5, 20), "CX2025052000001")
    t = text_of(cert)
    assert "信用修复证明" in t and rec.enterprise_name in t and "2025年5月20日" in t and "CX2025052000001" in t
    letter = letters.render_deletion_letter(rec, rules, tmp_path / "函.pdf", AS_OF, "某某信用服务有限公司", dt.date(2025, 5, 20))
    t = text_of(letter)
    assert t.startswith("关于删除失信信息的函") and "某某信用服务有限公司：" in t and rec.decision_number in t
    assert embedded_fonts(cert) and embedded_fonts(letter)


def test_letters_and_guide_commands(roster, tmp_path, capsys):
    src = tmp_path / "名单.csv"
    rows = make_rows(6, seed=40)
    write_csv(src, rows)
    assert main(["letters", str(src), "--out", str(tmp_path / "l"), "--as-of", "2025-06-01"]) == 0
    out = capsys.readouterr().out
    parsed = read_rosters([src], AS_OF)
    expected = sum(1 for r in parsed.records if r.status != "withdrawn")
    assert len(list((tmp_path / "l").glob("*_信用修复提醒函.pdf"))) == expected + 1  # + merged
    assert "合并打印" in out
    assert main(["guide", str(src), "--out", str(tmp_path / "g"), "--as-of", "2025-06-01"]) == 0
    assert len(list((tmp_path / "g").glob("*.pdf"))) == len(parsed.records) + 1


def test_class_summary_with_chart(tmp_path):
    from xinyong_desktop.services.classes import ClassStats

    st = ClassStats(classes=1, enterprises=30, cases=32, reviewed=20, ready_first=8, ready_after_correction=9,
                    exported=15, by_status={"已导出": 15, "需补正": 3, "未开始": 12},
                    top_codes=[("SEAL_MISSING", 7), ("NAME_MISMATCH", 4), ("FINE_NOT_FULLY_PAID", 2)])
    from xinyong_desktop.documents.summary import render_class_summary

    out = render_class_summary("2026年第5期信用修复培训班", "2026-11-25 常州市信用办", st,
                               {"现在可以申请修复": 20}, tmp_path / "小结.pdf", "张老师", AS_OF)
    t = text_of(out)
    assert "缺少公章" in t and "首次检查即就绪" in t and "8" in t
    assert embedded_fonts(out)
