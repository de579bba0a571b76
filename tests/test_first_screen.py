"""The five questions a customer asks first, answered in the first screen (real Chromium).

A portfolio written here (not the example) is built once; the home page and
the project overview are opened at laptop and phone size, and each answer
must be visible without scrolling: on track (worst dimension, go-live against
baseline), what you owe (due, overdue, what it blocks), what changed, money
(budget, approved and pending changes), who to talk to. On a phone no table
may hide columns behind a sideways scroll.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.browser_support import require_browser, static_server
from tests.conftest import TODAY, write_portfolio

pytestmark = [pytest.mark.browser, pytest.mark.slow]

require_browser()
from playwright.sync_api import Browser, Page  # noqa: E402

LAPTOP = {"width": 1280, "height": 800}
PHONE = {"width": 375, "height": 800}

FILES = {
    "globex/customer.yml": """\
        name: Globex Corporation
        logo: globex.svg
        colour: "#7a1f3d"
        contacts:
          - name: Hank Scorpio
            role: Chief executive
    """,
    "globex/globex.svg": '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 8 8">'
                         '<circle cx="4" cy="4" r="4"/></svg>',
    "globex/shop/project.yml": """\
        name: Online shop
        summary: A new shop front for Globex, with a checkout that works on phones.
        start: 2026-08-03
        cadence_days: 7
        budget:
          currency: EUR
          approved: 200000
          forecast: 230000
        team:
          - name: Ada Byrne
            role: Tech lead
            ask_about: [hosting]
          - name: Lin Okafor
            role: Project manager
            email: lin.okafor@vendor.example
            ask_about: [scope, schedule]
        channel:
          how: Open a ticket in the support desk; we answer within one business day.
          url: https://desk.vendor.example/globex
    """,
    "globex/shop/status.yml": """\
        - date: 2026-11-17
          health: amber
          schedule: amber
          summary: Design signed off.
        - date: 2026-11-24
          health: amber
          scope: green
          schedule: red
          budget: amber
          summary: Checkout slips two weeks while the payment provider is chosen.
          done: [Design system]
    """,
    "globex/shop/plan.yml": """\
        milestones:
          - id: M1
            title: Design signed off
            owner: customer
            baseline: 2026-10-02
            status: done
            actual: 2026-10-16
          - id: M2
            title: Checkout integrated
            owner: vendor
            baseline: 2026-12-11
            forecast: 2026-12-25
            slip_reason: Waiting for the payment provider decision.
          - id: M3
            title: Go-live
            owner: vendor
            baseline: 2027-02-26
            forecast: 2027-03-12
            depends_on: [M2]
    """,
    "globex/shop/questions.yml": """\
        - id: Q-1
          asked: 2026-10-20
          question: Which payment providers must work at launch?
          owner: customer
          due: 2026-11-06
          blocks: [M2]
        - id: Q-2
          asked: 2026-11-02
          question: Please send the list of URL redirects.
          owner: customer
          due: 2026-11-20
          blocks: [M3]
        - id: Q-3
          asked: 2026-11-20
          question: Who signs off the privacy text?
          owner: customer
          due: 2026-12-04
    """,
    "globex/shop/changes.yml": """\
        - id: CR-1
          requested: 2026-09-10
          title: Gift cards
          status: approved
          decided: 2026-09-20
          impact: {days: 5, cost: 12000}
        - id: CR-2
          requested: 2026-11-10
          title: Store locator
          status: proposed
          impact: {days: 8, cost: 9500, milestones: [M3]}
    """,
    "initech-holdings-international/customer.yml": """\
        name: Initech Holdings International Incorporated, Strategic Procurement Transformation Office
        site_url: https://portal.vendor.example/initech-holdings-international/
    """,
    "initech-holdings-international/erp/project.yml": "name: ERP\n",
}
"""One project with every answer to give: red schedule, overdue answers, money, a contact;
and a customer with a long name, published under a path of its own."""

ANSWERS: dict[str, tuple[str, ...]] = {
    "on track": ("Schedule: Red", "Go-live", "baseline 2027-02-26"),
    "what you owe": ("Q-1", "overdue by 20 days", "M2 Checkout integrated"),
    "what changed": ("Update of 2026-11-24",),
    "money": ("EUR 200,000", "EUR 230,000", "+EUR 30,000 (+15%)", "EUR 12,000", "EUR 9,500",
              "+8 working days"),
    "who to talk to": ("Lin Okafor", "Raise a request"),
}
"""Text that answers each question; each must be on screen before any scrolling."""


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The portfolio above, built: <site>/globex/..."""
    root = tmp_path_factory.mktemp("first-screen")
    projects = write_portfolio(root, FILES, base={})
    out = root / "site"
    result = subprocess.run(
        [sys.executable, "-m", "generator", "build", "--projects", str(projects), "--out", str(out),
         "--today", TODAY],
        capture_output=True, text=True, check=False,
    )
    assert result.returncode == 0, result.stderr
    return out / "globex"


@pytest.fixture(scope="module")
def long_named(site: Path) -> Path:
    """The portal of the customer with the long name and its own site_url path."""
    return site.parent / "initech-holdings-international"


def _offscreen(page: Page, texts: tuple[str, ...], height: int) -> list[str]:
    """The texts not shown within the first `height` pixels of the first glance."""
    glance = page.locator(".portal-glance").first
    missing = []
    for text in texts:
        found = glance.get_by_text(text, exact=False)
        box = found.last.bounding_box() if found.count() else None
        if box is None or box["y"] + box["height"] > height or box["y"] < 0:
            missing.append(text)
    return missing


@pytest.mark.parametrize("viewport", [LAPTOP, PHONE], ids=["laptop", "phone"])
@pytest.mark.parametrize("path", ["index.html", "shop/index.html"])
def test_the_five_answers_are_in_the_first_screen(
    browser: Browser, site: Path, path: str, viewport: dict[str, int]
) -> None:
    page = browser.new_page(viewport=viewport)
    page.goto((site / path).as_uri(), wait_until="load")
    offscreen = {q: missing for q, texts in ANSWERS.items() if (missing := _offscreen(page, texts, 800))}
    page.close()
    assert offscreen == {}


@pytest.mark.parametrize("path", ["shop/plan.html", "shop/changes.html", "shop/index.html",
                                  "shop/team.html"])
def test_no_table_hides_columns_behind_a_sideways_scroll_on_a_phone(
    browser: Browser, site: Path, path: str
) -> None:
    page = browser.new_page(viewport=PHONE)
    page.goto((site / path).as_uri(), wait_until="load")
    page.wait_for_timeout(100)  # material wraps tables after load
    hidden = page.locator(".md-typeset table").evaluate_all(
        """tables => tables.filter(t => {
             const box = t.closest('.md-typeset__scrollwrap') || t.parentElement;
             return box.scrollWidth > box.clientWidth + 1;
           }).map(t => t.querySelector('th') ? t.querySelector('th').textContent : '?')""")
    width = page.evaluate("document.documentElement.scrollWidth")
    page.close()
    assert hidden == [] and width <= PHONE["width"]


def test_not_found_page_works_from_disk_and_at_a_domains_root_without_sideways_scroll(
    browser: Browser, long_named: Path
) -> None:
    html = (long_named / "404.html").read_text(encoding="utf-8")
    assert 'href="/initech-holdings-international/' not in html  # no absolute links to one path
    with static_server(long_named) as root:
        for url in (f"{long_named.as_uri()}/404.html", f"{root}404.html"):
            page = browser.new_page(viewport=PHONE)
            failed: list[str] = []
            page.on("requestfailed", lambda request, failed=failed: failed.append(request.url))
            page.on("response", lambda r, failed=failed: failed.append(r.url) if r.status >= 400 else None)
            page.goto(url, wait_until="load")
            styled = page.evaluate("getComputedStyle(document.querySelector('.md-header')).position")
            home = page.locator("article a", has_text="home page").evaluate("a => a.href")
            width = page.evaluate("document.documentElement.scrollWidth")
            page.close()
            assert failed == [] and styled in ("sticky", "fixed"), url
            assert home.endswith("/index.html") and "initech-holdings-international/initech" not in home
            assert width <= PHONE["width"], url


@pytest.mark.parametrize("portal", ["globex", "initech-holdings-international"])
def test_not_found_page_is_styled_when_the_whole_output_is_served_at_a_domains_root(
    browser: Browser, site: Path, portal: str
) -> None:
    """`portal build` then any static server over site/: the page finds its own folder's assets."""
    with static_server(site.parent) as root:
        page = browser.new_page(viewport=PHONE)
        failed: list[str] = []
        page.on("response", lambda r: failed.append(r.url) if r.status >= 400 else None)
        page.goto(f"{root}{portal}/404.html", wait_until="load")
        styled = page.evaluate("getComputedStyle(document.querySelector('.md-header')).position")
        home = page.locator("article a", has_text="home page").evaluate("a => a.href")
        width = page.evaluate("document.documentElement.scrollWidth")
        page.close()
    assert failed == [] and styled in ("sticky", "fixed")
    assert home == f"{root}{portal}/index.html" and width <= PHONE["width"]


def test_the_header_carries_the_customers_logo_and_colour_loaded_from_the_site(
    browser: Browser, site: Path, long_named: Path
) -> None:
    page = browser.new_page(viewport=LAPTOP)
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto((site / "index.html").as_uri(), wait_until="load")
    colour = page.evaluate("getComputedStyle(document.querySelector('.md-header')).backgroundColor")
    logo = page.evaluate("getComputedStyle(document.querySelector('.md-header .md-logo img')).content")
    page.goto((long_named / "index.html").as_uri(), wait_until="load")
    mark = page.locator(".md-header .md-logo img").evaluate("img => img.naturalWidth > 0 && img.src")
    page.close()
    assert colour == "rgb(122, 31, 61)" and "customer-logo.svg" in logo
    assert any(url.endswith("/assets/images/customer-logo.svg") for url in requests)
    assert mark and mark.endswith("assets/images/portal-logo.svg")  # the theme's mark, not material's book
    assert all(url.startswith("file://") for url in requests)
