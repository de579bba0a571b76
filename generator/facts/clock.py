"""The one build date that every time-dependent fact (overdue, stale, days late) uses."""

from __future__ import annotations

import os
from datetime import UTC, date, datetime

from generator.portfolio.errors import PortalError


def build_date(today: str | None = None) -> date:
    """The one date all time-dependent facts use: --today, else SOURCE_DATE_EPOCH, else today."""
    if today:
        try:
            return date.fromisoformat(today)
        except ValueError:
            raise PortalError(f"--today {today!r} is not a date", "write it as YYYY-MM-DD") from None
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        try:
            return datetime.fromtimestamp(int(epoch), tz=UTC).date()
        except (ValueError, OverflowError):
            raise PortalError(f"SOURCE_DATE_EPOCH={epoch!r} is not a number of seconds") from None
    return date.today()
