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
