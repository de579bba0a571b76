"""A portal's feeds: Atom for status updates and changes, iCalendar for milestones and due dates.

Both are built only from what the portal itself shows (the audience-filtered
customer and its Changelog), so nothing internal can reach them. Every entry
and event carries an id derived from customer, project and item alone
(`stable_id`), so a feed reader or calendar updates what it has instead of
adding a duplicate, whatever the build date, version or address.
"""

from __future__ import annotations

import itertools
import re
import uuid
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import urljoin

from generator.history.changelog import ChangeLine, Changelog, Linker
from generator.history.walk import Trend
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
FOLD_OCTETS = 75
"""RFC 5545 3.1: content lines are folded to at most 75 octets."""


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


def ical_text(value: str) -> str:
    """A TEXT value escaped as RFC 5545 3.3.11 requires."""
    value = _CONTROL.sub("", value.replace("\t", " "))
    return (value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
            .replace("\r\n", "\n").replace("\r", "\n").replace("\n", "\\n"))


def fold(line: str) -> str:
    """One content line folded into CRLF-separated pieces of at most 75 octets (never inside a character)."""
    if line.isascii():  # one octet per character: plain slicing
        rest = [line[i:i + FOLD_OCTETS - 1] for i in range(FOLD_OCTETS, len(line), FOLD_OCTETS - 1)]
        return "\r\n ".join([line[:FOLD_OCTETS], *rest]) + "\r\n"
    pieces: list[str] = []
    current, size, limit = "", 0, FOLD_OCTETS
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > limit:
            pieces.append(current)
            current, size, limit = "", 0, FOLD_OCTETS - 1  # continuation lines start with a space
        current += char
        size += width
    pieces.append(current)
    return "\r\n ".join(pieces) + "\r\n"


def _day(value: date) -> str:
    return value.strftime("%Y%m%d")


def _event(uid: str, start: date, summary: str, description: str, stamp: date, *,
           status: str, sequence: int, url: str | None) -> list[str]:
    lines = ["BEGIN:VEVENT", f"UID:{uid}", f"DTSTAMP:{_day(stamp)}T000000Z",
             f"DTSTART;VALUE=DATE:{_day(start)}", f"DTEND;VALUE=DATE:{_day(start + timedelta(days=1))}",
             f"SUMMARY:{ical_text(summary)}", f"DESCRIPTION:{ical_text(description)}",
             f"STATUS:{status}", f"SEQUENCE:{sequence}", "TRANSP:TRANSPARENT"]
    if url:
        lines.append(f"URL:{url}")
    return [*lines, "END:VEVENT"]


def _url(site_url: str | None, path: str | None) -> str | None:
    return _href(site_url, path) if site_url and path else None


def _milestone_event(customer: Customer, project: Project, m: Milestone, stamp: date, moves: int,
                     url: str | None) -> list[str]:
    when = m.actual if m.status == "done" and m.actual else m.expected
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
                  status="CANCELLED" if m.status == "cancelled" else "CONFIRMED", sequence=moves, url=url)


def _question_event(customer: Customer, project: Project, q: Question, due: date, stamp: date,
                    url: str | None) -> list[str]:
    who = f"{(q.owner or 'someone').capitalize()} to answer" + (f" ({q.assignee})" if q.assignee else "")
    facts = [f"Question of {project.info.name}, asked {q.asked}.", f"{who}.", q.question]
    if q.blocks:
        facts.append(f"Blocks milestone{'s' * (len(q.blocks) != 1)} {', '.join(q.blocks)}.")
    return _event(stable_id(customer.slug, project.slug, "question", q.id), due,
                  f"Answer due: {q.id} {' '.join(q.question.split())} ({project.info.name})",
                  "\n".join(facts), stamp,
                  status="CONFIRMED", sequence=0, url=url)


def icalendar_feed(customer: Customer, today: date, linker: Linker,
                   moves: dict[tuple[str, str], int] | None = None, site_url: str | None = None) -> bytes:
    """The portal's calendar: milestones on their expected (or actual) dates, open questions' due dates.

    `moves` counts how often each (project, milestone) forecast moved: it is
    the event's SEQUENCE, so a calendar takes a moved date as an update.
    """
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:{PRODID}", "CALSCALE:GREGORIAN", "METHOD:PUBLISH",
             f"X-WR-CALNAME:{ical_text(customer.info.name + ': milestones and due dates')}"]
    for project in customer.projects:
        for m in project.milestones:
            lines += _milestone_event(customer, project, m, today, (moves or {}).get((project.slug, m.id), 0),
                                      _url(site_url, linker.item(project.slug, "milestone", m.id)))
        for q in project.questions:
            if q.status == "open" and q.due:
                lines += _question_event(customer, project, q, q.due, today,
                                         _url(site_url, linker.item(project.slug, "question", q.id)))
    lines.append("END:VCALENDAR")
    return "".join(fold(line) for line in lines).encode("utf-8")


def forecast_moves(trend: Trend) -> dict[tuple[str, str], int]:
    """How often each (project, milestone) expected date moved in history."""
    return {(project, mid): sum(1 for a, b in itertools.pairwise(points) if a[1] != b[1])
            for project, milestones in trend.items() for mid, points in milestones.items()}


def write_feeds(docs_dir: Path, customer: Customer, changelog: Changelog, trend: Trend, linker: Linker,
                today: date, site_url: str | None = None) -> None:
    """Write feed.xml and calendar.ics into the portal's docs folder (the site copies them as they are)."""
    (docs_dir / FEED_FILE).write_bytes(atom_feed(customer, changelog, today, site_url))
    (docs_dir / CALENDAR_FILE).write_bytes(
        icalendar_feed(customer, today, linker, forecast_moves(trend), site_url))
