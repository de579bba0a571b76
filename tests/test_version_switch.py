"""Switching version from a deep page keeps the page, also without site_url (in chromium, over http)."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.browser_support import require_browser, static_server
from tests.conftest import EXAMPLE, TODAY

require_browser()
pytestmark = [pytest.mark.browser, pytest.mark.slow]

from playwright.sync_api import Browser  # noqa: E402

CUSTOMER = "northwind"
DEEP = "website-relaunch/decisions.html"


def publish(dest: Path, version: str) -> None:
    done = subprocess.run([sys.executable, "-m", "generator", "publish", "--projects", str(EXAMPLE),
                           "--dest", str(dest), "--version", version, "--alias", "latest", "--today", TODAY,
                           "--customer", CUSTOMER], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr


@pytest.fixture
def server(tmp_path: Path) -> Iterator[str]:
    dest = tmp_path / "published"
    publish(dest, "1.0")
    publish(dest, "2.0")
    with static_server(dest) as root:
        yield f"{root}{CUSTOMER}/"


def test_switching_version_on_a_deep_page_opens_that_page_in_the_other_version(
    browser: Browser, server: str
) -> None:
    page = browser.new_page()
    page.goto(f"{server}2.0/{DEEP}", wait_until="load")
    page.locator(".md-version").hover()
    page.locator(".md-version a", has_text="1.0").first.click()
    page.wait_for_url(f"{server}1.0/**")
    assert page.url == f"{server}1.0/{DEEP}"
    page.close()
