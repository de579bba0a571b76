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
from datetime import date
from typing import Literal, NamedTuple

from generator.history.changes import Change, FieldChange, FieldValue
from generator.history.names import COUNTED, DECIDED, DIMENSIONS, LABELS, field_name, upper_first, value_word
from generator.i18n.formats import decimal, money, short_date
from generator.i18n.translate import N_, _, ngettext

WHOLE_VALUE_CHARS = 40
"""Plain values up to this long (dates, statuses, owners) read best whole: old → new."""

LAYOUT_ONLY = N_("line breaks or spacing changed, the words are the same")


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


def _word(code: str | None) -> str:
    """A contract value starting a phrase: 'in-progress' -> 'In progress', None -> '—'."""
    return upper_first(value_word(code))


def _day(value: date | str | None) -> str:
    """A date (or its ISO text) in the reader's form: '2026-11-22', '22.11.2026'."""
    if isinstance(value, str):
        value = date.fromisoformat(value)
    return short_date(value) if value else "—"


def _signed(days: int) -> str:
    """'+14 days', '−1 day'."""
    return ngettext("%(days)s day", "%(days)s days", abs(days)) % {"days": decimal(days, signed=True)}


def _rating(rating: str | None) -> str:
    """A risk rating 'low/high' (likelihood/impact) in words."""
    return "/".join(value_word(level) for level in (rating or "").split("/"))


def _counted(counts: Iterable[tuple[str, int]]) -> str:
    return ", ".join(COUNTED[name](n) % {"num": decimal(n)} if name in COUNTED else f"{n} {name}"
                     for name, n in counts)


def field_label(name: str) -> str:
    """'budget.spent' -> 'Budget spent', 'due' -> 'Due date'."""
    return upper_first(field_name(name))


def shown(value: str | None) -> str | None:
    """A field's value as the reader writes it: dates and numbers in local form, contract values as
    words, each part of a list or record likewise; text as written."""
    if not isinstance(value, FieldValue) or value.kind == "text":
        return value
    if value.kind == "date":
        return _day(value)
    if value.kind == "number":
        return decimal(float(value))
    if value.kind == "money":
        return money(float(value), value.currency)
    if value.kind == "code":
        return value_word(value)
    if value.kind == "list":
        return "; ".join(shown(part) or "" for _name, part in value.parts)
    # Translators: one field of a record shown as a value, e.g. "spent 500" in "Budget: — → spent 500"
    return ", ".join(_("%(field)s %(value)s") % {"field": field_name(name), "value": shown(part)}
                     for name, part in value.parts)


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
    """A changed field for a reader, in the current language: the diff of longer texts, else both
    values whole."""
    old, new = shown(d.old), shown(d.new)
    longer = d.markdown or max(len(old or ""), len(new or "")) > WHOLE_VALUE_CHARS
    diff = word_diff(old, new) if longer and old and new else ()
    return FieldWords(field_label(d.field), old, new, d.markdown, diff)


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
        return f"{f.label}: {_(LAYOUT_ONLY)}"
    marks = {"same": "{}", "del": "[-{}-]", "ins": "{{+{}+}}"}
    return f"{f.label}: " + " ".join("".join(marks[s.kind].format(s.text) for s in f.diff).split())


def plain_details(fields: Iterable[FieldWords]) -> str:
    """Every changed field on one line of plain text, for the feed and the terminal."""
    return "; ".join(plain_field(f) for f in fields)


def _decided(c: Change) -> str:
    text = _(DECIDED[(c.new == "approved", c.when is not None, bool(c.by))]) % {
        "date": _day(c.when), "who": c.by}
    if c.days:
        # Translators: a decided change request, then how many days it moves the schedule
        text = _("%(decision)s, schedule impact %(days)s") % {"decision": text, "days": _signed(c.days)}
    return text


def _added(c: Change) -> str:
    if c.item_type == "milestone" and c.new:
        return _("added, expected %(date)s") % {"date": _day(c.new)}
    if c.item_type == "decision" and c.new:
        # Translators: a decision added, with its status in running text ("accepted")
        text = _("added (%(status)s), superseding %(ref)s") if c.ref else _("added (%(status)s)")
        return text % {"status": value_word(c.new), "ref": c.ref}
    if c.counts:
        return _("added with %(items)s") % {"items": _counted(c.counts)}
    return _("added")


def _opened(c: Change) -> str:
    if c.item_type == "risk" and c.new:
        return _("opened, rated %(rating)s (likelihood/impact)") % {"rating": _rating(c.new)}
    if c.item_type == "question" and c.due:
        return _("opened, answer due %(date)s") % {"date": _day(c.due)}
    return _("opened")


def describe(c: Change) -> str:
    """The headline of a change, in plain words (no Markdown, no HTML) in the current language;
    `fields_of` adds the values."""
    move = {"old": _word(c.old), "new": _word(c.new)}
    on = {"date": _day(c.when)}
    if c.kind == "started":
        counts = _counted(c.counts)
        if not counts:
            return _("new portal with nothing yet")
        return _("new portal with %(items)s") % {"items": counts}
    if c.kind == "health-changed":
        return _("overall health %(old)s → %(new)s") % move
    if c.kind == "dimension-changed":
        dimension = c.fields[0] if c.fields else ""
        return _(DIMENSIONS.get(dimension, N_("Health %(old)s → %(new)s"))) % move
    if c.kind == "forecast-moved":
        dates = {"old": _day(c.old), "new": _day(c.new)}
        if c.days:
            return _("forecast moved from %(old)s to %(new)s (%(days)s)") % {**dates, "days": _signed(c.days)}
        return _("forecast moved from %(old)s to %(new)s") % dates
    if c.kind == "edited":
        if c.item_type == "page":
            return _("content edited")
        # Translators: the names of the fields that changed follow, e.g. "changed: due date, budget"
        return _("changed: %(fields)s") % {"fields": ", ".join(field_name(f) for f in c.fields)}
    if c.kind == "rerated":
        return _("re-rated (likelihood/impact) from %(old)s to %(new)s") % {
            "old": _rating(c.old), "new": _rating(c.new)}
    if c.kind == "added":
        return _added(c)
    if c.kind == "opened":
        return _opened(c)
    if c.kind == "decided":
        return _decided(c)
    if c.kind == "published":
        return _("published, overall health %(health)s") % {"health": _word(c.new)}
    if c.kind == "phase-changed":
        return _("phase %(old)s → %(new)s") % move
    if c.kind == "status-changed":
        # Translators: "by" names the item (an id such as D-3) that superseded this one
        return (_("status %(old)s → %(new)s by %(ref)s") % {**move, "ref": c.ref} if c.ref
                else _("status %(old)s → %(new)s") % move)
    if c.kind == "done":
        return _("done on %(date)s") % on if c.when else _("done")
    if c.kind == "answered":
        return _("answered on %(date)s") % on if c.when else _("answered")
    simple = {"ended": N_("closed"), "removed": N_("removed"), "reopened": N_("reopened"),
              "closed": N_("closed")}
    return _(simple[c.kind])


def format_change(change: Change) -> str:
    """One plain terminal line: `acme/web: milestone M3 'Launch': forecast moved …: reason`."""
    where = change.customer + (f"/{change.project}" if change.project else "")
    label = _(LABELS[change.item_type])
    if change.kind in ("health-changed", "dimension-changed"):
        label = f"{_(LABELS['update'])} {change.item_id}"
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
