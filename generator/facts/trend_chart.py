"""Geometry of a project's milestone trend: each milestone's expected date at each point in history.

Dates in, coordinates out (SVG user units); the theme's `_trend.md.j2` only
draws what it gets. x is the day of each state of the plan (when it was
committed), y the date then expected, later dates higher, so a slip reads as
a line going up. Each milestone is a step line (a forecast holds until a
later state changes it) starting at its baseline (a hollow dot, on the day the
plan was agreed), with a dot wherever it moved, and its id at the end of the
line, so lines are told apart without colour; a cancelled milestone's line
ends in a cross where it was last planned. The x axis ends at the build date.
The dashed diagonal is where the expected date equals the day: a line
meeting it has reached its date. `moves` tell the same story in words for the
text alternative, and the theme's legend names every mark.
"""

from __future__ import annotations

import dataclasses
import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from generator.facts.chart_scale import DateScale, month_start
from generator.i18n import formats

WIDTH = 400
"""Width of the viewBox: drawn at 100% of the page, so a 375px phone shows it at about 0.85 scale."""
HEIGHT = 250
FONT = 12
"""Font size in user units: about 10px on a 375px phone, 17px at the largest drawn width."""
CHAR_WIDTH = 6.8
"""Average width of a FONT-sized character, to fit labels without measuring text."""
LEFT = 60
"""Room for the y-axis labels ('Oct 2026'); more where a language writes them longer ('dez. de 2026')."""
TOP = 10
BOTTOM = 28
"""Room for the x-axis labels."""
MIN_SPAN = 14
"""Days: a shorter range is widened so one state still draws a readable line."""
MAX_TICKS_X = 5
MAX_TICKS_Y = 7
PALETTE = ("#5c6bc0", "#e65100", "#2e7d32", "#d81b60", "#00838f", "#8d6e63", "#7e57c2", "#827717")
"""Line colours with at least 3:1 contrast on both material's light and dark (slate) page; the ids
at the line ends carry the meaning, colour only helps."""
DASHES = ("", "6 3", "2 3")
"""After every colour was used once, lines repeat the colours dashed, then dotted."""
DAY_STEPS = (1, 2, 7, 14)
MONTH_STEPS = (1, 2, 3, 6, 12)

Point = tuple[date, date]
"""(day of the state, date then expected)."""


@dataclass(frozen=True)
class Tick:
    """A grid line and its label: `pos` is x on the x axis, y on the y axis."""

    pos: float
    label: str
    x: float = 0.0
    y: float = 0.0
    """Where the label is written."""
    anchor: str = "middle"
    """SVG text-anchor of the label."""


@dataclass(frozen=True)
class Move:
    """A change of a milestone's expected date, for the text alternative."""

    day: date
    """The day of the state that moved it."""
    old: date
    new: date

    @property
    def days(self) -> int:
        """Signed days: + is later."""
        return (self.new - self.old).days


@dataclass(frozen=True)
class Series:
    """One milestone's line."""

    id: str
    title: str
    color: str
    dash: str
    """SVG stroke-dasharray; "" for a solid line."""
    points: str
    """The step line as SVG polyline points, 'x,y x,y ...'."""
    baseline: tuple[float, float]
    """Where it starts: the baseline, on the day the plan was agreed."""
    dots: tuple[tuple[float, float], ...]
    """Wherever it moved."""
    label_x: float
    label_y: float
    """Where its id is written, right of the line's end, pushed apart from the other ids."""
    since: date
    """The day the plan with its baseline was agreed."""
    first: date
    """The baseline."""
    last: date
    """The date expected in the latest state that had it."""
    last_seen: date
    current: bool
    """In the latest state (else it left the plan, or became invisible to this audience, on a later day)."""
    cancelled: bool
    """Cancelled now: its line ends in a cross where it was last planned."""
    moves: tuple[Move, ...]

    @property
    def total_days(self) -> int:
        """How far the expected date moved overall: + is later."""
        return (self.last - self.first).days


@dataclass(frozen=True)
class TrendChart:
    """A whole drawing: plot area, axes, the diagonal and one series per milestone."""

    id: str
    """Prefix of every id in the drawing, so several charts can share a page."""
    width: int
    height: int
    font: int
    left: float
    top: float
    right: float
    bottom: float
    """The plot area."""
    x_ticks: tuple[Tick, ...]
    y_ticks: tuple[Tick, ...]
    diagonal: tuple[float, float, float, float] | None
    """x1, y1, x2, y2 of the 'expected = day' line inside the plot, if it crosses it."""
    series: tuple[Series, ...]
    start: date
    end: date
    """The days the x axis covers."""


def date_ticks(lo: date, hi: date, most: int) -> tuple[list[date], bool]:
    """Round dates between lo and hi, at most `most` of them, and whether they are month starts."""
    span = (hi - lo).days
    for step in DAY_STEPS:
        if span // step + 1 <= most:
            return [lo + timedelta(days=n * step) for n in range(span // step + 1)], False
    for months in MONTH_STEPS:
        first = month_start(lo, 0 if lo.day == 1 else 1)
        first = month_start(first, -((first.month - 1) % months) % months)
        ticks = []
        tick = first
        while tick <= hi:
            if tick >= lo:
                ticks.append(tick)
            tick = month_start(tick, months)
        if len(ticks) <= most:
            return ticks, True
    return [lo, hi], False


def tick_label(day: date, first: bool, monthly: bool) -> str:
    """'Oct 2026' / 'Nov' for monthly ticks, '15 Oct' for daily and weekly ones (in the reader's language)."""
    if monthly:
        return formats.month_year(day) if first or day.month == 1 else formats.month(day)
    return formats.day_month(day)


def _x_ticks(lo: date, hi: date, scale: DateScale, label_y: float) -> tuple[Tick, ...]:
    """Ticks along the bottom; the outer labels are aligned inwards so they stay inside the drawing."""
    days, monthly = date_ticks(lo, hi, MAX_TICKS_X)
    return tuple(Tick(scale(d), tick_label(d, i == 0, monthly), scale(d), label_y,
                      "start" if i == 0 else "end" if i == len(days) - 1 else "middle")
                 for i, d in enumerate(days))


def _y_ticks(lo: date, hi: date, scale: DateScale) -> tuple[Tick, ...]:
    """Ticks up the left side, labels right-aligned before the axis (placed by `_left`)."""
    days, monthly = date_ticks(lo, hi, MAX_TICKS_Y)
    return tuple(Tick(scale(d), tick_label(d, i == 0, monthly), 0.0, round(scale(d) + FONT / 3, 1), "end")
                 for i, d in enumerate(days))


def _left(y_ticks: tuple[Tick, ...]) -> tuple[float, tuple[Tick, ...]]:
    """The plot's left edge (LEFT, or as far right as the longest y label needs), labels placed before it."""
    left = max(LEFT, round(CHAR_WIDTH * max((len(t.label) for t in y_ticks), default=0) + 5, 1))
    return left, tuple(dataclasses.replace(t, x=left - 5) for t in y_ticks)


def _padded(lo: date, hi: date) -> tuple[date, date]:
    """The range with a little air, at least MIN_SPAN days."""
    if (hi - lo).days < MIN_SPAN:
        middle = lo + timedelta(days=(hi - lo).days // 2)
        return middle - timedelta(days=MIN_SPAN // 2), middle + timedelta(days=MIN_SPAN // 2)
    pad = timedelta(days=max(1, (hi - lo).days // 20))
    return lo - pad, hi + pad


def _moves(points: Sequence[Point]) -> tuple[Move, ...]:
    return tuple(Move(day, before[1], expected) for before, (day, expected) in itertools.pairwise(points)
                 if expected != before[1])


def _spread(wanted: list[float], gap: float, lo: float, hi: float) -> list[float]:
    """Label positions near `wanted` (sorted), at least `gap` apart, inside [lo, hi]."""
    placed: list[float] = []
    for y in wanted:
        placed.append(max(y, placed[-1] + gap) if placed else y)
    overflow = placed[-1] - hi if placed else 0
    if overflow > 0:
        placed = [y - overflow for y in placed]
        for i in range(len(placed) - 2, -1, -1):
            placed[i] = min(placed[i], placed[i + 1] - gap)
    return [round(max(y, lo), 1) for y in placed]


def layout_trend(chart_id: str, trend: Mapping[str, Sequence[Point]], titles: Mapping[str, str],
                 today: date, cancelled: frozenset[str] = frozenset()) -> TrendChart | None:
    """The trend of one project's milestones (id -> points, oldest first, the baseline first); None
    when there is none.

    Lines of milestones still planned in the latest state run on to the build
    date (`today`, when it is later than the latest state), where the axis ends.
    """
    trend = {mid: points for mid, points in trend.items() if points}
    if not trend:
        return None
    days = [day for points in trend.values() for day, _ in points]
    latest = max(days)
    start, end = min(days), max(latest, today)
    x_lo, x_hi = min(start, end - timedelta(days=MIN_SPAN)), end
    expected = [when for points in trend.values() for _, when in points]
    y_lo, y_hi = _padded(min(expected), max(expected))
    label_room = max(CHAR_WIDTH * max(len(mid) for mid in trend) + 10, 24)
    right, bottom = WIDTH - label_room, HEIGHT - BOTTOM
    y = DateScale(y_lo, y_hi, bottom, TOP)
    left, y_ticks = _left(_y_ticks(y_lo, y_hi, y))
    x = DateScale(x_lo, x_hi, left, right)

    series = []
    ends: list[tuple[float, int]] = []
    for n, (mid, points) in enumerate(trend.items()):
        dropped = mid in cancelled
        current = points[-1][0] == latest or dropped
        coords = [(x(points[0][0]), y(points[0][1]))]
        for (_, before), (day, when) in itertools.pairwise(points):
            if when != before:
                coords += [(x(day), y(before)), (x(day), y(when))]
        stop = end if current and not dropped else points[-1][0]
        coords.append((x(stop), y(points[-1][1])))
        moves = _moves(points)
        dots = tuple((x(m.day), y(m.new)) for m in moves)
        ends.append((coords[-1][1], n))
        series.append(Series(
            id=mid, title=titles.get(mid, ""), color=PALETTE[n % len(PALETTE)],
            dash=DASHES[(n // len(PALETTE)) % len(DASHES)],
            points=" ".join(f"{cx},{cy}" for cx, cy in coords), baseline=coords[0], dots=dots,
            label_x=round(coords[-1][0] + 4, 1), label_y=0.0, since=points[0][0], first=points[0][1],
            last=points[-1][1], last_seen=points[-1][0], current=current, cancelled=dropped, moves=moves))
    ends.sort()
    labels = _spread([e + FONT / 3 for e, _ in ends], FONT + 1, TOP + FONT, HEIGHT - 4)
    for (_, n), label_y in zip(ends, labels, strict=True):
        series[n] = dataclasses.replace(series[n], label_y=label_y)

    lo, hi = max(x_lo, y_lo), min(x_hi, y_hi)
    diagonal = (x(lo), y(lo), x(hi), y(hi)) if lo < hi else None
    return TrendChart(
        id=chart_id, width=WIDTH, height=HEIGHT, font=FONT, left=left, top=TOP, right=round(right, 1),
        bottom=bottom, x_ticks=_x_ticks(x_lo, x_hi, x, bottom + FONT + 4), y_ticks=y_ticks,
        diagonal=diagonal, series=tuple(series), start=start, end=end)
