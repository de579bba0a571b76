"""The customer's look in its portal: logo and header colour from customer.yml.

Written as one stylesheet (assets/stylesheets/identity.css, linked by the
theme's main.html) and a copy of the logo, so the header shows the customer's
mark instead of the theme's, and nothing is loaded from outside the site.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from generator.portfolio.model import Customer

IDENTITY_CSS = "assets/stylesheets/identity.css"
LOGO_STEM = "assets/images/customer-logo"
_LOGO_RULE = ".md-header .md-logo img "


def _text_on(colour: str) -> str:
    """White or near-black, whichever reads better on `colour` (#RRGGBB), by relative luminance."""
    channels = [int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    luminance = 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]
    return "#ffffff" if (1.05 / (luminance + 0.05)) >= ((luminance + 0.05) / 0.05) else "rgba(0, 0, 0, 0.87)"


def write_identity(customer: Customer, docs_dir: Path) -> None:
    """Copy the logo and write identity.css (an empty stylesheet when customer.yml sets neither)."""
    rules = ["/* The customer's identity from customer.yml (written by portal build). */"]
    if customer.logo is not None:
        logo = f"{LOGO_STEM}{customer.logo.suffix.lower()}"
        (docs_dir / logo).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(customer.logo, docs_dir / logo)
        rules.append(f'{_LOGO_RULE}{{ content: url("../images/{Path(logo).name}"); }}')
    colour = customer.info.colour
    if colour:
        text = _text_on(colour)
        rules.append(f".md-header, .md-tabs {{ background-color: {colour}; color: {text}; }}")
        rules.append(f".md-header .md-search__input::placeholder {{ color: {text}; }}")
    css = docs_dir / IDENTITY_CSS
    css.parent.mkdir(parents=True, exist_ok=True)
    css.write_text("\n".join(rules) + "\n", encoding="utf-8")


def drop_logo(site_dir: Path) -> None:
    """Take the customer's logo out of a built portal (its stylesheet shows the theme's mark again).

    An encrypted portal must not say whose it is to anyone without the key, and
    a logo does, so private portals keep only the colour.
    """
    for logo in (site_dir / LOGO_STEM).parent.glob(f"{Path(LOGO_STEM).name}.*"):
        logo.unlink()
    css = site_dir / IDENTITY_CSS
    if css.is_file():
        rules = css.read_text(encoding="utf-8").splitlines()
        css.write_text("".join(f"{r}\n" for r in rules if not r.startswith(_LOGO_RULE)), encoding="utf-8")
