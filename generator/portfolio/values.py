"""The kinds of value the contract knows, each with its written form and its bounds.

Dates, money, day counts, scores, folder names, addresses and languages: one
annotated type each, used by every field of that kind (model.py), read by the
JSON Schema (schema.py) and, for dates, by the build date (facts/clock.py).
docs/format.md says the same in words.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import Annotated, Any, Literal, get_args

from babel import Locale
from pydantic import BeforeValidator, Field, GetCoreSchemaHandler, GetJsonSchemaHandler, WithJsonSchema
from pydantic_core import CoreSchema, core_schema

from generator.i18n.languages import SHIPPED, SOURCE, babel_locale, forms_of
from generator.portfolio.errors import did_you_mean

ISO_DATE_RE = re.compile(r"\d{4}-\d{2}-\d{2}")
"""How a date is written; use with `fullmatch` (`match` and `$` would let 'YYYY-MM-DD\\n' through)."""

WHOLE_NUMBER_RE = re.compile(r"\s*[+-]?\d+\s*")
"""Days and counts written as text; use with `fullmatch`."""
NUMBER_RE = re.compile(r"\s*[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?\s*")
"""Money and scores written as text (no `inf`, `nan` or `1_000`); use with `fullmatch`."""
FIRST_DAY = date(1970, 1, 1)
"""The earliest date a portfolio (and the build date) may hold: git and SOURCE_DATE_EPOCH start here."""
LAST_DAY = date(2099, 12, 31)
"""The latest: beyond any plan, and within what a build date can be (gzip's 32-bit timestamps end in 2106)."""
MAX_MONEY = 10**12
"""Amounts stay below a trillion: more is a typo (or `1e999`, which Python reads as infinity)."""
MAX_DAYS = 36_500
"""A schedule impact of a hundred years either way is the most a change request may claim."""
MAX_CADENCE = 365
"""A status update is due at least once a year."""
MAX_COUNT = 999_999
"""Feedback responses: a count, never negative."""
MAX_SCORE = 1000
"""Scores and their scales (5, 10, 100) stay small; 0 is the least."""
SITE_URL_RE = re.compile(r"https?://[^\s/?#@]+(/[^\s?#]*)?")
"""Where a portal is published: an http(s) address with a host, no query, fragment or credentials."""
FOLDER_NAME_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,62}")
"""A folder beside others (a theme): one plain name, never `..` or a path."""

Language = Literal[
    "af", "ar", "az", "be", "bg", "bn", "ca", "cs", "cy", "da", "de", "el", "en", "eo", "es", "et", "eu",
    "fa", "fi", "fr", "gl", "he", "hi", "hr", "hu", "hy", "id", "is", "it", "ja", "ka", "kn", "ko", "ku-IQ",
    "lb", "lt", "lv", "mk", "mn", "ms", "my", "nb", "nl", "nn", "pl", "pt", "pt-BR", "ro", "ru", "sa", "sh",
    "si", "sk", "sl", "sq", "sr", "sv", "ta", "te", "th", "tl", "tr", "uk", "ur", "uz", "vi", "zh",
    "zh-Hant", "zh-TW"
]
"""The interface languages of the theme: mkdocs-material's partials/languages/ (tests/test_schema.py
compares this list with the installed theme's). The portal's own words come in SHIPPED ones only."""
LANGUAGES: tuple[str, ...] = get_args(Language)
"""The same codes as a tuple, for messages and hints."""


def _folded(text: str) -> str:
    """`Français` -> `francais`: a name compared without case or accents."""
    return "".join(c for c in unicodedata.normalize("NFKD", text.casefold()) if not unicodedata.combining(c))


@cache
def _language_names() -> dict[str, str]:
    """Folded English and native name of each language (`german`, `deutsch`) -> its code."""
    english = Locale.parse(SOURCE)
    names: dict[str, str] = {}
    for code in reversed(LANGUAGES):  # `zh` wins `chinese` over `zh-Hant`, `pt` wins over `pt-BR`
        if forms_of(code) != code:
            continue  # Babel does not know it
        own = babel_locale(code)
        for name in (english.get_display_name(own), own.get_display_name(own),
                     english.languages.get(own.language), own.languages.get(own.language)):
            if name:
                names[_folded(name)] = code
    return names


def meant_language(written: str) -> str | None:
    """The code a language written otherwise stands for: `DE`, `de_DE`, `de-AT`, `German`, `Deutsch` -> de."""
    codes = {code.casefold(): code for code in LANGUAGES} | {"no": "nb"}  # ISO 639-1 Norwegian: Bokmål
    spelt = written.strip().replace("_", "-").casefold()
    return (codes.get(spelt) or codes.get(spelt.split("-")[0])
            or _language_names().get(_folded(written.strip())))


def language_hint(written: str) -> str:
    """The hint for a language neither the portal nor the theme knows: what was meant, then the choices.

    The languages the portal ships come first; the theme's others follow,
    which build with the portal's own words in English.
    """
    shipped = ", ".join(SHIPPED)
    meant = meant_language(written)
    if meant:
        return (f"did you mean '{meant}'? the portal ships {shipped} (and builds the theme's other "
                "languages with its own words in English)")
    guess = did_you_mean(written, list(LANGUAGES))
    others = ", ".join(code for code in LANGUAGES if code not in SHIPPED)
    return (f"{guess + ' ' if guess else ''}the portal ships {shipped}; the theme's other languages build "
            f"with the portal's own words in English: {others}")


def language_note(language: str) -> str:
    """What a reader gets in a `language` the portal has no words of its own in ('' when it has)."""
    if language in SHIPPED:
        return ""
    return (f"the portal ships its own words in {', '.join(SHIPPED)} only, so in language '{language}' "
            "they stay English; dates, numbers, money and the theme's interface (search, navigation) "
            f"follow '{language}'")


def _iso_date(value: Any) -> Any:
    """Accept only YYYY-MM-DD (quoted or not), real calendar dates from FIRST_DAY to LAST_DAY."""
    if isinstance(value, str) and ISO_DATE_RE.fullmatch(value):
        try:
            value = date.fromisoformat(value)
        except ValueError:
            raise ValueError(f"{value!r} is not a real date") from None
    if not isinstance(value, date):
        raise ValueError(f"{_shown(value)} is not a date written YYYY-MM-DD")
    if value < FIRST_DAY:
        raise ValueError(f"{value} is before {FIRST_DAY}, the earliest date a portfolio may hold")
    if value > LAST_DAY:
        raise ValueError(f"{value} is after {LAST_DAY}, the latest date a portfolio may hold")
    return value


def _shown(value: Any) -> str:
    """A wrong value as the message echoes it: the text written, or what kind of thing it is."""
    if isinstance(value, str):
        return repr(value if len(value) <= 40 else value[:39] + "…")
    if isinstance(value, list):
        return "a list"
    return "a mapping" if isinstance(value, dict) else "an empty value" if value is None else "it"


def _whole_number(value: Any) -> Any:
    """Durations and counts are whole numbers; '7' from YAML text is fine, 7.5 is not."""
    if isinstance(value, str) and WHOLE_NUMBER_RE.fullmatch(value):
        return int(value)
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    raise ValueError(f"{_shown(value)} is not a whole number")


@dataclass(frozen=True)
class _Whole:
    """Text whose whole value must match `pattern`, in the validator and in the JSON Schema."""

    pattern: re.Pattern[str]
    expected: str
    """What a matching value is, in words: the message says 'x' is not <expected>."""

    def __get_pydantic_core_schema__(self, source: Any, handler: GetCoreSchemaHandler) -> CoreSchema:
        return core_schema.no_info_after_validator_function(self._check, handler(source))

    def __get_pydantic_json_schema__(self, schema: CoreSchema, handler: GetJsonSchemaHandler) -> Any:
        return {**handler(schema), "type": "string", "pattern": f"^{self.pattern.pattern}$",
                "patternErrorMessage": f"expected {self.expected}"}

    def _check(self, value: str) -> str:
        if not self.pattern.fullmatch(value):
            raise ValueError(f"{value!r} is not {self.expected}")
        return value


def _number(value: Any) -> Any:
    """Money and scores are plain numbers (no currency signs or thousands separators)."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return value
    if isinstance(value, str) and NUMBER_RE.fullmatch(value):
        return float(value)  # too large a number becomes inf, which the bounds refuse
    raise ValueError(f"{_shown(value)} is not a number")


def _bounds(text: str, expected: str, example: Any, **bounds: Any) -> Any:
    """The bounds of a value, checked by pydantic; `text` is the same rule for the JSON Schema.

    The schema checks numbers by their bounds, and values written as quoted
    text by the `text` pattern (tests/test_schema.py holds both to the same cases).
    """
    return Field(**bounds, json_schema_extra={"pattern": text, "patternErrorMessage": expected,
                                              "examples": [example]})


Day = Annotated[date, BeforeValidator(_iso_date), _bounds(
    r"^(19[7-9]\d|20\d\d)-\d{2}-\d{2}$",
    f"expected a date written YYYY-MM-DD, from {FIRST_DAY} to {LAST_DAY}", "2026-11-26")]
"""A calendar date written YYYY-MM-DD, from FIRST_DAY to LAST_DAY."""
# Numbers: the bounds come before the converter, so that they apply to the number it makes.
CadenceDays = Annotated[int, _bounds(
    r"^\s*\+?0*([1-9]\d?|[12]\d\d|3[0-5]\d|36[0-5])\s*$", "expected a whole number from 1 to 365", 7,
    ge=1, le=MAX_CADENCE), BeforeValidator(_whole_number)]
"""How often something is due, in whole days."""
DaysImpact = Annotated[int, _bounds(
    r"^\s*[+-]?0*(\d{1,4}|[12]\d{4}|3[0-5]\d{3}|36[0-4]\d\d|36500)\s*$",
    "expected a whole number from -36500 to 36500", 10, ge=-MAX_DAYS, le=MAX_DAYS),
    BeforeValidator(_whole_number)]
"""Days gained or lost, in whole days (negative: earlier)."""
Count = Annotated[int, _bounds(
    r"^\s*\+?0*\d{1,6}\s*$", "expected a whole number from 0 to 999999", 12, ge=0, le=MAX_COUNT),
    BeforeValidator(_whole_number)]
"""How many of something."""
_E = r"([eE](-\d+|\+?\d))?"  # text patterns take an exponent up to 9: enough for 1e6, never 1e999
Money = Annotated[float, _bounds(
    rf"^\s*\+?0*(\d{{1,12}}(\.\d*)?|\.\d+){_E}\s*$", "expected an amount from 0 to below 10^12", 50000,
    ge=0, lt=MAX_MONEY, allow_inf_nan=False), BeforeValidator(_number)]
"""An amount of money; never negative."""
MoneyDelta = Annotated[float, _bounds(
    rf"^\s*[+-]?0*(\d{{1,12}}(\.\d*)?|\.\d+){_E}\s*$", "expected an amount between -10^12 and 10^12", 4000,
    gt=-MAX_MONEY, lt=MAX_MONEY, allow_inf_nan=False), BeforeValidator(_number)]
"""An amount of money gained or lost (negative: saved)."""
Score = Annotated[float, _bounds(
    rf"^\s*\+?0*(\d{{1,3}}(\.\d*)?|\.\d+|1000(\.0*)?){_E}\s*$", "expected a number from 0 to 1000", 8,
    ge=0, le=MAX_SCORE, allow_inf_nan=False), BeforeValidator(_number)]
"""A score or the scale it is given on."""
Text = Annotated[str, Field(min_length=1)]
"""Plain text, shown as written."""
SiteUrl = Annotated[str, Field(min_length=1), _Whole(
    SITE_URL_RE, "an http:// or https:// address such as https://portal.example.com/acme/")]
"""The address a portal is published at."""
FolderName = Annotated[str, Field(min_length=1), _Whole(
    FOLDER_NAME_RE, "a folder name (letters, digits, '.', '_' and '-', not starting with '.')")]
"""The name of one folder, such as a theme's."""
Md = Annotated[str, Field(min_length=1, json_schema_extra={"contentMediaType": "text/markdown"})]
"""Markdown text; raw HTML in it is never passed through."""


NotifyKind = Literal["digest", "reminders"]
"""digest: what changed at each publish; reminders: what the customer owes, before and after it is due."""


def _notify(value: Any) -> Any:
    """`none` (or nothing) is the empty list; a kind may be listed once."""
    if value is None or value == "none":
        return ()
    if isinstance(value, str):
        raise ValueError("expected `none` or a list such as [digest, reminders]")
    if isinstance(value, list) and len(set(map(str, value))) != len(value):
        raise ValueError("lists a kind twice")
    return value


Notify = Annotated[
    tuple[NotifyKind, ...], BeforeValidator(_notify),
    WithJsonSchema({"anyOf": [{"const": "none"},
                              {"type": "array", "items": {"enum": ["digest", "reminders"]},
                               "uniqueItems": True}]}),
]
"""Which messages `portal notify` sends a person: `none` (the default) or a list of NotifyKind."""


def _colour(value: Any) -> Any:
    """A header colour as a web colour: '#0b4f6c'."""
    if isinstance(value, str) and re.fullmatch(r"#[0-9a-fA-F]{6}", value):
        return value
    raise ValueError("expected a colour written #RRGGBB, quoted in YAML (e.g. \"#0b4f6c\")")


Colour = Annotated[str, BeforeValidator(_colour), Field(pattern=r"^#[0-9a-fA-F]{6}$")]
"""A colour written #RRGGBB."""
