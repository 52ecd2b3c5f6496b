"""`reportbot run` as a real subprocess: started with its environment, waited for until it
listens, stopped with a signal."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

_LISTENING = re.compile(r"listening on (http://\S+)")


class RunningBot:
    def __init__(
        self,
        tmp_path: Path,
        env: dict[str, str],
        name: str = "bot",
        *,
        start_within: float = 60,
    ) -> None:
        """`start_within`: seconds to wait for it to listen; one that does not is killed."""
        environment = {
            **os.environ,
            "REPORTBOT_CONFIG": str(tmp_path / "absent.toml"),
            "REPORTBOT_HTTP_PORT": "0",
            "PYTHONUNBUFFERED": "1",
            **env,
        }
        self.log_path = tmp_path / f"{name}.log"
        self._log = self.log_path.open("w")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "bot", "run"],
            cwd=tmp_path,
            env=environment,
            stdout=self._log,
            stderr=subprocess.STDOUT,
        )
        try:
            self.url = self._wait_for_address(start_within)
        except AssertionError:
            self.kill()
            raise

    def _wait_for_address(self, seconds: float) -> str:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            found = _LISTENING.search(self.log())
            if found:
                return found.group(1)
            if self.process.poll() is not None:
                raise AssertionError(f"reportbot run exited early:\n{self.log()}")
            time.sleep(0.1)
        raise AssertionError(f"reportbot run did not listen:\n{self.log()}")

    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def stop(self, sig: int = signal.SIGTERM, within: float = 5.0) -> float:
        """Signal it and wait; returns how long it took to exit."""
        started = time.monotonic()
        self.process.send_signal(sig)
        self.process.wait(timeout=within + 10)
        self._log.close()
        return time.monotonic() - started

    def kill(self) -> None:
        self.process.kill()
        self.process.wait()
        self._log.close()


def free_port() -> int:
    """A port nothing listens on now: for a process restarted where the old one listened."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_until(predicate: Callable[[], object], seconds: float = 30, message: str = "") -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.05)
    raise AssertionError(message or "condition not met in time")


def settle(count: Callable[[], int], quiet: float = 0.5, seconds: float = 10) -> None:
    """Wait until `count` (of messages arrived) has not grown for `quiet` seconds."""
    deadline = time.monotonic() + seconds
    last, since = count(), time.monotonic()
    while time.monotonic() < deadline:
        time.sleep(0.05)
        now = count()
        if now != last:
            last, since = now, time.monotonic()
        elif time.monotonic() - since >= quiet:
            return
