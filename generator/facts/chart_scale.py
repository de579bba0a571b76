"""What the SVG charts share: month arithmetic and the mapping of dates onto an axis."""

from __future__ import annotations

from datetime import date


def month_start(day: date, months: int = 0) -> date:
    """The first day of the month `months` after `day`'s month."""
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


class DateScale:
    """Dates to drawing units along one axis: `lo` at `start`, `hi` at `end`."""

    def __init__(self, lo: date, hi: date, start: float, end: float) -> None:
        self.lo, self.start = lo, start
        self.per_day = (end - start) / max((hi - lo).days, 1)

    def __call__(self, day: date) -> float:
        return round(self.start + (day - self.lo).days * self.per_day, 1)
