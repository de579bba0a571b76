"""The example portfolio's generated Markdown, compared with a committed snapshot.

A template or derive change shows up here as a readable diff. After a
deliberate change, refresh the snapshot with:

    PORTAL_UPDATE_GOLDEN=1 pytest tests/test_golden.py

and review `git diff tests/golden` before committing.
"""

from __future__ import annotations

import os
import shutil
from datetime import date
from pathlib import Path

import pytest

from generator.pages.render import render_portal
from generator.portfolio.validate import load_portfolio
from generator.portfolio.visibility import for_audience
from tests.conftest import EXAMPLE, TODAY

GOLDEN = Path(__file__).parent / "golden"
UPDATE = os.environ.get("PORTAL_UPDATE_GOLDEN") == "1"


def _render(tmp_path: Path) -> dict[str, str]:
    portfolio = load_portfolio(EXAMPLE)
    site = portfolio.site
    pages: dict[str, str] = {}
    for customer in portfolio.customers:
        docs = tmp_path / customer.slug
        docs.mkdir()
        render_portal(for_audience(customer, "customer"), today=date.fromisoformat(TODAY),
                      audience="customer", theme_dir=site.themes_dir / customer.info.theme,
                      shared_pages=site.pages, docs_dir=docs)
        pages.update({str(p.relative_to(tmp_path)): p.read_text(encoding="utf-8")
                      for p in sorted(docs.rglob("*.md"))})
    return pages


def test_generated_markdown_matches_the_snapshot(tmp_path: Path) -> None:
    pages = _render(tmp_path)
    if UPDATE:
        shutil.rmtree(GOLDEN, ignore_errors=True)
        for rel, text in pages.items():
            (GOLDEN / rel).parent.mkdir(parents=True, exist_ok=True)
            (GOLDEN / rel).write_text(text, encoding="utf-8")
        pytest.skip("golden snapshot refreshed")
    expected = {str(p.relative_to(GOLDEN)): p.read_text(encoding="utf-8")
                for p in sorted(GOLDEN.rglob("*.md"))}
    assert sorted(pages) == sorted(expected), "pages added or removed: refresh the snapshot"
    for rel, text in pages.items():
        assert text == expected[rel], f"{rel} differs from tests/golden (see the module docstring)"
