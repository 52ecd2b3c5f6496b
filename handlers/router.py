"""Registering flows: commands (with the roles allowed to use them) and persisted flows."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from handlers.context import FlowContext
from storage.vocabulary import Role

Handler = Callable[[FlowContext], Awaitable[None]]


@dataclass(frozen=True)
class Command:
    name: str
    handler: Handler
    roles: frozenset[Role] | None
    citizens: bool
    describe: Callable[[], str]

    def allowed(self, roles: set[Role], is_citizen: bool) -> bool:
        if is_citizen:
            return self.citizens
        return self.roles is None or bool(self.roles & roles)


class Router:
    """A module's commands and flows; the dispatcher includes every router."""

    def __init__(self) -> None:
        self.commands: dict[str, Command] = {}
        self.flows: dict[str, Handler] = {}
        self.prompts: dict[str, Handler] = {}
        self.resting_steps: dict[str, frozenset[str]] = {}

    def command(
        self,
        name: str,
        *aliases: str,
        describe: Callable[[], str],
        roles: set[Role] | None = None,
        citizens: bool = False,
    ) -> Callable[[Handler], Handler]:
        """Register a command; `describe` returns its translated one-line help."""

        def register(handler: Handler) -> Handler:
            spec = Command(name, handler, frozenset(roles) if roles else None, citizens, describe)
            for command_name in (name, *aliases):
                self.commands[command_name] = spec
            return handler

        return register

    def flow(
        self,
        name: str,
        *,
        prompt: Handler | None = None,
        resting_steps: frozenset[str] = frozenset(),
    ) -> Callable[[Handler], Handler]:
        """Register the handler that continues a flow at whatever step was persisted.

        `prompt` asks the current step's question again when a command interrupts it;
        at `resting_steps` (an overview, a review) nothing is half-entered, so a command
        simply leaves the flow.
        """

        def register(handler: Handler) -> Handler:
            self.flows[name] = handler
            if prompt is not None:
                self.prompts[name] = prompt
            self.resting_steps[name] = resting_steps
            return handler

        return register
