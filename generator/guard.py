"""Leak guard: scan a built portal for text it must never contain, before it is published.

Defence in depth behind the visibility filter: even if a template bug
printed an internal note or another customer's name, the build fails
instead of publishing it.
"""

from __future__ import annotations

import dataclasses
import html
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from pydantic import BaseModel

from generator.model import Customer
from generator.visibility import Audience, for_audience

MIN_PHRASE = 12
"""Shorter fragments ("TBD", "Yes") are too common to prove a leak."""
_SPLIT = re.compile(r"[\n*_`#>\[\]()|]+|\s{2,}")


def _strings(value: object) -> Iterator[str]:
    """Every text value in a model, a dataclass or a collection of them."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, BaseModel):
        for name in type(value).model_fields:
            yield from _strings(getattr(value, name))
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from _strings(item)
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for f in dataclasses.fields(value):
            if f.name != "pages":
                yield from _strings(getattr(value, f.name))


def _phrases(texts: Iterable[str]) -> set[str]:
    """Plain fragments of texts (Markdown syntax split off), long enough to be telling."""
    found = set()
    for text in texts:
        for part in _SPLIT.split(text):
            part = " ".join(part.split())
            if len(part) >= MIN_PHRASE:
                found.add(part)
    return found


@dataclass(frozen=True)
class Secrets:
    """What one portal must not contain."""

    phrases: frozenset[str]
    """Internal notes and internal items' text that the public portal does not also show."""
    names: frozenset[str]
    """Other customers' names and slugs."""


def secrets_for(customer: Customer, audience: Audience, others: Iterable[tuple[str, str]]) -> Secrets:
    """The secrets of `customer`'s portal for `audience`; `others` are (slug, name) of other customers."""
    phrases: set[str] = set()
    if audience == "customer":
        public = set(_strings(for_audience(customer, "customer")))
        public_text = "\n".join(public)
        phrases = {p for p in _phrases(set(_strings(customer)) - public) if p not in public_text}
    names = {n for slug, name in others if slug != customer.slug for n in (slug, name) if len(n) >= 4}
    return Secrets(frozenset(phrases), frozenset(names))


def _readable(path: Path) -> str:
    """A file's text as a reader would see it: entities and JSON escapes undone, spaces folded."""
    text = path.read_text(encoding="utf-8", errors="replace")
    if path.suffix in (".json", ".js"):
        text = re.sub(r'"((?:[^"\\]|\\.)*)"', lambda m: _json_string(m.group(0)), text)
    return " ".join(html.unescape(text).split())


def _json_string(literal: str) -> str:
    try:
        return str(json.loads(literal))
    except ValueError:
        return literal


TEXT_SUFFIXES = {".html", ".json", ".js", ".xml", ".txt", ".ics", ".atom", ".md", ".svg", ".csv"}


THEME_ASSETS = "assets"
"""Top-level folder of the theme's own files (material's and the portal's CSS/JS): no portfolio text."""


class _NameFinder:
    """Finds whole-word names in a text without one huge regex over hundreds of names.

    The text is tokenised once; only names whose first word occurs in it are
    then confirmed with a word-boundary search.
    """

    def __init__(self, names: frozenset[str]) -> None:
        self.by_first: dict[str, list[re.Pattern[str]]] = {}
        for name in sorted(names):
            words = re.findall(r"\w+", name)
            if words:
                self.by_first.setdefault(words[0], []).append(re.compile(rf"\b{re.escape(name)}\b"))

    def find(self, text: str) -> list[str]:
        tokens = set(re.findall(r"\w+", text))
        return sorted({m.group(0) for first in tokens & self.by_first.keys()
                       for pattern in self.by_first[first] for m in [pattern.search(text)] if m})


def find_leaks(site_dir: Path, secrets: Secrets) -> list[str]:
    """`file: what leaked` for every secret found in the built site's text files."""
    if not secrets.phrases and not secrets.names:
        return []
    names = _NameFinder(secrets.names)
    leaks = []
    for path in sorted(site_dir.rglob("*")):
        rel = path.relative_to(site_dir)
        if not path.is_file() or path.suffix not in TEXT_SUFFIXES or rel.parts[0] == THEME_ASSETS:
            continue
        text = _readable(path)
        leaks += [f"{rel}: internal text {p!r}" for p in sorted(secrets.phrases) if p in text]
        leaks += [f"{rel}: another customer's name {n!r}" for n in names.find(text)]
    return leaks
