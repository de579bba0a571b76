"""Changes in a reader's words: a headline per change, and each changed field with its old and new value.

One wording for every place a change is read: the "What changed" pages (via
changelog.py), the Atom feed and `portal diff` (`plain_details`,
`format_change`). Headlines are plain text that templates escape like any
value. A changed field keeps both values in full; where the values are
longer text, `FieldWords.diff` holds the word-level difference so a reader
sees the words that changed instead of two near-identical paragraphs.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal, NamedTuple

from generator.history.changes import Change, FieldChange, ItemType

WHOLE_VALUE_CHARS = 40
"""Plain values up to this long (dates, statuses, owners) read best whole: old → new."""

LAYOUT_ONLY = "line breaks or spacing changed, the words are the same"

_COUNTED = {"projects": ("project", "projects"), "pages": ("page", "pages"),
            "updates": ("status update", "status updates"), "milestones": ("milestone", "milestones"),
            "decisions": ("decision", "decisions"), "questions": ("question", "questions"),
            "changes": ("change request", "change requests"), "risks": ("risk", "risks"),
            "expectations": ("expectation", "expectations"),
            "feedback": ("feedback round", "feedback rounds")}

LABELS: dict[ItemType, str] = {
    "portal": "portal", "customer": "customer details", "page": "page", "project": "project",
    "update": "status update", "milestone": "milestone", "decision": "decision",
    "question": "question", "change": "change request", "risk": "risk",
    "expectation": "expectation", "feedback": "feedback round",
}
"""Each item type as a reader calls it, in running text."""

_FIELD_NAMES = {"question": "question text", "due": "due date", "forecast": "forecast",
                "decided_by": "decided by", "requested_by": "requested by", "slip_reason": "slip reason",
                "depends_on": "depends on", "blocks": "blocks"}


class Segment(NamedTuple):
    """A run of words of a diff: kept, deleted or inserted."""

    kind: Literal["same", "del", "ins"]
    text: str


@dataclass(frozen=True)
class FieldWords:
    """One changed field, with both values in full."""

    label: str
    """'Due date', 'Budget spent'."""
    old: str | None
    new: str | None
    markdown: bool
    """The values are (md) text: rendered, never shown as raw Markdown."""
    diff: tuple[Segment, ...]
    """The word-level difference when both values are longer text; () shows `old → new` whole."""

    @property
    def layout_only(self) -> bool:
        """A diff whose words are all kept: only line breaks or spacing changed."""
        return bool(self.diff) and all(s.kind == "same" or not s.text.strip() for s in self.diff)


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


def field_label(name: str) -> str:
    """'budget.spent' -> 'Budget spent', 'due' -> 'Due date'."""
    words = " ".join(_FIELD_NAMES.get(part, part.replace("_", " ")) for part in name.split("."))
    return words.capitalize()


_TOKEN = re.compile(r"\s+|\*\*|__|\d+(?:[.,:/-]\d+)*|[^\s*_.,;:!?()\[\]\"]+|.")
"""Numbers and dates whole, words, runs of blanks, punctuation and emphasis marks on their own, so a
sentence that grows keeps its last word and a changed word inside `**…**` stays bold."""


def word_diff(old: str, new: str) -> tuple[Segment, ...]:
    """The words kept, deleted and inserted from `old` to `new` (whitespace kept as written).

    A blank between two changed runs joins them, so a rewritten phrase reads
    as one deletion and one insertion, not word by word interleaved.
    """
    a, b = _TOKEN.findall(old), _TOKEN.findall(new)
    segments: list[Segment] = []
    deleted = inserted = gap = ""

    def flush() -> None:
        nonlocal deleted, inserted
        for kind, text in (("del", deleted), ("ins", inserted)):
            if text:
                segments.append(Segment(kind, text))  # type: ignore[arg-type]
        deleted = inserted = ""

    def keep(text: str) -> None:
        if segments and segments[-1].kind == "same":
            segments[-1] = Segment("same", segments[-1].text + text)
        else:
            segments.append(Segment("same", text))

    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            text = "".join(a[i1:i2])
            if (deleted or inserted) and not text.strip():
                gap += text  # joins the changes around it if another follows
                continue
            flush()
            keep(gap + text)
            gap = ""
        else:
            deleted += gap + "".join(a[i1:i2]) if deleted or i2 > i1 else ""
            inserted += gap + "".join(b[j1:j2]) if inserted or j2 > j1 else ""
            gap = ""
    flush()
    if gap:
        keep(gap)
    return tuple(segments)


def field_words(d: FieldChange) -> FieldWords:
    """A changed field for a reader: the diff of longer texts, else both values whole."""
    longer = d.markdown or max(len(d.old or ""), len(d.new or "")) > WHOLE_VALUE_CHARS
    diff = word_diff(d.old, d.new) if longer and d.old and d.new else ()
    return FieldWords(field_label(d.field), d.old, d.new, d.markdown, diff)


def fields_of(c: Change) -> tuple[FieldWords, ...]:
    """Each changed field of an edit, worded; none for other kinds (their headline says it all)."""
    return tuple(field_words(d) for d in c.details) if c.kind == "edited" else ()


OTHER = 4
"""The importance of changes that are not news a customer acts on."""


def importance(c: Change) -> int:
    """0 first: health, then a forecast moved, an answer wanted, a change request decided, the rest."""
    if c.kind in ("health-changed", "dimension-changed"):
        return 0
    if c.kind == "forecast-moved" or (c.item_type == "milestone" and c.kind in ("done", "status-changed")):
        return 1
    if c.item_type == "question" and (c.kind in ("opened", "answered", "reopened") or "due" in c.fields):
        return 2
    if c.item_type == "change" and c.kind in ("decided", "opened"):
        return 3
    return OTHER


_LIST_LINE = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s", re.MULTILINE)


def short_title(text: str) -> str:
    """An item's own words up to its first list or blank line: a question's options are detail."""
    lead = _LIST_LINE.split(text.strip(), maxsplit=1)[0].split("\n\n", 1)[0].strip()
    return lead.rstrip(":.") or text


def _plain(value: str | None) -> str:
    return " ".join(value.split()) if value else "—"


def plain_field(f: FieldWords) -> str:
    """'Due date: 2026-12-01 → 2026-12-08'; a diff as `[-deleted-]{+inserted+}`, as `git diff --word-diff`."""
    if not f.diff:
        return f"{f.label}: {_plain(f.old)} → {_plain(f.new)}"
    if f.layout_only:
        return f"{f.label}: {LAYOUT_ONLY}"
    marks = {"same": "{}", "del": "[-{}-]", "ins": "{{+{}+}}"}
    return f"{f.label}: " + " ".join("".join(marks[s.kind].format(s.text) for s in f.diff).split())


def plain_details(fields: Iterable[FieldWords]) -> str:
    """Every changed field on one line of plain text, for the feed and the terminal."""
    return "; ".join(plain_field(f) for f in fields)


def describe(c: Change) -> str:
    """The headline of a change, in plain words (no Markdown, no HTML); `fields_of` adds the values."""
    move = f"{_word(c.old)} → {_word(c.new)}"
    if c.kind == "started":
        return "new portal with " + (_counted(c.counts) or "nothing yet")
    if c.kind == "health-changed":
        return f"overall health {move}"
    if c.kind == "dimension-changed":
        return f"{(c.fields[0] if c.fields else 'health').capitalize()} health {move}"
    if c.kind == "forecast-moved":
        days = f" ({_signed(c.days)})" if c.days else ""
        return f"forecast moved from {c.old} to {c.new}{days}"
    if c.kind == "edited":
        if c.item_type == "page":
            return "content edited"
        return "changed: " + ", ".join(field_label(f).lower() for f in c.fields)
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
    elif c.kind == "opened" and c.item_type == "question" and c.due:
        text += f", answer due {c.due}"
    if c.counts and c.kind == "added":
        text += f" with {_counted(c.counts)}"
    if c.ref and c.kind == "added":
        text += f", superseding {c.ref}"
    elif c.ref and c.kind == "status-changed":
        text += f" by {c.ref}"
    return text


def format_change(change: Change) -> str:
    """One plain terminal line: `acme/web: milestone M3 'Launch': forecast moved …: reason`."""
    where = change.customer + (f"/{change.project}" if change.project else "")
    label = LABELS[change.item_type]
    if change.kind in ("health-changed", "dimension-changed"):
        label = f"status update {change.item_id}"
    elif change.item_type in ("project", "page"):
        label += f" '{_plain(short_title(change.title))}'"
    elif change.item_type == "update":
        label += f" {change.item_id}"
    elif change.item_type not in ("portal", "customer"):
        label += f" {change.item_id} '{_plain(short_title(change.title))}'"
    line = f"{where}: {label}: {describe(change)}"
    details = plain_details(fields_of(change))
    if details:
        line += f" ({details})"
    if change.note and change.kind in ("forecast-moved", "answered", "decided"):
        line += f": {_plain(change.note)}"
    return line


def format_changes(changes: list[Change]) -> list[str]:
    """One plain line per change, the news a customer acts on first (for `portal diff` on a terminal)."""
    return [format_change(c) for c in sorted(changes, key=importance)]
