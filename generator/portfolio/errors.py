"""Problems found in a portfolio: values carrying a source position, until the CLI prints them."""

from __future__ import annotations

import difflib
from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with the input, where it is, and what to do about it."""

    path: str
    """File or folder, relative to the portfolio's parent (as the PM sees it in git)."""
    line: int = 0
    """1-based; 0 when the problem is about a whole file or folder."""
    column: int = 0
    message: str = ""
    hint: str = ""
    """What to do about it; printed indented under the message."""

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}:{self.column}" if self.line else self.path
        text = f"{where}: {self.message}"
        return f"{text}\n    hint: {self.hint}" if self.hint else text


def did_you_mean(name: str, known: list[str]) -> str:
    """The 'did you mean' hint for a misspelt name, or '' when nothing known is close."""
    close = difflib.get_close_matches(name, known, n=1, cutoff=0.6)
    return f"did you mean '{close[0]}'?" if close else ""


class PortalError(Exception):
    """A user mistake that stops a command: carries every problem found, never a traceback."""

    def __init__(self, problems: list[Problem] | Problem | str, hint: str = "") -> None:
        if isinstance(problems, str):
            problems = Problem(path="portal", message=problems, hint=hint)
        self.problems = [problems] if isinstance(problems, Problem) else sorted(problems)
        super().__init__("\n".join(str(p) for p in self.problems))
