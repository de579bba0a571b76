"""Which languages the portal writes its own words in, and how Babel names them.

A customer's `language` is one of mkdocs-material's interface languages; the
portal's catalogs cover the SHIPPED ones. Any other material language keeps
its dates and numbers in local form, but the portal's words stay English
(validation says so at the `language` line).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from babel import Locale, UnknownLocaleError

SOURCE = "en"
"""The language the portal's texts are written in: its catalog is the source text itself."""

DOMAIN = "portal"
"""The gettext domain: locales/<language>/LC_MESSAGES/portal.mo."""

LOCALES = Path(__file__).parent / "locales"
"""Catalogs: <language>/LC_MESSAGES/portal.po (translated) and .mo (compiled, what is read)."""

SHIPPED: tuple[str, ...] = (SOURCE, *sorted(
    folder.name.replace("_", "-") for folder in LOCALES.iterdir()
    if (folder / "LC_MESSAGES" / f"{DOMAIN}.mo").is_file()))
"""The source language and every language with a compiled catalog (tests/test_i18n_catalogs.py holds them
complete): adding a language is adding its catalog. A catalog never compiled is not shipped, so validation
warns that its portals' words are English instead of building them so in silence."""


@cache
def forms_of(language: str) -> str:
    """The language whose dates and numbers a portal in `language` writes: its own where Babel knows it,
    else the portal's English forms (ISO dates), never another country's (a US month-first date)."""
    try:
        babel_locale(language)
    except (UnknownLocaleError, ValueError):
        return SOURCE
    return language


@cache
def babel_locale(language: str) -> Locale:
    """Babel's locale of a material language code Babel knows ('pt-BR' -> pt_BR)."""
    return Locale.parse(language.replace("-", "_"))
