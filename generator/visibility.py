"""The one visibility rule: what a customer may see of a portfolio.

Filtering happens on the model, before anything is rendered, so a template
cannot publish what it never receives.
"""

from __future__ import annotations

import dataclasses
from typing import Any, Literal, TypeVar

from pydantic import BaseModel

from generator.model import Customer, Record

Audience = Literal["customer", "team"]
AUDIENCES: tuple[Audience, ...] = ("customer", "team")

T = TypeVar("T")


def is_internal(value: object) -> bool:
    """True for an item the team marked `visibility: internal`."""
    return isinstance(value, Record) and value.visibility == "internal"


def _public(value: T) -> T:
    """A copy of `value` without internal items, mappings and notes."""
    if isinstance(value, BaseModel):
        update: dict[str, Any] = {
            name: _public(getattr(value, name)) for name in type(value).model_fields
        }
        if isinstance(value, Record):
            update["internal"] = None
        for name, item in update.items():
            if is_internal(item):
                update[name] = None
        return value.model_copy(update=update)
    if isinstance(value, (list, tuple)):
        kept = [_public(item) for item in value if not is_internal(item)]
        return type(value)(kept)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        changes = {f.name: _public(getattr(value, f.name)) for f in dataclasses.fields(value)}
        return dataclasses.replace(value, **changes)
    return value


def for_audience(customer: Customer, audience: Audience) -> Customer:
    """The customer as `audience` may see it: the team sees all, a customer no internals."""
    if audience == "team":
        return customer
    public = dataclasses.replace(
        customer, projects=tuple(p for p in customer.projects if not is_internal(p.info))
    )
    return _public(public)
