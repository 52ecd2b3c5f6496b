"""The citizen flow: questions answered from the ward's guides, or handed to a person.

Every question is stored masked (no ID numbers, phone numbers or addresses) with what the
bot did, so coordinators see what went unanswered. Text shown comes only from guides and the
ward's configured contacts; the sentences around them come from the catalogs.
"""

from __future__ import annotations

from handlers.context import FlowContext
from handlers.events import Choice, ChoicesReply, EventKind, Reply, TextReply
from handlers.guidance import (
    GuidanceAnswer,
    Guide,
    HandoffReason,
    Outcome,
    Topic,
    WardContacts,
)
from handlers.guidance.screening import MAX_QUESTION_CHARS
from handlers.handoff import hand_over
from handlers.i18n import _, current_locale
from handlers.router import Router
from storage.folding import fold_text

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


REPLY_LIMIT = 1200  # characters of one reply; the rest is behind "xem thêm"
MORE_WORDS = frozenset({"xem them", "xem tiep", "them", "more", "see more", "xt"})


def topic_text(
    topic: Topic, *, language_note: bool = False, full: bool = False, limit: int = REPLY_LIMIT
) -> tuple[str, bool]:
    """The reply for a guide or entry and whether steps were left for "xem thêm".

    An entry's answer comes first (the fact asked, within the first 300 characters), then
    the guide's steps, then the sources, the entry's own first; within `limit` characters
    unless `full`, cutting steps before sources, so every reply names its source.
    """
    guide, entry = topic.guide, topic.entry
    note = [_("(Hướng dẫn này hiện chỉ có bằng tiếng Việt.)")] if language_note else []
    if entry is None:
        lead = [guide.title, *note]
        intro, steps = _intro_and_steps(guide.body)
        lead += [intro] if intro else []
        sources = guide.sources
    else:
        lead = [entry.answer, *note]
        steps = [_("Các bước ({title}):").format(title=guide.title), *guide.body.splitlines()]
        steps = [line for line in steps if line.strip()]
        sources = (entry.source, *(s for s in guide.sources if s != entry.source))
    source_lines = [f"• {source.title}: {source.url}" for source in sources]
    heading = _("Nguồn:")
    more = _("Gõ «xem thêm» để xem đủ hướng dẫn.")

    def render(kept_steps: list[str], kept_sources: list[str], cut: bool) -> str:
        parts = ["\n".join(lead)]
        if kept_steps:
            parts.append("\n".join(kept_steps))
        if cut:
            parts.append(more)
        parts.append(heading + "\n" + "\n".join(kept_sources))
        return "\n\n".join(parts)

    text = render(steps, source_lines, cut=False)
    if full or len(text) <= limit:
        return text, False
    kept_sources = source_lines[:1]
    while len(kept_sources) < len(source_lines) and (
        len(render([], [*kept_sources, source_lines[len(kept_sources)]], cut=True)) <= limit
    ):
        kept_sources.append(source_lines[len(kept_sources)])
    kept_steps: list[str] = []
    for line in steps:
        if len(render([*kept_steps, line], kept_sources, cut=True)) > limit:
            break
        kept_steps.append(line)
    if entry is not None and len(kept_steps) == 1:  # a heading without its steps
        kept_steps = []
    return render(kept_steps, kept_sources, cut=True), True


def _intro_and_steps(body: str) -> tuple[str, list[str]]:
    """A guide's opening sentences, then its other lines (numbered steps and notes)."""
    lines = [line for line in body.splitlines() if line.strip()]
    first_step = next(
        (index for index, line in enumerate(lines) if line.lstrip()[:1].isdigit()), len(lines)
    )
    return "\n".join(lines[:first_step]), lines[first_step:]


def guide_text(guide: Guide, *, language_note: bool = False) -> str:
    """A whole guide as one reply, within the reply limit."""
    return topic_text(Topic(guide), language_note=language_note)[0]


def _outside_province_text(guide: Guide, province: str) -> str:
    return _(
        "«{title}» chỉ áp dụng ở {places}, chưa áp dụng ở {province}. "
        "Bạn hỏi cán bộ phường về cách làm ở địa phương mình nhé."
    ).format(title=guide.title, places=", ".join(guide.provinces), province=province)


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


def _choices(question: str, topics: tuple[Topic, ...]) -> ChoicesReply:
    choices = [Choice(topic.key, topic.title) for topic in topics]
    choices.append(Choice(HANDOFF_CHOICE, _("Không phải các ý trên — chuyển cán bộ phường")))
    return ChoicesReply(question, tuple(choices))


def answer_replies(
    answer: GuidanceAnswer, contacts: WardContacts, *, full: bool = False
) -> list[Reply]:
    """The messages for the engine's decision, in the current locale (chat and `reportbot ask`)."""
    return _replies(answer, contacts, full=full)[0]


def _replies(
    answer: GuidanceAnswer, contacts: WardContacts, *, full: bool = False
) -> tuple[list[Reply], bool]:
    """The messages, and whether the reply left steps for "xem thêm"."""
    if answer.scam_warning and answer.guide is not None:
        header = _("⚠️ Cảnh giác lừa đảo — đọc kỹ trước khi làm theo bất kỳ ai:")
        offer = (
            [_choices(_("Bạn còn muốn xem hướng dẫn nào?"), answer.choices)]
            if answer.choices
            else []
        )
        # The warning, the guide and the offer together stay within one reply's length.
        room = REPLY_LIMIT - len(header) - sum(len(o.numbered_text()) for o in offer) - 4
        warning, cut = topic_text(
            Topic(answer.guide, answer.entry),
            language_note=answer.language_note,
            full=full,
            limit=room,
        )
        return [TextReply(header + "\n\n" + warning), *offer], cut
    if answer.outcome is Outcome.ANSWER and answer.guide is not None:
        if answer.outside_province and contacts.province:
            replies = [TextReply(_outside_province_text(answer.guide, contacts.province))]
            return replies + _handoff_replies(None, contacts)[1:], False
        text, cut = topic_text(
            Topic(answer.guide, answer.entry), language_note=answer.language_note, full=full
        )
        return [TextReply(text)], cut
    if answer.outcome is Outcome.CHOICES and answer.choices:
        return [_choices(_("Bạn muốn hỏi về nội dung nào?"), answer.choices)], False
    return _handoff_replies(answer.handoff_reason, contacts), False


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
    replies, cut = _replies(answer, engine.library.contacts)
    for reply in replies:
        if isinstance(reply, ChoicesReply):
            context.ask(reply.text, list(reply.choices))
            context.go_to(FLOW, "choose", question=answer.masked_question)
        else:
            context.send(reply)
    if cut and answer.guide is not None:
        key = Topic(answer.guide, answer.entry).key
        context.go_to(FLOW, "more", topic=key, note=answer.language_note)


@router.flow(FLOW)
async def continue_citizen(context: FlowContext) -> None:
    """A pick among offered choices, or "xem thêm" after a shortened reply."""
    event = context.event
    engine = context.guidance_engine()
    if context.step == "more":
        key, note = context.data.get("topic"), bool(context.data.get("note"))
        topic = engine.topic(key, current_locale()) if isinstance(key, str) else None
        if topic is None or fold_text(event.text.strip().lower()) not in MORE_WORDS:
            await answer_question(context)
            return
        context.finish()
        context.reply(topic_text(topic, language_note=note, full=True)[0])
        return
    if event.kind is not EventKind.CHOICE or event.choice is None:
        await answer_question(context)
        return
    question = str(context.data.get("question", ""))
    context.finish()
    if event.choice == HANDOFF_CHOICE:
        await hand_over(context, question)
        for reply in _handoff_replies(HandoffReason.NOT_CONFIDENT, engine.library.contacts):
            context.send(reply)
        return
    topic = engine.topic(event.choice, current_locale())
    if topic is None:
        await answer_question(context)
        return
    text, cut = topic_text(topic, language_note=topic.guide.locale != current_locale())
    context.reply(text)
    if cut:
        context.go_to(FLOW, "more", topic=topic.key, note=topic.guide.locale != current_locale())
