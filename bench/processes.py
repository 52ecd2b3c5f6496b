"""What the benches that run `reportbot run` and a fake as processes of their own share."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path
from typing import Any


def cpu_seconds(pid: int) -> float:
    """User and system time of a process so far (Linux)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def read_line(process: subprocess.Popen[str]) -> dict[str, Any]:
    """The next JSON line a fake API process reports on its standard output."""
    assert process.stdout is not None
    line = process.stdout.readline()
    if not line:
        raise RuntimeError("the fake Bot API exited")
    return dict(json.loads(line))
