"""Two states of one customer -> the typed changes a reader of its portal would notice.

Both states arrive already filtered for the audience (`visibility.for_audience`),
so an internal item or an `internal:` note cannot show up here, not even as
"edited". Items are matched by id (status updates by date, pages by file
name). Every difference is reported: a specific record where the contract
gives it a meaning (a forecast moved, a question answered), otherwise one
"edited" record naming the fields that changed; a vanished item is "removed",
never dropped silently. The vocabulary of records lives in changes.py.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, TypeVar

from pydantic import BaseModel

from generator.history.changes import Change, ChangeKind, FieldChange, FieldValue, ItemType, State, sort_key
from generator.portfolio.model import (
    ChangeRequest,
    Decision,
    Expectation,
    FeedbackRound,
    Milestone,
    Project,
    Question,
    Risk,
    StatusUpdate,
)
from generator.portfolio.values import Money, MoneyDelta

DIMENSIONS = ("scope", "schedule", "budget")
"""The optional health dimensions of a status update."""


@dataclass(frozen=True)
class _Where:
    """The customer and project changes are being collected for."""

    customer: str
    project: Project | None = None

    def change(self, kind: ChangeKind, item_type: ItemType, **values: Any) -> Change:
        if self.project is None:
            return Change(kind, item_type, self.customer, **values)
        return Change(kind, item_type, self.customer, self.project.slug, self.project.info.name, **values)


def _text(value: Any, code: bool = False) -> FieldValue | None:
    """A field value as canonical text that knows its kind: dates ISO, whole numbers without `.0`,
    lists joined; `code` for a contract value (a status, a health), which a reader sees as a word."""
    if value is None:
        return None
    if isinstance(value, date):
        return FieldValue(value.isoformat(), "date")
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return FieldValue(str(int(value)) if float(value).is_integer() else str(value), "number")
    if isinstance(value, (list, tuple)):
        items = tuple(t for t in (_text(v, code) for v in value) if t is not None)
        return FieldValue("; ".join(items), "list", tuple(("", t) for t in items))
    if isinstance(value, BaseModel):
        for name in ("name", "id", "title"):
            if isinstance(getattr(value, name, None), str):
                return FieldValue(getattr(value, name))
        shown = {k: getattr(value, k) for k in value.model_dump(exclude_defaults=True)}
        parts = tuple((k, t) for k, v in shown.items() if (t := _text(v, _is_code(value, k))) is not None)
        return FieldValue(", ".join(f"{k} {t}" for k, t in parts), "record", parts)
    return FieldValue(str(value), "code" if code else "text")


def _is_code(record: BaseModel, name: str) -> bool:
    """Whether a field holds contract values (`Literal[...]`: statuses, health, levels)."""
    return "Literal[" in str(type(record).model_fields[name].annotation)


_AMOUNTS = (Money | None, MoneyDelta | None)


def _amount(value: FieldValue | None, record: BaseModel, name: str, currency: str) -> FieldValue | None:
    """An amount of money (a budget's, a change request's cost) in the project's `currency`."""
    if value is None or not currency or type(record).model_fields[name].annotation not in _AMOUNTS:
        return value
    return FieldValue(value, "money", currency=currency)


def _is_markdown(record: BaseModel, name: str) -> bool:
    """Whether a field is (md) text (`model.Md`, alone, optional or in a list)."""
    info = type(record).model_fields[name]
    return "text/markdown" in f"{info.json_schema_extra} {info.annotation}"


def field_changes(old: BaseModel | None, new: BaseModel | None, prefix: str = "",
                  currency: str = "") -> list[FieldChange]:
    """Every field that differs between two records, nested records flattened to dotted names; amounts
    of money in `currency` (the project's)."""
    record = new if new is not None else old
    if record is None:
        return []
    changed = []
    for name in type(record).model_fields:
        before, after = getattr(old, name, None), getattr(new, name, None)
        if before == after:
            continue
        if isinstance(before, BaseModel) and isinstance(after, BaseModel):
            changed += field_changes(before, after, f"{prefix}{name}.", currency)
        else:
            code = _is_code(record, name)
            changed.append(FieldChange(prefix + name, _amount(_text(before, code), record, name, currency),
                                       _amount(_text(after, code), record, name, currency),
                                       _is_markdown(record, name)))
    return changed


def _edited(where: _Where, item_type: ItemType, item_id: str | None, title: str,
            old: BaseModel, new: BaseModel, consumed: Iterable[str] = ()) -> list[Change]:
    """One "edited" record for the differences no specific record has explained."""
    skip = set(consumed)
    changed = field_changes(old, new, currency=where.project.currency if where.project else "")
    details = tuple(d for d in changed if d.field.split(".")[0] not in skip)
    if not details:
        return []
    return [where.change("edited", item_type, item_id=item_id, title=title,
                         fields=tuple(d.field for d in details), details=details)]


T = TypeVar("T", bound=BaseModel)
Compare = Callable[[_Where, T, T], list[Change]]
Describe = Callable[[_Where, T], Change]


def _match(where: _Where, item_type: ItemType, old: Sequence[T], new: Sequence[T],
           key: Callable[[T], str], title: Callable[[T], str],
           added: Describe[T], compare: Compare[T]) -> list[Change]:
    """Pair items by id: added, removed, and the differences of those in both states."""
    before = {key(item): item for item in old}
    after = {key(item): item for item in new}
    changes = [added(where, item) for k, item in after.items() if k not in before]
    changes += [where.change("removed", item_type, item_id=k, title=title(item))
                for k, item in before.items() if k not in after]
    changes += [c for k, item in after.items() if k in before for c in compare(where, before[k], item)]
    return changes


def _milestone(where: _Where, old: Milestone, new: Milestone) -> list[Change]:
    changes, consumed = [], set()
    if old.expected != new.expected:
        changes.append(where.change(
            "forecast-moved", "milestone", item_id=new.id, title=new.title,
            old=old.expected.isoformat(), new=new.expected.isoformat(),
            days=(new.expected - old.expected).days, note=new.slip_reason))
        consumed |= {"forecast", "slip_reason"}
    if old.status != new.status:
        kind: ChangeKind = "done" if new.status == "done" else "status-changed"
        changes.append(where.change(kind, "milestone", item_id=new.id, title=new.title,
                                    old=old.status, new=new.status, when=new.actual))
        consumed |= {"status", "actual"}
    return changes + _edited(where, "milestone", new.id, new.title, old, new, consumed)


def _decision(where: _Where, old: Decision, new: Decision) -> list[Change]:
    if old.status == new.status:
        return _edited(where, "decision", new.id, new.title, old, new)
    siblings = where.project.decisions if where.project else ()
    successor = next((d.id for d in siblings if d.supersedes == new.id), None)
    return [where.change("status-changed", "decision", item_id=new.id, title=new.title,
                         old=old.status, new=new.status, when=new.date,
                         ref=successor if new.status == "superseded" else None),
            *_edited(where, "decision", new.id, new.title, old, new, ["status"])]


def _question(where: _Where, old: Question, new: Question) -> list[Change]:
    if old.status == new.status:
        return _edited(where, "question", new.id, new.question, old, new)
    kinds: dict[str, ChangeKind] = {"answered": "answered", "closed": "closed", "open": "reopened"}
    change = where.change(kinds[new.status], "question", item_id=new.id, title=new.question,
                          old=old.status, new=new.status,
                          when=new.answered if new.status == "answered" else None,
                          note=new.answer if new.status == "answered" else None)
    return [change, *_edited(where, "question", new.id, new.question, old, new,
                             ["status", "answer", "answered"])]


def _change_request(where: _Where, old: ChangeRequest, new: ChangeRequest) -> list[Change]:
    if old.status == new.status:
        return _edited(where, "change", new.id, new.title, old, new)
    if new.status in ("approved", "rejected"):
        change = where.change("decided", "change", item_id=new.id, title=new.title,
                              old=old.status, new=new.status, when=new.decided, by=new.decided_by,
                              note=new.decision_note, days=new.impact.days if new.impact else None)
        consumed = ["status", "decided", "decided_by", "decision_note"]
    else:
        change = where.change("status-changed", "change", item_id=new.id, title=new.title,
                              old=old.status, new=new.status)
        consumed = ["status"]
    return [change, *_edited(where, "change", new.id, new.title, old, new, consumed)]


def _rating(risk: Risk) -> str:
    return f"{risk.likelihood}/{risk.impact}"


def _risk(where: _Where, old: Risk, new: Risk) -> list[Change]:
    changes = []
    if old.status != new.status:
        kind: ChangeKind = "closed" if new.status == "closed" else "reopened"
        changes.append(where.change(kind, "risk", item_id=new.id, title=new.title,
                                    old=old.status, new=new.status))
    if _rating(old) != _rating(new):
        details = tuple(d for d in field_changes(old, new) if d.field in ("likelihood", "impact"))
        changes.append(where.change("rerated", "risk", item_id=new.id, title=new.title,
                                    old=_rating(old), new=_rating(new),
                                    fields=tuple(d.field for d in details), details=details))
    return changes + _edited(where, "risk", new.id, new.title, old, new,
                             ["status", "likelihood", "impact"])


def _expectation(where: _Where, old: Expectation, new: Expectation) -> list[Change]:
    changes = []
    if old.status != new.status:
        changes.append(where.change("status-changed", "expectation", item_id=new.id, title=new.text,
                                    old=old.status, new=new.status))
    return changes + _edited(where, "expectation", new.id, new.text, old, new, ["status"])


def _update(where: _Where, old: StatusUpdate, new: StatusUpdate) -> list[Change]:
    return _edited(where, "update", new.date.isoformat(), new.summary, old, new)


def _feedback(where: _Where, old: FeedbackRound, new: FeedbackRound) -> list[Change]:
    return _edited(where, "feedback", new.id, new.round or new.date.isoformat(), old, new)


def _health(where: _Where, old: Project, new: Project) -> list[Change]:
    """Overall health and each dimension, newest update before -> newest update after."""
    if not old.updates or not new.updates:
        return []
    before, after = old.updates[0], new.updates[0]
    day = after.date.isoformat()
    changes = []
    if before.health != after.health:
        changes.append(where.change("health-changed", "update", item_id=day, title=after.summary,
                                    old=before.health, new=after.health, when=after.date,
                                    fields=("health",)))
    for dim in DIMENSIONS:
        if getattr(before, dim) != getattr(after, dim):
            changes.append(where.change("dimension-changed", "update", item_id=day, title=after.summary,
                                        old=getattr(before, dim), new=getattr(after, dim),
                                        when=after.date, fields=(dim,)))
    return changes


def project_counts(project: Project) -> list[tuple[str, int]]:
    """How many items of each kind a project holds (for "started" and "project added")."""
    return [("updates", len(project.updates)), ("milestones", len(project.milestones)),
            ("decisions", len(project.decisions)), ("questions", len(project.questions)),
            ("changes", len(project.changes)), ("risks", len(project.risks)),
            ("expectations", len(project.info.expectations)), ("feedback", len(project.feedback))]


def _project(where: _Where, old: Project, new: Project) -> list[Change]:
    """Every change inside one project present in both states."""
    if old is new:
        return []
    w = _Where(where.customer, new)
    changes = []
    if old.info.phase != new.info.phase:
        changes.append(w.change("phase-changed", "project", title=new.info.name,
                                old=old.info.phase, new=new.info.phase))
    changes += _edited(w, "project", None, new.info.name, old.info, new.info, ["phase", "expectations"])
    changes += _health(w, old, new)
    changes += _match(w, "update", old.updates, new.updates, lambda u: u.date.isoformat(),
                      lambda u: u.summary,
                      lambda w, u: w.change("published", "update", item_id=u.date.isoformat(),
                                            title=u.summary, new=u.health, when=u.date), _update)
    changes += _match(w, "milestone", old.milestones, new.milestones, lambda m: m.id, lambda m: m.title,
                      lambda w, m: w.change("added", "milestone", item_id=m.id, title=m.title,
                                            new=m.expected.isoformat(), when=m.baseline), _milestone)
    changes += _match(w, "decision", old.decisions, new.decisions, lambda d: d.id, lambda d: d.title,
                      lambda w, d: w.change("added", "decision", item_id=d.id, title=d.title,
                                            new=d.status, when=d.date, ref=d.supersedes,
                                            by=_text(d.decided_by) or None), _decision)
    changes += _match(w, "question", old.questions, new.questions, lambda q: q.id, lambda q: q.question,
                      lambda w, q: w.change("opened", "question", item_id=q.id, title=q.question,
                                            new=q.status, when=q.asked, due=q.due), _question)
    changes += _match(w, "change", old.changes, new.changes, lambda c: c.id, lambda c: c.title,
                      lambda w, c: w.change("opened", "change", item_id=c.id, title=c.title,
                                            new=c.status, when=c.requested), _change_request)
    changes += _match(w, "risk", old.risks, new.risks, lambda r: r.id, lambda r: r.title,
                      lambda w, r: w.change("opened", "risk", item_id=r.id, title=r.title,
                                            new=_rating(r)), _risk)
    changes += _match(w, "expectation", old.info.expectations, new.info.expectations, lambda e: e.id,
                      lambda e: e.text,
                      lambda w, e: w.change("added", "expectation", item_id=e.id, title=e.text,
                                            new=e.status), _expectation)
    changes += _match(w, "feedback", old.feedback, new.feedback, lambda f: f.id,
                      lambda f: f.round or f.date.isoformat(),
                      lambda w, f: w.change("added", "feedback", item_id=f.id,
                                            title=f.round or f.date.isoformat(), when=f.date), _feedback)
    return changes


def portal_counts(state: State) -> tuple[tuple[str, int], ...]:
    """Projects, pages and items of a whole customer state, zero counts left out."""
    totals: dict[str, int] = {"projects": len(state.customer.projects), "pages": len(state.pages)}
    for project in state.customer.projects:
        for name, count in project_counts(project):
            totals[name] = totals.get(name, 0) + count
    return tuple((name, count) for name, count in totals.items() if count)


def diff_states(slug: str, old: State | None, new: State | None) -> list[Change]:
    """Every visible change from `old` to `new` (None: the customer folder did not exist)."""
    where = _Where(slug)
    if old is None and new is None:
        return []
    if new is None:
        return [where.change("ended", "portal", title=old.customer.info.name if old else "")]
    if old is None:
        return [where.change("started", "portal", title=new.customer.info.name, counts=portal_counts(new))]
    changes = _edited(where, "customer", None, new.customer.info.name, old.customer.info, new.customer.info)
    changes += [where.change("added", "page", item_id=p, title=p) for p in new.pages if p not in old.pages]
    changes += [where.change("removed", "page", item_id=p, title=p) for p in old.pages if p not in new.pages]
    changes += [where.change("edited", "page", item_id=p, title=p, fields=("content",))
                for p in new.pages if p in old.pages and old.pages[p] != new.pages[p]]
    before = {p.slug: p for p in old.customer.projects}
    for project in new.customer.projects:
        if project.slug not in before:
            changes.append(_Where(slug, project).change(
                "added", "project", title=project.info.name,
                counts=tuple((n, c) for n, c in project_counts(project) if c)))
        else:
            changes += _project(where, before[project.slug], project)
    after = {p.slug for p in new.customer.projects}
    changes += [_Where(slug, p).change("removed", "project", title=p.info.name)
                for p in old.customer.projects if p.slug not in after]
    return sorted(changes, key=sort_key)
