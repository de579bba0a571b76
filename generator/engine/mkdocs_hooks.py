"""mkdocs hooks that `engine.mkdocs` registers for every portal (loaded by mkdocs from this file's path).

Material repeats the navigation in every page, indented; dropping the
indentation between tags keeps pages small as a portal grows. The charts
that passed through Markdown as comments (`passthrough.py`) come back first.
The theme's own templates (themes/*/overrides) speak the customer's language
through the same catalogs as the pages: the build runs inside `speaking()`.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from jinja2 import Environment

from generator.i18n.formats import short_date
from generator.i18n.jinja import install_gettext
from generator.i18n.translate import N_, _
from generator.pages.passthrough import restore

_VERBATIM = re.compile(r"(<(pre|textarea|script|style)\b.*?</\2>)", re.S | re.I)
_BETWEEN_TAGS = re.compile(r">\s*\n\s*<")
PALETTE_NAMES = (N_("Switch to dark mode"), N_("Switch to light mode"))
"""The shared mkdocs.yml's colour toggles, named in the reader's language when they are these words."""


def on_config(config: Any) -> Any:
    """The words mkdocs' configuration shows to readers: heading links' title, the colour toggles."""
    if "toc" in config.mdx_configs or "toc" in config.markdown_extensions:
        config.mdx_configs.setdefault("toc", {})["permalink_title"] = _("Permanent link")
    for scheme in config.theme.get("palette") or []:
        toggle = scheme.get("toggle") if isinstance(scheme, dict) else None
        if toggle and toggle.get("name") in PALETTE_NAMES:
            toggle["name"] = _(toggle["name"])
    return config


def on_env(env: Environment, config: Any, files: Any) -> Environment:
    """The overrides' `_()`, `{% trans %}` and plurals from our catalogs; material's own `lang.t()` stays.

    `portal_date` shows an ISO date (extra.portal.built) as the pages do.
    """
    env.filters["portal_date"] = lambda iso: short_date(date.fromisoformat(iso))
    install_gettext(env)
    return env


def on_post_page(output: str, page: Any, config: Any) -> str:
    """The page with its charts, without the indentation between tags (whitespace inside pre/script kept)."""
    parts = _VERBATIM.split(restore(output))
    # split() yields: text, whole verbatim block, its tag name, text, ...
    for i in range(0, len(parts), 3):
        parts[i] = _BETWEEN_TAGS.sub(">\n<", parts[i])
    return "".join(p for i, p in enumerate(parts) if i % 3 != 2)
