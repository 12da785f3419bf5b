"""The real public templates, drawn with reportlab as an enterprise fills them in (see PROVENANCE.md).

Each ``draw_*`` function draws one page of one template onto a canvas, filled with the fictional facts of a
case (``Case``).  Template ids (T01…) are those of PROVENANCE.md, where each one's source and what was taken
from it (title, labels, wording, layout) is recorded.  ``opts`` switches the seeded defects and variants:
  sign        "name" | "scrawl" | "" (left blank: the seeded unsigned form)
  seal        True | False (False: the seeded missing seal)
  dn          the decision number the form restates (default the case's; the seeded wrong number)
  paid        the amount on a receipt (default the fine; the seeded underpayment)
"""
from __future__ import annotations

import datetime as dt
import zlib
from dataclasses import dataclass

from reportlab.lib.colors import Color, black
from reportlab.lib.pagesizes import A4
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from tests.packetgen import RED, _font, amount_words, date_text
from tests.realtemplates.ink import elliptic_stamp, seal, sign_inline, square_stamp

W, H = A4
GREY = Color(0.35, 0.35, 0.35)


@dataclass
class Case:
    """One fictional enterprise and its penalty record (valid USCC / ID check characters)."""

    name: str
    uscc: str
    rep: str
    rep_id: str
    rep_sex: str
    agent: str
    agent_id: str
    agent_sex: str
    address: str
    phone: str
    authority: str          # as printed in the decision's 落款
    dn: str                 # decision number, contract-normalised (〔〕)
    decision_date: dt.date
    fine: int               # the fine (罚款) alone
    paid_date: dt.date
    signed_date: dt.date
    founded: dt.date
    city: str               # 厦门市 …: the finance bureau and banks of the receipts
    province: str           # 福建省 …: the 非税收入 form's title
    reg_authority: str      # licence 登记机关
    capital: str = "500万元人民币"
    kind_of_company: str = "有限责任公司（自然人投资或控股）"
    business: str = "一般项目：货物进出口；技术进出口；国内贸易代理；五金产品批发。（除依法须经批准的项目外，凭营业执照依法自主开展经营活动）"
    account: str = "3502 2010 0901 0012 345"
    bank: str = "中国工商银行股份有限公司厦门海沧支行"

    @property
    def age(self) -> int:
        born = dt.date(int(self.rep_id[6:10]), int(self.rep_id[10:12]), int(self.rep_id[12:14]))
        return (self.signed_date - born).days // 365


# ------------------------------------------------------------------ drawing primitives
class Sheet:
    """A page with a y cursor, in points from the bottom (reportlab)."""

    LEFT = 72.0
    RIGHT = W - 72.0

    def __init__(self, c: Canvas, top: float = H - 80):
        self.c = c
        self.y = top

    def text(self, s: str, x: float, y: float, size: float = 12, color: Color = black, font: str | None = None) -> float:
        self.c.setFillColor(color)
        self.c.setFont(font or _font(), size)
        self.c.drawString(x, y, s)
        self.c.setFillColor(black)
        return x + stringWidth(s, font or _font(), size)

    def centre(self, s: str, size: float = 20, gap: float = 20, color: Color = black) -> None:
        self.c.setFillColor(color)
        self.c.setFont(_font(), size)
        self.c.drawCentredString(W / 2, self.y, s)
        self.c.setFillColor(black)
        self.y -= size + gap

    def line(self, s: str, x: float | None = None, size: float = 12, gap: float = 10) -> float:
        end = self.text(s, self.LEFT if x is None else x, self.y, size)
        self.y -= size + gap
        return end

    def wrap(self, s: str, size: float = 12, indent: int = 2, width: float | None = None) -> list[str]:
        width = width or (self.RIGHT - self.LEFT)
        out, cur = [], "\u3000" * indent
        for ch in s:
            if stringWidth(cur + ch, _font(), size) > width and cur.strip():
                if ch in "，。、；：）》”" and cur:
                    out.append(cur[:-1])
                    cur = cur[-1]
                else:
                    out.append(cur)
                    cur = ""
            cur += ch
        if cur.strip():
            out.append(cur)
        return out

    def para(self, s: str, size: float = 12, indent: int = 2, lead: float = 22) -> None:
        for ln in self.wrap(s, size, indent):
            self.text(ln, self.LEFT, self.y, size)
            self.y -= lead

    def cell(self, x: float, top: float, w: float, h: float, s: str = "", size: float = 11,
             align: str = "left", valign: str = "middle") -> None:
        """A ruled cell whose top edge is at `top`; text wrapped inside, centred vertically by default."""
        self.c.rect(x, top - h, w, h)
        if not s:
            return
        lines = self.wrap(s, size, indent=0, width=w - 10)
        lead = size + 5
        block = lead * len(lines)
        y = top - (h - block) / 2 - size + 1 if valign == "middle" else top - size - 6
        self.c.setFont(_font(), size)
        for ln in lines:
            if align == "center":
                self.c.drawCentredString(x + w / 2, y, ln)
            else:
                self.c.drawString(x + 5, y, ln)
            y -= lead

    def signature_after(self, label: str, x: float, y: float, who: str, opts: dict, seed: int, size: float = 12) -> float:
        """Print `label` and sign right after it on the same line (as people do); returns the label's end."""
        end = self.text(label, x, y, size)
        style = opts.get("sign", "name")
        if style:
            sign_inline(self.c, end, y, who, seed, style=style, ink=opts.get("ink", "blue"))
        return end

    def stamp(self, name: str, cx: float, cy: float, opts: dict, r: float = 42) -> None:
        if opts.get("seal", True):
            seal(self.c, name, cx, cy, r=r)


def _seed(s: str, k: int = 0) -> int:
    """A stable seed (str hash() changes per process, and the scans' bytes must not)."""
    return (zlib.crc32(s.encode()) + k) & 0xFFFF


def cn_date(d: dt.date) -> str:
    return date_text(d, "cn_num")


def _ym(d: dt.date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


# ------------------------------------------------------------------ 信用中国 templates, Order 58 period
def draw_commitment_58(c: Canvas, f: Case, opts: dict) -> None:
    """T01 《失信行为纠正后的信用信息修复承诺书》 (信用中国, Order 58 period): header table, four promises,
    sign-off with the legal representative signing inline after 法定代表人（签字）：."""
    s = Sheet(c)
    s.centre("失信行为纠正后的信用信息修复承诺书", size=18, gap=26)
    x0, x1 = s.LEFT, s.RIGHT
    col = 150
    top = s.y + 8
    rows = [("承诺主体名称", f.name), ("统一社会信用代码", f.uscc), ("法定代表人（负责人）", f.rep),
            ("失信信息", f"行政处罚决定书文号：{opts.get('dn', f.dn)}"), ("认定（决定）机关", f.authority)]
    for k, v in rows:
        s.cell(x0, top, col, 30, k, size=11)
        s.cell(x0 + col, top, x1 - x0 - col, 30, v, size=11)
        top -= 30
    s.y = top - 26
    s.para("本主体自愿申请对上述失信信息进行信用修复，现郑重承诺：")
    for t in ("一、本主体已按照法律法规和行政处罚决定书的要求，全面履行法定责任和义务，纠正失信行为，消除不良影响。",
              "二、本主体对申请信用修复所提交材料的真实性、准确性、完整性、有效性负责，不存在虚假、隐瞒等情形。",
              "三、本主体将严格遵守法律法规，诚信守法经营，自觉接受政府、行业组织、社会公众、新闻舆论的监督。",
              "四、如违背上述承诺，本主体愿意依法承担相应法律责任，接受撤销信用修复决定、将失信信息重新公示等处理。"):
        s.para(t)
    s.y -= 24
    s.text("承诺主体（盖章）：", 300, s.y)
    seal_y = s.y + 4
    s.y -= 34
    s.signature_after("法定代表人（签字）：", 300, s.y, f.rep, opts, seed=_seed(f.rep))
    s.y -= 34
    s.text(f"日期：{_ym(f.signed_date)}", 300, s.y)
    s.stamp(f.name, 430, seal_y, opts)


def draw_commitment_58_prose(c: Canvas, f: Case, opts: dict) -> None:
    """T01b the same 承诺书 as a paragraph template (the variant local guides reproduce): the facts inline."""
    s = Sheet(c)
    s.centre("信用修复承诺书", size=20, gap=28)
    s.para(f"本单位{f.name}（统一社会信用代码：{f.uscc}），因违法行为于{_ym(f.decision_date)}被{f.authority}"
           f"作出行政处罚（行政处罚决定书文号：{opts.get('dn', f.dn)}）。本单位已全面履行行政处罚决定所确定的义务，"
           "纠正了失信行为，现申请信用修复，并郑重承诺：")
    for t in ("一、所提交的信用修复申请材料真实、准确、完整、有效，如有虚假，愿意承担相应法律责任；",
              "二、严格遵守法律法规和信用承诺，诚信经营，不再发生同类违法失信行为；",
              "三、自觉接受各级信用主管部门、行业主管部门和社会公众的监督；",
              "四、如违背上述承诺，自愿接受撤销信用修复、重新公示失信信息等措施。"):
        s.para(t)
    s.y -= 30
    s.text("承诺单位（盖章）：", 290, s.y)
    seal_y = s.y
    s.y -= 34
    s.signature_after("法定代表人（签字）：", 290, s.y, f.rep, opts, seed=_seed(f.rep, 7))
    s.y -= 34
    s.text(cn_date(f.signed_date), 330, s.y)
    s.stamp(f.name, 420, seal_y, opts)


def draw_application_58(c: Canvas, f: Case, opts: dict) -> None:
    """T02 《失信行为纠正后的信用信息修复申请表》 (信用中国, Order 58 period): the form the penalty authority
    completes; the applicant signs and seals its part, the authority states its opinion under its own seal."""
    s = Sheet(c, top=H - 70)
    s.centre("失信行为纠正后的信用信息修复申请表", size=17, gap=22)
    x0, x1 = s.LEFT - 20, s.RIGHT + 20
    wl, ww = 110, x1 - x0
    top = s.y + 6
    half = (ww - wl) / 2

    def row(label: str, value: str, h: float = 28) -> None:
        nonlocal top
        s.cell(x0, top, wl, h, label, size=10.5)
        s.cell(x0 + wl, top, ww - wl, h, value, size=10.5)
        top -= h

    def row4(l1: str, v1: str, l2: str, v2: str, h: float = 28) -> None:
        nonlocal top
        s.cell(x0, top, wl, h, l1, size=10.5)
        s.cell(x0 + wl, top, half - 80, h, v1, size=10.5)
        s.cell(x0 + wl + half - 80, top, wl, h, l2, size=10.5)
        s.cell(x0 + wl + half - 80 + wl, top, ww - wl - (half - 80) - wl, h, v2, size=10.5)
        top -= h

    row("申请主体名称", f.name)
    row("统一社会信用代码", f.uscc)
    row4("法定代表人", f.rep, "联系电话", f.phone)
    row("失信信息类别", "行政处罚信息")
    row("决定文书号", opts.get("dn", f.dn))
    row4("决定机关", f.authority, "决定日期", _ym(f.decision_date))
    row("履行及纠正情况", f"已于{_ym(f.paid_date)}缴清罚款，违法行为已改正，不良影响已消除。", h=48)
    # the applicant's part: its own seal and the legal representative signing inline
    h = 96
    s.cell(x0, top, wl, h, "申请主体意见", size=10.5)
    s.cell(x0 + wl, top, ww - wl, h)
    s.text("本主体申请对上述失信信息进行信用修复，所提交材料真实有效。", x0 + wl + 6, top - 20, 10.5)
    s.text("申请主体（盖章）：", x0 + wl + 200, top - 46, 10.5)
    s.signature_after("法定代表人（签字）：", x0 + wl + 200, top - 70, f.rep, opts, seed=_seed(f.rep, 3), size=10.5)
    s.text(_ym(f.signed_date), x0 + wl + 250, top - 90, 10.5)
    s.stamp(f.name, x0 + wl + 330, top - 46, opts, r=36)
    top -= h
    # the authority's part, under its seal (a seal of another unit on the same page)
    h = 90
    s.cell(x0, top, wl, h, "决定机关意见", size=10.5)
    s.cell(x0 + wl, top, ww - wl, h)
    s.text("经核实，该主体已履行行政处罚决定书规定的义务，", x0 + wl + 6, top - 20, 10.5)
    s.text("失信行为已纠正，同意修复。", x0 + wl + 6, top - 38, 10.5)
    s.text("（盖章）", x0 + wl + 260, top - 58, 10.5)
    s.text(_ym(f.signed_date + dt.timedelta(days=2)), x0 + wl + 250, top - 80, 10.5)
    seal(c, f.authority, x0 + wl + 300, top - 50, r=36)
    top -= h
    s.y = top - 20
    s.text("注：本表由申请主体填写后，报行政处罚决定机关出具意见并加盖公章。", x0, s.y, 9)


def draw_legal_rep_cert_creditchina(c: Canvas, f: Case, opts: dict) -> None:
    """T03 《法定代表人身份证明书》 as 信用中国 / local credit offices publish it (prose + sign-off)."""
    s = Sheet(c, top=H - 110)
    s.centre("法定代表人身份证明书", size=20, gap=36)
    s.para(f"{f.rep}（身份证号码：{f.rep_id}），现任我单位执行董事兼总经理职务，为我单位法定代表人，"
           "特此证明。")
    s.y -= 6
    s.para("附：法定代表人身份证复印件（正反面）")
    s.y -= 40
    s.text(f"单位名称（盖章）：{f.name}", 230, s.y)
    seal_y = s.y
    s.y -= 30
    s.text(f"统一社会信用代码：{f.uscc}", 230, s.y)
    s.y -= 30
    s.text(_ym(f.signed_date), 330, s.y)
    s.stamp(f.name, 420, seal_y - 10, opts)


def draw_legal_rep_cert_bidding(c: Canvas, f: Case, opts: dict) -> None:
    """T04 《法定代表人身份证明》 of the national 标准施工招标文件 (2007), reused verbatim by enterprises:
    the 投标人 labels left as printed."""
    s = Sheet(c, top=H - 110)
    s.centre("法定代表人身份证明", size=20, gap=36)
    for t in (f"投标人名称：{f.name}", "单位性质：有限责任公司", f"地址：{f.address}",
              f"成立时间：{f.founded.year}年{f.founded.month}月{f.founded.day}日", "经营期限：长期",
              f"姓名：{f.rep}    性别：{f.rep_sex}    年龄：{f.age}    职务：执行董事"):
        s.line(t, size=12.5, gap=16)
    s.y -= 4
    s.line(f"系 {f.name}（投标人名称）的法定代表人。", size=12.5, gap=16)
    s.line("特此证明。", x=s.LEFT + 26, size=12.5, gap=40)
    s.text(f"投标人：{f.name}（盖单位章）", 220, s.y)
    seal_y = s.y
    s.y -= 34
    s.text(_ym(f.signed_date), 360, s.y)
    s.stamp(f.name, 400, seal_y, opts)


def draw_authorization_bidding(c: Canvas, f: Case, opts: dict) -> None:
    """T05 《授权委托书》 of the national 标准施工招标文件 (2007): "本人 X 系 Y 的法定代表人，现委托 Z 为我方
    代理人。代理人根据授权，…", the matter rewritten for the credit repair; legal representative's ID number
    printed before the agent's, both signing inline."""
    s = Sheet(c, top=H - 110)
    s.centre("授权委托书", size=20, gap=34)
    s.para(f"本人 {f.rep}（姓名）系 {f.name}（单位名称）的法定代表人，现委托 {f.agent}（姓名）为我方代理人。"
           f"代理人根据授权，以我方名义签署、澄清、说明、补正、递交、撤回、修改 {opts.get('dn', f.dn)} 行政处罚信息"
           "信用修复申请材料和处理有关事宜，其法律后果由我方承担。")
    s.para(f"委托期限：{_ym(f.signed_date)}至{_ym(f.signed_date + dt.timedelta(days=90))}。")
    s.para("代理人无转委托权。")
    s.para("附：法定代表人身份证明")
    s.y -= 26
    x = 220
    s.text(f"委托单位：{f.name}（盖单位章）", x, s.y)
    seal_y = s.y
    s.y -= 32
    s.signature_after("法定代表人：", x, s.y, f.rep, opts, seed=_seed(f.rep, 11))
    s.text("（签字）", x + 150, s.y)
    s.y -= 28
    s.text(f"身份证号码：{f.rep_id}", x, s.y)
    s.y -= 32
    s.signature_after("委托代理人：", x, s.y, f.agent, {"sign": opts.get("agent_sign", "name"), "ink": "black"},
                      seed=_seed(f.agent, 5))
    s.text("（签字）", x + 150, s.y)
    s.y -= 28
    s.text(f"身份证号码：{opts.get('agent_id', f.agent_id)}", x, s.y)
    s.y -= 32
    s.text(f"{f.signed_date.year} 年 {f.signed_date.month} 月 {f.signed_date.day} 日", x + 90, s.y)
    s.stamp(f.name, x + 140, seal_y, opts)


def draw_authorization_office(c: Canvas, f: Case, opts: dict) -> None:
    """T06 《失信行为纠正后的信用信息修复业务办理授权委托书》 as local credit offices publish it (table)."""
    s = Sheet(c, top=H - 90)
    s.centre("失信行为纠正后的信用信息修复业务办理授权委托书", size=15.5, gap=26)
    x0, x1 = s.LEFT - 10, s.RIGHT + 10
    wl = 100
    top = s.y + 6
    for k, v, h in (("委托单位", f.name, 30), ("统一社会信用代码", f.uscc, 30), ("法定代表人", f.rep, 30),
                    ("受托人姓名", f.agent, 30), ("受托人身份证号码", opts.get("agent_id", f.agent_id), 30),
                    ("受托人联系电话", f.phone, 30),
                    ("委托事项", f"代表本单位向“信用中国”网站及信用主管部门办理行政处罚信息（决定书文号："
                                 f"{opts.get('dn', f.dn)}）的信用修复申请，提交、补正申请材料，接收相关文书。", 62),
                    ("委托期限", f"自{_ym(f.signed_date)}起至{_ym(f.signed_date + dt.timedelta(days=180))}止", 30)):
        s.cell(x0, top, wl, h, k, size=10.5)
        s.cell(x0 + wl, top, x1 - x0 - wl, h, v, size=10.5)
        top -= h
    s.y = top - 28
    s.para("受托人在上述委托事项和期限内签署的有关文件，本单位均予以认可，并承担相应的法律责任。", size=11.5)
    s.y -= 20
    s.text("委托单位（盖章）：", 300, s.y)
    seal_y = s.y
    s.y -= 32
    s.signature_after("法定代表人（签字）：", 300, s.y, f.rep, opts, seed=_seed(f.rep, 13))
    s.y -= 32
    s.signature_after("受托人（签字）：", 300, s.y, f.agent, {"sign": "name", "ink": "black"}, seed=_seed(f.agent, 2))
    s.y -= 32
    s.text(f"{f.signed_date.year}年{f.signed_date.month}月{f.signed_date.day}日", 330, s.y)
    s.stamp(f.name, 420, seal_y, opts)


# ------------------------------------------------------------------ payment proofs
def _merged_party_block(s: Sheet, x0: float, top: float, width: float, left: tuple[str, list[tuple[str, str]]],
                        right: tuple[str, list[tuple[str, str]]], h: float = 24, size: float = 10) -> float:
    """付款人 | 户名 … ‖ 收款人 | 户名 …: a merged role cell spanning three sub-label rows, per side."""
    half = width / 2
    role_w, sub_w = 26, 56
    for k, (role, rows) in enumerate((left, right)):
        x = x0 + k * half
        s.c.rect(x, top - h * len(rows), role_w, h * len(rows))
        s.c.setFont(_font(), size)
        for i, ch in enumerate(role):  # the role written vertically in its merged cell
            s.c.drawCentredString(x + role_w / 2, top - (h * len(rows)) / 2 + (len(role) / 2 - i - 0.75) * (size + 3), ch)
        for i, (lab, val) in enumerate(rows):
            s.cell(x + role_w, top - i * h, sub_w, h, lab, size=size, align="center")
            s.cell(x + role_w + sub_w, top - i * h, half - role_w - sub_w, h, val, size=size)
    return top - h * 3


def draw_icbc_receipt(c: Canvas, f: Case, opts: dict) -> None:
    """T07 中国工商银行 网上银行电子回单: 付款人 / 收款人 merged cells holding 户名 / 账号 / 开户银行 rows, amount
    in figures and words, 摘要 / 用途 / 交易流水号 / 时间戳, the 电子回单专用章, 记账网点 / 柜员 / 日期."""
    s = Sheet(c, top=H - 70)
    paid = opts.get("paid", f.fine)
    c.setFillColor(RED)
    s.text("中国工商银行", s.LEFT - 20, s.y, 13, color=RED)
    c.setFillColor(black)
    s.text("网上银行电子回单", W / 2 - 64, s.y, 16)
    s.y -= 24
    s.text("电子回单号码：0917-8226-7633-1100", s.RIGHT - 190, s.y, 9.5)
    x0, width = s.LEFT - 20, s.RIGHT - s.LEFT + 40
    top = s.y - 8
    top = _merged_party_block(s, x0, top, width,
                              ("付款人", [("户名", f.name), ("账号", f.account), ("开户银行", f.bank)]),
                              ("收款人", [("户名", f"{f.city}财政局非税收入汇缴结算户"), ("账号", "3502 0101 2900 0066 778"),
                                          ("开户银行", f"中国工商银行股份有限公司{f.city[:-1]}分行")]))
    h = 24
    for cells in ((("金额", 60), (f"¥{paid:,.2f}元", width / 2 - 60), ("金额（大写）", 70), (f"人民币{amount_words(paid)}", width / 2 - 70)),
                  (("摘要", 60), ("罚没款", width / 2 - 60), ("业务（产品）种类", 90), ("跨行汇款", width / 2 - 90)),
                  (("用途", 60), (f"缴纳罚款 {f.dn}", width - 60)),
                  (("交易流水号", 60), ("90281734", width / 2 - 60), ("时间戳", 70),
                   (f"{f.paid_date.isoformat()}-10.28.05.336218", width / 2 - 70)),
                  (("", 60), ("备注：", width - 60)),
                  (("", 60), ("验证码：Xk3vQ9mZp2Lr8wTb4YcN7sHe", width - 60)),
                  (("记账网点", 60), ("00871", width / 4 - 60), ("记账柜员", 60), ("00012", width / 4 - 60),
                   ("记账日期", 60), (f"{f.paid_date.year}年{f.paid_date.month:02d}月{f.paid_date.day:02d}日", width / 2 - 60))):
        x = x0
        for text, w in cells:
            s.cell(x, top, w, h, text, size=10, align="center" if w <= 90 else "left")
            x += w
        top -= h
    square_stamp(c, ["中国工商银行", "电子回单专用章", f.bank.split("公司")[-1][:8]], x0 + 30, top + 2 * h, w=58, h=46)
    s.text(f"打印日期：{f.paid_date.year}年{f.paid_date.month:02d}月{f.paid_date.day:02d}日", s.RIGHT - 150, top - 18, 9, color=GREY)


def draw_ccb_receipt(c: Canvas, f: Case, opts: dict) -> None:
    """T08 中国建设银行 单位客户专用回单: 付款人 / 收款人 side by side with 全称 / 账号 / 开户行, 大写 / 小写 amounts."""
    s = Sheet(c, top=H - 70)
    paid = opts.get("paid", f.fine)
    s.centre("中国建设银行单位客户专用回单", size=15, gap=12)
    s.text(f"币别：人民币        日期：{f.paid_date.year}年{f.paid_date.month:02d}月{f.paid_date.day:02d}日        凭证号：2025100900188",
           s.LEFT - 20, s.y, 9.5)
    x0, width = s.LEFT - 20, s.RIGHT - s.LEFT + 40
    top = _merged_party_block(s, x0, s.y - 10, width,
                              ("付款人", [("全称", f.name), ("账号", f.account), ("开户行", f.bank)]),
                              ("收款人", [("全称", f"{f.city}财政局"), ("账号", "4410 1500 0400 5302 2816"),
                                          ("开户行", f"中国建设银行{f.city}分行营业部")]))
    h = 24
    for cells in ((("大写金额", 60), (f"人民币{amount_words(paid)}", width / 2 - 60), ("小写金额", 60), (f"¥{paid:,.2f}", width / 2 - 60)),
                  (("用途", 60), (f"罚款（{f.dn}）", width - 60)),
                  (("交易时间", 60), (f"{f.paid_date.isoformat()} 09:42:17", width / 2 - 60), ("交易机构", 60), ("441500001", width / 2 - 60))):
        x = x0
        for text, w in cells:
            s.cell(x, top, w, h, text, size=10, align="center" if w <= 60 else "left")
            x += w
        top -= h
    elliptic_stamp(c, "中国建设银行电子回单专用章", s.RIGHT - 40, top - 40)
    s.text("本回单可通过建行对公自助设备或网上银行校验真伪。", x0, top - 20, 9, color=GREY)


def draw_nontax_paper(c: Canvas, f: Case, opts: dict) -> None:
    """T09 非税收入一般缴款书 (paper, 财政部监制): 缴款人 / 收款人 merged cells with 全称 / 账号 / 开户银行,
    项目编码 / 收入项目名称 / 单位 / 数量 / 收缴标准 / 金额 lines, 金额合计 in words and figures, 执收单位（盖章）."""
    s = Sheet(c, top=H - 70)
    items = opts.get("items") or [("103050101", "一般罚没收入", opts.get("paid", f.fine))]
    total = sum(a for _, _, a in items)
    s.centre(f"{f.province}非税收入一般缴款书", size=17, gap=8)
    s.text("财政部监制", W / 2 - 28, s.y, 9, color=GREY)
    s.text("No 3502250012873", s.RIGHT - 90, s.y, 10, color=RED)
    s.y -= 18
    s.text(f"执收单位编码：117001        执收单位名称：{f.authority}", s.LEFT - 20, s.y, 9.5)
    s.text(f"填制日期：{f.paid_date.year}年{f.paid_date.month}月{f.paid_date.day}日", s.RIGHT - 130, s.y, 9.5)
    x0, width = s.LEFT - 20, s.RIGHT - s.LEFT + 40
    top = _merged_party_block(s, x0, s.y - 8, width,
                              ("缴款人", [("全称", f.name), ("账号", f.account), ("开户银行", f.bank)]),
                              ("收款人", [("全称", f"{f.city}财政局"), ("账号", "3502 0101 2900 0066 778"),
                                          ("开户银行", f"中国工商银行{f.city}分行")]))
    h = 24
    x = x0
    for text, w in (("币种：人民币", 90), (f"金额（大写）人民币{amount_words(total)}", width - 90 - 150), (f"（小写）¥{total:,.2f}", 150)):
        s.cell(x, top, w, h, text, size=10)
        x += w
    top -= h
    cols = [("项目编码", 80), ("收入项目名称", 140), ("单位", 40), ("数量", 40), ("收缴标准", 80), ("金额", width - 380)]
    x = x0
    for text, w in cols:
        s.cell(x, top, w, h, text, size=10, align="center")
        x += w
    top -= h
    for code, what, amount in items:
        x = x0
        for text, (_, w) in zip((code, what, "元", "1", f"{amount:,.2f}", f"{amount:,.2f}"), cols, strict=True):
            s.cell(x, top, w, h, text, size=10, align="center")
            x += w
        top -= h
    s.cell(x0, top, width / 3, 70, "执收单位（盖章）", size=10, valign="top")
    s.cell(x0 + width / 3, top, width / 3, 70, "经办人（签章）", size=10, valign="top")
    s.cell(x0 + 2 * width / 3, top, width / 3, 70, f"备注：{f.dn}", size=10, valign="top")
    seal(c, f.authority, x0 + width / 6 + 10, top - 40, r=32)
    square_stamp(c, ["中国工商银行", f"{f.city[:-1]}分行", "收讫", f.paid_date.isoformat()], x0 + width / 2 + 50, top - 38, w=84, h=56)
    s.text("第四联 收据 交缴款人", s.RIGHT - 10, top - 90, 9, color=GREY)


def draw_nontax_electronic(c: Canvas, f: Case, opts: dict) -> None:
    """T10 非税收入一般缴款书（电子） (财政电子票据): 票据代码 / 号码 / 校验码 / 开票日期, 交款人 and its code, item
    table, 金额合计 in words and figures, 收款单位（章） (oval e-seal), 复核人 / 收款人."""
    s = Sheet(c, top=H - 60)
    paid = opts.get("paid", f.fine)
    c.setFillColor(Color(0.55, 0.1, 0.1))
    s.centre(f"{f.province}非税收入一般缴款书（电子）", size=16, gap=14)
    c.setFillColor(black)
    left = s.LEFT - 20
    s.text("票据代码：43010225", left, s.y, 10)
    s.text("票据号码：0061823745", left + 200, s.y, 10)
    s.y -= 16
    s.text("校验码：5c1e8a", left, s.y, 10)
    s.text(f"开票日期：{f.paid_date.isoformat()}", left + 200, s.y, 10)
    s.y -= 16
    s.text(f"交款人统一社会信用代码：{f.uscc}", left, s.y, 10)
    s.y -= 16
    s.text(f"交款人：{f.name}", left, s.y, 10)
    x0, width = left, s.RIGHT - s.LEFT + 40
    top = s.y - 10
    h = 24
    cols = [("项目编码", 80), ("项目名称", 160), ("单位", 40), ("数量", 40), ("标准", 80), ("金额（元）", 70), ("备注", width - 470)]
    x = x0
    for text, w in cols:
        s.cell(x, top, w, h, text, size=10, align="center")
        x += w
    top -= h
    x = x0
    for text, (_, w) in zip(("103050199", "其他一般罚没收入", "元", "1", f"{paid:.2f}", f"{paid:.2f}", f"决定书{f.dn}"), cols, strict=True):
        s.cell(x, top, w, h, text, size=9.5, align="center")
        x += w
    top -= h * 2
    s.cell(x0, top + h, width, h)
    s.cell(x0, top, width * 0.6, h, f"金额合计（大写）{amount_words(paid)}", size=10)
    s.cell(x0 + width * 0.6, top, width * 0.4, h, f"（小写）{paid:.2f}", size=10)
    top -= h
    s.cell(x0, top, width, 48, f"其他信息：执收单位 {f.authority}；缴款码 4301002510090012", size=10, valign="top")
    top -= 48
    s.text("收款单位（章）：", x0, top - 24, 10)
    elliptic_stamp(c, f"{f.city}财政局非税收入电子票据专用章", x0 + 150, top - 26)
    s.text("复核人：刘某", x0 + 260, top - 24, 10)
    s.text("收款人：系统", x0 + 380, top - 24, 10)


def draw_alipay_receipt(c: Canvas, f: Case, opts: dict) -> None:
    """T11 支付宝 电子回单 (a transfer to the finance bureau's account), the 业务凭证专用章 of the platform."""
    s = Sheet(c, top=H - 90)
    paid = opts.get("paid", f.fine)
    c.setFillColor(Color(0.09, 0.47, 1.0))
    s.centre("支付宝电子回单", size=18, gap=22)
    c.setFillColor(black)
    x0, width = s.LEFT, s.RIGHT - s.LEFT
    s.text(f"回单编号：2025{f.paid_date.month:02d}{f.paid_date.day:02d}3312880144", x0, s.y, 10)
    top = s.y - 12
    h = 28
    for k, v in (("付款方账户名", f.name), ("付款方账号", "xmhc****@163.com"), ("收款方账户名", f"{f.city}财政局"),
                 ("收款方账号", "6216 **** **** 0088"), ("收款方开户行", "中国工商银行"),
                 ("交易金额", f"¥{paid:,.2f}（{amount_words(paid)}）"),
                 ("交易时间", f"{f.paid_date.isoformat()} 16:05:33"), ("交易说明", f"缴纳罚款 {f.dn}"),
                 ("支付宝交易号", "2025100922001412880501234567")):
        s.cell(x0, top, 110, h, k, size=10.5)
        s.cell(x0 + 110, top, width - 110, h, v, size=10.5)
        top -= h
    seal(c, "支付宝（中国）网络技术有限公司", s.RIGHT - 70, top - 50, r=40)
    s.text("业务凭证专用章", s.RIGHT - 105, top - 104, 9, color=RED)
    s.text("说明：本回单仅证明用户在申请该回单时间之前通过其支付宝账户的支付行为。", x0, top - 130, 9, color=GREY)


# ------------------------------------------------------------------ identity documents
def draw_licence_2015(c: Canvas, f: Case, opts: dict) -> None:
    """T12 营业执照 (2015 national format, 副本): spaced title, 统一社会信用代码 top left, QR box top right, two
    columns of registration items, 登记机关 seal and date, the 国家企业信用信息公示系统 footer."""
    s = Sheet(c)
    c.setStrokeColor(Color(0.7, 0.55, 0.2))
    c.setLineWidth(5)
    c.rect(40, 120, W - 80, H - 180)
    c.setLineWidth(1)
    c.setStrokeColor(black)
    c.setFillColor(RED)
    c.circle(W / 2, H - 120, 22, fill=1, stroke=0)  # the national emblem's place
    c.setFillColor(black)
    s.text(f"统一社会信用代码  {f.uscc}", 62, H - 112, 10)
    s.text("证照编号：35020500000202109160012", 62, H - 128, 8)
    c.rect(W - 150, H - 170, 80, 80)
    s.text("扫描二维码登录", W - 148, H - 182, 7)
    s.text("'国家企业信用", W - 148, H - 192, 7)
    s.text("信息公示系统'", W - 148, H - 202, 7)
    s.y = H - 205
    s.centre("营  业  执  照", size=30, gap=8)
    s.centre("（副    本）", size=13, gap=34)
    lx, vx, rx, rvx = 70, 140, 345, 410
    y = s.y
    for k, v in (("名        称", f.name), ("类        型", f.kind_of_company), ("法定代表人", f.rep)):
        s.text(k, lx, y, 11)
        s.text(v, vx, y, 11)
        y -= 26
    s.text("经营范围", lx, y, 11)
    yy = y
    for ln in s.wrap(f.business, 10, indent=0, width=150):
        s.text(ln, vx, yy, 10)
        yy -= 15
    y2 = s.y
    for k, v in (("注册资本", f.capital), ("成立日期", _ym(f.founded)), ("营业期限", f"{_ym(f.founded)}至长期"),
                 ("住        所", f.address)):
        s.text(k, rx, y2, 11)
        lines = s.wrap(v, 11, indent=0, width=118)
        for ln in lines:
            s.text(ln, rvx, y2, 11)
            y2 -= 16
        y2 -= 10
    s.text("登记机关", W - 250, 215, 12)
    seal(c, f.reg_authority, W - 150, 215, r=40)
    s.text(f"{f.founded.year + 9}年{f.founded.month}月{f.founded.day}日", W - 210, 185, 11)
    s.text("国家企业信用信息公示系统网址：http://www.gsxt.gov.cn", 62, 140, 8)
    s.text("国家市场监督管理总局监制", W - 180, 140, 8)
    s.text("市场主体应当于每年1月1日至6月30日通过国家企业信用信息公示系统报送公示年度报告。", 62, 128, 7.5)


def draw_id_card(c: Canvas, name: str, number: str, sex: str, address: str, issuer: str) -> None:
    """T13 居民身份证 (second generation) copied front and back on one page, as offices ask."""
    s = Sheet(c)
    born = (int(number[6:10]), int(number[10:12]), int(number[12:14]))
    c.setStrokeColor(GREY)
    c.roundRect(150, H - 330, 290, 180, 10)
    s.text("姓名", 165, H - 180, 10, color=Color(0.2, 0.4, 0.7))
    s.text(name, 200, H - 180, 12)
    s.text("性别", 165, H - 205, 10, color=Color(0.2, 0.4, 0.7))
    s.text(sex, 200, H - 205, 11)
    s.text("民族", 245, H - 205, 10, color=Color(0.2, 0.4, 0.7))
    s.text("汉", 280, H - 205, 11)
    s.text("出生", 165, H - 230, 10, color=Color(0.2, 0.4, 0.7))
    s.text(f"{born[0]}  年  {born[1]}  月  {born[2]}  日", 200, H - 230, 11)
    s.text("住址", 165, H - 255, 10, color=Color(0.2, 0.4, 0.7))
    for i, ln in enumerate(s.wrap(address, 10.5, indent=0, width=150)):
        s.text(ln, 200, H - 255 - 15 * i, 10.5)
    c.setFillColor(Color(0.85, 0.85, 0.85))
    c.rect(345, H - 270, 80, 100, fill=1, stroke=0)  # the photo
    c.setFillColor(black)
    s.text("公民身份号码", 165, H - 312, 10, color=Color(0.2, 0.4, 0.7))
    s.text(" ".join([number[:6], number[6:14], number[14:]]), 250, H - 312, 12.5)
    c.roundRect(150, H - 560, 290, 180, 10)
    c.setFillColor(RED)
    c.circle(185, H - 410, 16, fill=1, stroke=0)
    c.setFillColor(black)
    s.text("中华人民共和国", 220, H - 420, 16)
    s.text("居 民 身 份 证", 225, H - 452, 20)
    s.text("签发机关", 175, H - 510, 10)
    s.text(issuer, 235, H - 510, 10.5)
    s.text("有效期限", 175, H - 535, 10)
    s.text("2016.05.12-2036.05.12", 235, H - 535, 10.5)
    c.setStrokeColor(black)
