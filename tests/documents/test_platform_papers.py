"""Papers for a 信用中国 case and a NECIPS case, turned into text (pypdfium2): each names its own platform and
rules, gives the processing time and the rejection paths, and prints no empty field (issue 22)."""
from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest

from tests.documents.test_notice import pdf_text
from xinyong_desktop.checks.engine import CaseFacts
from xinyong_desktop.documents import letters
from xinyong_desktop.documents.forms import write_forms
from xinyong_desktop.documents.notice import render_notice
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
from xinyong_desktop.roster.board import RosterRecord
from xinyong_desktop.services.check_packet import CheckResult

AS_OF = dt.date(2026, 12, 2)
EMPTY = [r"（统一社会信用代码：）", r"查询码：_", r"查询码：）", r"：）", r"__", r"None", r"\{[a-z_]+\}"]
PLATFORMS = {
    "creditchina": dict(name="“信用中国”网站", rules="国家发展改革委令", processing="10个工作日", other="国家企业信用信息公示系统（"),
    "necips": dict(name="国家企业信用信息公示系统", rules="第45号", processing="15个工作日", other="“信用中国”网站“信用修复”"),
}


def _rec(platform: str, uscc: str = "91320402MA1XXXXX0X") -> RosterRecord:
    authority = "常州市生态环境局" if platform == "creditchina" else "贵州省遵义市市场监督管理局"
    r = RosterRecord("名单.xlsx", "", 2, "常州某某商贸有限公司", uscc, "常环罚〔2026〕15号", dt.date(2026, 6, 20),
                     RecordSeverity.GENERAL, platform, authority, penalty_types=frozenset({"fine"}),
                     fine_yuan=Decimal(80000), published_on=dt.date(2026, 6, 30) if platform == "necips" else None)
    r.set_dates(_rules(), AS_OF)
    return r


def _rules():
    from xinyong_desktop.rules.loader import default_rules

    return default_rules()


def _no_empty_field(text: str) -> None:
    for pat in EMPTY:
        assert not re.search(pat, text), (pat, text)


def _platform_words(text: str, platform: str) -> None:
    want = PLATFORMS[platform]
    assert want["name"] in text and want["rules"] in text and want["processing"] in text
    assert "补正" in text and "复审" in text and "异议" in text  # what to do when sent back
    assert "只需申请一次" in text


@pytest.mark.parametrize("platform", list(PLATFORMS))
def test_letter_and_material_list(tmp_path, platform):
    rec = _rec(platform)
    paths, _ = letters.write_reminders([rec], _rules(), tmp_path / "l", AS_OF)
    t = pdf_text(paths[0])
    _platform_words(t, platform)
    _no_empty_field(t)
    assert "第六十六条第二款" in t and "第七十三条第三款" in t  # approved deferral, the pause during 复议/诉讼
    if platform == "necips":
        assert "信用中国”网站等网站公示" not in t and "“信用中国”网站“信用修复”栏目" not in t
    paths, _ = letters.write_guides([rec], _rules(), tmp_path / "g", AS_OF)
    g = pdf_text(paths[0])
    _platform_words(g, platform)
    _no_empty_field(g)


def test_letter_without_code_and_with_class_settings(tmp_path):
    rec = _rec("creditchina", uscc="")
    settings = letters.LetterSettings(class_time="2026年12月16日（星期三）下午2:00", class_place="常州市政务服务中心3楼",
                                      contact="0519-85680000", by_authority=True, signer="局长 王某",
                                      issue_date=dt.date(2026, 6, 20))
    paths, _ = letters.write_reminders([rec], _rules(), tmp_path, AS_OF, settings=settings)
    t = pdf_text(paths[0])
    _no_empty_field(t)
    assert "常州某某商贸有限公司：" in t and "统一社会信用代码" not in t
    assert "2026年12月16日（星期三）下午2:00" in t and "常州市政务服务中心3楼" in t and "0519-85680000" in t
    # 两书同达: in the penalising authority's name, its signer and the date the office set
    assert "常州市生态环境局局长 王某2026年6月20日说明：" in t  # the sign-off, then the notes
    assert "常州市社会信用体系建设领导小组办公室" not in t


@pytest.mark.parametrize("platform", list(PLATFORMS))
def test_certificate_and_deletion_letter(tmp_path, platform):
    rec = _rec(platform)
    c = pdf_text(letters.render_certificate(rec, _rules(), tmp_path / "c.pdf", AS_OF, dt.date(2026, 11, 20), "",
                                            "常信修证〔2026〕007号"))
    _no_empty_field(c)
    assert "编号：常信修证〔2026〕007号" in c and "查询码" not in c
    if platform == "necips":
        assert "经查询国家企业信用信息公示系统" in c and "国市监信规〔2021〕3号" in c and "信用中国" not in c
    else:
        assert "经查询“信用中国”网站" in c and "国家发展改革委令2025年第36号" in c
    d = pdf_text(letters.render_deletion_letter(rec, _rules(), tmp_path / "d.pdf", AS_OF, "", dt.date(2026, 11, 20)))
    _no_empty_field(d)
    assert "相关信用服务机构：" in d and PLATFORMS[platform]["name"] in d


def _result(platform: str) -> CheckResult:
    def fv(v: str, conf: float = 0.99) -> FieldValue:
        return FieldValue(v, 1, (10, 10, 50, 20), conf)

    decision = Material("决定书.pdf", Kind.PENALTY_DECISION, [1], TextSource.TEXT, {
        FieldId.ENTERPRISE_NAME: fv("常州某某商贸有限公司"), FieldId.USCC: fv("91320402MA1XXXXX0X"),
        FieldId.DECISION_NUMBER: fv("常环罚〔2026〕15号"), FieldId.DECISION_DATE: fv("2026-06-20"),
        FieldId.PENALTY_AUTHORITY: fv("常州市生态环境局"), FieldId.FINE_AMOUNT: fv("80000.00", 0.6),
        FieldId.LEGAL_REPRESENTATIVE: fv("王某")})
    seal = Finding(Code.SEAL_MISSING, Severity.ERROR, "信用修复承诺书未加盖单位公章。", Kind.COMMITMENT_LETTER,
                   FieldId.SEAL, "承诺书.pdf", 1)
    return CheckResult(AS_OF, CaseFacts(RecordSeverity.GENERAL, Applicant.LEGAL_REPRESENTATIVE, platform),
                       [decision], [seal], None)


@pytest.mark.parametrize("platform", list(PLATFORMS))
def test_notice_and_forms(tmp_path, platform):
    res = _result(platform)
    t = pdf_text(render_notice(res, _rules(), tmp_path / "n.pdf", "张老师"))
    assert f"再提交{PLATFORMS[platform]['name']}" in t
    assert PLATFORMS[platform]["processing"] in t and "补正" in t and "复审" in t and "异议" in t
    paths = write_forms(res, _rules(), tmp_path / "f", "张老师")
    app, com = pdf_text(paths[0]), pdf_text(paths[1])
    assert "罚款80000" not in app and "80,000" not in app  # the fine was read unsurely: left for the enterprise
    assert "已全额缴纳" not in app and "整改完毕" not in app  # never written for the enterprise
    assert "常环罚〔2026〕15号" in app and "常州某某商贸有限公司" in app
    if platform == "necips":
        assert "国家企业信用信息公示系统公示" in com and "信用中国" not in com and "市场监督管理信用修复管理办法" in com
    else:
        assert "“信用中国”网站公开" in com


def test_letters_command_with_the_office_settings(tmp_path):
    from xinyong_desktop.cli import main

    roster = tmp_path / "r.csv"
    roster.write_text("企业名称,统一社会信用代码,处罚决定书文号,处罚日期,失信程度,处罚机关\n"
                      "常州丙有限公司,,常环罚〔2025〕3号,2025-06-30,一般,常州市生态环境局\n", encoding="utf-8")
    out = tmp_path / "out"
    assert main(["letters", str(roster), "--as-of", "2026-06-01", "--out", str(out), "--by-authority",
                 "--signer", "局长 王某", "--issue-date", "2026-05-30", "--class-time", "2026年6月10日下午",
                 "--class-place", "常州市民广场", "--contact", "0519-85680000"]) == 0
    t = pdf_text(next(p for p in out.glob("常州丙*.pdf")))
    _no_empty_field(t)
    assert "常州市生态环境局局长 王某2026年5月30日" in t and "常州市民广场" in t and "0519-85680000" in t
    # decided under Order 58, read in June 2026: 3 years, and Order 36's one year said with the portal disclaimer
    assert "最长公示期至2028年6月30日届满" in t and "一般失信行为最长公示期将于2026年6月30日届满" in t
    assert "以“信用中国”网站显示为准" in t
