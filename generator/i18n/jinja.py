"""jinja's i18n extension over the portal's catalogs, for every template environment the portal has.

`{{ _("Hello %(name)s,", name=who) }}` and `{% trans %}…{% pluralize %}…{% endtrans %}`
(trimmed; newstyle: variables by name, and always a format, so a literal
percent sign is written `%%`). In an autoescaping environment the catalog's
text is trusted and every variable is escaped like any `{{ value }}`: by
`escape` when given (page templates escape for Markdown), else as HTML.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from jinja2 import Environment
from markupsafe import Markup

from generator.i18n import translate


def install_gettext(env: Environment, escape: Callable[[Any], Markup] | None = None) -> None:
    """Give `env` the i18n extension, answering in the current language (translate.speaking)."""
    text: Callable[[str], str] = Markup if env.autoescape else str

    def filled(message: str, variables: dict[str, Any]) -> str:
        if "%" not in message:  # most labels: formatting could only copy them
            return text(message)
        if escape:
            variables = {name: escape(value) for name, value in variables.items()}
        return text(message) % variables

    def gettext(message: str, **variables: Any) -> str:
        return filled(translate._(message), variables)

    def ngettext(singular: str, plural: str, num: int, **variables: Any) -> str:
        return filled(translate.ngettext(singular, plural, num), {"num": num, **variables})

    def pgettext(context: str, message: str, **variables: Any) -> str:
        return filled(translate.pgettext(context, message), variables)

    env.add_extension("jinja2.ext.i18n")
    env.policies["ext.i18n.trimmed"] = True
    env.newstyle_gettext = True  # type: ignore[attr-defined]  # {% trans %} passes its variables by name
    env.globals.update(_=gettext, gettext=gettext, ngettext=ngettext, pgettext=pgettext)
