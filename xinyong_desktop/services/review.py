"""Review-desk logic without Qt: which findings still block, masking personal data, case statuses."""
from __future__ import annotations

from collections.abc import Iterable

STATUSES = ("未开始", "审核中", "需补正", "已就绪", "已导出", "已提交", "已修复")
PERSONAL_FIELDS = {"id_number", "contact_phone"}


def finding_key(code: str, kind: str | None, field: str | None, path: str | None) -> str:
    return f"finding:{code}/{kind or '-'}/{field or '-'}/{path or '-'}"


def blocking(findings: Iterable, overridden: set[str]) -> list:
    """Error findings that no active override covers: these keep a packet from being ready."""
    return [f for f in findings if f.severity == "error"
            and finding_key(f.code, f.kind, f.field, f.path) not in overridden]


def mask(field: str, value: str) -> str:
    """ID numbers and phone numbers are shown masked unless revealed on purpose."""
    if field == "id_number" and len(value) >= 10:
        return value[:4] + "*" * (len(value) - 8) + value[-4:]
    if field == "contact_phone" and len(value) >= 7:
        return value[:3] + "*" * (len(value) - 7) + value[-4:]
    return value


def mask_text(text: str) -> str:
    """Mask ID and mobile numbers inside free text (finding messages)."""
    import re

    text = re.sub(r"(?<!\d)(\d{4})\d{10}(\d{3}[\dXx])(?![\dA-Z])", lambda m: m[1] + "*" * 10 + m[2], text)
    return re.sub(r"(?<!\d)(1[3-9]\d)\d{4}(\d{4})(?!\d)", r"\1****\2", text)
