"""The tables. Every row that belongs to a ward carries ward_id so repositories can scope by it."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    Enum,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    Numeric,
    String,
    Text,
    UniqueConstraint,
    true,
)
from sqlalchemy.orm import (
    DeclarativeBase,
    Mapped,
    mapped_column,
    orm_insert_sentinel,
    relationship,
)

from storage.types import UTCDateTime
from storage.vocabulary import (
    BlockerState,
    Comparator,
    DeadlineKind,
    IncidentCategory,
    OutboxKind,
    OutboxState,
    PeriodKind,
    PeriodState,
    Role,
    SubmissionState,
    TaskStatus,
    UnitKind,
    UnitLink,
)

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def vocabulary(enum_class: type[StrEnum]) -> Enum:
    """A portable column for a closed vocabulary: VARCHAR holding the enum's values."""
    return Enum(
        enum_class,
        native_enum=False,
        create_constraint=False,
        length=32,
        values_callable=lambda members: [member.value for member in members],
        validate_strings=True,
    )


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {datetime: UTCDateTime(), dict[str, Any]: JSON, list[Any]: JSON}  # noqa: RUF012  (SQLAlchemy reads it from the class)


class Ward(Base):
    __tablename__ = "ward"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    name_key: Mapped[str] = mapped_column(String(200), unique=True)
    timezone: Mapped[str] = mapped_column(String(64), default="Asia/Ho_Chi_Minh")
    report_day: Mapped[int] = mapped_column(Integer, default=16)
    locale: Mapped[str] = mapped_column(String(8), default="vi")
    created_at: Mapped[datetime]

    units: Mapped[list[Unit]] = relationship(back_populates="ward", order_by="Unit.id")


class ReportSettings(Base):
    """How a ward's Word report is headed and signed (Decree 30/2020/NĐ-CP); a column left
    empty takes the default made from the ward's name (handlers/reporting/letterhead.py)."""

    __tablename__ = "report_settings"

    ward_id: Mapped[int] = mapped_column(
        ForeignKey("ward.id", ondelete="CASCADE"), primary_key=True
    )
    # The issuing body in full, and the body above it ("UBND THÀNH PHỐ HÀ NỘI").
    issuing_body: Mapped[str | None] = mapped_column(String(300))
    superior: Mapped[str | None] = mapped_column(String(300))
    signer_name: Mapped[str | None] = mapped_column(String(200))
    signer_title: Mapped[str | None] = mapped_column(String(200))
    # "TM." (the chair signs for the committee) or "KT." (a vice-chair signs for the chair).
    authority: Mapped[str | None] = mapped_column(String(8))
    # What follows the number: "BC-UBND" in "Số: 125/BC-UBND".
    number_symbol: Mapped[str | None] = mapped_column(String(64))
    recipients: Mapped[list[Any] | None] = mapped_column(JSON)
    updated_at: Mapped[datetime]


class Unit(Base):
    __tablename__ = "unit"
    __table_args__ = (UniqueConstraint("ward_id", "name_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    ward_id: Mapped[int] = mapped_column(ForeignKey("ward.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(300))
    name_key: Mapped[str] = mapped_column(String(300))
    aliases: Mapped[list[Any]] = mapped_column(default=list)
    kind: Mapped[UnitKind] = mapped_column(vocabulary(UnitKind), default=UnitKind.OFFICE)
    # A unit removed after it reported is kept, inactive, so its history keeps its name.
    active: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    created_at: Mapped[datetime]

    ward: Mapped[Ward] = relationship(back_populates="units")


CONSOLE_CHANNEL = "console"


class Channel(Base):
    """One bot account on one platform: what update ids, chats, conversations, identities and
    outbox rows belong to. Its capabilities are configuration (bot/channels.py), not stored."""

    __tablename__ = "channel"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    platform: Mapped[str] = mapped_column(String(32))
    # The ward whose citizens this account answers, if any.
    ward_id: Mapped[int | None] = mapped_column(ForeignKey("ward.id", ondelete="SET NULL"))


class Member(Base):
    """A person registered in a ward; their roles and messenger identities hang off it."""

    __tablename__ = "member"

    id: Mapped[int] = mapped_column(primary_key=True)
    ward_id: Mapped[int] = mapped_column(ForeignKey("ward.id", ondelete="CASCADE"), index=True)
    display_name: Mapped[str] = mapped_column(String(200))
    locale: Mapped[str | None] = mapped_column(String(8))
    created_at: Mapped[datetime]

    # Every role the person was given, those that ended included (their history).
    grants: Mapped[list[MemberRole]] = relationship(
        back_populates="member", cascade="all, delete-orphan", order_by="MemberRole.id"
    )
    identities: Mapped[list[Identity]] = relationship(
        back_populates="member", cascade="all, delete-orphan"
    )
    ward: Mapped[Ward] = relationship()

    @property
    def roles(self) -> list[MemberRole]:
        """The roles the person holds now: what they may do and what they are told."""
        return [grant for grant in self.grants if grant.ended_at is None]


class MemberRole(Base):
    __tablename__ = "member_role"
    __table_args__ = (UniqueConstraint("member_id", "role", "unit_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("member.id", ondelete="CASCADE"))
    role: Mapped[Role] = mapped_column(vocabulary(Role))
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id", ondelete="CASCADE"))
    # Staff draft; a head submits, and so does staff the coordinator allowed to.
    may_submit: Mapped[bool] = mapped_column(Boolean, default=False)
    granted_at: Mapped[datetime]
    # Set when the role was withdrawn or handed to a successor; the row stays, so what the
    # person did while they held it still names them.
    ended_at: Mapped[datetime | None]

    member: Mapped[Member] = relationship(back_populates="grants")
    unit: Mapped[Unit | None] = relationship()


class Identity(Base):
    """One messenger account (platform + the platform's user id) of a member."""

    __tablename__ = "identity"
    __table_args__ = (UniqueConstraint("platform", "external_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("member.id", ondelete="CASCADE"), index=True)
    platform: Mapped[str] = mapped_column(String(32))
    external_id: Mapped[str] = mapped_column(String(128))
    # The bot account the person registered through: their notifications go out by it. The
    # account is still found by platform and id alone, so one person reached by two bots of a
    # platform is one identity.
    channel: Mapped[str | None] = mapped_column(ForeignKey("channel.name"))
    created_at: Mapped[datetime]
    # Since when the platform refuses to deliver here (the person blocked the bot, the chat
    # is gone): nothing is queued or sent to it until the person writes again.
    unreachable_since: Mapped[datetime | None]

    member: Mapped[Member] = relationship(back_populates="identities")


class Invite(Base):
    """A one-time registration code; only its hash is stored."""

    __tablename__ = "invite"

    id: Mapped[int] = mapped_column(primary_key=True)
    ward_id: Mapped[int] = mapped_column(ForeignKey("ward.id", ondelete="CASCADE"), index=True)
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id", ondelete="CASCADE"))
    role: Mapped[Role] = mapped_column(vocabulary(Role))
    # Staff invited with this flag may submit the unit's report, not only draft it.
    may_submit: Mapped[bool] = mapped_column(Boolean, default=False)
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]
    used_by_member_id: Mapped[int | None] = mapped_column(
        ForeignKey("member.id", ondelete="SET NULL")
    )
    # The person's name as the coordinator wrote it: their name in the ward once registered.
    person_name: Mapped[str | None] = mapped_column(String(200))
    # A head invited to take over from this member: registering ends the predecessor's head
    # role in the unit.
    replaces_member_id: Mapped[int | None] = mapped_column(
        ForeignKey("member.id", ondelete="SET NULL")
    )


class Plan(Base):
    __tablename__ = "plan"
    __table_args__ = (UniqueConstraint("ward_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    ward_id: Mapped[int] = mapped_column(ForeignKey("ward.id", ondelete="CASCADE"), index=True)
    number: Mapped[str] = mapped_column(String(64))
    title: Mapped[str] = mapped_column(String(500))
    issued_on: Mapped[date | None] = mapped_column(Date)
    reporting_schedule: Mapped[dict[str, Any]] = mapped_column(default=dict)
    source_file: Mapped[str | None] = mapped_column(String(300))
    # Raised by every import, so caches of the task list know when to reload it.
    revision: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]

    tasks: Mapped[list[Task]] = relationship(back_populates="plan", order_by="Task.position")


class Task(Base):
    """One row of a plan's appendix."""

    __tablename__ = "task"
    __table_args__ = (UniqueConstraint("plan_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan.id", ondelete="CASCADE"), index=True)
    ward_id: Mapped[int] = mapped_column(ForeignKey("ward.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    code: Mapped[str] = mapped_column(String(32))
    # Which appendix of the plan the task came from ("01", "02"…), None for a plan's only one.
    appendix: Mapped[str | None] = mapped_column(String(16))
    section_code: Mapped[str | None] = mapped_column(String(16))
    section_title: Mapped[str | None] = mapped_column(String(500))
    content: Mapped[str] = mapped_column(Text)
    output: Mapped[str | None] = mapped_column(Text)
    notes: Mapped[str | None] = mapped_column(Text)
    lead_all_units: Mapped[bool] = mapped_column(Boolean, default=False)
    coordinate_all_units: Mapped[bool] = mapped_column(Boolean, default=False)
    deadline_kind: Mapped[DeadlineKind] = mapped_column(vocabulary(DeadlineKind))
    deadline_due: Mapped[date | None] = mapped_column(Date)
    deadline_text: Mapped[str] = mapped_column(String(500), default="")
    kpi_value: Mapped[Decimal | None] = mapped_column(Numeric(14, 4))
    kpi_unit: Mapped[str | None] = mapped_column(String(64))
    kpi_comparator: Mapped[Comparator | None] = mapped_column(vocabulary(Comparator))
    source_text: Mapped[str] = mapped_column(Text)
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    # Lets SQLite insert a plan's tasks in batches with RETURNING, instead of one by one.
    _insert_sentinel: Mapped[int | None] = orm_insert_sentinel()

    plan: Mapped[Plan] = relationship(back_populates="tasks")
    unit_links: Mapped[list[TaskUnit]] = relationship(
        back_populates="task", cascade="all, delete-orphan", order_by="TaskUnit.position"
    )


class TaskUnit(Base):
    """A unit named by a task; the natural key needs nothing back from the database on insert."""

    __tablename__ = "task_unit"

    task_id: Mapped[int] = mapped_column(
        ForeignKey("task.id", ondelete="CASCADE"), primary_key=True
    )
    unit_id: Mapped[int] = mapped_column(
        ForeignKey("unit.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    link: Mapped[UnitLink] = mapped_column(vocabulary(UnitLink), primary_key=True)
    position: Mapped[int] = mapped_column(Integer, default=0)

    task: Mapped[Task] = relationship(back_populates="unit_links")
    unit: Mapped[Unit] = relationship()


class Period(Base):
    """One reporting round of a ward (a month or a half-year) with its due moment."""

    __tablename__ = "period"
    __table_args__ = (UniqueConstraint("ward_id", "label"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    ward_id: Mapped[int] = mapped_column(ForeignKey("ward.id", ondelete="CASCADE"), index=True)
    label: Mapped[str] = mapped_column(String(16))
    kind: Mapped[PeriodKind] = mapped_column(vocabulary(PeriodKind))
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)
    due_at: Mapped[datetime]
    state: Mapped[PeriodState] = mapped_column(vocabulary(PeriodState), default=PeriodState.OPEN)
    opened_at: Mapped[datetime]
    closed_at: Mapped[datetime | None]


class TaskReport(Base):
    """A unit's current answer for a task in a period; every change is kept as a revision."""

    __tablename__ = "task_report"
    __table_args__ = (
        UniqueConstraint("period_id", "task_id", "unit_id"),
        # A unit's answers in a period: read by every check-in message.
        Index("ix_task_report_ward_period_unit", "ward_id", "period_id", "unit_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    ward_id: Mapped[int] = mapped_column(ForeignKey("ward.id", ondelete="CASCADE"), index=True)
    period_id: Mapped[int] = mapped_column(ForeignKey("period.id", ondelete="CASCADE"))
    task_id: Mapped[int] = mapped_column(ForeignKey("task.id", ondelete="CASCADE"))
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id", ondelete="CASCADE"))
    status: Mapped[TaskStatus | None] = mapped_column(vocabulary(TaskStatus))
    progress_percent: Mapped[int | None] = mapped_column(Integer)
    kpi_value: Mapped[Decimal | None] = mapped_column(Numeric(14, 4))
    result: Mapped[str | None] = mapped_column(Text)
    difficulties: Mapped[str | None] = mapped_column(Text)
    proposals: Mapped[str | None] = mapped_column(Text)
    evidence: Mapped[list[Any]] = mapped_column(default=list)
    revision: Mapped[int] = mapped_column(Integer, default=1)
    changed_after_due: Mapped[bool] = mapped_column(Boolean, default=False)
    updated_by_member_id: Mapped[int | None] = mapped_column(
        ForeignKey("member.id", ondelete="SET NULL")
    )
    updated_at: Mapped[datetime]


class Submission(Base):
    """A unit's report for a period as a whole: drafted, submitted, returned or accepted."""

    __tablename__ = "submission"
    __table_args__ = (UniqueConstraint("period_id", "unit_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    ward_id: Mapped[int] = mapped_column(ForeignKey("ward.id", ondelete="CASCADE"), index=True)
    period_id: Mapped[int] = mapped_column(ForeignKey("period.id", ondelete="CASCADE"))
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id", ondelete="CASCADE"))
    state: Mapped[SubmissionState] = mapped_column(
        vocabulary(SubmissionState), default=SubmissionState.DRAFT
    )
    submitted_at: Mapped[datetime | None]
    submitted_by_member_id: Mapped[int | None] = mapped_column(
        ForeignKey("member.id", ondelete="SET NULL")
    )
    submitted_late: Mapped[bool] = mapped_column(Boolean, default=False)
    reviewed_at: Mapped[datetime | None]
    reviewed_by_member_id: Mapped[int | None] = mapped_column(
        ForeignKey("member.id", ondelete="SET NULL")
    )
    return_reason: Mapped[str | None] = mapped_column(Text)
    updated_at: Mapped[datetime]


class TaskReportRevision(Base):
    __tablename__ = "task_report_revision"
    __table_args__ = (UniqueConstraint("task_report_id", "revision"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    task_report_id: Mapped[int] = mapped_column(
        ForeignKey("task_report.id", ondelete="CASCADE"), index=True
    )
    revision: Mapped[int] = mapped_column(Integer)
    snapshot: Mapped[dict[str, Any]] = mapped_column()
    changed_by_member_id: Mapped[int | None] = mapped_column(
        ForeignKey("member.id", ondelete="SET NULL")
    )
    changed_at: Mapped[datetime]


class Blocker(Base):
    __tablename__ = "blocker"

    id: Mapped[int] = mapped_column(primary_key=True)
    ward_id: Mapped[int] = mapped_column(ForeignKey("ward.id", ondelete="CASCADE"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id", ondelete="CASCADE"))
    task_id: Mapped[int | None] = mapped_column(ForeignKey("task.id", ondelete="SET NULL"))
    raised_by_member_id: Mapped[int | None] = mapped_column(
        ForeignKey("member.id", ondelete="SET NULL")
    )
    description: Mapped[str] = mapped_column(Text)
    raised_at: Mapped[datetime]
    answer_due_at: Mapped[datetime]
    state: Mapped[BlockerState] = mapped_column(vocabulary(BlockerState), default=BlockerState.OPEN)
    answer: Mapped[str | None] = mapped_column(Text)
    answered_by_member_id: Mapped[int | None] = mapped_column(
        ForeignKey("member.id", ondelete="SET NULL")
    )
    answered_at: Mapped[datetime | None]


class Incident(Base):
    """An unscheduled report on digital infrastructure or information security."""

    __tablename__ = "incident"

    id: Mapped[int] = mapped_column(primary_key=True)
    ward_id: Mapped[int] = mapped_column(ForeignKey("ward.id", ondelete="CASCADE"), index=True)
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id", ondelete="SET NULL"))
    reported_by_member_id: Mapped[int | None] = mapped_column(
        ForeignKey("member.id", ondelete="SET NULL")
    )
    category: Mapped[IncidentCategory] = mapped_column(vocabulary(IncidentCategory))
    description: Mapped[str] = mapped_column(Text)
    reported_at: Mapped[datetime]


class OutboxMessage(Base):
    """One message to deliver to one chat of one channel, written in the transaction that
    caused it: a turn's reply (in order within the turn) or a notification. The delivery loop
    (bot/delivery.py) claims it, sends it and records the platform's id for it."""

    __tablename__ = "outbox_message"
    __table_args__ = (
        Index("ix_outbox_message_due", "state", "next_attempt_at"),
        Index("ix_outbox_message_chat", "channel", "chat_id", "state"),
        Index("ix_outbox_message_update", "channel", "update_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    ward_id: Mapped[int | None] = mapped_column(ForeignKey("ward.id", ondelete="CASCADE"))
    channel: Mapped[str] = mapped_column(ForeignKey("channel.name"))
    chat_id: Mapped[str] = mapped_column(String(128))
    kind: Mapped[OutboxKind] = mapped_column(
        vocabulary(OutboxKind), default=OutboxKind.NOTIFICATION
    )
    # The update whose turn wrote it (a reply), so a redelivered update re-sends what is not
    # yet confirmed instead of running the turn again.
    update_id: Mapped[str | None] = mapped_column(String(128))
    # The platform's id of the card whose button was pressed, for a reply that replaces it.
    pressed: Mapped[str | None] = mapped_column(String(128))
    # The recipient's language when it was queued (None: the ward's); rendered in it at
    # delivery, whoever caused the message.
    locale: Mapped[str | None] = mapped_column(String(8))
    payload: Mapped[dict[str, Any]] = mapped_column()
    dedup_key: Mapped[str | None] = mapped_column(String(200), unique=True)
    state: Mapped[OutboxState] = mapped_column(vocabulary(OutboxState), default=OutboxState.PENDING)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime | None]
    # Who is sending it and until when: a claim left by a process that died expires.
    claimed_by: Mapped[str | None] = mapped_column(String(128))
    claimed_until: Mapped[datetime | None]
    provider_message_id: Mapped[str | None] = mapped_column(String(200))
    last_error: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime]
    sent_at: Mapped[datetime | None]


class StoredFile(Base):
    """A file made for a ward (a report, a workbook, a chart): sent from here by the delivery
    loop and downloaded by signed link from any process."""

    __tablename__ = "stored_file"

    id: Mapped[int] = mapped_column(primary_key=True)
    ward_id: Mapped[int | None] = mapped_column(ForeignKey("ward.id", ondelete="CASCADE"))
    file_name: Mapped[str] = mapped_column(String(255))
    content: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime]


class ChannelLease(Base):
    """Which process polls a channel, until when: one poller per bot account, taken over once
    its holder stops renewing."""

    __tablename__ = "channel_lease"

    channel: Mapped[str] = mapped_column(ForeignKey("channel.name"), primary_key=True)
    holder: Mapped[str] = mapped_column(String(128))
    expires_at: Mapped[datetime]


class AppSecret(Base):
    """Secrets every process must share and nobody configured (the key file links are signed
    with), made once by the first process that needs them."""

    __tablename__ = "app_secret"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(String(200))


class GroupChat(Base):
    """A group chat a coordinator registered for their ward: the only groups where the ward's
    data may be shown."""

    __tablename__ = "group_chat"
    __table_args__ = (UniqueConstraint("channel", "chat_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    channel: Mapped[str] = mapped_column(ForeignKey("channel.name"))
    chat_id: Mapped[str] = mapped_column(String(128))
    ward_id: Mapped[int] = mapped_column(ForeignKey("ward.id", ondelete="CASCADE"), index=True)
    title: Mapped[str | None] = mapped_column(String(200))
    registered_by: Mapped[int | None] = mapped_column(ForeignKey("member.id", ondelete="SET NULL"))
    registered_at: Mapped[datetime]


class WardSchedule(Base):
    """When a ward's periods open and who is reminded when (handlers/scheduling/): a row only
    for a ward whose coordinator changed the defaults."""

    __tablename__ = "ward_schedule"

    ward_id: Mapped[int] = mapped_column(
        ForeignKey("ward.id", ondelete="CASCADE"), primary_key=True
    )
    settings: Mapped[dict[str, Any]] = mapped_column(default=dict)
    updated_at: Mapped[datetime]


class Reminder(Base):
    """One scheduled notification that was queued (or a snooze asked for), under its key: the
    key makes it once across restarts and processes; the rows count nudges against the cap."""

    __tablename__ = "reminder"
    __table_args__ = (Index("ix_reminder_period_unit", "period_id", "unit_id", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    ward_id: Mapped[int] = mapped_column(ForeignKey("ward.id", ondelete="CASCADE"), index=True)
    key: Mapped[str] = mapped_column(String(200), unique=True)
    kind: Mapped[str] = mapped_column(String(32))
    period_id: Mapped[int | None] = mapped_column(ForeignKey("period.id", ondelete="CASCADE"))
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id", ondelete="CASCADE"))
    # What it is about when not a unit: a blocker's id.
    subject_id: Mapped[int | None] = mapped_column(Integer)
    # When it was queued; for a snooze, until when.
    at: Mapped[datetime]


class OaTokenPair(Base):
    """A Zalo Official Account's access and refresh tokens. The refresh token is single-use:
    whichever process refreshes must store the new pair before anyone uses it, so the pair
    lives here, not in the environment (which only seeds it)."""

    __tablename__ = "oa_token_pair"

    channel: Mapped[str] = mapped_column(ForeignKey("channel.name"), primary_key=True)
    access_token: Mapped[str] = mapped_column(Text)
    refresh_token: Mapped[str] = mapped_column(Text)
    refreshed_at: Mapped[datetime | None]


class ReplyWindow(Base):
    """Until when a channel may still answer a chat for free, and the message to answer: the
    Official Account counts its replies from the citizen's last message."""

    __tablename__ = "reply_window"

    channel: Mapped[str] = mapped_column(ForeignKey("channel.name"), primary_key=True)
    chat_id: Mapped[str] = mapped_column(String(128), primary_key=True)
    message_id: Mapped[str] = mapped_column(String(128))
    closes_at: Mapped[datetime]


class Handoff(Base):
    """A citizen's question handed to the ward's staff: the coordinators answer it by its id
    (`/traloidan N`) through the channel it came from."""

    __tablename__ = "handoff"

    id: Mapped[int] = mapped_column(primary_key=True)
    ward_id: Mapped[int] = mapped_column(ForeignKey("ward.id", ondelete="CASCADE"), index=True)
    channel: Mapped[str] = mapped_column(ForeignKey("channel.name"))
    chat_id: Mapped[str] = mapped_column(String(128))
    # Masked like every stored question: no ID numbers, phone numbers or addresses.
    masked_question: Mapped[str] = mapped_column(Text)
    locale: Mapped[str | None] = mapped_column(String(8))
    asked_at: Mapped[datetime]
    answered_at: Mapped[datetime | None]
    answered_by_member_id: Mapped[int | None] = mapped_column(
        ForeignKey("member.id", ondelete="SET NULL")
    )


# What the directory cache (storage/directory_cache.py) holds comes from these tables: members
# with their roles, units, identities and ward, periods, and plans' tasks with their units.
# Migration 0002 puts a trigger on each that changes the directory token, and the cache counts
# writes to them. A table added here needs its triggers in a new migration.
DIRECTORY_TABLES = (
    "ward",
    "unit",
    "member",
    "member_role",
    "identity",
    "period",
    "plan",
    "task",
    "task_unit",
)


class DirectoryRevision(Base):
    """One row whose token the database changes (triggers, migration 0002) with every write to
    the `DIRECTORY_TABLES`, and to closed periods' answers: what the per-process directory cache
    (storage/directory_cache.py) compares before it trusts what it holds."""

    __tablename__ = "directory_revision"

    id: Mapped[int] = mapped_column(primary_key=True)
    token: Mapped[int] = mapped_column(BigInteger)


class ConversationState(Base):
    """Where a person is in a flow in one chat, so a restart or another process continues from there."""

    __tablename__ = "conversation_state"
    # Per chat: a head answering the check-in in private and asking in the ward's group is in
    # two conversations.
    __table_args__ = (UniqueConstraint("channel", "chat_id", "external_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    channel: Mapped[str] = mapped_column(ForeignKey("channel.name"))
    chat_id: Mapped[str] = mapped_column(String(128))
    external_id: Mapped[str] = mapped_column(String(128))
    flow: Mapped[str | None] = mapped_column(String(64))
    step: Mapped[str | None] = mapped_column(String(64))
    data: Mapped[dict[str, Any]] = mapped_column(default=dict)
    version: Mapped[int] = mapped_column(Integer, default=0)
    # The platform's order of the last message that changed this state (IncomingEvent.sent_order).
    applied_order: Mapped[int | None] = mapped_column(BigInteger)
    updated_at: Mapped[datetime]


class ProcessedUpdate(Base):
    """Update ids a channel already handled, so a redelivered update is processed once."""

    __tablename__ = "processed_update"
    # Update ids are per bot account: two Telegram bots both send update 1.
    __table_args__ = (UniqueConstraint("channel", "update_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    channel: Mapped[str] = mapped_column(ForeignKey("channel.name"))
    update_id: Mapped[str] = mapped_column(String(128))
    processed_at: Mapped[datetime]


class SentCount(Base):
    """Messages a channel sent in a month (Vietnam time), for its quota and /healthz: the Zalo
    Bot API's free plan allows 3,000 a month, and every process adds to the same count."""

    __tablename__ = "sent_count"

    channel: Mapped[str] = mapped_column(ForeignKey("channel.name"), primary_key=True)
    month: Mapped[str] = mapped_column(String(7), primary_key=True)
    sent: Mapped[int] = mapped_column(Integer)


class AuditEntry(Base):
    """Who changed what, when, with the old and new values of each field."""

    __tablename__ = "audit_entry"

    id: Mapped[int] = mapped_column(primary_key=True)
    ward_id: Mapped[int | None] = mapped_column(
        ForeignKey("ward.id", ondelete="CASCADE"), index=True
    )
    actor: Mapped[str] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(String(64))
    entity: Mapped[str] = mapped_column(String(64))
    entity_id: Mapped[str | None] = mapped_column(String(64))
    changes: Mapped[dict[str, Any]] = mapped_column(default=dict)
    at: Mapped[datetime]


class CitizenQuestion(Base):
    """A citizen's question as stored: personal data masked, with what the bot did with it."""

    __tablename__ = "citizen_question"
    __table_args__ = (Index("ix_citizen_question_ward_asked", "ward_id", "asked_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    ward_id: Mapped[int | None] = mapped_column(ForeignKey("ward.id", ondelete="CASCADE"))
    platform: Mapped[str] = mapped_column(String(32))
    masked_text: Mapped[str] = mapped_column(Text)
    outcome: Mapped[str] = mapped_column(String(16))
    guide_id: Mapped[str | None] = mapped_column(String(100))
    handoff_reason: Mapped[str | None] = mapped_column(String(32))
    asked_at: Mapped[datetime]


class CitizenQuestionCount(Base):
    """What the monthly figures counted of a ward's questions asked on one day (the ward's
    own calendar), kept when the questions themselves are deleted after the retention time:
    how many the bot answered, offered choices for, and handed to a person."""

    __tablename__ = "citizen_question_count"

    ward_id: Mapped[int] = mapped_column(
        ForeignKey("ward.id", ondelete="CASCADE"), primary_key=True
    )
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    answered: Mapped[int] = mapped_column(Integer)
    offered_choices: Mapped[int] = mapped_column(Integer)
    handed_over: Mapped[int] = mapped_column(Integer)
