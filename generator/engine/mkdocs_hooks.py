"""mkdocs hooks that `engine.mkdocs` registers for every portal (loaded by mkdocs from this file's path).

Material repeats the navigation in every page, indented; dropping the
indentation between tags keeps pages small as a portal grows. The charts
that passed through Markdown as comments (`passthrough.py`) come back first.
"""

from __future__ import annotations

import re
from typing import Any

from generator.pages.passthrough import restore

_VERBATIM = re.compile(r"(<(pre|textarea|script|style)\b.*?</\2>)", re.S | re.I)
_BETWEEN_TAGS = re.compile(r">\s*\n\s*<")


def on_post_page(output: str, page: Any, config: Any) -> str:
    """The page with its charts, without the indentation between tags (whitespace inside pre/script kept)."""
    parts = _VERBATIM.split(restore(output))
    # split() yields: text, whole verbatim block, its tag name, text, ...
    for i in range(0, len(parts), 3):
        parts[i] = _BETWEEN_TAGS.sub(">\n<", parts[i])
    return "".join(p for i, p in enumerate(parts) if i % 3 != 2)
