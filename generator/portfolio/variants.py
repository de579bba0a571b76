"""Which content pages a portal in one language shows: `how-we-work.de.md` is `how-we-work.md` in German.

A file named for a language (one of the theme's) is never a page of its own
in a portal of another language; any other dotted name (`plan.2027.md`) is
an ordinary page. The variant keeps the plain name, so links and the page's
address are the same in every language. Pages (about/) and history (which
pages changed) both ask here.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import get_args

from generator.portfolio.values import Language, meant_language

LANGUAGES = frozenset(code.casefold() for code in get_args(Language))
"""Codes a page's variant may be named for: the theme's interface languages."""


def in_language(pages: Sequence[Path], language: str) -> dict[str, Path]:
    """The pages of one folder a portal in `language` shows, by the name it shows them under."""
    chosen: dict[str, Path] = {}
    variants: dict[str, Path] = {}
    for page in pages:
        stem, dot, code = page.stem.rpartition(".")
        if not dot or code.casefold() not in LANGUAGES:
            chosen[page.name] = page
        elif code.casefold() == language.casefold():
            variants[f"{stem}.md"] = page
    return {**chosen, **variants}


def misnamed(pages: Sequence[Path]) -> list[tuple[Path, str, str]]:
    """(page, code as written, code meant) of each page named like a variant with its language spelt
    otherwise (`glossary.de-DE.md`, `faq.no.md`): an ordinary page in every portal, as nobody meant."""
    found = []
    for page in pages:
        code = page.stem.rpartition(".")[2] if "." in page.stem else ""
        meant = meant_language(code) if code and code.casefold() not in LANGUAGES else None
        if meant:
            found.append((page, code, meant))
    return found
