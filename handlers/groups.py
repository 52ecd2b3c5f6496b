"""Group chats: `/nhom` registers a group for the coordinator's ward, and a ward's data is shown
only in a group registered for that ward."""

from __future__ import annotations

from handlers.context import FlowContext
from handlers.i18n import _
from handlers.router import Router
from storage.vocabulary import Role

router = Router()

REGISTER_COMMAND = "nhom"
# Harmless anywhere: what a group may ask before it is registered.
ANYWHERE_COMMANDS = frozenset({REGISTER_COMMAND, "huongdan", "help"})


@router.command(
    REGISTER_COMMAND,
    "group",
    describe=lambda: _("/nhom — (gửi trong nhóm) đăng ký nhóm điều phối của phường"),
    roles={Role.COORDINATOR},
)
async def register_group(context: FlowContext) -> None:
    event = context.event
    actor = context.actor
    if event.is_private or actor.member is None or actor.ward is None:
        context.reply(
            _("Lệnh /nhom dùng trong nhóm chat: thêm trợ lý vào nhóm rồi gửi /nhom trong nhóm đó.")
        )
        return
    registered = await context.repositories.groups.register(
        event.channel, event.chat_id, actor.ward.id, actor.member.id, None
    )
    if not registered:
        context.reply(
            _("Nhóm này đã được đăng ký cho một phường khác, nên không đăng ký lại được.")
        )
        return
    context.reply(
        _(
            "Đã đăng ký nhóm này cho {ward}. Cán bộ của phường dùng được các lệnh của trợ lý "
            "ngay trong nhóm."
        ).format(ward=actor.ward.name)
    )


async def group_allows(context: FlowContext) -> bool:
    """Whether this group message may reach the flows; if not, the reply says why. A group not
    registered, or registered for another ward than the member's, sees no ward data."""
    event = context.event
    if event.is_private or (event.command or "") in ANYWHERE_COMMANDS:
        return True
    group_ward = await context.repositories.groups.ward_of(event.channel, event.chat_id)
    actor = context.actor
    if group_ward is None:
        context.reply(
            _(
                "Nhóm này chưa được đăng ký với phường nào. Cán bộ phòng Văn hóa - Xã hội gửi "
                "/nhom trong nhóm để đăng ký; trong lúc chờ, bạn nhắn riêng cho trợ lý."
            )
        )
        return False
    if actor.is_citizen:
        return True
    if actor.ward is None or actor.ward.id != group_ward:
        context.reply(
            _("Nhóm này thuộc phường khác với phường bạn đăng ký. Bạn nhắn riêng cho trợ lý.")
        )
        return False
    return True
