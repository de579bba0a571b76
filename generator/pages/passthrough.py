"""Charts that Markdown and the search index need not read: they pass through as a comment.

A portal's SVG charts are a few hundred tags per page, and Python-Markdown,
mkdocs' anchor check and the search plugin each parse every tag: about a fifth
of building a portal. The page templates wrap each chart in the `passthrough`
filter, which turns it into one HTML comment that all three skip, and the
site's hook (`engine/mkdocs_hooks.py`) puts the chart back into the finished page.
A chart holds no heading or link to check, and what it shows is written out in
the page's text, so search loses nothing a reader looks for.

The chart stays readable inside the comment (the golden pages diff as HTML): only
a `-` before `-`, `!` or `>` is written `&#45;`, so no `--` can end the comment early,
and an `&` that would read as one of the two references is written `&amp;`.
"""

from __future__ import annotations

import re

from markupsafe import Markup

_START = "<!--portal-passthrough\n"
_END = "\n-->"
_HIDDEN = re.compile(re.escape(_START) + r"(.*?)" + re.escape(_END), re.S)
_ENCODE = re.compile(r"&(?=amp;|#45;)|-(?=[-!>])")
_DECODE = re.compile(r"&(amp|#45);")


def hide(html: str) -> Markup:
    """`html`, one HTML block (no blank line), as one comment Markdown copies as it is (a jinja filter)."""
    text = _ENCODE.sub(lambda char: "&amp;" if char[0] == "&" else "&#45;", str(html).strip("\n"))
    return Markup(f"{_START}{text}{_END}")


def restore(page: str) -> str:
    """The page with every hidden chart back in place."""
    if _START not in page:
        return page
    return _HIDDEN.sub(lambda hidden: _DECODE.sub(lambda ref: "&" if ref[1] == "amp" else "-", hidden[1]),
                       page)
