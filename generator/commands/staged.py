"""`portal validate --staged`: check what is about to be committed, not the working tree.

The pre-commit hook runs this, so a half-written file that is not staged
(an untracked customer, an edit not yet added) never blocks an unrelated
commit, and a broken file that is staged always does. The index is copied
into a temporary folder with the repository's layout, so problems name the
same paths as in the working tree.
"""

from __future__ import annotations

import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from generator.portfolio.errors import PortalError


def _git(*args: str, cwd: Path) -> str:
    try:
        done = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=False)
    except FileNotFoundError:
        raise PortalError("--staged needs git, which is not installed", "run without --staged") from None
    if done.returncode:
        raise PortalError(f"--staged needs a git repository: {done.stderr.strip()}", "run without --staged")
    return done.stdout.strip()


@contextmanager
def staged_projects(projects_dir: Path) -> Iterator[Path]:
    """The projects folder as the index holds it, in a temporary copy of the staged repository."""
    folder = projects_dir if projects_dir.is_dir() else projects_dir.parent
    top = Path(_git("rev-parse", "--show-toplevel", cwd=folder.resolve() if folder.is_dir() else Path.cwd()))
    try:
        rel = projects_dir.resolve().relative_to(top.resolve())
    except ValueError:
        raise PortalError(f"{projects_dir} is not inside the git repository {top}",
                          "run without --staged") from None
    with tempfile.TemporaryDirectory(prefix="portal-staged-") as tmp:
        _git("checkout-index", "--all", f"--prefix={tmp}/", cwd=top)
        yield Path(tmp) / rel
