"""Leak guard: scan a built portal for text it must never contain, before it is published.

Defence in depth behind the visibility filter: even if a template bug, a
pasted text or a symlink put an internal note, another customer's name or
another customer's text into a portal, the build fails instead of publishing it.

Text is compared as a reader reads it (`fold`): escapes of every format
undone (HTML entities, URL percent-encoding, JSON and calendar escapes), tags
set apart from the words, Unicode NFKC, case folded, invisible characters
dropped, and every run of spaces, hyphens, underscores, dots, slashes or other
punctuation made one space. `HARBOR-HEALTH`, `harbor%2Dhealth` and
`Harbor&shy;Health` are all `harbor health`. Every secret of every customer is
searched at once, with one Aho-Corasick automaton per build.
"""

from __future__ import annotations

import contextlib
import dataclasses
import gzip
import html
import json
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote

import ahocorasick  # type: ignore[import-not-found]  # no stubs
from pydantic import BaseModel

from generator.portfolio.model import Customer
from generator.portfolio.visibility import Audience, for_audience

MIN_PHRASE = 16
MIN_WORDS = 3
"""Shorter fragments ("TBD", "change requests") also occur in the theme's own wording."""
DISTINCTIVE_PHRASE = 32
DISTINCTIVE_WORDS = 5
"""Another customer's public text counts from a sentence on: shorter phrases are shared wording."""
NOTE_FIELD = "internal"
"""The field of a team-only note (`where` ends with it)."""
MIN_NAME = 4
"""Names and slugs (folded) shorter than this are ordinary words."""
_SPLIT = re.compile(r"[\n*_`#>\[\]()|]+|\s{2,}")
_INVISIBLE = re.compile(
    "[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f\u202a-\u202e\u2060-\u206f"
    "\u3164\ufe00-\ufe0f\ufeff\uffa0\ufff0-\ufff8\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0000-\U000e0fff]")
"""Unicode's default-ignorable code points: soft hyphen, zero-width spaces and joiners, bidi marks, ..."""
_NON_ASCII = re.compile(r"[^\x00-\x7f]")
_ASCII_SEPARATORS = bytes(b if chr(b).isalnum() or b == 0 else 32 for b in range(128)) \
    + bytes(range(128, 256))
"""Every ASCII byte but letters, digits (and NUL, see APART) -> space: 10x faster than a regex."""
_TAG = re.compile(r"<[^<>]*>")
APART = " \0 "
"""Between two texts of a file: no secret is found across it (folding keeps NUL, no secret has one)."""


def _decoded(text: str) -> str:
    """HTML entities and URL percent-escapes undone, also when nested (escaped HTML in escaped XML)."""
    for _ in range(3):
        before = text
        if "&" in text:
            text = html.unescape(text)
        if "%" in text:
            text = unquote(text)
        if text == before:
            break
    return text


def _normal(text: str, both: bool = False) -> str:
    """NFKC, case folded, every separator one space, invisible characters too (and, if `both`,
    also dropped: a second reading of the text, APART from the first).

    An invisible character may split two words or join one (`Harbor\\u200bHealth`,
    `ac&shy;count`). Pages are mostly ASCII: their few distinct other characters
    are replaced one by one, which is 10x faster than a regex over the page.
    """
    joined = None
    if not text.isascii():
        text = unicodedata.normalize("NFKC", text)
        odd = set(_NON_ASCII.findall(text))
        for char in odd - {c for c in odd if c.isalnum() or unicodedata.category(c).startswith("M")}:
            if both and joined is None and _INVISIBLE.match(char):
                joined = _normal(_INVISIBLE.sub("", text))
            text = text.replace(char, " ")
    words = text.casefold().encode("utf-8", "surrogatepass").translate(_ASCII_SEPARATORS).split()
    spaced = f" {b' '.join(words).decode('utf-8', 'surrogatepass')} "
    return spaced if joined is None else spaced + APART + joined


def fold(text: str) -> str:
    """A text's words as the guard compares them: lower case, one space apart, a space at each end."""
    return _normal(_decoded(text))


def _fold_published(text: str) -> str:
    """`fold` of a published file's text, tags set apart from the words they sat between, read
    both ways where an invisible character splits or joins words."""
    text = _decoded(text)
    return _normal(_TAG.sub(" ", text) + APART + APART.join(_TAG.findall(text)), both=True)


def _strings(value: object, where: str = "") -> Iterator[tuple[str, str]]:
    """(text, where it is) for every text value in a model, a dataclass or a collection of them."""
    if isinstance(value, str):
        yield value, where
    elif isinstance(value, BaseModel):
        item = getattr(value, "id", None) or getattr(value, "date", None) or getattr(value, "name", None)
        here = f"{where} {type(value).__name__} {item}".strip() if item else where
        for name in type(value).model_fields:
            yield from _strings(getattr(value, name), f"{here}, {name}" if name == NOTE_FIELD else here)
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from _strings(item, where)
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        here = f"{where} {getattr(value, 'slug', '')}:".strip() if hasattr(value, "slug") else where
        for f in dataclasses.fields(value):
            if f.name != "pages":
                yield from _strings(getattr(value, f.name), here)


def _phrases(text: str, chars: int = MIN_PHRASE, words: int = MIN_WORDS) -> Iterator[str]:
    """Folded fragments of a text (Markdown syntax split off), long enough to be telling."""
    for part in _SPLIT.split(text):
        folded = fold(part)
        if len(folded) - 2 >= chars and folded.count(" ") - 1 >= words:
            yield folded


@dataclass(frozen=True)
class Texts:
    """What one customer's folder says, folded: the guard's picture of it in every other portal."""

    slug: str
    names: dict[str, str]
    """Folded name or slug -> as written."""
    internal: dict[str, str]
    """Folded text of internal items its own portal does not show -> where it is written."""
    public: dict[str, str]
    """Folded distinctive text its portal shows -> where it is written."""
    notes: dict[str, str]
    """The same of its `internal:` notes: prose for the team, never wording another customer shares."""


def texts_of(customer: Customer | None, slug: str, name: str) -> Texts:
    """The Texts of a customer (only its name and slug when its folder does not load)."""
    names = {f: n for n in (name, slug) if len(f := fold(n)) - 2 >= MIN_NAME}
    if customer is None:
        return Texts(slug, names, {}, {}, {})
    shown = list(_strings(for_audience(customer, "customer")))
    public = {p: w for text, w in shown for p in _phrases(text, DISTINCTIVE_PHRASE, DISTINCTIVE_WORDS)}
    plain = {text for text, _ in shown}
    visible = APART.join(fold(text) for text in plain)
    internal = {p: w for text, w in _strings(customer) if text not in plain
                for p in _phrases(text) if p not in visible}
    notes = {p: w for p, w in internal.items() if w.endswith(f", {NOTE_FIELD}")}
    return Texts(slug, names, {p: w for p, w in internal.items() if p not in notes}, public, notes)


class Secrets:
    """Every customer's names and texts, searched at once: one automaton, built once per build."""

    def __init__(self, everyone: Iterable[Texts]) -> None:
        self.owners: dict[str, list[tuple[str, str, str]]] = {}
        """Folded needle -> (customer slug, kind, as written or where) of everyone who has it."""
        for texts in everyone:
            kinds = (("name", texts.names), ("internal", texts.internal), ("note", texts.notes),
                     ("text", texts.public))
            for kind, needles in kinds:
                for needle, told in needles.items():
                    self.owners.setdefault(needle, []).append((texts.slug, kind, told))
        self.automaton = ahocorasick.Automaton()
        for needle in self.owners:
            self.automaton.add_word(needle, needle)
        if self.owners:
            self.automaton.make_automaton()

    def found(self, folded: str) -> set[str]:
        """The needles in a folded text."""
        return {needle for _, needle in self.automaton.iter(folded)} if self.owners else set()


@dataclass(frozen=True)
class PortalSecrets:
    """What one portal must not contain: `secrets` less what its customer may show."""

    secrets: Secrets
    slug: str
    shown: frozenset[str]
    """Needles in the text of the customer's own folder that its audience may see: wording another
    customer happens to share is no leak there (another customer's name or note always is)."""
    audience: Audience

    def leak(self, needle: str) -> str | None:
        """What is wrong with `needle` in this portal, or None."""
        for owner, kind, told in self.secrets.owners[needle]:
            if owner != self.slug and kind == "name":
                return f"another customer's name {told!r}"
            if needle in self.shown and (owner == self.slug or kind != "note"):
                continue
            if owner != self.slug:
                return f"another customer's text {needle.strip()!r} (from {told})"
            if kind != "text" and self.audience != "team":
                return f"internal text {needle.strip()!r} (from {told})"
        return None


def secrets_for(
    customer: Customer, audience: Audience, secrets: Secrets, published: object = (),
) -> PortalSecrets:
    """The secrets of `customer`'s portal for `audience`.

    `published` holds records whose text the customer has already been shown
    (the audience-filtered history): text that was public once and is an
    internal note now is history, not a leak.
    """
    visible = [text for text, _ in _strings(for_audience(customer, audience))]
    visible += [text for text, _ in _strings(published)]
    shown = frozenset(secrets.found(APART.join(map(fold, visible))))
    return PortalSecrets(secrets, customer.slug, shown, audience)


def _readable(path: Path) -> str:
    """A file's text as a reader would see it: the escapes of its format undone, folded."""
    text = path.read_text(encoding="utf-8", errors="replace")
    if path.suffix == ".json":
        text = _json_text(text)
    elif path.suffix == ".js":
        text = re.sub(r'"((?:[^"\\]|\\.)*)"', lambda m: _json_string(m.group(0)), text)
    elif path.suffix == ".ics":
        text = re.sub(r"\r?\n[ \t]", "", text)  # RFC 5545 line folding
        text = re.sub(r"\\([,;\\nN])", lambda m: "\n" if m.group(1) in "nN" else m.group(1), text)
    return _fold_published(text)


def _json_text(text: str) -> str:
    """Every string of a JSON document, APART from each other (the document itself if it is not JSON)."""
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
    return APART.join(strings)


def _json_string(literal: str) -> str:
    try:
        return str(json.loads(literal))
    except ValueError:
        return literal


TEXT_SUFFIXES = {".html", ".json", ".js", ".xml", ".txt", ".ics", ".atom", ".md", ".svg", ".csv"}


THEME_ASSETS = "assets"
"""Top-level folder of the theme's own files (material's and the portal's CSS/JS): no portfolio text."""


def _published_texts(site_dir: Path) -> dict[str, str]:
    """Relative path -> folded text of every file of the site that can carry portfolio text."""
    texts = {}
    for path in sorted(site_dir.rglob("*")):
        rel = path.relative_to(site_dir)
        if not path.is_file() or path.suffix not in TEXT_SUFFIXES or rel.parts[0] == THEME_ASSETS:
            continue
        if path.name == "search_index.js" and path.with_suffix(".json").is_file():
            continue  # the offline plugin's copy of search_index.json, read once is enough
        texts[str(rel)] = _readable(path)
    return texts


def find_leaks(site_dir: Path, secrets: PortalSecrets) -> list[str]:
    """`file: what leaked` for every secret found in the built site's text files.

    A secret found only as part of a longer one (a slug inside a name) is not told again.
    """
    leaks = []
    for rel, text in _published_texts(site_dir).items():
        found = {needle: leak for needle in secrets.secrets.found(text) if (leak := secrets.leak(needle))}
        told = {leak for needle, leak in found.items()
                if not any(needle in other != needle for other in found)}
        leaks += [f"{rel}: {leak}" for leak in sorted(told)]
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
