"""The one build date that every time-dependent fact (overdue, stale, days late) uses."""

from __future__ import annotations

import os
from datetime import UTC, date, datetime

from generator.portfolio.errors import PortalError
from generator.portfolio.values import FIRST_DAY, ISO_DATE_RE, LAST_DAY


def build_date(today: str | None = None) -> date:
    """The one date all time-dependent facts use: --today, else SOURCE_DATE_EPOCH, else today."""
    if today:
        if not ISO_DATE_RE.fullmatch(today):
            raise PortalError(f"--today {today!r} is not a date", "write it as YYYY-MM-DD")
        try:
            return _within(date.fromisoformat(today), f"--today {today}")
        except ValueError:
            raise PortalError(f"--today {today!r} is not a real date", "write it as YYYY-MM-DD") from None
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        try:
            day = datetime.fromtimestamp(int(epoch), tz=UTC).date()
        except (ValueError, OverflowError, OSError):
            raise PortalError(f"SOURCE_DATE_EPOCH={epoch!r} is not a number of seconds") from None
        return _within(day, f"SOURCE_DATE_EPOCH={epoch} ({day})")
    return date.today()


def _within(day: date, what: str) -> date:
    """`day`, if it lies within the dates a portfolio may hold (the build date is compared with them)."""
    if not FIRST_DAY <= day <= LAST_DAY:
        raise PortalError(f"{what} is outside the dates the portal works with",
                          f"use a build date from {FIRST_DAY} to {LAST_DAY}")
    return day
