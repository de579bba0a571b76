"""A milestone's facts for readers: its expected date, slip and what holds it up.

Apart from records.py, because the timeline's geometry (timeline.py) is
computed from these and records.py holds the timelines.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from generator.portfolio.model import Milestone, Question


@dataclass(frozen=True)
class Hold:
    """A milestone held up by an overdue open question (for the customer: a customer delay)."""

    milestone: Milestone
    question: Question
    since: date
    """The question's due date: from then on the milestone waits."""
    days_overdue: int


@dataclass(frozen=True)
class MilestoneFacts:
    """A milestone with what a reader wants to know about its dates."""

    milestone: Milestone
    expected: date
    """Forecast, else baseline."""
    slip_days: int
    """Expected minus baseline; negative means ahead of the baseline."""
    late: bool
    """The expected date has passed and the milestone is neither done nor cancelled."""
    days_late: int
    actual_vs_baseline: int | None
    """Actual minus baseline in days, once the milestone has an actual date."""
    depends_on: tuple[Milestone, ...]
    """Milestones this one waits for (those present in the model)."""
    held_by: tuple[Hold, ...]
    """Overdue open questions blocking this milestone."""
