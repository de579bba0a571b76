"""The record of what was sent, so that `portal notify` sends each message exactly once.

Per customer and recipient: the commit their last message covered and the
reminders they were given. The file is rewritten whole after every message
that was delivered (generator.files), so a crash loses no record of what
went out, and a failed send, never recorded, is retried at the next run.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.files import write_text
from generator.portfolio.errors import PortalError

FORMAT = 1
"""Version of the file's layout, written into it."""


@dataclass(frozen=True)
class Sent:
    """What one recipient was last told."""

    commit: str | None
    """The newest commit of the customer's history their last message covered (None outside git)."""
    reminded: tuple[str, ...] = ()
    """Reminder keys (reminders.Reminder.key) already sent."""


class NotifyState:
    """The state file, read once and written again after each delivered message."""

    def __init__(self, path: Path, sent: dict[str, dict[str, Sent]]) -> None:
        self.path = path
        self._sent = sent

    @classmethod
    def load(cls, path: Path) -> NotifyState:
        """The record at `path`; an empty one when the file does not exist yet."""
        if not path.is_file():
            return cls(path, {})
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            sent = {slug: {key: Sent(entry["commit"], tuple(entry["reminded"]))
                           for key, entry in people.items()}
                    for slug, people in data["customers"].items()}
        except (ValueError, KeyError, TypeError, AttributeError):
            raise PortalError(f"{path}: not a state file written by portal notify",
                              "restore it from the previous run; deleting it makes every recipient "
                              "get a first message again") from None
        return cls(path, sent)

    def last(self, customer: str, recipient: str) -> Sent | None:
        """What `recipient` of `customer` was last sent; None before their first message."""
        return self._sent.get(customer, {}).get(recipient)

    def record(self, customer: str, recipient: str, sent: Sent) -> None:
        """Remember a delivered message, on disk at once."""
        self._sent.setdefault(customer, {})[recipient] = sent
        self.path.parent.mkdir(parents=True, exist_ok=True)
        write_text(self.path, json.dumps(self._data(), indent=1, sort_keys=True) + "\n")

    def _data(self) -> dict[str, Any]:
        return {"format": FORMAT, "customers": {
            slug: {key: {"commit": s.commit, "reminded": list(s.reminded)} for key, s in people.items()}
            for slug, people in self._sent.items()}}
