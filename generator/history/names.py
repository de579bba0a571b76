"""The words of "what changed" as tables: field names, contract values, item types, counts, verdicts.

Tables of marked texts (`N_`), translated where they are shown: the tables
are built at import, before the language of a portal is known. A name or
value the tables do not know is shown as written, with its dashes and
underscores as blanks.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from generator.history.changes import ItemType
from generator.i18n.formats import decimal, short_date
from generator.i18n.languages import SOURCE
from generator.i18n.translate import N_, _, ngettext, speaking

FIELD_NAMES: dict[str, str] = {
    # Translators: a field of the YAML contract as a reader calls it in running text ("changed: due date,
    # budget"); at the start of a line its first letter is capitalized ("Due date: 20.11.2026 → 27.11.2026").
    "due": N_("due date"), "status": N_("status"), "title": N_("title"), "text": N_("text"),
    "name": N_("name"), "id": N_("id"), "summary": N_("summary"), "description": N_("description"),
    "owner": N_("owner"), "assignee": N_("assignee"), "question": N_("question text"),
    "answer": N_("answer"), "mitigation": N_("mitigation"), "context": N_("context"),
    "decision": N_("decision"), "consequences": N_("consequences"), "supersedes": N_("supersedes"),
    "decided_by": N_("decided by"), "decision_note": N_("decision note"), "requested_by": N_("requested by"),
    "depends_on": N_("depends on"), "blocks": N_("blocks"), "slip_reason": N_("slip reason"),
    "visibility": N_("visibility"), "internal": N_("internal"), "content": N_("content"),
    # Translators: a field holding a date (when it was decided, answered, asked...), in running text
    "decided": N_("decided"), "answered": N_("answered"), "requested": N_("requested"), "asked": N_("asked"),
    "date": N_("date"), "baseline": N_("baseline"), "forecast": N_("forecast"), "actual": N_("actual"),
    # Translators: the date a project starts, then the date it ends, in running text
    "start": N_("start"), "end": N_("end"), "cadence_days": N_("cadence days"), "phase": N_("phase"),
    # Translators: a status update's health of its scope, schedule and budget; what was done, what is next
    "health": N_("health"), "scope": N_("scope"), "schedule": N_("schedule"), "budget": N_("budget"),
    "done": N_("done"), "next": N_("next"),
    # Translators: a change request's or a risk's impact: days, cost, milestones moved, how it was estimated
    "impact": N_("impact"), "days": N_("days"), "cost": N_("cost"), "milestones": N_("milestones"),
    "estimate": N_("estimate"), "likelihood": N_("likelihood"),
    # Translators: the amounts of a project's budget: approved, spent, forecast to be spent, its currency
    "approved": N_("approved"), "spent": N_("spent"), "currency": N_("currency"),
    # Translators: a feedback round: its name ("round"), score, scale, responses, "you said" / "we did" texts
    "round": N_("round"), "score": N_("score"), "scale": N_("scale"), "responses": N_("responses"),
    "you_said": N_("you said"), "we_did": N_("we did"),
    # Translators: how the customer reaches the team (a channel: how, and its address)
    "channel": N_("channel"), "how": N_("how"), "url": N_("url"), "feedback_url": N_("feedback url"),
    # Translators: a part of the customer's or project's details (portal address, language, people...)
    "team": N_("team"), "expectations": N_("expectations"), "site_url": N_("site url"),
    "language": N_("language"), "theme": N_("theme"), "contacts": N_("contacts"), "logo": N_("logo"),
    "colour": N_("colour"), "role": N_("role"), "email": N_("email"), "notify": N_("notify"),
    "ask_about": N_("ask about"),
    # Translators: a nested field: the budget's approved amount, the money a change request costs...
    "budget.approved": N_("budget approved"), "budget.spent": N_("budget spent"),
    "budget.forecast": N_("budget forecast"), "budget.currency": N_("budget currency"),
    "impact.days": N_("impact days"), "impact.cost": N_("impact cost"),
    "impact.milestones": N_("impact milestones"), "impact.estimate": N_("impact estimate"),
    "channel.how": N_("channel how"), "channel.url": N_("channel url"),
}
"""Each field by its name in the YAML (dotted for a nested one)."""

VALUES: dict[str, str] = {
    # Translators: a value of the YAML contract in running text ("health green → amber", "status in progress
    # → done"); at the start of a line its first letter is capitalized. Here: a health
    "green": N_("green"), "amber": N_("amber"), "red": N_("red"),
    # Translators: a risk's likelihood or impact, in running text ("rated low/high")
    "low": N_("low"), "medium": N_("medium"), "high": N_("high"),
    # Translators: a project's phase, in running text ("phase design → build")
    "discovery": N_("discovery"), "design": N_("design"), "build": N_("build"), "test": N_("test"),
    "launch": N_("launch"), "support": N_("support"),
    # Translators: a status (of a milestone, decision, question, change request, risk, expectation, or a
    # project's phase "closed"), in running text ("status open → answered")
    "open": N_("open"), "closed": N_("closed"), "done": N_("done"), "on-track": N_("on track"),
    "at-risk": N_("at risk"), "met": N_("met"), "missed": N_("missed"), "planned": N_("planned"),
    "in-progress": N_("in progress"), "cancelled": N_("cancelled"), "proposed": N_("proposed"),
    "accepted": N_("accepted"), "rejected": N_("rejected"), "superseded": N_("superseded"),
    "answered": N_("answered"), "under-review": N_("under review"), "approved": N_("approved"),
    "withdrawn": N_("withdrawn"),
    # Translators: how an impact was estimated: a rough ("gut") estimate, or after discovery
    "gut": N_("gut"),
    # Translators: who owns an item (the customer or the vendor), and an item seen by the team only
    "customer": N_("customer"), "vendor": N_("vendor"), "internal": N_("internal"),
    # Translators: what a person is sent by email: the digest of news, reminders of what they owe
    "digest": N_("digest"), "reminders": N_("reminders"),
}
"""Each contract value (`model.Health`, the statuses, `Phase`, `Level`...) by its code."""

COUNTED: dict[str, Callable[[int], str]] = {
    "projects": lambda n: ngettext("%(num)s project", "%(num)s projects", n),
    "pages": lambda n: ngettext("%(num)s page", "%(num)s pages", n),
    "updates": lambda n: ngettext("%(num)s status update", "%(num)s status updates", n),
    "milestones": lambda n: ngettext("%(num)s milestone", "%(num)s milestones", n),
    "decisions": lambda n: ngettext("%(num)s decision", "%(num)s decisions", n),
    "questions": lambda n: ngettext("%(num)s question", "%(num)s questions", n),
    "changes": lambda n: ngettext("%(num)s change request", "%(num)s change requests", n),
    "risks": lambda n: ngettext("%(num)s risk", "%(num)s risks", n),
    "expectations": lambda n: ngettext("%(num)s expectation", "%(num)s expectations", n),
    "feedback": lambda n: ngettext("%(num)s feedback round", "%(num)s feedback rounds", n),
}
"""How many items of a kind, in the reader's plural rules (`Change.counts` names the kind)."""

LABELS: dict[ItemType, str] = {
    "portal": N_("portal"), "customer": N_("customer details"), "page": N_("page"), "project": N_("project"),
    "update": N_("status update"), "milestone": N_("milestone"), "decision": N_("decision"),
    "question": N_("question"), "change": N_("change request"), "risk": N_("risk"),
    "expectation": N_("expectation"), "feedback": N_("feedback round"),
}
"""Each item type as a reader calls it, in running text (translated where shown)."""

DIMENSIONS = {"scope": N_("Scope health %(old)s → %(new)s"),
              "schedule": N_("Schedule health %(old)s → %(new)s"),
              "budget": N_("Budget health %(old)s → %(new)s")}
"""A status update's health of one dimension, from its old to its new value."""

# Translators: a change request decided: (approved?, on a date?, by someone?) -> what happened.
DECIDED = {
    (True, True, True): N_("approved on %(date)s by %(who)s"),
    (True, True, False): N_("approved on %(date)s"),
    (True, False, True): N_("approved by %(who)s"),
    (True, False, False): N_("approved"),
    (False, True, True): N_("rejected on %(date)s by %(who)s"),
    (False, True, False): N_("rejected on %(date)s"),
    (False, False, True): N_("rejected by %(who)s"),
    (False, False, False): N_("rejected"),
}
"""compare.py records a change request as decided only when it was approved or rejected."""


def upper_first(text: str) -> str:
    """'in progress' -> 'In progress' (the rest as the translation wrote it: 'Fälligkeitsdatum')."""
    return text[:1].upper() + text[1:]


def field_name(name: str) -> str:
    """'due' -> 'due date', 'budget.spent' -> 'budget spent', in the current language."""
    if name in FIELD_NAMES:
        return _(FIELD_NAMES[name])
    return " ".join(_(FIELD_NAMES[part]) if part in FIELD_NAMES else part.replace("_", " ")
                    for part in name.split("."))


def value_word(code: str | None) -> str:
    """'in-progress' -> 'in progress' in the current language; None -> '—'."""
    if code is None:
        return "—"
    return _(VALUES[code]) if code in VALUES else code.replace("-", " ")


class Said(str):
    """A message to show later, maybe in another language: its English text (what the terminal, logs
    and tests read), and its msgid and values to say it again where it is shown (`say`).

    Kept on disk with the history walk as msgid and values only, never as words.
    """

    msgid: str
    values: dict[str, str | int | date]

    def __new__(cls, msgid: str, **values: str | int | date) -> Said:
        with speaking(SOURCE):
            said = super().__new__(cls, msgid % _shown(values))
        said.msgid, said.values = msgid, values
        return said

    def __reduce__(self) -> tuple[Any, ...]:
        return _said, (self.msgid, self.values)

    def again(self) -> str:
        """The message in the current language."""
        return _(self.msgid) % _shown(self.values)


def _said(msgid: str, values: dict[str, str | int | date]) -> Said:
    return Said(msgid, **values)


def _shown(values: dict[str, str | int | date]) -> dict[str, str]:
    """Dates and numbers in the current language's form."""
    return {k: short_date(v) if isinstance(v, date) else decimal(v) if isinstance(v, int) else v
            for k, v in values.items()}


def say(text: str) -> str:
    """A message in the current language when it is `Said`, else as written (git's own words)."""
    return text.again() if isinstance(text, Said) else text
