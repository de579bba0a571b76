"""Text from YAML authors, made safe to place in a Markdown page.

Two kinds of text reach a page. Plain text fields are shown exactly as
written: `escape_text` turns every character that Markdown or HTML could read
as syntax into a numeric entity, so `[x](javascript:…)` or `<script>` stays
literal. Fields the contract marks (md) are rendered by `md_block` /
`md_inline`: Markdown -> HTML, sanitized by nh3, then re-serialized with the
same entity escaping in text and attributes, so the site's own Markdown pass
can neither find syntax in it nor break a table row with it.
"""

from __future__ import annotations

import re
import string
from collections.abc import Iterable
from datetime import date
from functools import lru_cache
from html.parser import HTMLParser
from urllib.parse import quote

import markdown
import nh3
from markupsafe import Markup

from generator.i18n import formats

MD_SPECIAL = frozenset("&<>\"'\\`*_[](){}#+|!~^=$")
"""Characters that are HTML or Markdown syntax somewhere in a page."""

_LINE_START_SPECIAL = frozenset("-:?.%")
"""Characters that are syntax only at the start of a line (lists, def_list, details)."""

_ORDERED_LIST_START = re.compile(r"^(\d+)([.)])(?= |$)")
"""A list item's number starts a line: `3.` or `3. x`, never `3.5` (the text's spaces are single)."""
_PLAIN = str.maketrans({c: f"&#{ord(c)};" for c in MD_SPECIAL})

ALLOWED_TAGS = frozenset(
    {
        "p", "br", "hr", "em", "strong", "b", "i", "code", "pre", "blockquote",
        "ul", "ol", "li", "a", "del", "ins", "sub", "sup", "kbd", "abbr",
        "table", "thead", "tbody", "tr", "th", "td",
    }
)  # fmt: skip
"""Ordinary inline and block tags an (md) field may produce; no headings, images, forms."""

ALLOWED_ATTRIBUTES: dict[str, set[str]] = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "ol": {"start"},
    "th": {"align"},
    "td": {"align"},
    "code": {"class"},
}
"""Attributes kept by the sanitizer (nh3 adds rel on links)."""

URL_SCHEMES = frozenset({"http", "https", "mailto"})
"""The only absolute URL schemes a link may use."""

_VOID_TAGS = frozenset({"br", "hr"})
_URL_KEEP = frozenset(string.ascii_letters + string.digits + "-.~:/?#@!$&=;%,+")
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*):")

# One converter, reset per field; a build renders in one thread per process.
_MARKDOWN = markdown.Markdown(extensions=["tables", "fenced_code", "sane_lists"], output_format="html")


def _entity(char: str) -> str:
    """A numeric character reference, read by HTML and ignored by Markdown."""
    return f"&#{ord(char)};"


def escape_text(value: object) -> Markup:
    """Plain text as Markdown that renders exactly as written, on one line.

    Whitespace (including newlines) collapses to single spaces so the text
    cannot start a new block or end a table row.
    """
    if isinstance(value, Markup):
        return value
    if isinstance(value, str):
        return _escape_str(value)
    if value is None:
        return _NOTHING
    if type(value) in _SCALARS and value:  # not zero: 0.0 and -0.0 are one cache key but print differently
        return _escape_scalar(value)
    if isinstance(value, date):  # as the reader writes it; an anchor or address says .isoformat()
        return _escape_str(formats.short_date(value))
    return _escape_str(str(value))


_NOTHING = Markup("")
_SCALARS = frozenset({int, float})


@lru_cache(maxsize=16384, typed=True)
def _escape_scalar(value: float) -> Markup:
    """escape_text of a number, by value: charts repeat coordinates, and str() is slow."""
    return _escape_str(str(value))


@lru_cache(maxsize=16384)
def _escape_str(value: str) -> Markup:
    """escape_text of a string; pages repeat the same words (ids, names, dates) thousands of times."""
    text = " ".join(value.split())
    escaped = text.translate(_PLAIN)
    match = _ORDERED_LIST_START.match(text)
    if match and match.group(2) == ".":  # ")" is escaped already; digits and "." never are
        escaped = escaped[: match.end() - 1] + _entity(match.group(2)) + escaped[match.end():]
    elif text and text[0] in _LINE_START_SPECIAL:
        escaped = _entity(text[0]) + escaped[1:]
    return Markup(escaped)


def safe_join(items: Iterable[object], separator: str = ", ") -> Markup:
    """Join values, escaping each one; replaces jinja's `join`, which would not."""
    # str.join: Markup.join would build every (already escaped) item again.
    return Markup(str.join(separator, [escape_text(item) for item in items]))


def safe_url(url: object) -> Markup:
    """A URL usable as a Markdown link target, or empty when its scheme is not allowed."""
    return _safe_url(str(url)) if url else _NOTHING


@lru_cache(maxsize=4096)
def _safe_url(url: str) -> Markup:
    """safe_url of a string; every link to a page of the portal repeats a handful of these."""
    text = url.strip()
    encoded = "".join(c if c in _URL_KEEP else quote(c, safe="") for c in text)
    scheme = _SCHEME.match(encoded)
    if scheme and scheme.group(1).lower() not in URL_SCHEMES:
        return Markup("")
    return Markup(encoded)


def mailto(email: object) -> Markup:
    """A mailto: link target for an email address."""
    return safe_url(f"mailto:{email}") if email else _NOTHING


class _Reencoder(HTMLParser):
    """Re-serializes sanitized HTML with every text and attribute character entity-safe."""

    def __init__(self, *, inline: bool) -> None:
        super().__init__(convert_charrefs=True)
        self.inline = inline
        self.parts: list[str] = []
        self.in_pre = 0
        self.pending_break = False

    def _break(self) -> None:
        if self.pending_break:
            self.parts.append("<br><br>")
            self.pending_break = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.inline and tag == "p":
            return
        self._break()
        self.in_pre += tag == "pre"
        rendered = "".join(
            f' {name}="{"".join(_attr_char(c) for c in value)}"' for name, value in attrs if value is not None
        )
        self.parts.append(f"<{tag}{rendered}>")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if self.inline and tag == "p":
            self.pending_break = bool(self.parts)
            return
        self.in_pre -= tag == "pre"
        if tag not in _VOID_TAGS:
            self.parts.append(f"</{tag}>")

    def handle_data(self, data: str) -> None:
        if not data.strip() and not self.in_pre:
            if self.parts and not self.pending_break:
                self.parts.append(" " if self.inline else "&#10;")
            return
        self._break()
        self.parts.append(data.translate(_BREAKING if self.in_pre or not self.inline else _FOLDING))


_TEXT_ESCAPES = {ord(c): _entity(c) for c in MD_SPECIAL | {"\r", "\t"}}
_BREAKING = str.maketrans({**_TEXT_ESCAPES, ord("\n"): "&#10;"})
"""Text in blocks and code: newlines kept, as entities, so the field stays on one line."""
_FOLDING = str.maketrans({**_TEXT_ESCAPES, ord("\n"): " "})
"""Text inline: newlines become spaces."""


def _attr_char(char: str) -> str:
    """An attribute character: letters and digits as is, anything else as an entity."""
    return char if char.isalnum() or char in "/:.-_ " else _entity(char)


_PLAIN_PROSE = re.compile(r"[^\n\r\t&<>\\`*_\[\]]+")
"""One line with no character Markdown or HTML could read as syntax inside a paragraph."""
_BLOCK_START = re.compile(r"[-+*#>=|:]|\d+[.)]")
"""What could start a list, heading, quote, rule or table at the beginning of a line."""
_PROSE = r"(?:[^\s&<>\\`*_\[\]]| )"
_STRONG_PROSE = re.compile(rf"(?! ){_PROSE}*(?:\*\*(?! ){_PROSE}+?(?<! )\*\*(?!\*){_PROSE}*)+(?<! )")
"""One line of plain prose (spaces its only blanks) with `**strong**` spans, the markup most fields use."""
_STRONG = re.compile(r"\*\*(.+?)\*\*")


@lru_cache(maxsize=8192)
def _sanitize(text: str, *, inline: bool) -> Markup:
    """Markdown -> sanitized HTML -> entity-safe HTML on a single line; a block in `<div class="md">`.

    Cached as the Markup the page gets: fields repeat from page to page, and
    even wrapping a string in Markup is not free. Most fields are one plain
    sentence, some with `**strong**` words; they skip Markdown and the
    sanitizer (same output: one paragraph of escaped text, `tests/test_render_fast_paths.py`).
    """
    line = text.strip()
    if _PLAIN_PROSE.fullmatch(line) and not _BLOCK_START.match(line):
        parts: list[str] | None = [line]
    else:
        parts = _strong_prose(text)
    if parts is None:
        html = _markdown_html(text, inline=inline)
    else:  # prose, strong, prose, ...: one paragraph
        body = "".join(t if i % 2 == 0 else f"<strong>{t}</strong>"
                       for i, t in enumerate(part.translate(_FOLDING) for part in parts))
        html = body if inline else f"<p>{body}</p>"
    return Markup(html if inline else f'<div class="md">{html}</div>')


def _strong_prose(text: str) -> list[str] | None:
    """`text` split into prose, strong, prose, ... when Markdown would make just that of it, else None.

    One line of plain prose with `**strong**` spans; not two spans with only a
    space between them, which the full path writes as a line break.
    """
    if not _STRONG_PROSE.fullmatch(text) or _BLOCK_START.match(text.removeprefix("**")):
        return None
    parts = _STRONG.split(text)
    return parts if all(between.strip() for between in parts[2:-1:2]) else None


def _markdown_html(text: str, *, inline: bool) -> str:
    """The full path of `_sanitize`: Markdown, then nh3, then re-encoding."""
    html = _MARKDOWN.reset().convert(text)
    clean = nh3.clean(
        html,
        tags=set(ALLOWED_TAGS),
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=set(URL_SCHEMES),
        link_rel="noopener noreferrer",
        strip_comments=True,
    )
    encoder = _Reencoder(inline=inline)
    encoder.feed(clean)
    encoder.close()
    return "".join(encoder.parts).strip()


def md_block(text: object) -> Markup:
    """An (md) field as a raw HTML block that the site's Markdown passes through unchanged.

    The template must place it on a line of its own, unindented, with blank
    lines around it.
    """
    return _sanitize(str(text), inline=False) if text else _NOTHING


def md_inline(text: object) -> Markup:
    """An (md) field for a table cell or list item: no paragraphs, no newlines, no `|`."""
    return _sanitize(str(text), inline=True) if text else _NOTHING


def nav_title(text: str) -> str:
    """A title for the mkdocs nav, which material prints as HTML without escaping."""
    return "".join(_entity(c) if c in "&<>\"'" else c for c in " ".join(text.split()))


_BLOCK_MARK = re.compile(r"[ \t]*(?:[-*+][ \t]+|\d+[.)][ \t]+|>[ \t]*)?")
"""What starts a list item or quote at the beginning of a line: kept outside a diff's marks."""


def _marked(tag: str, text: str, line_start: bool) -> str:
    """`text` inside <del>/<ins> line by line, list markers outside, so the Markdown keeps its blocks."""
    lines = []
    for n, line in enumerate(text.split("\n")):
        lead = _BLOCK_MARK.match(line).group(0) if n or line_start else ""  # type: ignore[union-attr]
        rest = line[len(lead):]
        lines.append(f"{lead}<{tag}>{rest}</{tag}>" if rest.strip() else line)
    return "\n".join(lines)


def diff_markup(segments: Iterable[tuple[str, str]], markdown: bool) -> Markup:
    """A word diff ((kind, text) with kind same/del/ins) for a list item: deletions in <del>, insertions
    in <ins>; an (md) text rendered and sanitized like `md_inline`, plain text escaped like `escape_text`."""
    tags = {"del": "del", "ins": "ins"}
    if markdown:
        source = ""
        for kind, text in segments:
            line_start = source == "" or source.endswith("\n")
            source += text if kind == "same" else _marked(tags[kind], text, line_start)
        return md_inline(source)
    parts = []
    for kind, text in segments:
        words = str(escape_text(text))
        if words:
            words = (" " if text[0].isspace() else "") + words + (" " if text[-1].isspace() else "")
        elif text:
            words = " "
        parts.append(words if kind == "same" else f"<{tags[kind]}>{words}</{tags[kind]}>")
    return Markup("".join(parts))
