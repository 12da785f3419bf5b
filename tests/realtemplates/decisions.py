"""Penalty decisions in the real published formats of seven kinds of authority (see PROVENANCE.md, D01–D08).

The letterhead, title, number format, party block, the wording of the body (findings, legal basis, the
penalty sentence, payment and appeal clauses) and the 落款 (authority and date, some in Chinese numerals)
follow the published decisions named in PROVENANCE.md; the party and the facts are the fictional case's.
Rendered by tests/realdocs/render.render (the project's renderer for real documents: letterhead in red,
number line, party block, indented body, right-aligned 落款 with the authority's seal over the date).
"""
from __future__ import annotations

from tests.packetgen import date_text
from tests.realtemplates.forms import Case


def _ymd(c: Case, zero: bool = False) -> str:
    d = c.decision_date
    return f"{d.year}年{d.month:02d}月{d.day:02d}日" if zero else f"{d.year}年{d.month}月{d.day}日"


def customs_haicang(c: Case, number_text: str) -> dict:
    """D01 中华人民共和国海沧海关 行政处罚决定书 (海沧关缉违字〔2026〕32号 layout): the party, its legal
    representative and code on ONE line, a customs declaration number (18 digits) in the findings."""
    return {
        "header": "中华人民共和国海沧海关",
        "title": "行政处罚决定书",
        "number": number_text,
        "party": [f"当事人:{c.name},法定代表人:{c.rep},统一社会信用代码:{c.uscc}", f"地 址:{c.address}"],
        "body": f"""
经我关调查,当事人有以下违法行为:
2025年6月3日,当事人委托厦门君达报关有限公司以一般贸易方式向海关申报进口一批冷冻带骨猪肉,报关单号350920250000418263,申报数量合计1260箱,申报总价184620美元。经海关查验发现,该批货物实际数量为1324箱,与申报不符。当事人上述申报不实行为违反海关监管规定,影响海关统计准确性,漏缴税款人民币19876.52元。
以上行为有进口报关单及随附单证复印件、查验记录、查问笔录、情况说明、企业营业执照复印件、授权委托书等证据为证。
当事人配合海关查处违法行为,且认错认罚,具有从轻行政处罚情形,依照《中华人民共和国海关行政处罚实施条例》第十五条第四项、《中华人民共和国海关行政处罚裁量基准(一)》(海关总署公告2023年第182号)第九条第二项之规定,决定对当事人作出如下行政处罚:
科处罚款人民币{c.fine / 10000:g}万元。
当事人应当自本处罚决定书送达之日起15日内,根据《中华人民共和国行政处罚法》第六十七条之规定,将罚款缴至指定银行或者通过电子支付系统缴纳。到期不缴纳罚款的,依照《中华人民共和国行政处罚法》第七十二条第一款第一项之规定,每日按罚款数额的百分之三加处罚款。
当事人不服本处罚决定的,依照《中华人民共和国行政复议法》第二十条、第二十七条之规定,可自收到本决定书之日起六十日内向厦门海关申请行政复议;或者依照《中华人民共和国行政诉讼法》第四十六条之规定,自收到本决定书之日起六个月内,直接向厦门海事法院提起诉讼。
""",
        "closing": ["中华人民共和国海沧海关", _ymd(c, zero=True)],
    }


def customs_meishan(c: Case, number_text: str) -> dict:
    """D02 中华人民共和国梅山海关 行政处罚决定书 (甬梅关缉违字〔2025〕260号 layout): one label per line."""
    return {
        "header": "中华人民共和国梅山海关",
        "title": "行政处罚决定书",
        "number": number_text,
        "party": [f"当事人:{c.name}", f"法定代表人: {c.rep}", f"统一社会信用代码:{c.uscc}", f"地址:{c.address}"],
        "body": f"""
经我关调查,当事人有以下违法行为:2025年3月11日,当事人委托宁波港通报关有限公司以一般贸易监管方式向海关申报出口电动自行车配件一批,报关单号为310420250000162537,申报商品编号为8714100090。海关经查验和商品归类发现,其中部分货物实际应归入商品编号8507600090项下。当事人出口货物商品编号申报不实的行为影响海关统计准确性。经计核,影响海关统计准确性的货物价值共计人民币412380元。
以上事实有相关人员笔录、出口报关单证、查验记录、认错认罚承诺书及其他相关资料为据。
当事人出口货物商品编号申报不实,影响海关统计准确性,该行为违反了《中华人民共和国海关法》第二十四条第一款之规定,构成同法第八十六条第三项所列之违法行为,依照《中华人民共和国海关行政处罚实施条例》第十五条第一项之规定,决定对当事人作出如下行政处罚:
科处罚款人民币{c.fine:,}元。
当事人不服本处罚决定的,可自收到本决定书之日起六十日内向宁波海关申请行政复议,或者自收到本决定书之日起六个月内,直接向宁波海事法院提起诉讼。
""",
        "closing": ["中华人民共和国梅山海关", _ymd(c, zero=True)],
    }


def safety_tianjin(c: Case, number_text: str) -> dict:
    """D03 应急管理局 行政处罚决定书 in the 天津港保税区 layout ((公司名称): label, bracketed prefix, k- serial),
    sections 一/二/三, the 落款 date in Chinese numerals."""
    return {
        "header": "天津港保税区应急管理局",
        "title": "行政处罚决定书",
        "number": number_text,
        "party": [f"(公司名称):{c.name}", f"统一社会信用代码:{c.uscc}", f"地址:{c.address}", f"法定代表人:{c.rep}"],
        "body": f"""
你单位安全生产违法一案,我局经调查,现已审查终结。
一、调查情况及发现的违法事实、证据和陈述申辩及采纳情况
2025年6月12日,我局执法人员到{c.name}进行执法检查时发现,该公司未按照规定对从业人员进行安全生产教育和培训,两名叉车作业人员未经安全生产教育和培训合格即上岗作业。
以上事实证据有1.现场检查记录1份;2.责令限期整改指令书1份;3.调查询问笔录2份;4.员工花名册1份。
你单位上述行为违反了《中华人民共和国安全生产法》第二十八条第一款的规定。
2025年7月30日,我局对你单位下达《行政处罚告知书》(应急告[2025]k-57号),告知你单位享有陈述、申辩的权利。你单位逾期未提交陈述、申辩申请材料。
二、行政处罚的依据、种类
依据《中华人民共和国安全生产法》第九十七条第三项的规定,决定给予你单位罚款人民币{c.fine:,}元(大写:{_words(c.fine)})的行政处罚。
三、行政处罚的履行方式和期限
你单位应当自收到本决定书之日起十五日内将罚款缴至指定银行。到期不缴纳罚款的,我局将每日按罚款数额的百分之三加处罚款,加处罚款的数额不超过罚款的数额。
四、申请行政复议或者提起行政诉讼的途径和期限
你单位如不服本决定,可以依法在六十日内向天津市滨海新区人民政府申请行政复议,或者在六个月内依法向天津市滨海新区人民法院提起行政诉讼,但本决定不停止执行,法律另有规定的除外。
""",
        "closing": ["天津港保税区应急管理局", date_text(c.decision_date, "cn")],
    }


def transport_zhuzhou(c: Case, number_text: str, licence_no: str) -> dict:
    """D04 交通运输局 行政处罚决定书 in the 株洲 layout: "一、当事人基本情况" with 企业名称/统一社会信用代码 on one
    line and 法定代表人或负责人姓名 after a licence number."""
    return {
        "header": "株洲市交通运输局",
        "title": "行政处罚决定书",
        "number": number_text,
        "party": ["一、当事人基本情况", f"企业名称:{c.name},统一社会信用代码:{c.uscc}",
                  f"经营许可证:{licence_no},法定代表人或负责人姓名:{c.rep}", f"公司地址:{c.address},联系电话:{c.phone}"],
        "body": f"""
二、案件来源及调查经过
本机关于2025年4月9日在日常检查中发现当事人涉嫌使用未取得道路运输证的车辆从事道路货物运输经营,于同日予以立案调查。期间,本机关采取了收集现场证据材料、调查询问当事人等方式开展调查取证,并听取当事人陈述申辩意见,保障当事人合法权利。
三、违法事实及相关证据
经查,当事人于2025年4月9日使用车牌号为湘B7R2**的重型半挂牵引车从事道路货物运输经营,该车未取得《道路运输证》。主要证据:现场检查笔录、询问笔录、车辆行驶证复印件、运单。
四、行政处罚的内容和依据
当事人的行为违反了《中华人民共和国道路运输条例》第二十四条第二款的规定。依据《中华人民共和国道路运输条例》第六十三条的规定,本机关决定对当事人处以罚款人民币{_words(c.fine)}({c.fine}元)。
五、行政处罚的履行方式和期限
当事人应当自收到本决定书之日起十五日内,持本决定书到指定银行缴纳罚款。到期不缴纳罚款的,本机关可以每日按罚款数额的百分之三加处罚款,加处罚款的数额不超过罚款本数。
六、申请行政复议或者提起行政诉讼的途径和期限
如不服本处罚决定,可以在收到本决定书之日起六十日内依法向株洲市人民政府申请行政复议,或者在六个月内依法向株洲市芦淞区人民法院提起行政诉讼。
""",
        "closing": ["株洲市交通运输局", _ymd(c)],
    }


def env_yiyang(c: Case, number_text: str) -> dict:
    """D05 生态环境局 行政处罚决定书 in the 益阳 layout: the addressee line "X:", code and legal representative on
    one line; two items each fined, then "以上合计…0.7万元"; 落款 date in Chinese numerals."""
    half = c.fine / 2
    return {
        "header": "益阳市生态环境局",
        "title": "行政处罚决定书",
        "number": number_text,
        "addressee": f"{c.name}:",
        "party": [f"统一社会信用代码:{c.uscc} 法定代表人:{c.rep}", f"地址:{c.address}"],
        "body": f"""
我局于2025年3月18日对你单位进行了现场检查,发现你单位实施了以下环境违法行为:
一、你单位年产2万吨塑料颗粒项目配套的废气收集处理设施未正常运行,造粒工序废气未经处理直接排放。
二、你单位未按规定设置危险废物识别标志,废机油与一般固体废物混合贮存。
以上事实,有现场检查(勘察)笔录、调查询问笔录、现场照片等证据为凭。
你单位上述行为分别违反了《中华人民共和国大气污染防治法》第二十条第二款和《中华人民共和国固体废物污染环境防治法》第七十七条第一款的规定。我局于2025年4月21日向你单位送达了《行政处罚事先告知书》,你单位在规定期限内未提出陈述申辩意见。
依据《中华人民共和国大气污染防治法》第九十九条第三项、《中华人民共和国固体废物污染环境防治法》第一百一十二条第一款第二项的规定,并参照《湖南省生态环境行政处罚裁量权基准》,我局决定对你单位作出如下行政处罚:
1.对废气未经处理直接排放的行为,罚款人民币{half / 10000:g}万元;
2.对未按规定设置危险废物识别标志的行为,罚款人民币{half / 10000:g}万元。
以上合计罚款人民币{c.fine / 10000:g}万元。
限你单位自收到本处罚决定书之日起十五日内缴至指定银行和账户。逾期不缴纳罚款的,我局将每日按罚款数额的3%加处罚款。
你单位如不服本处罚决定,可在收到本处罚决定书之日起六十日内向益阳市人民政府申请行政复议,也可在六个月内向益阳市赫山区人民法院提起行政诉讼。
""",
        "closing": ["益阳市生态环境局", date_text(c.decision_date, "cn")],
    }


def hr_xianning(c: Case, number_text: str) -> dict:
    """D06 人力资源和社会保障局 劳动保障监察行政处罚决定书 (咸宁): 被处罚单位 label, 劳动保障监察条例 第二十五条
    (100–500 元 per worker), the fine in words and figures."""
    return {
        "header": "咸宁市人力资源和社会保障局",
        "title": "劳动保障监察行政处罚决定书",
        "number": number_text,
        "party": [f"被处罚单位:{c.name}", f"统一社会信用代码:{c.uscc}", f"法定代表人(主要负责人):{c.rep}",
                  f"地址:{c.address}"],
        "body": f"""
经查,你单位存在以下违反劳动保障法律、法规或者规章的行为:2025年1月至3月期间,你单位安排6名劳动者每月延长工作时间超过36小时,违反了《中华人民共和国劳动法》第四十一条的规定。
本机关于2025年5月9日向你单位送达了《劳动保障监察限期整改指令书》,你单位已于限期内改正。本机关于2025年6月10日向你单位送达《行政处罚告知书》,你单位在法定期限内未提出陈述、申辩。
依据《劳动保障监察条例》第二十五条的规定,本机关决定对你单位作出如下行政处罚:按照受侵害的劳动者每人500元的标准,罚款人民币{_words(c.fine)}(¥{c.fine:,.2f})。
你单位应自收到本决定书之日起十五日内,持咸宁市非税收入一般缴款书到指定银行缴纳罚款。逾期不缴纳罚款的,每日按罚款数额的百分之三加处罚款。
如不服本决定,可在收到本决定书之日起六十日内向咸宁市人民政府申请行政复议,或者在六个月内向咸宁市咸安区人民法院提起行政诉讼。
""",
        "closing": ["咸宁市人力资源和社会保障局", _ymd(c)],
    }


def culture_fuling(c: Case, number_text: str, confiscated: int) -> dict:
    """D07 文化和旅游发展委员会 行政处罚决定书 (涪陵): "一、当事人基本信息", the code in brackets in the 证照
    line; the penalty is a warning, confiscated income AND a fine (only the last is the fine)."""
    return {
        "header": "重庆市涪陵区文化和旅游发展委员会",
        "title": "行政处罚决定书",
        "number": number_text,
        "party": ["一、当事人基本信息", f"当事人:{c.name}", f"证照名称及编号:《营业执照》统一社会信用代码({c.uscc})",
                  f"法定代表人:{c.rep}", f"住所(住址等):{c.address}"],
        "body": f"""
二、违法事实和证据
2025年5月24日,我委执法人员依法对当事人经营场所进行检查,发现当事人未经批准擅自举办营业性演出活动,售出门票64张,违法所得人民币{confiscated}元。上述事实有现场检查笔录、询问笔录、票务销售记录等证据证实。
三、行政处罚的依据和内容
当事人的行为违反了《营业性演出管理条例》第十三条第一款的规定。依据《营业性演出管理条例》第四十三条第一款的规定,我委决定对当事人作出如下行政处罚:
1.警告;
2.没收违法所得人民币{confiscated}元;
3.罚款人民币{c.fine}元。
四、履行方式和期限
当事人应当自收到本决定书之日起十五日内,到指定银行缴纳罚没款。逾期不缴纳罚款的,每日按罚款数额的百分之三加处罚款。
五、救济途径和期限
当事人如不服本处罚决定,可以在收到本决定书之日起六十日内向重庆市涪陵区人民政府申请行政复议,或者在六个月内向重庆市涪陵区人民法院提起行政诉讼。
""",
        "closing": ["重庆市涪陵区文化和旅游发展委员会", _ymd(c)],
    }


def tax_xiamen(c: Case, number_text: str) -> dict:
    """D08 税务行政处罚决定书 (the national 税务文书式样 as 稽查局 publish it): the addressee with its tax number
    in brackets, no legal representative, "经我局（所）于…进行检查", 落款 date in Chinese numerals."""
    return {
        "header": "国家税务总局厦门市税务局第一稽查局",
        "title": "税务行政处罚决定书",
        "number": number_text,
        "addressee": f"{c.name}：（纳税人识别号：{c.uscc}）",
        "body": f"""
经我局（所）于2025年3月3日至2025年6月20日对你（单位）2022年1月1日至2024年12月31日纳税情况进行检查，你（单位）存在违法事实及处罚决定如下：
一、违法事实
你单位2023年取得的货物运输服务收入未按规定申报纳税，少缴增值税及附加税费共计{c.fine * 2:,}.00元。
二、处罚决定
根据《中华人民共和国税收征收管理法》第六十四条第二款的规定，对你单位少缴的税款处百分之五十的罚款{c.fine:,}.00元。
以上应缴款项共计{c.fine:,}.00元。限你（单位）自本决定书送达之日起十五日内到国家税务总局厦门市海沧区税务局缴纳入库。到期不缴纳罚款，我局（所）可依照《中华人民共和国行政处罚法》第七十二条第一款第一项规定，每日按罚款数额的百分之三加处罚款。
如对本决定不服，可以自收到本决定书之日起六十日内依法向国家税务总局厦门市税务局申请行政复议，或者自收到本决定书之日起六个月内依法向人民法院起诉。
""",
        "closing": ["国家税务总局厦门市税务局第一稽查局", date_text(c.decision_date, "cn")],
    }


def _words(n: int) -> str:
    from tests.packetgen import amount_words

    return amount_words(n)
