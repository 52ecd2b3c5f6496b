"""What the benches that run `reportbot run` and a fake as processes of their own share."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path
from typing import Any


def cpu_seconds(pid: int) -> float:
    """User and system time so far of a process and of its children still running, such as
    `reportbot run`'s sending process (Linux)."""
    ticks = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # it exited meanwhile
        if stat.parent.name == str(pid) or fields[1] == str(pid):
            ticks += int(fields[11]) + int(fields[12])
    return ticks / os.sysconf("SC_CLK_TCK")


def read_line(process: subprocess.Popen[str]) -> dict[str, Any]:
    """The next JSON line a fake API process reports on its standard output."""
    assert process.stdout is not None
    line = process.stdout.readline()
    if not line:
        raise RuntimeError("the fake Bot API exited")
    return dict(json.loads(line))
