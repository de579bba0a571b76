"""Text the scaffold writes for the PM to replace: defined once here, written by the scaffold
templates, and refused wherever a customer would read it.

`portal new` and `portal status add` write files that validate at once, so a
PM can build and look; but "TODO: ..." and the sample contact must never reach
a customer. `portal validate` and customer builds report each one at its line;
team builds allow them.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from generator.portfolio.errors import Problem
from generator.portfolio.load import Document, Loc

TODO = "TODO:"
"""Starts every sentence the scaffold leaves for the PM to write."""
SAMPLE_DOMAIN = "example.com"
"""The domain of every sample address (RFC 2606: never anyone's real one)."""
SAMPLE_CONTACT = {"name": "Alex Placeholder", "email": f"alex.placeholder@{SAMPLE_DOMAIN}"}
"""The customer's sample contact in a new customer.yml."""
SAMPLE_MANAGER = {"name": "Sam Placeholder", "email": f"sam.placeholder@{SAMPLE_DOMAIN}"}
"""The sample project manager in a new project.yml."""
SAMPLES = {"contact": SAMPLE_CONTACT, "manager": SAMPLE_MANAGER, "todo": TODO}
"""What the scaffold templates write (they read it as `sample`)."""

_NAMES = [re.escape(p["name"]) for p in (SAMPLE_CONTACT, SAMPLE_MANAGER)]
_FOUND = re.compile("|".join([re.escape(TODO), *_NAMES,
                              r"[\w.+-]+@" + re.escape(SAMPLE_DOMAIN) + r"\b"]))
_HIDDEN = "internal"
"""An `internal:` note, and an item with `visibility: internal`, never reach a customer (visibility.py)."""


def _texts(data: Any, loc: Loc) -> Iterator[tuple[Loc, str]]:
    """(location, text) of every text a customer may read: internal notes and items left out."""
    if isinstance(data, dict):
        if data.get("visibility") == _HIDDEN:
            return
        for key, value in data.items():
            if key != _HIDDEN:
                yield from _texts(value, (*loc, key))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            yield from _texts(value, (*loc, i))
    elif isinstance(data, str):
        yield loc, data


_STILL = "still holds the scaffold placeholder"


def is_placeholder(problem: Problem) -> bool:
    """Whether `problem` is one of find_placeholders' (a team build shows it as a warning instead)."""
    return f" {_STILL} " in problem.message


def _name(loc: Loc) -> str:
    names = [str(part) for part in loc if isinstance(part, str)]
    return names[-1] if names else "the text"


def find_placeholders(doc: Document) -> list[Problem]:
    """A problem for every text of `doc` a customer would read that still holds a scaffold placeholder."""
    return [doc.problem(loc, f"{_name(loc)} {_STILL} {found.group(0)!r}",
                        "replace it with the real text: customer builds refuse placeholders "
                        "(`--audience team` builds them)")
            for loc, text in _texts(doc.data, ()) if (found := _FOUND.search(text))]
