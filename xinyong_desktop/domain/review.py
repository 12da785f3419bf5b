"""Which findings block a packet, and masking of personal numbers: pure rules used by the review desk, the
documents (notice, review record) and the privacy purge.  Below `services` so that `documents` need not import
upward; `services.review` re-exports them."""
from __future__ import annotations

from collections.abc import Iterable

PERSONAL_FIELDS = {"id_number", "contact_phone"}


def finding_key(code: str, kind: str | None, field: str | None, path: str | None) -> str:
    return f"finding:{code}/{kind or '-'}/{field or '-'}/{path or '-'}"


def blocking(findings: Iterable, overridden: set[str]) -> list:
    """Error and review findings that no active override covers: these keep a packet from being ready."""
    return [f for f in findings if f.severity in ("error", "review")
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
