"""Rendering queued notifications in the recipient's language when they are delivered."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from handlers.i18n import _, format_moment
from handlers.labels import category_label, role_label
from storage.vocabulary import IncidentCategory, Role


def _moment(payload: dict[str, Any]) -> str:
    return format_moment(datetime.fromisoformat(payload["due_at"]), payload["timezone"])


def render_notification(payload: dict[str, Any]) -> str:
    kind = payload.get("kind")
    if kind == "member_registered":
        return _("{member} đã đăng ký: {role} — {where}.").format(
            member=payload["member"], role=role_label(Role(payload["role"])), where=payload["where"]
        )
    if kind == "period_opened":
        return _(
            "Kỳ báo cáo {period} đã mở. {unit} có {tasks} nhiệm vụ cần báo cáo, hạn gửi trước "
            "{moment}. Gửi /baocao để bắt đầu (trả lời từng nhiệm vụ, hoặc cả báo cáo trong một tin nhắn)."
        ).format(
            period=payload["period"],
            unit=payload["unit"],
            tasks=payload["tasks"],
            moment=_moment(payload),
        )
    if kind == "submitted":
        text = (
            _("{unit} đã gửi báo cáo kỳ {period}.")
            if not payload["late"]
            else _("{unit} đã gửi báo cáo kỳ {period} (sau hạn).")
        )
        return (
            text.format(unit=payload["unit"], period=payload["period"])
            + " "
            + _("Xem: /donvi {unit}").format(unit=payload["unit"])
        )
    if kind == "edited_after_submission":
        moment = format_moment(datetime.fromisoformat(payload["at"]), payload["timezone"])
        text = (
            _(
                "{unit} đã sửa báo cáo kỳ {period} sau khi được duyệt (lúc {moment}); báo cáo trở lại chờ duyệt."
            )
            if payload["accepted"]
            else _("{unit} đã sửa báo cáo kỳ {period} sau khi gửi (lúc {moment}).")
        )
        return (
            text.format(unit=payload["unit"], period=payload["period"], moment=moment)
            + " "
            + _("Xem: /donvi {unit}").format(unit=payload["unit"])
        )
    if kind == "accepted":
        return _("Báo cáo kỳ {period} của {unit} đã được duyệt.").format(
            period=payload["period"], unit=payload["unit"]
        )
    if kind == "returned":
        return _(
            "Báo cáo kỳ {period} của {unit} bị trả lại: {reason}. Gửi /baocao để sửa và gửi lại."
        ).format(period=payload["period"], unit=payload["unit"], reason=payload["reason"])
    if kind == "blocker_raised":
        return _(
            "Vướng mắc #{id} của {unit}: {description}. Hạn trả lời: {moment}. Trả lời: /traloi {id} nội dung"
        ).format(
            id=payload["id"],
            unit=payload["unit"],
            description=payload["description"],
            moment=_moment(payload),
        )
    if kind == "blocker_answered":
        return _(
            "Phòng Văn hóa - Xã hội đã trả lời vướng mắc #{id} ({description}): {answer}"
        ).format(
            id=payload["id"], description=payload["description"][:100], answer=payload["answer"]
        )
    if kind == "incident":
        return _("⚠️ Sự cố #{id} ({category}) do {unit} báo: {description}").format(
            id=payload["id"],
            category=category_label(IncidentCategory(payload["category"])),
            unit=payload["unit"],
            description=payload["description"],
        )
    scheduled = _scheduled(kind, payload)
    if scheduled is not None:
        return scheduled
    if kind == "citizen_handoff":
        text = _("Người dân hỏi qua {channel} (câu hỏi #{id}): «{question}».").format(
            channel=payload["channel"], id=payload["id"], question=payload["question"]
        )
        if payload.get("due_at"):
            text += " " + _("Trả lời được đến {moment}.").format(moment=_moment(payload))
        return text + " " + _("Trả lời: /traloidan {id} nội dung").format(id=payload["id"])
    if kind == "handoff_answer":
        return _("Cán bộ phường trả lời câu hỏi của bạn: {answer}").format(answer=payload["answer"])
    if kind == "citizen_unreachable":
        return _(
            "Không gửi được tin trả lời cho một người dân qua {channel}: Zalo báo đã hết thời "
            "hạn trả lời (người dân chưa nhắn lại). Tin chưa gửi: «{text}»"
        ).format(channel=payload["channel"], text=payload["text"])
    channel_notice = _channel_notice(kind, payload)
    if channel_notice is not None:
        return channel_notice
    raise ValueError(f"unknown notification kind: {kind!r}")


def _channel_notice(kind: object, payload: dict[str, Any]) -> str | None:
    """What handlers/channel_notices.py tells the coordinators about a channel."""
    if kind == "quota_spent":
        return _(
            "Kênh {channel} đã dùng hết số tin nhắn được gửi trong tháng {month}: từ giờ đến "
            "hết tháng trợ lý không gửi được gì qua kênh này (các tin chờ sang ngày 1 tháng "
            "sau). Xem: reportbot channel status"
        ).format(channel=payload["channel"], month=payload["month"])
    if kind == "user_cap_near":
        return _(
            "Bot của kênh {channel} đã có {users}/{cap} người dùng, gần hết giới hạn của gói "
            "miễn phí. Người mới nên được mời qua một bot Zalo khác của phường."
        ).format(channel=payload["channel"], users=payload["users"], cap=payload["cap"])
    if kind == "member_unreachable":
        return _(
            "Không gửi được tin cho {member} qua {channel}: người này đã chặn bot hoặc cuộc trò "
            "chuyện không còn. Trợ lý ngừng gửi cho tài khoản này cho đến khi họ nhắn lại bot; "
            "bạn vui lòng liên hệ trực tiếp với họ."
        ).format(member=payload["member"], channel=payload["channel"])
    return None


def _scheduled(kind: object, payload: dict[str, Any]) -> str | None:
    """What the scheduler sends (handlers/scheduling/due.py)."""
    if kind == "nudge":
        left = payload["left"]
        if left < payload["tasks"]:
            progress = _("{unit} còn {left}/{tasks} nhiệm vụ chưa trả lời.").format(
                unit=payload["unit"], left=left, tasks=payload["tasks"]
            )
        else:
            progress = _("{unit} chưa gửi báo cáo ({tasks} nhiệm vụ).").format(
                unit=payload["unit"], tasks=payload["tasks"]
            )
        return (
            _("Nhắc báo cáo kỳ {period}: hạn gửi trước {moment}.").format(
                period=payload["period"], moment=_moment(payload)
            )
            + " "
            + progress
            + " "
            + _("Gửi /baocao để tiếp tục, hoặc /nhacsau để được nhắc lại vào ngày làm việc sau.")
        )
    if kind == "overdue":
        return _(
            "Kỳ báo cáo {period} đã quá hạn ({moment}) mà {unit} chưa gửi báo cáo. Gửi /baocao "
            "để báo cáo ngay; phòng Văn hóa - Xã hội đã được báo danh sách đơn vị chưa gửi."
        ).format(period=payload["period"], moment=_moment(payload), unit=payload["unit"])
    if kind == "late_units":
        lines = [
            _("Kỳ {period} đã quá hạn; các đơn vị chưa gửi báo cáo:").format(
                period=payload["period"]
            )
        ]
        for unit, nudged in payload["units"]:
            lines.append("• " + _("{unit} (đã nhắc {count} lần)").format(unit=unit, count=nudged))
        lines.append(_("Nhắc ngay: /nhac hoặc /nhac TÊN ĐƠN VỊ"))
        return "\n".join(lines)
    if kind == "progress":
        missing = ", ".join(payload["missing"]) or _("không còn")
        return _(
            "Tiến độ kỳ {period} (hạn trước {moment}): đã gửi {submitted}/{total} đơn vị. "
            "Chưa gửi: {missing}."
        ).format(
            period=payload["period"],
            moment=_moment(payload),
            submitted=payload["submitted"],
            total=payload["total"],
            missing=missing,
        )
    if kind == "digest":
        return str(payload["text"])
    if kind == "blocker_overdue":
        return _(
            "Vướng mắc #{id} của {unit} đã quá hạn trả lời ({moment}): {description}. "
            "Trả lời: /traloi {id} nội dung (nhắc lần {times})."
        ).format(
            id=payload["id"],
            unit=payload["unit"],
            moment=_moment(payload),
            description=payload["description"],
            times=payload["times"],
        )
    if kind == "head_handed_over":
        return _(
            "{successor} đã đăng ký làm thủ trưởng {unit}, thay {predecessor}; vai trò thủ trưởng "
            "của {predecessor} ở đơn vị này đã kết thúc. Báo cáo đang soạn dở của đơn vị vẫn còn."
        ).format(
            successor=payload["successor"],
            unit=payload["unit"],
            predecessor=payload["predecessor"],
        )
    if kind == "still_open":
        return _(
            "Đã mở kỳ {new}. Kỳ {period} vẫn mở để các đơn vị gửi muộn, cho đến khi phòng "
            "Văn hóa - Xã hội đóng kỳ."
        ).format(new=payload["new"], period=payload["period"])
    return None
