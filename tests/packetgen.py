"""Generate realistic packets for tests: every material in several layouts, with seeded defects.

Pages are drawn with reportlab and the bundled CJK font; seals are red rings with a star and the
unit's name, signatures are ink curves.  Facts are random but valid (USCC and ID checksums hold).
"""
from __future__ import annotations

import datetime as dt
import json
import math
import random
from dataclasses import dataclass, field, replace
from pathlib import Path

from reportlab.lib.colors import Color, black
from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from xinyong_desktop.domain.identifiers import USCC_ALPHABET, id_check_char, uscc_check_char
from xinyong_desktop.resources import font_path

FONT = "WQY"
_registered = False


def _font() -> str:
    global _registered
    if not _registered:
        pdfmetrics.registerFont(TTFont(FONT, str(font_path())))
        _registered = True
    return FONT


RED = Color(0.86, 0.1, 0.12)
W, H = A4

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华建国振华美玲宏伟春梅晓明立新德明浩然志强海燕晓东"
TRADE = ["青枫", "汇川", "瑞丰", "龙城", "天宁", "恒达", "金坛", "新北", "武进", "溧阳", "鑫源", "华晟", "科达", "远航"]
INDUSTRY = ["物流", "化工", "纺织", "装饰工程", "机械制造", "环保科技", "食品", "电子", "建材", "贸易"]
FORMS = ["有限公司", "有限责任公司", "股份有限公司"]
AUTHORITIES = [("常州市市场监督管理局", "常市监处罚"), ("常州市应急管理局", "常应急罚"), ("常州市消防救援支队", "常消行罚决字"),
               ("常州市生态环境局", "常环行罚"), ("国家税务总局常州市税务局稽查局", "常税稽罚")]


def make_uscc(rng: random.Random) -> str:
    body = "9" + "1" + "3204" + rng.choice("0123") + rng.choice("0123456789") + "".join(
        rng.choice(USCC_ALPHABET) for _ in range(9))
    return body + uscc_check_char(body)


def make_id(rng: random.Random, birth: dt.date | None = None) -> str:
    birth = birth or dt.date(rng.randint(1960, 1998), rng.randint(1, 12), rng.randint(1, 28))
    body = rng.choice(["320402", "320404", "320411", "320412", "320413", "320481", "320482"]) + birth.strftime("%Y%m%d") + f"{rng.randint(0, 999):03d}"
    return body + id_check_char(body)


def person(rng: random.Random) -> str:
    given = rng.choice([GIVEN[i:i + 2] for i in range(0, len(GIVEN) - 1, 2)] + list(GIVEN[:20]))
    return rng.choice(SURNAMES) + given


@dataclass
class Facts:
    name: str
    uscc: str
    rep: str
    rep_id: str
    agent: str
    agent_id: str
    authority: str
    decision_number: str
    decision_date: dt.date
    fine: int
    signed_date: dt.date
    paid_date: dt.date
    phone: str
    address: str = "常州市天宁区通江中路88号"

    @classmethod
    def random(cls, seed: int, decision_date: dt.date | None = None, signed_date: dt.date | None = None) -> Facts:
        rng = random.Random(seed)
        auth, abbr = rng.choice(AUTHORITIES)
        dd = decision_date or dt.date(2024, rng.randint(1, 12), rng.randint(1, 28))
        rep, agent = person(rng), person(rng)
        while agent == rep:
            agent = person(rng)
        return cls(
            name=f"常州市{rng.choice(TRADE)}{rng.choice(INDUSTRY)}{rng.choice(FORMS)}",
            uscc=make_uscc(rng), rep=rep, rep_id=make_id(rng), agent=agent, agent_id=make_id(rng),
            authority=auth, decision_number=f"{abbr}〔{dd.year}〕{rng.randint(1, 999)}号", decision_date=dd,
            fine=rng.choice([2000, 5000, 12000, 30000, 100000]),
            signed_date=signed_date or dd + dt.timedelta(days=rng.randint(200, 330)),
            paid_date=dd + dt.timedelta(days=rng.randint(2, 14)), phone=f"1{rng.choice('3589')}{rng.randint(100000000, 999999999)}",
        )


CN_NUM = "零壹贰叁肆伍陆柒捌玖"


def amount_words(n: int) -> str:
    """Upper-case amount for whole yuan below 1 亿, e.g. 12000 → 壹万贰仟元整."""
    def four(x: int) -> str:
        out, zero = "", False
        for unit, div in (("仟", 1000), ("佰", 100), ("拾", 10), ("", 1)):
            d = x // div % 10
            if d:
                if zero and out:
                    out += "零"
                out += CN_NUM[d] + unit
                zero = False
            else:
                zero = True
        return out
    wan, rest = divmod(n, 10000)
    s = (four(wan) + "万" if wan else "") + (("零" if wan and rest < 1000 and rest else "") + four(rest) if rest else "")
    return s + "元整"


def date_text(d: dt.date, style: str) -> str:
    if style == "iso":
        return d.isoformat()
    if style == "dot":
        return f"{d.year}.{d.month}.{d.day}"
    if style == "cn":
        digits = "〇一二三四五六七八九"

        def small(n: int) -> str:
            if n < 10:
                return digits[n]
            return ("" if n // 10 == 1 else digits[n // 10]) + "十" + (digits[n % 10] if n % 10 else "")
        return "".join(digits[int(c)] for c in str(d.year)) + f"年{small(d.month)}月{small(d.day)}日"
    return f"{d.year}年{d.month}月{d.day}日"


# ------------------------------------------------------------------ drawing helpers
class Page:
    def __init__(self, c: Canvas):
        self.c = c
        self.y = H - 80

    def title(self, text: str, size: int = 20) -> None:
        self.c.setFont(_font(), size)
        self.c.drawCentredString(W / 2, self.y, text)
        self.y -= size + 22

    def line(self, text: str, x: float = 72, size: int = 12, gap: float = 8) -> None:
        self.c.setFont(_font(), size)
        self.c.drawString(x, self.y, text)
        self.y -= size + gap

    def para(self, text: str, size: int = 12, indent: bool = True) -> None:
        per = int((W - 144) // size)
        text = ("\u3000\u3000" if indent else "") + text
        for i in range(0, len(text), per):
            self.line(text[i:i + per], size=size, gap=7)

    def table(self, rows: list[tuple[str, str]], col: float = 160, size: int = 11, height: float = 26) -> None:
        x0, x1 = 72, W - 72
        self.c.setFont(_font(), size)
        top = self.y + size + 6
        for i, (k, v) in enumerate(rows):
            y = top - (i + 1) * height
            self.c.rect(x0, y, x1 - x0, height)
            self.c.line(x0 + col, y, x0 + col, y + height)
            self.c.drawString(x0 + 6, y + 8, k)
            self.c.drawString(x0 + col + 6, y + 8, v)
        self.y = top - len(rows) * height - 24

    def seal(self, name: str, cx: float, cy: float, r: float = 42, color: Color = RED) -> None:
        c = self.c
        c.saveState()
        c.setStrokeColor(color)
        c.setFillColor(color)
        c.setLineWidth(2.2)
        c.circle(cx, cy, r)
        pts = []
        for k in range(10):
            rad = r * (0.32 if k % 2 == 0 else 0.13)
            a = math.pi / 2 + k * math.pi / 5
            pts.append((cx + rad * math.cos(a), cy + rad * math.sin(a)))
        p = c.beginPath()
        p.moveTo(*pts[0])
        for q in pts[1:]:
            p.lineTo(*q)
        p.close()
        c.drawPath(p, fill=1, stroke=0)
        c.setFont(_font(), 10)
        n = len(name)
        span = math.radians(240)
        for i, ch in enumerate(name):
            a = math.radians(210) - span * i / max(n - 1, 1)
            c.saveState()
            c.translate(cx + (r - 11) * math.cos(a), cy + (r - 11) * math.sin(a))
            c.rotate(math.degrees(a) - 90)
            c.drawCentredString(0, -4, ch)
            c.restoreState()
        c.restoreState()

    def signature(self, x: float, y: float, rng: random.Random) -> None:
        c = self.c
        c.saveState()
        c.setStrokeColor(black)
        c.setLineWidth(1.6)
        p = c.beginPath()
        p.moveTo(x, y)
        for k in range(5):
            p.curveTo(x + 12 * k + 6, y + rng.uniform(8, 16), x + 12 * k + 10, y - rng.uniform(6, 12), x + 12 * (k + 1), y + rng.uniform(-3, 3))
        c.drawPath(p)
        c.restoreState()


# ------------------------------------------------------------------ materials
@dataclass
class Spec:
    """One material to draw: kind, layout variant, the facts it shows, and what to leave off."""

    kind: str
    layout: int = 0
    facts: Facts | None = None
    seal: bool = True
    signature: bool = True
    seal_name: str | None = None
    extra: dict = field(default_factory=dict)


def _sign_block(pg: Page, f: Facts, spec: Spec, rng: random.Random, unit_label: str, person_label: str, date_style: str) -> None:
    pg.y -= 10
    pg.line(f"{unit_label}（盖章）：", x=300)
    seal_y = pg.y + 20
    pg.line(f"{person_label}（签字）：", x=300)
    if spec.signature:
        pg.signature(430, pg.y + 22, rng)
    pg.line(date_text(f.signed_date, date_style), x=340)
    if spec.seal:
        pg.seal(spec.seal_name or f.name, 420, seal_y)


def draw_application(pg: Page, f: Facts, spec: Spec, rng: random.Random) -> None:
    ds = ["iso", "cn_num", "dot"][spec.layout % 3]
    pg.title("信用修复申请书")
    rows = [("申请单位名称", f.name), ("统一社会信用代码", f.uscc), ("法定代表人", f.rep), ("联系电话", f.phone),
            ("行政处罚决定书文号", spec.extra.get("dn_text", f.decision_number)), ("处罚机关", f.authority),
            ("处罚决定日期", date_text(f.decision_date, ds)), ("处罚内容", f"罚款{f.fine:,}元"),
            ("履行及整改情况", "已按处罚决定书要求全额缴纳罚款，违法行为已整改完毕。")]
    if spec.layout == 1:
        for k, v in rows:
            pg.line(f"{k}：{v}")
    else:
        pg.table(rows)
    pg.para("本单位已全面履行行政处罚决定所确定的义务，并已主动纠正失信行为，现申请对上述行政处罚信息进行信用修复。")
    _sign_block(pg, f, spec, rng, "申请单位", "法定代表人", ds)


def draw_commitment(pg: Page, f: Facts, spec: Spec, rng: random.Random) -> None:
    ds = ["cn_num", "iso", "cn"][spec.layout % 3]
    pg.title("信用修复承诺书")
    pg.para(f"本单位{f.name}（统一社会信用代码：{f.uscc}），因违法行为，于{date_text(f.decision_date, ds)}受到"
            f"{f.authority}行政处罚（处罚决定书文号：{spec.extra.get('dn_text', f.decision_number)}）。现就申请信用修复郑重承诺如下：")
    for t in ["一、所提交的信用修复申请材料真实、准确、完整、有效；", "二、已全面履行行政处罚决定所确定的法定义务，失信行为已纠正；",
              "三、严格遵守法律法规，诚信经营，自觉接受社会监督；", "四、如违背上述承诺，自愿接受撤销信用修复等措施。"]:
        pg.para(t)
    _sign_block(pg, f, spec, rng, "承诺单位", "法定代表人", ds)


def draw_decision(pg: Page, f: Facts, spec: Spec, rng: random.Random) -> None:
    ds = ["cn_num", "cn", "iso"][spec.layout % 3]
    c = pg.c
    c.setFillColor(RED)
    pg.title(f.authority, size=18)
    c.setFillColor(black)
    pg.title("行政处罚决定书", size=20)
    pg.line(f.decision_number, x=W / 2 - 60)
    if spec.layout == 1:
        pg.table([("当事人", f.name), ("统一社会信用代码", f.uscc), ("法定代表人", f.rep), ("住所", f.address)])
    else:
        for t in (f"当事人：{f.name}", f"统一社会信用代码：{f.uscc}", f"住所：{f.address}", f"法定代表人：{f.rep}"):
            pg.line(t)
    opened = f.decision_date - dt.timedelta(days=40)
    pg.para(f"本机关于{date_text(opened, 'cn_num')}对当事人涉嫌违法一案立案调查。经查，当事人存在违法行为，事实清楚，证据确凿。")
    pg.para(f"依据相关法律规定，本机关决定对当事人作出如下行政处罚：1．责令改正违法行为；2．罚款人民币{f.fine:,}元（{amount_words(f.fine)}）。")
    pg.para("当事人应当自收到本决定书之日起十五日内缴纳罚款。逾期不缴纳罚款的，本机关可以每日按罚款数额的百分之三加处罚款。")
    pg.para("当事人如不服本处罚决定，可以在收到本决定书之日起六十日内依法申请行政复议，或者在六个月内依法向人民法院提起行政诉讼。")
    pg.y -= 20
    pg.line(f.authority, x=340)
    pg.line(date_text(f.decision_date, ds), x=360)
    pg.seal(f.authority, 410, pg.y + 40)


def draw_payment(pg: Page, f: Facts, spec: Spec, rng: random.Random) -> None:
    payer = spec.extra.get("payer", f.name)
    amount = spec.extra.get("paid", f.fine)
    words = spec.extra.get("words", amount_words(amount))
    if spec.layout == 1:
        pg.title("中国工商银行网上银行电子回单", size=16)
        pg.table([("付款人户名", payer), ("付款账号", "1105 0201 0900 1234 567"), ("收款人户名", "常州市财政局"),
                  ("交易金额", f"¥{amount:,.2f}"), ("金额大写", words), ("交易日期", f.paid_date.strftime("%Y-%m-%d")),
                  ("用途", f"罚款 {f.decision_number}")])
    else:
        pg.title("江苏省非税收入一般缴款书（电子）", size=16)
        pg.line(f"票据号码：{rng.randint(10**9, 10**10 - 1)}        填制日期：{date_text(f.paid_date, 'cn_num')}", size=10)
        pg.table([("缴款人全称", payer), ("执收单位名称", f.authority), ("项目名称", "罚没收入"),
                  ("金额（小写）", f"{amount:,.2f}"), ("金额（大写）", f"人民币{words}")], size=10)
    pg.seal("中国工商银行常州分行业务专用章", 420, pg.y - 10, r=36)


def draw_license(pg: Page, f: Facts, spec: Spec, rng: random.Random) -> None:
    pg.title("营 业 执 照", size=24)
    pg.line("（副 本）", x=W / 2 - 24)
    for k, v in (("统一社会信用代码", f.uscc), ("名    称", f.name), ("类    型", "有限责任公司（自然人投资或控股）"),
                 ("法定代表人", f.rep), ("注册资本", "500万元人民币"), ("成立日期", "2010年5月6日"), ("住    所", f.address)):
        pg.line(f"{k}      {v}")
    pg.y -= 30
    pg.line("登记机关", x=360)
    pg.seal("常州市市场监督管理局", 440, pg.y + 10)


def draw_certificate(pg: Page, f: Facts, spec: Spec, rng: random.Random) -> None:
    pg.title("法定代表人身份证明书")
    if spec.layout == 1:
        pg.para(f"兹证明{f.rep}同志，身份证号码：{f.rep_id}，现任我单位执行董事，系{f.name}（统一社会信用代码：{f.uscc}）的法定代表人。")
    else:
        pg.para(f"{f.rep}（身份证号码：{f.rep_id}）在我单位任执行董事兼总经理职务，系{f.name}（统一社会信用代码：{f.uscc}）的法定代表人。", indent=False)
    pg.para("特此证明。")
    pg.y -= 20
    pg.line("单位（盖章）：", x=300)
    seal_y = pg.y + 20
    pg.line(date_text(f.signed_date, "cn_num"), x=340)
    if spec.seal:
        pg.seal(spec.seal_name or f.name, 410, seal_y)


def draw_id_card(pg: Page, f: Facts, spec: Spec, rng: random.Random) -> None:
    name, number = spec.extra.get("id_name"), spec.extra.get("id_number")
    c = pg.c
    c.roundRect(110, H - 330, 300, 190, 10)
    x, y = 125, H - 170
    for t in (f"姓名  {name}", "性别  男    民族  汉", f"出生  {number[6:10]} 年 {int(number[10:12])} 月 {int(number[12:14])} 日",
              "住址  江苏省常州市天宁区"):
        c.setFont(_font(), 10)
        c.drawString(x, y, t)
        y -= 24
    c.drawString(x, H - 310, f"公民身份号码  {number}")
    c.roundRect(110, H - 570, 300, 190, 10)
    c.setFont(_font(), 13)
    c.drawCentredString(260, H - 430, "中华人民共和国")
    c.drawCentredString(260, H - 452, "居民身份证")
    c.setFont(_font(), 9)
    c.drawString(125, H - 520, "签发机关  常州市公安局天宁分局")
    c.drawString(125, H - 540, "有效期限  2015.03.12-2035.03.12")


def draw_authorization(pg: Page, f: Facts, spec: Spec, rng: random.Random) -> None:
    agent = spec.extra.get("agent", f.agent)
    pg.title("授权委托书")
    for t in (f"委托单位：{f.name}", f"统一社会信用代码：{f.uscc}", f"法定代表人：{f.rep}", f"受托人：{agent}",
              f"身份证号码：{spec.extra.get('agent_id', f.agent_id)}"):
        pg.line(t)
    pg.para(f"现委托上述受托人作为我单位代理人，办理{f.decision_number}行政处罚信息的信用修复申请事宜。委托期限：自签署之日起三个月。")
    _sign_block(pg, f, spec, rng, "委托单位", "法定代表人", "cn_num")


def draw_report(pg: Page, f: Facts, spec: Spec, rng: random.Random) -> None:
    pg.title("整改报告")
    pg.para(f"{f.name}（统一社会信用代码：{f.uscc}）于{date_text(f.decision_date, 'cn_num')}因违法行为受到{f.authority}行政处罚"
            f"（{f.decision_number}）。本单位高度重视，已全面整改：一是完善管理制度；二是开展全员培训；三是落实整改措施并经复查合格。")
    pg.y -= 20
    pg.line("报告单位（盖章）：", x=300)
    seal_y = pg.y + 20
    pg.line(date_text(f.signed_date, "cn_num"), x=340)
    if spec.seal:
        pg.seal(spec.seal_name or f.name, 410, seal_y)


DRAW = {
    "application_form": draw_application, "commitment_letter": draw_commitment, "penalty_decision": draw_decision,
    "payment_proof": draw_payment, "business_license": draw_license, "legal_rep_certificate": draw_certificate,
    "legal_rep_id": draw_id_card, "agent_id": draw_id_card, "authorization_letter": draw_authorization,
    "rectification_report": draw_report,
}


def draw_pdf(path: Path, specs: list[Spec], base: Facts, seed: int = 0) -> None:
    """One PDF holding the given materials, one page each."""
    rng = random.Random(seed)
    c = Canvas(str(path), pagesize=A4)
    for spec in specs:
        f = spec.facts or base
        if spec.kind == "legal_rep_id":
            spec.extra.setdefault("id_name", f.rep)
            spec.extra.setdefault("id_number", f.rep_id)
        if spec.kind == "agent_id":
            spec.extra.setdefault("id_name", f.agent)
            spec.extra.setdefault("id_number", f.agent_id)
        DRAW[spec.kind](Page(c), f, spec, rng)
        c.showPage()
    c.save()


FILE_NAMES = {
    "application_form": "01申请书.pdf", "commitment_letter": "02承诺书.pdf", "penalty_decision": "scan0012.pdf",
    "payment_proof": "电子回单.pdf", "business_license": "IMG_2041.pdf", "legal_rep_certificate": "法定代表人身份证明书.pdf",
    "legal_rep_id": "身份证.pdf", "agent_id": "经办人/身份证复印件.pdf", "authorization_letter": "委托书.pdf",
    "rectification_report": "整改报告.pdf",
}


def kinds_for(severity: str, applicant: str) -> list[str]:
    ks = ["penalty_decision", "application_form", "commitment_letter", "payment_proof", "business_license", "legal_rep_id"]
    if severity == "serious":
        ks.append("rectification_report")
    if applicant == "agent":
        ks += ["authorization_letter", "agent_id"]
    else:
        ks.append("legal_rep_certificate")
    return ks


def write_packet(root: Path, facts: Facts, severity: str = "general", applicant: str = "legal_representative",
                 specs: dict[str, Spec] | None = None, omit: tuple[str, ...] = (), layout: int = 0, seed: int = 0) -> Path:
    """A whole packet folder with case.json; `specs` overrides single materials (defects)."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "case.json").write_text(json.dumps({"record_severity": severity, "applicant": applicant}), encoding="utf-8")
    for i, kind in enumerate(kinds_for(severity, applicant)):
        if kind in omit:
            continue
        spec = (specs or {}).get(kind) or Spec(kind, layout=(layout + i) % 3)
        out = root / FILE_NAMES[kind]
        out.parent.mkdir(parents=True, exist_ok=True)
        draw_pdf(out, [spec], facts, seed + i)
    return root


def with_facts(f: Facts, **kw) -> Facts:
    return replace(f, **kw)
