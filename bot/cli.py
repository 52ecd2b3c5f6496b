"""`reportbot`: set a ward up, import plans, chat in the terminal, run the demo."""

from __future__ import annotations

import asyncio
import json
import logging
import os
import sys
from collections.abc import Awaitable, Callable
from contextlib import suppress
from datetime import date, datetime, time
from pathlib import Path
from typing import Annotated, Any, NoReturn, TypeVar
from zoneinfo import ZoneInfo

import typer
from pydantic import ValidationError
from typer.core import TyperArgument, TyperGroup, TyperOption

from bot.app import Application, open_application
from bot.config import Settings, redact_url
from bot.messages import summary_text, unreadable_text
from bot.plan_import.importer import import_appendix
from bot.plan_import.readers import UnreadableAppendix
from bot.plan_json import task_as_json
from bot.ward_setup import (
    UnitNeeded,
    UnknownUnit,
    ensure_example_ward,
    find_unit,
    invite as issue_invite,
)
from handlers.guidance import Outcome
from handlers.i18n import _, current_locale, format_day, format_number, set_process_locale
from storage.models import Ward
from storage.repositories import UnknownWard
from storage.repositories.wards import DuplicateWard
from storage.vocabulary import Role

T = TypeVar("T")


class _Reportbot(TyperGroup):
    """The `reportbot` command, its help in the language the configuration names."""

    def main(self, *args: Any, **kwargs: Any) -> Any:
        # Help is printed while the arguments are parsed, before any command runs. With a
        # configuration that does not validate it stays in Vietnamese, and the command reports
        # the problem when it reads the configuration (`read_settings`).
        with suppress(ValidationError):
            set_process_locale(Settings().default_locale)
        _translate_help(self)
        return super().main(*args, **kwargs)


def _translate_help(command: Any) -> None:
    """This module is imported in the source locale, so its help texts are still message ids;
    they are translated here, once the process locale is known."""
    if command.help:
        command.help = _(command.help)
    for parameter in command.params:
        if isinstance(parameter, TyperOption | TyperArgument) and parameter.help:
            parameter.help = _(parameter.help)
    if isinstance(command, TyperGroup):
        for subcommand in command.commands.values():
            _translate_help(subcommand)


app = typer.Typer(
    cls=_Reportbot,
    no_args_is_help=True,
    add_completion=False,
    help=_("ReportBot: báo cáo tiến độ Nghị quyết 57 của UBND phường qua Zalo và Telegram."),
)
db_app = typer.Typer(no_args_is_help=True, help=_("Cơ sở dữ liệu."))
ward_app = typer.Typer(no_args_is_help=True, help=_("Phường."))
unit_app = typer.Typer(no_args_is_help=True, help=_("Đơn vị của phường."))
plan_app = typer.Typer(no_args_is_help=True, help=_("Kế hoạch và phụ lục nhiệm vụ."))
app.add_typer(db_app, name="db")
app.add_typer(ward_app, name="ward")
app.add_typer(unit_app, name="unit")
app.add_typer(plan_app, name="plan")

ROLE_NAMES = {
    "head": Role.UNIT_HEAD,
    "staff": Role.UNIT_STAFF,
    "coordinator": Role.COORDINATOR,
    "leader": Role.LEADER,
}


def fail(message: str, code: int = 2) -> NoReturn:
    typer.echo(message, err=True)
    raise typer.Exit(code)


def read_settings() -> Settings:
    """The configuration, read as the command runs (never on import), so that a bad value is
    reported as such rather than raised; the message shows no value, which may be a secret."""
    try:
        return Settings()
    except ValidationError as error:
        problems = "; ".join(
            f"REPORTBOT_{'_'.join(str(part) for part in problem['loc']).upper()}: {problem['msg']}"
            for problem in error.errors()
        )
        fail(_("Cấu hình không hợp lệ: {problems}.").format(problems=problems))


def run(work: Callable[[Application], Awaitable[T]]) -> T:
    """Open the application (migrating the database), run `work`, and turn known errors into
    clear messages instead of tracebacks."""
    settings = read_settings()

    async def main() -> T:
        async with open_application(settings) as application:
            return await work(application)

    try:
        return asyncio.run(main())
    except UnknownWard as error:
        known = ", ".join(error.known) or _("(chưa có phường nào; dùng: reportbot ward add TÊN)")
        fail(
            _("Không có phường «{name}». Các phường đã có: {known}").format(
                name=error.name, known=known
            )
        )
    except UnknownUnit as error:
        known = ", ".join(error.known) or _("(chưa có đơn vị nào)")
        fail(
            _("Không có đơn vị «{name}». Các đơn vị của phường: {known}").format(
                name=error.name, known=known
            )
        )
    except OSError as error:
        fail(
            _("Không mở được cơ sở dữ liệu {url}: {error}").format(
                url=redact_url(settings.database_url), error=error.strerror or error
            )
        )
    raise AssertionError("unreachable")


@db_app.command("upgrade", help=_("Áp dụng các bản chuyển đổi cơ sở dữ liệu (Alembic)."))
def db_upgrade() -> None:
    async def work(application: Application) -> None:
        typer.echo(
            _("Cơ sở dữ liệu đã ở phiên bản mới nhất: {url}").format(
                url=redact_url(application.settings.database_url)
            )
        )

    run(work)


@ward_app.command("add", help=_("Thêm một phường."))
def ward_add(
    name: Annotated[str, typer.Argument(help=_("Tên phường, ví dụ «Phường Vĩnh Tuy»."))],
    report_day: Annotated[
        int | None, typer.Option(help=_("Ngày hạn báo cáo hằng tháng (1–28)."))
    ] = None,
    timezone: Annotated[str | None, typer.Option(help=_("Múi giờ."))] = None,
    locale: Annotated[str | None, typer.Option(help=_("Ngôn ngữ: vi hoặc en."))] = None,
) -> None:
    settings = read_settings()
    day = report_day or settings.default_report_day
    if not 1 <= day <= 28:
        fail(_("Ngày báo cáo phải từ 1 đến 28."))
    zone = timezone or settings.default_timezone
    try:
        ZoneInfo(zone)
    except (KeyError, ValueError):
        fail(_("Không biết múi giờ «{zone}» (ví dụ: Asia/Ho_Chi_Minh).").format(zone=zone))

    async def work(application: Application) -> None:
        async with application.transaction() as repositories:
            try:
                ward = await repositories.wards.add(
                    name, timezone=zone, report_day=day, locale=locale or settings.default_locale
                )
            except DuplicateWard:
                fail(_("Phường «{name}» đã có.").format(name=name))
            repositories.audit.record(
                actor="cli",
                action="create",
                entity="ward",
                entity_id=ward.id,
                ward_id=ward.id,
                changes={"name": [None, ward.name]},
            )
        typer.echo(
            _("Đã thêm {name}; hạn báo cáo ngày {day} hằng tháng.").format(name=ward.name, day=day)
        )

    run(work)


@ward_app.command("list", help=_("Liệt kê các phường."))
def ward_list() -> None:
    async def work(application: Application) -> None:
        async with application.transaction() as repositories:
            for ward in await repositories.wards.all():
                typer.echo(f"{ward.name}\t{ward.report_day}\t{ward.timezone}\t{ward.locale}")

    run(work)


WardOption = Annotated[str, typer.Option("--ward", "-w", help=_("Tên phường."))]


@unit_app.command("add", help=_("Thêm một đơn vị vào phường."))
def unit_add(
    name: Annotated[str, typer.Argument(help=_("Tên đơn vị."))],
    ward: WardOption,
    alias: Annotated[
        list[str] | None, typer.Option("--alias", help=_("Tên gọi khác (có thể lặp lại)."))
    ] = None,
) -> None:
    async def work(application: Application) -> None:
        async with application.transaction() as repositories:
            found = await repositories.wards.get(ward)
            units = repositories.for_ward(found.id).units
            existing = await units.find(name)
            if existing is not None:
                added = [a for a in alias or [] if units.add_alias(existing, a)]
                typer.echo(
                    _("Đơn vị «{name}» đã có; thêm tên gọi khác: {aliases}").format(
                        name=existing.name, aliases=", ".join(added) or "—"
                    )
                )
                return
            unit = await units.add(name, aliases=alias or [])
            repositories.audit.record(
                actor="cli",
                action="create",
                entity="unit",
                entity_id=unit.id,
                ward_id=found.id,
                changes={"name": [None, unit.name], "aliases": [None, unit.aliases]},
            )
            typer.echo(
                _("Đã thêm đơn vị «{name}» vào {ward}.").format(name=unit.name, ward=found.name)
            )

    run(work)


@unit_app.command("list", help=_("Liệt kê đơn vị của phường."))
def unit_list(ward: WardOption) -> None:
    async def work(application: Application) -> None:
        async with application.transaction() as repositories:
            found = await repositories.wards.get(ward)
            for unit in await repositories.for_ward(found.id).units.all():
                aliases = "; ".join(unit.aliases)
                typer.echo(f"{unit.name}" + (f"\t({aliases})" if aliases else ""))

    run(work)


@app.command("invite", help=_("Tạo mã đăng ký dùng một lần cho một người."))
def invite_command(
    ward: WardOption,
    role: Annotated[str, typer.Option(help="head | staff | coordinator | leader")],
    unit: Annotated[
        str | None, typer.Option(help=_("Đơn vị (bắt buộc với head và staff)."))
    ] = None,
    days: Annotated[int | None, typer.Option(help=_("Số ngày mã còn hiệu lực."))] = None,
    may_submit: Annotated[
        bool,
        typer.Option(help=_("Cán bộ (staff) được gửi báo cáo của đơn vị, không chỉ soạn nháp.")),
    ] = False,
) -> None:
    if role not in ROLE_NAMES:
        fail(_("Vai trò phải là một trong: {roles}.").format(roles=", ".join(ROLE_NAMES)))
    settings = read_settings()
    valid_days = days or settings.invite_valid_days
    if valid_days < 1:
        fail(_("Số ngày hiệu lực phải từ 1 trở lên."))

    async def work(application: Application) -> None:
        async with application.transaction() as repositories:
            found = await repositories.wards.get(ward)
            try:
                invitation = await issue_invite(
                    repositories, found, ROLE_NAMES[role], unit, valid_days, may_submit=may_submit
                )
            except UnitNeeded:
                fail(_("Vai trò {role} cần --unit.").format(role=role))
        expires = invitation.expires_at.astimezone(ZoneInfo(invitation.ward.timezone)).date()
        typer.echo(invitation.code)
        typer.echo(
            _(
                "Gửi cho người được mời: nhắn cho bot «/start {code}» trước {day}; mã chỉ dùng một lần."
            ).format(code=invitation.code, day=format_day(expires)),
            err=True,
        )

    run(work)


@plan_app.command(
    "import", help=_("Nhập phụ lục nhiệm vụ (.xlsx, .docx, .csv); nhập lại thì cập nhật.")
)
def plan_import(
    file: Annotated[Path, typer.Argument(help=_("Tệp phụ lục."))],
    ward: WardOption,
    number: Annotated[str | None, typer.Option(help=_("Số kế hoạch, ví dụ 54/KH-UBND."))] = None,
    title: Annotated[str | None, typer.Option(help=_("Tên kế hoạch."))] = None,
) -> None:
    async def work(application: Application) -> None:
        try:
            async with application.transaction() as repositories:
                found = await repositories.wards.get(ward)
                summary = await import_appendix(
                    repositories, found, file, number=number, title=title
                )
        except UnreadableAppendix as error:
            fail(unreadable_text(error))
        typer.echo(summary_text(summary))

    run(work)


@plan_app.command("show", help=_("Xem các nhiệm vụ của phường."))
def plan_show(
    ward: WardOption,
    as_json: Annotated[bool, typer.Option("--json", help=_("In dạng JSON."))] = False,
    plan: Annotated[str | None, typer.Option(help=_("Chỉ một kế hoạch (số kế hoạch)."))] = None,
) -> None:
    async def work(application: Application) -> None:
        async with application.transaction() as repositories:
            found = await repositories.wards.get(ward)
            plans = repositories.for_ward(found.id).plans
            chosen = await plans.all()
            if plan is not None:
                chosen = [p for p in chosen if p.number == plan]
                if not chosen:
                    fail(_("Phường chưa có kế hoạch số {number}.").format(number=plan))
            rows = [task_as_json(task, p.number) for p in chosen for task in await plans.tasks(p)]
        if as_json:
            typer.echo(json.dumps(rows, ensure_ascii=False, indent=2))
            return
        for row in rows:
            leads = ", ".join(_("mọi đơn vị") if u == "*" else u for u in row["lead_units"])
            typer.echo(f"{row['code']}\t{row['deadline']['text']}\t{leads}\t{row['content'][:80]}")

    run(work)


period_app = typer.Typer(no_args_is_help=True, help=_("Kỳ báo cáo."))
app.add_typer(period_app, name="period")


@period_app.command(
    "open", help=_("Mở kỳ báo cáo (tháng hoặc 6 tháng) và báo cho thủ trưởng các đơn vị.")
)
def period_open(
    ward: WardOption,
    month: Annotated[
        str,
        typer.Option(
            "--month", "--period", help=_("Kỳ: tháng 2026-11, hoặc 6 tháng 2026-H1 / 2026-H2.")
        ),
    ],
    due_day: Annotated[
        int | None, typer.Option(help=_("Ngày hạn của kỳ này, nếu khác ngày báo cáo của phường."))
    ] = None,
) -> None:
    from handlers.checkin.action_texts import outcome_text
    from handlers.checkin.actions import open_period
    from handlers.checkin.outcomes import OpenOutcome, PeriodOpened

    async def work(application: Application) -> OpenOutcome:
        async with application.transaction() as repositories:
            found = await repositories.wards.get(ward)
            return await open_period(repositories, found, month, due_day=due_day, actor="cli")

    opened = run(work)
    if not isinstance(opened, PeriodOpened):
        fail(outcome_text(opened))
    typer.echo(outcome_text(opened))


@app.command(
    "report",
    help=_(
        "Báo cáo tổng hợp của một kỳ: md (bản tin), docx (báo cáo Word), xlsx (bảng tính), png (biểu đồ)."
    ),
)
def report(
    period: Annotated[str, typer.Option(help=_("Kỳ báo cáo, ví dụ 2026-11."))],
    ward: Annotated[str | None, typer.Option("--ward", "-w", help=_("Tên phường."))] = None,
    all_wards: Annotated[
        bool, typer.Option("--all-wards", help=_("Bảng tính tổng hợp mọi phường (xlsx)."))
    ] = False,
    output_format: Annotated[str, typer.Option("--format", help="md | docx | xlsx | png")] = "md",
    output: Annotated[Path | None, typer.Option("-o", "--output", help=_("Ghi ra tệp."))] = None,
) -> None:
    from bot.reports.exports import render
    from handlers.reporting.files import ExportFormat
    from handlers.reporting.summary import summarize

    formats = [export.value for export in ExportFormat]
    if output_format not in formats:
        fail(
            _("Không có định dạng «{format}»; các định dạng: {formats}.").format(
                format=output_format, formats=", ".join(formats)
            )
        )
    export = ExportFormat(output_format)
    if all_wards == (ward is not None):
        fail(_("Chọn --ward TÊN hoặc --all-wards."))
    if all_wards and export is not ExportFormat.EXCEL:
        fail(_("Báo cáo mọi phường là bảng tính: dùng --format xlsx."))
    if export is not ExportFormat.MARKDOWN and output is None:
        fail(_("Định dạng {format} cần -o TỆP.").format(format=output_format))

    async def work(application: Application) -> bytes:
        async with application.transaction() as repositories:
            if ward is not None:
                found = await repositories.wards.get(ward)
                chosen = await repositories.for_ward(found.id).periods.by_label(period)
                if chosen is None:
                    fail(_("Không có kỳ báo cáo {period}.").format(period=period))
                return render(await summarize(repositories, found, chosen), export)
            from bot.reports.workbook import render_city_workbook

            wards = await repositories.wards.all()
            summaries = []
            with typer.progressbar(
                wards, label=_("Tổng hợp các phường"), file=sys.stderr
            ) as progress:
                for each in progress:
                    chosen = await repositories.for_ward(each.id).periods.by_label(period)
                    if chosen is not None:
                        summaries.append(await summarize(repositories, each, chosen))
            if not summaries:
                fail(_("Không phường nào có kỳ báo cáo {period}.").format(period=period))
            return render_city_workbook(summaries)

    content = run(work)
    if output is None:
        typer.echo(content.decode("utf-8"), nl=False)
    else:
        output.write_bytes(content)
        typer.echo(_("Đã ghi {path}.").format(path=output), err=True)


@app.command("ask", help=_("Hỏi như người dân: in câu trả lời từ các hướng dẫn, hoặc JSON."))
def ask(
    question: Annotated[str, typer.Argument(help=_("Câu hỏi."))],
    ward: Annotated[str | None, typer.Option("--ward", "-w", help=_("Tên phường."))] = None,
    as_json: Annotated[bool, typer.Option("--json", help=_("In dạng JSON."))] = False,
) -> None:
    from bot.guidance_directory import GuidanceDirectory
    from handlers.citizen import answer_replies
    from handlers.events import ChoicesReply, TextReply

    settings = read_settings()

    async def find_ward(application: Application) -> Ward:
        async with application.transaction() as repositories:
            return await repositories.wards.get(ward or "")

    found = run(find_ward) if ward else None
    engine = GuidanceDirectory(settings.wards_dir).engine_for(found)
    answer = engine.answer(question, locale=current_locale())
    replies = answer_replies(answer, engine.library.contacts)
    text = "\n\n".join(
        reply.numbered_text() if isinstance(reply, ChoicesReply) else reply.text
        for reply in replies
        if isinstance(reply, ChoicesReply | TextReply)
    )
    if not as_json:
        typer.echo(text)
        return
    payload = {
        "answer": text,
        "outcome": str(answer.outcome),
        "guide_id": answer.guide_id,
        "score": round(answer.score, 3),
        "handoff": answer.outcome is Outcome.HANDOFF,
        "handoff_reason": str(answer.handoff_reason) if answer.handoff_reason else None,
        "scam_warning": answer.scam_warning,
        "choices": [{"guide_id": guide.id, "title": guide.title} for guide in answer.choices],
        "sources": [
            {"title": source.title, "url": source.url}
            for source in (answer.guide.sources if answer.guide else ())
        ],
    }
    typer.echo(json.dumps(payload, ensure_ascii=False, indent=2))


@app.command(
    "questions", help=_("Câu hỏi của người dân trong một tháng: đã trả lời, đã chuyển cán bộ.")
)
def questions(
    ward: WardOption,
    month: Annotated[str, typer.Option(help=_("Tháng, dạng 2026-11."))],
) -> None:
    from handlers.guidance import summarize_questions

    try:
        first_day = date.fromisoformat(f"{month}-01")
    except ValueError:
        fail(_("Tháng phải có dạng NĂM-THÁNG, ví dụ 2026-11."))
    next_month = date(first_day.year + first_day.month // 12, first_day.month % 12 + 1, 1)

    async def work(application: Application) -> None:
        async with application.transaction() as repositories:
            found = await repositories.wards.get(ward)
            zone = ZoneInfo(found.timezone)
            start = datetime.combine(first_day, time(), zone)
            end = datetime.combine(next_month, time(), zone)
            asked = await repositories.questions.between(found.id, start, end)
        stats = summarize_questions((q.masked_text, q.outcome) for q in asked)
        typer.echo(
            _(
                "Tổng số câu hỏi: {total}; trả lời được: {answered}; "
                "đưa lựa chọn: {choices}; chuyển cán bộ: {handed}"
            ).format(
                total=format_number(stats.total),
                answered=format_number(stats.answered),
                choices=format_number(stats.offered_choices),
                handed=format_number(stats.handed_over),
            )
        )
        if stats.top_unanswered:
            typer.echo(_("Câu hỏi chưa có hướng dẫn, hỏi nhiều nhất:"))
            for text, count in stats.top_unanswered:
                typer.echo(f"  {format_number(count)} × {text}")

    run(work)


@app.command(
    "console", help=_("Trò chuyện với bot ngay trong terminal (mặc định: phường mẫu Hồng Bàng).")
)
def console(
    ward: Annotated[str | None, typer.Option("--ward", "-w", help=_("Tên phường."))] = None,
    as_unit: Annotated[
        str | None, typer.Option(help=_("Vào vai thủ trưởng của đơn vị này."))
    ] = None,
    as_coordinator: Annotated[bool, typer.Option(help=_("Vào vai chuyên viên đầu mối."))] = False,
    as_leader: Annotated[bool, typer.Option(help=_("Vào vai lãnh đạo phường."))] = False,
    as_citizen: Annotated[bool, typer.Option(help=_("Vào vai người dân."))] = False,
) -> None:
    from bot.console import ConsoleChat, console_identity

    if sum(bool(flag) for flag in (as_unit, as_coordinator, as_leader, as_citizen)) > 1:
        fail(_("Chọn một vai: --as-unit, --as-coordinator, --as-leader hoặc --as-citizen."))

    async def work(application: Application) -> None:
        settings = application.settings
        async with application.transaction() as repositories:
            example, summary = await ensure_example_ward(
                repositories, settings.default_timezone, settings.default_locale
            )
            if summary is not None:
                typer.echo(
                    _("Đã tạo cơ sở dữ liệu với phường mẫu {ward}.").format(ward=example.name)
                )
            found = await repositories.wards.get(ward) if ward else example
            unit = await find_unit(repositories, found, as_unit) if as_unit else None
        role = (
            Role.UNIT_HEAD
            if as_unit
            else Role.COORDINATOR
            if as_coordinator
            else Role.LEADER
            if as_leader
            else None
        )
        sender = await console_identity(application, found, unit=unit, role=role)
        dispatcher = application.dispatcher(channel_ward_id=found.id)
        await ConsoleChat(application, dispatcher, sender).run()

    run(work)


@app.command(
    "demo", help=_("Chạy thử trọn vẹn trên cơ sở dữ liệu tạm: không cần token, không cần mạng.")
)
def demo() -> None:
    from bot.demo import run_demo

    asyncio.run(run_demo(sys.stdout))


@app.command(
    "run",
    help=_(
        "Chạy trợ lý: mọi kênh đã cấu hình, việc gửi tin và máy chủ web (/healthz, webhook, "
        "liên kết tải tệp), đến khi nhận SIGTERM hoặc Ctrl+C."
    ),
)
def run_command() -> None:
    from bot.logs import configure_logging
    from bot.run import CannotRun, serve

    configure_logging(read_settings().secrets())

    async def work(application: Application) -> None:
        try:
            await serve(application)
        except CannotRun as problem:
            fail(str(problem))

    run(work)
    # Everything is released (channels, claims, the database). Tearing the interpreter
    # down (matplotlib, SQLAlchemy…) takes seconds on a busy machine, and whoever sent
    # SIGTERM waits for the exit: it is skipped.
    logging.shutdown()
    sys.stdout.flush()
    os._exit(0)


channel_app = typer.Typer(no_args_is_help=True, help=_("Kênh nhắn tin (tài khoản bot)."))
app.add_typer(channel_app, name="channel")


@channel_app.command(
    "check", help=_("Hỏi từng kênh: bot là ai, webhook ra sao, và nói điều gì chưa đúng.")
)
def channel_check() -> None:
    from bot.run import CannotRun, check_channels, no_channel_text

    async def work(application: Application) -> None:
        try:
            checked = await check_channels(application)
        except CannotRun as refused:
            fail(str(refused))
        if not checked:
            typer.echo(no_channel_text())
            return
        for name, problems in checked:
            if problems:
                typer.echo(_("Kênh {name}: chưa ổn.").format(name=name))
                for problem in problems:
                    typer.echo(f"  • {problem}")
            else:
                typer.echo(_("Kênh {name}: ổn.").format(name=name))
        if any(problems for _name, problems in checked):
            raise typer.Exit(1)

    run(work)


def main() -> None:
    app()
