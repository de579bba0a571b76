"""Changes in a reader's words: what happened to an item, as plain text for pages and feeds.

No Markdown and no HTML: templates escape these words like any other value,
feeds put them in text elements. Item words the model marks as Markdown
(questions, summaries) stay out of here; templates render them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from generator.history.changes import Change, FieldChange

VALUE_CHARS = 80
"""Old and new values of an edited field are cut to this many characters."""

_COUNTED = {"projects": ("project", "projects"), "pages": ("page", "pages"),
            "updates": ("status update", "status updates"), "milestones": ("milestone", "milestones"),
            "decisions": ("decision", "decisions"), "questions": ("question", "questions"),
            "changes": ("change request", "change requests"), "risks": ("risk", "risks"),
            "expectations": ("expectation", "expectations"),
            "feedback": ("feedback round", "feedback rounds")}


def _word(value: str | None) -> str:
    """'in-progress' -> 'In progress', None -> '—'."""
    return value.replace("-", " ").capitalize() if value else "—"


def _signed(days: int) -> str:
    return f"{days:+d} day{'' if abs(days) == 1 else 's'}".replace("-", "\N{MINUS SIGN}")


def _counted(counts: Iterable[tuple[str, int]]) -> str:
    words = []
    for name, n in counts:
        one, many = _COUNTED.get(name, (name, name))
        words.append(f"{n} {one if n == 1 else many}")
    return ", ".join(words)


def _field(name: str) -> str:
    """'budget.spent' -> 'Budget spent'."""
    return re.sub(r"[._]+", " ", name).strip().capitalize()


def _value(text: str | None) -> str:
    if text is None or text == "":
        return "—"
    flat = " ".join(text.split())
    return flat if len(flat) <= VALUE_CHARS else flat[: VALUE_CHARS - 1] + "…"


def _details(details: Iterable[FieldChange]) -> str:
    return "; ".join(f"{_field(d.field)}: {_value(d.old)} → {_value(d.new)}" for d in details)


def describe(c: Change) -> str:
    """What happened to the item, in plain words for a reader (no Markdown, no HTML)."""
    move = f"{_word(c.old)} → {_word(c.new)}"
    if c.kind == "started":
        return "started with " + (_counted(c.counts) or "nothing yet")
    if c.kind == "health-changed":
        return f"overall health {move}"
    if c.kind == "dimension-changed":
        return f"{c.fields[0] if c.fields else 'health'} health {move}"
    if c.kind == "forecast-moved":
        days = f" ({_signed(c.days)})" if c.days else ""
        return f"forecast moved from {c.old} to {c.new}{days}"
    if c.kind == "edited":
        if c.item_type == "page":
            return "content edited"
        return "edited: " + (_details(c.details) if c.details else ", ".join(_field(f) for f in c.fields))
    if c.kind == "rerated":
        return f"re-rated (likelihood/impact) from {c.old} to {c.new}"
    on = f" on {c.when}" if c.when else ""
    phrases: dict[str, str] = {
        "ended": "closed",
        "added": "added",
        "removed": "removed",
        "opened": "opened",
        "published": f"published, overall health {_word(c.new)}",
        "phase-changed": f"phase {move}",
        "done": f"done{on}",
        "status-changed": f"status {move}",
        "answered": f"answered{on}",
        "reopened": "reopened",
        "closed": "closed",
        "decided": f"{_word(c.new).lower()}{on}" + (f" by {c.by}" if c.by else "")
                   + (f", schedule impact {_signed(c.days)}" if c.days else ""),
    }
    text = phrases[c.kind]
    if c.kind == "added" and c.item_type == "milestone" and c.new:
        text += f", expected {c.new}"
    elif c.kind == "added" and c.item_type == "decision" and c.new:
        text += f" ({_word(c.new).lower()})"
    elif c.kind == "opened" and c.item_type == "risk" and c.new:
        text += f", rated {c.new} (likelihood/impact)"
    if c.counts and c.kind == "added":
        text += f" with {_counted(c.counts)}"
    if c.ref and c.kind == "added":
        text += f", superseding {c.ref}"
    elif c.ref and c.kind == "status-changed":
        text += f" by {c.ref}"
    return text
