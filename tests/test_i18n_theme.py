"""The theme speaks the reader's language: every word its templates write goes through gettext.

The example portfolio is built in the pseudo-locale (PORTAL_PSEUDO_LOCALE=1),
which wraps every translated text in ⟦…⟧. The headings, table headers, labels,
chart titles and legends the page templates write, and the words of material's
overrides (404 page, footer, team banner, mkdocs' own heading links), must all
come out wrapped; only the customer's YAML text (names, item titles, dates,
ids) may stand outside the markers.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from generator.build.portals import BuildOptions, build_portfolio
from generator.i18n.translate import PSEUDO_CLOSE, PSEUDO_ENV, PSEUDO_OPEN
from tests.conftest import EXAMPLE, TODAY, d

PROJECT_PAGES = ("index", "status", "plan", "decisions", "questions", "changes", "risks", "feedback", "team",
                 "history")
CUSTOMER_TEXT = re.compile(r"^(?:[A-Z]+-?\d+\b|\d{4}-\d\d-\d\d$)")
"""A heading the customer's YAML wrote: an item's id and title, or a status update's date."""


def _build(root: Path, audience: str, pseudo: bool = True) -> Path:
    out = root / audience
    with pytest.MonkeyPatch.context() as env:
        if pseudo:
            env.setenv(PSEUDO_ENV, "1")
        else:
            env.delenv(PSEUDO_ENV, raising=False)
        build_portfolio(EXAMPLE, out, BuildOptions(today=d(TODAY), audience=audience))  # type: ignore[arg-type]
    return out


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example's customer portals, built in the pseudo-locale into a fresh folder."""
    return _build(tmp_path_factory.mktemp("pseudo"), "customer")


def _text(fragment: str) -> str:
    """The visible text of an HTML fragment, without heading permalinks."""
    fragment = re.sub(r'<a class="headerlink".*?</a>', "", fragment, flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", "", fragment)).strip()


def _all(page: Path, pattern: str) -> list[str]:
    return [_text(m) for m in re.findall(pattern, page.read_text(encoding="utf-8"), flags=re.S)]


def _wrapped(text: str) -> bool:
    return text.startswith(PSEUDO_OPEN) and text.endswith(PSEUDO_CLOSE)


def _project_pages(site: Path) -> Iterator[Path]:
    for customer in sorted(p for p in site.iterdir() if p.is_dir()):
        for project in sorted(p for p in customer.iterdir() if (p / "plan.html").is_file()):
            for name in PROJECT_PAGES:
                yield project / f"{name}.html"


def _project_names(site: Path) -> set[str]:
    return {_text(m) for page in site.glob("*/*/index.html")
            for m in re.findall(r'<h1 id="[^"]*">(.*?)</h1>', page.read_text(encoding="utf-8"), flags=re.S)}


def test_every_heading_the_theme_writes_is_translated(site: Path) -> None:
    pages = [*_project_pages(site), *site.glob("*/index.html"), *site.glob("*/history.html")]
    assert len(pages) >= 2 * len(PROJECT_PAGES)
    names = _project_names(site)
    checked = 0
    for page in pages:
        for heading in _all(page, r"<h[23][^>]*>(.*?)</h[23]>"):
            if not (CUSTOMER_TEXT.match(heading) or heading in names):
                assert _wrapped(heading), f"{page}: heading {heading!r} is not translated"
                checked += 1
    assert checked > 50


def test_labels_tables_and_badges_are_translated(site: Path) -> None:
    patterns = {
        "table header": r"<th[^>]*>(.*?)</th>",
        "glance question": r'<p class="portal-glance__q">(.*?)</p>',
        "admonition title": r'<p class="admonition-title">(.*?)</p>',
        "status": r'<span class="portal-status[^"]*">(.*?)</span>',
        "health": r'<span class="portal-health [^"]*">(.*?)</span>',
        "overdue": r'<span class="portal-overdue">(.*?)</span>',
        "chart title": r'<title id="[^"]*-title">(.*?)</title>',
        "legend": r'<figcaption class="portal-legend">(.*?)</figcaption>',
    }
    found = dict.fromkeys(patterns, 0)
    for page in _project_pages(site):
        for kind, pattern in patterns.items():
            for text in _all(page, pattern):
                if kind == "legend":
                    spans = [t for t in re.split(r"\s*\n\s*", text) if t]
                    assert all(_wrapped(t) for t in spans), f"{page}: legend {spans!r}"
                else:
                    assert _wrapped(text), f"{page}: {kind} {text!r} is not translated"
                found[kind] += 1
    assert all(found.values()), found


def test_contract_values_are_labels_not_codes(site: Path) -> None:
    """A status, owner or level is a translated label, not its code capitalized."""
    risks = (site / "northwind" / "website-relaunch" / "risks.html").read_text(encoding="utf-8")
    assert f"{PSEUDO_OPEN}Medium" in risks and f"{PSEUDO_OPEN}Vendor" in risks
    plan = (site / "northwind" / "website-relaunch" / "plan.html").read_text(encoding="utf-8")
    assert f'portal-status--in-progress">{PSEUDO_OPEN}In progress' in plan


def test_the_overrides_speak_the_readers_language(site: Path) -> None:
    portal = site / "northwind"
    missing = portal / "404.html"
    assert [t for t in _all(missing, r"<h1>(.*?)</h1>") if _wrapped(t)]
    body = _all(missing, r'<div class="md-content"[^>]*>(.*?)</article>')[0]
    assert PSEUDO_OPEN + "This page does not exist" in body and PSEUDO_OPEN + "Go to the home page" in body
    for page in (missing, portal / "index.html", portal / "website-relaunch" / "plan.html"):
        footer = _all(page, r'<div class="portal-asof">(.*?)</div>')
        assert footer and all(_wrapped(t) for t in footer), footer
        words = json.loads(_all(page, r'<script id="portal-words" type="application/json">(.*?)</script>')[0])
        assert all(_wrapped(w) for w in words.values()), words
    index = (portal / "index.html").read_text(encoding="utf-8")
    assert f'title="{PSEUDO_OPEN}Permanent link' in index
    assert f'title="{PSEUDO_OPEN}Switch to dark mode' in index


def test_the_team_banner_and_internal_marks_are_translated(tmp_path: Path) -> None:
    team = _build(tmp_path, "team")
    page = team / "northwind" / "website-relaunch" / "index.html"
    banner = _all(page, r'<div class="md-banner__inner[^"]*">(.*?)</div>')
    assert banner and _wrapped(banner[0]), banner
    badges = [t for p in _project_pages(team) for t in _all(p, r'<span class="portal-internal">(.*?)</span>')]
    assert badges and all(_wrapped(t) for t in badges)


def test_english_overrides_read_as_before(tmp_path: Path) -> None:
    """In English the overrides' words are the source texts, and the script's words come from the page."""
    portal = _build(tmp_path, "customer", pseudo=False) / "northwind"
    missing = (portal / "404.html").read_text(encoding="utf-8")
    assert "<h1>Page not found</h1>" in missing and PSEUDO_OPEN not in missing
    assert _all(portal / "index.html", r'<div class="portal-asof">(.*?)</div>') == [f"as of {TODAY}"]
    words = _all(portal / "index.html", r'<script id="portal-words" type="application/json">(.*?)</script>')
    assert json.loads(words[0]) == {"search": "Search", "table": "Table (scrolls sideways on narrow screens)"}
