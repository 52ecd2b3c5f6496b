"""A sending process: the Telegram channels' senders in a child process of `reportbot run`.

Rendering a message for the Bot API, the HTTP request and reading the answer are a third of a
busy process's CPU (README, "Performance"); in a child they run on the machine's other core
while the process takes the next turns. Only the sending moves: the delivery loop still
claims every row and records every outcome in the parent, so the outbox's guarantees hold as
they are. A row being sent when the child dies fails as a network error would (retried by
the delivery loop; it may have gone out, as rows in flight at a kill may), and the next row
starts a new child; so does a child that stops answering, once it is killed.

Only Telegram's sender moves: it talks to the Bot API and to nothing else, where the Zalo
senders share their runner's token keeper and write to the database.

The child reads requests on its standard input and answers on its standard output, each a
length-prefixed pickle: both ends are this program, and the pipe is the parent's own.
"""

from __future__ import annotations

import asyncio
import logging
import pickle
import signal
import struct
import sys
from contextlib import suppress
from dataclasses import dataclass
from typing import Any

from bot.channels import Capabilities, Platform
from bot.config import ChannelSettings, Settings
from bot.sending import ChannelSender, OutboundMessage, PacedSender, SendFailed

log = logging.getLogger(__name__)

# The platforms whose senders may run apart from their runner.
SENT_APART = frozenset({Platform.TELEGRAM})
# A file the child sends (a Word report, a chart) crosses the pipe whole.
_LONGEST_FRAME = 64 * 1024 * 1024
_HEADER = struct.Struct("!I")
# Importing aiogram takes seconds on a loaded machine.
START_WITHIN_SECONDS = 60.0
# A request gives up after aiogram's 60 s and the limiter waits out a 429 of up to 30 s
# twice: a child silent for longer than this is stuck, and is replaced.
ANSWER_WITHIN_SECONDS = 180.0


@dataclass(frozen=True)
class _Request:
    number: int
    channel: str
    chat_id: str
    message: OutboundMessage


@dataclass(frozen=True)
class _Answer:
    number: int
    # The platform's id of the message, or why it did not go out.
    sent: str | None = None
    failed: SendFailed | None = None


def _frame(value: object) -> bytes:
    data = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    return _HEADER.pack(len(data)) + data


async def _read_frame(reader: asyncio.StreamReader) -> Any:
    (size,) = _HEADER.unpack(await reader.readexactly(_HEADER.size))
    if size > _LONGEST_FRAME:
        raise ValueError(f"a frame of {size} bytes")
    return pickle.loads(await reader.readexactly(size))


class SendingProcess:
    """The parent's side: starts the child, hands it messages, hands back what became of them."""

    def __init__(
        self,
        settings: Settings,
        channels: list[ChannelSettings],
        *,
        answer_within: float = ANSWER_WITHIN_SECONDS,
    ) -> None:
        self._settings = settings
        self._channels = channels
        self._answer_within = answer_within
        self._process: asyncio.subprocess.Process | None = None
        self._reading: asyncio.Task[None] | None = None
        self._waiting: dict[int, asyncio.Future[str]] = {}
        self._numbers = 0
        self._starting = asyncio.Lock()

    async def start(self) -> None:
        """Start the child and wait until its senders are made."""
        async with self._starting:
            if self._process is not None:
                return
            process = await asyncio.create_subprocess_exec(
                sys.executable,
                "-m",
                "bot.sending_process",
                stdin=asyncio.subprocess.PIPE,
                stdout=asyncio.subprocess.PIPE,
                limit=_LONGEST_FRAME,
            )
            assert process.stdin is not None and process.stdout is not None
            process.stdin.write(_frame((self._settings, self._channels)))
            try:
                ready = await asyncio.wait_for(_read_frame(process.stdout), START_WITHIN_SECONDS)
            except (asyncio.IncompleteReadError, ValueError, TimeoutError):
                with suppress(ProcessLookupError):
                    process.kill()
                await process.wait()
                raise RuntimeError(
                    f"the sending process exited at start ({process.returncode})"
                ) from None
            if ready != "ready":
                raise RuntimeError(f"the sending process said {ready!r} at start")
            self._process = process
            self._reading = asyncio.create_task(self._read_answers(process))
            log.info("sending process %s started", process.pid)

    @property
    def pid(self) -> int | None:
        return self._process.pid if self._process is not None else None

    async def send(self, channel: str, chat_id: str, message: OutboundMessage) -> str:
        """`message` sent by the child; raises `SendFailed` as the channel's sender does, and
        as a network error does when the child dies meanwhile."""
        if self._process is None:
            try:
                await self.start()
            except (OSError, RuntimeError) as error:
                raise SendFailed(f"the sending process did not start: {error}") from error
        process = self._process
        assert process is not None and process.stdin is not None
        self._numbers += 1
        answered: asyncio.Future[str] = asyncio.get_running_loop().create_future()
        self._waiting[self._numbers] = answered
        try:
            process.stdin.write(_frame(_Request(self._numbers, channel, chat_id, message)))
            await process.stdin.drain()
        except (ConnectionError, RuntimeError) as error:
            self._waiting.pop(self._numbers, None)
            raise SendFailed(f"the sending process is gone: {error}") from error
        try:
            return await asyncio.wait_for(answered, self._answer_within)
        except TimeoutError:
            log.warning("the sending process %s stopped answering; it is replaced", process.pid)
            with suppress(ProcessLookupError):
                process.kill()
            raise SendFailed("the sending process stopped answering") from None

    async def _read_answers(self, process: asyncio.subprocess.Process) -> None:
        assert process.stdout is not None
        try:
            while True:
                answer: _Answer = await _read_frame(process.stdout)
                waiting = self._waiting.pop(answer.number, None)
                if waiting is None or waiting.done():
                    continue
                if answer.failed is not None:
                    waiting.set_exception(answer.failed)
                else:
                    waiting.set_result(answer.sent or "")
        except asyncio.IncompleteReadError:
            pass
        except Exception:
            log.exception("the sending process answered what cannot be read; it is stopped")
            process.kill()
        code = await process.wait()
        if self._process is process:
            self._process = None
        if self._waiting:
            log.warning(
                "the sending process %s exited (%s); its sends are retried", process.pid, code
            )
        unanswered, self._waiting = self._waiting, {}
        for future in unanswered.values():
            if not future.done():
                future.set_exception(SendFailed(f"the sending process exited ({code})"))

    async def stop(self, within: float) -> None:
        """What the child is sending finishes (within `within` seconds), then it exits."""
        process = self._process
        if process is None:
            return
        self._process = None
        assert process.stdin is not None
        process.stdin.close()
        try:
            await asyncio.wait_for(process.wait(), within)
        except TimeoutError:
            process.kill()
            await process.wait()
        if self._reading is not None:
            await self._reading


class SenderApart:
    """A channel's sender as the sending port sees it, sending through the sending process."""

    def __init__(self, local: ChannelSender, process: SendingProcess) -> None:
        # The parent's own sender answers for the channel's name, capabilities and rate.
        self._local = local
        self._process = process

    @property
    def name(self) -> str:
        return self._local.name

    @property
    def capabilities(self) -> Capabilities:
        return self._local.capabilities

    @property
    def messages_per_second(self) -> float:
        # Every platform in SENT_APART keeps to a rate.
        assert isinstance(self._local, PacedSender)
        return self._local.messages_per_second

    async def send(self, chat_id: str, message: OutboundMessage) -> str:
        return await self._process.send(self.name, chat_id, message)


# The child.


async def _serve() -> None:
    loop = asyncio.get_running_loop()
    reader = asyncio.StreamReader(limit=_LONGEST_FRAME)
    await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), sys.stdin)
    transport, protocol = await loop.connect_write_pipe(
        asyncio.streams.FlowControlMixin, sys.stdout
    )
    writer = asyncio.StreamWriter(transport, protocol, None, loop)
    settings, channels = await _read_frame(reader)
    from bot.adapters import RUNNERS
    from bot.logs import configure_logging

    configure_logging(settings.secrets())
    runners = [RUNNERS[channel.platform](channel, settings) for channel in channels]
    senders = {runner.settings.name: runner.sender for runner in runners}
    writer.write(_frame("ready"))

    async def send(request: _Request) -> None:
        try:
            sent = await senders[request.channel].send(request.chat_id, request.message)
        except SendFailed as failed:
            writer.write(_frame(_Answer(request.number, failed=failed)))
        except Exception as error:
            log.exception("sending on %s failed", request.channel)
            failure = SendFailed(f"{type(error).__name__}: {error}")
            writer.write(_frame(_Answer(request.number, failed=failure)))
        else:
            writer.write(_frame(_Answer(request.number, sent=sent)))

    sending: set[asyncio.Task[None]] = set()
    while True:
        try:
            request = await _read_frame(reader)
        except asyncio.IncompleteReadError:
            # The parent closed the pipe (stopping) or is gone: what is being sent finishes.
            break
        task = asyncio.create_task(send(request))
        sending.add(task)
        task.add_done_callback(sending.discard)
    if sending:
        await asyncio.wait(sending)
    await writer.drain()
    for runner in runners:
        # Never started: this closes its HTTP session.
        await runner.stop()


def serve() -> None:
    # Ctrl-C reaches the whole process group: the parent decides when this one stops.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    asyncio.run(_serve())


if __name__ == "__main__":
    # Imported, not run as __main__: what it pickles must name this module.
    from bot.sending_process import serve as serve_imported

    serve_imported()
