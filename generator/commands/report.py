"""What a command tells its caller: the one JSON shape of `--format json`, and counts in words.

Every command with `--format json` prints one document with the same keys on
success and failure (docs/cli-output.schema.json publishes the shape, and
tests/test_cli.py holds every command's output to it): a machine reads
`ok` and `problems` without knowing which command ran.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from generator.portfolio.errors import Problem

SCHEMA_VERSION = 1
"""Raised when a key is removed or changes meaning; adding a key keeps it."""


def counted(n: int, noun: str, plural: str = "") -> str:
    """`1 customer`, `2 customers`: a count with its noun in the right number."""
    return f"{n} {noun if n == 1 else plural or noun + 's'}"


def problem_json(problem: Problem) -> dict[str, Any]:
    """One problem for machines: no hint is `null`, not an empty string."""
    return {"path": problem.path, "line": problem.line, "column": problem.column,
            "message": problem.message, "hint": problem.hint or None}


def emit_json(command: str, result: dict[str, Any] | None, *, problems: Sequence[Problem] = (),
              warnings: Sequence[str] = ()) -> None:
    """Print the document: `result` is the command's own part, None when it failed."""
    payload = {"schema_version": SCHEMA_VERSION, "command": command, "ok": result is not None,
               "problems": [problem_json(p) for p in problems], "warnings": list(warnings),
               "result": result}
    print(json.dumps(payload, indent=2, ensure_ascii=False))
