"""Switching version from a deep page keeps the page, also without site_url (in chromium, over http)."""

from __future__ import annotations

import functools
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import ThreadingHTTPServer
from pathlib import Path

import pytest

from tests.conftest import EXAMPLE, TODAY
from tests.test_browser import CHROMIUM, CHROMIUM_ARGS, _QuietHandler

pytestmark = [pytest.mark.browser, pytest.mark.slow]
playwright_api = pytest.importorskip("playwright.sync_api")
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
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(dest)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_port}/{CUSTOMER}/"
    httpd.shutdown()
    httpd.server_close()


def test_switching_version_on_a_deep_page_opens_that_page_in_the_other_version(server: str) -> None:
    with playwright_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = browser.new_page()
        page.goto(f"{server}2.0/{DEEP}", wait_until="load")
        page.locator(".md-version").hover()
        page.locator(".md-version a", has_text="1.0").first.click()
        page.wait_for_url(f"{server}1.0/**")
        assert page.url == f"{server}1.0/{DEEP}"
        browser.close()
