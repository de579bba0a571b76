"""YAML syntax errors in plain words: what is wrong with the line, where, and how to fix it.

The parser says "mapping values are not allowed in this context" or "did not
find expected key"; a project manager needs to hear that a line is indented
differently from the keys above it, or that text holding `: ` needs quotes.
Each known parser message maps to one sentence and a hint; the position is
the line the user must change.
"""

from __future__ import annotations

import yaml

from generator.portfolio.errors import Problem

PREFIX = "YAML syntax error: "
"""Starts every syntax message, so that a reader (and grep) knows the file could not be read at all."""
_QUOTE_HINT = "put the text in quotes, e.g. summary: \"Note: this\""
_ALIGN_HINT = ("the keys of one mapping start in the same column, and list items start with '- ' "
               "in the same column: indent this line like its neighbours (spaces only)")


def _mark(mark: yaml.Mark | None) -> tuple[int, int]:
    return (mark.line + 1, mark.column + 1) if mark else (1, 1)


def _content(line: str) -> tuple[int, str]:
    """1-based column where a line's content starts, and the content."""
    stripped = line.lstrip(" ")
    return len(line) - len(stripped) + 1, stripped.rstrip()


def syntax_problem(err: yaml.MarkedYAMLError, display: str, text: str) -> Problem:
    """A YAML syntax error in plain words, at the line to change."""
    found = _explain(err, display, text)
    if found.message.startswith(("tab character", PREFIX)):
        return found
    return Problem(found.path, found.line, found.column, PREFIX + found.message, found.hint)


def _explain(err: yaml.MarkedYAMLError, display: str, text: str) -> Problem:
    problem, context = err.problem or "", err.context or ""
    line, column = _mark(err.problem_mark or err.context_mark)
    lines = text.splitlines()

    def source(number: int) -> str:
        return lines[number - 1] if 0 < number <= len(lines) else ""

    offending = source(line)
    indent = offending[: len(offending) - len(offending.lstrip())]
    if "\t" in indent:
        return Problem(display, line, offending.index("\t") + 1, "tab character in indentation",
                       "YAML indents with spaces only: replace the tab with spaces")
    start, content = _content(offending)
    if problem.startswith("mapping values are not allowed"):
        before = offending[: column - 1]
        if ": " in before or before.rstrip().endswith(":"):
            return Problem(display, line, column, "this text holds ': ', which YAML reads as the start of "
                           "another key", _QUOTE_HINT)
        return Problem(display, line, start, f"'{content}' is indented more than the line above it, "
                       "so YAML cannot tell which mapping it belongs to", _ALIGN_HINT)
    if problem == "did not find expected key":
        if content.startswith("-"):
            return Problem(display, line, start, "a list item where a key is expected",
                           "indent the list under its key: `key:` and then `  - item` on the next lines")
        return Problem(display, line, start, f"'{content}' is not lined up with the keys above it",
                       _ALIGN_HINT)
    if problem == "did not find expected '-' indicator":
        return Problem(display, line, start, f"'{content}' is not lined up with the list items above it",
                       _ALIGN_HINT)
    if problem == "could not find expected ':'":
        line, column = _mark(err.context_mark)
        start, content = _content(source(line))
        return Problem(display, line, start, f"'{content}' has no ':' after its key",
                       "write `key: value`; text continued from the line above is indented further "
                       "than its key")
    if context == "while scanning a quoted scalar":
        line, column = _mark(err.context_mark)
        return Problem(display, line, column, "this quote is never closed",
                       "end the text with the same quote character it starts with")
    if context.startswith("while parsing a flow"):
        line, column = _mark(err.context_mark)
        bracket = source(line)[column - 1: column] or "["
        closing = {"[": "]", "{": "}"}.get(bracket, "]")
        return Problem(display, line, column, f"this '{bracket}' is never closed with '{closing}'",
                       f"close it with '{closing}', or put text starting with '{bracket}' in quotes")
    if problem == "found character that cannot start any token":
        char = offending[column - 1: column]
        return Problem(display, line, column, f"a value cannot start with '{char}'", _QUOTE_HINT)
    if problem == "found undefined alias":
        return Problem(display, line, column, "'*' starts an alias, and no anchor (&) of that name is "
                       "defined", "put text starting with '*' in quotes")
    message = " ".join(part for part in (context, problem) if part)
    return Problem(display, line, column, PREFIX + message,
                   "check the indentation and quoting on this line and the one before")
