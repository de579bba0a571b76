"""Problems found in a portfolio: values carrying a source position, until the CLI prints them."""

from __future__ import annotations

import difflib
from collections.abc import Iterator
from contextlib import contextmanager
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

    def one_line(self) -> str:
        """`path:line:col: message`, without the hint: how a warning is told."""
        return str(Problem(self.path, self.line, self.column, self.message))


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


class UnexpectedError(Exception):
    """A failure that is no mistake in the files (a bug): says where it happened, for a one-line report.

    Picklable (only text in its args), so a build worker can send it to the main process.
    """

    def __init__(self, where: str, summary: str) -> None:
        super().__init__(where, summary)
        self.where = where
        """The customer folder (or file) being worked on, as the user sees its path."""
        self.summary = summary
        """`ExceptionType: message` of the original error, on one line."""

    def __str__(self) -> str:
        return f"{self.where}: {self.summary}"


def summarize(error: BaseException) -> str:
    """`ExceptionType: message` on one line, short enough for a terminal."""
    message = " ".join(str(error).split())
    text = f"{type(error).__name__}: {message}" if message else type(error).__name__
    return text if len(text) <= 300 else text[:299] + "…"


@contextmanager
def naming(where: str) -> Iterator[None]:
    """Turn an unexpected error inside the block into an UnexpectedError naming `where`.

    A user mistake (PortalError) or a file system error (OSError, which names its file) passes unchanged.
    """
    try:
        yield
    except (PortalError, OSError, UnexpectedError):
        raise
    except Exception as err:
        raise UnexpectedError(where, summarize(err)) from err
