"""The HTML part of `portal notify`'s messages in real Chromium, at a phone's and a mail pane's width.

Screenshots go to test-artifacts/screenshots/email-*.png for a person to look at.
"""

from __future__ import annotations

from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path

import pytest

from tests.browser_support import SCREENSHOTS, require_browser
from tests.test_history import Repo
from tests.test_notify import PLAN_SLIPPED, PORTFOLIO, WEB, Inbox, notify, smtp

pytestmark = [pytest.mark.browser, pytest.mark.slow]

WIDTHS = (375, 800)
__all__ = ["smtp"]  # the SMTP server fixture of test_notify

require_browser()
from playwright.sync_api import Browser  # noqa: E402


def html_of(path: Path) -> str:
    message = message_from_bytes(path.read_bytes(), policy=policy.default)
    assert isinstance(message, EmailMessage)
    body = message.get_body(("html",))
    assert body is not None
    return str(body.get_content())


def test_email_html_fits_a_phone_and_a_mail_pane(
    browser: Browser, tmp_path: Path, smtp: tuple[str, Inbox]
) -> None:
    """A first message (where things stand) and a digest (what changed), each at 375 and 800 px."""
    repo = Repo(tmp_path / "repo")
    repo.commit("2026-11-25", "Portals", PORTFOLIO)
    first, digest = tmp_path / "first", tmp_path / "digest"
    assert notify(repo, "--dry-run", str(first)) == 0
    assert notify(repo, "--smtp", smtp[0]) == 0
    repo.commit("2026-12-02", "Launch slips", {WEB + "plan.yml": PLAN_SLIPPED})
    assert notify(repo, "--dry-run", str(digest), today="2026-12-07") == 0
    pages = {kind: tmp_path / f"{kind}.html" for kind in ("first", "digest")}
    for kind, outbox in (("first", first), ("digest", digest)):
        pages[kind].write_text(html_of(outbox / "acme/jane@acme.example.eml"), encoding="utf-8")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for kind, page_file in pages.items():
        for width in WIDTHS:
            page = browser.new_page(viewport={"width": width, "height": 900})
            page.goto(page_file.as_uri())
            assert page.locator("text=Open your portal").is_visible()
            overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
            page.screenshot(path=str(SCREENSHOTS / f"email-{kind}-{width}.png"), full_page=True)
            assert overflow <= 0, f"{kind} at {width} px scrolls sideways by {overflow} px"
            page.close()
