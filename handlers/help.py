"""`/huongdan`: what the sender can do, for their role."""

from __future__ import annotations

from handlers.context import FlowContext
from handlers.i18n import _
from handlers.reporting.statuses import STATUS_ORDER, status_label, typed_short_form
from handlers.router import Router
from storage.vocabulary import Role

router = Router()


async def send_help(context: FlowContext) -> None:
    """Reply with the commands the sender's roles allow (the dispatcher fills them in)."""
    actor = context.actor
    lines = [describe() for describe in context.command_help]
    example = await _one_message_example(context)
    if example:
        lines += ["", example]
    if actor.is_citizen:
        intro = _(
            "Bạn có thể hỏi về VNeID, iHanoi và dịch vụ công trực tuyến. "
            "Cán bộ phường đăng ký bằng mã được cấp."
        )
    elif not actor.roles:
        intro = _(
            "Bạn không còn vai trò nào ở {ward}: vai trò đã được thu hồi hoặc chuyển cho người "
            "khác. Nếu cần, bạn xin mã mới từ phòng Văn hóa - Xã hội rồi gửi /start MÃ. "
            "Các lệnh bạn dùng được:"
        ).format(ward=actor.ward.name if actor.ward else "")
    else:
        intro = _("Các lệnh bạn dùng được:")
    context.reply("\n".join([intro, *lines]))


async def _one_message_example(context: FlowContext) -> str | None:
    """How to report in one message, with the sender's own first tasks as the example."""
    ward = context.actor.ward
    units = context.actor.units_for(Role.UNIT_HEAD, Role.UNIT_STAFF)
    if ward is None or not units:
        return None
    tasks = (
        await context.repositories.for_ward(ward.id).plans.tasks_for_unit(units[0].id)
    ).reporting
    if not tasks:
        return None
    samples = ["HT", "60% vướng kinh phí", "ctk", "kps"]
    example_lines = []
    for number, (task, sample) in enumerate(zip(tasks, samples, strict=False), start=1):
        if task.kpi_value is not None and task.kpi_unit == "%":
            sample = "đang thực hiện 70%, KPI 85%"
        example_lines.append(f"{number} {sample}" if number % 2 else f"{task.code}: {sample}")
    abbreviations = ", ".join(
        f"{typed_short_form(status)} ({status_label(status).lower()})" for status in STATUS_ORDER
    )
    return "\n".join(
        [
            _(
                "Báo cáo trong một tin nhắn: mỗi dòng một nhiệm vụ — số thứ tự (hoặc mã), tình trạng, "
                "phần trăm, chỉ tiêu, rồi ghi chú. Viết tắt: {abbreviations}, «giữ» (như kỳ trước). "
                "Ví dụ cho {unit}:"
            ).format(abbreviations=abbreviations, unit=units[0].name),
            *example_lines,
        ]
    )


@router.command(
    "huongdan",
    "help",
    "trogiup",
    describe=lambda: _("/huongdan — xem cách dùng"),
    citizens=True,
)
async def show_help(context: FlowContext) -> None:
    await send_help(context)


@router.command("huy", "thoat", describe=lambda: _("/huy — dừng việc đang làm dở"), citizens=True)
async def cancel(context: FlowContext) -> None:
    """The dispatcher has already left the flow; say so (answers given so far stay saved)."""
    context.reply(_("Đã dừng. Các câu trả lời đã gửi trước đó vẫn được lưu."))
