"""The citizen flow: questions answered from the ward's guides, or handed to a person.

Every question is stored masked (no ID numbers, phone numbers or addresses) with what the
bot did, so coordinators see what went unanswered. Text shown comes only from guides and the
ward's configured contacts; the sentences around them come from the catalogs.
"""

from __future__ import annotations

from handlers.context import FlowContext
from handlers.events import Choice, ChoicesReply, EventKind, Reply, TextReply
from handlers.guidance import GuidanceAnswer, Guide, HandoffReason, Outcome, WardContacts
from handlers.guidance.screening import MAX_QUESTION_CHARS
from handlers.handoff import hand_over
from handlers.i18n import _, current_locale
from handlers.router import Router

router = Router()
FLOW = "citizen"
HANDOFF_CHOICE = "handoff"
# Reasons for which a person should look at the question (the rest are the asker's to fix).
FOR_STAFF = frozenset(
    {
        HandoffReason.NOT_CONFIDENT,
        HandoffReason.WARD_VALUE_MISSING,
        HandoffReason.UNSUPPORTED_LANGUAGE,
    }
)


def guide_text(guide: Guide, *, language_note: bool = False) -> str:
    sources = "\n".join(f"• {source.title}: {source.url}" for source in guide.sources)
    parts = [guide.title, guide.body.strip(), _("Nguồn:") + "\n" + sources]
    if language_note:
        parts.insert(0, _("(Hướng dẫn này hiện chỉ có bằng tiếng Việt.)"))
    return "\n\n".join(parts)


def _handoff_text(reason: HandoffReason | None) -> str:
    not_for_people = _(
        "Mình chỉ hướng dẫn về VNeID, iHanoi và dịch vụ công; mình không cung cấp "
        "thông tin cá nhân hay số điện thoại của ai."
    )
    texts = {
        HandoffReason.EMPTY: _("Bạn gõ câu hỏi giúp mình nhé, ví dụ: «quên mật khẩu VNeID»."),
        HandoffReason.TOO_LONG: _(
            "Câu hỏi dài quá {limit} ký tự. Bạn viết ngắn gọn lại giúp mình nhé."
        ).format(limit=MAX_QUESTION_CHARS),
        HandoffReason.UNSUPPORTED_LANGUAGE: _(
            "Mình chỉ trả lời được bằng tiếng Việt hoặc tiếng Anh. "
            "Câu hỏi đã được ghi lại để cán bộ phường xem."
        ),
        HandoffReason.PROMPT_INJECTION: not_for_people,
        HandoffReason.PERSONAL_DATA_REQUEST: not_for_people,
        HandoffReason.NOT_CONFIDENT: _(
            "Mình chưa có hướng dẫn chắc chắn cho câu hỏi này, nên không đoán. "
            "Câu hỏi đã được chuyển tới cán bộ phường."
        ),
        HandoffReason.WARD_VALUE_MISSING: _(
            "Phường chưa cập nhật thông tin này cho trợ lý. "
            "Câu hỏi đã được chuyển tới cán bộ phường."
        ),
    }
    return texts[reason or HandoffReason.NOT_CONFIDENT]


def _handoff_replies(reason: HandoffReason | None, contacts: WardContacts) -> list[Reply]:
    replies: list[Reply] = [TextReply(_handoff_text(reason))]
    contact = contacts.get("human_contact")
    if contact and reason not in (HandoffReason.EMPTY, HandoffReason.TOO_LONG):
        replies.append(TextReply(_("Cần gặp cán bộ: {contact}").format(contact=contact)))
    return replies


def _choices(question: str, guides: tuple[Guide, ...]) -> ChoicesReply:
    choices = [Choice(guide.id, guide.title) for guide in guides]
    choices.append(Choice(HANDOFF_CHOICE, _("Không phải các ý trên — chuyển cán bộ phường")))
    return ChoicesReply(question, tuple(choices))


def answer_replies(answer: GuidanceAnswer, contacts: WardContacts) -> list[Reply]:
    """The messages for the engine's decision, in the current locale (chat and `reportbot ask`)."""
    if answer.scam_warning and answer.guide is not None:
        replies: list[Reply] = [
            TextReply(_("⚠️ Cảnh giác lừa đảo — đọc kỹ trước khi làm theo bất kỳ ai:")),
            TextReply(guide_text(answer.guide, language_note=answer.language_note)),
        ]
        if answer.choices:
            replies.append(_choices(_("Bạn còn muốn xem hướng dẫn nào?"), answer.choices))
        return replies
    if answer.outcome is Outcome.ANSWER and answer.guide is not None:
        return [TextReply(guide_text(answer.guide, language_note=answer.language_note))]
    if answer.outcome is Outcome.CHOICES and answer.choices:
        return [_choices(_("Bạn muốn hỏi về nội dung nào?"), answer.choices)]
    return _handoff_replies(answer.handoff_reason, contacts)


def _record(context: FlowContext, answer: GuidanceAnswer) -> None:
    ward = context.actor.ward
    context.repositories.questions.record(
        ward_id=ward.id if ward else None,
        platform=context.actor.sender.platform,
        masked_text=answer.masked_question,
        outcome=str(answer.outcome),
        guide_id=answer.guide_id,
        handoff_reason=str(answer.handoff_reason) if answer.handoff_reason else None,
    )


async def answer_question(context: FlowContext) -> None:
    """A citizen's message outside any step: answer it as a question."""
    context.finish()
    engine = context.guidance_engine()
    answer = engine.answer(context.event.text, locale=current_locale())
    _record(context, answer)
    if (
        answer.outcome is Outcome.HANDOFF
        and (answer.handoff_reason or HandoffReason.NOT_CONFIDENT) in FOR_STAFF
    ):
        await hand_over(context, answer.masked_question)
    for reply in answer_replies(answer, engine.library.contacts):
        if isinstance(reply, ChoicesReply):
            context.ask(reply.text, list(reply.choices))
            context.go_to(FLOW, "choose", question=answer.masked_question)
        else:
            context.send(reply)


@router.flow(FLOW)
async def choose(context: FlowContext) -> None:
    event = context.event
    if event.kind is not EventKind.CHOICE or event.choice is None:
        await answer_question(context)
        return
    question = str(context.data.get("question", ""))
    context.finish()
    library = context.guidance_engine().library
    if event.choice == HANDOFF_CHOICE:
        await hand_over(context, question)
        for reply in _handoff_replies(HandoffReason.NOT_CONFIDENT, library.contacts):
            context.send(reply)
        return
    if event.choice in library:
        guide = library.get(event.choice, current_locale())
        context.reply(guide_text(guide, language_note=guide.locale != current_locale()))
