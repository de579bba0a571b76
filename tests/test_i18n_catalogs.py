"""The catalogs the portal ships are complete and current: a maintainer's guard.

Every word the code and the page templates mark is extracted from the
sources here, as `pybabel extract` does, and must be in the committed
template (portal.pot) and translated in every shipped language's .po, whose
compiled .mo is what the portal reads. A translation keeps the English
text's `%(placeholders)s`, and each .po has its language's plural rules.

When a test here fails, its message names the command that fixes it (the
README's "Adding or updating a language" has all four).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator
from functools import cache
from io import BytesIO
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import read_mo, write_mo
from babel.messages.plurals import get_plural
from babel.messages.pofile import read_po

from generator.i18n.languages import DOMAIN, LOCALES, SHIPPED, SOURCE
from tests.conftest import REPO

BABEL_CFG = REPO / "generator/i18n/babel.cfg"
TEMPLATE = LOCALES / f"{DOMAIN}.pot"
PROMISED = ("de", "fr", "nl")
"""The languages docs/format.md says the portal ships besides English: their catalogs must be here."""
TRANSLATED = sorted({*PROMISED, *SHIPPED} - {SOURCE})
"""Every catalog held complete: the promised ones, and any other language added since."""
_LOCALES = LOCALES.relative_to(REPO)
EXTRACT = (f"pybabel extract -F {BABEL_CFG.relative_to(REPO)} -k N_ -c Translators: --no-location "
           f"--sort-output -o {TEMPLATE.relative_to(REPO)} .")
UPDATE = f"pybabel update -D {DOMAIN} -i {TEMPLATE.relative_to(REPO)} -d {_LOCALES}"
INIT = f"pybabel init -D {DOMAIN} -i {TEMPLATE.relative_to(REPO)} -d {_LOCALES}"
COMPILE = f"pybabel compile -D {DOMAIN} -d {_LOCALES} --statistics"
PLACEHOLDER = re.compile(r"%\((\w+)\)[-#0 +]*\d*(?:\.\d+)?[diouxXeEfFgGcrsa]")
"""A named placeholder as Python's %-formatting (and jinja's newstyle gettext) reads it."""

Key = tuple[str | tuple[str, ...], str | None]
"""A message as a catalog tells it apart: (msgid, or (singular, plural); context)."""


@cache
def extracted() -> Catalog:
    """Every marked message in the sources, with its translators' comments, as `EXTRACT` finds them."""
    with BABEL_CFG.open(encoding="utf-8") as cfg:
        method_map, options_map = parse_mapping_cfg(cfg, filename=str(BABEL_CFG))
    keywords = {**DEFAULT_KEYWORDS, "N_": None}
    catalog = Catalog(domain=DOMAIN)
    for file, line, message, comments, context in extract_from_dir(
            str(REPO), method_map, options_map, keywords=keywords, comment_tags=("Translators:",)):
        catalog.add(message, None, [(file, line)], auto_comments=comments, context=context)
    return catalog


def _key(message: Message) -> Key:
    return (message.id if isinstance(message.id, str) else tuple(message.id)), message.context


def _comment(message: Message) -> str:
    """A message's translators' comments as one text: the .pot wraps long lines where the source did not."""
    return " ".join(" ".join(message.auto_comments).split())


def _messages(catalog: Catalog) -> Iterator[Message]:
    """The catalog's messages, its header (the empty msgid) left out."""
    return (message for message in catalog if message.id)


def _shown(key: Key) -> str:
    msgid, context = key
    text = " / ".join(msgid) if isinstance(msgid, tuple) else msgid
    return f"{context}: {text!r}" if context else repr(text)


def _po_path(language: str) -> Path:
    return LOCALES / language / "LC_MESSAGES" / f"{DOMAIN}.po"


def _po(language: str) -> Catalog:
    """The language's translated catalog, or a failure saying how to make it."""
    path = _po_path(language)
    if not path.is_file():
        pytest.fail(f"no catalog for '{language}': {path.relative_to(REPO)} is missing.\n"
                    f"Make it: {EXTRACT}\n"
                    f"  then {INIT} -l {language}\n"
                    f"  translate every message, then {COMPILE}", pytrace=False)
    with path.open("rb") as file:
        return read_po(file, locale=language)


def _forms(message: Message) -> list[str]:
    """The translation's forms: one, or one per plural form."""
    string = message.string
    return [string] if isinstance(string, str) else list(string)


def test_the_extraction_reads_code_and_templates() -> None:
    """Words are found in the Python code and in the page templates (a babel.cfg pattern that matches
    nothing would make every other test here pass on an empty catalog)."""
    files = {file for message in _messages(extracted()) for file, _line in message.locations}
    assert any(file.endswith(".py") for file in files), f"no marked word in generator/**.py: {BABEL_CFG}?"
    assert any(file.endswith(".md.j2") for file in files), f"no marked word in pages/*.md.j2: {BABEL_CFG}?"


def test_the_template_is_up_to_date() -> None:
    """portal.pot, what translators start from, holds exactly the sources' messages and comments."""
    assert TEMPLATE.is_file(), f"no {TEMPLATE.relative_to(REPO)}: make it with\n  {EXTRACT}"
    with TEMPLATE.open("rb") as file:
        template = read_po(file)
    want = {_key(m): _comment(m) for m in _messages(extracted())}
    have = {_key(m): _comment(m) for m in _messages(template)}
    missing = sorted(_shown(k) for k in want.keys() - have.keys())
    stale = sorted(_shown(k) for k in have.keys() - want.keys())
    changed = sorted(_shown(k) for k in want.keys() & have.keys() if want[k] != have[k])
    assert not (missing or stale or changed), (
        f"{TEMPLATE.relative_to(REPO)} is out of date with the sources: refresh it with\n  {EXTRACT}\n"
        f"then {UPDATE}, translate, and {COMPILE}\n"
        f"missing: {missing}\nno longer in the sources: {stale}\ntranslators' comments changed: {changed}")


@pytest.mark.parametrize("language", TRANSLATED)
def test_every_message_is_translated(language: str) -> None:
    """Each message the sources mark has a translation, every plural form filled, none fuzzy."""
    po = _po(language)
    missing, fuzzy, empty = [], [], []
    for message in _messages(extracted()):
        found = po.get(message.id, message.context)
        key = _shown(_key(message))
        if found is None or _key(found) != _key(message):  # a plural must be a plural, with the same plural
            missing.append(key)
        elif found.fuzzy:
            fuzzy.append(key)
        elif not all(_forms(found)) or len(_forms(found)) != (po.num_plurals if found.pluralizable else 1):
            empty.append(key)
    assert not (missing or fuzzy or empty), (
        f"{_po_path(language).relative_to(REPO)} is not complete:\n"
        f"not in the catalog ({len(missing)}): {missing}\n"
        f"fuzzy, to check ({len(fuzzy)}): {fuzzy}\n"
        f"untranslated or a plural form empty ({len(empty)}): {empty}\n"
        f"Run {EXTRACT}\n  then {UPDATE}, translate these (and clear each `#, fuzzy`), then {COMPILE}")


def _compiled(catalog: Catalog) -> dict[Key, tuple[str, ...]]:
    """What the portal reads of a catalog: each message's forms, after a round trip through .mo."""
    buffer = BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return _read(read_mo(buffer))


def _read(catalog: Catalog) -> dict[Key, tuple[str, ...]]:
    return {_key(m): tuple(_forms(m)) for m in catalog}


@pytest.mark.parametrize("language", TRANSLATED)
def test_the_compiled_catalog_is_the_current_one(language: str) -> None:
    """The .mo the portal reads says what the .po says (a .po edited but not compiled shows nothing)."""
    po = _po(language)
    mo_path = _po_path(language).with_suffix(".mo")
    assert mo_path.is_file(), f"{mo_path.relative_to(REPO)} is missing: run {COMPILE}"
    with mo_path.open("rb") as file:
        mo = _read(read_mo(file))
    want = _compiled(po)
    differ = sorted(_shown(k) for k in want.keys() | mo.keys() if want.get(k) != mo.get(k))
    assert not differ, (f"{mo_path.relative_to(REPO)} is not the compiled {_po_path(language).name}: "
                        f"run {COMPILE}\ndiffering messages: {differ}")


def _placeholders(text: str) -> set[str]:
    return set(PLACEHOLDER.findall(text.replace("%%", "")))


def _broken(text: str) -> bool:
    """Whether %-formatting would fail on the text (a lone '%' where '%%' was meant)."""
    try:
        text % defaultdict(int)  # formatting is the check
    except (ValueError, TypeError):
        return True
    return False


@pytest.mark.parametrize("language", TRANSLATED)
def test_translations_keep_the_placeholders(language: str) -> None:
    """A translation names exactly the English text's `%(placeholders)s`: none lost, none made up.

    A plural form may leave out what the English singular leaves out (`one day`),
    never what both English forms say.
    """
    wrong = []
    for message in _messages(_po(language)):
        ids = [message.id] if isinstance(message.id, str) else list(message.id)
        every = set.intersection(*map(_placeholders, ids))
        known = set.union(*map(_placeholders, ids))
        formatted = any(PLACEHOLDER.search(i) or "%%" in i for i in ids)
        for form in filter(None, _forms(message)):
            used = _placeholders(form)
            exact = used == known if len(ids) == 1 else every <= used <= known
            if not exact or (formatted and _broken(form)):
                wrong.append(f"{_shown(_key(message))} -> {form!r}")
    assert not wrong, (f"{_po_path(language).relative_to(REPO)}: translations whose %(placeholders)s differ "
                       f"from the English text's (or with a lone '%': write '%%'):\n" + "\n".join(wrong))


@pytest.mark.parametrize("language", TRANSLATED)
def test_the_plural_rules_are_the_languages(language: str) -> None:
    """The .po's Plural-Forms header is the locale's (CLDR's), so ngettext picks the right form."""
    po = _po(language)
    expected = get_plural(language).plural_forms
    assert po.plural_forms == expected, (
        f"{_po_path(language).relative_to(REPO)}: Plural-Forms is {po.plural_forms!r}, "
        f"'{language}' needs {expected!r}: fix the header, then {COMPILE}")
