"""One customer's view + what a recipient was last sent -> the message they get now, or none.

The content is the portal's own: "What changed" lines (history.changelog)
since the recipient's last message, what the customer owes (facts.Waiting)
with due dates and what it blocks, the next milestones, and the portal's
address. A recipient's first message summarises where each project stands
instead of listing history. Nothing changed and no reminder due: no message.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from generator.facts.derive import derive_portal
from generator.facts.records import PortalFacts, ProjectFacts, QuestionFacts
from generator.history.changelog import ChangeLine, Linker, line_for, present_items
from generator.history.changes import ChangeKind
from generator.history.walk import History, HistoryEntry
from generator.i18n.translate import _, ngettext
from generator.notify.link import page_link, portal_link
from generator.notify.recipients import Recipient
from generator.notify.reminders import Reminder, reminder_for
from generator.notify.state import Sent
from generator.pages.render import HISTORY, anchor
from generator.portfolio.model import ABOUT_DIR, Customer, StatusUpdate
from generator.private.keys import PortalKey

IMPORTANCE: tuple[ChangeKind, ...] = (
    "health-changed", "dimension-changed", "forecast-moved", "decided", "answered", "done", "published",
    "phase-changed", "opened", "added", "status-changed", "reopened", "closed", "rerated", "removed",
    "ended", "started", "edited")
"""Within a day, a message lists the changes that matter most first."""


@dataclass(frozen=True)
class CustomerView:
    """What every message of one customer is made from (the customer's audience only)."""

    customer: Customer
    """Filtered by visibility.for_audience: no internal item or note."""
    facts: PortalFacts
    history: History
    """Read for the customer, with what is internal now hidden in every past state too."""
    portal: str | None
    """The portal's address (link.portal_link)."""
    channel: str | None
    """The address of the one channel (the first project's `channel.url`): where to ask to stop."""
    linker: Linker


def customer_view(visible: Customer, history: History, today: date, base_url: str | None,
                  key: PortalKey | None = None) -> CustomerView:
    """The shared material of a customer's messages."""
    channel = next((p.info.channel.url for p in visible.projects if p.info.channel and p.info.channel.url),
                   None)
    return CustomerView(visible, derive_portal(visible, today), history, portal_link(visible, base_url, key),
                        channel, Linker(anchor, ABOUT_DIR, present_items(visible)))


@dataclass(frozen=True)
class Owed:
    """An answer the customer owes, or a change request waiting for their decision."""

    project: str
    item_id: str
    text: str
    text_md: bool
    """A question's text is Markdown, a change request's title plain."""
    due: date | None
    blocks: tuple[str, ...]
    """'M2 Launch' for each milestone it holds up."""
    link: str | None
    nearing: Reminder | None
    """How close its due date is, once it is that close: 'Due in 3 days', 'Overdue by 8 days'."""
    reminder: bool
    """A reminder goes out about it in this message."""


@dataclass(frozen=True)
class NextMilestone:
    """A milestone coming up."""

    project: str
    item_id: str
    title: str
    expected: date
    slip_days: int
    link: str | None


@dataclass(frozen=True)
class Standing:
    """Where a project stands: its latest status update (first messages)."""

    project: str
    latest: StatusUpdate | None
    link: str | None


@dataclass(frozen=True)
class ChangedDay:
    """The changes published on one day, most important first."""

    day: date
    lines: tuple[ChangeLine, ...]
    """As the "What changed" page words them, but each `link` a full address (link.page_link)."""


@dataclass(frozen=True)
class Message:
    """What one recipient is told now, and what to record once it is delivered."""

    customer: str
    """The customer's slug."""
    customer_name: str
    recipient: Recipient
    subject: str
    first: bool
    standing: tuple[Standing, ...]
    """First message only."""
    changes: tuple[ChangedDay, ...]
    """Newest day first; empty in a first message or without `digest`."""
    owed: tuple[Owed, ...]
    milestones: tuple[NextMilestone, ...]
    portal: str | None
    history_link: str | None
    channel: str | None
    """Where to ask questions, or to stop these messages (List-Unsubscribe)."""
    record: Sent
    """The state to keep for the recipient once this message is delivered."""

    @property
    def lines(self) -> tuple[ChangeLine, ...]:
        """Every change listed, in the message's order."""
        return tuple(line for day in self.changes for line in day.lines)


def _since(entries: Sequence[HistoryEntry], commit: str | None) -> list[HistoryEntry] | None:
    """The entries after `commit` (newest first); None when `commit` is not in this history any more."""
    shas = [e.sha for e in entries]
    if commit is None:
        return list(entries)
    return list(entries[: shas.index(commit)]) if commit in shas else None


def _days(view: CustomerView, entries: Sequence[HistoryEntry]) -> tuple[ChangedDay, ...]:
    by_day: dict[date, list[ChangeLine]] = {}
    for entry in entries:  # newest first; the sort below is stable, so a day's newer changes lead a tie
        by_day.setdefault(entry.date, []).extend(
            dataclasses.replace(line, link=page_link(view.portal, line.link))
            for line in (line_for(c, view.linker) for c in entry.changes))
    return tuple(ChangedDay(day, tuple(sorted(lines, key=lambda line: IMPORTANCE.index(line.change.kind))))
                 for day, lines in sorted(by_day.items(), reverse=True))


def _owed(view: CustomerView, facts: ProjectFacts, reminders: dict[str, Reminder],
          fresh: set[str]) -> list[Owed]:
    slug, name = facts.project.slug, facts.project.info.name

    def question(q: QuestionFacts) -> Owed:
        r = reminders.get(q.question.id)
        return Owed(name, q.question.id, q.question.question, True, q.question.due,
                    tuple(f"{m.id} {m.title}" for m in q.blocks),
                    page_link(view.portal, view.linker.item(slug, "question", q.question.id)),
                    r, r is not None and r.key in fresh)

    owed = [question(q) for q in facts.waiting.questions]
    owed += [Owed(name, c.change.id, c.change.title, False, None,
                  tuple(f"{m.id} {m.title}" for m in c.milestones),
                  page_link(view.portal, view.linker.item(slug, "change", c.change.id)), None, False)
             for c in facts.waiting.changes]
    return owed


def _reminders(view: CustomerView, today: date, days_before: int) -> dict[tuple[str, str], Reminder]:
    """(project, question id) -> the reminder due today, for every answer the customer owes."""
    return {(f.project.slug, q.question.id): r for f in view.facts.projects for q in f.waiting.questions
            if (r := reminder_for(f.project.slug, q.question, today, days_before))}


def _subject(view: CustomerView, first: bool, changes: int, reminded: list[Reminder]) -> str:
    name = view.customer.info.name
    if first:
        # Translators: an email's subject; %(customer)s is the customer's name.
        return _("%(customer)s: where your projects stand") % {"customer": name}
    # Translators: a clause of an email's subject, after "<customer>: ".
    parts = [ngettext("%(num)s change in your portal", "%(num)s changes in your portal", changes)
             % {"num": changes}] if changes else []
    if reminded:
        parts.append(reminded[0].subject if len(reminded) == 1
                     # Translators: a clause of an email's subject, after "<customer>: ".
                     else ngettext("%(num)s answer is due or overdue", "%(num)s answers are due or overdue",
                                   len(reminded)) % {"num": len(reminded)})
    # Translators: joins two clauses of a subject: "3 changes in your portal, an answer is due today".
    news = _("%(changes)s, %(answers)s") % {"changes": parts[0], "answers": parts[1]} if len(parts) == 2 \
        else parts[0]
    # Translators: an email's subject; %(news)s is one or two clauses such as "3 changes in your portal".
    return _("%(customer)s: %(news)s") % {"customer": name, "news": news}


def compose_message(view: CustomerView, recipient: Recipient, sent: Sent | None, today: date,
                    days_before: int) -> Message | None:
    """The message `recipient` gets now, or None when nothing changed and no reminder is due."""
    entries = view.history.entries
    since = _since(entries, sent.commit) if sent else None
    first = since is None
    all_reminders = _reminders(view, today, days_before)
    owed_now = {f"{f.project.slug}/{q.question.id}/" for f in view.facts.projects
                for q in f.waiting.questions}
    kept = {key for key in (sent.reminded if sent else ()) if any(key.startswith(p) for p in owed_now)}
    fresh = {r.key for r in all_reminders.values() if r.key not in kept} \
        if "reminders" in recipient.kinds else set()
    changes = _days(view, since) if since and "digest" in recipient.kinds else ()
    if not first and not changes and not fresh:
        return None
    owed = [o for f in view.facts.projects
            for o in _owed(view, f, {qid: r for (p, qid), r in all_reminders.items() if p == f.project.slug},
                           fresh)]
    owed.sort(key=lambda o: not o.reminder)  # what this message reminds of comes first
    standing = tuple(Standing(f.project.info.name, f.latest,
                              page_link(view.portal, view.linker.item(f.project.slug, "project", None)))
                     for f in view.facts.projects) if first else ()
    milestones = tuple(
        NextMilestone(f.project.info.name, m.milestone.id, m.milestone.title, m.expected, m.slip_days,
                      page_link(view.portal, view.linker.item(f.project.slug, "milestone", m.milestone.id)))
        for f in view.facts.projects for m in f.next_milestones)
    count = sum(len(day.lines) for day in changes)
    record = Sent(entries[0].sha if entries else (sent.commit if sent else None), tuple(sorted(kept | fresh)))
    reminded = [o.nearing for o in owed if o.reminder and o.nearing]
    return Message(view.customer.slug, view.customer.info.name, recipient,
                   _subject(view, first, count, reminded), first, standing, changes,
                   tuple(owed), tuple(sorted(milestones, key=lambda m: m.expected)), view.portal,
                   page_link(view.portal, HISTORY.filename), view.channel, record)
