"""The portal's own words in the reader's language: one gettext catalog per language.

Code marks a text with `_()` (`ngettext()` for a count) where it is shown,
and with `N_()` where it is only defined (a table of labels), translating it
where it is shown. Which language comes out is set once around the work for
one customer with `speaking(language)`. Texts from a customer's YAML never
pass through here: they are theirs.

With PORTAL_PSEUDO_LOCALE=1 every translated text is wrapped in ⟦…⟧ and made
a third longer, so a test can find text that was never marked, and see that
pages survive longer words.
"""

from __future__ import annotations

import gettext
import os
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import cache

from babel.support import NullTranslations, Translations

from generator.i18n.languages import DOMAIN, LOCALES, SOURCE

PSEUDO_ENV = "PORTAL_PSEUDO_LOCALE"
PSEUDO_OPEN, PSEUDO_CLOSE = "⟦", "⟧"

_language: ContextVar[str] = ContextVar("portal_language", default=SOURCE)


@contextmanager
def speaking(language: str) -> Iterator[None]:
    """Within the block, `_()` and the formats answer in `language`."""
    token = _language.set(language)
    try:
        yield
    finally:
        _language.reset(token)


def current() -> str:
    """The language being written now."""
    return _language.get()


@cache
def catalog(language: str) -> gettext.NullTranslations:
    """The compiled catalog of `language`; the source text itself when it has none."""
    if language == SOURCE:
        return NullTranslations()
    found = Translations.load(LOCALES, [language.replace("-", "_")], DOMAIN)
    return found if isinstance(found, Translations) else NullTranslations()


def _pseudo(text: str) -> str:
    """⟦text⟧, a third longer in words that can wrap, its %(placeholders)s left intact."""
    extra = max(1, len(text) // 3)
    padding = " ".join("·" * min(6, extra - i) for i in range(0, extra, 6))
    return f"{PSEUDO_OPEN}{text} {padding}{PSEUDO_CLOSE}"


def pseudo() -> bool:
    """Whether the pseudo-locale is on (a build fingerprints it: its pages differ)."""
    return os.environ.get(PSEUDO_ENV) == "1"


def _shown(text: str) -> str:
    return _pseudo(text) if pseudo() else text


def _(message: str) -> str:
    """`message` in the current language."""
    return _shown(catalog(_language.get()).gettext(message))


def ngettext(singular: str, plural: str, count: int) -> str:
    """The form for `count` in the current language's plural rules (format `%(count)s` in yourself)."""
    return _shown(catalog(_language.get()).ngettext(singular, plural, count))


def pgettext(context: str, message: str) -> str:
    """`message` in the current language, told apart by `context` where English uses one word twice."""
    return _shown(catalog(_language.get()).pgettext(context, message))


def N_(message: str) -> str:
    """Mark `message` for the catalogs without translating it yet."""
    return message
