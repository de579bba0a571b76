"""`portal diff` for reviewers: each change once, and in the team view, which ones customers never see."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.history.changes import Change
from generator.history.walk import diff_worktree
from generator.history.wording import format_change, importance
from generator.portfolio.visibility import Audience

_Key = tuple[str, str | None, str, str | None]


@dataclass(frozen=True)
class DiffLine:
    """One change as a reviewer reads it."""

    change: Change
    internal: bool
    """Seen by the team only: the item, or what changed of it, is internal."""

    @property
    def customer(self) -> str:
        return self.change.customer

    def __str__(self) -> str:
        return ("[internal] " if self.internal else "") + format_change(self.change)

    def as_json(self) -> dict[str, Any]:
        c = self.change
        return {"customer": c.customer, "project": c.project, "item_type": c.item_type,
                "item_id": c.item_id, "kind": c.kind, "old": c.old, "new": c.new,
                "internal": self.internal, "text": format_change(c)}


def _key(change: Change) -> _Key:
    return change.customer, change.project, change.item_type, change.item_id


def _once(changes: list[Change]) -> list[Change]:
    """A new update that changes the health is one line (health old → new), not also 'published'."""
    moved = {_key(c) for c in changes if c.kind == "health-changed"}
    return [c for c in changes if not (c.kind == "published" and _key(c) in moved)]


def diff_lines(projects_dir: Path, ref: str, audience: Audience) -> list[DiffLine]:
    """Every change `audience` will see since `ref`, by customer; internal ones marked in the team view.

    A team change is internal when the customer's diff has no change of the same
    kind to the same item (an internal item, or an edit of internal fields only).
    """
    found = diff_worktree(projects_dir, ref, audience)
    public: set[tuple[_Key, str]] = set()
    if audience == "team":
        public = {(_key(c), c.kind) for items in diff_worktree(projects_dir, ref, "customer").values()
                  for c in items}
    return [DiffLine(c, audience == "team" and (_key(c), c.kind) not in public)
            for _, items in sorted(found.items()) for c in sorted(_once(items), key=importance)]
