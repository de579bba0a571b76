"""YAML files -> plain data with source positions, every scalar kept as text.

YAML's own type guessing is switched off on purpose: `no`, `1.10` and
`2026-01-01` stay the text that was written, and the models decide what a
field means (docs/format.md, "Values and typing"). Only an empty value or `~`/`null` is None.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from yaml.nodes import MappingNode, ScalarNode

from generator.portfolio.errors import Problem
from generator.portfolio.yamlerrors import syntax_problem

MAX_FILE_BYTES = 2 * 1024 * 1024
"""Far above any real portfolio file (a year of weekly updates is ~100 KB)."""
MAX_NODES = 200_000
"""Values after expanding aliases; stops "billion laughs" before it eats memory."""
MAX_DEPTH = 100
"""Nesting levels; the contract needs 5, and deeper ones would exhaust the converter's recursion."""
NULLS = frozenset({"", "~", "null", "Null", "NULL"})

Loc = tuple[str | int, ...]
"""Where a value sits in a document: keys and list indexes from the top."""


try:
    from yaml import CBaseLoader as _BaseLoader
except ImportError:  # PyYAML built without libyaml
    from yaml import BaseLoader as _BaseLoader  # type: ignore[assignment]


class _Loader(_BaseLoader):
    """libyaml's parser and composer without tag resolution: we never read tags, and resolving ran
    the implicit-type regexes on every scalar (a sixth of loading). Explicit tags (`!!int 3`,
    `!foo x`) were never resolved and are still ignored."""

    def resolve(self, kind: type, value: str | None, implicit: Any) -> str:
        return ""

    def descend_resolver(self, current_node: yaml.Node | None, current_index: Any) -> None:
        pass

    def ascend_resolver(self) -> None:
        pass


@dataclass(frozen=True)
class Document:
    """One YAML file's data and where each value and key was written."""

    display: str
    """The path as reported to the user."""
    data: Any
    values: dict[Loc, tuple[int, int]] = field(default_factory=dict)
    """1-based (line, column) of each value, by location."""
    keys: dict[Loc, tuple[int, int]] = field(default_factory=dict)
    """1-based (line, column) of each mapping key, by the location of its value."""

    def position(self, loc: Loc, *, key: bool = False) -> tuple[int, int]:
        """The position of `loc`, or of the nearest enclosing value that has one."""
        marks = self.keys if key else self.values
        if loc in marks:
            return marks[loc]
        for end in range(len(loc) - 1, -1, -1):
            if loc[:end] in self.values:
                return self.values[loc[:end]]
        return (1, 1)

    def problem(self, loc: Loc, message: str, hint: str = "", *, key: bool = False) -> Problem:
        """A Problem pointing at `loc` in this file."""
        line, column = self.position(loc, key=key)
        return Problem(self.display, line, column, message, hint)


class _TooLarge(Exception):
    """Raised while converting once MAX_NODES values have been produced."""


class _TooDeep(Exception):
    """Raised while converting a value nested more than MAX_DEPTH levels deep."""

    def __init__(self, node: yaml.Node) -> None:
        super().__init__()
        self.position = _mark(node)


def _mark(node: yaml.Node) -> tuple[int, int]:
    return (node.start_mark.line + 1, node.start_mark.column + 1)


class _Converter:
    """Walks composed YAML nodes into plain data, recording positions and duplicate keys.

    The hot path of loading: one call per node, so it compares node classes by identity (the
    composer makes no subclasses) and keeps its tables in locals.
    """

    def __init__(self, display: str, ignore_prefix: str | None) -> None:
        self.display = display
        self.ignore_prefix = ignore_prefix
        self.values: dict[Loc, tuple[int, int]] = {}
        self.keys: dict[Loc, tuple[int, int]] = {}
        self.problems: list[Problem] = []
        self.count = 0

    def convert(self, node: yaml.Node, loc: Loc) -> Any:
        self.count += 1
        if self.count > MAX_NODES:
            raise _TooLarge
        if len(loc) > MAX_DEPTH:
            raise _TooDeep(node)
        mark = node.start_mark
        self.values[loc] = (mark.line + 1, mark.column + 1)
        if type(node) is ScalarNode:
            value = node.value
            return None if not node.style and value in NULLS else value
        if type(node) is MappingNode:
            return self._mapping(node, loc)
        convert = self.convert
        return [convert(item, loc + (i,)) for i, item in enumerate(node.value)]

    def _mapping(self, node: yaml.Node, loc: Loc) -> dict[str, Any]:
        result: dict[str, Any] = {}
        keys, convert, ignore = self.keys, self.convert, self.ignore_prefix
        for key_node, value_node in node.value:
            mark = key_node.start_mark
            line, column = mark.line + 1, mark.column + 1
            if type(key_node) is not ScalarNode:
                self.problems.append(Problem(self.display, line, column, "a key must be a plain word"))
                continue
            key = key_node.value
            if key == "<<":
                self.problems.append(
                    Problem(
                        self.display, line, column, "merge keys (<<) are not supported",
                        "write the fields out in full",
                    )
                )
                continue
            here = loc + (key,)
            if here in keys:  # not `key in result`: an ignored key is checked for duplicates too
                self.problems.append(
                    Problem(
                        self.display, line, column,
                        f"duplicate key '{key}' (first written at line {keys[here][0]})",
                        "keep one of them",
                    )
                )
                continue
            keys[here] = (line, column)
            value = convert(value_node, here)
            if ignore is None or not key.startswith(ignore):
                result[key] = value
        return result


def _line_column(content: str | bytes, index: int) -> tuple[int, int]:
    """1-based line and column of `content[index]` (columns count characters, or bytes of bytes)."""
    before = content[:index]
    newline = "\n" if isinstance(before, str) else b"\n"
    return before.count(newline) + 1, index - (before.rfind(newline) + 1) + 1  # type: ignore[arg-type]


def _decode(raw: bytes, display: str) -> tuple[str | None, list[Problem]]:
    """UTF-8 text without a byte-order mark, or a Problem at the first bad byte."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        line, column = _line_column(raw, err.start)
        return None, [
            Problem(
                display, line, column, f"not UTF-8 text (byte 0x{raw[err.start]:02x})",
                "save the file as UTF-8",
            )
        ]
    return text.removeprefix("\ufeff"), []


def read_bounded(path: Path, display: str) -> tuple[bytes | None, list[Problem]]:
    """A file's bytes, unless it is larger than any real portfolio file could be."""
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        return None, [
            Problem(
                display, 0, 0,
                f"file is {size:,} bytes, more than the {MAX_FILE_BYTES:,} a portfolio file may have",
                "split the history or remove pasted binary content",
            )
        ]
    return path.read_bytes(), []


def check_page(path: Path, display: str) -> list[Problem]:
    """Why a content page (Markdown) cannot be published as it is: too large, or not UTF-8 text."""
    raw, problems = read_bounded(path, display)
    return problems if raw is None else _decode(raw, display)[1]


def load_document(
    raw: bytes, display: str, *, ignore_prefix: str | None = None
) -> tuple[Document | None, list[Problem]]:
    """Parse one YAML file's bytes as a Document, or say precisely why they cannot be read.

    Keys starting with `ignore_prefix` are checked and positioned like any other, then left out
    of the data: one walk instead of a second one to remove them.
    """
    text, problems = _decode(raw, display)
    if text is None:
        return None, problems
    if "\0" in text:
        line, column = _line_column(text, text.index("\0"))
        return None, [Problem(display, line, column, "file contains a NUL byte: not a text file",
                              "save the file as plain UTF-8 text")]
    try:
        nodes = list(yaml.compose_all(text, Loader=_Loader))
    except yaml.MarkedYAMLError as err:
        return None, [syntax_problem(err, display, text)]
    except yaml.YAMLError as err:
        return None, [Problem(display, 1, 1, f"YAML error: {err}")]
    if not nodes or nodes[0] is None:
        return None, [
            Problem(display, 1, 1, "file is empty",
                    "write the content, `[]` for an empty list, or delete the file")
        ]
    if len(nodes) > 1:
        line, column = _mark(nodes[1])
        return None, [
            Problem(display, line, column, "more than one YAML document in this file",
                    "remove the `---` separator: one file holds one document")
        ]
    converter = _Converter(display, ignore_prefix)
    try:
        data = converter.convert(nodes[0], ())
    except _TooLarge:
        return None, [
            Problem(display, 1, 1, f"more than {MAX_NODES:,} values after expanding aliases",
                    "anchors and aliases (& and *) must not multiply the file's content")
        ]
    except _TooDeep as err:
        return None, [
            Problem(display, *err.position, f"values nested more than {MAX_DEPTH} levels deep",
                    "a portfolio file nests a few levels: check the brackets and indentation")
        ]
    doc = Document(display, data, converter.values, converter.keys)
    return doc, converter.problems
