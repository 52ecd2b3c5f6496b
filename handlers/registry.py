"""Every router of the product, in the order commands are listed in help."""

from __future__ import annotations

from handlers import citizen, help, onboarding, profile
from handlers.router import Router

ROUTERS: tuple[Router, ...] = (onboarding.router, profile.router, help.router, citizen.router)
