"""Content pages (the shared content/ and a customer's own) copied into a portal, in its language
(portfolio/variants.py chooses which)."""

from __future__ import annotations

import shutil
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from generator.portfolio.model import ABOUT_DIR
from generator.portfolio.variants import in_language


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
