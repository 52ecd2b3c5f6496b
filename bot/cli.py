"""`reportbot`: set a ward up, import plans, chat in the terminal, run the demo."""

from __future__ import annotations

import asyncio
import json
import logging
import os
import re
import sys
import tomllib
from collections.abc import Awaitable, Callable
from contextlib import suppress
from datetime import date, datetime
from pathlib import Path
from typing import Annotated, Any, NoReturn, TypeVar
from zoneinfo import ZoneInfo

import typer
from pydantic import ValidationError
from typer.core import TyperArgument, TyperGroup, TyperOption

from bot.app import Application, open_application
from bot.channels import Platform
from bot.cli_words import library_words_translated
from bot.config import CONFIG_FILE_VARIABLE, DEFAULT_CONFIG_FILE, Settings, redact_url
from bot.messages import bad_rows_text, summary_text, unit_kind_label, unreadable_text
from bot.os_errors import os_reason
from bot.plan_import.appendix import appendix_label
from bot.plan_import.importer import BadRows, ImportSummary, import_appendix
from bot.plan_import.readers import UnreadableAppendix
from bot.plan_json import task_as_json
from bot.ward_setup import (
    EXAMPLE_WARD_NAME,
    SameUnit,
    UnknownUnit,
    ensure_example_ward,
    find_unit,
    invite as issue_invite,
    merge_units,
    remove_unit,
    rename_unit,
)
from handlers.guidance import Outcome
from handlers.i18n import (
    SUPPORTED_LOCALES,
    _,
    current_locale,
    format_day,
    format_moment,
    format_number,
    set_process_locale,
)
from handlers.labels import messenger_label, role_label
from handlers.people import (
    YES_WORDS,
    NameTooLong,
    NotTheHead,
    UnitNeeded,
    find_members,
    holdings,
    name_too_long_text,
    role_named,
    role_words,
    withdraw,
)
from handlers.scheduling.describe import schedule_lines
from handlers.scheduling.policy import BadSetting, Changes, changed, schedule_of, settings_of
from storage.models import Ward
from storage.names import clean_spaces, fold
from storage.repositories import UnknownWard
from storage.repositories.units import ReportsOverlap, UnitNameTaken
from storage.repositories.wards import DuplicateWard
from storage.vocabulary import Role

T = TypeVar("T")


class _Reportbot(TyperGroup):
    """The `reportbot` command, its help in the language the configuration names."""

    def main(self, *args: Any, **kwargs: Any) -> Any:
        # Help is printed while the arguments are parsed, before any command runs. With a
        # configuration that does not validate it stays in Vietnamese, and the command reports
        # the problem when it reads the configuration (`read_settings`).
        locale = None
        with suppress(ValidationError, tomllib.TOMLDecodeError):
            locale = Settings().default_locale
        set_process_locale(locale)
        _translate_help(self)
        # A broken pipe ("reportbot plan show | head") is typer's to end quietly, with 1.
        with library_words_translated(sys):
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


def _typer(**options: Any) -> typer.Typer:
    # Plain click output (no rich panels): every word of it is then looked up in our catalogs.
    return typer.Typer(
        no_args_is_help=True, rich_markup_mode=None, pretty_exceptions_enable=False, **options
    )


app = _typer(
    cls=_Reportbot,
    add_completion=False,
    help=_("ReportBot: báo cáo tiến độ Nghị quyết 57 của UBND phường qua Zalo và Telegram."),
)
db_app = _typer(help=_("Cơ sở dữ liệu."))
ward_app = _typer(help=_("Phường."))
unit_app = _typer(help=_("Đơn vị của phường."))
plan_app = _typer(help=_("Kế hoạch và phụ lục nhiệm vụ."))
app.add_typer(db_app, name="db")
app.add_typer(ward_app, name="ward")
app.add_typer(unit_app, name="unit")
app.add_typer(plan_app, name="plan")
member_app = _typer(help=_("Người được đăng ký của phường và vai trò của họ."))
app.add_typer(member_app, name="member")


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
            f"REPORTBOT_{'_'.join(str(part) for part in problem['loc']).upper()}: "
            + _setting_problem(problem["type"])
            for problem in error.errors()
        )
        fail(_("Cấu hình không hợp lệ: {problems}.").format(problems=problems))
    except tomllib.TOMLDecodeError as error:
        where = re.search(r"line (\d+), column (\d+)", str(error))
        fail(
            _("Tệp cấu hình {path} sai cú pháp TOML ở dòng {line}, cột {column}.").format(
                path=os.environ.get(CONFIG_FILE_VARIABLE, DEFAULT_CONFIG_FILE),
                line=where[1] if where else "?",
                column=where[2] if where else "?",
            )
        )


def _setting_problem(kind: str) -> str:
    """What pydantic found wrong with a setting, in words (never the value: it may be secret)."""
    problems = {
        "int_parsing": _("cần một số nguyên"),
        "int_from_float": _("cần một số nguyên"),
        "float_parsing": _("cần một số"),
        "bool_parsing": _("cần true hoặc false"),
        "missing": _("còn thiếu"),
        "string_type": _("cần một chuỗi chữ"),
        "list_type": _("cần một danh sách"),
        "enum": _("không phải một giá trị được nhận"),
        "extra_forbidden": _("không có thiết lập này"),
    }
    return problems.get(kind, _("giá trị không hợp lệ"))


def run(work: Callable[[Application], Awaitable[T]]) -> T:
    """Open the application (migrating the database), run `work`, and turn known errors into
    clear messages instead of tracebacks."""
    settings = read_settings()

    async def main() -> T:
        async with open_application(settings) as application:
            try:
                return await work(application)
            except BrokenPipeError:
                raise
            except OSError as error:
                # Past opening the database, an OS error is the command's own: a file.
                raise _FileProblem(error) from error

    try:
        return asyncio.run(main())
    except BrokenPipeError:
        raise
    except _FileProblem as problem:
        error = problem.error
        fail(
            _("Không dùng được tệp {path}: {reason}.").format(
                path=error.filename or "", reason=os_reason(error)
            )
        )
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
            _("Không mở được cơ sở dữ liệu {url}: {reason}.").format(
                url=redact_url(settings.database_url), reason=os_reason(error)
            )
        )
    raise AssertionError("unreachable")


class _FileProblem(Exception):
    """An OS error while a command ran (a file to read or write), not while opening the
    database."""

    def __init__(self, error: OSError) -> None:
        super().__init__(error)
        self.error = error


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
    name = clean_spaces(name)
    if not any(char.isalnum() for char in name):
        fail(_('Tên phường không được để trống, ví dụ: reportbot ward add "Phường Vĩnh Tuy".'))
    if locale is not None and locale not in SUPPORTED_LOCALES:
        fail(
            _("Ngôn ngữ «{locale}» chưa có; chọn một trong: {locales}.").format(
                locale=locale, locales=", ".join(SUPPORTED_LOCALES)
            )
        )
    day = report_day if report_day is not None else settings.default_report_day
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


@ward_app.command(
    "report-settings",
    help=_(
        "Xem hoặc đặt cách ghi báo cáo Word của phường: cơ quan ban hành, cơ quan cấp trên, "
        "người ký, ký hiệu số văn bản, nơi nhận. Không có tùy chọn nào: in các giá trị đang dùng."
    ),
)
def ward_report_settings(
    ward: WardOption,
    issuing_body: Annotated[
        str | None,
        typer.Option(
            help=_("Cơ quan ban hành, «|» để xuống dòng: «ỦY BAN NHÂN DÂN|PHƯỜNG VĨNH TUY».")
        ),
    ] = None,
    superior: Annotated[
        str | None, typer.Option(help=_("Cơ quan cấp trên, ví dụ «UBND THÀNH PHỐ HÀ NỘI»."))
    ] = None,
    signer_name: Annotated[str | None, typer.Option(help=_("Họ tên người ký."))] = None,
    signer_title: Annotated[
        str | None, typer.Option(help=_("Chức vụ người ký: CHỦ TỊCH, PHÓ CHỦ TỊCH."))
    ] = None,
    authority: Annotated[
        str | None,
        typer.Option(help=_("TM (Chủ tịch ký thay mặt) hoặc KT (Phó Chủ tịch ký thay).")),
    ] = None,
    number_symbol: Annotated[
        str | None, typer.Option(help=_("Ký hiệu sau số văn bản, ví dụ BC-UBND."))
    ] = None,
    recipient: Annotated[
        list[str] | None,
        typer.Option("--recipient", help=_("Một nơi nhận (lặp lại; thay cả danh sách).")),
    ] = None,
    reset: Annotated[bool, typer.Option("--reset", help=_("Trả mọi giá trị về mặc định."))] = False,
) -> None:
    from handlers.reporting.letterhead import (
        BadSetting,
        authority_of,
        letterhead,
        letterhead_lines,
        recipients_of,
        setting_text,
    )
    from storage.repositories.report_settings import SETTING_FIELDS

    typed = {
        "issuing_body": issuing_body,
        "superior": superior,
        "signer_name": signer_name,
        "signer_title": signer_title,
        "number_symbol": number_symbol,
    }
    values: dict[str, Any] = dict.fromkeys(SETTING_FIELDS) if reset else {}
    try:
        for name, value in typed.items():
            if value is not None:
                values[name] = setting_text(name, value)
        if authority is not None:
            values["authority"] = authority_of(authority).value if authority.strip() else None
        if recipient is not None:
            values["recipients"] = recipients_of(recipient)
    except BadSetting as error:
        fail(str(error))

    async def work(application: Application) -> list[str]:
        async with application.transaction() as repositories:
            found = await repositories.wards.get(ward)
            settings = repositories.for_ward(found.id).report_settings
            if values:
                before = await settings.get()
                old = {name: getattr(before, name, None) for name in values}
                await settings.update(values)
                repositories.audit.record(
                    actor="cli",
                    action="update",
                    entity="report_settings",
                    entity_id=found.id,
                    ward_id=found.id,
                    changes={name: [old[name], value] for name, value in values.items()},
                )
            return [found.name, *letterhead_lines(letterhead(found.name, await settings.get()))]

    name, *lines = run(work)
    typer.echo(_("Cách ghi báo cáo của {ward}:").format(ward=name))
    for text in lines:
        typer.echo(f"  {text}")


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
            existing = await units.find(name, include_inactive=True)
            if existing is not None and not existing.active:
                existing.active = True
                repositories.audit.record(
                    actor="cli",
                    action="reactivate",
                    entity="unit",
                    entity_id=existing.id,
                    ward_id=found.id,
                    changes={"active": [False, True]},
                )
                typer.echo(
                    _("Đơn vị «{text}» đã bị gỡ trước đây, nay được dùng lại.").format(
                        text=existing.name
                    )
                )
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
def unit_list(
    ward: WardOption,
    include_removed: Annotated[
        bool, typer.Option("--all", help=_("Cả các đơn vị đã gỡ (còn giữ lịch sử)."))
    ] = False,
) -> None:
    async def work(application: Application) -> None:
        async with application.transaction() as repositories:
            found = await repositories.wards.get(ward)
            units = repositories.for_ward(found.id).units
            for unit in await units.all(include_inactive=include_removed):
                aliases = "; ".join(unit.aliases)
                marks = [unit_kind_label(unit.kind)]
                if not unit.active:
                    marks.append(_("đã gỡ"))
                line = f"{unit.name}\t{', '.join(marks)}"
                typer.echo(line + (f"\t({aliases})" if aliases else ""))

    run(work)


@unit_app.command("rename", help=_("Đổi tên một đơn vị; tên cũ vẫn được nhận ra khi nhập lại."))
def unit_rename(
    name: Annotated[str, typer.Argument(help=_("Tên hiện tại (hoặc tên gọi khác)."))],
    new_name: Annotated[str, typer.Argument(help=_("Tên mới."))],
    ward: WardOption,
) -> None:
    async def work(application: Application) -> None:
        async with application.transaction() as repositories:
            found = await repositories.wards.get(ward)
            try:
                old, unit = await rename_unit(repositories, found, name, new_name)
            except UnitNameTaken as taken:
                fail(
                    _(
                        "Tên «{name}» đã là của đơn vị «{unit}»; muốn gộp thì dùng: {command}"
                    ).format(
                        name=new_name,
                        unit=taken.unit.name,
                        command=f'reportbot unit merge "{name}" "{taken.unit.name}"',
                    )
                )
        typer.echo(_("Đã đổi tên «{old}» thành «{new}».").format(old=old, new=unit.name))

    run(work)


@unit_app.command(
    "merge",
    help=_(
        "Gộp một đơn vị vào đơn vị khác: nhiệm vụ, người, báo cáo chuyển sang, tên cũ thành tên gọi khác."
    ),
)
def unit_merge(
    source: Annotated[str, typer.Argument(help=_("Đơn vị bị gộp (sẽ mất)."))],
    target: Annotated[str, typer.Argument(help=_("Đơn vị giữ lại."))],
    ward: WardOption,
) -> None:
    async def work(application: Application) -> None:
        async with application.transaction() as repositories:
            found = await repositories.wards.get(ward)
            try:
                merged, kept = await merge_units(repositories, found, source, target)
            except SameUnit:
                fail(_("Hai tên này là cùng một đơn vị; không có gì để gộp."))
            except ReportsOverlap:
                fail(
                    _(
                        "Cả hai đơn vị đã báo cáo cùng một nhiệm vụ trong cùng kỳ; gộp sẽ mất một "
                        "báo cáo. Chưa gộp."
                    )
                )
        typer.echo(_("Đã gộp «{source}» vào «{target}».").format(source=merged, target=kept.name))

    run(work)


@unit_app.command(
    "remove",
    help=_("Gỡ một đơn vị nhập nhầm; đơn vị đã có báo cáo thì chỉ ngừng hoạt động, giữ lịch sử."),
)
def unit_remove(
    name: Annotated[str, typer.Argument(help=_("Tên đơn vị."))],
    ward: WardOption,
) -> None:
    async def work(application: Application) -> None:
        async with application.transaction() as repositories:
            found = await repositories.wards.get(ward)
            removal = await remove_unit(repositories, found, name)
        typer.echo(
            (
                _("Đã xóa đơn vị «{name}».")
                if removal.deleted
                else _(
                    "Đơn vị «{name}» đã có báo cáo nên được giữ lại, ngừng hoạt động: không còn "
                    "nhiệm vụ, vai trò của mọi người trong đơn vị chấm dứt, báo cáo cũ vẫn còn."
                )
            ).format(name=removal.name)
        )

    run(work)


@app.command("invite", help=_("Tạo mã đăng ký dùng một lần cho một người."))
def invite_command(
    ward: WardOption,
    role: Annotated[
        str,
        typer.Option(
            help=_(
                "head | staff | coordinator | leader (hoặc trưởng, thành viên, đầu mối, lãnh đạo)"
            )
        ),
    ],
    unit: Annotated[
        str | None, typer.Option(help=_("Đơn vị (bắt buộc với head và staff)."))
    ] = None,
    days: Annotated[int | None, typer.Option(help=_("Số ngày mã còn hiệu lực."))] = None,
    may_submit: Annotated[
        bool,
        typer.Option(help=_("Cán bộ (staff) được gửi báo cáo của đơn vị, không chỉ soạn nháp.")),
    ] = False,
    name: Annotated[
        str | None, typer.Option("--name", help=_("Tên người được mời (tên của họ trong phường)."))
    ] = None,
    replaces: Annotated[
        str | None,
        typer.Option(
            help=_(
                "Thủ trưởng mới thay người này: khi người mới đăng ký, vai trò thủ trưởng của "
                "người cũ chấm dứt, báo cáo đang soạn dở của đơn vị giữ nguyên."
            )
        ),
    ] = None,
) -> None:
    named_role = role_named(role)
    if named_role is None:
        fail(_("Vai trò phải là một trong: {roles}.").format(roles=role_words()))
    if replaces and named_role is not Role.UNIT_HEAD:
        fail(_("Chỉ thủ trưởng đơn vị mới được mời để thay người cũ (vai trò trưởng)."))
    settings = read_settings()
    valid_days = days if days is not None else settings.invite_valid_days
    if valid_days < 1:
        fail(_("Số ngày hiệu lực phải từ 1 trở lên."))

    async def work(application: Application) -> None:
        async with application.transaction() as repositories:
            found = await repositories.wards.get(ward)
            predecessor = None
            if replaces and unit:
                in_unit = await find_unit(repositories, found, unit)
                heads = await repositories.for_ward(found.id).members.with_role(
                    Role.UNIT_HEAD, unit_id=in_unit.id
                )
                matches = find_members(heads, replaces)
                if len(matches) != 1:
                    fail(
                        _(
                            "{unit} không có thủ trưởng tên «{name}». Thủ trưởng hiện nay: {names}"
                        ).format(
                            unit=in_unit.name,
                            name=replaces,
                            names="; ".join(head.display_name for head in heads) or "—",
                        )
                    )
                predecessor = matches[0]
            try:
                invitation = await issue_invite(
                    repositories,
                    found,
                    named_role,
                    unit,
                    valid_days,
                    may_submit=may_submit,
                    person_name=name,
                    replaces=predecessor,
                    channels=settings.all_channels(),
                )
            except UnitNeeded:
                fail(_("Vai trò {role} cần --unit.").format(role=role))
            except NameTooLong:
                fail(name_too_long_text())
            except NotTheHead as problem:
                fail(
                    _("{name} không còn là thủ trưởng {unit}.").format(
                        name=problem.member.display_name, unit=problem.unit.name
                    )
                )
        expires = invitation.expires_at.astimezone(ZoneInfo(invitation.ward.timezone)).date()
        typer.echo(invitation.code)
        day = format_day(expires)
        if invitation.bot is not None:
            typer.echo(
                _(
                    "Gửi cho người được mời: trên Zalo, tìm bot «{bot}» và nhắn «/start {code}» "
                    "trước {day}; mã chỉ dùng một lần."
                ).format(bot=invitation.bot, code=invitation.code, day=day),
                err=True,
            )
            return
        typer.echo(
            _(
                "Gửi cho người được mời: nhắn cho bot «/start {code}» trước {day}; mã chỉ dùng một lần."
            ).format(code=invitation.code, day=day),
            err=True,
        )
        if invitation.bots_full:
            typer.echo(
                _(
                    "Lưu ý: mọi bot Zalo đã đủ số người dùng của gói; người này chỉ đăng ký được "
                    "qua kênh khác, hoặc sau khi bạn thêm một bot Zalo ([[channels]] trong "
                    "reportbot.toml)."
                ),
                err=True,
            )

    run(work)


@member_app.command("list", help=_("Ai giữ vai trò gì, ở đơn vị nào, dùng ứng dụng nào."))
def member_list(ward: WardOption) -> None:
    async def work(application: Application) -> None:
        async with application.transaction() as repositories:
            found = await repositories.wards.get(ward)
            rows = await holdings(repositories.for_ward(found.id))
        typer.echo("\t".join([_("Tên"), _("Vai trò"), _("Đơn vị"), _("Ứng dụng"), _("Từ ngày")]))
        for row in rows:
            since = row.since.astimezone(ZoneInfo(found.timezone)).date()
            typer.echo(
                "\t".join(
                    [
                        row.name,
                        role_label(row.role),
                        row.unit or "—",
                        ", ".join(messenger_label(platform) for platform in row.messengers) or "—",
                        since.isoformat(),
                    ]
                )
            )

    run(work)


@member_app.command(
    "remove",
    help=_(
        "Thu hồi mọi vai trò của một người (nghỉ, chuyển công tác): báo cáo đã gửi vẫn ghi tên "
        "họ, báo cáo đang soạn dở vẫn thuộc đơn vị."
    ),
)
def member_remove(
    name: Annotated[str, typer.Argument(help=_("Tên người (không dấu cũng được)."))],
    ward: WardOption,
    yes: Annotated[bool, typer.Option("--yes", help=_("Không hỏi lại."))] = False,
) -> None:
    async def work(application: Application) -> None:
        async with application.transaction() as repositories:
            found = await repositories.wards.get(ward)
            members = await repositories.for_ward(found.id).members.holding_roles()
            matches = find_members(members, name)
            if not matches:
                fail(
                    _("Không có ai tên «{name}» đang giữ vai trò ở phường. Xem: {command}").format(
                        name=name, command=f'reportbot member list --ward "{found.name}"'
                    )
                )
            if len(matches) > 1:
                fail(
                    _("«{name}» là nhiều người: {names}. Bạn gõ tên đầy đủ hơn.").format(
                        name=name, names="; ".join(member.display_name for member in matches)
                    )
                )
            member = matches[0]
            roles = "; ".join(
                role_label(grant.role) + (f" — {grant.unit.name}" if grant.unit else "")
                for grant in member.roles
            )
            question = _("Thu hồi mọi vai trò của {name} ({roles})?").format(
                name=member.display_name, roles=roles
            )
            if not yes:
                typer.echo(question + " " + _("Gõ «có» để thu hồi:") + " ", err=True, nl=False)
                if fold(sys.stdin.readline()) not in YES_WORDS:
                    fail(_("Không thu hồi; mọi thứ giữ nguyên."), code=1)
            ended = await withdraw(repositories, found.id, member, actor="cli")
        typer.echo(
            _(
                "Đã thu hồi {count} vai trò của {name}. Người này không còn nhận thông báo của phường; "
                "các báo cáo đã gửi vẫn ghi tên họ, báo cáo đang soạn dở vẫn thuộc đơn vị."
            ).format(count=format_number(len(ended)), name=member.display_name)
        )

    run(work)


class _DryRun(Exception):
    """Raised inside the transaction to roll back what a dry run computed."""

    def __init__(self, summary: ImportSummary) -> None:
        super().__init__()
        self.summary = summary


@plan_app.command(
    "import", help=_("Nhập phụ lục nhiệm vụ (.xlsx, .docx, .csv); nhập lại thì cập nhật.")
)
def plan_import(
    file: Annotated[Path, typer.Argument(help=_("Tệp phụ lục."))],
    ward: WardOption,
    number: Annotated[
        str | None,
        typer.Option(help=_("Số kế hoạch, ví dụ 54/KH-UBND (nhập lại: giữ số cũ nếu bỏ trống).")),
    ] = None,
    title: Annotated[
        str | None, typer.Option(help=_("Tên kế hoạch (nhập lại: giữ tên cũ nếu bỏ trống)."))
    ] = None,
    appendix: Annotated[
        str | None,
        typer.Option(help=_("Phụ lục số mấy của kế hoạch (01, 02, 03), nếu tệp không ghi.")),
    ] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help=_("Chỉ xem sẽ nhập những gì, không ghi gì."))
    ] = False,
    accept_warnings: Annotated[
        bool,
        typer.Option(
            "--accept-warnings",
            help=_("Bỏ qua các dòng không có đơn vị chủ trì và nhập các dòng còn lại."),
        ),
    ] = False,
) -> None:
    label = appendix_label(f"phụ lục {appendix}") if appendix else None
    if appendix and label is None:
        fail(_("Số phụ lục phải là 01, 02, 03… (hoặc I, II, III)."))

    async def work(application: Application) -> ImportSummary:
        try:
            async with application.transaction() as repositories:
                found = await repositories.wards.get(ward)
                summary = await import_appendix(
                    repositories,
                    found,
                    file,
                    number=number,
                    title=title,
                    appendix_label=label,
                    accept_warnings=accept_warnings,
                )
                if dry_run:
                    raise _DryRun(summary)
        except UnreadableAppendix as error:
            fail(unreadable_text(error))
        except BadRows as error:
            fail(bad_rows_text(error))
        except _DryRun as rolled_back:
            return rolled_back.summary
        return summary

    summary = run(work)
    if dry_run:
        typer.echo(_("Chạy thử (--dry-run): chưa ghi gì. Nếu nhập thật:"))
    typer.echo(summary_text(summary))


@plan_app.command(
    "remove",
    help=_("Gỡ một kế hoạch nhập nhầm; kế hoạch đã có báo cáo thì chỉ ngừng theo dõi."),
)
def plan_remove(
    number: Annotated[str, typer.Argument(help=_("Số kế hoạch."))],
    ward: WardOption,
) -> None:
    async def work(application: Application) -> None:
        async with application.transaction() as repositories:
            found = await repositories.wards.get(ward)
            plans = repositories.for_ward(found.id).plans
            plan = await plans.by_number(number)
            if plan is None:
                known = ", ".join(p.number for p in await plans.all()) or "—"
                fail(
                    _("Phường chưa có kế hoạch số {number}. Các kế hoạch: {known}").format(
                        number=number, known=known
                    )
                )
            plan_id, title = plan.id, plan.title
            deleted = await plans.remove(plan)
            repositories.audit.record(
                actor="cli",
                action="delete" if deleted else "deactivate",
                entity="plan",
                entity_id=plan_id,
                ward_id=found.id,
                changes={"number": [number, None], "title": [title, None]},
            )
        typer.echo(
            (
                _("Đã xóa kế hoạch {number} cùng các nhiệm vụ của nó.")
                if deleted
                else _(
                    "Kế hoạch {number} đã có báo cáo nên được giữ lại: các nhiệm vụ ngừng "
                    "theo dõi, báo cáo cũ vẫn còn."
                )
            ).format(number=number)
        )

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


period_app = _typer(help=_("Kỳ báo cáo."))
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

    async def work(application: Application) -> tuple[OpenOutcome, datetime]:
        async with application.transaction() as repositories:
            found = await repositories.wards.get(ward)
            opened = await open_period(repositories, found, month, due_day=due_day, actor="cli")
            return opened, application.clock.now()

    opened, now = run(work)
    if not isinstance(opened, PeriodOpened):
        fail(outcome_text(opened))
    typer.echo(outcome_text(opened))
    if opened.period.due_at <= now:
        typer.echo(
            _(
                "Lưu ý: hạn của kỳ {period} ({moment}) đã qua, nên mọi báo cáo gửi lên sẽ tính "
                "là sau hạn. Nếu mở nhầm kỳ, đóng kỳ bằng lệnh /dongky {period} trong chat."
            ).format(
                period=opened.period.label,
                moment=format_moment(opened.period.due_at, opened.timezone),
            ),
            err=True,
        )


@app.command(
    "report",
    help=_(
        "Báo cáo tổng hợp của một kỳ: md (bản tin), docx (báo cáo Word), xlsx (bảng tính), png (biểu đồ)."
    ),
)
def report(
    period: Annotated[
        str,
        typer.Option(help=_("Kỳ báo cáo: tháng 2026-11, quý 2026-Q4, 6 tháng 2026-H2, năm 2026.")),
    ],
    ward: Annotated[str | None, typer.Option("--ward", "-w", help=_("Tên phường."))] = None,
    all_wards: Annotated[
        bool, typer.Option("--all-wards", help=_("Bảng tính tổng hợp mọi phường (xlsx)."))
    ] = False,
    output_format: Annotated[str, typer.Option("--format", help="md | docx | xlsx | png")] = "md",
    output: Annotated[Path | None, typer.Option("-o", "--output", help=_("Ghi ra tệp."))] = None,
) -> None:
    from bot.reports.exports import render
    from handlers.reporting.files import ExportFormat, not_started_text
    from handlers.reporting.spans import BadSpan, parse_span
    from handlers.reporting.summary import summarize_span

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
    try:
        span = parse_span(period)
    except BadSpan:
        fail(
            _(
                "Không hiểu kỳ «{period}». Ghi tháng 2026-11, quý 2026-Q4, 6 tháng 2026-H2 "
                "hoặc năm 2026."
            ).format(period=period[:20])
        )

    async def work(application: Application) -> bytes:
        async with application.transaction() as repositories:
            if ward is not None:
                found = await repositories.wards.get(ward)
                summary = await summarize_span(repositories, found, span)
                if summary is None:
                    fail(_("Không có kỳ báo cáo {period}.").format(period=span.label))
                too_early = not_started_text(summary)
                if export is ExportFormat.WORD and too_early is not None:
                    fail(too_early)
                return render(summary, export)
            from bot.reports.workbook import render_city_workbook

            wards = await repositories.wards.all()
            summaries = []
            with typer.progressbar(
                wards, label=_("Tổng hợp các phường"), file=sys.stderr
            ) as progress:
                for each in progress:
                    each_summary = await summarize_span(repositories, each, span)
                    if each_summary is not None:
                        summaries.append(each_summary)
            if not summaries:
                fail(_("Không phường nào có kỳ báo cáo {period}.").format(period=span.label))
            return render_city_workbook(summaries)

    content = run(work)
    if output is None:
        typer.echo(content.decode("utf-8"), nl=False)
    else:
        try:
            output.write_bytes(content)
        except OSError as error:
            fail(
                _("Không dùng được tệp {path}: {reason}.").format(
                    path=output, reason=os_reason(error)
                )
            )
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
        "entry_id": answer.entry_id,
        "choices": [
            {"guide_id": topic.id, "key": topic.key, "title": topic.title}
            for topic in answer.choices
        ],
        "sources": [
            {"title": source.title, "url": source.url}
            for source in (
                (answer.entry.source,)
                if answer.entry
                else answer.guide.sources
                if answer.guide
                else ()
            )
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
    from handlers.guidance import period_questions

    try:
        first_day = date.fromisoformat(f"{month}-01")
    except ValueError:
        fail(_("Tháng phải có dạng NĂM-THÁNG, ví dụ 2026-11."))
    next_month = date(first_day.year + first_day.month // 12, first_day.month % 12 + 1, 1)

    async def work(application: Application) -> None:
        async with application.transaction() as repositories:
            found = await repositories.wards.get(ward)
            stats = await period_questions(
                repositories.questions, found.id, ZoneInfo(found.timezone), first_day, next_month
            )
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


citizen_app = _typer(help=_("Câu hỏi của người dân đã lưu."))
app.add_typer(citizen_app, name="citizen")


@citizen_app.command(
    "purge",
    help=_(
        "Xóa các câu hỏi của người dân đã lưu quá thời hạn (REPORTBOT_CITIZEN_QUESTION_MONTHS "
        "tháng); số liệu thống kê vẫn giữ nguyên."
    ),
)
def citizen_purge(
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help=_("Chỉ đếm số câu hỏi sẽ xóa, không xóa gì."))
    ] = False,
) -> None:
    from handlers.guidance import purge_questions

    async def work(application: Application) -> None:
        months = application.settings.citizen_question_months
        async with application.transaction() as repositories:
            count = await purge_questions(repositories, months, dry_run=dry_run)
        message = (
            _("Chạy thử (--dry-run): sẽ xóa {count} câu hỏi lưu quá {months} tháng; chưa xóa gì.")
            if dry_run
            else _(
                "Đã xóa {count} câu hỏi lưu quá {months} tháng; số liệu thống kê vẫn giữ nguyên."
            )
        )
        typer.echo(message.format(count=format_number(count), months=format_number(months)))

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
            found = await repositories.wards.get(ward) if ward else None
            if found is None:
                # The example ward is the embedded default of an empty database only: in a
                # database with wards of its own, the console is told which one.
                known = await repositories.wards.all()
                if known and not any(w.name == EXAMPLE_WARD_NAME for w in known):
                    fail(
                        _("Chọn phường: --ward TÊN. Các phường đã có: {names}").format(
                            names=", ".join(w.name for w in known)
                        )
                    )
                found, summary = await ensure_example_ward(
                    repositories, settings.default_timezone, settings.default_locale
                )
                if summary is not None:
                    typer.echo(
                        _("Đã tạo cơ sở dữ liệu với phường mẫu {ward}.").format(ward=found.name)
                    )
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
        sender = await console_identity(
            application, found, unit=unit, role=role, citizen=as_citizen
        )
        dispatcher = application.dispatcher(channel_ward_id=found.id)
        await ConsoleChat(application, dispatcher, sender, stdin=sys.stdin, stdout=sys.stdout).run()

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


def _schedule_setting_problem(problem: BadSetting) -> str:
    """A setting that cannot be read, said with the option and an example."""
    examples = {
        "cadence": _("--cadence month (hằng tháng) hoặc --cadence half-year (6 tháng)"),
        "open_day": _("--open-day 1 (ngày 1 đến 28, trước ngày hạn báo cáo)"),
        "nudges": _("--nudges 5,2,1,0 (số ngày làm việc trước hạn; 0 là sáng ngày cuối)"),
        "nudge_time": _("--nudge-time 9:00"),
        "quiet": _("--quiet 20:00-07:30 (giờ nhắc và giờ tổng hợp phải ở ngoài khoảng này)"),
        "digest_time": _("--digest-hour 8 hoặc --digest-hour 8:30"),
        "progress_days": _("--progress-days 3 (0 đến 10)"),
        "nudge_cap": _("--cap 5 (0 đến 20)"),
        "day_off": _("--day-off 2026-12-24 (năm-tháng-ngày)"),
        "working_day": _("--working-day 2026-12-27 (năm-tháng-ngày)"),
    }
    return _("Không đọc được «{value}». Ví dụ: {example}").format(
        value=problem.text[:40], example=examples.get(problem.setting, "")
    )


@ward_app.command(
    "schedule", help=_("Xem hoặc đổi lịch mở kỳ, nhắc báo cáo và tổng hợp của phường.")
)
def ward_schedule(
    ward: WardOption,
    report_day: Annotated[
        int | None, typer.Option(help=_("Ngày hạn báo cáo hằng tháng (1–28): trước ngày này."))
    ] = None,
    cadence: Annotated[
        str | None, typer.Option(help=_("Kỳ báo cáo: month (hằng tháng) hoặc half-year."))
    ] = None,
    open_day: Annotated[int | None, typer.Option(help=_("Ngày mở kỳ trong tháng hạn."))] = None,
    nudges: Annotated[
        str | None, typer.Option(help=_("Nhắc trước hạn bao nhiêu ngày làm việc, ví dụ 5,2,1,0."))
    ] = None,
    nudge_time: Annotated[str | None, typer.Option(help=_("Giờ nhắc, ví dụ 9:00."))] = None,
    quiet: Annotated[str | None, typer.Option(help=_("Giờ không nhắn, ví dụ 20:00-07:30."))] = None,
    digest_hour: Annotated[str | None, typer.Option(help=_("Giờ gửi tổng hợp, ví dụ 8."))] = None,
    progress_days: Annotated[
        int | None,
        typer.Option(help=_("Gửi tiến độ hằng ngày trong bấy nhiêu ngày làm việc cuối.")),
    ] = None,
    cap: Annotated[int | None, typer.Option(help=_("Số lần nhắc tối đa một kỳ."))] = None,
    day_off: Annotated[
        list[str] | None, typer.Option(help=_("Ngày nghỉ thêm của phường (có thể lặp lại)."))
    ] = None,
    working_day: Annotated[
        list[str] | None, typer.Option(help=_("Ngày làm bù (có thể lặp lại)."))
    ] = None,
) -> None:
    if report_day is not None and not 1 <= report_day <= 28:
        fail(_("Ngày báo cáo phải từ 1 đến 28."))
    changes = Changes(
        cadence=cadence,
        open_day=open_day,
        nudges=nudges,
        nudge_time=nudge_time,
        quiet=quiet,
        digest_time=digest_hour,
        progress_days=progress_days,
        nudge_cap=cap,
        days_off=tuple(day_off or ()),
        working_days=tuple(working_day or ()),
    )

    async def work(application: Application) -> None:
        async with application.transaction() as repositories:
            found = await repositories.wards.get(ward)
            store = repositories.for_ward(found.id).schedule
            before = await store.settings()
            try:
                schedule = changed(schedule_of(before), report_day or found.report_day, changes)
            except BadSetting as problem:
                fail(_schedule_setting_problem(problem))
            after = settings_of(schedule)
            if report_day is not None and report_day != found.report_day:
                found.report_day = report_day
            if after != before or report_day is not None:
                await store.save(after)
                repositories.audit.record(
                    actor="cli",
                    action="schedule",
                    entity="ward",
                    entity_id=found.id,
                    ward_id=found.id,
                    changes={"schedule": [before, after], "report_day": [None, report_day]},
                )
            period = await repositories.for_ward(found.id).periods.current()
            typer.echo("\n".join(schedule_lines(schedule, found, period)))

    run(work)


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


@channel_app.command(
    "status",
    help=_("Số tin đã gửi trong tháng, hạn mức (ok / dự phòng / hết) và số người dùng mỗi kênh."),
)
def channel_status(
    as_json: Annotated[bool, typer.Option("--json", help=_("In JSON."))] = False,
) -> None:
    from bot.economy import standing
    from bot.sending import month_of

    async def work(application: Application) -> None:
        settings = application.settings
        month = month_of(application.clock, settings.default_timezone)
        found: dict[str, dict[str, Any]] = {}
        async with application.transaction() as repositories:
            for channel in settings.all_channels():
                if channel.platform is Platform.CONSOLE:
                    continue
                found[channel.name] = {
                    "platform": channel.platform.value,
                    **await standing(
                        repositories,
                        channel.name,
                        channel.capabilities(),
                        month,
                        settings.quota_reserve,
                    ),
                }
        if as_json:
            typer.echo(json.dumps({"month": month, "channels": found}, ensure_ascii=False))
            return
        if not found:
            typer.echo(_("Chưa cấu hình kênh nhắn tin nào."))
        for name, standing_of in found.items():
            typer.echo(_channel_status_line(name, month, standing_of))

    run(work)


def _channel_status_line(name: str, month: str, standing_of: dict[str, Any]) -> str:
    states = {
        "ok": _("còn trong hạn mức"),
        "reserve": _("đang dùng phần dự phòng: tin nhắc việc chờ sang tháng sau"),
        "spent": _("đã hết hạn mức: không gửi gì đến hết tháng"),
    }
    quota_left = standing_of["quota_left"]
    line = _("Kênh {name}: đã gửi {sent} tin trong tháng {month}").format(
        name=name, sent=format_number(standing_of["sent_this_month"]), month=month
    )
    if quota_left is not None:
        line += "; " + _("còn {left} tin, {state}").format(
            left=format_number(quota_left), state=states[standing_of["quota_state"]]
        )
    users = format_number(standing_of["users"])
    cap = standing_of["user_cap"]
    line += "; " + (
        _("{users}/{cap} người dùng").format(users=users, cap=format_number(cap))
        if cap is not None
        else _("{users} người dùng").format(users=users)
    )
    return line + "."


def main() -> None:
    app()
