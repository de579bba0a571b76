"""Who is told what: the people with `notify:` in the YAML, and the chat webhook."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Literal

from generator.portfolio.model import Customer, Person
from generator.portfolio.values import NotifyKind

Route = Literal["email", "webhook"]


@dataclass(frozen=True)
class Recipient:
    """One address a message goes to, with the messages it asked for."""

    key: str
    """Its name in the state file: `mail:<address>`, or `webhook:<hash of the URL>` (URLs hold tokens)."""
    name: str
    address: str
    """Email address or webhook URL."""
    kinds: frozenset[NotifyKind]
    route: Route


def recipients_of(visible: Customer) -> list[Recipient]:
    """Every person of the customer's view with `notify`: contacts, then team members copied.

    `visible` is the customer as its portal shows it (visibility.for_audience),
    so a contact or team member marked internal is never mailed. Someone
    listed twice (a contact also on a team, two projects) gets one message
    with the kinds of every listing.
    """
    people: list[Person] = [*visible.info.contacts, *(m for p in visible.projects for m in p.info.team)]
    found: dict[str, Recipient] = {}
    for person in people:
        if not person.notify or not person.email:
            continue
        address = person.email.strip()
        key = f"mail:{address.lower()}"
        kinds = frozenset(person.notify) | (found[key].kinds if key in found else frozenset())
        name = found[key].name if key in found else person.name
        found[key] = Recipient(key, name, address, kinds, "email")
    return list(found.values())


def webhook_recipient(url: str) -> Recipient:
    """A chat channel: every digest and reminder, as a short summary."""
    digest = hashlib.sha256(url.encode()).hexdigest()[:16]
    return Recipient(f"webhook:{digest}", "chat", url, frozenset({"digest", "reminders"}), "webhook")
