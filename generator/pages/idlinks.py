"""Item ids named in prose (`Q-3`, `CR-2`, `D-4`) become links to the item.

Works on the sanitized HTML of an (md) field: only text outside links, code
and tags is touched, and only ids the project shows are linked, so a link
never points to an item the reader cannot see.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import lru_cache

from markupsafe import Markup

from generator.facts.records import ProjectFacts

_PROTECTED = re.compile(r"(<a\b.*?</a>|<code\b.*?</code>|<[^>]*>)", re.DOTALL | re.IGNORECASE)
"""Pieces left as they are: existing links, code, and every tag."""


def item_targets(facts: ProjectFacts, anchor: object) -> dict[str, str]:
    """Each item id of a project -> its page and anchor, relative to the project's pages (built HTML)."""
    to_anchor = anchor if callable(anchor) else str
    project = facts.project
    pages = (
        ("risks", [e.id for e in project.info.expectations] + [r.id for r in project.risks]),
        ("changes", [c.id for c in project.changes]),
        ("questions", [q.id for q in project.questions]),
        ("decisions", [d.id for d in project.decisions]),
        ("plan", [m.id for m in project.milestones]),
    )
    return {i: f"{page}.html#{to_anchor(i)}" for page, ids in pages for i in ids}


@lru_cache(maxsize=256)
def _pattern(ids: frozenset[str]) -> re.Pattern[str] | None:
    """One regex matching any of `ids` as a whole word, longest first (CR-12 before CR-1)."""
    if not ids:
        return None
    words = "|".join(re.escape(i) for i in sorted(ids, key=len, reverse=True))
    return re.compile(rf"(?<![\w-])({words})(?![\w-])")


def link_ids(html: Markup, targets: Mapping[str, str]) -> Markup:
    """`html` with every id of `targets` in its text turned into a link to the item."""
    pattern = _pattern(frozenset(targets))
    if pattern is None or not html:
        return html
    pieces = _PROTECTED.split(str(html))
    for n in range(0, len(pieces), 2):  # even pieces are text between protected ones
        pieces[n] = pattern.sub(lambda m: f'<a href="{targets[m.group(1)]}">{m.group(1)}</a>', pieces[n])
    return Markup("".join(pieces))
