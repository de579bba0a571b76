"""Customer and team portals never share an output folder: each portal is marked with its audience.

A team portal shows internal items, and the folder of customer portals is the
one that gets deployed. So each audience has its own default folder, every
portal built carries a small mark saying whom it was built for, and a build
refuses a folder holding portals of the other audience.
"""

from __future__ import annotations

from pathlib import Path

from generator.portfolio.errors import PortalError
from generator.portfolio.visibility import Audience

DEFAULT_OUT: dict[Audience, Path] = {"customer": Path("site"), "team": Path("site-team")}
"""Where `portal build` writes when no --out is given."""
MARK = ".portal-audience"
"""The file in each portal folder naming its audience (it holds one word: `customer` or `team`)."""
INDEX = "index.html"


def mark_portal(portal_dir: Path, audience: Audience) -> None:
    """Say in a finished portal's folder whom it was built for."""
    (portal_dir / MARK).write_text(audience + "\n", encoding="utf-8")


def audience_of(portal_dir: Path) -> str | None:
    """Whom the portal in `portal_dir` was built for; None when the folder holds no portal.

    A portal without a mark was built before portals were marked, when
    customer portals were the only kind written without an explicit --out.
    """
    mark = portal_dir / MARK
    if mark.is_file():
        return mark.read_text(encoding="utf-8", errors="replace").strip()
    return "customer" if (portal_dir / INDEX).is_file() else None


def check_out_dir(out_dir: Path, audience: Audience) -> None:
    """Raise PortalError when `out_dir` holds portals built for another audience than `audience`."""
    if not out_dir.is_dir():
        return
    others = sorted(p.name for p in out_dir.iterdir()
                    if p.is_dir() and not p.name.startswith(".") and audience_of(p) not in (None, audience))
    if not others:
        return
    named = ", ".join(others[:3]) + (f" and {len(others) - 3} more" if len(others) > 3 else "")
    if audience == "team":
        raise PortalError(
            f"{out_dir} holds customer portals ({named}): a team portal, which shows internal items, "
            "must not be built there",
            f"build the team view into a folder of its own, e.g. --out {DEFAULT_OUT['team']} "
            "(the default for --audience team)")
    raise PortalError(
        f"{out_dir} holds team portals ({named}), which show internal items: a customer portal "
        "must not be built there",
        f"build customer portals into a folder of their own, e.g. --out {DEFAULT_OUT['customer']} "
        "(the default)")
