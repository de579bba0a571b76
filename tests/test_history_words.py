"""History a customer can read: every changed field in full with its changed words marked, Markdown rendered,
news first, and the milestone trend starting at the baseline (issue 14, §1 and §2).

Built from scripted git repositories (tests/test_whatschanged.py writes them) and read as HTML.
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Mapping
from datetime import date
from pathlib import Path

import pytest

from generator.build.portals import BuildOptions, build_portfolio
from generator.facts.trend_chart import layout_trend
from generator.history.changes import FieldChange
from generator.history.wording import field_words, word_diff
from generator.pages.markup import diff_markup
from tests.test_render import MD_ATTACKS, PLAIN_ATTACKS, Page, assert_inert, to_html
from tests.test_whatschanged import article, scripted_repo

TODAY = date(2026, 11, 30)
WEB = "acme/web/"
LONG = ("The payment provider must support cards, PayPal and Klarna, and every refund is booked in the ERP "
        "within one business day of the request of the customer, unless the order was paid by invoice")
"""A long text; the edit changes only its last words, past any cut-off a page might have."""
QUESTION = "Which payment providers must work at launch? Our shortlist is:\n\n- Adyen\n- Stripe\n"
PLAN = """\
    milestones:
      - {{id: M1, title: Design sign-off, baseline: 2026-10-15, owner: customer{m1}}}
      - {{id: M2, title: Launch, baseline: 2026-12-01{m2}}}
"""
Script = list[tuple[str, str, Mapping[str, str | None]]]


def question(text: str, due: str) -> str:
    body = "".join(f"    {line}\n" if line else "\n" for line in text.splitlines())
    return f"- id: Q-1\n  asked: 2026-09-28\n  owner: customer\n  due: {due}\n  question: |-\n{body}"


def status(*updates: tuple[str, str, str]) -> str:
    return "".join(f"- {{date: {day}, health: {health}, schedule: {schedule}, summary: '**Week** {day}.'}}\n"
                   for day, health, schedule in updates)


SCRIPT: Script = [
    ("2026-10-01T09:00", "Start", {
        "acme/customer.yml": "name: Acme Corp\n",
        WEB + "project.yml": "name: Website relaunch\nphase: build\nstart: 2026-09-01\n",
        WEB + "plan.yml": PLAN.format(m1=f", slip_reason: '{LONG}.'", m2=""),
        WEB + "questions.yml": question(QUESTION, "2026-10-20"),
        WEB + "status.yml": status(("2026-10-01", "amber", "green")),
    }),
    ("2026-10-15T09:00", "Edits", {
        WEB + "plan.yml": PLAN.format(m1=f", slip_reason: '{LONG} or by bank transfer.'", m2=""),
        WEB + "questions.yml": question(QUESTION + "- PayPal direct\n", "2026-10-27"),
    }),
    ("2026-10-22T09:00", "Schedule goes red, launch slips", {
        WEB + "plan.yml": PLAN.format(m1=f", slip_reason: '{LONG} or by bank transfer.'",
                                      m2=", forecast: 2026-12-15"),
        WEB + "status.yml": status(("2026-10-22", "amber", "red"), ("2026-10-01", "amber", "green")),
    }),
]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("words")
    out = root / "out"
    build_portfolio(scripted_repo(root, SCRIPT), out, BuildOptions(today=TODAY))
    return out / "acme"


def entry(page: str, day: str) -> str:
    """The text of one day of a "What changed" page."""
    return page.split(f"{day} ¶", 1)[1].split(" ¶", 1)[0]


def test_an_edited_long_text_shows_old_and_new_in_full_with_the_changed_words_marked(site: Path) -> None:
    page = article(site / "web" / "history.html")
    assert "changed: slip reason" in page
    assert f"{LONG} or by bank transfer" in page  # the whole text: nothing cut away
    source = (site / "web" / "history.html").read_text(encoding="utf-8")
    assert "paid by invoice<ins> or by bank transfer</ins>." in source


def test_an_edited_date_shows_old_and_new(site: Path) -> None:
    page = article(site / "web" / "history.html")
    assert "Due date: 2026-10-20 → 2026-10-27" in page


def test_history_renders_markdown_and_keeps_a_question_with_a_list_whole(site: Path) -> None:
    for path in (site / "history.html", site / "web" / "history.html"):
        page = article(path)
        assert "**" not in page and "- Adyen" not in page
        assert "changed: question text, due date" in page
        assert ": edited" not in page and "Question Q-1 Which payment providers must work at launch? Our " \
            "shortlist is: changed" in page  # the list is detail, not the line's title
    source = (site / "web" / "history.html").read_text(encoding="utf-8")
    assert "<li><ins>PayPal direct</ins></li>" in source


def test_the_first_state_is_no_news(site: Path) -> None:
    page = article(site / "history.html")
    assert "started with" not in page and "Portal" not in page and "2026-10-01 ¶" not in page


def test_health_comes_first_and_the_home_card_names_the_change(site: Path) -> None:
    day = entry(article(site / "web" / "history.html"), "2026-10-22")
    assert day.index("Schedule health Green → Red") < day.index("forecast moved") < day.index("published")
    card = article(site / "index.html").split("What changed", 1)[1].split("What you owe", 1)[0]
    assert "unchanged" not in card
    assert "Schedule Green → Red" in card and "Schedule health Green → Red" in card


def test_feed_and_diff_use_the_same_words(site: Path) -> None:
    feed = (site / "feed.xml").read_text(encoding="utf-8")
    assert "Due date: 2026-10-20 → 2026-10-27" in feed
    assert "paid by invoice{+ or by bank transfer+}." in feed


# --- the milestone trend ------------------------------------------------------------------------------


def trend_table(page: Path) -> dict[str, str]:
    text = article(page).split("Milestone How the expected date moved Expected now", 1)[1]
    return {m.group(1): m.group(2) for m in re.finditer(r"(M\d) \w[\w -]*? (\d{4}-\d\d-\d\d: baseline [^|]*?)"
                                                           r"(?= M\d |Changes ¶)", text)}


def test_the_trend_starts_at_the_baseline_when_the_plan_was_agreed(site: Path) -> None:
    rows = trend_table(site / "web" / "history.html")
    assert rows["M2"].startswith("2026-09-01: baseline 2026-12-01 2026-10-22: 2026-12-01 → 2026-12-15")


def test_without_history_the_trend_still_runs_from_baseline_to_forecast(tmp_path: Path) -> None:
    projects = tmp_path / "projects"  # the script's last state, never committed
    for rel, text in {k: v for _, _, files in SCRIPT for k, v in files.items()}.items():
        (projects / rel).parent.mkdir(parents=True, exist_ok=True)
        (projects / rel).write_text(textwrap.dedent(text or ""), encoding="utf-8")
    build_portfolio(projects, tmp_path / "out", BuildOptions(today=TODAY))
    page = tmp_path / "out" / "acme" / "web" / "history.html"
    assert "No milestone history to chart yet" not in article(page)
    assert trend_table(page)["M2"].startswith(
        "2026-09-01: baseline 2026-12-01 2026-11-30: 2026-12-01 → 2026-12-15")


def test_the_axis_ends_at_the_build_date_and_a_cancelled_milestone_ends_in_a_cross() -> None:
    chart = layout_trend("t", {"M1": [(date(2026, 11, 20), date(2026, 12, 1))],
                               "M2": [(date(2026, 11, 20), date(2026, 12, 10))]},
                         {}, date(2026, 11, 26), frozenset({"M2"}))
    assert chart is not None and chart.end == date(2026, 11, 26)
    last_x = max(float(t.pos) for t in chart.x_ticks)
    assert last_x <= chart.right and chart.x_ticks[-1].label == "26 Nov"
    live, cancelled = chart.series
    assert not live.cancelled and cancelled.cancelled
    assert float(live.points.split()[-1].split(",")[0]) == chart.right  # runs on to the build date
    assert float(cancelled.points.split()[-1].split(",")[0]) < chart.right  # ends where last planned


@pytest.mark.parametrize(("attack", "md_attack"), list(zip(PLAIN_ATTACKS, MD_ATTACKS, strict=True)))
def test_a_word_diff_of_hostile_text_stays_inert(attack: str, md_attack: str) -> None:
    for text, markdown in ((attack, False), (md_attack, True)):
        old = f"Before the change this long text read {text} after"
        diff = field_words(FieldChange("summary", old, f"Now this long text reads {text} later {text}",
                                       markdown)).diff
        assert diff
        page = Page(to_html(f"- Summary: {diff_markup(diff, markdown)}\n"))
        assert_inert(page)
        assert [tag for tag, _ in page.tags].count("li") == 1  # one list item: nothing broke out of it
        if not markdown:
            assert " ".join(text.split()) in page.text


def test_a_rewritten_phrase_is_one_deletion_and_one_insertion() -> None:
    assert word_diff("Payment provider late.", "Waiting for the contract.") == (
        ("del", "Payment provider late"), ("ins", "Waiting for the contract"), ("same", "."))
