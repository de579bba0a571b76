"""Notifications, the private portal's prompt and publish's redirect page in the customer's language.

Each is produced for real (notify --dry-run, an encrypted build, a publish)
under the pseudo-locale, which wraps every translated text in ⟦…⟧: what is
left once the marked text, the customer's own YAML text, addresses, dates and
numbers are taken out must hold no word. English output is pinned by
test_notify.py, test_private.py and test_publish.py, unchanged.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from email import message_from_bytes, policy
from html.parser import HTMLParser
from pathlib import Path

import pytest

from generator.commands.cli import main
from generator.i18n.translate import PSEUDO_ENV, speaking
from generator.pages.render import slip
from tests.conftest import TODAY, write_portfolio
from tests.test_history import Repo
from tests.test_private import key_of, links, open_page

TODAY_NOTIFY = "2026-12-01"
PORTFOLIO = {
    "kunde/customer.yml": """\
        name: Kunde GmbH
        language: de
        contacts:
          - {name: Jana Roth, email: jana@kunde.example, notify: [digest, reminders]}
        """,
    "kunde/web/project.yml": """\
        name: Neue Website
        channel:
          how: Ticket anlegen.
          url: https://support.vendor.example/kunde
        """,
    "kunde/web/plan.yml": """\
        milestones:
          - {id: M1, title: Start der Seite, baseline: 2026-12-15}
        """,
    "kunde/web/questions.yml": """\
        - {id: Q-1, asked: 2026-11-01, question: Welche Zahlungsanbieter braucht der Start?,
           owner: customer, due: 2026-12-03, blocks: [M1]}
        - {id: Q-2, asked: 2026-11-01, question: Wer liefert die Texte?, owner: customer, due: 2026-11-22}
        - {id: Q-3, asked: 2026-11-01, question: Wo liegt das Logo?, owner: customer, due: 2026-12-24}
        - {id: Q-4, asked: 2026-11-01, question: Wer testet mit?, owner: customer}
        """,
    "kunde/web/changes.yml": """\
        - {id: CR-1, requested: 2026-11-10, title: Eine Seite auf Englisch, status: proposed}
        """,
}
CUSTOMER_WORDS = ("Kunde GmbH", "Jana Roth", "Neue Website", "Start der Seite",
                  "Welche Zahlungsanbieter braucht der Start?", "Wer liefert die Texte?",
                  "Wo liegt das Logo?", "Wer testet mit?", "Eine Seite auf Englisch")
_MARKED = re.compile(r"⟦[^⟦⟧]*⟧")
_NOT_WORDS = re.compile(r"https?://\S+|[\w.+-]+@[\w.-]+|\b[A-Z]+-?\d+\b|\d")


class _Visible(HTMLParser):
    """The text a reader sees or hears in HTML: text outside script and style, and labelling attributes."""

    SHOWN = ("title", "aria-label", "alt", "placeholder",
             "data-wrong-key", "data-wrong-link", "data-no-crypto")

    def __init__(self) -> None:
        super().__init__()
        self.texts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._hidden += tag in ("script", "style")
        self.texts += [value for name, value in attrs if name in self.SHOWN and value]

    def handle_endtag(self, tag: str) -> None:
        self._hidden -= tag in ("script", "style")

    def handle_data(self, data: str) -> None:
        if not self._hidden:
            self.texts.append(data)


def visible(html: str) -> str:
    parser = _Visible()
    parser.feed(html)
    return "\n".join(parser.texts)


def unmarked(text: str, own: tuple[str, ...] = ()) -> list[str]:
    """Words outside ⟦…⟧ once the customer's text (`own`), addresses, ids, dates and numbers are taken out."""
    while _MARKED.search(text):
        text = _MARKED.sub(" ", text)
    for words in sorted(own, key=len, reverse=True):
        text = text.replace(words, " ")
    return re.findall(r"[^\W\d_]{2,}", _NOT_WORDS.sub(" ", text))


@pytest.fixture
def pseudo(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(PSEUDO_ENV, "1")


def preview(repo: Repo, out: Path, state: dict[str, object] | None = None) -> tuple[str, ...]:
    """(subject, text, visible HTML, chat) of Jana's message from `notify --dry-run`, after `state`."""
    state_file = out.parent / f"{out.name}.json"
    if state is not None:
        state_file.write_text(json.dumps({"format": 1, "customers": {"kunde": state}}), encoding="utf-8")
    assert main(["notify", "--projects", str(repo.projects), "--state", str(state_file),
                 "--dry-run", str(out), "--webhook", "https://hooks.example/T0/B0/token",
                 "--today", TODAY_NOTIFY]) == 0
    mail = message_from_bytes((out / "kunde" / "jana@kunde.example.eml").read_bytes(), policy=policy.default)
    text, html = (mail.get_body((kind,)).get_content() for kind in ("plain", "html"))  # type: ignore[union-attr]
    assert '<html lang="de">' in html
    chat = json.loads((out / "kunde" / "webhook.json").read_text(encoding="utf-8"))["text"]
    return str(mail["Subject"]), text, visible(html), chat


def test_a_german_customers_messages_have_german_dates_and_every_word_marked(
    tmp_path: Path, pseudo: None,
) -> None:
    repo = Repo(tmp_path / "repo")
    commit = repo.commit("2026-11-25", "Portal für Kunde", PORTFOLIO)
    with speaking("de"):
        others = (slip(0),)  # the milestone's slip is worded by pages.render (its own tests)
    first = preview(repo, tmp_path / "first")
    for part in first[1:]:
        assert "03.12.2026" in part and "22.11.2026" in part  # the due dates, as a German reader writes them
        assert not re.search(r"\d{4}-\d\d-\d\d", part)
    assert "15.12.2026" in first[1] and "15.12.2026" in first[2]  # the next milestone
    reminded = {"mail:jana@kunde.example": {"commit": commit, "reminded": []}}  # no news, 2 reminders
    reminder = preview(repo, tmp_path / "reminder", reminded)
    assert "⟦" in reminder[0] and "2" in reminder[0]  # "2 answers are due or overdue"
    for part in (*first, *reminder):
        assert unmarked(part, CUSTOMER_WORDS + others) == []


def test_a_french_private_portals_prompt_and_lock_button_speak_french_every_word_marked(
    tmp_path: Path,
) -> None:
    projects = write_portfolio(tmp_path, {"acme/customer.yml": "name: Acme Corp\nlanguage: fr\n"})
    keys, out = tmp_path / "keys.json", tmp_path / "site"
    env = {**os.environ, PSEUDO_ENV: "1"}
    for args in (["keys", "new", "--projects", projects, "--keys", keys],
                 ["build", "--projects", projects, "--out", out, "--keys", keys, "--today", TODAY]):
        done = subprocess.run([sys.executable, "-m", "generator", *map(str, args)], capture_output=True,
                              text=True, env=env, check=False)
        assert done.returncode == 0, done.stderr
    link = links(projects, keys)["acme"]
    shell = (out / link["folder"] / "index.html").read_text(encoding="utf-8")
    assert re.search(r'<html lang="fr"', shell)
    prompt = visible(shell)
    assert "⟦" in prompt and unmarked(prompt) == []
    for name in ("data-wrong-key", "data-wrong-link", "data-no-crypto"):  # what unlock.js may show
        assert re.search(rf'{name}="⟦[^"]+⟧"', shell), name
    page = open_page(key_of(link), out / link["folder"] / "index.html")
    button = re.search(r"<button[^>]*data-portal-lock[^>]*>.*?</button>", page, re.S)
    assert button and "⟦" in visible(button[0]) and unmarked(visible(button[0])) == []


def test_the_published_redirect_page_speaks_the_portals_language(tmp_path: Path, pseudo: None) -> None:
    projects = write_portfolio(tmp_path, {"acme/customer.yml": "name: Acme Corp\nlanguage: de\n"})
    dest = tmp_path / "public"
    assert main(["publish", "--projects", str(projects), "--dest", str(dest), "--version", "v1",
                 "--alias", "latest", "--today", TODAY]) == 0
    page = (dest / "acme" / "index.html").read_text(encoding="utf-8")
    assert '<html lang="de">' in page and 'url=latest/index.html' in page
    assert "⟦" in visible(page) and unmarked(visible(page), ("latest/index.html",)) == []


def test_the_plain_text_part_keeps_the_customers_own_spacing(tmp_path: Path) -> None:
    """French puts a space before `?` and `:`: the text part drops Markdown, never the customer's spaces."""
    repo = Repo(tmp_path / "repo")
    french = PORTFOLIO["kunde/web/questions.yml"].replace(
        "Wer liefert die Texte?", "'Qui fournit **les** textes ? Réponse : avant le lancement'")
    repo.commit("2026-11-25", "Portal", {**PORTFOLIO, "kunde/web/questions.yml": french})
    _subject, text, shown, _chat = preview(repo, tmp_path / "out")
    assert "Qui fournit les textes ? Réponse : avant le lancement" in text
    assert "Qui fournit les textes ? Réponse : avant le lancement" in " ".join(shown.split())
