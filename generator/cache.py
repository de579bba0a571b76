"""What the generator keeps between builds on this machine: compiled templates, the theme's file
list, each customer's history walk.

Each entry is an answer that depends only on its key (a history walk also
checks the inputs it keeps inside), so a stale entry is never used; a missing
or read-only cache folder makes builds slower, never different. The folder is
`$XDG_CACHE_HOME/transparency-portal` (else `~/.cache/transparency-portal`);
deleting it is always safe. It is trusted like the user's own files: jinja's
entries are code, `stored` ones are pickles.
"""

from __future__ import annotations

import hashlib
import json
import os
import pickle
from collections.abc import Callable
from contextlib import suppress
from functools import cache
from pathlib import Path
from typing import Any

from jinja2 import FileSystemBytecodeCache

from generator.files import write_bytes, write_text

_remembered: dict[tuple[str, str], Any] = {}


def cache_dir(kind: str) -> Path | None:
    """A writable folder for one kind of entry, or None when there is none to be had."""
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    folder = base / "transparency-portal" / kind
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return folder if os.access(folder, os.W_OK) else None


@cache
def bytecode_cache(compiler: str = "") -> FileSystemBytecodeCache | None:
    """Compiled jinja templates (checked against their source), shared by every environment.

    `compiler` names a way of compiling other than jinja's own (an environment
    with its own code generator), so that one never loads another's code.
    """
    folder = cache_dir("jinja")
    return FileSystemBytecodeCache(str(folder), f"__jinja2_{compiler}%s.cache") if folder else None


def _entry(kind: str, key: str, suffix: str) -> Path | None:
    """The file of one entry, named by its key's hash (None: no cache folder)."""
    folder = cache_dir(kind)
    return folder / f"{hashlib.sha256(key.encode()).hexdigest()}{suffix}" if folder else None


def stored(kind: str, key: str) -> Any:
    """What `store` kept for `key` on this machine, or None."""
    path = _entry(kind, key, ".pickle")
    try:
        return pickle.loads(path.read_bytes()) if path and path.is_file() else None
    except Exception:  # truncated, or written by other code: a miss, which only costs time
        return None


def store(kind: str, key: str, value: Any) -> None:
    """Keep `value` for `key` (its classes must be the ones the key's code defines)."""
    path = _entry(kind, key, ".pickle")
    if path:
        with suppress(OSError):  # an unwritable cache only costs time
            write_bytes(path, pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))


def remembered(kind: str, key: str, compute: Callable[[], Any]) -> Any:
    """compute()'s JSON-able answer for `key`: from this process, from disk, or computed and kept."""
    if (kind, key) in _remembered:
        return _remembered[kind, key]
    path = _entry(kind, key, ".json")
    try:
        value = json.loads(path.read_text(encoding="utf-8")) if path and path.is_file() else None
    except (OSError, ValueError):
        value = None
    if value is None:
        value = compute()
        if path:
            with suppress(OSError):  # an unwritable cache only costs time
                write_text(path, json.dumps(value))
    _remembered[kind, key] = value
    return value
