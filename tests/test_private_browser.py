"""Encrypted portals in a real browser: the link opens the portal, nothing opens without the key.

The example portfolio is built with a key per customer, served by a local
http.server and opened from disk; every request is recorded and anything
leaving the site is blocked and reported (as in test_browser.py).
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import NamedTuple

import pytest

from tests.browser_support import DESKTOP, OpenContext, Watch, axe_violations, require_browser, static_server
from tests.conftest import EXAMPLE, TODAY, write_portfolio

pytestmark = [pytest.mark.browser, pytest.mark.slow]

require_browser()
from playwright.sync_api import Browser, Page  # noqa: E402

ORIGINS = ["http", "file"]
CUSTOMER_TEXT = ("Northwind", "northwind", "Website relaunch", "website-relaunch", "Klarna", "Data platform")
WRONG_KEY = "A" * 43


def portal(*args: str | Path, stdin: str | None = None) -> str:
    done = subprocess.run([sys.executable, "-m", "generator", *map(str, args)], capture_output=True,
                          text=True, check=False, input=stdin)
    assert done.returncode == 0, done.stderr
    return done.stdout


def link_of(projects: Path, keys: Path, base: str, slug: str = "northwind") -> dict[str, str]:
    out = portal("links", "--projects", projects, "--keys", keys, "--base-url", base, "--format", "json")
    return next(link for link in json.loads(out)["result"]["links"] if link["slug"] == slug)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Path]:
    """(projects, keys, out): the example portfolio encrypted, one key per customer."""
    root = tmp_path_factory.mktemp("private-browser")
    projects = Path(shutil.copytree(EXAMPLE, root / "projects"))
    keys, out = root / "keys.json", root / "site"
    portal("keys", "new", "--projects", projects, "--keys", keys)
    portal("build", "--projects", projects, "--out", out, "--keys", keys, "--today", TODAY)
    return projects, keys, out


@pytest.fixture(scope="module")
def site(built: tuple[Path, Path, Path]) -> Path:
    """The built site, for conftest's open_context."""
    return built[2]


@pytest.fixture(scope="module")
def server(site: Path) -> Iterator[str]:
    with static_server(site) as base:
        yield base


class Opened(NamedTuple):
    """The northwind share link as seen from one origin, and a fresh watched page to open it in."""

    origin: str
    link: dict[str, str]
    page: Page
    watch: Watch


@pytest.fixture(params=ORIGINS)
def opened(request: pytest.FixtureRequest, open_context: OpenContext, server: str,
           built: tuple[Path, Path, Path]) -> Opened:
    projects, keys, out = built
    base = server if request.param == "http" else out.resolve().as_uri()
    context, watch = open_context(viewport=DESKTOP)
    return Opened(request.param, link_of(projects, keys, base), context.new_page(), watch)


def unlocked(page: Page) -> str:
    """The heading of the decrypted page, once material has drawn its navigation."""
    page.locator(".md-sidebar--primary .md-nav__link").first.wait_for(state="attached", timeout=15_000)
    page.wait_for_load_state("load")
    return page.locator("article h1").first.inner_text().rstrip("¶").strip()


def prompt_only(page: Page) -> str:
    """The visible text of a page that must show the prompt and nothing of the customer."""
    page.locator("#portal-unlock-form").wait_for(timeout=10_000)
    page.wait_for_load_state("load")
    shown = page.locator("body").inner_text()
    dom = page.evaluate("() => { const d = document.documentElement.cloneNode(true);"
                        " d.querySelector('#portal-sealed').remove(); return d.outerHTML; }")
    assert not [t for t in CUSTOMER_TEXT if t in shown or t in dom]
    assert page.title() == "Private portal"
    return shown


def test_the_link_opens_the_portal_and_pages_search_and_back_work_without_the_key_again(
    opened: Opened,
) -> None:
    _, link, page, watch = opened
    page.goto(link["link"], wait_until="load")
    assert unlocked(page) == "Northwind Outfitters"
    assert "#key=" not in page.url  # taken from the address bar and the history
    assert page.locator("a[data-portal-feed] + code").first.inner_text().endswith("/feed.xml")
    page.locator(".md-sidebar--primary a.md-nav__link[href$='.html']:visible").nth(1).click()
    page.wait_for_load_state("load")
    assert unlocked(page) == "Data platform migration"
    page.go_back()
    assert unlocked(page) == "Northwind Outfitters"
    box = page.locator("input.md-search__input")
    box.click()
    box.press_sequentially("Klarna", delay=20)
    page.locator(".md-search-result__item").first.wait_for(timeout=15_000)
    page.locator(".md-search-result__item a").first.click()
    page.wait_for_load_state("load")
    assert unlocked(page) == "Decisions"
    assert "Klarna" in page.locator("article").inner_text()
    assert watch.outside == [] and watch.errors == []


def test_without_the_key_only_the_prompt_shows_and_a_wrong_key_is_refused(
    opened: Opened, site: Path,
) -> None:
    origin, link, page, watch = opened
    folder = site / link["folder"]
    deep = next(p.name for p in folder.glob("*.html") if p.name not in ("index.html", "404.html"))
    root = link["link"].split("#")[0].removesuffix("index.html")
    for address in (root + "index.html", root + deep):
        page.goto(address, wait_until="load")
        assert "Key or passphrase" in prompt_only(page)
    if origin == "http":
        assert axe_violations(page) == []
    page.locator("#portal-unlock-key").fill(WRONG_KEY)
    page.locator("#portal-unlock-form button").click()
    page.locator("#portal-unlock-error").filter(has_text="does not open").wait_for(timeout=10_000)
    prompt_only(page)
    page.goto(f"{root}index.html#key={WRONG_KEY}", wait_until="load")
    page.locator("#portal-unlock-error").filter(has_text="does not open").wait_for(timeout=10_000)
    assert watch.outside == []


def test_lock_forgets_the_key_and_remember_keeps_it_on_this_device(
    open_context: OpenContext, server: str, built: tuple[Path, Path, Path],
) -> None:
    projects, keys, _ = built
    link = link_of(projects, keys, server)
    home = link["link"].split("#")[0] + "index.html"
    ctx, watch = open_context(viewport=DESKTOP)
    first = ctx.new_page()
    first.goto(link["link"], wait_until="load")
    unlocked(first)
    other = ctx.new_page()  # another tab: this tab's key is not there
    other.goto(home, wait_until="load")
    prompt_only(other)
    first.locator("[data-portal-lock]").click()
    first.wait_for_load_state("load")
    prompt_only(first)
    first.locator("#portal-unlock-key").fill(link["link"])  # a pasted link works as the key
    first.locator("#portal-unlock-remember").check()
    first.locator("#portal-unlock-form button").click()
    unlocked(first)
    other.goto(home, wait_until="load")
    assert unlocked(other) == "Northwind Outfitters"  # remembered on this device
    other.locator("[data-portal-lock]").click()
    other.wait_for_load_state("load")
    prompt_only(other)
    assert "Key or passphrase" in prompt_only(first)  # the other tab forgot it too, by itself
    assert watch.outside == [] and watch.errors == []


def test_a_passphrase_portal_opens_with_the_typed_passphrase(browser: Browser, tmp_path: Path) -> None:
    projects = write_portfolio(tmp_path, {})
    keys, out = tmp_path / "keys.json", tmp_path / "site"
    portal("keys", "new", "acme", "--passphrase", "--projects", projects, "--keys", keys,
           stdin="correct horse battery staple\n")
    portal("build", "--projects", projects, "--out", out, "--keys", keys, "--today", TODAY)
    link = link_of(projects, keys, out.resolve().as_uri(), "acme")
    page = browser.new_page()
    page.goto(link["link"].split("#")[0], wait_until="load")
    page.locator("#portal-unlock-key").fill("correct horse battery stapler")
    page.locator("#portal-unlock-form button").click()
    page.locator("#portal-unlock-error").filter(has_text="does not open").wait_for(timeout=20_000)
    page.locator("#portal-unlock-key").fill("correct horse battery staple")
    page.locator("#portal-unlock-form button").click()
    assert unlocked(page) == "Acme Corp"
    page.close()


def test_after_rotation_the_next_publish_removes_the_old_folder_and_the_new_link_opens(
    browser: Browser, built: tuple[Path, Path, Path], tmp_path: Path,
) -> None:
    projects, _, _ = built
    keys, dest = tmp_path / "keys.json", tmp_path / "public"
    publish = ("publish", "--projects", projects, "--dest", dest, "--keys", keys, "--alias", "latest",
               "--customer", "northwind", "--today", TODAY)
    portal("keys", "new", "northwind", "--projects", projects, "--keys", keys)
    portal(*publish, "--version", "v1")
    with static_server(dest) as base:
        old = link_of(projects, keys, base)
        portal("keys", "new", "northwind", "--rotate", "--projects", projects, "--keys", keys)
        portal(*publish, "--version", "v2")
        new = link_of(projects, keys, base)
        assert [p.name for p in dest.iterdir()] == [new["folder"]] != [old["folder"]]
        page = browser.new_page()
        page.goto(new["link"], wait_until="load")  # through the version redirect, the key kept
        assert unlocked(page) == "Northwind Outfitters"
        assert page.url.startswith(f"{base}{new['folder']}/latest/")
        gone = page.goto(old["link"].split("#")[0], wait_until="load")
        assert gone is not None and gone.status == 404
        page.close()
