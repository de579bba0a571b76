"""A German, a French and a Dutch customer read their portal in their own language (issue #18).

tests/fixtures/languages holds one customer per language, each project written as that
customer's PM would write it (the three share their ids: M3 slips, CR-2 is approved, Q-2 is
answered, Q-3 is overdue and blocks M3, M5 is the go-live). It is committed in three steps so
that "What changed" has news, built with the real command line, and its home page, plan and
"What changed" must then speak the language: `<html lang>`, dates and money as Babel writes
them there (ISO only in `datetime=`), none of the generator's English phrases, and a page
that reads well in Chromium at laptop and phone width.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from datetime import date
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
import yaml
from babel.dates import format_date
from babel.messages.pofile import read_po
from babel.numbers import format_currency, get_decimal_symbol

from tests.browser_support import SCREENSHOTS, require_browser, static_server
from tests.conftest import DAY, REPO, TODAY
from tests.test_whatschanged import git

FIXTURE = REPO / "tests" / "fixtures" / "languages"
POT = REPO / "generator" / "i18n" / "locales" / "portal.pot"
CUSTOMERS = {
    "de": ("stadtwerke-ahrtal", "kundenportal"),
    "fr": ("mutuelle-horizon-sante", "espace-adherent"),
    "nl": ("gemeente-duinvliet", "digitaal-loket"),
}
"""Language -> (customer folder, its one project)."""
PAGES = {"home": "index.html", "plan": "{project}/plan.html", "changed": "{project}/history.html"}
STEPS = [("2026-10-05T09:00", "Portals set up", 0),
         ("2026-11-05T09:00", "M3 slips, CR-2 approved", 1),
         ("2026-11-24T17:00", "Q-2 answered", 2)]
"""Commit time, subject, and how far the projects have come: 0 at the start, 2 the fixture as it is."""
ISO_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")
LAPTOP = {"width": 1280, "height": 800}
PHONE = {"width": 375, "height": 800}


def load(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def by_id(items: list[dict[str, Any]], key: str) -> dict[str, Any]:
    return next(item for item in items if item["id"] == key)


def write_state(source: Path, target: Path, day: date, step: int) -> None:
    """The project in `source` as it stood on `day` into `target`: no status update written after that
    day; before step 1 every open milestone on its baseline and CR-2 proposed; before step 2 Q-2 open."""
    shutil.copytree(source, target, dirs_exist_ok=True)
    plan, changes, questions = (load(source / f"{name}.yml") for name in ("plan", "changes", "questions"))
    status = [update for update in load(source / "status.yml") if update["date"] <= day]
    if step < 1:
        for milestone in plan["milestones"]:
            if "actual" not in milestone:
                milestone.pop("forecast", None)
                milestone.pop("slip_reason", None)
        request = by_id(changes, "CR-2")
        request["status"] = "proposed"
        for field in ("decided", "decided_by", "decision_note"):
            del request[field]
    if step < 2:
        question = by_id(questions, "Q-2")
        question["status"] = "open"
        del question["answer"], question["answered"]
    for name, data in (("plan", plan), ("changes", changes), ("questions", questions), ("status", status)):
        (target / f"{name}.yml").write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False),
                                            encoding="utf-8")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture portfolio committed in STEPS and built by `portal build`: <site>/<customer>/..."""
    root = tmp_path_factory.mktemp("languages")
    projects = root / "portfolio" / "projects"
    git(root, "init", "-q", "-b", "main")
    for when, subject, step in STEPS:
        shutil.copytree(FIXTURE, projects, dirs_exist_ok=True)
        for customer, project in CUSTOMERS.values():
            write_state(FIXTURE / customer / project, projects / customer / project,
                        date.fromisoformat(when[:10]), step)
        git(root, "add", "-A", ".")
        git(root, "commit", "-q", "-m", subject, when=when)
    out = root / "site"
    result = subprocess.run(
        [sys.executable, "-m", "generator", "build", "--projects", str(projects), "--out", str(out),
         "--today", TODAY],
        cwd=REPO, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"}, capture_output=True, text=True, check=False,
    )
    assert result.returncode == 0, result.stderr
    return out


class Visible(HTMLParser):
    """The text of <body> a reader sees or hears (SVG titles too), without markup, attributes or scripts."""

    HIDDEN = ("script", "style", "template")

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._body = False
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._body = self._body or tag == "body"
        self._hidden += tag in self.HIDDEN

    def handle_endtag(self, tag: str) -> None:
        self._hidden -= tag in self.HIDDEN

    def handle_data(self, data: str) -> None:
        if self._body and not self._hidden:
            self.parts.append(data)

    def text(self, between: str) -> str:
        """The parts joined by `between`; runs of ASCII white space as one space (no-break spaces stay)."""
        return re.sub(r"[ \t\r\n\f]+", " ", between.join(self.parts))


def page(site: Path, language: str, name: str) -> tuple[str, Visible]:
    customer, project = CUSTOMERS[language]
    source = (site / customer / PAGES[name].format(project=project)).read_text(encoding="utf-8")
    visible = Visible()
    visible.feed(source)
    return source, visible


DATE_FORMS = {"de": "dd.MM.yyyy", "fr": "dd/MM/yyyy", "nl": "dd-MM-yyyy"}
"""A day in numbers as docs/format.md promises each language's readers: two-digit day and month, so a
column of dates lines up."""


def local_date(day: date, language: str) -> str:
    return format_date(day, DATE_FORMS[language], locale=language)


def local_money(amount: float, language: str) -> str:
    """Babel's euros, without ',00' on a whole amount (as a reader writes a budget)."""
    text = format_currency(amount, "EUR", locale=language)
    return text.replace(f"{get_decimal_symbol(language)}00", "") if float(amount).is_integer() else text


def expected(language: str, name: str) -> tuple[list[date], list[float]]:
    """The dates and amounts of the fixture that page `name` shows (each also in other places)."""
    customer, project = CUSTOMERS[language]
    folder = FIXTURE / customer / project
    milestones = {m["id"]: m for m in load(folder / "plan.yml")["milestones"]}
    questions = {q["id"]: q for q in load(folder / "questions.yml")}
    changes = load(folder / "changes.yml")
    budget = load(folder / "project.yml")["budget"]
    if name == "home":
        approved = sum(c["impact"]["cost"] for c in changes if c["status"] == "approved")
        return ([DAY, questions["Q-3"]["due"], milestones["M5"]["baseline"], milestones["M5"]["forecast"]],
                [budget["approved"], budget["forecast"], approved, by_id(changes, "CR-3")["impact"]["cost"]])
    if name == "plan":
        return ([DAY, questions["Q-3"]["due"],
                 *(m[key] for m in milestones.values() for key in ("baseline", "forecast") if key in m)], [])
    return ([DAY, milestones["M3"]["baseline"], milestones["M3"]["forecast"], questions["Q-2"]["answered"],
             by_id(changes, "CR-2")["decided"]], [])


ALL_PAGES = [(language, name) for language in CUSTOMERS for name in PAGES]


@pytest.mark.parametrize("language", CUSTOMERS)
def test_every_page_and_the_search_index_declare_the_customers_language(site: Path, language: str) -> None:
    customer, _ = CUSTOMERS[language]
    for name in PAGES:
        assert re.search(rf'<html lang="{language}"[ >]', page(site, language, name)[0]), name
    index = json.loads((site / customer / "search" / "search_index.json").read_text(encoding="utf-8"))
    assert language in index["config"]["lang"]


@pytest.mark.parametrize(("language", "name"), ALL_PAGES)
def test_dates_are_written_as_the_reader_writes_them(site: Path, language: str, name: str) -> None:
    text = page(site, language, name)[1].text("")
    dates = [local_date(day, language) for day in expected(language, name)[0]]
    assert ([d for d in dates if d not in text], ISO_DATE.findall(text)) == ([], []), "missing local, ISO"


@pytest.mark.parametrize(("language", "name"), [(language, "home") for language in CUSTOMERS])
def test_money_is_written_as_the_reader_writes_it(site: Path, language: str, name: str) -> None:
    text = page(site, language, name)[1].text("")
    amounts = [local_money(amount, language) for amount in expected(language, name)[1]]
    english = re.findall(r"EUR ?\d[\d,.]*\d", text)
    assert ([a for a in amounts if a not in text], english) == ([], []), "missing local, English"


@pytest.mark.parametrize("language", CUSTOMERS)
def test_colons_are_the_languages_own(site: Path, language: str) -> None:
    """French puts a space before a colon ('Jalon M3 … : prévision décalée …'), and a question that ends in
    its own '?' takes no colon after it in any language: on the home page, the plan and "What changed"."""
    for name in PAGES:
        text = page(site, language, name)[1].text("")
        assert "?:" not in text and "? :" not in text
        colons = re.findall(r"\S(\s?): ", text)
        assert colons and set(colons) == ({"\N{NO-BREAK SPACE}"} if language == "fr" else {""}), name


def generator_phrases(pot: Path) -> set[str]:
    """Every run of two or more words in the generator's English msgids, cut at placeholders and markup."""
    with pot.open("rb") as handle:
        catalog = read_po(handle)
    phrases = set()
    for message in catalog:
        for msgid in (message.id if isinstance(message.id, tuple) else (message.id,)):
            for run in re.split(r"%\(\w+\)[sd]|%%|<[^>]*>|[*_\[\](){}|:;.!?\n]", msgid or ""):
                words = run.strip(" ,·—–-'\"").split()
                if len(words) >= 2 and all(re.search(r"[A-Za-z]", word) for word in words):
                    phrases.add(" ".join(words))
    return phrases


def written_by_people(language: str) -> str:
    """The customer's own YAML and the titles of the shared content pages (in the navigation): text the
    generator never translates."""
    customer, _ = CUSTOMERS[language]
    texts = [path.read_text(encoding="utf-8") for path in (FIXTURE / customer).rglob("*.yml")]
    titles = [path.read_text(encoding="utf-8").partition("\n")[0] for path in (REPO / "content").glob("*.md")]
    return " ".join(" ".join(text.split()) for text in (*texts, *titles)).lower()


def said(phrase: str, text: str) -> bool:
    """Whether `text` holds `phrase` as whole words ('as of' is not in 'afvalpas of')."""
    return re.search(rf"(?<!\w){re.escape(phrase)}(?!\w)", text) is not None


@pytest.mark.parametrize(("language", "name"), ALL_PAGES)
def test_no_english_is_left_from_the_generator(site: Path, language: str, name: str) -> None:
    if not POT.is_file():
        pytest.skip(f"{POT.relative_to(REPO)} not extracted yet: no list of the generator's English phrases")
    text = page(site, language, name)[1].text(" ")
    people = written_by_people(language)
    english = sorted(phrase for phrase in generator_phrases(POT)
                     if said(phrase, text) and not said(phrase.lower(), people))
    assert english == [], f"{len(english)} English phrases of the generator: {english}"


@pytest.fixture(scope="module")
def served(site: Path) -> Iterator[str]:
    with static_server(site) as url:
        yield url


HIDDEN_CARD_LABELS = """[...document.querySelectorAll(
    'table[data-portal-cards] td[data-label]:not(:first-child)')]
    .filter(td => getComputedStyle(td).display === 'flow-root')
    .filter(td => {
        const label = getComputedStyle(td, '::before');
        return parseFloat(getComputedStyle(td).paddingLeft) < parseFloat(label.width);
    })
    .map(td => td.dataset.label)"""
"""The card cells (a wide table on a phone) whose column heading would sit outside the card, unseen."""


@pytest.mark.browser
@pytest.mark.slow
@pytest.mark.parametrize("viewport", [LAPTOP, PHONE], ids=["1280", "375"])
@pytest.mark.parametrize(("language", "name"), ALL_PAGES)
def test_screenshot_reads_well_without_sideways_scroll(
    request: pytest.FixtureRequest, served: str, language: str, name: str, viewport: dict[str, int]
) -> None:
    require_browser()
    browser = request.getfixturevalue("browser")
    customer, project = CUSTOMERS[language]
    tab = browser.new_page(viewport=viewport)
    tab.goto(f"{served}{customer}/{PAGES[name].format(project=project)}", wait_until="load")
    tab.wait_for_timeout(100)  # material wraps tables after load
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    tab.screenshot(path=SCREENSHOTS / f"i18n-{language}-{name}-{viewport['width']}.png", full_page=True)
    width = tab.evaluate("document.documentElement.scrollWidth")
    hidden = tab.evaluate(HIDDEN_CARD_LABELS)
    tab.close()
    assert width <= viewport["width"]
    assert hidden == [], "on a phone every cell of a card shows its column's heading beside it"
