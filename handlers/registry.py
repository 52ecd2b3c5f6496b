"""Every router of the product, in the order commands are listed in help."""

from __future__ import annotations

from handlers import (
    blockers,
    citizen,
    digest,
    exports,
    groups,
    handoff,
    help,
    incidents,
    onboarding,
    people_commands,
    plan_overview,
    profile,
)
from handlers.checkin import coordination, evidence_view, flow
from handlers.router import Router
from handlers.scheduling import commands as schedule_commands

ROUTERS: tuple[Router, ...] = (
    onboarding.router,
    profile.router,
    flow.router,
    blockers.router,
    incidents.router,
    coordination.router,
    evidence_view.router,
    plan_overview.router,
    people_commands.router,
    schedule_commands.router,
    digest.router,
    exports.router,
    groups.router,
    handoff.router,
    help.router,
    citizen.router,
)
