"""Shared fixtures: small portfolios written into temporary folders."""

from __future__ import annotations

import os
import textwrap
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from playwright.sync_api import Browser, BrowserContext

    from tests.browser_support import OpenContext, Watch

REPO = Path(__file__).resolve().parent.parent
EXAMPLE = REPO / "projects"
TODAY = "2026-11-26"
"""The build date of every test (the example portfolio is written around it)."""
DAY = date.fromisoformat(TODAY)


@pytest.fixture(scope="session", autouse=True)
def machine_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The generator's machine cache (cache.py) for this test session: not the user's, empty at the start."""
    folder = tmp_path_factory.mktemp("machine-cache")
    before = os.environ.get("XDG_CACHE_HOME")
    os.environ["XDG_CACHE_HOME"] = str(folder)
    yield folder
    if before is None:
        del os.environ["XDG_CACHE_HOME"]
    else:
        os.environ["XDG_CACHE_HOME"] = before


def d(text: str) -> date:
    """A date from its ISO text, for building model records in tests."""
    return date.fromisoformat(text)

MINIMAL = {
    "acme/customer.yml": "name: Acme Corp\n",
    "acme/web/project.yml": "name: Website relaunch\n",
}


@dataclass(frozen=True)
class Link:
    """A symbolic link to write instead of a file, pointing at `target` as written."""

    target: str


def write_portfolio(root: Path, files: dict[str, str | bytes | Link],
                    base: dict[str, str] | None = None) -> Path:
    """Write `files` (path under projects/ -> YAML text, bytes or a Link) over `base`; returns the projects
    folder. A path starting with `../` lands next to projects/ (content/, themes/, mkdocs.yml)."""
    projects = root / "projects"
    for rel, text in {**(MINIMAL if base is None else base), **files}.items():
        path = projects / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, str):
            path.write_text(textwrap.dedent(text), encoding="utf-8")
        elif isinstance(text, bytes):
            path.write_bytes(text)
        else:  # a Link (pytest may load this module twice, as conftest and tests.conftest)
            path.symlink_to(text.target)
    return projects


def fill_placeholders(projects: Path) -> None:
    """Replace every scaffold placeholder in the YAML under `projects`, as a PM does before publishing."""
    from generator.portfolio.placeholders import SAMPLE_CONTACT, SAMPLE_MANAGER, TODO

    for path in projects.rglob("*.yml"):
        text = path.read_text(encoding="utf-8").replace(TODO, "Done:")
        for sample, real in ((SAMPLE_CONTACT, ("Ana Real", "ana@customer.test")),
                             (SAMPLE_MANAGER, ("Ben Real", "ben@vendor.test"))):
            text = text.replace(sample["name"], real[0]).replace(sample["email"], real[1])
        path.write_text(text, encoding="utf-8")


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """One headless chromium per browser test module (which calls browser_support.require_browser first)."""
    from playwright.sync_api import sync_playwright

    from tests.browser_support import launch

    with sync_playwright() as playwright:
        browser = launch(playwright)
        yield browser
        browser.close()


@pytest.fixture
def open_context(browser: Browser, server: str, site: Path) -> Iterator[OpenContext]:
    """A factory of watched browser contexts (browser_support.watched_context) allowed the module's `server`
    and its built `site` on disk; all closed after the test."""
    from tests.browser_support import watched_context

    contexts: list[BrowserContext] = []

    def make(**options: Any) -> tuple[BrowserContext, Watch]:
        context, watch = watched_context(browser, (server, site.resolve().as_uri() + "/"), **options)
        contexts.append(context)
        return context, watch

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def portfolio(tmp_path: Path):
    """A callable writing a portfolio into tmp_path."""
    return lambda files=None, base=None: write_portfolio(tmp_path, files or {}, base)
