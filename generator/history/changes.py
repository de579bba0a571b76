"""The vocabulary of "what changed": typed change records and their order (wording.py words them).

Records are plain data so a template only loops and formats; compare.py
computes them, walk.py groups them by commit. Kinds (`Change.kind`) by
item type (`Change.item_type`), and the fields each one fills:

- portal: started (the customer's first state; `counts` summarises it instead
  of one line per item), ended (the customer folder was removed)
- customer (customer.yml): edited; page (content/*.md): added, removed, edited
- project: added (`counts`), removed, edited, phase-changed (`old`/`new`)
- update: published (`item_id` = date, `new` = health), removed, edited;
  health-changed and dimension-changed compare the newest update before and
  after (`old`/`new`; `fields` names the dimension)
- milestone: added, removed, edited, forecast-moved (`old`/`new` dates, signed
  `days`, `note` = slip reason), done (`when` = actual), status-changed
- decision: added (`ref` = the id it supersedes), removed, edited,
  status-changed (`ref` = the id superseding it)
- question: opened (`due`), removed, edited, answered (`when`, `note` = answer),
  reopened (answered/closed -> open), closed
- change (request): opened, removed, edited, decided (`new` = approved or
  rejected, `when`, `by`, `note` = decision note, `days` = schedule impact),
  status-changed
- risk: opened, removed, edited, closed, reopened, rerated (`old`/`new` as
  likelihood/impact, `details` per field)
- expectation: added, removed, edited, status-changed
- feedback: added, removed, edited

"edited" always names the changed fields (`fields`, dotted for nested values)
with their old and new text (`details`); only fields the audience can see.

Records hold values, never words: the walk that makes them is kept on disk and
shared by every language, so wording.py words them when a page is written, in
its reader's language (a `FieldValue` knows whether it is a date, a number, a
contract value...).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal

from generator.portfolio.model import Customer

ItemType = Literal["portal", "customer", "page", "project", "update", "milestone", "decision",
                   "question", "change", "risk", "expectation", "feedback"]
ChangeKind = Literal["started", "ended", "added", "removed", "edited", "published", "opened",
                     "phase-changed", "health-changed", "dimension-changed", "forecast-moved", "done",
                     "status-changed", "answered", "reopened", "closed", "decided", "rerated"]

ITEM_ORDER: tuple[ItemType, ...] = ("portal", "customer", "page", "project", "update", "milestone",
                                    "decision", "question", "change", "risk", "expectation", "feedback")
"""Sections of a project in reading order; changes are listed in this order."""
KIND_ORDER: tuple[ChangeKind, ...] = ("started", "ended", "added", "published", "opened", "removed",
                                      "phase-changed", "health-changed", "dimension-changed",
                                      "forecast-moved", "done", "answered", "decided", "closed",
                                      "reopened", "rerated", "status-changed", "edited")


ValueKind = Literal["text", "date", "number", "money", "code", "list", "record"]
"""What a field's value is: the reader sees a date or number in local form, a code as a word."""


class FieldValue(str):
    """A field's value as canonical text (dates ISO, numbers without `.0`, lists joined with '; ',
    a record as 'name value, …'), knowing its kind and parts so wording can show it in the reader's
    form. It compares, hashes and serialises as its text."""

    kind: ValueKind
    parts: tuple[tuple[str, FieldValue], ...]
    """A record's (field name, value) or a list's ('', value) pairs; () otherwise."""
    currency: str
    """Of an amount of money: the project's."""

    def __new__(cls, text: str, kind: ValueKind = "text",
                parts: tuple[tuple[str, FieldValue], ...] = (), currency: str = "") -> FieldValue:
        value = super().__new__(cls, text)
        value.kind, value.parts, value.currency = kind, parts, currency
        return value


@dataclass(frozen=True)
class FieldChange:
    """One field's value before and after (lists joined with '; ')."""

    field: str
    """Dotted for nested values, e.g. `budget.spent`, `impact.days`."""
    old: str | None
    """A `FieldValue` when compare.py made it; plain text is shown as written."""
    new: str | None
    markdown: bool = False
    """The field is (md) text, to be rendered rather than shown as written."""


@dataclass(frozen=True)
class Change:
    """One thing a reader of the portal would see changed, typed so templates only format."""

    kind: ChangeKind
    item_type: ItemType
    customer: str
    """Customer slug."""
    project: str | None = None
    """Project slug; None for portal, customer and page changes."""
    project_name: str | None = None
    item_id: str | None = None
    """Milestone/decision/... id; an update's date; a page's file name."""
    title: str = ""
    """The item's own words: title, question, expectation text, update summary (may be Markdown)."""
    old: str | None = None
    """Previous value of what changed, as its code: a status or health ('in-progress'), a forecast
    date (ISO), a risk rating ('low/high', likelihood/impact); the change's kind says which."""
    new: str | None = None
    days: int | None = None
    """Signed days: a forecast move (+ = later), a decided change request's schedule impact."""
    when: date | None = None
    """The date the item itself records: update date, actual, answered, decided."""
    due: date | None = None
    """When an answer is due (questions)."""
    by: str | None = None
    """Who decided (change requests, decisions)."""
    note: str | None = None
    """Markdown carried along: slip reason, answer, decision note."""
    ref: str | None = None
    """A related item id: the decision superseded, or superseding."""
    fields: tuple[str, ...] = ()
    """Names of the fields that changed (visible to the audience only)."""
    details: tuple[FieldChange, ...] = ()
    """Old and new value of each changed field, for edits and re-ratings."""
    counts: tuple[tuple[str, int], ...] = ()
    """How many items of each kind, for a portal that started or a project that was added."""


@dataclass(frozen=True)
class State:
    """What an audience sees of one customer at one point: the filtered model and its pages."""

    customer: Customer
    pages: dict[str, str] = field(default_factory=dict)
    """Page file name -> content hash (pages carry no visibility of their own)."""


def _natural(text: str | None) -> tuple[tuple[int, int, str], ...]:
    """Sort key putting M2 before M10."""
    parts = re.split(r"(\d+)", text or "")
    return tuple((1, int(p), "") if p.isdigit() else (0, 0, p) for p in parts)


def sort_key(change: Change) -> tuple[Any, ...]:
    """Deterministic reading order: customer-wide first, then per project, section, id, kind."""
    return (change.customer, change.project is not None, change.project or "",
            ITEM_ORDER.index(change.item_type), _natural(change.item_id),
            KIND_ORDER.index(change.kind), change.fields)

