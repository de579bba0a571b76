"""Which reminders are due: before an answer is due, on the day, and weekly once it is overdue."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Literal

from generator.i18n.translate import _, ngettext
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
    def subject(self) -> str:
        """'an answer is due in 3 days', 'an answer is due today', 'an answer is overdue by 8 days'."""
        if self.when == "soon":
            # Translators: a clause of an email's subject, after "<customer>: ".
            return ngettext("an answer is due in %(num)s day", "an answer is due in %(num)s days",
                            self.days) % {"num": self.days}
        if self.when == "today":
            # Translators: a clause of an email's subject, after "<customer>: ".
            return _("an answer is due today")
        # Translators: a clause of an email's subject, after "<customer>: ".
        return ngettext("an answer is overdue by %(num)s day", "an answer is overdue by %(num)s days",
                        self.days) % {"num": self.days}

    def line(self, due: str) -> str:
        """'Due in 3 days (2026-11-23)', 'Overdue by 8 days (…)': `due` is the date as shown."""
        if self.when == "soon":
            # Translators: under an answer the customer owes; %(date)s is its due date.
            return ngettext("Due in %(num)s day (%(date)s)", "Due in %(num)s days (%(date)s)",
                            self.days) % {"num": self.days, "date": due}
        if self.when == "today":
            # Translators: under an answer the customer owes; %(date)s is its due date.
            return _("Due today (%(date)s)") % {"date": due}
        # Translators: under an answer the customer owes; %(date)s is its due date.
        return ngettext("Overdue by %(num)s day (%(date)s)", "Overdue by %(num)s days (%(date)s)",
                        self.days) % {"num": self.days, "date": due}

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
