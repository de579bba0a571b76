"""Which reminders are due: before an answer is due, on the day, and weekly once it is overdue."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Literal

from generator.portfolio.model import Question

DAYS_BEFORE = 3
"""Default lead time of the first reminder (--remind-days)."""
OVERDUE_EVERY = 7
"""An overdue answer is reminded of once a week."""

When = Literal["soon", "today", "overdue"]


@dataclass(frozen=True)
class Reminder:
    """One reminder about one owed answer; its key makes it go out once."""

    key: str
    """`<project>/<question id>/<due date>/<moment>`: a moved due date reminds again."""
    when: When
    days: int
    """Days until due (soon) or past due (overdue); 0 on the day."""

    @property
    def words(self) -> str:
        """'due in 3 days', 'due today', 'overdue by 8 days'."""
        plural = "" if self.days == 1 else "s"
        if self.when == "soon":
            return f"due in {self.days} day{plural}"
        return "due today" if self.when == "today" else f"overdue by {self.days} day{plural}"


def reminder_for(project: str, question: Question, today: date, days_before: int) -> Reminder | None:
    """The reminder due today for an answer the customer owes, if any."""
    if question.due is None:
        return None
    left = (question.due - today).days
    prefix = f"{project}/{question.id}/{question.due.isoformat()}"
    if left == 0:
        return Reminder(f"{prefix}/due", "today", 0)
    if 0 < left <= days_before:
        return Reminder(f"{prefix}/before", "soon", left)
    if left < 0:
        week = (-left - 1) // OVERDUE_EVERY
        return Reminder(f"{prefix}/overdue-{week}", "overdue", -left)
    return None
