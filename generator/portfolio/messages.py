"""Pydantic's validation errors in the words of the format contract, each at its source position.

One problem per mistake: a misspelt key is "unknown key 'forcast'" with its
did-you-mean, not also a missing 'forecast'; a wrong value is echoed as
written; no message names a Python type.
"""

from __future__ import annotations

import difflib
import re
import types
import typing
from typing import Any, Union

from pydantic import BaseModel

from generator.portfolio.errors import Problem, did_you_mean
from generator.portfolio.load import Document, Loc
from generator.portfolio.values import LANGUAGES, language_hint

_LIMITS = {"greater_than_equal": ("ge", "at least"), "greater_than": ("gt", "more than"),
           "less_than_equal": ("le", "at most"), "less_than": ("lt", "less than")}
"""Pydantic's bound errors, as the contract says them (the bounds are those of values.py)."""
_WHAT = {
    "status.yml": "a list of status updates",
    "decisions.yml": "a list of decisions",
    "questions.yml": "a list of questions",
    "changes.yml": "a list of change requests",
    "risks.yml": "a list of risks",
    "feedback.yml": "a list of feedback rounds",
}


def _model_at(shape: Any, loc: Loc) -> type[BaseModel] | None:
    """The model class whose mapping sits at `loc` inside a value of type `shape`."""
    for part in loc:
        shape = _unwrap(shape)
        if isinstance(part, int):
            args = typing.get_args(shape)
            shape = args[0] if args else None
        elif isinstance(shape, type) and issubclass(shape, BaseModel) and part in shape.model_fields:
            shape = shape.model_fields[part].annotation
        else:
            return None
    shape = _unwrap(shape)
    return shape if isinstance(shape, type) and issubclass(shape, BaseModel) else None


def _unwrap(shape: Any) -> Any:
    """`X | None` -> X."""
    if typing.get_origin(shape) in (Union, types.UnionType):
        rest = [a for a in typing.get_args(shape) if a is not type(None)]
        return rest[0] if len(rest) == 1 else shape
    return shape


def _field_name(loc: Loc) -> str:
    names = [str(p) for p in loc if isinstance(p, str)]
    return names[-1] if names else "value"


def _translate(error: Any, doc: Document, shape: Any, filename: str) -> Problem:
    """A pydantic error in the words of the format contract, at its source position."""
    loc: Loc = tuple(error["loc"])
    kind = error["type"]
    name = _field_name(loc)
    value = error.get("input")
    if kind == "missing":
        return doc.problem(loc[:-1], f"missing required field '{name}'", f"add `{name}:`")
    if kind == "extra_forbidden":
        model = _model_at(shape, loc[:-1])
        known = list(model.model_fields) if model else []
        hint = did_you_mean(name, known) or (
            "known keys: " + ", ".join(known) + " (or start a key with x- for your own use)")
        return doc.problem(loc, f"unknown key '{name}'", hint, key=True)
    if not loc:
        what = _WHAT.get(filename, "a mapping of keys")
        return doc.problem(loc, f"{filename} must be {what}")
    if kind == "literal_error":
        expected = error["ctx"]["expected"]
        choices = re.findall(r"'([^']*)'", expected)
        model = _model_at(shape, loc[:-1])
        field = model.model_fields.get(name) if model else None
        close = did_you_mean(str(value), choices)
        language = set(choices) == set(LANGUAGES)
        if value is None:
            return doc.problem(loc, f"{name} must not be empty",
                               language_hint("") if language else "one of: " + ", ".join(choices))
        shown = repr(value) if isinstance(value, str) else f"a {_kind_of(value)}"
        if language:  # a long list: told 'unknown', the languages the portal ships first
            return doc.problem(loc, f"unknown {name} {shown}", language_hint(str(value)))
        one = "one of " if " or " in expected else ""
        why = field.description or "" if field and len(choices) == 1 else ""  # a fixed value says why
        hint = close or why
        return doc.problem(loc, f"{name} must be {one}{expected}, not {shown}", hint)
    if kind in _LIMITS:
        key, words = _LIMITS[kind]
        bound = error["ctx"][key]
        bound = int(bound) if float(bound).is_integer() else bound
        return doc.problem(loc, f"{name} must be {words} {bound:,}, not {_written(doc, loc, value)}")
    if kind == "finite_number":
        return doc.problem(loc, f"{name} must be a finite number, not {_written(doc, loc, value)}")
    if kind == "value_error":
        return doc.problem(loc, f"{name}: {error['ctx']['error']}")
    if kind == "string_too_short" or (kind == "string_type" and value is None):
        return doc.problem(loc, f"{name} must not be empty")
    if kind == "string_type":
        return doc.problem(loc, f"{name} must be text, not a {_kind_of(value)}")
    if kind == "list_type":
        return doc.problem(loc, f"{name} must be a list, not {_kind_of(value)}",
                           "write `[a, b]` or one `- item` per line")
    if kind in ("model_type", "dict_type", "model_attributes_type"):
        return doc.problem(loc, f"{name} must be a mapping of keys, not {_kind_of(value)}")
    return doc.problem(loc, f"{name}: {error['msg']}")


def _one_per_key(errors: list[Any]) -> list[Any]:
    """Pydantic's errors without the 'missing' that a misspelt key explains: `forcast:` is one problem
    (unknown key, did you mean 'forecast'), not also a missing 'forecast'."""
    missing = {tuple(e["loc"]) for e in errors if e["type"] == "missing"}
    explained = set()
    for e in errors:
        if e["type"] == "extra_forbidden":
            parent = tuple(e["loc"][:-1])
            names = [str(loc[-1]) for loc in missing if loc[:-1] == parent]
            close = difflib.get_close_matches(str(e["loc"][-1]), names, n=1)
            explained |= {parent + (name,) for name in close}
    return [e for e in errors if not (e["type"] == "missing" and tuple(e["loc"]) in explained)]


def _written(doc: Document, loc: Loc, value: Any) -> str:
    """The value at `loc` as the file writes it (`1e999`, not the `inf` it became), shortened."""
    data = doc.data
    for part in loc:
        try:
            data = data[part]
        except (KeyError, IndexError, TypeError):
            data = value
            break
    text = str(data).strip()
    return text if len(text) <= 40 else text[:39] + "…"


def _kind_of(value: Any) -> str:
    if value is None:
        return "empty value"
    names: dict[type, str] = {dict: "mapping", list: "list", str: "text"}
    return names.get(type(value), type(value).__name__)


def translate_errors(errors: list[Any], doc: Document, shape: Any, filename: str) -> list[Problem]:
    """A file's pydantic errors as problems (`shape`: the file's type in FILE_MODELS)."""
    return [_translate(e, doc, shape, filename) for e in _one_per_key(errors)]
