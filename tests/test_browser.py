"""The example portals in a real browser (Debian's chromium, driven by Playwright).

One build of the example portfolio and one browser per session. Pages are
served from a local http.server on 127.0.0.1 (and opened from disk for the
file:// checks); every request the browser makes is recorded and anything
leaving the site is blocked and reported. Screenshots of the main page types
at desktop and phone width go to test-artifacts/screenshots/ for a human to
look at. Accessibility is checked with axe-core (tests/browser/package.json).
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urldefrag, urljoin

import pytest

from tests.browser_support import (
    DESKTOP,
    PHONE,
    SCREENSHOTS,
    OpenContext,
    axe_violations,
    require_browser,
    static_server,
)
from tests.conftest import EXAMPLE, TODAY

pytestmark = [pytest.mark.browser, pytest.mark.slow]

CUSTOMER = "northwind"
PROJECT = "website-relaunch"
PAGE_TYPES: dict[str, str] = {
    "home": "index.html",
    "overview": f"{PROJECT}/index.html",
    "status": f"{PROJECT}/status.html",
    "plan": f"{PROJECT}/plan.html",
    "decisions": f"{PROJECT}/decisions.html",
    "questions": f"{PROJECT}/questions.html",
    "changes": f"{PROJECT}/changes.html",
    "risks": f"{PROJECT}/risks.html",
    "feedback": f"{PROJECT}/feedback.html",
    "team": f"{PROJECT}/team.html",
    "about": "about/how-we-work.html",
}
"""One page of each kind in the northwind portal."""

KEY_FACTS: dict[str, tuple[str, ...]] = {
    "home": ("Northwind Outfitters", "6 items wait on you", "Website relaunch", "Data platform migration"),
    "overview": ("On track?", "Schedule: Red", "What you owe", "overdue by 15 days", "Money",
                 "Who to talk to", "Sam Lee"),
    "status": ("Status updates", "2026-11-24", "Oldest update on the left"),
    "plan": ("+28 days", "held by Q-3", "Baseline (date first agreed)", "Slips in calendar days"),
    "decisions": ("D-5 Adyen as the only payment provider at launch",),
    "questions": ("overdue by 15 days", "Customer to answer"),
    "changes": ("Schedule: +7 working days · Cost: EUR 6,300", "awaiting your decision"),
    "risks": ("Risks and expectations", "Likelihood × impact"),
    "feedback": ("You said", "We did"),
    "team": ("Team and contacts", "Sam Lee"),
    "about": ("How we work",),
}
"""Text a customer must see on each page type of the example, as of the fixed build date."""

SCREENSHOT_TYPES = ("home", "overview", "status", "plan", "questions", "changes")


require_browser()
from playwright.sync_api import Browser, Page  # noqa: E402

# --- the site and the server (the browser and open_context come from conftest.py) ----------------


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example portfolio built once: <site>/<customer>/..."""
    out = tmp_path_factory.mktemp("browser-site")
    result = subprocess.run(
        [sys.executable, "-m", "generator", "build", "--projects", str(EXAMPLE), "--out", str(out),
         "--today", TODAY],
        capture_output=True, text=True, check=False,
    )
    assert result.returncode == 0, result.stderr
    return out


@pytest.fixture(scope="module")
def server(site: Path) -> Iterator[str]:
    """Base URL of a local static server over the built site."""
    with static_server(site) as base:
        yield base


def visit(page: Page, url: str) -> None:
    """Load a page; by `load` material's bundle and portal.js have run."""
    page.goto(url, wait_until="load")


def article_text(page: Page) -> str:
    """The visible text of the page's article, whitespace folded, case folded."""
    return " ".join(page.locator("article").inner_text().split()).casefold()


# --- what a customer sees -------------------------------------------------------------------------


@pytest.mark.parametrize(("device", "viewport"), [("desktop", DESKTOP), ("phone", PHONE)])
def test_every_page_type_shows_its_key_facts_and_fits_the_screen(
    open_context: OpenContext, server: str, device: str, viewport: dict[str, int]
) -> None:
    context, watch = open_context(viewport=viewport)
    page = context.new_page()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    problems: list[str] = []
    for kind, path in PAGE_TYPES.items():
        visit(page, f"{server}{CUSTOMER}/{path}")
        text = article_text(page)
        # compared without case: labels may be shown in capitals by the stylesheet
        problems += [f"{kind}: missing {fact!r}" for fact in KEY_FACTS[kind] if fact.casefold() not in text]
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > viewport["width"]:
            problems.append(f"{kind}: scrolls sideways ({width}px wide at {viewport['width']}px)")
        if kind in SCREENSHOT_TYPES or kind == "about":
            page.screenshot(path=str(SCREENSHOTS / f"{kind}-{device}.png"), full_page=True)
    assert problems == []
    assert watch.outside == [] and watch.errors == []


def test_plan_timeline_is_drawn_for_the_screen_with_a_text_alternative(
    open_context: OpenContext, server: str
) -> None:
    for viewport, shown, hidden in ((DESKTOP, "wide", "narrow"), (PHONE, "narrow", "wide")):
        context, watch = open_context(viewport=viewport)
        page = context.new_page()
        visit(page, f"{server}{CUSTOMER}/{PAGE_TYPES['plan']}")
        drawing = page.locator(f"svg.portal-tl--{shown}")
        assert drawing.is_visible() and not page.locator(f"svg.portal-tl--{hidden}").is_visible()
        box = drawing.bounding_box()
        assert box is not None and box["width"] <= viewport["width"]
        assert drawing.get_attribute("role") == "img"
        assert page.locator("#" + drawing.get_attribute("aria-describedby")).locator("table").count() == 1
        labelled = drawing.get_attribute("aria-labelledby").split()
        assert (page.locator(f"#{labelled[0]}").text_content() or "").startswith("Timeline of the plan")
        labels = drawing.locator("text.portal-tl__label").all_text_contents()
        assert labels[0] == "M1 Discovery complete"
        assert any(label.startswith("M4 Checkout") for label in labels)
        details = drawing.locator("text.portal-tl__detail").all_text_contents()
        assert "Vendor · At risk · +28 days" in details  # status and owner in words, not colour
        # the label text is big enough to read: at least 9 CSS pixels high on screen
        height = drawing.locator("text.portal-tl__label").first.bounding_box()
        assert height is not None and height["height"] >= 9
        assert watch.outside == [] and watch.errors == []


def test_overview_and_status_show_the_health_trend(
    open_context: OpenContext, server: str
) -> None:
    context, _ = open_context(viewport=PHONE)
    page = context.new_page()
    for path in (PAGE_TYPES["overview"], PAGE_TYPES["status"]):
        visit(page, f"{server}{CUSTOMER}/{path}")
        trend = page.locator("svg.portal-hs")
        assert trend.is_visible()
        assert [s.strip() for s in trend.locator("text.portal-hs__label").all_text_contents()] == [
            "Overall", "Scope", "Schedule", "Budget"
        ]
        assert "Red" in trend.locator("text.portal-hs__latest").all_text_contents()
        words = trend.locator("desc").text_content() or ""
        assert words.startswith("Overall: ") and ", then " in words and "Schedule: " in words
        badge = page.locator(".portal-health--amber").first
        assert badge.locator("svg").is_visible() and badge.inner_text().strip() == "Amber"


# --- search, navigation, privacy, errors -------------------------------------------------------------


def _search(page: Page, word: str) -> list[str]:
    """Type `word` into material's search and return the result links."""
    box = page.locator("input.md-search__input")
    box.click()
    box.press_sequentially(word, delay=20)  # material listens to key events, not only to input
    page.locator(".md-search-result__item").first.wait_for(timeout=15_000)
    return page.locator(".md-search-result__item a").evaluate_all("links => links.map(a => a.href)")


@pytest.mark.parametrize("origin", ["http", "file"])
def test_search_finds_a_decision_by_a_word_of_its_text(
    open_context: OpenContext, server: str, site: Path, origin: str
) -> None:
    context, watch = open_context(viewport=DESKTOP)
    page = context.new_page()
    base = server if origin == "http" else site.resolve().as_uri() + "/"
    visit(page, f"{base}{CUSTOMER}/index.html")
    links = _search(page, "Klarna")
    assert any(f"{PROJECT}/decisions.html" in link for link in links), links
    assert watch.outside == [] and watch.errors == []


def test_navigation_works_from_disk(open_context: OpenContext, site: Path) -> None:
    context, watch = open_context(viewport=DESKTOP)
    page = context.new_page()
    visit(page, (site / CUSTOMER / "index.html").resolve().as_uri())
    page.locator(f".md-sidebar--primary a.md-nav__link[href='{PROJECT}/index.html']").click()
    page.wait_for_url(f"**/{PAGE_TYPES['overview']}")
    page.locator(".md-sidebar--primary a.md-nav__link[href='plan.html']").click()
    page.wait_for_url(f"**/{PAGE_TYPES['plan']}")
    assert page.url.endswith(f"{CUSTOMER}/{PAGE_TYPES['plan']}")
    assert page.locator("h1").inner_text().startswith("Plan")
    assert watch.outside == [] and watch.errors == []


def _nav_links(page: Page) -> list[str]:
    return page.locator("nav.md-nav a[href]").evaluate_all("links => links.map(a => a.href)")


CUSTOMERS = sorted(p.name for p in EXAMPLE.iterdir() if (p / "customer.yml").is_file())


@pytest.mark.parametrize("customer", CUSTOMERS)
def test_navigation_reaches_every_page_and_no_page_leaves_the_site_errs_or_scrolls_sideways(
    open_context: OpenContext, server: str, site: Path, customer: str
) -> None:
    context, watch = open_context(viewport=PHONE)
    page = context.new_page()
    root = f"{server}{customer}/"
    seen: set[str] = set()
    todo = [f"{root}index.html"]
    wide: list[str] = []
    while todo:
        url = todo.pop()
        if url in seen:
            continue
        seen.add(url)
        visit(page, url)
        if page.evaluate("document.documentElement.scrollWidth") > PHONE["width"]:
            wide.append(url)
        for link in _nav_links(page):
            target = urldefrag(urljoin(url, link)).url
            if target.startswith(root) and target.endswith(".html") and target not in seen:
                todo.append(target)
    reachable = {url.removeprefix(root) for url in seen}
    files = {p.relative_to(site / customer).as_posix() for p in (site / customer).rglob("*.html")}
    assert reachable == files - {"404.html"}
    assert wide == []
    assert watch.outside == [], watch.outside
    assert watch.errors == []


# --- accessibility -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("scheme", "viewport"),
    [("light", DESKTOP), ("dark", DESKTOP), ("light", PHONE)],
    ids=["light", "dark", "phone"],
)
def test_axe_finds_no_serious_or_critical_violation_on_any_page_type(
    open_context: OpenContext, server: str, scheme: str, viewport: dict[str, int]
) -> None:
    context, _ = open_context(viewport=viewport, color_scheme=scheme)
    page = context.new_page()
    found: dict[str, list[dict[str, Any]]] = {}
    for kind, path in PAGE_TYPES.items():
        visit(page, f"{server}{CUSTOMER}/{path}")
        palette = page.evaluate("document.body.getAttribute('data-md-color-scheme')")
        assert palette == ("slate" if scheme == "dark" else "default"), kind
        violations = axe_violations(page)
        if violations:
            found[kind] = violations
    assert found == {}, json.dumps(found, indent=1)


# --- print -------------------------------------------------------------------------------------------------


def test_overview_prints_as_a_clean_status_report(
    open_context: OpenContext, server: str
) -> None:
    context, watch = open_context(viewport=DESKTOP)
    page = context.new_page()
    visit(page, f"{server}{CUSTOMER}/{PAGE_TYPES['overview']}")
    page.emulate_media(media="print")
    chrome = (".md-header", ".md-sidebar--primary", ".md-sidebar--secondary", ".md-footer", ".md-search")
    for part in chrome:
        assert not page.locator(part).first.is_visible(), part
    assert page.locator("svg.portal-tl--compact-wide").is_visible()
    assert not page.locator("svg.portal-tl--compact-narrow").is_visible()
    assert page.locator("svg.portal-hs").is_visible() and page.locator(".portal-glance").is_visible()
    for block in ("figure.portal-timeline", ".portal-glance", "article table"):
        inside = page.locator(block).first.evaluate("e => getComputedStyle(e).breakInside")
        assert inside == "avoid", block
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "overview-print.png"), full_page=True)
    pdf = page.pdf(format="A4", print_background=True)
    assert pdf.startswith(b"%PDF") and len(pdf) > 10_000
    (SCREENSHOTS / "overview-print.pdf").write_bytes(pdf)
    assert watch.outside == [] and watch.errors == []


# --- hostile text stays inert in a real browser -----------------------------------------------------


def test_hostile_text_never_runs_in_the_browser(browser: Browser, tmp_path: Path) -> None:
    """Script tags, javascript: links, handlers and iframes in every field: no dialog, no request out."""
    from tests.test_isolation import HOSTILE, write_customer

    payload = " ".join(HOSTILE).replace("alert", "window.__pwned=1;alert")
    projects = tmp_path / "projects"
    write_customer(projects, "acme", lambda kind: f"{kind} {payload}")
    result = subprocess.run(
        [sys.executable, "-m", "generator", "build", "--projects", str(projects), "--out",
         str(tmp_path / "site"), "--today", TODAY],
        capture_output=True, text=True, check=False,
    )
    assert result.returncode == 0, result.stderr
    root = (tmp_path / "site" / "acme").resolve()
    context = browser.new_context()
    dialogs: list[str] = []
    outside: list[str] = []
    context.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    context.route("**/*", lambda route: route.continue_() if route.request.url.startswith("file:")
                  else (outside.append(route.request.url), route.abort()))
    page = context.new_page()
    pages = sorted(root.rglob("*.html"))
    assert len(pages) > 10
    for path in pages:
        page.goto(path.as_uri(), wait_until="load")
        for link in page.locator("article a").all()[:20]:
            href = link.get_attribute("href") or ""
            assert not href.strip().lower().startswith("javascript:"), (path, href)
        assert page.evaluate("window.__pwned === undefined"), path
    context.close()
    assert dialogs == [] and outside == []
