"""A customer's History -> the "What changed" pages' data: days, entries and worded lines.

Plain data for templates and feeds: each change gets a headline of plain
text (`ChangeLine.what`) that templates escape like any value, every changed
field with its old and new value (`fields`), and where it can be seen today
(`link`, only for items still in the portal). Within a commit the news a
customer acts on comes first (`wording.importance`); the portal's first state is
bookkeeping, not news, and is left out. Commit
details exist only in a team view (`EntryView.commit` is None otherwise), and
never the commit message, so no template can show one.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from generator.history.changes import Change
from generator.history.names import say
from generator.history.walk import History
from generator.history.wording import OTHER, FieldWords, describe, fields_of, importance, short_title
from generator.i18n.formats import short_date
from generator.i18n.translate import N_, _
from generator.portfolio.model import Customer

SECTIONS: dict[str, str] = {
    "portal": N_("Portal"), "customer": N_("Customer details"), "page": N_("Page"), "project": N_("Project"),
    "update": N_("Status update"), "milestone": N_("Milestone"), "decision": N_("Decision"),
    "question": N_("Question"), "change": N_("Change request"), "risk": N_("Risk"),
    "expectation": N_("Expectation"), "feedback": N_("Feedback round"),
}
"""Each item type as a reader calls it, starting a line (translated where shown)."""

PAGES: dict[str, str] = {
    "project": "index.md", "update": "status.md", "milestone": "plan.md", "decision": "decisions.md",
    "question": "questions.md", "change": "changes.md", "risk": "risks.md", "expectation": "risks.md",
    "feedback": "feedback.md",
}
"""The project page showing each item type today."""

MARKDOWN_TITLES = frozenset({"update", "question", "expectation"})
"""Item types whose `Change.title` is an (md) field: questions, update summaries, expectations."""

NEWS_LINES = 2
"""How many of a project's latest changes the home page's "What changed" card names."""

@dataclass(frozen=True)
class ChangeLine:
    """One change in words."""

    change: Change
    section: str
    """What kind of item: 'Milestone', 'Status update'."""
    title: str
    """The item's own words (Markdown when `title_md`), '' when the line needs none."""
    title_md: bool
    what: str
    """What happened, in plain words: 'forecast moved from 2026-12-01 to 2026-12-15 (+14 days)'."""
    fields: tuple[FieldWords, ...]
    """Each changed field of an edit with its old and new value."""
    note: str | None
    """Markdown carried along: slip reason, answer, decision note."""
    link: str | None
    """Where the item is now, relative to the portal root ('web/plan.md#m2'); None when it is gone."""

    @property
    def project(self) -> str | None:
        """The project slug, None for customer-wide changes."""
        return self.change.project

    @property
    def shown_id(self) -> str | None:
        """The item's id as a reader reads it, in the current language: a status update's date in local
        form ('19.11.2026'), any other id as written; `change.item_id` stays the key of links."""
        c = self.change
        if c.item_type == "update" and c.item_id:
            return short_date(date.fromisoformat(c.item_id))
        return c.item_id


@dataclass(frozen=True)
class CommitInfo:
    """TEAM ONLY: the commit behind an entry, to look it up in git.

    Not its subject: a commit message may name other customers, which no
    portal may contain (the leak guard checks the team's build for them too).
    """

    sha: str
    """Abbreviated."""
    author: str


@dataclass(frozen=True)
class EntryView:
    """The visible changes of one commit."""

    lines: tuple[ChangeLine, ...]
    commit: CommitInfo | None
    """Only in a team view."""
    key: str
    """Stable identity of the entry (the full commit id), for feed ids; never shown."""


@dataclass(frozen=True)
class DayView:
    """Every entry committed on one day, newest first."""

    day: date
    entries: tuple[EntryView, ...]

    @property
    def lines(self) -> tuple[ChangeLine, ...]:
        """The day's changes, newest commit first."""
        return tuple(line for entry in self.entries for line in entry.lines)


@dataclass(frozen=True)
class Changelog:
    """What a "What changed" page shows."""

    days: tuple[DayView, ...]
    """Newest first."""
    note: str | None
    """Why there is no history (not in git), shown instead."""
    warnings: tuple[str, ...]
    """Skipped states and missing history: for the team only, empty in a customer view."""
    team: bool

    @property
    def count(self) -> int:
        """How many changes are listed."""
        return sum(len(day.lines) for day in self.days)


def _title(c: Change) -> str:
    """The item's own words where they help, up to its first list or blank line (a question's
    options are detail); not for health lines, nor where the section says it."""
    if c.kind in ("started", "ended") or c.item_type in ("customer", "project", "page", "update"):
        return ""
    return short_title(c.title)


def _note(c: Change) -> str | None:
    """Markdown worth reading with the line: slip reason, answer, decision note, an update's summary."""
    if c.kind in ("forecast-moved", "answered", "decided"):
        return c.note
    if c.item_type == "update" and c.kind == "published":
        return c.title or None
    return None


Present = set[tuple[str | None, str, str | None]]


@dataclass(frozen=True)
class Linker:
    """How pages name items: the portal's anchor rule and content folder (render.anchor, ABOUT_DIR)."""

    anchor: Callable[[str], str]
    about_dir: str
    present: Present
    """(project, item type, id) of every item the portal shows now: only those are linked."""

    def link(self, c: Change) -> str | None:
        """Where the changed item is now, relative to the portal root; None when it is gone."""
        if c.kind in ("removed", "ended"):
            return None
        return self.item(c.project, c.item_type, c.item_id)

    def item(self, project: str | None, item_type: str, item_id: str | None) -> str | None:
        """The page (and anchor) showing an item now, relative to the portal root; None when it is gone."""
        if (project, item_type, item_id) not in self.present:
            return None
        if item_type == "page":
            return f"{self.about_dir}/{item_id}"
        page = PAGES.get(item_type)
        if page is None or project is None:
            return None
        if item_id is None:
            return f"{project}/{page}"
        anchor = f"update-{item_id}" if item_type == "update" else self.anchor(item_id)
        return f"{project}/{page}#{anchor}"


def present_items(customer: Customer) -> Present:
    """(project, item type, id) of every item the portal shows now, to link only what exists."""
    found: Present = {(None, "page", p.name) for p in customer.pages}
    for p in customer.projects:
        found.add((p.slug, "project", None))
        found.update((p.slug, "update", u.date.isoformat()) for u in p.updates)
        found.update((p.slug, "milestone", m.id) for m in p.milestones)
        found.update((p.slug, "decision", d.id) for d in p.decisions)
        found.update((p.slug, "question", q.id) for q in p.questions)
        found.update((p.slug, "change", c.id) for c in p.changes)
        found.update((p.slug, "risk", r.id) for r in p.risks)
        found.update((p.slug, "expectation", e.id) for e in p.info.expectations)
        found.update((p.slug, "feedback", f.id) for f in p.feedback)
    return found


def line_for(c: Change, linker: Linker) -> ChangeLine:
    """One change worded (in the current language) and linked."""
    return ChangeLine(change=c, section=_(SECTIONS[c.item_type]), title=_title(c),
                      title_md=c.item_type in MARKDOWN_TITLES, what=describe(c), fields=fields_of(c),
                      note=_note(c), link=linker.link(c))


def build_changelog(history: History, linker: Linker, project: str | None = None) -> Changelog:
    """The page data of `history`, in the current language: for the whole portal, or only one project's
    changes."""
    team = history.audience == "team"
    days: dict[date, list[EntryView]] = {}
    for entry in history.entries:
        changes = sorted((c for c in entry.changes if c.kind != "started"
                          and (project is None or c.project == project)), key=importance)
        if not changes:
            continue
        commit = CommitInfo(entry.sha[:10], entry.author) if team else None
        view = EntryView(tuple(line_for(c, linker) for c in changes), commit, entry.sha)
        days.setdefault(entry.date, []).append(view)
    ordered = tuple(DayView(day, tuple(entries)) for day, entries in sorted(days.items(), reverse=True))
    note = say(history.note) if history.note else None
    return Changelog(ordered, note, tuple(say(w) for w in history.warnings) if team else (), team)


@dataclass(frozen=True)
class News:
    """A project's latest news for a one-line summary: the most important changes of one day."""

    day: date
    lines: tuple[ChangeLine, ...]


def latest_news(changelog: Changelog, project: str) -> News | None:
    """The project's newest changes a customer acts on (health, forecasts, questions, change requests),
    else its newest changes of any kind; None without history."""
    newest: News | None = None
    for day in changelog.days:
        for entry in day.entries:
            lines = sorted((line for line in entry.lines if line.project == project),
                           key=lambda line: importance(line.change))
            if newest is None and lines:
                newest = News(day.day, tuple(lines[:NEWS_LINES]))
            news = tuple(line for line in lines if importance(line.change) < OTHER)
            if news:
                return News(day.day, news[:NEWS_LINES])
    return newest


def milestone_titles(history: History, project: str) -> dict[str, str]:
    """The latest title history shows for each milestone of a project, for milestones no longer planned."""
    titles: dict[str, str] = {}
    for entry in reversed(history.entries):
        for c in entry.changes:
            if c.project == project and c.item_type == "milestone" and c.item_id and c.title:
                titles[c.item_id] = c.title
    return titles

