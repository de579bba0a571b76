"""The one visibility rule: what a customer may see of a portfolio.

Filtering happens on the model, before anything is rendered, so a template
cannot publish what it never receives. The same filter reads the customer's
past states for "What changed": there it also hides whatever is internal in
today's state (`internal_parts`), so history holds only what the customer
could see then and may still see now.
"""

from __future__ import annotations

import dataclasses
import operator
from collections.abc import Iterator
from functools import cache
from typing import Any, Literal, TypeVar, get_args, get_origin

from pydantic import BaseModel

from generator.portfolio.model import REFERENCES, Customer, Project, Record

Audience = Literal["customer", "team"]
AUDIENCES: tuple[Audience, ...] = ("customer", "team")

Hidden = frozenset[tuple[str, ...]]
"""Where a customer has internal parts: paths of field names and item keys (`_key`) from the customer down,
e.g. ("projects", "web", "info", "budget") or ("info", "contacts", "Jane Roe")."""

_Mask = dict[str, "_Mask | None"]
"""`Hidden` as a tree: a part mapped to None is hidden, to a dict has hidden parts below it."""

T = TypeVar("T")


def is_internal(value: object) -> bool:
    """True for an item the team marked `visibility: internal` (a project by its project.yml)."""
    if isinstance(value, Record):
        return value.visibility == "internal"
    return isinstance(value, Project) and value.info.visibility == "internal"


def _key(item: object) -> str | None:
    """What tells a list's item apart from its siblings in every commit: id, date, name or slug."""
    if isinstance(item, Project):
        return item.slug
    name = _key_field(type(item)) if isinstance(item, BaseModel) else None
    return None if name is None else str(getattr(item, name))


@cache
def _key_field(model: type[BaseModel]) -> str | None:
    return next((name for name in ("id", "date", "name") if name in model.model_fields), None)


def _parts(value: object) -> Iterator[tuple[str | None, Any]]:
    """(part name, part) of every part of `value` that can be or hold a record."""
    if isinstance(value, BaseModel):
        yield from ((name, getattr(value, name)) for name in _nested_fields(type(value)))
    elif isinstance(value, (list, tuple)):
        yield from ((_key(item), item) for item in value)
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        yield from ((f.name, getattr(value, f.name)) for f in dataclasses.fields(value))


_NOTHING: tuple[bool, _Mask | None] = (False, None)


def _below(mask: _Mask | None, part: str | None) -> tuple[bool, _Mask | None]:
    """(whether `part` is hidden, the mask of what lies below it)."""
    if not mask or part not in mask:
        return _NOTHING
    below = mask[part]
    return below is None, below


def _public(value: T, mask: _Mask | None = None) -> T:
    """`value` without internal items, mappings and notes, nor the parts `mask` hides; `value`
    itself when it has none.

    Only fields whose type can hold a record are looked into, and unchanged
    parts are returned as they are rather than copied: twenty times faster.
    """
    if isinstance(value, BaseModel):
        update: dict[str, Any] = {}
        for name in _nested_fields(type(value)):
            item = getattr(value, name)
            hidden, below = _below(mask, name) if mask else _NOTHING
            public = None if hidden or is_internal(item) else _public(item, below)
            if public is not item:
                update[name] = public
        if isinstance(value, Record) and value.internal is not None:
            update["internal"] = None
        return value.model_copy(update=update) if update else value
    if isinstance(value, (list, tuple)):
        kept = []
        for key, item in _parts(value) if mask else ((None, item) for item in value):
            hidden, below = _below(mask, key) if mask else _NOTHING
            if not (hidden or is_internal(item)):
                kept.append(_public(item, below))
        if len(kept) == len(value) and all(map(operator.is_, kept, value)):
            return value
        return type(value)(kept)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        changes = {f.name: _public(getattr(value, f.name), _below(mask, f.name)[1])
                   for f in dataclasses.fields(value)}
        return dataclasses.replace(value, **changes)
    return value


@cache
def _nested_fields(model: type[BaseModel]) -> tuple[str, ...]:
    """The fields of `model` whose type can hold a record: only they can hide an internal item."""
    return tuple(name for name, field in model.model_fields.items() if _holds_model(field.annotation))


def _holds_model(annotation: object) -> bool:
    """True when a value of this type can be or contain a pydantic model (or could be anything)."""
    if annotation is Any:
        return True
    if isinstance(annotation, type) and get_origin(annotation) is None and issubclass(annotation, BaseModel):
        return True
    return any(_holds_model(arg) for arg in get_args(annotation))


def internal_parts(customer: Customer) -> Hidden:
    """Where `customer` (unfiltered) has internal items and mappings, to hide them in its past states too."""
    return frozenset(_internal_paths(customer, ()))


def _internal_paths(value: object, path: tuple[str, ...]) -> Iterator[tuple[str, ...]]:
    for name, part in _parts(value):
        if name is None:
            continue
        if is_internal(part):
            yield (*path, name)
        else:
            yield from _internal_paths(part, (*path, name))


def _mask(hidden: Hidden) -> _Mask | None:
    """`hidden` as a tree, shortest paths first so that nothing below a hidden part is kept."""
    root: _Mask = {}
    for path in sorted(hidden, key=len):
        node: _Mask | None = root
        for part in path[:-1]:
            node = node.setdefault(part, {}) if node is not None else None
        if node is not None:
            node[path[-1]] = None
    return root or None


def _without_dangling(project: Project) -> Project:
    """A customer's project whose references (`REFERENCES`) name only items it shows (not internal ones)."""
    shown = {target: {item.id for item in getattr(project, target)} for target in set(REFERENCES.values())}
    return _referring_to(project, shown)


def _referring_to(value: T, shown: dict[str, set[str]]) -> T:
    """`value` with every reference to an id missing from `shown` (target -> ids) left out."""
    if isinstance(value, BaseModel):
        update: dict[str, Any] = {}
        for name in _referring_fields(type(value)):
            item = getattr(value, name)
            target = REFERENCES.get((type(value), name))  # type: ignore[arg-type]
            if target is None:
                fixed = _referring_to(item, shown)
                changed = fixed is not item
            else:
                fixed = [ref for ref in item if ref in shown[target]] if isinstance(item, list) \
                    else item if item in shown[target] else None
                changed = fixed != item
            if changed:
                update[name] = fixed
        return value.model_copy(update=update) if update else value
    if isinstance(value, (list, tuple)):
        if not value or (isinstance(value[0], BaseModel) and not _referring_fields(type(value[0]))):
            return value  # no reference in any of them: lists hold one type
        kept = [_referring_to(item, shown) for item in value]
        return value if all(map(operator.is_, kept, value)) else type(value)(kept)
    if isinstance(value, Project):
        changes = {f.name: fixed for f in dataclasses.fields(value)
                   if (fixed := _referring_to(item := getattr(value, f.name), shown)) is not item}
        return dataclasses.replace(value, **changes) if changes else value
    return value


@cache
def _referring_fields(model: type[BaseModel]) -> tuple[str, ...]:
    """The fields of `model` that are references, or hold records that have some."""
    return tuple(name for name, field in model.model_fields.items()
                 if (model, name) in REFERENCES
                 or any(_referring_fields(inner) for inner in _models_in(field.annotation)))


def _models_in(annotation: object) -> Iterator[type[BaseModel]]:
    """The record types a value of this type can be or contain."""
    if isinstance(annotation, type) and get_origin(annotation) is None and issubclass(annotation, BaseModel):
        yield annotation
    for arg in get_args(annotation):
        yield from _models_in(arg)


def for_audience(customer: Customer, audience: Audience, hidden: Hidden = frozenset()) -> Customer:
    """The customer as `audience` may see it: the team sees all, a customer no internals.

    For a customer, references to items it cannot see are left out, and so are
    the parts at `hidden`: a past state read with today's `internal_parts`
    shows only what the customer may see now.
    """
    if audience == "team":
        return customer
    public = _public(customer, _mask(hidden))
    return dataclasses.replace(public, projects=tuple(_without_dangling(p) for p in public.projects))
