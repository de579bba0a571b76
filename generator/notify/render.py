"""A Message -> its words: subject, plain text, HTML with inline styles, and a chat summary.

Presentation lives in templates/ (jinja); plain values are escaped in the
HTML, Markdown fields go through the portal's own sanitizer (pages.markup).
Every rendered message passes the portal's leak guard before it may be sent.
"""

from __future__ import annotations

import html
import re
import tempfile
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from generator.build.guard import PortalSecrets, find_leaks
from generator.i18n import translate
from generator.i18n.formats import short_date
from generator.i18n.jinja import install_gettext
from generator.notify.compose import Message
from generator.pages import markup
from generator.pages.render import label, slip

TEMPLATES = Path(__file__).parent / "templates"
HEALTH_COLOURS = {"green": "#1b5e20", "amber": "#8a4600", "red": "#b71c1c"}
"""The portal's health badges (themes/default portal.css, light palette): white text on them."""
_TAG = re.compile(r"<[^>]+>")


@dataclass(frozen=True)
class Rendered:
    """The parts of one message as they are delivered."""

    subject: str
    text: str
    html: str
    chat: str
    """A short summary for a chat webhook (Slack, Microsoft Teams)."""


_INLINE = re.compile(r"</?(?:a|abbr|b|code|del|em|i|ins|mark|small|span|strong|sub|sup)\b[^>]*>")
"""Tags inside a line: dropped without a space, so the customer's own spacing (French ` ?`) stays."""
_ITEM_END = "\x00"


def plain(text: object) -> str:
    """A Markdown field as one line of plain text for the text part and chats: list items joined by ';'."""
    if not text:
        return ""
    rendered = _INLINE.sub("", re.sub(r"</li>", _ITEM_END, str(markup.md_block(text))))
    words = " ".join(html.unescape(_TAG.sub(" ", rendered)).split())
    return re.sub(rf"\s*{_ITEM_END}\s*", "; ", words).strip("; ")


@cache
def _environment(autoescape: bool) -> Environment:
    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=autoescape, undefined=StrictUndefined,
                      trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
    install_gettext(env)
    env.filters.update({"plain": plain, "label": label, "slip": slip, "md": markup.md_block,
                        "md_inline": markup.md_inline, "url": markup.safe_url, "short_date": short_date})
    env.globals["health_colours"] = HEALTH_COLOURS
    return env


def render_message(message: Message) -> Rendered:
    """Every part of `message`, in the current language (run.py speaks the customer's)."""
    context = {"m": message, "lang": translate.current()}
    text_env, html_env = _environment(False), _environment(True)
    return Rendered(message.subject, text_env.get_template("message.txt.j2").render(context),
                    html_env.get_template("message.html.j2").render(context),
                    text_env.get_template("chat.txt.j2").render(context).strip())


def leaks_in(rendered: Rendered, secrets: PortalSecrets) -> list[str]:
    """What the leak guard finds in a message's parts, read like the files of a portal."""
    with tempfile.TemporaryDirectory(prefix="portal-notify-") as tmp:
        folder = Path(tmp)
        (folder / "message.txt").write_text(f"{rendered.subject}\n\n{rendered.text}", encoding="utf-8")
        (folder / "message.html").write_text(rendered.html, encoding="utf-8")
        (folder / "chat.txt").write_text(rendered.chat, encoding="utf-8")
        return find_leaks(folder, secrets)
