"""A portal's feeds: Atom for status updates and changes, iCalendar for milestones and due dates.

Both are built only from what the portal itself shows (the audience-filtered
customer and its Changelog), so nothing internal can reach them. Every entry
and event carries an id derived from customer, project and item alone
(`stable_id`), so a feed reader or calendar updates what it has instead of
adding a duplicate, whatever the build date, version or address.
"""

from __future__ import annotations

import re
import uuid
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from urllib.parse import urljoin

import icalendar

from generator.history.changelog import ChangeLine, Changelog, Linker
from generator.history.events import EventMoves, event_days
from generator.history.wording import plain_details
from generator.pages.markup import md_block
from generator.portfolio.model import Customer, Milestone, Project, Question

FEED_FILE = "feed.xml"
CALENDAR_FILE = "calendar.ics"
LABELS_IN_TITLE = 3
FEED_ENTRIES = 100
"""The newest entries kept in the Atom feed; the portal's pages keep everything."""
ATOM = "http://www.w3.org/2005/Atom"
PRODID = "-//Transparency Portal//portal//EN"
XML_DECLARATION = b"<?xml version='1.0' encoding='utf-8'?>\n"
"""What ET.tostring(encoding="utf-8", xml_declaration=True) starts with."""
NAMESPACE = uuid.UUID("6b3f0b6e-2c1e-5d7a-9a43-7f1c1f4b8a10")
"""Fixed forever: changing it would change every feed id and duplicate every entry in readers."""


def stable_id(*parts: str) -> str:
    """A UUID that depends only on `parts` (customer, project, item kind, item id)."""
    return str(uuid.uuid5(NAMESPACE, "/".join(parts)))


def _stamp(day: date) -> str:
    """RFC 3339 at midnight UTC: the model knows days, not times."""
    return f"{day.isoformat()}T00:00:00Z"


@dataclass(frozen=True)
class _Entry:
    id: str
    title: str
    updated: date
    page: str
    """The page it links to, relative to the portal root (made a URL only for the entries kept)."""
    content: str
    content_type: str


def _href(site_url: str | None, path: str) -> str:
    """A link to a built page: absolute when the portal's address is known, else relative to the feed."""
    page, hash_, fragment = path.partition("#")
    if page.endswith(".md"):
        page = page[: -len(".md")] + ".html"
    target = page + hash_ + fragment
    return urljoin(site_url if site_url.endswith("/") else site_url + "/", target) if site_url else target


def _update_entries(customer: Customer, changelog: Changelog) -> Iterator[_Entry]:
    """One entry per status update; one edited later counts as updated on the day of its last edit."""
    edited: dict[tuple[str | None, str | None], date] = {}
    for log_day in reversed(changelog.days):
        for line in log_day.lines:
            if line.change.item_type == "update" and line.change.kind == "edited":
                edited[(line.change.project, line.change.item_id)] = log_day.day
    for project in customer.projects:
        for update in project.updates:
            day = update.date.isoformat()
            yield _Entry(
                id=stable_id(customer.slug, project.slug, "update", day),
                title=f"{project.info.name}: status update {day}, overall {update.health.capitalize()}",
                updated=max(update.date, edited.get((project.slug, day), update.date)),
                page=f"{project.slug}/status.md#update-{day}",
                content=str(md_block(update.summary)), content_type="html")


def _line_text(line: ChangeLine) -> str:
    where = f"{line.change.project_name}: " if line.change.project_name else ""
    title = f" {line.title}" if line.title else ""
    item = f" {line.change.item_id}" if line.change.item_id and line.change.item_type != "page" else ""
    note = f" ({' '.join(line.note.split())})" if line.note else ""
    details = f" ({plain_details(line.fields)})" if line.fields else ""
    return f"{where}{line.section}{item}{title}: {line.what}{details}{note}"


def _label(line: ChangeLine) -> str:
    """'Milestone M2', 'Status update 2026-11-19', 'Portal'."""
    item = line.change.item_id
    return f"{line.section} {item}" if item else line.section


def _change_title(day: date, lines: tuple[ChangeLine, ...]) -> str:
    """'2 changes on 2026-11-26 in Website relaunch: Milestone M1, Milestone M2'."""
    projects = sorted({line.change.project_name for line in lines if line.change.project_name})
    labels = list(dict.fromkeys(_label(line) for line in lines))
    shown = ", ".join(labels[:LABELS_IN_TITLE]) + (" and more" if len(labels) > LABELS_IN_TITLE else "")
    where = f" in {', '.join(projects)}" if projects else ""
    return f"{len(lines)} change{'s' * (len(lines) != 1)} on {day}{where}: {shown}"


def _change_entries(customer: Customer, changelog: Changelog) -> Iterator[_Entry]:
    """One entry per commit: its changes, one plain line each."""
    for day in changelog.days:
        for entry in day.entries:
            yield _Entry(
                id=stable_id(customer.slug, "change", entry.key),
                title=_change_title(day.day, entry.lines), updated=day.day,
                page="history.md",
                content="\n".join(_line_text(line) for line in entry.lines), content_type="text")


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")
"""Characters XML 1.0 and iCalendar TEXT cannot carry (YAML can, written as escapes)."""


def _text(parent: ET.Element, tag: str, text: str, **attrs: str) -> ET.Element:
    element = ET.SubElement(parent, f"{{{ATOM}}}{tag}", attrs)
    element.text = _CONTROL.sub("", text)
    return element


def atom_feed(customer: Customer, changelog: Changelog, today: date, site_url: str | None = None) -> bytes:
    """The portal's Atom feed: every status update and every "What changed" entry, newest first."""
    entries = [*_update_entries(customer, changelog), *_change_entries(customer, changelog)]
    entries.sort(key=lambda e: (e.updated, e.id), reverse=True)
    entries = entries[:FEED_ENTRIES]
    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed")
    _text(feed, "id", f"urn:uuid:{stable_id(customer.slug, 'feed')}")
    _text(feed, "title", f"{customer.info.name}: project updates")
    _text(feed, "updated", _stamp(max((e.updated for e in entries), default=today)))
    author = ET.SubElement(feed, f"{{{ATOM}}}author")
    _text(author, "name", "Project team")
    ET.SubElement(feed, f"{{{ATOM}}}link", {"rel": "self", "href": _href(site_url, FEED_FILE)})
    ET.SubElement(feed, f"{{{ATOM}}}link", {"rel": "alternate", "href": _href(site_url, "index.md")})
    for e in entries:
        item = ET.SubElement(feed, f"{{{ATOM}}}entry")
        _text(item, "id", f"urn:uuid:{e.id}")
        _text(item, "title", e.title)
        _text(item, "updated", _stamp(e.updated))
        ET.SubElement(item, f"{{{ATOM}}}link", {"rel": "alternate", "href": _href(site_url, e.page)})
        _text(item, "content", e.content, type=e.content_type)
    ET.indent(feed)
    # Serialized to text and encoded once: ET's own utf-8 output encodes each of thousands of small writes.
    text = ET.tostring(feed, encoding="unicode")
    return XML_DECLARATION + text.encode("utf-8", "xmlcharrefreplace") + b"\n"


def _event(uid: str, start: date, summary: str, description: str, stamp: date, *,
           status: str, sequence: int, url: str | None) -> icalendar.Event:
    event = icalendar.Event()
    event.add("uid", uid)
    event.add("dtstamp", datetime.combine(stamp, time(), UTC))
    event.add("dtstart", start)
    event.add("dtend", start + timedelta(days=1))
    event.add("summary", _CONTROL.sub("", summary))
    event.add("description", _CONTROL.sub("", description))
    event.add("status", status)
    event.add("sequence", sequence)
    event.add("transp", "TRANSPARENT")
    if url:
        event.add("url", url)
    return event


def _url(site_url: str | None, path: str | None) -> str | None:
    return _href(site_url, path) if site_url and path else None


def _milestone_event(customer: Customer, project: Project, m: Milestone, when: date, stamp: date,
                     sequence: int, url: str | None) -> icalendar.Event:
    prefix = {"done": "Done: ", "cancelled": "Cancelled: "}.get(m.status, "")
    slip = (m.expected - m.baseline).days
    facts = [f"Milestone of {project.info.name}.", f"Baseline {m.baseline}, expected {m.expected}"
             + (f" ({slip:+d} days)." if slip else ".")]
    if m.actual:
        facts.append(f"Done on {m.actual}.")
    facts.append(f"Status: {m.status.replace('-', ' ')}." + (f" Owner: {m.owner}." if m.owner else ""))
    if m.slip_reason:
        facts.append(f"Slip reason: {m.slip_reason}")
    return _event(stable_id(customer.slug, project.slug, "milestone", m.id), when,
                  f"{prefix}{m.id} {m.title} ({project.info.name})", "\n".join(facts), stamp,
                  status="CANCELLED" if m.status == "cancelled" else "CONFIRMED", sequence=sequence, url=url)


def _question_event(customer: Customer, project: Project, q: Question, due: date, stamp: date,
                    sequence: int, url: str | None) -> icalendar.Event:
    who = f"{(q.owner or 'someone').capitalize()} to answer" + (f" ({q.assignee})" if q.assignee else "")
    facts = [f"Question of {project.info.name}, asked {q.asked}.", f"{who}.", q.question]
    if q.blocks:
        facts.append(f"Blocks milestone{'s' * (len(q.blocks) != 1)} {', '.join(q.blocks)}.")
    return _event(stable_id(customer.slug, project.slug, "question", q.id), due,
                  f"Answer due: {q.id} {' '.join(q.question.split())} ({project.info.name})",
                  "\n".join(facts), stamp, status="CONFIRMED", sequence=sequence, url=url)


def icalendar_feed(customer: Customer, today: date, linker: Linker,
                   moves: EventMoves | None = None, site_url: str | None = None) -> bytes:
    """The portal's calendar: milestones on their expected (or actual) dates, open questions' due dates.

    Each event's SEQUENCE counts every move of its day, in history and in the
    working tree (`moves`), so a calendar takes a moved date as an update; its
    DTSTAMP is the build date.
    """
    moves = moves or EventMoves()
    days = event_days(customer)
    calendar = icalendar.Calendar()
    name = _CONTROL.sub("", customer.info.name + ": milestones and due dates")
    for prop, value in (("version", "2.0"), ("prodid", PRODID), ("calscale", "GREGORIAN"),
                        ("method", "PUBLISH"), ("x-wr-calname", name)):
        calendar.add(prop, value)
    for project in customer.projects:
        for m in project.milestones:
            key = (project.slug, "milestone", m.id)
            calendar.add_component(_milestone_event(
                customer, project, m, days[key], today, moves.sequence(key, days[key]),
                _url(site_url, linker.item(project.slug, "milestone", m.id))))
        for q in project.questions:
            key = (project.slug, "question", q.id)
            if key in days:
                calendar.add_component(_question_event(
                    customer, project, q, days[key], today, moves.sequence(key, days[key]),
                    _url(site_url, linker.item(project.slug, "question", q.id))))
    return bytes(calendar.to_ical())


def write_feeds(docs_dir: Path, customer: Customer, changelog: Changelog, moves: EventMoves, linker: Linker,
                today: date, site_url: str | None = None) -> None:
    """Write feed.xml and calendar.ics into the portal's docs folder (the site copies them as they are)."""
    (docs_dir / FEED_FILE).write_bytes(atom_feed(customer, changelog, today, site_url))
    (docs_dir / CALENDAR_FILE).write_bytes(
        icalendar_feed(customer, today, linker, moves, site_url))
