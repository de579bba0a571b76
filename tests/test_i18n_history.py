""""What changed" in the customer's language (issue 18): dates and numbers of a change in the reader's form,
every word the history writes marked for translation, and no words kept between builds or customers.

Two customers with the same history in one scripted git repository: `acme` reads English, `bravo` German.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import Literal, get_args, get_origin

import pytest
from pydantic import BaseModel

from generator.build.portals import BuildOptions, build_portfolio
from generator.history.changelog import Linker, line_for
from generator.history.changes import Change
from generator.history.names import FIELD_NAMES, VALUES
from generator.history.wording import describe
from generator.i18n.translate import PSEUDO_CLOSE, PSEUDO_ENV, PSEUDO_OPEN, speaking
from generator.portfolio import model
from tests.test_whatschanged import article, scripted_repo

TODAY = date(2026, 11, 30)
SLIP = "Payment provider late"
PLAN = """\
    milestones:
      - {{id: M2, title: Launch, baseline: 2026-12-01{forecast}}}
"""
QUESTION = """\
    - {{id: Q-1, asked: 2026-09-28, owner: customer, due: {due}, question: Which providers?}}
"""
PROJECT = "name: Website relaunch\nphase: build\nbudget: {{approved: 120000, spent: {spent}}}\n"


def files(forecast: str = "", due: str = "2026-11-20", spent: str = "40000",
          health: str = "green") -> dict[str, str]:
    """The same project for both customers."""
    project = {"project.yml": PROJECT.format(spent=spent), "plan.yml": PLAN.format(forecast=forecast),
               "questions.yml": QUESTION.format(due=due),
               "status.yml": f"- {{date: 2026-10-01, health: {health}, summary: Started.}}\n"}
    found = {f"{slug}/customer.yml": f"name: {slug.title()}\nlanguage: {language}\n"
             for slug, language in (("acme", "en"), ("bravo", "de"))}
    return found | {f"{slug}/web/{name}": text for slug in ("acme", "bravo")
                    for name, text in project.items()}


SCRIPT: list[tuple[str, str, Mapping[str, str | None]]] = [
    ("2026-10-01T09:00", "Start", files()),
    ("2026-10-15T09:00", "Broken", files(health="purple")),
    ("2026-10-22T09:00", "Launch slips", files(forecast=f", forecast: 2026-12-15, slip_reason: {SLIP}",
                                                due="2026-11-27", spent="124800")),
]
YAML_TEXTS = ("Website relaunch", "Launch", "Which providers?", SLIP, "Started.", "EUR")
"""The customer's own words (and its currency), never marked."""


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return scripted_repo(tmp_path_factory.mktemp("i18n-history"), SCRIPT)


def build(projects: Path, out: Path, audience: str = "customer") -> Path:
    build_portfolio(projects, out, BuildOptions(today=TODAY, audience=audience))  # type: ignore[arg-type]
    return out


@pytest.fixture(scope="module")
def built(repo: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build(repo, tmp_path_factory.mktemp("out"))


def changes(page: Path) -> str:
    """The "What changed" list of a page: its text from the first day on."""
    text = article(page)
    return text[re.search(r"\d{4}-\d\d-\d\d ¶|\d\d\.\d\d\.\d{4} ¶", text).start():]  # type: ignore[union-attr]


def test_german_reader_sees_dates_and_numbers_of_a_change_in_german_form(built: Path) -> None:
    text = changes(built / "bravo/history.html")
    assert "01.12.2026" in text and "15.12.2026" in text  # the forecast moved
    assert "+14" in text
    assert "20.11.2026" in text and "27.11.2026" in text  # the question's due date, a changed field
    assert "40.000 € → 124.800 €" in text  # budget spent
    assert not re.search(r"20\d\d-\d\d-\d\d", text.split(" ¶", 1)[1])  # no ISO date in any change


def test_english_reader_of_the_same_build_sees_them_as_before(built: Path) -> None:
    text = changes(built / "acme/history.html")
    assert "Milestone M2 Launch: forecast moved from 2026-12-01 to 2026-12-15 (+14 days) — " + SLIP in text
    assert "Due date: 2026-11-20 → 2026-11-27" in text
    assert "Budget spent: EUR 40,000 → EUR 124,800" in text
    assert "01.12.2026" not in text


def test_no_words_are_kept_between_builds(repo: Path, built: Path, tmp_path: Path) -> None:
    """The history walk is kept on disk: a customer switching to German reads the kept walk in German."""
    customer = repo / "acme/customer.yml"
    english = customer.read_text(encoding="utf-8")
    customer.write_text(english.replace("language: en", "language: de"), encoding="utf-8")
    try:
        text = changes(build(repo, tmp_path / "out") / "acme/history.html")
    finally:
        customer.write_text(english, encoding="utf-8")
    assert "01.12.2026" in text and "2026-12-01" not in text


def test_the_teams_warnings_are_worded_for_its_reader(repo: Path, tmp_path: Path) -> None:
    out = build(repo, tmp_path / "team", "team")
    german, english = article(out / "bravo/history.html"), article(out / "acme/history.html")
    assert "(15.10.2026)" in german and "skipped" not in german  # the German team reads it in German
    assert "(2026-10-15) skipped: it does not validate" in english


def _unmarked(text: str) -> str:
    """`text` without the pseudo-locale's marked words (nested ones too)."""
    marked = re.compile(f"{PSEUDO_OPEN}[^{PSEUDO_OPEN}{PSEUDO_CLOSE}]*{PSEUDO_CLOSE}")
    while marked.search(text):
        text = marked.sub(" ", text)
    return text


def test_every_word_of_a_change_is_marked_in_the_pseudo_locale(repo: Path, tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(PSEUDO_ENV, "1")
    out = build(repo, tmp_path / "pseudo", "team")
    for slug in ("acme", "bravo"):
        page = article(out / slug / "history.html")
        assert re.search(f"{PSEUDO_OPEN}commit ", page, re.I)  # the team's warning of the skipped state
        text = changes(out / slug / "history.html")
        assert text.count(PSEUDO_OPEN) >= 8  # three changes: section and words, a changed field's name
        left = _unmarked(text)
        for own in YAML_TEXTS:
            left = left.replace(own, " ")
        left = re.sub(r"\b(Internal )?commit [0-9a-f]{10} by Pat Manager\b", " ", left, flags=re.I)  # theme's
        assert not re.findall(r"[^\W\d_]{2,}", left), left


def test_every_field_and_value_of_the_contract_has_words() -> None:
    """A field or contract value added to the model without a name here would reach readers untranslated."""
    records = [m for m in vars(model).values()
               if isinstance(m, type) and issubclass(m, BaseModel) and m.__module__ == model.__name__]
    fields = {name for record in records for name in record.model_fields}
    assert fields - set(FIELD_NAMES) == set()
    values = {v for name, kind in vars(model).items() if get_origin(kind) is Literal and name != "Language"
              for v in get_args(kind)}  # a language is shown by its code
    assert values - set(VALUES) == set()


def test_a_status_update_is_named_by_its_date_in_the_readers_form() -> None:
    change = Change("published", "update", "acme", "web", "Web", item_id="2026-11-19", new="green")
    line = line_for(change, Linker(anchor=str, about_dir="about", present={("web", "update", "2026-11-19")}))
    with speaking("de"):
        assert line.shown_id == "19.11.2026"
    assert line.shown_id == "2026-11-19"
    assert line.link == "web/status.md#update-2026-11-19"  # links keep the id


@pytest.mark.parametrize(("change", "german"), [
    (Change("decided", "change", "acme", item_id="CR-1", new="approved", when=date(2026, 10, 26), by="Jane",
            days=-3), ("26.10.2026", "Jane", "−3")),
    (Change("opened", "question", "acme", item_id="Q-1", due=date(2026, 11, 19)), ("19.11.2026",)),
    (Change("added", "milestone", "acme", item_id="M1", new="2027-01-14"), ("14.01.2027",)),
    (Change("done", "milestone", "acme", item_id="M1", when=date(2026, 10, 29)), ("29.10.2026",)),
    (Change("forecast-moved", "milestone", "acme", item_id="M1", old="2026-12-01", new="2027-01-14", days=44),
     ("01.12.2026", "14.01.2027", "+44")),
])
def test_dates_in_a_headline_are_in_the_readers_form(change: Change, german: tuple[str, ...]) -> None:
    with speaking("de"):
        words = describe(change)
    assert all(part in words for part in german), words
    assert not re.search(r"\d{4}-\d\d", words)
