"""What a flow handler receives: the event, the actor, storage, the clock and a reply buffer."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

from handlers.actor import Actor
from handlers.events import Choice, ChoicesReply, IncomingEvent, Outgoing, Reply, TextReply
from handlers.people import INVITE_VALID_DAYS
from storage.clock import Clock
from storage.repositories import Repositories

if TYPE_CHECKING:
    from handlers.guidance import GuidanceEngine
    from handlers.reporting.files import FileMaker
    from storage.models import Ward


class GuidanceSource(Protocol):
    """Where the citizen flow gets the guidance engine of a ward."""

    def engine_for(self, ward: Ward | None) -> GuidanceEngine: ...


CHOICES_KEY = "_choices"
# A download link to one piece of an answer's evidence: (answer id, its place in the list,
# ward id) → the address. Made where links are served (`reportbot run`); absent elsewhere.
EvidenceLink = Callable[[int, int, int], str]
# Which Zalo bot a new member should write to: the first configured one with room under its
# plan's cap (its name to search for), and whether every one is full. Known to the process
# (its channels' settings), asked by /moi.
InviteBot = Callable[[Repositories], Awaitable[tuple[str | None, bool]]]


@dataclass
class FlowContext:
    event: IncomingEvent
    actor: Actor
    repositories: Repositories
    clock: Clock
    flow: str | None
    step: str | None
    data: dict[str, Any]
    # The translated one-line help of each command the sender may use, in help's order.
    command_help: Sequence[Callable[[], str]] = ()
    guidance: GuidanceSource | None = None
    files: FileMaker | None = None
    evidence_link: EvidenceLink | None = None
    invite_bot: InviteBot | None = None
    # How long an invitation made in chat (/moi) stays usable.
    invite_valid_days: int = INVITE_VALID_DAYS
    outgoing: Outgoing = field(default_factory=Outgoing)

    def guidance_engine(self) -> GuidanceEngine:
        if self.guidance is None:
            raise RuntimeError("this dispatcher was built without citizen guidance")
        return self.guidance.engine_for(self.actor.ward)

    def file_maker(self) -> FileMaker:
        if self.files is None:
            raise RuntimeError("this dispatcher was built without a file maker")
        return self.files

    def reply(self, text: str) -> None:
        self.outgoing.replies.append(TextReply(text))

    def send(self, reply: Reply) -> None:
        self.outgoing.replies.append(reply)

    def send_later(self, make: Callable[[], Reply]) -> None:
        """A reply made after the turn has committed, off the event loop: for files (a chart,
        a Word report) that take the better part of a second and need no database."""
        self.outgoing.add_later(make)

    def ask(self, text: str, choices: list[Choice]) -> None:
        """Offer options; the values are kept so a typed number selects one later, unless the
        options have keywords: a number is then the answer itself."""
        self.outgoing.replies.append(ChoicesReply(text, tuple(choices)))
        if all(choice.keyword is None for choice in choices):
            self.data[CHOICES_KEY] = [choice.value for choice in choices]

    def go_to(self, flow: str, step: str, **data: Any) -> None:
        """Continue in `flow` at `step` with the next message, even after a restart."""
        self.flow, self.step = flow, step
        self.data.update(data)

    def finish(self) -> None:
        self.flow, self.step = None, None
        self.data.clear()
