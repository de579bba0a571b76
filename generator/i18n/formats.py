"""Dates, numbers and money in the current language's local form (Babel's CLDR data).

English keeps the portal's own conventions (ISO dates, `EUR 120,000`), which
read the same everywhere English is read; every other language writes them
as its readers do (`22.11.2026`, `240.000 €`). Machines get ISO dates
elsewhere (feeds, calendars, `datetime` attributes), never from here.
"""

from __future__ import annotations

import re
from datetime import date
from functools import cache, lru_cache

from babel.dates import format_date, format_skeleton
from babel.numbers import format_currency, format_decimal, format_percent, get_currency_symbol

from generator.i18n import translate
from generator.i18n.languages import SOURCE, babel_locale, forms_of

MINUS = "\N{MINUS SIGN}"


def current() -> str:
    """The language whose forms are written now: the reader's, or English's where Babel has none."""
    return forms_of(translate.current())


def _signed(text: str, value: float, signed: bool) -> str:
    """Babel's '-' as a real minus sign, and '+' in front of a gain when `signed`."""
    text = text.replace("-", MINUS)
    return f"+{text}" if signed and value > 0 else text


def short_date(value: date) -> str:
    """A day in numbers: '2026-11-22' in English, '22.11.2026', '22/11/2026', '22-11-2026'."""
    return _short_date(value, current())


@lru_cache(maxsize=8192)
def _short_date(value: date, language: str) -> str:
    if language == SOURCE:
        return value.isoformat()
    return format_date(value, _numeric_pattern(language), locale=babel_locale(language))


@cache
def _numeric_pattern(language: str) -> str:
    """The language's short date with a four-digit year and two-digit day and month, so a column of
    dates lines up: 'dd.MM.yy' -> 'dd.MM.y', Dutch 'd-M-y' -> 'dd-MM-y'."""
    pattern = babel_locale(language).date_formats["short"].pattern
    pattern = re.sub(r"(?<!y)yy(?!y)", "y", pattern)
    return re.sub(r"(?<![dM])([dM])(?![dM])", r"\1\1", pattern)


def weekday(value: date) -> str:
    """The abbreviated weekday: 'Fri', 'Fr.', 'ven.'."""
    return _dated(value, current(), "{d:%a}", pattern="EEE")


def weekday_date(value: date) -> str:
    """Weekday and day in numbers, as `short_date` writes the day: 'Fri 2026-12-04', 'Fr. 04.12.2026'."""
    return f"{weekday(value)} {short_date(value)}"


def month(value: date) -> str:
    """The abbreviated month on its own, as a chart's axis writes it: 'Nov', 'Nov.', 'nov.'."""
    return _dated(value.replace(day=1), current(), "{d:%b}", pattern="LLL")


def month_year(value: date) -> str:
    """The abbreviated month and its year, as a chart's axis writes it: 'Nov 2026', 'Nov. 2026'."""
    return _dated(value.replace(day=1), current(), "{d:%b} {d.year}", skeleton="yMMM")


def day_month(value: date) -> str:
    """Day and abbreviated month, as a chart's label writes it: '22 Nov', '22. Nov.', '22 nov.'."""
    return _dated(value, current(), "{d.day} {d:%b}", skeleton="MMMd")


def day_month_year(value: date) -> str:
    """Day, abbreviated month and year: '22 Nov 2026', '22. Nov. 2026', '22 nov. 2026'."""
    return _dated(value, current(), "{d.day} {d:%b} {d.year}", skeleton="yMMMd")


@lru_cache(maxsize=16384)
def _dated(value: date, language: str, english: str, *, pattern: str = "", skeleton: str = "") -> str:
    """`value` in `language`: the portal's `english` form (a str.format of the date `d`), else Babel's
    CLDR `pattern`, or the locale's own order of the fields a `skeleton` names."""
    if language == SOURCE:
        return english.format(d=value)
    if skeleton:
        return format_skeleton(skeleton, value, locale=babel_locale(language))
    return format_date(value, pattern, locale=babel_locale(language))


def decimal(value: float, signed: bool = False) -> str:
    """A number without a pointless '.0': '1234' / '1234.5' in English, '1.234,5' in German."""
    return _decimal(value, signed, current())


@lru_cache(maxsize=8192)
def _decimal(value: float, signed: bool, language: str) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value) if language == SOURCE else format_decimal(value, locale=babel_locale(language))
    return _signed(text, value, signed)


def money(amount: float, currency: str, signed: bool = False) -> str:
    """An amount with its currency, cents only if any: 'EUR 120,000', '120.000 €', '€ 1.234,50'.

    English writes a loss 'EUR −4,800' and, `signed`, a difference '−EUR 4,800'.
    """
    return _money(amount, currency, signed, current())


@lru_cache(maxsize=8192)
def _money(amount: float, currency: str, signed: bool, language: str) -> str:
    whole = float(amount).is_integer()
    if language == SOURCE:
        shown = abs(amount) if signed else amount
        digits = f"{shown:,.0f}" if whole else f"{shown:,.2f}"
        sign = MINUS if signed and amount < 0 else ""
        return _signed(f"{sign}{currency} {digits}", amount, signed)
    locale = babel_locale(language)
    pattern = locale.currency_formats["standard"].pattern
    if whole:
        pattern = pattern.replace(".00", "")
    if signed and amount > 0:  # the plus where the language puts its minus: '+9.750 €', '€ +9.750'
        text = format_currency(-amount, currency, format=pattern, locale=locale, currency_digits=False)
        return text.replace("-", "+", 1).replace(locale.number_symbols["latn"]["minusSign"], "+", 1)
    text = format_currency(amount, currency, format=pattern, locale=locale, currency_digits=False)
    return _signed(text, amount, signed)


def currency_symbol(currency: str) -> str:
    """The currency as a reader writes it: 'EUR' in English (the portal's convention), '€' elsewhere."""
    language = current()
    return currency if language == SOURCE else get_currency_symbol(currency, locale=babel_locale(language))


def percent(value: float) -> str:
    """A signed percentage to one decimal: '+8.3%', '−2%' in English, '+8,3 %' in German."""
    language = current()
    size = round(abs(value), 1)
    if language == SOURCE:
        text = f"{decimal(size)}%"
    else:
        locale = babel_locale(language)
        pattern = locale.percent_formats[None].pattern.split(";")[0]
        text = format_percent(size / 100, re.sub(r"0(?=[^0]*$)", "0.#", pattern), locale=locale)
    return ("+" if value > 0 else MINUS if value < 0 else "") + text
