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
from dataclasses import dataclass
from functools import cache

from babel.support import NullTranslations, Translations

from generator.i18n.languages import DOMAIN, LOCALES, SOURCE

PSEUDO_ENV = "PORTAL_PSEUDO_LOCALE"
PSEUDO_OPEN, PSEUDO_CLOSE = "⟦", "⟧"

class _Pseudo(NullTranslations):
    """A catalog's answers wrapped in ⟦…⟧ and made a third longer (in words that can wrap)."""

    def __init__(self, base: gettext.NullTranslations) -> None:
        super().__init__()
        self._base = base

    @staticmethod
    def _wrap(text: str) -> str:
        extra = max(1, len(text) // 3)
        padding = " ".join("·" * min(6, extra - i) for i in range(0, extra, 6))
        return f"{PSEUDO_OPEN}{text} {padding}{PSEUDO_CLOSE}"

    def gettext(self, message: str) -> str:
        return self._wrap(self._base.gettext(message))

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return self._wrap(self._base.ngettext(singular, plural, n))

    def pgettext(self, context: str, message: str) -> str:
        return self._wrap(self._base.pgettext(context, message))


@dataclass(frozen=True)
class _Voice:
    """The language being written and the catalog that answers for it."""

    language: str
    catalog: gettext.NullTranslations


_voice: ContextVar[_Voice | None] = ContextVar("portal_voice", default=None)


def pseudo() -> bool:
    """Whether the pseudo-locale is on (a build fingerprints it: its pages differ)."""
    return os.environ.get(PSEUDO_ENV) == "1"


def _speaker(language: str) -> _Voice:
    """The voice of `language`, the pseudo-locale read from the environment now."""
    found = catalog(language)
    return _Voice(language, _Pseudo(found) if pseudo() else found)


@contextmanager
def speaking(language: str) -> Iterator[None]:
    """Within the block, `_()` and the formats answer in `language`."""
    token = _voice.set(_speaker(language))
    try:
        yield
    finally:
        _voice.reset(token)


def _current_voice() -> _Voice:
    return _voice.get() or _speaker(SOURCE)


def current() -> str:
    """The language being written now."""
    return _current_voice().language


@cache
def catalog(language: str) -> gettext.NullTranslations:
    """The compiled catalog of `language`; the source text itself when it has none."""
    if language == SOURCE:
        return NullTranslations()
    found = Translations.load(LOCALES, [language.replace("-", "_")], DOMAIN)
    return found if isinstance(found, Translations) else NullTranslations()


def _(message: str) -> str:
    """`message` in the current language."""
    return _current_voice().catalog.gettext(message)


def ngettext(singular: str, plural: str, count: int) -> str:
    """The form for `count` in the current language's plural rules (format `%(num)s` in yourself)."""
    return _current_voice().catalog.ngettext(singular, plural, count)


def pgettext(context: str, message: str) -> str:
    """`message` in the current language, told apart by `context` where English uses one word twice."""
    return _current_voice().catalog.pgettext(context, message)


def N_(message: str) -> str:
    """Mark `message` for the catalogs without translating it yet."""
    return message
