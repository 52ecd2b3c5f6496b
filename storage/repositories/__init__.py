"""Repositories: the only way flows and commands read or change stored data.

Everything that belongs to a ward is reached through `Repositories.for_ward(ward_id)`, so a
query for one ward cannot see another's rows.
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from storage.clock import Clock
from storage.repositories.audit import AuditLog
from storage.repositories.channels import ChannelRepository
from storage.repositories.conversations import ConversationStore
from storage.repositories.files import FileStore
from storage.repositories.groups import GroupChats
from storage.repositories.handoffs import Handoffs
from storage.repositories.identities import IdentityDirectory
from storage.repositories.invites import InviteRepository
from storage.repositories.issues import BlockerRepository, IncidentRepository
from storage.repositories.leases import Leases
from storage.repositories.members import MemberRepository
from storage.repositories.oa_tokens import OaTokens
from storage.repositories.outbox import Outbox
from storage.repositories.periods import PeriodRepository
from storage.repositories.plans import PlanRepository
from storage.repositories.questions import QuestionLog
from storage.repositories.reply_windows import ReplyWindows
from storage.repositories.report_settings import ReportSettingsRepository
from storage.repositories.reports import ReportRepository
from storage.repositories.schedules import Reminders, ScheduleStore, WardSchedules
from storage.repositories.secrets import SharedSecrets
from storage.repositories.sent_counts import SentCounts
from storage.repositories.units import UnitRepository
from storage.repositories.wards import UnknownWard, WardRepository

__all__ = ["Repositories", "UnknownWard", "WardRepositories"]


class WardRepositories:
    """The repositories of one ward, all scoped by its id."""

    def __init__(self, session: AsyncSession, ward_id: int, clock: Clock) -> None:
        self.ward_id = ward_id
        self.units = UnitRepository(session, ward_id, clock)
        self.members = MemberRepository(session, ward_id, clock)
        self.invites = InviteRepository(session, ward_id, clock)
        self.plans = PlanRepository(session, ward_id, clock)
        self.periods = PeriodRepository(session, ward_id, clock)
        self.reports = ReportRepository(session, ward_id, clock)
        self.blockers = BlockerRepository(session, ward_id, clock)
        self.incidents = IncidentRepository(session, ward_id, clock)
        self.report_settings = ReportSettingsRepository(session, ward_id, clock)
        self.schedule = ScheduleStore(session, ward_id, clock)
        self.reminders = Reminders(session, ward_id, clock)
        self.handoffs = Handoffs(session, ward_id, clock)


class Repositories:
    """Repositories sharing one session, hence one transaction."""

    def __init__(self, session: AsyncSession, clock: Clock) -> None:
        self.session = session
        self.clock = clock
        self.wards = WardRepository(session, clock)
        self.channels = ChannelRepository(session)
        self.identities = IdentityDirectory(session)
        self.conversations = ConversationStore(session, clock)
        self.audit = AuditLog(session, clock)
        self.outbox = Outbox(session, clock)
        self.questions = QuestionLog(session, clock)
        self.sent_counts = SentCounts(session)
        self.files = FileStore(session, clock)
        self.leases = Leases(session, clock)
        self.secrets = SharedSecrets(session)
        self.groups = GroupChats(session, clock)
        self.schedules = WardSchedules(session)
        self.oa_tokens = OaTokens(session, clock)
        self.reply_windows = ReplyWindows(session, clock)

    def for_ward(self, ward_id: int) -> WardRepositories:
        return WardRepositories(self.session, ward_id, self.clock)
