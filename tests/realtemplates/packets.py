"""The real-template packet set: 16 packets (8 clean, 8 with one seeded real defect) built from the public
templates of PROVENANCE.md and filled with fictional enterprises.

    build_all(root) -> list of packet folders  root/<id>/packet/ (+ case.json) and root/<id>/expected.json

expected.json has the format of ../shared/corpus/*/expected.json, so ../shared/tools/score.py scores the set.
A field a template does not show is None there (score.py skips it).  Everything is deterministic (fixed
seeds, reportlab ``invariant`` PDFs, fixed dates in the image PDFs), so the parse cache keys stay stable.
"""
from __future__ import annotations

import datetime as dt
import io
import json
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas

from tests.realdocs.render import render
from tests.realtemplates import decisions as D
from tests.realtemplates import forms as F
from tests.realtemplates.forms import Case
from xinyong_desktop.domain.identifiers import USCC_ALPHABET, id_check_char, uscc_check_char

FIXED = time.strptime("2026-01-01", "%Y-%m-%d")  # PIL writes these into image PDFs
_ORG_W = (3, 7, 9, 10, 5, 8, 4, 2)


# ------------------------------------------------------------------ fictional facts with valid codes
def make_uscc(region: str, seed: int) -> str:
    """18 characters: 91 + region + an organisation code with its GB 11714 check + the GB 32100 check."""
    rng = random.Random(seed)
    while True:
        body = "".join(rng.choice("0123456789" if i < 2 else USCC_ALPHABET[:10] + "ABCDEFGHJKLMNPQRTUWXY")
                       for i in range(8))
        total = sum((int(ch) if ch.isdigit() else ord(ch) - 55) * w for ch, w in zip(body, _ORG_W, strict=True))
        r = 11 - total % 11
        check = "X" if r == 10 else "0" if r == 11 else str(r)
        if check in USCC_ALPHABET:
            first17 = "91" + region + body + check
            return first17 + (uscc_check_char(first17) or "0")


def make_id(region: str, birth: dt.date, seq: int) -> str:
    first17 = region + birth.strftime("%Y%m%d") + f"{seq:03d}"
    return first17 + (id_check_char(first17) or "0")


@dataclass(frozen=True)
class Place:
    city: str
    province: str
    region: str          # 6-digit division code for codes and ID numbers
    reg_authority: str
    bank: str
    street: str
    issuer: str          # the ID card's 签发机关


XIAMEN = Place("厦门市", "福建省", "350205", "厦门市海沧区市场监督管理局", "中国工商银行股份有限公司厦门海沧支行",
               "厦门市海沧区海景东路", "厦门市公安局海沧分局")
NINGBO = Place("宁波市", "浙江省", "330206", "宁波市北仑区市场监督管理局", "中国银行股份有限公司宁波北仑分行",
               "浙江省宁波市北仑区梅山街道梅山大道", "宁波市公安局北仑分局")
TIANJIN = Place("天津市", "天津市", "120116", "天津市滨海新区市场监督管理局", "中国工商银行股份有限公司天津空港支行",
                "天津自贸试验区(空港经济区)西七道", "天津市公安局滨海分局")
ZHUZHOU = Place("株洲市", "湖南省", "430211", "株洲市天元区市场监督管理局", "中国农业银行股份有限公司株洲天元支行",
                "湖南省株洲市天元区黄河北路", "株洲市公安局天元分局")
YIYANG = Place("益阳市", "湖南省", "430903", "益阳市赫山区市场监督管理局", "中国建设银行股份有限公司益阳赫山支行",
               "益阳市赫山区会龙山街道金山南路", "益阳市公安局赫山分局")
XIANNING = Place("咸宁市", "湖北省", "421202", "咸宁市咸安区市场监督管理局", "湖北银行股份有限公司咸宁分行",
                 "湖北省咸宁市咸安区温泉路", "咸宁市公安局咸安分局")
FULING = Place("重庆市", "重庆市", "500102", "重庆市涪陵区市场监督管理局", "重庆农村商业银行股份有限公司涪陵分行",
               "重庆市涪陵区滨江大道二段", "重庆市公安局涪陵区分局")


def case(place: Place, seed: int, name: str, rep: str, agent: str, authority: str, dn: str, decision: dt.date,
         fine: int, paid_after: int = 9, signed_after: int = 150, sexes: str = "男女") -> Case:
    rng = random.Random(seed)
    rep_birth = dt.date(rng.randint(1965, 1985), rng.randint(1, 12), rng.randint(1, 28))
    agent_birth = dt.date(rng.randint(1985, 1998), rng.randint(1, 12), rng.randint(1, 28))
    # the sequence number's last digit is odd for men, even for women (GB 11643)
    rep_seq = rng.randint(0, 49) * 20 + (1 if sexes[0] == "男" else 2)
    agent_seq = rng.randint(0, 49) * 20 + (3 if sexes[1] == "男" else 4)
    return Case(
        name=name, uscc=make_uscc(place.region, seed), rep=rep, rep_id=make_id(place.region, rep_birth, rep_seq),
        rep_sex=sexes[0], agent=agent, agent_id=make_id(place.region, agent_birth, agent_seq), agent_sex=sexes[1],
        address=f"{place.street}{rng.randint(11, 399)}号", phone=f"1{rng.choice('358')}{rng.randint(100000000, 999999999)}",
        authority=authority, dn=dn, decision_date=decision, fine=fine,
        paid_date=decision + dt.timedelta(days=paid_after), signed_date=decision + dt.timedelta(days=signed_after),
        founded=dt.date(rng.randint(2008, 2016), rng.randint(1, 12), rng.randint(1, 28)), city=place.city,
        province=place.province, reg_authority=place.reg_authority, bank=place.bank,
    )


# ------------------------------------------------------------------ materials
@dataclass
class Mat:
    """One file of a packet: what draws it, how it is handed over, and the truth it shows."""

    path: str
    kind: str
    template: str                      # PROVENANCE.md id
    draw: Callable[[Canvas], None] | None = None      # one page per call (a form)
    decision: dict | None = None       # a decision document (rendered by tests/realdocs/render)
    media: str = "text"                # text | scan | photo
    fields: dict = field(default_factory=dict)


@dataclass
class Packet:
    id: str
    note: str
    case: Case
    as_of: dt.date
    applicant: str
    materials: list[Mat]
    defects: list[dict] = field(default_factory=list)
    extra_required: list[str] = field(default_factory=list)
    severity: str = "general"

    @property
    def ready(self) -> bool:
        return not self.defects


def _d(d: dt.date) -> str:
    return d.isoformat()


def f_decision(c: Case, dn: str | None = None, rep: bool = True) -> dict:
    return {"enterprise_name": c.name, "uscc": c.uscc, "legal_representative": c.rep if rep else None,
            "decision_number": dn or c.dn, "penalty_authority": c.authority, "decision_date": _d(c.decision_date),
            "fine_amount": f"{c.fine:.2f}"}


def f_commit(c: Case, signature: str = "present", seal: str = "present", dn: str | None = None) -> dict:
    return {"enterprise_name": c.name, "uscc": c.uscc, "decision_number": dn or c.dn,
            "signed_date": _d(c.signed_date), "seal": seal, "signature": signature}


def f_app(c: Case) -> dict:
    return {"enterprise_name": c.name, "uscc": c.uscc, "decision_number": c.dn, "decision_date": _d(c.decision_date),
            "signed_date": _d(c.signed_date), "seal": "present", "signature": "present"}


def f_pay(c: Case, paid: int | None = None, payer: str | None = None) -> dict:
    return {"payer_name": payer or c.name, "paid_amount": f"{(paid if paid is not None else c.fine):.2f}",
            "payment_date": _d(c.paid_date)}


def f_licence(c: Case) -> dict:
    return {"enterprise_name": c.name, "uscc": c.uscc, "legal_representative": c.rep}


def f_cert(c: Case, bidding: bool = False, seal: str = "present") -> dict:
    return {"enterprise_name": c.name, "uscc": None if bidding else c.uscc, "legal_representative": c.rep,
            "id_number": None if bidding else c.rep_id, "signed_date": _d(c.signed_date), "seal": seal}


def f_auth(c: Case, bidding: bool) -> dict:
    return {"enterprise_name": c.name, "uscc": None if bidding else c.uscc, "agent_name": c.agent,
            "id_number": c.agent_id, "decision_number": c.dn, "signed_date": _d(c.signed_date),
            "seal": "present", "signature": "present"}


def f_id(name: str, number: str) -> dict:
    return {"id_name": name, "id_number": number}


def common(c: Case, place: Place, licence_path: str = "营业执照副本.pdf", rep_id_path: str = "法人身份证.pdf") -> list[Mat]:
    return [
        Mat(licence_path, "business_license", "T12", lambda cv: F.draw_licence_2015(cv, c, {}), fields=f_licence(c)),
        Mat(rep_id_path, "legal_rep_id", "T13",
            lambda cv: F.draw_id_card(cv, c.rep, c.rep_id, c.rep_sex, f"{place.street}{len(c.rep) * 7}号", place.issuer),
            fields=f_id(c.rep, c.rep_id)),
    ]


def agent_card(c: Case, place: Place, path: str = "经办人身份证.pdf") -> Mat:
    return Mat(path, "agent_id", "T13",
               lambda cv: F.draw_id_card(cv, c.agent, c.agent_id, c.agent_sex, f"{place.street}{len(c.agent) * 9}号",
                                         place.issuer),
               fields=f_id(c.agent, c.agent_id))


# ------------------------------------------------------------------ the set
def packets() -> list[Packet]:
    out: list[Packet] = []

    # r01 海关 (海沧) — legal representative applies; paper 非税 form; table 承诺书 signed inline
    c = case(XIAMEN, 101, "厦门鑫港源进出口贸易有限公司", "林志坚", "陈雅琴", "中华人民共和国海沧海关",
             "海沧关缉违字〔2025〕118号", dt.date(2025, 9, 16), 12000, signed_after=140)
    out.append(Packet("r01", "customs (海沧), legal rep; 非税收入一般缴款书 paper; 承诺书 table", c, dt.date(2026, 2, 10),
                      "legal_representative", [
        Mat("海沧海关处罚决定书.pdf", "penalty_decision", "D01", decision=D.customs_haicang(c, "海沧关缉违字〔2025〕118号"),
            fields=f_decision(c)),
        Mat("信用修复承诺书.pdf", "commitment_letter", "T01", lambda cv, c=c: F.draw_commitment_58(cv, c, {}), fields=f_commit(c)),
        Mat("法定代表人身份证明书.pdf", "legal_rep_certificate", "T03",
            lambda cv, c=c: F.draw_legal_rep_cert_creditchina(cv, c, {}), fields=f_cert(c)),
        Mat("缴款书.pdf", "payment_proof", "T09", lambda cv, c=c: F.draw_nontax_paper(cv, c, {}), fields=f_pay(c)),
        *common(c, XIAMEN)]))

    # r02 应急 (天津保税区) — agent; bidding-document 授权委托书; ICBC receipt; Order 58 申请表 required
    c = case(TIANJIN, 202, "天津瑞恒达汽车零部件有限公司", "赵国栋", "孙晓燕", "天津港保税区应急管理局",
             "（津保）应急罚〔2025〕k-57号", dt.date(2025, 9, 5), 25000, signed_after=150)
    out.append(Packet("r02", "应急 (天津), agent; 标准施工招标文件 授权委托书; ICBC e-receipt; 申请表 (extra)", c,
                      dt.date(2026, 2, 20), "agent", [
        Mat("应急局处罚决定书.pdf", "penalty_decision", "D03", decision=D.safety_tianjin(c, "(津保)应急罚[2025]k-57号"),
            fields=f_decision(c)),
        Mat("承诺书.pdf", "commitment_letter", "T01b", lambda cv, c=c: F.draw_commitment_58_prose(cv, c, {"sign": "scrawl"}),
            fields=f_commit(c)),
        Mat("失信行为纠正后的信用信息修复申请表.pdf", "application_form", "T02",
            lambda cv, c=c: F.draw_application_58(cv, c, {}), fields=f_app(c)),
        Mat("授权委托书.pdf", "authorization_letter", "T05", lambda cv, c=c: F.draw_authorization_bidding(cv, c, {}),
            fields=f_auth(c, bidding=True)),
        Mat("工行电子回单.pdf", "payment_proof", "T07", lambda cv, c=c: F.draw_icbc_receipt(cv, c, {}), fields=f_pay(c)),
        agent_card(c, TIANJIN), *common(c, TIANJIN)], extra_required=["application_form"]))

    # r03 交通 (株洲) — legal rep; the bidding-document 法定代表人身份证明; electronic 非税 form
    c = case(ZHUZHOU, 303, "株洲顺联物流有限公司", "彭建华", "刘婷", "株洲市交通运输局", "株交处罚〔2025〕LK031号",
             dt.date(2025, 6, 18), 5000, signed_after=180)
    out.append(Packet("r03", "交通 (株洲), legal rep; 标准施工招标文件 法定代表人身份证明; 电子非税缴款书", c,
                      dt.date(2026, 1, 15), "legal_representative", [
        Mat("交通局处罚决定书.pdf", "penalty_decision", "D04",
            decision=D.transport_zhuzhou(c, c.dn, "湘交运管许可株字430211001287号"), fields=f_decision(c)),
        Mat("承诺书（盖章版）.pdf", "commitment_letter", "T01", lambda cv, c=c: F.draw_commitment_58(cv, c, {}), fields=f_commit(c)),
        Mat("法定代表人身份证明.pdf", "legal_rep_certificate", "T04", lambda cv, c=c: F.draw_legal_rep_cert_bidding(cv, c, {}),
            fields=f_cert(c, bidding=True)),
        Mat("电子票据.pdf", "payment_proof", "T10", lambda cv, c=c: F.draw_nontax_electronic(cv, c, {}), fields=f_pay(c)),
        *common(c, ZHUZHOU)]))

    # r04 生态环境 (益阳) — agent; office 授权委托书 table; CCB receipt; itemised fine with "以上合计…0.7万元"
    c = case(YIYANG, 404, "益阳市恒美塑业有限公司", "邓建军", "曹丽娟", "益阳市生态环境局", "益环罚〔2025〕3021号",
             dt.date(2025, 5, 20), 7000, signed_after=170)
    out.append(Packet("r04", "生态环境 (益阳), agent; 信用修复业务办理授权委托书; CCB receipt; itemised fine", c,
                      dt.date(2025, 12, 1), "agent", [
        Mat("环保处罚决定书.pdf", "penalty_decision", "D05", decision=D.env_yiyang(c, c.dn), fields=f_decision(c)),
        Mat("承诺书.pdf", "commitment_letter", "T01b", lambda cv, c=c: F.draw_commitment_58_prose(cv, c, {}), fields=f_commit(c)),
        Mat("授权委托书.pdf", "authorization_letter", "T06", lambda cv, c=c: F.draw_authorization_office(cv, c, {}),
            fields=f_auth(c, bidding=False)),
        Mat("建行回单.pdf", "payment_proof", "T08", lambda cv, c=c: F.draw_ccb_receipt(cv, c, {}), fields=f_pay(c)),
        agent_card(c, YIYANG), *common(c, YIYANG)]))

    # r05 人社 (咸宁) — legal rep; Alipay 电子回单 handed over as a PNG (OCR)
    c = case(XIANNING, 505, "咸宁市楚天电子科技有限公司", "胡海波", "吴静", "咸宁市人力资源和社会保障局",
             "咸人社监罚字〔2025〕17号", dt.date(2025, 7, 3), 3000, signed_after=160)
    out.append(Packet("r05", "人社 (咸宁), legal rep; 支付宝电子回单 as PNG", c, dt.date(2026, 1, 10),
                      "legal_representative", [
        Mat("人社处罚决定书.pdf", "penalty_decision", "D06", decision=D.hr_xianning(c, c.dn), fields=f_decision(c)),
        Mat("承诺书.pdf", "commitment_letter", "T01", lambda cv, c=c: F.draw_commitment_58(cv, c, {"ink": "black"}),
            fields=f_commit(c)),
        Mat("法定代表人身份证明书.pdf", "legal_rep_certificate", "T03",
            lambda cv, c=c: F.draw_legal_rep_cert_creditchina(cv, c, {}), fields=f_cert(c)),
        Mat("支付宝回单.png", "payment_proof", "T11", lambda cv, c=c: F.draw_alipay_receipt(cv, c, {}), media="scan",
            fields=f_pay(c)),
        *common(c, XIANNING)]))

    # r06 文旅 (涪陵) — legal rep; decision and 承诺书 SCANNED; warning + confiscation + fine
    c = case(FULING, 606, "重庆星河文化传播有限公司", "冉光明", "谭小红", "重庆市涪陵区文化和旅游发展委员会",
             "（涪）文综罚字〔2025〕61号", dt.date(2025, 8, 12), 10000, signed_after=150)
    items = [("103050101", "一般罚没收入（罚款）", 10000), ("103050102", "没收违法所得", 3200)]
    out.append(Packet("r06", "文旅 (涪陵), legal rep; scanned decision + 承诺书; fine plus confiscated income", c,
                      dt.date(2026, 2, 1), "legal_representative", [
        Mat("scan_0001.pdf", "penalty_decision", "D07", decision=D.culture_fuling(c, "(涪)文综罚字〔2025〕61号", 3200),
            media="scan", fields=f_decision(c)),
        Mat("IMG_20260115_093012.jpg", "commitment_letter", "T01", lambda cv, c=c: F.draw_commitment_58(cv, c, {}),
            media="scan", fields=f_commit(c)),
        Mat("法定代表人身份证明书.pdf", "legal_rep_certificate", "T03",
            lambda cv, c=c: F.draw_legal_rep_cert_creditchina(cv, c, {}), fields=f_cert(c)),
        Mat("罚没款缴款书.pdf", "payment_proof", "T09", lambda cv, c=c: F.draw_nontax_paper(cv, c, {"items": items}),
            fields=f_pay(c, paid=13200)),
        *common(c, FULING)]))

    # r07 税务 (厦门) — agent; bidding 授权委托书; ICBC receipt; no legal rep on the decision; 申请表 (extra)
    c = case(XIAMEN, 707, "厦门海晟供应链管理有限公司", "黄文斌", "郑晓丽", "国家税务总局厦门市税务局第一稽查局",
             "厦税一稽罚〔2025〕73号", dt.date(2025, 7, 16), 26480, signed_after=160)
    out.append(Packet("r07", "税务 (厦门), agent; addressee with 纳税人识别号; ICBC receipt; 申请表 (extra)", c,
                      dt.date(2026, 1, 20), "agent", [
        Mat("税务行政处罚决定书.pdf", "penalty_decision", "D08", decision=D.tax_xiamen(c, c.dn),
            fields=f_decision(c, rep=False)),
        Mat("承诺书.pdf", "commitment_letter", "T01", lambda cv, c=c: F.draw_commitment_58(cv, c, {}), fields=f_commit(c)),
        Mat("信用修复申请表.pdf", "application_form", "T02", lambda cv, c=c: F.draw_application_58(cv, c, {"sign": "scrawl"}),
            fields=f_app(c)),
        Mat("授权委托书.pdf", "authorization_letter", "T05", lambda cv, c=c: F.draw_authorization_bidding(cv, c, {}),
            fields=f_auth(c, bidding=True)),
        Mat("回单.pdf", "payment_proof", "T07", lambda cv, c=c: F.draw_icbc_receipt(cv, c, {}), fields=f_pay(c)),
        agent_card(c, XIAMEN), *common(c, XIAMEN)], extra_required=["application_form"]))

    # ---- one seeded real defect each
    c = case(NINGBO, 808, "宁波梅港国际物流有限公司", "应建明", "王丹", "中华人民共和国梅山海关",
             "甬梅关缉违字〔2025〕312号", dt.date(2025, 8, 27), 24000, signed_after=150)
    out.append(Packet("e08", "customs (梅山); 承诺书 left unsigned (the zone after 法定代表人（签字）： is blank)", c,
                      dt.date(2026, 2, 5), "legal_representative", [
        Mat("梅山海关决定书.pdf", "penalty_decision", "D02", decision=D.customs_meishan(c, c.dn), fields=f_decision(c)),
        Mat("信用修复承诺书.pdf", "commitment_letter", "T01", lambda cv, c=c: F.draw_commitment_58(cv, c, {"sign": ""}),
            fields=f_commit(c, signature="absent")),
        Mat("法定代表人身份证明书.pdf", "legal_rep_certificate", "T03",
            lambda cv, c=c: F.draw_legal_rep_cert_creditchina(cv, c, {}), fields=f_cert(c)),
        Mat("电子回单.pdf", "payment_proof", "T07", lambda cv, c=c: F.draw_icbc_receipt(cv, c, {}), fields=f_pay(c)),
        *common(c, NINGBO)], defects=[{"code": "SIGNATURE_MISSING", "kind": "commitment_letter"}]))

    c = case(ZHUZHOU, 909, "株洲华拓机械制造有限公司", "易红卫", "钟敏", "株洲市交通运输局", "株交处罚〔2025〕LK047号",
             dt.date(2025, 7, 2), 8000, signed_after=170)
    out.append(Packet("e09", "交通 (株洲); 法定代表人身份证明书 without the enterprise seal", c, dt.date(2026, 1, 25),
                      "legal_representative", [
        Mat("处罚决定书.pdf", "penalty_decision", "D04",
            decision=D.transport_zhuzhou(c, c.dn, "湘交运管许可株字430211002219号"), fields=f_decision(c)),
        Mat("承诺书.pdf", "commitment_letter", "T01b", lambda cv, c=c: F.draw_commitment_58_prose(cv, c, {}), fields=f_commit(c)),
        Mat("法定代表人身份证明书.pdf", "legal_rep_certificate", "T03",
            lambda cv, c=c: F.draw_legal_rep_cert_creditchina(cv, c, {"seal": False}), fields=f_cert(c, seal="absent")),
        Mat("缴款书.pdf", "payment_proof", "T10", lambda cv, c=c: F.draw_nontax_electronic(cv, c, {}), fields=f_pay(c)),
        *common(c, ZHUZHOU)], defects=[{"code": "SEAL_MISSING", "kind": "legal_rep_certificate"}]))

    c = case(TIANJIN, 1010, "天津港信冷链仓储有限公司", "刘建新", "马骏", "天津港保税区应急管理局",
             "（津保）应急罚〔2025〕k-63号", dt.date(2025, 9, 19), 25000, signed_after=150, sexes="男男")
    out.append(Packet("e10", "应急 (天津), agent; ICBC receipt paid 15,000 of a 25,000 fine", c, dt.date(2026, 3, 2), "agent", [
        Mat("决定书.pdf", "penalty_decision", "D03", decision=D.safety_tianjin(c, "(津保)应急罚[2025]k-63号"),
            fields=f_decision(c)),
        Mat("承诺书.pdf", "commitment_letter", "T01", lambda cv, c=c: F.draw_commitment_58(cv, c, {}), fields=f_commit(c)),
        Mat("授权委托书.pdf", "authorization_letter", "T06", lambda cv, c=c: F.draw_authorization_office(cv, c, {}),
            fields=f_auth(c, bidding=False)),
        Mat("工行回单.pdf", "payment_proof", "T07", lambda cv, c=c: F.draw_icbc_receipt(cv, c, {"paid": 15000}),
            fields=f_pay(c, paid=15000)),
        agent_card(c, TIANJIN), *common(c, TIANJIN)],
        defects=[{"code": "FINE_NOT_FULLY_PAID", "kind": "payment_proof"}]))

    c = case(YIYANG, 1111, "益阳金源新材料有限公司", "罗志刚", "夏雪", "益阳市生态环境局", "益环罚〔2025〕3058号",
             dt.date(2025, 6, 9), 7000, signed_after=160)
    wrong = "益环罚〔2025〕3085号"
    out.append(Packet("e11", "生态环境 (益阳); the 承诺书 restates another decision number (3085 for 3058)", c,
                      dt.date(2025, 12, 20), "legal_representative", [
        Mat("生态环境局决定书.pdf", "penalty_decision", "D05", decision=D.env_yiyang(c, c.dn), fields=f_decision(c)),
        Mat("承诺书.pdf", "commitment_letter", "T01", lambda cv, c=c: F.draw_commitment_58(cv, c, {"dn": wrong}),
            fields=f_commit(c, dn=wrong)),
        Mat("法定代表人身份证明书.pdf", "legal_rep_certificate", "T03",
            lambda cv, c=c: F.draw_legal_rep_cert_creditchina(cv, c, {}), fields=f_cert(c)),
        Mat("回单.pdf", "payment_proof", "T08", lambda cv, c=c: F.draw_ccb_receipt(cv, c, {}), fields=f_pay(c)),
        *common(c, YIYANG)], defects=[{"code": "DECISION_NUMBER_MISMATCH", "kind": "commitment_letter"}]))

    c = case(XIAMEN, 1212, "厦门兴嘉食品贸易有限公司", "苏建国", "洪小燕", "国家税务总局厦门市税务局第一稽查局",
             "厦税一稽罚〔2025〕91号", dt.date(2025, 8, 20), 13150, signed_after=150)
    out.append(Packet("e12", "税务 (厦门), agent; the agent's ID card is not in the packet", c, dt.date(2026, 2, 3), "agent", [
        Mat("税务处罚决定书.pdf", "penalty_decision", "D08", decision=D.tax_xiamen(c, c.dn), fields=f_decision(c, rep=False)),
        Mat("承诺书.pdf", "commitment_letter", "T01b", lambda cv, c=c: F.draw_commitment_58_prose(cv, c, {}), fields=f_commit(c)),
        Mat("授权委托书.pdf", "authorization_letter", "T05", lambda cv, c=c: F.draw_authorization_bidding(cv, c, {}),
            fields=f_auth(c, bidding=True)),
        Mat("回单.pdf", "payment_proof", "T07", lambda cv, c=c: F.draw_icbc_receipt(cv, c, {}), fields=f_pay(c)),
        *common(c, XIAMEN)], defects=[{"code": "MATERIAL_MISSING", "kind": "agent_id"}]))

    c = case(XIAMEN, 1313, "厦门东海岸进出口有限公司", "叶振华", "李梅", "中华人民共和国海沧海关",
             "海沧关缉违字〔2025〕164号", dt.date(2025, 11, 24), 12000, signed_after=60)
    out.append(Packet("e13", "customs (海沧); applied 2 months after the decision (minimum 3 months)", c,
                      dt.date(2026, 1, 26), "legal_representative", [
        Mat("海关决定书.pdf", "penalty_decision", "D01", decision=D.customs_haicang(c, c.dn), fields=f_decision(c)),
        Mat("承诺书.pdf", "commitment_letter", "T01", lambda cv, c=c: F.draw_commitment_58(cv, c, {}), fields=f_commit(c)),
        Mat("法定代表人身份证明书.pdf", "legal_rep_certificate", "T03",
            lambda cv, c=c: F.draw_legal_rep_cert_creditchina(cv, c, {}), fields=f_cert(c)),
        Mat("缴款书.pdf", "payment_proof", "T09", lambda cv, c=c: F.draw_nontax_paper(cv, c, {}), fields=f_pay(c)),
        *common(c, XIAMEN)], defects=[{"code": "NOT_YET_ELIGIBLE", "kind": None}]))

    # r08 应急 (天津) — everything an agent brings as scans and phone photos: the ICBC receipt scanned (merged
    # 付款人 cell under OCR), the bidding 授权委托书 photographed (both names signed inline), the licence
    # photographed (spaced title), the decision scanned (落款 date in Chinese numerals under the seal)
    c = case(TIANJIN, 1414, "天津滨海鼎盛包装材料有限公司", "韩立军", "陶然", "天津港保税区应急管理局",
             "（津保）应急罚〔2025〕k-71号", dt.date(2025, 10, 9), 20000, signed_after=140)
    out.append(Packet("r08", "应急 (天津), agent; scanned decision + ICBC receipt, photographed 授权委托书 and licence", c,
                      dt.date(2026, 3, 10), "agent", [
        Mat("扫描全能王 2026-02-26 10.15.pdf", "penalty_decision", "D03",
            decision=D.safety_tianjin(c, "(津保)应急罚[2025]k-71号"), media="scan", fields=f_decision(c)),
        Mat("承诺书.pdf", "commitment_letter", "T01", lambda cv, c=c: F.draw_commitment_58(cv, c, {}), fields=f_commit(c)),
        Mat("微信图片_20260226101733.jpg", "authorization_letter", "T05",
            lambda cv, c=c: F.draw_authorization_bidding(cv, c, {}), media="photo", fields=f_auth(c, bidding=True)),
        Mat("回单扫描.pdf", "payment_proof", "T07", lambda cv, c=c: F.draw_icbc_receipt(cv, c, {}), media="scan",
            fields=f_pay(c)),
        Mat("IMG_0412.jpg", "business_license", "T12", lambda cv, c=c: F.draw_licence_2015(cv, c, {}), media="photo",
            fields=f_licence(c)),
        agent_card(c, TIANJIN),
        Mat("法人身份证.pdf", "legal_rep_id", "T13",
            lambda cv, c=c: F.draw_id_card(cv, c.rep, c.rep_id, c.rep_sex, f"{TIANJIN.street}52号", TIANJIN.issuer),
            fields=f_id(c.rep, c.rep_id))]))

    # e14 人社 (咸宁) — the 承诺书 scanned IN COLOUR without the enterprise seal (the other pages show red seals)
    c = case(XIANNING, 1515, "咸宁市九宫山茶业有限公司", "潘德胜", "余芳", "咸宁市人力资源和社会保障局",
             "咸人社监罚字〔2025〕29号", dt.date(2025, 8, 14), 4500, signed_after=150)
    out.append(Packet("e14", "人社 (咸宁); the 承诺书, scanned in colour, carries no seal", c, dt.date(2026, 2, 12),
                      "legal_representative", [
        Mat("人社局决定书.pdf", "penalty_decision", "D06", decision=D.hr_xianning(c, c.dn), fields=f_decision(c)),
        Mat("承诺书扫描件.pdf", "commitment_letter", "T01",
            lambda cv, c=c: F.draw_commitment_58(cv, c, {"seal": False}), media="scan",
            fields=f_commit(c, seal="absent")),
        Mat("法定代表人身份证明书.pdf", "legal_rep_certificate", "T03",
            lambda cv, c=c: F.draw_legal_rep_cert_creditchina(cv, c, {}), fields=f_cert(c)),
        Mat("缴款书.pdf", "payment_proof", "T09", lambda cv, c=c: F.draw_nontax_paper(cv, c, {}), fields=f_pay(c)),
        *common(c, XIANNING)], defects=[{"code": "SEAL_MISSING", "kind": "commitment_letter"}]))

    # e15 海关 (海沧) — the decision SCANNED (落款 date under the customs seal), applied too early; the prose
    # 承诺书 restates the decision date, so the date is vouched for by a second material
    c = case(XIAMEN, 1616, "厦门嘉禾源食品进出口有限公司", "许明辉", "蔡佳", "中华人民共和国海沧海关",
             "海沧关缉违字〔2025〕187号", dt.date(2025, 12, 18), 30000, paid_after=6, signed_after=45)
    out.append(Packet("e15", "customs (海沧), decision scanned; applied 45 days after it; 承诺书 restates the date", c,
                      dt.date(2026, 2, 3), "legal_representative", [
        Mat("海关处罚决定书扫描.pdf", "penalty_decision", "D01", decision=D.customs_haicang(c, c.dn), media="scan",
            fields=f_decision(c)),
        Mat("承诺书.pdf", "commitment_letter", "T01b", lambda cv, c=c: F.draw_commitment_58_prose(cv, c, {}),
            fields=f_commit(c)),
        Mat("法定代表人身份证明书.pdf", "legal_rep_certificate", "T03",
            lambda cv, c=c: F.draw_legal_rep_cert_creditchina(cv, c, {}), fields=f_cert(c)),
        Mat("缴款书.pdf", "payment_proof", "T09", lambda cv, c=c: F.draw_nontax_paper(cv, c, {}), fields=f_pay(c)),
        *common(c, XIAMEN)], defects=[{"code": "NOT_YET_ELIGIBLE", "kind": None}]))
    return out


# ------------------------------------------------------------------ writing
def _form_pdf(draw: Callable[[Canvas], None]) -> bytes:
    buf = io.BytesIO()
    cv = Canvas(buf, pagesize=A4, invariant=1)
    draw(cv)
    cv.showPage()
    cv.save()
    return buf.getvalue()


def _decision_pdf(doc: dict, tmp: Path) -> bytes:
    render(doc, {}, tmp)  # the project's real-document renderer (reportlab, letterhead, 落款 with seal)
    return tmp.read_bytes()


def scan(pdf: bytes, suffix: str, seed: int, angle: float = 0.6, dpi: int = 150) -> tuple[bytes, int]:
    """Print and scan: rendered, tinted, rotated slightly, noised, JPEG-compressed; (bytes, pages).

    Like tests/realdocs/render.scan, but deterministic bytes (image PDFs carry fixed dates) and PNG too."""
    import numpy as np
    import pypdfium2 as pdfium
    from PIL import Image, ImageFilter

    rng = random.Random(seed)
    nrng = np.random.default_rng(seed)
    doc = pdfium.PdfDocument(pdf)
    images = []
    try:
        for i in range(len(doc)):
            img = doc[i].render(scale=dpi / 72).to_pil().convert("RGB")
            img = img.rotate(angle * rng.choice([-1, 1]), resample=Image.BICUBIC, expand=False, fillcolor=(250, 249, 244))
            arr = np.asarray(img).astype(np.float32) * np.array([0.97, 0.96, 0.93]) + 6
            arr += nrng.normal(0, 6, arr.shape[:2])[..., None]
            img = Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8)).filter(ImageFilter.GaussianBlur(0.45))
            b = io.BytesIO()
            img.save(b, "JPEG", quality=70)
            images.append(Image.open(io.BytesIO(b.getvalue())))
    finally:
        doc.close()
    out = io.BytesIO()
    if suffix in (".jpg", ".jpeg"):
        images[0].save(out, "JPEG", quality=75)
    elif suffix == ".png":
        images[0].save(out, "PNG")
    else:
        images[0].save(out, "PDF", resolution=dpi, save_all=True, append_images=images[1:],
                       creationDate=FIXED, modDate=FIXED)
    return out.getvalue(), len(images)


def photo(pdf: bytes, seed: int, dpi: int = 130) -> tuple[bytes, int]:
    """A phone photo of the first page: perspective (the phone held at a slant), light falling off across the
    sheet, a desk around it, sensor noise, JPEG."""
    import numpy as np
    import pypdfium2 as pdfium
    from PIL import Image

    rng = random.Random(seed)
    nrng = np.random.default_rng(seed)
    doc = pdfium.PdfDocument(pdf)
    try:
        page = doc[0].render(scale=dpi / 72).to_pil().convert("RGB")
    finally:
        doc.close()
    w, h = page.size
    pad = int(w * 0.08)
    desk = Image.new("RGB", (w + 2 * pad, h + 2 * pad), (92, 78, 64))
    desk.paste(page, (pad, pad))
    W2, H2 = desk.size
    j = [rng.uniform(0.0, 0.05) * W2 for _ in range(8)]
    # QUAD maps the output's corners to these source points: the sheet appears as a trapezoid
    quad = (j[0], j[1], j[2], H2 - j[3], W2 - j[4], H2 - j[5], W2 - j[6], j[7])
    img = desk.transform((W2, H2), Image.QUAD, quad, resample=Image.BICUBIC)
    arr = np.asarray(img).astype(np.float32)
    yy, xx = np.mgrid[0:H2, 0:W2]
    light = 1.0 - 0.22 * (xx / W2) - 0.12 * (yy / H2) + 0.05 * np.sin(yy / H2 * 3.1)
    arr = arr * light[..., None] * np.array([1.0, 0.98, 0.93])
    arr += nrng.normal(0, 5, arr.shape[:2])[..., None]
    out = io.BytesIO()
    Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8)).save(out, "JPEG", quality=80)
    return out.getvalue(), 1


def _pages(pdf: bytes) -> int:
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(pdf)
    try:
        return len(doc)
    finally:
        doc.close()


def build(p: Packet, root: Path) -> Path:
    """root/<id>/packet/ with the files and case.json, root/<id>/expected.json; returns the packet folder."""
    base = root / p.id
    packet = base / "packet"
    packet.mkdir(parents=True, exist_ok=True)
    # the office's additions always stated: these packets model offices that ask nothing besides the platform's
    # list unless the packet says so (without the key the class default of materials.toml would apply)
    case_json: dict = {"record_severity": p.severity, "applicant": p.applicant, "extra_required": p.extra_required}
    (packet / "case.json").write_text(json.dumps(case_json, ensure_ascii=False), encoding="utf-8")
    truth = []
    for i, m in enumerate(p.materials):
        pdf = _decision_pdf(m.decision, base / f".src{i}.pdf") if m.decision is not None else _form_pdf(m.draw)  # type: ignore[arg-type]
        suffix = Path(m.path).suffix.lower()
        if m.media == "text":
            data, pages = pdf, _pages(pdf)
        elif m.media == "photo":
            data, pages = photo(pdf, seed=1000 * int(p.id[1:]) + i)
        else:
            data, pages = scan(pdf, suffix, seed=1000 * int(p.id[1:]) + i)
        (packet / m.path).write_bytes(data)
        truth.append({"kind": m.kind, "media": m.media, "template": m.template, "fields": m.fields, "path": m.path,
                      "pages": list(range(1, pages + 1))})
    for tmp in base.glob(".src*.pdf"):
        tmp.unlink()
    expected = {"packet_id": p.id, "as_of": p.as_of.isoformat(), "record_severity": p.severity,
                "applicant": p.applicant, "ready": p.ready, "defects": p.defects, "materials": truth, "public": False,
                "note": p.note}
    (base / "expected.json").write_text(json.dumps(expected, ensure_ascii=False, indent=1), encoding="utf-8")
    return packet


def build_all(root: Path, only: set[str] | None = None) -> list[Path]:
    return [build(p, root) for p in packets() if not only or p.id in only]


def with_case(p: Packet, **kw) -> Packet:
    return replace(p, case=replace(p.case, **kw))
