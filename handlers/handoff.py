"""A person behind the handoff: a citizen's question the guides cannot answer goes to the
ward's coordinators at once, and `/traloidan N nội dung` answers it through the channel it
came from while that channel still lets the ward answer (the Official Account's reply window).
"""

from __future__ import annotations

import hashlib

from handlers.checkin.answers import BadAnswer, numbered_argument, read_text
from handlers.context import FlowContext
from handlers.i18n import _, current_locale, format_moment
from handlers.notify import notify
from handlers.router import Router
from storage.repositories import Repositories
from storage.vocabulary import Role

router = Router()
# What a coordinator's notice quotes of the (masked) question; the rest is in the stored row.
QUOTED_CHARS = 300


async def hand_over(context: FlowContext, masked_question: str) -> None:
    """Tell the ward's coordinators that this citizen waits for a person, with the masked
    question, the channel and until when they can still be answered there."""
    ward = context.actor.ward
    if ward is None:
        return
    event = context.event
    repositories = context.repositories.for_ward(ward.id)
    handoff = await repositories.handoffs.open(
        channel=event.channel,
        chat_id=event.chat_id,
        masked_question=masked_question,
        locale=current_locale(),
    )
    window = await context.repositories.reply_windows.get(event.channel, event.chat_id)
    await notify(
        context.repositories,
        ward.id,
        await repositories.members.with_role(Role.COORDINATOR),
        {
            "kind": "citizen_handoff",
            "id": handoff.id,
            "question": masked_question[:QUOTED_CHARS],
            "channel": event.channel,
            "due_at": window.closes_at.isoformat() if window else None,
            "timezone": ward.timezone,
        },
        dedup=f"handoff:{handoff.id}",
    )


async def citizen_unreachable(
    repositories: Repositories, ward_id: int, channel: str, platform: str, chat_id: str, text: str
) -> None:
    """The channel refused a reply because the citizen's window has closed: the coordinators
    are told what did not reach them (the reply is never tried again). A member's chat is not
    a citizen's: telling the coordinators of their own notices would never end."""
    if await repositories.identities.member_for(platform, chat_id) is not None:
        return
    await notify(
        repositories,
        ward_id,
        await repositories.for_ward(ward_id).members.with_role(Role.COORDINATOR),
        {"kind": "citizen_unreachable", "channel": channel, "text": text[:QUOTED_CHARS]},
        dedup="unreachable:"
        + hashlib.sha256(
            f"{channel}:{chat_id}:{repositories.clock.now()}:{text}".encode()
        ).hexdigest(),
    )


@router.command(
    "traloidan",
    describe=lambda: _("/traloidan SỐ nội dung — trả lời câu hỏi người dân được chuyển tới"),
    roles={Role.COORDINATOR},
)
async def answer_citizen(context: FlowContext) -> None:
    ward = context.actor.ward
    member = context.actor.member
    assert ward is not None and member is not None
    index, number, text = numbered_argument(context.event.argument)
    repositories = context.repositories.for_ward(ward.id)
    handoff = await repositories.handoffs.by_id(index) if index else None
    if handoff is None:
        context.reply(
            _("Không có câu hỏi số «{number}». Cú pháp: /traloidan SỐ nội dung").format(
                number=number[:20]
            )
        )
        return
    try:
        answer = read_text(text)
    except BadAnswer as problem:
        context.reply(str(problem))
        return
    window = await context.repositories.reply_windows.get(handoff.channel, handoff.chat_id)
    if window is not None and window.closes_at <= context.clock.now():
        context.reply(
            _(
                "Không gửi được: thời hạn trả lời người dân qua {channel} đã hết lúc {moment} "
                "(Zalo chỉ cho trả lời trong một thời gian sau tin nhắn cuối của họ). Câu trả "
                "lời chưa được gửi; khi người dân nhắn lại, bạn gửi lại lệnh này."
            ).format(channel=handoff.channel, moment=format_moment(window.closes_at, ward.timezone))
        )
        return
    await context.repositories.outbox.enqueue(
        channel=handoff.channel,
        chat_id=handoff.chat_id,
        payload={"kind": "handoff_answer", "answer": answer},
        locale=handoff.locale,
        ward_id=ward.id,
    )
    repositories.handoffs.answered(handoff, member.id)
    context.repositories.audit.record(
        actor=context.actor.actor_label,
        action="answer",
        entity="handoff",
        entity_id=handoff.id,
        ward_id=ward.id,
        changes={"answer": [None, answer]},
    )
    context.reply(
        _("Đã gửi câu trả lời cho người dân (câu hỏi #{id}) qua {channel}.").format(
            id=handoff.id, channel=handoff.channel
        )
    )
