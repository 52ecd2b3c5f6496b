"""The error raised for broken guide content, always naming the file at fault."""

from __future__ import annotations

from pathlib import Path


class GuideError(ValueError):
    """A guide or ward configuration file is invalid; the message starts with its path."""

    def __init__(self, path: Path | str, problem: str) -> None:
        super().__init__(f"{path}: {problem}")
        self.path = str(path)
        self.problem = problem
