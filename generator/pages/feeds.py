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
from generator.i18n.formats import short_date
from generator.i18n.translate import N_, _, current, ngettext
from generator.pages.filters import delta_days, label
from generator.pages.markup import md_block
from generator.portfolio.model import Customer, Milestone, Project, Question, Side

FEED_FILE = "feed.xml"
CALENDAR_FILE = "calendar.ics"
LABELS_IN_TITLE = 3
FEED_ENTRIES = 100
"""The newest entries kept in the Atom feed; the portal's pages keep everything."""
ATOM = "http://www.w3.org/2005/Atom"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
"""The feed's language: the customer's (`xml:lang`), so a reader knows which language it reads."""
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
                # Translators: an entry of the portal's feed; %(health)s is Green, Amber or Red.
                title=_("%(project)s: status update %(date)s, overall %(health)s") % {
                    "project": project.info.name, "date": short_date(update.date),
                    "health": label(update.health)},
                updated=max(update.date, edited.get((project.slug, day), update.date)),
                page=f"{project.slug}/status.md#update-{day}",
                content=str(md_block(update.summary)), content_type="html")


def _line_text(line: ChangeLine) -> str:
    where = f"{line.change.project_name}: " if line.change.project_name else ""
    title = f" {line.title}" if line.title else ""
    item = f" {line.shown_id}" if line.change.item_id and line.change.item_type != "page" else ""
    note = f" ({' '.join(line.note.split())})" if line.note else ""
    details = f" ({plain_details(line.fields)})" if line.fields else ""
    return f"{where}{line.section}{item}{title}: {line.what}{details}{note}"


def _label(line: ChangeLine) -> str:
    """'Milestone M2', 'Status update 2026-11-19', 'Portal'."""
    item = line.shown_id
    return f"{line.section} {item}" if item else line.section


def _change_title(day: date, lines: tuple[ChangeLine, ...]) -> str:
    """'2 changes on 2026-11-26 in Website relaunch: Milestone M1, Milestone M2'."""
    projects = sorted({line.change.project_name for line in lines if line.change.project_name})
    labels = list(dict.fromkeys(_label(line) for line in lines))
    shown = ", ".join(labels[:LABELS_IN_TITLE])
    if len(labels) > LABELS_IN_TITLE:
        # Translators: the end of a list of changed items cut short in a feed entry's title.
        shown = _("%(items)s and more") % {"items": shown}
    words = {"num": len(lines), "day": short_date(day), "projects": ", ".join(projects), "items": shown}
    if projects:
        # Translators: a feed entry's title: how many changes one publish made, where, and to what.
        return ngettext("%(num)s change on %(day)s in %(projects)s: %(items)s",
                        "%(num)s changes on %(day)s in %(projects)s: %(items)s", len(lines)) % words
    return ngettext("%(num)s change on %(day)s: %(items)s",
                    "%(num)s changes on %(day)s: %(items)s", len(lines)) % words


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
    feed = ET.Element(f"{{{ATOM}}}feed", {XML_LANG: current()})
    _text(feed, "id", f"urn:uuid:{stable_id(customer.slug, 'feed')}")
    # Translators: the title of the portal's Atom feed.
    _text(feed, "title", _("%(customer)s: project updates") % {"customer": customer.info.name})
    _text(feed, "updated", _stamp(max((e.updated for e in entries), default=today)))
    author = ET.SubElement(feed, f"{{{ATOM}}}author")
    # Translators: who writes the portal's feed.
    _text(author, "name", _("Project team"))
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
    language = {"LANGUAGE": current()}
    event.add("summary", _CONTROL.sub("", summary), parameters=language)
    event.add("description", _CONTROL.sub("", description), parameters=language)
    event.add("status", status)
    event.add("sequence", sequence)
    event.add("transp", "TRANSPARENT")
    if url:
        event.add("url", url)
    return event


def _url(site_url: str | None, path: str | None) -> str | None:
    return _href(site_url, path) if site_url and path else None


MILESTONE_SUMMARIES = {
    # Translators: a calendar event of a milestone reached; %(id)s %(title)s is the milestone.
    "done": N_("Done: %(id)s %(title)s (%(project)s)"),
    # Translators: a calendar event of a milestone cancelled; %(id)s %(title)s is the milestone.
    "cancelled": N_("Cancelled: %(id)s %(title)s (%(project)s)"),
}
"""A milestone event's title by status; any other status shows the milestone alone."""

ANSWERS: dict[tuple[Side, bool], str] = {
    # Translators: which side must answer an open question (in its calendar event).
    ("customer", False): N_("Customer to answer."),
    # Translators: which side must answer an open question (in its calendar event).
    ("vendor", False): N_("Vendor to answer."),
    # Translators: which side must answer an open question; %(who)s names the person.
    ("customer", True): N_("Customer to answer (%(who)s)."),
    # Translators: which side must answer an open question; %(who)s names the person.
    ("vendor", True): N_("Vendor to answer (%(who)s)."),
}
"""Who answers a question, by side and whether a person is named, in its calendar event."""


def _milestone_event(customer: Customer, project: Project, m: Milestone, when: date, stamp: date,
                     sequence: int, url: str | None) -> icalendar.Event:
    words = {"id": m.id, "title": m.title, "project": project.info.name, "baseline": short_date(m.baseline),
             "expected": short_date(m.expected), "slip": delta_days((m.expected - m.baseline).days),
             "status": label(m.status), "owner": label(m.owner)}
    marked = MILESTONE_SUMMARIES.get(m.status)
    summary = _(marked) % words if marked else f"{m.id} {m.title} ({project.info.name})"
    # Translators: the first line of a milestone's description in the portal's calendar.
    facts = [_("Milestone of %(project)s.") % words,
             (_("Baseline %(baseline)s, expected %(expected)s (%(slip)s).") if m.expected != m.baseline
              else _("Baseline %(baseline)s, expected %(expected)s.")) % words]
    if m.actual:
        facts.append(_("Done on %(date)s.") % {"date": short_date(m.actual)})
    facts.append(_("Status: %(status)s.") % words)
    if m.owner:
        # Translators: the side that must act on a milestone: Customer or Vendor.
        facts.append(_("Owner: %(owner)s.") % words)
    if m.slip_reason:
        facts.append(_("Slip reason: %(reason)s") % {"reason": m.slip_reason})
    return _event(stable_id(customer.slug, project.slug, "milestone", m.id), when,
                  summary, "\n".join(facts), stamp,
                  status="CANCELLED" if m.status == "cancelled" else "CONFIRMED", sequence=sequence, url=url)


def _question_event(customer: Customer, project: Project, q: Question, due: date, stamp: date,
                    sequence: int, url: str | None) -> icalendar.Event:
    words = {"id": q.id, "question": " ".join(q.question.split()), "project": project.info.name,
             "date": short_date(q.asked), "who": q.assignee, "ids": ", ".join(q.blocks)}
    who = _(ANSWERS[q.owner, bool(q.assignee)]) % words
    # Translators: the first line of an open question's description in the portal's calendar.
    facts = [_("Question of %(project)s, asked %(date)s.") % words, who, q.question]
    if q.blocks:
        blocks = ngettext("Blocks milestone %(ids)s.", "Blocks milestones %(ids)s.", len(q.blocks))
        facts.append(blocks % words)
    return _event(stable_id(customer.slug, project.slug, "question", q.id), due,
                  # Translators: a calendar event on the day an open question must be answered.
                  _("Answer due: %(id)s %(question)s (%(project)s)") % words,
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
    # Translators: the name of the portal's calendar.
    name = _CONTROL.sub("", _("%(customer)s: milestones and due dates") % {"customer": customer.info.name})
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
