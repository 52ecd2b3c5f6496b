"""How a ward's report is headed and signed, from its report settings and sensible defaults.

Decree 30/2020/NĐ-CP writes the issuing body in full ("ỦY BAN NHÂN DÂN / PHƯỜNG VĨNH TUY"),
under the body above it when there is one ("UBND THÀNH PHỐ HÀ NỘI"); the chair signs "TM. ỦY
BAN NHÂN DÂN / CHỦ TỊCH", a vice-chair "TM. ỦY BAN NHÂN DÂN / KT. CHỦ TỊCH / PHÓ CHỦ TỊCH".
Set with `reportbot ward report-settings`, shown to coordinators by /toi.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from handlers.i18n import _
from storage.models import ReportSettings

_KIND = re.compile(r"^\s*(phường|xã|thị trấn)\s+", re.IGNORECASE)


class Authority(StrEnum):
    """Who signs: "TM." the chair for the committee, "KT." a vice-chair for the chair."""

    ON_BEHALF = "TM"
    FOR_CHAIR = "KT"


DEFAULT_SYMBOL = "BC-UBND"
# The longest text each setting keeps (the columns' sizes) and how many recipients.
LIMITS = {
    "issuing_body": 300,
    "superior": 300,
    "signer_name": 200,
    "signer_title": 200,
    "number_symbol": 64,
    "recipient": 300,
}
MAX_RECIPIENTS = 20
_SYMBOL = re.compile(r"^[0-9A-ZĐ]+(?:[-.][0-9A-ZĐ]+)*$")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
# "Lưu:" names the office file copy and the drafting office.
FILING = "VT, VHXH"


@dataclass(frozen=True)
class Letterhead:
    issuing_body: str  # line breaks are kept: "ỦY BAN NHÂN DÂN\nPHƯỜNG VĨNH TUY"
    superior: str | None
    signer_name: str | None
    signer_title: str
    authority: Authority
    number_symbol: str
    recipients: tuple[str, ...]

    @property
    def signature(self) -> tuple[str, ...]:
        """The signature block's lines above the room to sign."""
        lines = [_("TM. ỦY BAN NHÂN DÂN")]
        if self.authority is Authority.FOR_CHAIR:
            lines.append(_("KT. CHỦ TỊCH"))
        lines.append(self.signer_title.upper())
        return tuple(lines)


def default_issuing_body(ward: str) -> str:
    """ "ỦY BAN NHÂN DÂN\\nPHƯỜNG HỒNG BÀNG" from "Phường Hồng Bàng"."""
    name = ward.strip()
    if not _KIND.match(name):
        name = _("Phường {name}").format(name=name)
    return _("ỦY BAN NHÂN DÂN") + "\n" + name.upper()


def default_recipients() -> tuple[str, ...]:
    return (
        _("Thường trực Đảng ủy, HĐND phường"),
        _("Chủ tịch, các Phó Chủ tịch UBND phường"),
        _("Các phòng, đơn vị thuộc phường"),
    )


def default_title(authority: Authority) -> str:
    return _("PHÓ CHỦ TỊCH") if authority is Authority.FOR_CHAIR else _("CHỦ TỊCH")


def letterhead(ward: str, stored: ReportSettings | None) -> Letterhead:
    """The ward's settings, each left empty filled with its default."""
    authority = Authority(stored.authority) if stored and stored.authority else Authority.ON_BEHALF
    recipients = tuple(stored.recipients) if stored and stored.recipients else default_recipients()
    return Letterhead(
        issuing_body=(stored.issuing_body if stored else None) or default_issuing_body(ward),
        superior=stored.superior if stored else None,
        signer_name=stored.signer_name if stored else None,
        signer_title=(stored.signer_title if stored else None) or default_title(authority),
        authority=authority,
        number_symbol=(stored.number_symbol if stored else None) or DEFAULT_SYMBOL,
        recipients=recipients,
    )


def letterhead_lines(head: Letterhead) -> list[str]:
    """The settings as the coordinator reads them (/toi, the CLI)."""
    return [
        _("Cơ quan ban hành: {body}").format(body=" ".join(head.issuing_body.split())),
        _("Cơ quan cấp trên: {body}").format(body=head.superior or _("(không ghi)")),
        _("Người ký: {signature} {name}").format(
            signature=" / ".join(head.signature), name=head.signer_name or _("(chưa có tên)")
        ),
        _("Số văn bản: Số: …/{symbol}").format(symbol=head.number_symbol),
        _("Nơi nhận: {recipients}; Lưu: {filing}.").format(
            recipients="; ".join(head.recipients), filing=FILING
        ),
    ]


class BadSetting(ValueError):
    """A report setting that cannot be kept; the message says why, in the reader's language."""


def setting_text(name: str, value: str) -> str | None:
    """A typed setting made ready to keep: spaces tidied, "|" a line break (the issuing body
    on two lines), "" None (back to the default). Raises BadSetting."""
    if _CONTROL.search(value.replace("\n", "")):
        raise BadSetting(_("Nội dung có ký tự điều khiển, không dùng được."))
    lines = [" ".join(part.split()) for part in value.replace("|", "\n").splitlines()]
    text = "\n".join(line for line in lines if line)
    if not text:
        return None
    if len(text) > LIMITS[name]:
        raise BadSetting(_("Quá dài: tối đa {limit} ký tự.").format(limit=LIMITS[name]))
    if name == "number_symbol":
        text = text.upper()
        if not _SYMBOL.match(text):
            raise BadSetting(
                _("Ký hiệu văn bản «{symbol}» không hợp lệ: ví dụ BC-UBND.").format(
                    symbol=text[:20]
                )
            )
    return text


def authority_of(value: str) -> Authority:
    """ "TM", "tm.", "KT." → the authority; raises BadSetting."""
    key = value.strip().rstrip(".").upper()
    for authority in Authority:
        if key == authority.value:
            return authority
    raise BadSetting(
        _("Thẩm quyền ký là TM hoặc KT (không phải «{value}»).").format(value=value[:10])
    )


def recipients_of(values: list[str]) -> list[str] | None:
    """ "Nơi nhận:" as typed, one recipient a value; none is the default list."""
    if len(values) > MAX_RECIPIENTS:
        raise BadSetting(_("Tối đa {count} nơi nhận.").format(count=MAX_RECIPIENTS))
    kept = [text for text in (setting_text("recipient", v) for v in values) if text]
    return [text.replace("\n", " ").rstrip(";. ") for text in kept] or None
