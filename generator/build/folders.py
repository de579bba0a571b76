"""Where the portals of an encrypted build live in the output: folder ids, never customers' slugs.

The build's state names each portal's folder (the state file is published
with the portals), and what must not stay readable goes: the folders of a
rotated key or a removed customer, and the plain folder a customer had
before it got a key.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from generator.build.fingerprint import State
from generator.portfolio.model import SLUG_RE
from generator.private.seal import is_sealed

if TYPE_CHECKING:
    from generator.build.portals import BuildOptions


def renamed(state: State, names: dict[str, str]) -> State:
    """The state with its portals renamed (slug <-> folder id of an encrypted portal), others as they are.

    An encrypted build's state names folders, never customers: it is published with them.
    """
    def rename(values: dict[str, str]) -> dict[str, str]:
        return {names.get(k, k): v for k, v in values.items()}

    return State(rename(state.prints), rename(state.names), rename(state.heads))


def remove_stale(projects_dir: Path, out_dir: Path, options: BuildOptions, trash: Path) -> None:
    """Remove what must not stay readable: encrypted folders of an old key or a removed customer, and
    the plain folder a customer with a key had before."""
    slugs = [p.name for p in projects_dir.iterdir() if p.is_dir() and SLUG_RE.match(p.name)]
    keep = {options.folder(s) for s in slugs}
    keyed = {s for s in slugs if options.folder(s) != s}
    for folder in sorted(p for p in out_dir.iterdir() if p.is_dir()):
        if folder.name in keyed or (folder.name not in keep and is_sealed(folder)):
            folder.rename(trash / f"stale-{folder.name}")
