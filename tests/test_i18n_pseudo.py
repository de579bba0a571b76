"""Every word the portal writes goes through gettext: the pseudo-locale finds the ones that do not.

With PORTAL_PSEUDO_LOCALE=1 each translated text comes out as ⟦text ···⟧, a
third longer. The example portfolio, with a git history so that "What
changed" has entries, is built that way; on every page the portal writes,
what is left once the marked texts, the customer's own YAML text and
mkdocs-material's own interface words are taken away may only be numbers,
dates, money, item ids and punctuation. Any word left is one a German reader
would get in English. The longer words must still fit a phone's 375 px.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from functools import cache
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import material
import pytest
import yaml
from babel.dates import get_day_names, get_month_names
from babel.numbers import list_currencies

from generator.build.portals import BuildOptions, build_portfolio
from generator.i18n.translate import PSEUDO_CLOSE, PSEUDO_ENV, PSEUDO_OPEN
from generator.portfolio.schema import schemas
from tests.browser_support import PHONE, require_browser, static_server
from tests.conftest import DAY, EXAMPLE, REPO
from tests.test_whatschanged import git

EARLIER, NOW = "2026-11-12T09:00", "2026-11-19T09:00"
"""The two commits of the example's history: an earlier state, then the example as it is."""
NOT_OURS = ("about/",)
"""Pages whose article is the vendor's Markdown (content/), not the portal's words."""
PHONE_PAGES = ("index.html", "history.html", "website-relaunch/plan.html", "website-relaunch/changes.html",
               "website-relaunch/history.html")
MATERIAL_WORDS = Path(material.__file__).parent / "templates/partials/languages/en.html"
SKIPPED_TAGS = {"script", "style", "template", "noscript", "head"}
BOUNDARY = "\x00"
"""Between two text nodes: a piece of text is never taken across it, unless a marker spans it."""


# --- the portfolio and its pseudo-locale build ----------------------------------------------------


def _earlier(name: str, data: Any) -> Any:
    """A file of the example as it was a week before: later updates not yet written, forecasts not yet
    moved, answered questions still open (read and written as text, as portal reads YAML)."""
    cut = EARLIER[:10]
    if name == "status.yml" and isinstance(data, list):
        return [update for update in data if update.get("date", "") <= cut] or data[-1:]
    if name == "plan.yml" and isinstance(data, dict):
        for milestone in data.get("milestones", []):
            if milestone.get("status") != "done":
                milestone.pop("forecast", None)
                milestone.pop("slip_reason", None)
    if name == "questions.yml" and isinstance(data, list):
        for question in data:
            if question.get("status") == "answered" and question.get("answered", "") > cut:
                question.update(status="open")
                question.pop("answer", None)
                question.pop("answered", None)
    return data


def history_repo(root: Path) -> Path:
    """The example portfolio in a git repository of two commits, a week apart; its projects/."""
    projects = root / "projects"
    shutil.copytree(EXAMPLE, projects)
    git(root, "init", "-q", "-b", "main")
    now = {path: path.read_bytes() for path in projects.rglob("*.yml")}
    for path in now:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.BaseLoader)
        path.write_text(yaml.safe_dump(_earlier(path.name, data), allow_unicode=True, sort_keys=False),
                        encoding="utf-8")
    git(root, "add", "-A", ".")
    git(root, "commit", "-q", "-m", "A week ago", when=EARLIER)
    for path, raw in now.items():
        path.write_bytes(raw)
    git(root, "add", "-A", ".")
    git(root, "commit", "-q", "-m", "This week", when=NOW)
    return projects


@pytest.fixture(scope="module")
def projects(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return history_repo(tmp_path_factory.mktemp("pseudo-portfolio"))


@pytest.fixture(scope="module")
def site(projects: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example built in the pseudo-locale into a fresh folder: <site>/<customer>/..."""
    out = tmp_path_factory.mktemp("pseudo-site") / "site"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(PSEUDO_ENV, "1")
        build_portfolio(projects, out, BuildOptions(today=DAY))
    return out


# --- what is not the portal's to translate --------------------------------------------------------


def _strings(data: Any) -> Iterator[str]:
    if isinstance(data, dict):
        for value in data.values():
            yield from _strings(value)
    elif isinstance(data, list):
        for value in data:
            yield from _strings(value)
    elif isinstance(data, str):
        yield data


@cache
def _codes() -> frozenset[str]:
    """The contract's own values (`amber`, `in-progress`): the portal's to translate, not customer text."""
    found: set[str] = set()

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            found.update(v for v in node.get("enum", []) if isinstance(v, str))
            if isinstance(node.get("const"), str):
                found.add(node["const"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(schemas())
    return frozenset(found)


_BLOCK = re.compile(r"\n\s*\n|\n(?=\s*(?:[-+*]|\d+\.)\s)")
"""Where a customer's Markdown text breaks into paragraphs and list items."""
_LEAD = re.compile(r"^\s*(?:[-+*]|\d+\.|#+)\s+")
_INLINE = re.compile(r"\]\([^)]*\)|\*\*|__|[*`\[\]]|(?<!\w)_|_(?!\w)")
"""Where a paragraph falls apart into separate text on the page: emphasis, code, links."""
_ID = re.compile(r"\b[A-Z]{1,4}-?\d+\b")
"""Item ids in prose, which become links of their own."""


def _pieces(text: str) -> set[str]:
    """The text as written, and each piece of it as a page may show it apart: a paragraph or list item,
    the text between emphasis or links, the text between item ids."""
    parts = {text}
    for block in _BLOCK.split(text):
        inline = _INLINE.split(_LEAD.sub("", block))
        parts |= {_LEAD.sub("", block), *inline, *(p for piece in inline for p in _ID.split(piece))}
    folded = {" ".join(p.split()) for p in parts}
    return {p for p in folded if re.search(r"[^\W\d_]", p)}


def theirs(projects: Path) -> re.Pattern[str]:
    """Every text the customer wrote in YAML, and the titles of the vendor's content pages (the
    navigation shows them), as one pattern matching any of them as whole words, longest first."""
    texts: set[str] = set()
    for path in projects.rglob("*.yml"):
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.BaseLoader)
        texts |= {t for s in _strings(data) if s not in _codes() for t in _pieces(s)}
    for folder in (projects / "../content", *projects.glob("*/content"), REPO / "content"):
        for page in Path(folder).glob("*.md"):
            title = re.search(r"^#\s+(.+)$", page.read_text(encoding="utf-8"), re.M)
            texts |= _pieces(title.group(1)) if title else set()
    alternatives = sorted(texts, key=len, reverse=True)
    return re.compile("|".join(rf"(?<!\w){re.escape(t)}(?!\w)" for t in alternatives))


@cache
def material_words() -> frozenset[str]:
    """mkdocs-material's own interface words ("Skip to content", "Back to top"): material translates
    them itself, in the theme's language."""
    text = MATERIAL_WORDS.read_text(encoding="utf-8")
    return frozenset(re.findall(r'^\s*"[\w.]+":\s*"(.*)",?$', text, re.M))


@cache
def allowed() -> re.Pattern[str]:
    """A piece of text that needs no translation: digits, dates (with English month and day names, as
    the pseudo-locale writes dates), money and currency codes, item ids, punctuation, space."""
    names = {name for width in ("abbreviated", "wide") for table in (get_month_names, get_day_names)
             for name in table(width, locale="en").values()}
    words = "|".join(sorted(map(re.escape, {*names, *list_currencies()}), key=len, reverse=True))
    return re.compile(rf"(?:[\W\d_]|\b[A-Z]{{1,4}}-?\d+\b|\b(?:{words})\b)*")


# --- what the portal wrote ------------------------------------------------------------------------


class _Text(HTMLParser):
    """The text nodes of a page's body, in order, with BOUNDARY between them."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in SKIPPED_TAGS:
            self._skip += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in SKIPPED_TAGS:
            self._skip = max(0, self._skip - 1)

    def handle_data(self, data: str) -> None:
        if not self._skip and data.strip():
            self.parts.append(data)


def unmarked(text: str) -> str:
    """The text with every ⟦…⟧ taken out (they nest: a marked sentence holds a marked label)."""
    kept, depth = [], 0
    for char in text:
        if char == PSEUDO_OPEN:
            depth += 1
        elif char == PSEUDO_CLOSE and depth:
            depth -= 1
        elif not depth:
            kept.append(char)
    return "".join(kept)


def leftovers(page: Path, customer: re.Pattern[str]) -> list[str]:
    """The pieces of text on `page` that are neither marked, nor the customer's, nor material's, nor
    numbers, dates, money or ids."""
    parser = _Text()
    parser.feed(page.read_text(encoding="utf-8"))
    left = []
    for piece in unmarked(BOUNDARY.join(parser.parts)).split(BOUNDARY):
        piece = " ".join(piece.split())
        if piece in material_words():
            continue
        rest = customer.sub(" ", piece)
        if not allowed().fullmatch(rest):
            left.append(piece)
    return left


def portal_pages(site: Path) -> list[Path]:
    """Every HTML page the portal writes (the vendor's content pages left out)."""
    return sorted(page for page in site.rglob("*.html")
                  if not page.relative_to(site).as_posix().split("/", 1)[1].startswith(NOT_OURS))


# --- the tests ------------------------------------------------------------------------------------


def test_the_portfolio_has_every_page_type_and_a_history(site: Path) -> None:
    """Without these pages the test below would pass on too little."""
    names = {page.relative_to(site).as_posix() for page in portal_pages(site)}
    for kind in ("index", "history", "status", "plan", "decisions", "questions", "changes", "risks",
                 "feedback", "team"):
        assert f"northwind/website-relaunch/{kind}.html" in names, kind
    assert {"northwind/index.html", "northwind/history.html", "northwind/404.html"} <= names
    history = (site / "northwind/website-relaunch/history.html").read_text(encoding="utf-8")
    assert "2026-11-19" in history, "the history commit made no entry in What changed"


def test_no_word_the_portal_writes_is_left_untranslated(site: Path, projects: Path) -> None:
    """Every visible word on the portal's pages is inside ⟦…⟧, unless the customer wrote it, material
    wrote it, or it is a number, date, amount or id."""
    customer = theirs(projects)
    found = {page.relative_to(site).as_posix(): left for page in portal_pages(site)
             if (left := leftovers(page, customer))}
    report = "\n".join(f"{name}: {' | '.join(dict.fromkeys(left))}" for name, left in found.items())
    assert not found, f"words the portal writes without gettext (mark them with _()):\n{report}"


def test_a_word_written_without_gettext_is_found(site: Path, projects: Path, tmp_path: Path) -> None:
    """The check itself: a heading added to a page unmarked, next to marked ones, is reported."""
    page = tmp_path / "page.html"
    source = (site / "northwind/index.html").read_text(encoding="utf-8")
    page.write_text(source.replace("</article>", "<h2>Nothing marked here</h2></article>", 1),
                    encoding="utf-8")
    assert "Nothing marked here" in leftovers(page, theirs(projects))


@pytest.mark.browser
@pytest.mark.slow
def test_pages_still_fit_a_phone_with_longer_words(site: Path, request: pytest.FixtureRequest) -> None:
    """A third longer in every language-specific word, the pages do not scroll sideways at 375 px."""
    require_browser()
    browser = request.getfixturevalue("browser")
    too_wide = {}
    with static_server(site) as base:
        context = browser.new_context(viewport={"width": PHONE["width"], "height": 800})
        page = context.new_page()
        for name in PHONE_PAGES:
            page.goto(f"{base}northwind/{name}", wait_until="load")
            width = page.evaluate("document.documentElement.scrollWidth")
            if width > PHONE["width"]:
                too_wide[name] = width
        context.close()
    assert not too_wide, f"pages wider than {PHONE['width']} px in the pseudo-locale: {too_wide}"
