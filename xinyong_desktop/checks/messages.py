"""Chinese display names used in finding messages (one place for wording)."""
from __future__ import annotations

from xinyong_desktop.domain.model import FieldId

FIELD_NAMES: dict[FieldId, str] = {
    FieldId.ENTERPRISE_NAME: "单位名称",
    FieldId.USCC: "统一社会信用代码",
    FieldId.LEGAL_REPRESENTATIVE: "法定代表人",
    FieldId.DECISION_NUMBER: "行政处罚决定书文号",
    FieldId.PENALTY_AUTHORITY: "处罚机关",
    FieldId.DECISION_DATE: "处罚决定日期",
    FieldId.FINE_AMOUNT: "罚款金额",
    FieldId.PAID_AMOUNT: "缴款金额",
    FieldId.PAYMENT_DATE: "缴款日期",
    FieldId.PAYER_NAME: "缴款人",
    FieldId.ID_NAME: "身份证姓名",
    FieldId.ID_NUMBER: "身份证号码",
    FieldId.AGENT_NAME: "受托人姓名",
    FieldId.CONTACT_PHONE: "联系电话",
    FieldId.SIGNED_DATE: "落款日期",
    FieldId.SEAL: "公章",
    FieldId.SIGNATURE: "签字",
}


def field_name(fid: FieldId) -> str:
    return FIELD_NAMES[fid]


CODE_TITLES: dict[str, str] = {
    "MATERIAL_MISSING": "缺少材料",
    "FILE_UNREADABLE": "文件无法读取",
    "FIELD_MISSING": "缺少必填内容",
    "USCC_INVALID": "信用代码有误",
    "ID_NUMBER_INVALID": "身份证号有误",
    "NAME_MISMATCH": "单位名称不一致",
    "USCC_MISMATCH": "信用代码不一致",
    "LEGAL_REP_MISMATCH": "法定代表人不一致",
    "DECISION_NUMBER_MISMATCH": "决定书文号不一致",
    "FINE_NOT_FULLY_PAID": "罚款未缴清",
    "SEAL_MISSING": "缺少公章",
    "SIGNATURE_MISSING": "缺少签字",
    "NOT_YET_ELIGIBLE": "未到最短公示期",
    "NO_REPAIR_NEEDED": "已达最长公示期",
    "AUTHORIZATION_INVALID": "委托手续不完整",
    "OUTDATED_TEMPLATE": "使用了旧版模板",
    "LATE_PAYMENT": "可能欠加处罚款",
    "NOT_REPAIRABLE": "不得提前终止公示",
    "VALUE_MASKED": "号码被遮挡，需核对",
    "KIND_UNCERTAIN": "材料类型待确认",
}


def code_title(code: str) -> str:
    return CODE_TITLES.get(code, code)
