"""Content pages (the shared content/ and a customer's own) copied into a portal, in its language.

A page may come in language variants beside it: `how-we-work.de.md` is
`how-we-work.md` for a German portal, under the same name (so links and the
page's address stay the same in every language). A file named for a
language (one of the theme's) is never a page of its own in a portal of
another language; any other dotted name (`plan.2027.md`) is an ordinary page.
"""

from __future__ import annotations

import shutil
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import get_args

from generator.portfolio.model import ABOUT_DIR
from generator.portfolio.values import Language

LANGUAGES = frozenset(code.casefold() for code in get_args(Language))
"""Codes a page's variant may be named for: the theme's interface languages."""


@dataclass(frozen=True)
class AboutPage:
    """A content page copied into the portal, for the home page's list."""

    title: str
    path: str
    """Relative to docs_dir, e.g. about/how-we-work.md."""


def page_title(page: Path) -> str:
    """The page's first '# ' heading, else its file name in words."""
    for line in page.read_text(encoding="utf-8").splitlines():
        if line.startswith("# "):
            return line[2:].strip().rstrip("#").strip()
    return page.stem.replace("-", " ").replace("_", " ").capitalize()


def in_language(pages: Sequence[Path], language: str) -> dict[str, Path]:
    """The pages of one folder a portal in `language` shows, by the name it shows them under in about/."""
    chosen: dict[str, Path] = {}
    variants: dict[str, Path] = {}
    for page in pages:
        stem, dot, code = page.stem.rpartition(".")
        if not dot or code.casefold() not in LANGUAGES:
            chosen[page.name] = page
        elif code.casefold() == language.casefold():
            variants[f"{stem}.md"] = page
    return {**chosen, **variants}


def copy_about(shared_pages: Sequence[Path], own_pages: Sequence[Path], docs_dir: Path,
               language: str) -> list[AboutPage]:
    """Copy content pages in `language` under about/ (the customer's own win a name clash)."""
    chosen = {**in_language(shared_pages, language), **in_language(own_pages, language)}
    target = docs_dir / ABOUT_DIR
    if chosen:
        target.mkdir(parents=True, exist_ok=True)
    for name, page in chosen.items():
        shutil.copyfile(page, target / name)
    return [AboutPage(page_title(chosen[n]), f"{ABOUT_DIR}/{n}") for n in sorted(chosen)]
