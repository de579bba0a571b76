"""mkdocs hooks that `site.py` registers for every portal (loaded by mkdocs from this file's path).

- Compiling material's ~50 templates is half the cost of a small portal built
  in a fresh process (the common CI case: one portal rebuilt after a merge);
  a jinja bytecode cache on disk makes that a one-time cost per machine.
- Material repeats the navigation in every page, indented; dropping the
  indentation between tags keeps pages small as a portal grows.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemBytecodeCache


def _cache_dir() -> Path | None:
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    folder = base / "transparency-portal" / "jinja"
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return folder if os.access(folder, os.W_OK) else None


def on_env(env: Environment, config: Any, files: Any) -> Environment:
    """Give mkdocs' template environment a persistent bytecode cache."""
    folder = _cache_dir()
    if folder is not None:
        env.bytecode_cache = FileSystemBytecodeCache(str(folder))
    return env


_VERBATIM = re.compile(r"(<(pre|textarea|script|style)\b.*?</\2>)", re.S | re.I)
_BETWEEN_TAGS = re.compile(r">\s*\n\s*<")


def on_post_page(output: str, page: Any, config: Any) -> str:
    """The page without the indentation between tags (whitespace inside pre/script kept)."""
    parts = _VERBATIM.split(output)
    # split() yields: text, whole verbatim block, its tag name, text, ...
    for i in range(0, len(parts), 3):
        parts[i] = _BETWEEN_TAGS.sub(">\n<", parts[i])
    return "".join(p for i, p in enumerate(parts) if i % 3 != 2)
