"""Leak guard: scan a built portal for text it must never contain, before it is published.

Defence in depth behind the visibility filter: even if a template bug
printed an internal note or another customer's name, the build fails
instead of publishing it.
"""

from __future__ import annotations

import contextlib
import dataclasses
import gzip
import html
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from pydantic import BaseModel

from generator.portfolio.model import Customer
from generator.portfolio.visibility import Audience, for_audience

MIN_PHRASE = 16
MIN_WORDS = 3
"""Shorter fragments ("TBD", "change requests") also occur in the theme's own wording."""
_SPLIT = re.compile(r"[\n*_`#>\[\]()|]+|\s{2,}")


def _strings(value: object, where: str = "") -> Iterator[tuple[str, str]]:
    """(text, where it is) for every text value in a model, a dataclass or a collection of them."""
    if isinstance(value, str):
        yield value, where
    elif isinstance(value, BaseModel):
        item = getattr(value, "id", None) or getattr(value, "date", None) or getattr(value, "name", None)
        here = f"{where} {type(value).__name__} {item}".strip() if item else where
        for name in type(value).model_fields:
            yield from _strings(getattr(value, name), f"{here}, {name}" if name == "internal" else here)
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from _strings(item, where)
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        here = f"{where} {getattr(value, 'slug', '')}:".strip() if hasattr(value, "slug") else where
        for f in dataclasses.fields(value):
            if f.name != "pages":
                yield from _strings(getattr(value, f.name), here)


def _phrases(text: str) -> Iterator[str]:
    """Plain fragments of a text (Markdown syntax split off), long enough to be telling."""
    for part in _SPLIT.split(text):
        part = " ".join(part.split())
        if len(part) >= MIN_PHRASE and len(part.split()) >= MIN_WORDS:
            yield part


@dataclass(frozen=True)
class Secrets:
    """What one portal must not contain."""

    phrases: dict[str, str]
    """Internal text the public portal does not also show -> where it is written (for the message)."""
    names: frozenset[str]
    """Other customers' names and slugs."""


def secrets_for(
    customer: Customer, audience: Audience, others: Iterable[tuple[str, str]], published: object = (),
) -> Secrets:
    """The secrets of `customer`'s portal for `audience`; `others` are (slug, name) of other customers.

    `published` holds records whose text the customer has already been shown
    (the audience-filtered history): text that was public once and is an
    internal note now is history, not a leak.
    """
    phrases: dict[str, str] = {}
    if audience == "customer":
        public = {text for text, _ in _strings(for_audience(customer, "customer"))}
        public |= {text for text, _ in _strings(published)}
        public_text = "\n".join(public)
        for text, where in _strings(customer):
            if text not in public:
                phrases.update((p, where) for p in _phrases(text) if p not in public_text)
    names = {n for slug, name in others if slug != customer.slug for n in (slug, name) if len(n) >= 4}
    return Secrets(phrases, frozenset(names))


def _readable(path: Path) -> str:
    """A file's text as a reader would see it: escapes of its format undone, spaces folded."""
    text = path.read_text(encoding="utf-8", errors="replace")
    if path.suffix == ".json":
        text = _json_text(text)
    elif path.suffix == ".js":
        text = re.sub(r'"((?:[^"\\]|\\.)*)"', lambda m: _json_string(m.group(0)), text)
    elif path.suffix == ".ics":
        text = re.sub(r"\r?\n[ \t]", "", text)  # RFC 5545 line folding
        text = re.sub(r"\\([,;\\nN])", lambda m: "\n" if m.group(1) in "nN" else m.group(1), text)
    elif path.suffix in (".xml", ".atom"):
        text = html.unescape(text)  # feeds carry escaped HTML inside escaped XML
    return " ".join(html.unescape(text).split())


def _json_text(text: str) -> str:
    """Every string of a JSON document, NUL between them (the document itself if it is not JSON).

    NUL is a separator no secret contains, so no phrase is found across two strings.
    """
    try:
        data = json.loads(text)
    except ValueError:
        return text
    strings: list[str] = []
    todo = [data]
    while todo:
        value = todo.pop()
        if isinstance(value, str):
            strings.append(value)
        elif isinstance(value, dict):
            todo += [*value.keys(), *value.values()]
        elif isinstance(value, list):
            todo += value
    return "\0".join(strings)


def _json_string(literal: str) -> str:
    try:
        return str(json.loads(literal))
    except ValueError:
        return literal


TEXT_SUFFIXES = {".html", ".json", ".js", ".xml", ".txt", ".ics", ".atom", ".md", ".svg", ".csv"}


THEME_ASSETS = "assets"
"""Top-level folder of the theme's own files (material's and the portal's CSS/JS): no portfolio text."""

_WORD = re.compile(r"\w+")


def _words(text: str) -> set[str]:
    """Every distinct \\w+ word of a text.

    Splitting at whitespace first and tokenising only the distinct pieces is
    3x faster than one findall: a portal repeats the same words thousands of times.
    """
    return {word for piece in set(text.split()) for word in _WORD.findall(piece)}


class _NameFinder:
    """Finds whole-word names in a text without one huge regex over hundreds of names.

    The text's distinct words are collected once; only names whose first word
    occurs in it are then confirmed with a word-boundary search (compiled only
    then: a portfolio has hundreds of names, a page mentions few).
    """

    def __init__(self, names: frozenset[str]) -> None:
        self.by_first: dict[str, list[str]] = {}
        for name in sorted(names):
            words = _WORD.findall(name)
            if words:
                self.by_first.setdefault(words[0], []).append(name)

    def find(self, text: str) -> list[str]:
        return sorted({m.group(0) for first in _words(text) & self.by_first.keys()
                       for name in self.by_first[first]
                       for m in [re.search(rf"\b{re.escape(name)}\b", text)] if m})


def _published_texts(site_dir: Path) -> dict[str, str]:
    """Relative path -> readable text of every file of the site that can carry portfolio text."""
    texts = {}
    for path in sorted(site_dir.rglob("*")):
        rel = path.relative_to(site_dir)
        if not path.is_file() or path.suffix not in TEXT_SUFFIXES or rel.parts[0] == THEME_ASSETS:
            continue
        if path.name == "search_index.js" and path.with_suffix(".json").is_file():
            continue  # the offline plugin's copy of search_index.json, read once is enough
        texts[str(rel)] = _readable(path)
    return texts


def find_leaks(site_dir: Path, secrets: Secrets) -> list[str]:
    """`file: what leaked` for every secret found in the built site's text files.

    The whole site is searched at once (one pass per secret, not one per file
    and secret); only the secrets found are then traced to their files.
    """
    if not secrets.phrases and not secrets.names:
        return []
    texts = _published_texts(site_dir)
    everything = "\0".join(texts.values())  # no secret contains NUL: the loader refuses it
    phrases = sorted(p for p in secrets.phrases if p in everything)
    names = _NameFinder(secrets.names).find(everything)
    if not phrases and not names:
        return []
    finder = _NameFinder(frozenset(names))
    leaks = []
    for rel, text in texts.items():
        leaks += [f"{rel}: internal text {p!r} (from {secrets.phrases[p]})" for p in phrases if p in text]
        if names:
            leaks += [f"{rel}: another customer's name {n!r}" for n in finder.find(text)]
    return leaks


# --- encrypted portals: no customer text in plain at all ------------------------------------------

MIN_PLAIN = 8
"""Shorter text of a customer (a status word, a date) also occurs in the theme and the prompt."""


def customer_texts(customer: Customer) -> frozenset[str]:
    """What an encrypted portal must hold only as ciphertext: the customer's name and slug, its
    projects' names and slugs, and every text of its files of MIN_PLAIN characters or more."""
    names = {customer.slug, customer.info.name}
    names |= {n for p in customer.projects for n in (p.slug, p.info.name)}
    texts = {" ".join(text.split()) for text, _ in _strings(customer)}
    return frozenset({n for n in names if len(n) >= 4} | {t for t in texts if len(t) >= MIN_PLAIN})


_CIPHERTEXT = re.compile(r"[A-Za-z0-9+/=_-]{64,}")
"""A run of base64 this long is ciphertext: no slug or word of a text is that long."""


def _plain(path: Path) -> str:
    """A file's bytes as text a reader could find in it: .gz opened, escapes undone, ciphertext left out
    (a text found inside it would be chance, not a leak)."""
    data = path.read_bytes()
    if path.suffix == ".gz":
        with contextlib.suppress(OSError, EOFError):
            data = gzip.decompress(data)
    text = data.decode("utf-8", errors="replace")
    return " ".join(html.unescape(_CIPHERTEXT.sub(" ", text)).split())


def find_plain(site_dir: Path, texts: frozenset[str], skip: str = "") -> list[str]:
    """`file: text` for every text found in plain in any file or file name of an encrypted portal.

    Every byte of every file but the theme's own assets (as in find_leaks) is
    read, .gz opened; `skip` is the top folder published in plain on purpose
    (the feeds' capability folder). As in find_leaks, the whole portal is
    searched at once, and only the texts found are traced to their files, as whole words.
    """
    files = {rel: f"{rel}\0{_plain(path)}" for path in sorted(site_dir.rglob("*")) if path.is_file()
             for rel in [path.relative_to(site_dir)] if rel.parts[0] not in (THEME_ASSETS, skip)}
    everything = "\0".join(files.values())
    found = sorted(t for t in texts if t in everything)
    return [f"{rel}: customer text {t!r} in plain" for rel, text in files.items() for t in found
            if t in text and re.search(rf"(?<!\w){re.escape(t)}(?!\w)", text)]
