"""Translated names of the vocabularies, for messages."""

from __future__ import annotations

from handlers.i18n import _
from storage.vocabulary import IncidentCategory, Role


def role_label(role: Role) -> str:
    labels = {
        Role.COORDINATOR: _("chuyên viên đầu mối (phòng Văn hóa - Xã hội)"),
        Role.UNIT_HEAD: _("thủ trưởng đơn vị"),
        Role.UNIT_STAFF: _("cán bộ đơn vị"),
        Role.LEADER: _("lãnh đạo UBND phường"),
    }
    return labels[role]


def category_label(category: IncidentCategory) -> str:
    labels = {
        IncidentCategory.INFRASTRUCTURE: _(
            "Hạ tầng số (mạng, máy chủ, thiết bị, phần mềm dùng chung)"
        ),
        IncidentCategory.SECURITY: _("An toàn thông tin (tấn công, mã độc, lộ lọt dữ liệu)"),
    }
    return labels[category]


def messenger_label(platform: str) -> str:
    """The messenger a person uses, as they call it."""
    labels = {
        "console": _("cửa sổ dòng lệnh (reportbot console)"),
        "telegram": "Telegram",
        "zalo_bot": "Zalo",
        "zalo_oa": _("Zalo (tài khoản Official Account của phường)"),
    }
    return labels.get(platform, platform)
