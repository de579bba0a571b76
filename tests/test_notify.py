"""`portal notify` as CI runs it: a scripted git portfolio, a real SMTP server and a webhook server.

The SMTP server is aiosmtpd on 127.0.0.1, the webhook an http.server; every
assertion reads what they received (or the files of --dry-run), the way a
customer's mail client or chat would see it.
"""

from __future__ import annotations

import json
import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller

import generator.notify.run as notify_run
from generator.commands.cli import main
from generator.notify.render import Rendered
from generator.private.keys import read_keys
from tests.test_history import Repo

WEB = "acme/web/"
INTERNAL = ("Margin is down to eight percent on this deal", "Ask Jane before the steering meeting",
            "Should we quietly drop the gift card feature", "Key developer may leave in spring",
            "ivy@acme.example")
"""Text only the team may read: internal notes, an internal question and risk, an internal contact."""

PORTFOLIO = {
    "acme/customer.yml": """\
        name: Acme Corp
        site_url: https://portal.vendor.example/acme/
        contacts:
          - {name: Jane Roe, email: jane@acme.example, notify: [digest, reminders],
             internal: Ask Jane before the steering meeting about the margin.}
          - {name: Bob Stone, email: bob@acme.example, notify: [digest]}
          - {name: Carl Quiet, email: carl@acme.example}
          - {name: Ivy Hidden, email: ivy@acme.example, notify: [digest], visibility: internal}
        """,
    WEB + "project.yml": """\
        name: Website relaunch
        team:
          - {name: Sam Lee, email: sam@vendor.example, notify: [digest]}
        channel:
          how: Open a ticket.
          url: https://support.vendor.example/acme
        """,
    WEB + "status.yml": """\
        - date: 2026-11-20
          health: amber
          summary: Payment provider choice is **late**.
          internal: Margin is down to eight percent on this deal.
        """,
    WEB + "plan.yml": """\
        milestones:
          - {id: M1, title: Launch, baseline: 2026-12-15}
        """,
    WEB + "questions.yml": """\
        - {id: Q-1, asked: 2026-11-01, question: Which payment providers must work at launch?,
           owner: customer, due: 2026-12-10, blocks: [M1]}
        - {id: Q-2, asked: 2026-11-01, question: Should we quietly drop the gift card feature?,
           owner: customer, due: 2026-12-10, visibility: internal}
        """,
    WEB + "risks.yml": """\
        - {id: R-1, title: Key developer may leave in spring, likelihood: low, impact: high,
           visibility: internal}
        """,
    "beta/customer.yml": """\
        name: Beta Ltd
        contacts:
          - {name: Zoe Park, email: zoe@beta.example, notify: [digest, reminders]}
        """,
    "beta/app/project.yml": "name: Beta mobile app\n",
}
ACME = {"jane@acme.example", "bob@acme.example", "sam@vendor.example"}
FIRST_DAY = "2026-12-01"

PLAN_SLIPPED = """\
    milestones:
      - {id: M1, title: Launch, baseline: 2026-12-15, forecast: 2027-01-05,
         slip_reason: The payment provider is not chosen yet.}
    """


# --- the servers -------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Inbox:
    """An aiosmtpd handler keeping every message; `refuse` makes it answer 554 instead."""

    messages: list[EmailMessage] = field(default_factory=list)
    refuse: bool = False

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if self.refuse:
            return "554 5.7.1 Message refused"
        self.messages.append(message_from_bytes(envelope.content, policy=policy.default))
        return "250 OK"

    def take(self) -> dict[str, EmailMessage]:
        """The messages received since the last take, by recipient address."""
        taken = {m["To"].addresses[0].addr_spec: m for m in self.messages}
        assert len(taken) == len(self.messages), "one message per recipient"
        self.messages.clear()
        return taken


@pytest.fixture
def smtp() -> Iterator[tuple[str, Inbox]]:
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield f"127.0.0.1:{controller.port}", inbox
    controller.stop()


@pytest.fixture
def webhook() -> Iterator[tuple[str, list[dict[str, Any]]]]:
    posts: list[dict[str, Any]] = []

    class Hook(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            posts.append(json.loads(self.rfile.read(int(self.headers["Content-Length"]))))
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Hook)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/hooks/T0/B0/token", posts
    server.shutdown()
    server.server_close()


@pytest.fixture
def repo(tmp_path: Path) -> Repo:
    """The portfolio committed once, on 2026-11-25."""
    repo = Repo(tmp_path / "repo")
    repo.commit("2026-11-25", "Portals for Acme and Beta", PORTFOLIO)
    return repo


def notify(repo: Repo, *options: str, today: str = FIRST_DAY) -> int:
    return main(["notify", "--projects", str(repo.projects), "--state", str(repo.root.parent / "state.json"),
                 "--from", "Project portal <portal@vendor.example>", "--today", today, *options])


def parts(message: EmailMessage) -> tuple[str, str]:
    """(plain text, HTML) of a received message."""
    text, html = message.get_body(("plain",)), message.get_body(("html",))
    assert text is not None and html is not None
    return str(text.get_content()), str(html.get_content())


# --- who gets what ---------------------------------------------------------------------------------


def test_first_run_mails_each_person_with_notify_a_summary(repo: Repo, smtp: tuple[str, Inbox]) -> None:
    server, inbox = smtp
    assert notify(repo, "--smtp", server) == 0
    mail = inbox.take()
    assert set(mail) == ACME | {"zoe@beta.example"}, "no notify (Carl) or internal (Ivy): no mail"
    jane = mail["jane@acme.example"]
    assert jane["Subject"] == "Acme Corp: where your projects stand"
    assert jane["List-Unsubscribe"] == ("<https://support.vendor.example/acme>, "
                                        "<mailto:portal@vendor.example?subject=unsubscribe>")
    text, html = parts(jane)
    for part in (text, html):
        assert "Payment provider choice is" in part and "Which payment providers must work at launch?" in part
        assert "M1 Launch" in part and "https://portal.vendor.example/acme/" in part
    assert "Due 2026-12-10; it holds up M1 Launch." in text
    assert "Amber as of 2026-11-20" in text
    assert "Beta" not in text + html
    zoe_text, _ = parts(mail["zoe@beta.example"])
    assert "Beta mobile app" in zoe_text and "Acme" not in zoe_text and "Website relaunch" not in zoe_text


def test_no_part_of_any_message_holds_internal_text_or_another_customer(
        repo: Repo, smtp: tuple[str, Inbox], webhook: tuple[str, list[dict[str, Any]]]) -> None:
    server, inbox = smtp
    url, posts = webhook
    assert notify(repo, "--smtp", server, "--webhook", url) == 0
    repo.commit("2026-12-02", "Slip", {WEB + "plan.yml": PLAN_SLIPPED})
    assert notify(repo, "--smtp", server, "--webhook", url, today="2026-12-07") == 0
    assert len(inbox.messages) == 4 + 3 and len(posts) == 2 + 1
    for message in inbox.messages:
        everything = "\n".join([str(message), *parts(message)])
        own, other = ("Beta", "Acme") if "zoe@" in message["To"] else ("Acme", "Beta")
        assert own in everything and other not in everything
        for secret in INTERNAL:
            assert secret not in everything, (message["To"], secret)
    for post in posts:
        assert set(post) == {"text"}
        assert not any(secret in post["text"] for secret in INTERNAL)
        assert ("Acme" in post["text"]) != ("Beta" in post["text"])


def test_a_second_run_sends_nothing(repo: Repo, smtp: tuple[str, Inbox],
                                    capsys: pytest.CaptureFixture[str]) -> None:
    server, inbox = smtp
    assert notify(repo, "--smtp", server) == 0
    state = (repo.root.parent / "state.json").read_bytes()
    inbox.take()
    assert notify(repo, "--smtp", server) == 0
    assert inbox.messages == []
    assert "ok: 0 messages sent, 0 failed" in capsys.readouterr().out
    assert (repo.root.parent / "state.json").read_bytes() == state


def test_a_change_then_a_run_sends_a_digest_of_only_that_change(repo: Repo, smtp: tuple[str, Inbox]) -> None:
    server, inbox = smtp
    assert notify(repo, "--smtp", server) == 0
    inbox.take()
    repo.commit("2026-12-02", "Launch slips", {WEB + "plan.yml": PLAN_SLIPPED})
    assert notify(repo, "--smtp", server, today="2026-12-02") == 0
    mail = inbox.take()
    assert set(mail) == ACME, "Beta did not change; the contacts who want digests of Acme did"
    text, html = parts(mail["bob@acme.example"])
    assert mail["bob@acme.example"]["Subject"] == "Acme Corp: 1 change in your portal"
    line = "Website relaunch · Milestone M1 Launch: forecast moved from 2026-12-15 to 2027-01-05 (+21 days)"
    assert line in text and line in html  # the words of the "What changed" page
    assert "The payment provider is not chosen yet." in text
    assert "started" not in text and "Payment provider choice is" not in text, "only the new change"
    assert "https://portal.vendor.example/acme/web/plan.html#m1" in html
    assert "2027-01-05  Website relaunch · M1 Launch (+21 calendar days)" in text


# --- reminders -------------------------------------------------------------------------------------


def test_reminders_go_out_before_on_the_day_and_overdue_once_each(
        repo: Repo, smtp: tuple[str, Inbox]) -> None:
    server, inbox = smtp
    assert notify(repo, "--smtp", server, today="2026-11-30") == 0
    inbox.take()
    told: dict[str, list[str]] = {}
    for day in ["2026-12-06", "2026-12-07", "2026-12-07", "2026-12-08", "2026-12-10", "2026-12-10",
                "2026-12-11", "2026-12-12", "2026-12-17", "2026-12-18", "2026-12-19"]:
        assert notify(repo, "--smtp", server, today=day) == 0
        for address, message in inbox.take().items():
            told.setdefault(address, []).append(f"{day} {message['Subject']}")
    assert told == {
        "jane@acme.example": ["2026-12-07 Acme Corp: an answer is due in 3 days",
                              "2026-12-10 Acme Corp: an answer is due today",
                              "2026-12-11 Acme Corp: an answer is overdue by 1 day",
                              "2026-12-18 Acme Corp: an answer is overdue by 8 days"],
    }, "Bob and Sam asked for digests only; Beta owes nothing"


def test_a_reminder_names_what_is_owed_and_what_it_blocks(repo: Repo, smtp: tuple[str, Inbox]) -> None:
    server, inbox = smtp
    assert notify(repo, "--smtp", server, today="2026-11-30") == 0
    inbox.take()
    assert notify(repo, "--smtp", server, today="2026-12-07") == 0
    text, html = parts(inbox.take()["jane@acme.example"])
    assert "REMINDER: Website relaunch · Answer Q-1: Which payment providers must work at launch?" in text
    assert "Due in 3 days (2026-12-10); it holds up M1 Launch." in text
    assert "https://portal.vendor.example/acme/web/questions.html#q-1" in html


# --- exactly once, even when sending fails ----------------------------------------------------------


def test_a_refused_message_is_not_recorded_and_the_next_run_delivers(
        repo: Repo, smtp: tuple[str, Inbox], capsys: pytest.CaptureFixture[str]) -> None:
    server, inbox = smtp
    state = repo.root.parent / "state.json"
    inbox.refuse = True
    assert notify(repo, "--smtp", server) == 1
    err = capsys.readouterr().err
    assert "error: acme: Jane Roe: not sent:" in err and "554" in err and "retries them" in err
    assert not state.exists()
    inbox.refuse = False
    assert notify(repo, "--smtp", server) == 0
    assert set(inbox.take()) == ACME | {"zoe@beta.example"}
    assert notify(repo, "--smtp", server) == 0
    assert inbox.messages == []


def test_an_unreachable_server_leaves_the_state_as_it_was(repo: Repo, smtp: tuple[str, Inbox]) -> None:
    server, inbox = smtp
    state = repo.root.parent / "state.json"
    assert notify(repo, "--smtp", server) == 0
    inbox.take()
    before = state.read_bytes()
    repo.commit("2026-12-02", "Launch slips", {WEB + "plan.yml": PLAN_SLIPPED})
    assert notify(repo, "--smtp", f"127.0.0.1:{free_port()}", today="2026-12-02") == 1
    assert state.read_bytes() == before
    assert notify(repo, "--smtp", server, today="2026-12-02") == 0
    assert set(inbox.take()) == ACME


def test_a_run_killed_midway_keeps_the_record_of_what_it_sent(
        repo: Repo, smtp: tuple[str, Inbox], monkeypatch: pytest.MonkeyPatch) -> None:
    server, inbox = smtp
    real, calls = notify_run.render_message, []

    def interrupted(message: Any) -> Rendered:
        calls.append(message)
        if len(calls) == 2:
            raise KeyboardInterrupt
        return real(message)

    monkeypatch.setattr(notify_run, "render_message", interrupted)
    assert notify(repo, "--smtp", server) == 130
    assert set(inbox.take()) == {"jane@acme.example"}
    monkeypatch.setattr(notify_run, "render_message", real)
    assert notify(repo, "--smtp", server) == 0
    assert set(inbox.take()) == ACME - {"jane@acme.example"} | {"zoe@beta.example"}


def test_a_state_file_that_is_not_one_is_refused(repo: Repo, smtp: tuple[str, Inbox],
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    (repo.root.parent / "state.json").write_text("{}")
    assert notify(repo, "--smtp", smtp[0]) == 1
    err = capsys.readouterr().err
    assert "state.json: not a state file written by portal notify" in err and "hint: restore it" in err
    assert smtp[1].messages == []


def test_a_message_the_leak_guard_stops_is_not_sent(
        repo: Repo, smtp: tuple[str, Inbox], monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    """Should a template ever print an internal note, the message stays unsent, as a portal would."""
    server, inbox = smtp
    real = notify_run.render_message

    def leaky(message: Any) -> Rendered:
        rendered = real(message)
        return Rendered(rendered.subject, f"{rendered.text}\n{INTERNAL[0]}.\n", rendered.html, rendered.chat)

    monkeypatch.setattr(notify_run, "render_message", leaky)
    assert notify(repo, "--smtp", server) == 1
    err = capsys.readouterr().err
    assert "leak guard found message.txt: internal text 'margin is down to eight percent" in err
    assert "beta: Zoe Park: not sent, the leak guard found message.txt: another customer's text" in err
    assert inbox.messages == [], "Acme's internal note is no more Beta's to read than Acme's customer's"


# --- previews and chat -------------------------------------------------------------------------------


def test_dry_run_writes_every_message_and_records_nothing(
        repo: Repo, smtp: tuple[str, Inbox], tmp_path: Path) -> None:
    server, inbox = smtp
    outbox = tmp_path / "outbox"
    assert notify(repo, "--dry-run", str(outbox), "--webhook", "https://hooks.example/T/B/secret") == 0
    assert sorted(str(p.relative_to(outbox)) for p in outbox.rglob("*") if p.is_file()) == [
        "acme/bob@acme.example.eml", "acme/jane@acme.example.eml", "acme/sam@vendor.example.eml",
        "acme/webhook.json", "beta/webhook.json", "beta/zoe@beta.example.eml"]
    preview = message_from_bytes((outbox / "acme/jane@acme.example.eml").read_bytes(), policy=policy.default)
    assert preview["Subject"] == "Acme Corp: where your projects stand"
    assert "Which payment providers" in parts(preview)[0]
    chat = json.loads((outbox / "acme/webhook.json").read_text())
    assert chat["text"].startswith("*Acme Corp: where your projects stand*")
    assert not (repo.root.parent / "state.json").exists()
    assert notify(repo, "--smtp", server) == 0
    assert len(inbox.messages) == 4, "a preview is not a send"


def test_an_encrypted_portal_is_linked_by_its_share_link_only(repo: Repo, tmp_path: Path) -> None:
    """With --keys every link of a message opens the share link: a slug address would not exist."""
    keys, outbox = tmp_path / "keys.json", tmp_path / "outbox"
    assert main(["keys", "new", "acme", "--projects", str(repo.projects), "--keys", str(keys)]) == 0
    assert notify(repo, "--dry-run", str(outbox), "--keys", str(keys),
                  "--base-url", "https://portal.vendor.example") == 0
    key = read_keys(keys).portal_key("acme", "customer")
    assert key is not None
    text, html = parts(message_from_bytes((outbox / "acme/jane@acme.example.eml").read_bytes(),
                                          policy=policy.default))
    share = f"https://portal.vendor.example/{key.folder}/#key="
    assert share in text and share in html
    assert "/acme/" not in text + html and "portal.vendor.example/acme" not in text + html
    beta = (outbox / "beta/zoe@beta.example.eml").read_text()
    assert "https://portal.vendor.example/beta/" in beta, "a customer without a key keeps its plain address"


def test_webhook_gets_one_summary_per_customer_once(
        repo: Repo, webhook: tuple[str, list[dict[str, Any]]], capsys: pytest.CaptureFixture[str]) -> None:
    url, posts = webhook
    assert notify(repo, "--webhook", url) == 0
    assert "4 email recipients passed over (no --smtp)" in capsys.readouterr().out
    assert len(posts) == 2
    acme = next(p["text"] for p in posts if "Acme" in p["text"])
    assert "Website relaunch · Answer Q-1: Which payment providers must work at launch?" in acme
    assert "https://portal.vendor.example/acme/" in acme
    assert "token" not in (repo.root.parent / "state.json").read_text(), "the URL carries a secret"
    assert notify(repo, "--webhook", url) == 0
    assert len(posts) == 2


def test_nowhere_to_send_is_an_error(repo: Repo, capsys: pytest.CaptureFixture[str]) -> None:
    assert notify(repo) == 1
    assert "portal: nowhere to send: no --smtp, --webhook or --dry-run" in capsys.readouterr().err


def test_the_text_part_reads_well_on_its_own(repo: Repo, smtp: tuple[str, Inbox]) -> None:
    server, inbox = smtp
    assert notify(repo, "--smtp", server) == 0
    text, _ = parts(inbox.take()["jane@acme.example"])
    assert not any(mark in text for mark in ("<", "&#", "**", "{{", "{%"))
    assert text.splitlines()[:4] == ["Acme Corp: your project portal", "=" * 30, "", "Hello Jane Roe,"]
    assert "WAITING ON YOU" in text and "NEXT MILESTONES" in text
    assert "Payment provider choice is late." in text
