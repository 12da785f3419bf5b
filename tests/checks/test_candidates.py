"""What an unrecognised document could be: its heading resembles a material's title, or its words are that
material's — so that a material lying in the packet is never called missing."""
from __future__ import annotations

import pytest

from xinyong_desktop.checks.candidates import could_be
from xinyong_desktop.extract.layout import Glyph, PageText, build_lines
from xinyong_desktop.rules.loader import default_rules

RULES = default_rules()


def page(*rows: str) -> PageText:
    gs = []
    for r, row in enumerate(rows):
        gs += [Glyph(ch, 60 + i * 12, 80 + r * 24, 72 + i * 12, 92 + r * 24) for i, ch in enumerate(row) if ch != " "]
    return PageText(595, 842, build_lines(gs), "text")


@pytest.mark.parametrize(("rows", "kind"), [
    (("信用信息修复申请表", "（企业填写）", "法定代表人/负责人: 姚波"), "application_form"),
    (("法定代表人资格证明", "黄立同志，在我单位任执行董事职务，是我单位的法定代表人。", "特此证明。"), "legal_rep_certificate"),
    (("罚没款缴纳回执", "缴款人： 常州市凯迈汽车零部件股份有限公司", "缴款金额： 肆仟元整", "执收单位： 常州市生态环境局"),
     "payment_proof"),
])
def test_a_document_resembling_a_material_could_be_it(rows, kind):
    assert kind in could_be([page(*rows)], RULES)


def test_a_document_of_its_own_kind_could_be_no_material():
    cert = page("结 业 证 书", "徐燕兰同志于2025年参加了常州市信用修复专题", "培训班（第5期），完成全部课程学习，经考核合格，",
                "准予结业。", "常州市诚信建设培训中心")
    assert could_be([cert], RULES) == []
