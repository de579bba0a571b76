"""What the browser tests share: Debian's chromium under Playwright, a local static server, a request watch.

Importing this module does not import Playwright (conftest.py uses it lazily), so tests that never open a
browser do not pay for it. A browser test module calls `require_browser()` first, then imports Playwright.
"""

from __future__ import annotations

import functools
import os
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from tests.conftest import REPO

if TYPE_CHECKING:
    from playwright.sync_api import Browser, BrowserContext, Page, Playwright, Route

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
AXE = REPO / "tests" / "browser" / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = REPO / "test-artifacts" / "screenshots"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 375, "height": 812}


def _require(condition: bool, reason: str, *, module: bool = False) -> None:
    """Skip on a developer machine without the tool; in CI (CI set) a missing tool is a failure."""
    if condition:
        return
    if os.environ.get("CI"):
        pytest.fail(f"{reason} (CI must provide it: see .ci/run)", pytrace=False)
    pytest.skip(f"{reason}; install it to run the browser tests (CI always runs them)",
                allow_module_level=module)


def require_browser() -> None:
    """Skip the calling test module unless chromium and the playwright package are installed."""
    _require(CHROMIUM.exists(), f"{CHROMIUM} is missing (apt-get install chromium)", module=True)
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:  # pragma: no cover - depends on the machine
        _require(False, "the playwright package is missing (pip install -e '.[test]')", module=True)


def require_axe() -> Path:
    """axe-core's script, for the accessibility checks; skips the test without it."""
    _require(AXE.is_file(), f"{AXE} is missing (cd tests/browser && npm ci)")
    return AXE


def axe_violations(page: Page) -> list[dict[str, Any]]:
    """axe-core's serious and critical violations on the page as loaded; skips the test without axe-core."""
    page.add_script_tag(path=str(require_axe()))
    violations = page.evaluate(
        """async () => (await axe.run(document, {resultTypes: ["violations"]})).violations
             .filter(v => v.impact === "serious" || v.impact === "critical")
             .map(v => ({id: v.id, impact: v.impact, help: v.help,
                         nodes: v.nodes.slice(0, 5).map(n => n.target.join(" "))}))"""
    )
    return list(violations)


def launch(playwright: Playwright) -> Browser:
    """A headless chromium with the flags every browser test uses."""
    return playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@contextmanager
def static_server(folder: Path) -> Iterator[str]:
    """Base URL (ending in /) of a static server over `folder` on 127.0.0.1 (random port, own thread)."""
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(folder)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{httpd.server_port}/"
    finally:
        httpd.shutdown()
        httpd.server_close()


@dataclass
class Watch:
    """What one browser context did: every request, and every console or page error."""

    allowed: tuple[str, ...]
    requests: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    @property
    def outside(self) -> list[str]:
        """Requests to anything but the site itself."""
        return [url for url in self.requests if not url.startswith(self.allowed)]


OpenContext = Callable[..., tuple["BrowserContext", Watch]]
"""The `open_context` fixture: browser.new_context options in, (context, its Watch) out."""


def watched_context(browser: Browser, allowed: tuple[str, ...],
                    **options: Any) -> tuple[BrowserContext, Watch]:
    """A browser context that records requests and errors and blocks every request outside `allowed`."""
    context = browser.new_context(**options)
    watch = Watch(allowed=(*allowed, "data:", "blob:", "about:"))

    def route(route: Route) -> None:
        if route.request.url.startswith(watch.allowed):
            route.continue_()
        else:
            route.abort()

    context.route("**/*", route)
    context.on("request", lambda request: watch.requests.append(request.url))
    context.on("console", lambda msg: watch.errors.append(msg.text) if msg.type == "error" else None)
    context.on("weberror", lambda error: watch.errors.append(str(error.error)))
    return context, watch
