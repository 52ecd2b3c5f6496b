"""Messages typed in the terminal: one line, or a pasted block of lines as one message.

A unit's whole report is one message of several lines ("1 HT", "2 60% vướng kinh phí", …),
and a terminal delivers it line by line. Lines that arrive together (a paste, or input piped
in) make one message, up to an empty line; a line typed alone is sent as soon as no other line
follows it within a moment. A command ("/baocao") is always a message of its own.
"""

from __future__ import annotations

import asyncio
import itertools
import threading
from collections import deque
from typing import TextIO

# Lines of one paste reach the program well within this; a person typing takes far longer.
PASTE_PAUSE_SECONDS = 0.05


class TypedMessages:
    """Reads ``stdin`` in a thread of its own, so the event loop never waits on the terminal."""

    def __init__(self, stdin: TextIO, *, pause: float = PASTE_PAUSE_SECONDS) -> None:
        self._pause = pause
        self._loop = asyncio.get_running_loop()
        self._lines: asyncio.Queue[str | None] = asyncio.Queue()
        self._held: deque[str | None] = deque()
        threading.Thread(target=self._read, args=(stdin,), daemon=True).start()

    def _read(self, stdin: TextIO) -> None:
        # Line by line as they come (a terminal blocks between them), then the end of input.
        for line in itertools.chain(iter(stdin.readline, ""), [None]):
            try:
                self._loop.call_soon_threadsafe(
                    self._lines.put_nowait, line.rstrip("\r\n") if line is not None else None
                )
            except RuntimeError:
                return  # the chat has ended (/thoat) and its loop with it

    async def _line(self, wait: float | None) -> str | None:
        """The next line; None at the end of input; TimeoutError when none came in ``wait``."""
        if self._held:
            return self._held.popleft()
        if wait is None:
            return await self._lines.get()
        return await asyncio.wait_for(self._lines.get(), wait)

    async def next(self) -> str | None:
        """The next message, stripped; None once the input has ended."""
        first = await self._line(None)
        if first is None:
            return None
        first = first.strip()
        if not first or first.startswith("/"):
            return first
        block = [first]
        while True:
            try:
                line = await self._line(self._pause)
            except TimeoutError:
                break
            if line is None or line.strip().startswith("/"):
                self._held.append(line)
                break
            if not line.strip():
                break
            block.append(line.strip())
        return "\n".join(block)
