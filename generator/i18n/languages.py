"""Which languages the portal writes its own words in, and how Babel names them.

A customer's `language` is one of mkdocs-material's interface languages; the
portal's catalogs cover the SHIPPED ones. Any other material language keeps
its dates and numbers in local form, but the portal's words stay English
(validation says so at the `language` line).
"""

from __future__ import annotations

from functools import cache

from babel import Locale, UnknownLocaleError

SOURCE = "en"
"""The language the portal's texts are written in: its catalog is the source text itself."""

SHIPPED: tuple[str, ...] = ("en", "de", "fr", "nl")
"""Languages with a complete catalog under locales/ (tests/test_i18n.py holds them complete)."""

DOMAIN = "portal"
"""The gettext domain: locales/<language>/LC_MESSAGES/portal.mo."""


@cache
def babel_locale(language: str) -> Locale:
    """Babel's locale of a material language code ('pt-BR' -> pt_BR); English if Babel has none."""
    try:
        return Locale.parse(language.replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        return Locale.parse(SOURCE)
