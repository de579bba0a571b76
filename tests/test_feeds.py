"""The Atom and iCalendar feeds of a portal, read by real parsers (feedparser, icalendar)."""

from __future__ import annotations

import textwrap
from datetime import date, timedelta
from pathlib import Path

import feedparser
import icalendar
import pytest

from generator.build.portals import BuildOptions, build_portfolio
from generator.history.changelog import Changelog
from generator.pages.feeds import atom_feed, stable_id
from generator.portfolio.validate import load_portfolio
from tests.test_whatschanged import (
    INTERNALS,
    PLAN,
    Q2,
    SCRIPT,
    SLIP_1,
    SLIP_2,
    TODAY,
    WEB,
    git,
    scripted_repo,
)

LATER = TODAY + timedelta(days=3)


@pytest.fixture(scope="module")
def builds(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Path]:
    """The scripted portfolio built, built again days later, then once more after a new commit."""
    root = tmp_path_factory.mktemp("feeds")
    projects = scripted_repo(root / "repo")
    first, second, third = root / "first", root / "second", root / "third"
    build_portfolio(projects, first, BuildOptions(today=TODAY, only=["acme"]))
    build_portfolio(projects, second, BuildOptions(today=LATER, only=["acme"]))
    status = projects / WEB / "status.yml"
    status.write_text("- {date: 2026-12-02, health: green, summary: Copy signed off.}\n" + status.read_text())
    git(root / "repo", "add", "-A", ".")
    git(root / "repo", "commit", "-q", "-m", "Green again", when="2026-12-02T09:00")
    build_portfolio(projects, third, BuildOptions(today=LATER, only=["acme"]))
    return first / "acme", second / "acme", third / "acme"


def atom(site: Path) -> feedparser.FeedParserDict:
    parsed = feedparser.parse((site / "feed.xml").read_bytes())
    assert not parsed.bozo, parsed.get("bozo_exception")
    return parsed


def calendar(site: Path) -> icalendar.Calendar:
    return icalendar.Calendar.from_ical((site / "calendar.ics").read_bytes())


def events(site: Path) -> dict[str, icalendar.Event]:
    return {str(e["SUMMARY"]): e for e in calendar(site).walk("VEVENT")}


def test_atom_feed_lists_updates_and_changes_newest_first(builds: tuple[Path, Path, Path]) -> None:
    feed = atom(builds[0])
    assert feed.version == "atom10"
    assert feed.feed.title == "Acme Corp: project updates"
    titles = [e.title for e in feed.entries]
    assert titles[:4] == [
        "2 changes on 2026-11-26 in Website relaunch: Milestone M1, Milestone M2",
        "2 changes on 2026-11-26 in Website relaunch: Question Q-2, Status update 2026-11-19",
        "Website relaunch: status update 2026-11-19, overall Amber",
        "1 change on 2026-11-12 in Website relaunch: Risk R-1"]
    assert "Website relaunch: status update 2026-10-08, overall Amber" in titles
    assert titles[-1] == "Website relaunch: status update 2026-09-25, overall Green"  # first state: no news
    assert not any(": Portal" in title for title in titles)
    updated = [e.updated for e in feed.entries]
    assert updated == sorted(updated, reverse=True)
    slip = next(e for e in feed.entries if e.title.startswith("1 change on 2026-10-15 in Website relaunch"))
    assert slip.content[0].type == "text/plain"
    assert slip.content[0].value == ("Website relaunch: Milestone M2 Launch: forecast moved from 2026-12-01 "
                                     "to 2026-12-15 (+14 days) (Payment provider **late**)")
    update = next(e for e in feed.entries if e.title.startswith("Website relaunch: status update 2026-10-08"))
    assert update.content[0].type == "text/html" and "<em>late</em>" in update.content[0].value
    assert update.link == "web/status.html#update-2026-10-08"


def test_ids_are_stable_across_builds_and_new_entries_add_to_them(builds: tuple[Path, Path, Path]) -> None:
    first, second, third = (atom(site) for site in builds)
    ids = [e.id for e in first.entries]
    assert all(i.startswith("urn:uuid:") for i in ids) and len(set(ids)) == len(ids)
    assert [e.id for e in second.entries] == ids
    assert first.feed.id == second.feed.id == third.feed.id
    newer = {e.title: e.id for e in third.entries}
    assert {e.title: e.id for e in first.entries}.items() <= newer.items()
    assert "Website relaunch: status update 2026-12-02, overall Green" in newer
    assert "2 changes on 2026-12-02 in Website relaunch: Status update 2026-12-02" in newer


def test_calendar_has_milestones_and_open_due_dates(builds: tuple[Path, Path, Path]) -> None:
    cal = calendar(builds[0])
    assert str(cal["VERSION"]) == "2.0" and "Acme Corp" in str(cal["X-WR-CALNAME"])
    found = events(builds[0])
    assert sorted(found) == ["Answer due: Q-2 Who signs off copy? (Website relaunch)",
                             "Done: M1 Design sign-off (Website relaunch)",
                             "M2 Launch (Website relaunch)"]
    m1, m2 = found["Done: M1 Design sign-off (Website relaunch)"], found["M2 Launch (Website relaunch)"]
    assert m1.decoded("DTSTART") == date(2026, 10, 20)  # done: at its actual date
    assert m2.decoded("DTSTART") == date(2027, 1, 10) and m2.decoded("DTEND") == date(2027, 1, 11)
    assert int(m2["SEQUENCE"]) == 2  # moved twice in history: calendars take the new date as an update
    assert "Baseline 2026-12-01, expected 2027-01-10 (+40 days)." in str(m2["DESCRIPTION"])
    q2 = found["Answer due: Q-2 Who signs off copy? (Website relaunch)"]
    assert q2.decoded("DTSTART") == date(2026, 12, 2)


def test_calendar_uids_are_stable_and_stamps_follow_the_build_date(builds: tuple[Path, Path, Path]) -> None:
    first, second = events(builds[0]), events(builds[1])
    assert {k: str(e["UID"]) for k, e in first.items()} == {k: str(e["UID"]) for k, e in second.items()}
    assert len({str(e["UID"]) for e in first.values()}) == 3
    assert all(e.decoded("DTSTAMP").date() == LATER for e in second.values())


def test_internal_content_is_in_neither_feed(builds: tuple[Path, Path, Path]) -> None:
    for site in builds:
        texts = [str(e.get("content", [{}])[0].get("value", "")) + e.title for e in atom(site).entries]
        texts += [str(e.get("SUMMARY")) + str(e.get("DESCRIPTION")) for e in calendar(site).walk("VEVENT")]
        joined = " ".join(texts)
        for secret in (*INTERNALS, "Pat Manager", "Oops"):
            assert secret not in joined


def test_home_page_links_both_feeds(builds: tuple[Path, Path, Path]) -> None:
    home = (builds[0] / "index.html").read_text(encoding="utf-8")
    assert 'href="feed.xml"' in home and 'href="calendar.ics"' in home


def test_feeds_link_to_the_portal_address_when_it_is_known(tmp_path: Path) -> None:
    projects = scripted_repo(tmp_path / "repo", [(SCRIPT[0][0], "start", {
        **SCRIPT[0][2], "acme/customer.yml": "name: Acme Corp\nsite_url: https://portal.example.com/acme\n"})])
    build_portfolio(projects, tmp_path / "out", BuildOptions(today=TODAY, only=["acme"]))
    feed = atom(tmp_path / "out" / "acme")
    assert feed.feed.links[0].href == "https://portal.example.com/acme/feed.xml"
    assert feed.entries[0].link.startswith("https://portal.example.com/acme/")
    m1 = events(tmp_path / "out" / "acme")["M1 Design sign-off (Website relaunch)"]
    assert str(m1["URL"]) == "https://portal.example.com/acme/web/plan.html#m1"


def test_hostile_text_is_escaped_in_both_feeds(tmp_path: Path) -> None:
    name = 'R&D <script>alert("x")</script>; a, b\\c'
    projects = tmp_path / "projects"
    (projects / "acme" / "web").mkdir(parents=True)
    (projects / "acme" / "customer.yml").write_text("name: Acme\n")
    (projects / "acme" / "web" / "project.yml").write_text(f"name: '{name}'\n")
    (projects / "acme" / "web" / "plan.yml").write_text(
        f"milestones:\n  - {{id: M1, title: '{name}', baseline: 2026-12-01}}\n")
    (projects / "acme" / "web" / "status.yml").write_text(
        "- {date: 2026-11-20, health: red, summary: '<img src=x onerror=alert(1)> *ok*'}\n")
    build_portfolio(projects, tmp_path / "out", BuildOptions(today=TODAY, only=["acme"]))
    feed = atom(tmp_path / "out" / "acme")
    assert feed.entries[0].title == f"{name}: status update 2026-11-20, overall Red"
    assert "onerror" not in feed.entries[0].content[0].value
    (event,) = calendar(tmp_path / "out" / "acme").walk("VEVENT")
    assert str(event["SUMMARY"]) == f"M1 {name} ({name})"


def test_atom_feed_without_history_still_parses(tmp_path: Path) -> None:
    projects = tmp_path / "projects"
    (projects / "acme").mkdir(parents=True)
    (projects / "acme" / "customer.yml").write_text('name: "Acme\\x0b Corp"\n')  # a control character
    customer = load_portfolio(projects).customers[0]
    parsed = feedparser.parse(atom_feed(customer, Changelog((), None, (), False), TODAY))
    assert not parsed.bozo and parsed.entries == []
    assert parsed.feed.updated.startswith("2026-11-30")
    assert parsed.feed.title == "Acme Corp: project updates"


def test_stable_id_depends_only_on_its_parts() -> None:
    assert stable_id("acme", "web", "milestone", "M1") == stable_id("acme", "web", "milestone", "M1")
    assert stable_id("acme", "web", "milestone", "M1") != stable_id("beta", "web", "milestone", "M1")


def test_every_move_of_a_day_raises_the_sequence(tmp_path: Path) -> None:
    """Two moves on one day, then one in the working tree: each is a new SEQUENCE, so calendars update."""
    start = [SCRIPT[0],
             ("2026-10-15T09:00", "Launch slips", {WEB + "plan.yml": PLAN.format(m1="", m2=SLIP_1)}),
             ("2026-10-15T15:00", "Launch slips again",
              {WEB + "plan.yml": PLAN.format(m1="", m2=SLIP_2)})]
    projects = scripted_repo(tmp_path / "repo", start)
    build_portfolio(projects, tmp_path / "one", BuildOptions(today=TODAY, only=["acme"]))
    m2 = events(tmp_path / "one" / "acme")["M2 Launch (Website relaunch)"]
    assert m2.decoded("DTSTART") == date(2027, 1, 10) and int(m2["SEQUENCE"]) == 2
    (projects / WEB / "plan.yml").write_text(
        textwrap.dedent(PLAN.format(m1="", m2="    forecast: 2027-02-01\n")), encoding="utf-8")
    build_portfolio(projects, tmp_path / "two", BuildOptions(today=TODAY, only=["acme"]))
    m2 = events(tmp_path / "two" / "acme")["M2 Launch (Website relaunch)"]
    assert m2.decoded("DTSTART") == date(2027, 2, 1) and int(m2["SEQUENCE"]) == 3


def test_a_moved_due_date_raises_the_sequence(tmp_path: Path) -> None:
    asked = ("2026-11-18T09:00", "Ask", {WEB + "questions.yml": Q2})
    projects = scripted_repo(tmp_path / "repo", [SCRIPT[0], asked])
    (projects / WEB / "questions.yml").write_text(Q2.replace("2026-12-02", "2026-12-09"), encoding="utf-8")
    build_portfolio(projects, tmp_path / "out", BuildOptions(today=TODAY, only=["acme"]))
    (q2,) = [e for e in calendar(tmp_path / "out" / "acme").walk("VEVENT") if "Q-2" in str(e["SUMMARY"])]
    assert q2.decoded("DTSTART") == date(2026, 12, 9) and int(q2["SEQUENCE"]) == 1


def test_calendar_lines_are_folded(builds: tuple[Path, Path, Path]) -> None:
    lines = (builds[0] / "calendar.ics").read_bytes().split(b"\r\n")
    assert all(len(line) <= 75 for line in lines) and any(line.startswith(b" ") for line in lines)
