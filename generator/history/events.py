"""When each calendar event falls, and how often it moved: the calendar's SEQUENCE, state after state.

A calendar app replaces an event it holds only when its SEQUENCE rises, so
the walk over history (walk.py) records every state's event days, not one
per day as the trend chart does.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from generator.portfolio.model import Customer

EventKey = tuple[str, str, str]
"""A calendar event: (project slug, 'milestone' or 'question', id)."""


def event_days(customer: Customer) -> dict[EventKey, date]:
    """The day each calendar event falls on: a milestone on its actual date once done, else on its
    expected one; an open question on its due date."""
    days: dict[EventKey, date] = {}
    for project in customer.projects:
        for m in project.milestones:
            done = m.actual if m.status == "done" else None
            days[(project.slug, "milestone", m.id)] = done or m.expected
        for q in project.questions:
            if q.status == "open" and q.due:
                days[(project.slug, "question", q.id)] = q.due
    return days


@dataclass
class EventMoves:
    """How often each calendar event's day changed, state after state (every commit, not one per day).

    It is the event's iCalendar SEQUENCE: a calendar replaces an event it holds
    only when the SEQUENCE rises, so every move must raise it.
    """

    last: dict[EventKey, date] = field(default_factory=dict)
    """The day of each event in the newest state recorded."""
    moves: dict[EventKey, int] = field(default_factory=dict)

    def record(self, days: dict[EventKey, date]) -> None:
        """Take the next state's event days."""
        for key, day in days.items():
            if self.last.get(key, day) != day:
                self.moves[key] = self.moves.get(key, 0) + 1
            self.last[key] = day

    def sequence(self, key: EventKey, day: date) -> int:
        """The SEQUENCE of an event on `day` now: its moves, plus one when now differs from the last state."""
        return self.moves.get(key, 0) + (self.last.get(key, day) != day)
