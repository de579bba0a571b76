"""Geometry of the health trend: one strip of shapes per health dimension, oldest update first.

Each status update is one column; each dimension (overall, scope, schedule,
budget) one row. The theme draws green as a circle, amber as a triangle and
red as a square, so the trend reads without colour; `runs` give the same
story in words for the text alternative.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from generator.i18n import formats
from generator.i18n.translate import N_, _
from generator.portfolio.model import Health, StatusUpdate

DIMENSIONS: tuple[tuple[str, str], ...] = (
    # Translators: the health dimensions a status update rates, as rows of the health chart.
    (N_("Overall"), "health"),
    (N_("Scope"), "scope"),
    (N_("Schedule"), "schedule"),
    (N_("Budget"), "budget"),
)
"""Row label (translated when laid out) and StatusUpdate field of each dimension, in display order."""

MAX_UPDATES = 12
"""Columns shown: the newest updates; the status page lists every one in words."""

LABEL_WIDTH = 66
"""Room for the row labels; more where a language's words are longer ('Planification')."""
CHAR_WIDTH = 6.6
"""Average width of a 12 px character, to fit labels without measuring text."""
STEP = 18
LATEST_WIDTH = 58
ROW_HEIGHT = 22
TOP = 4
DATES_HEIGHT = 78
"""Room under the rows for each column's date, written upwards (a 12 px '24 Nov 2026' is ~70 px long);
more where a language writes dates longer ('24. Nov. 2026')."""


@dataclass(frozen=True)
class Mark:
    """One update's rating in one dimension; None when that update did not rate it."""

    x: float
    health: Health | None
    date: date


@dataclass(frozen=True)
class Run:
    """Consecutive updates with the same rating, for the words of the text alternative."""

    health: Health | None
    first: date
    last: date
    count: int


@dataclass(frozen=True)
class Strip:
    """One dimension's row."""

    label: str
    """The dimension's name in the reader's language."""
    y: float
    """Vertical centre of the row's shapes."""
    marks: tuple[Mark, ...]
    latest: Health | None
    runs: tuple[Run, ...]


@dataclass(frozen=True)
class DateLabel:
    """The date under one column, so a reader can place every update."""

    x: float
    text: str
    """'24 Nov', with the year on the first column and where the year changes."""


@dataclass(frozen=True)
class HealthStrip:
    """The health trend of one project, ready to draw."""

    id: str
    width: int
    height: int
    label_width: int
    latest_x: float
    """Where the newest rating is written as a word."""
    dates_y: float
    """Where each column's date starts (it runs upwards from the bottom)."""
    strips: tuple[Strip, ...]
    dates: tuple[DateLabel, ...]
    count: int
    """Updates shown."""
    total: int
    """Updates there are."""


def _runs(marks: Sequence[Mark]) -> tuple[Run, ...]:
    """Consecutive marks of equal health, grouped."""
    runs: list[Run] = []
    for mark in marks:
        if runs and runs[-1].health == mark.health:
            prev = runs[-1]
            runs[-1] = Run(prev.health, prev.first, mark.date, prev.count + 1)
        else:
            runs.append(Run(mark.health, mark.date, mark.date, 1))
    return tuple(runs)


def _date_labels(marks: Sequence[Mark]) -> tuple[DateLabel, ...]:
    """Each column's date, short: the year only where a reader needs it to place the day."""
    labels = []
    for i, mark in enumerate(marks):
        new_year = i == 0 or marks[i - 1].date.year != mark.date.year
        text = formats.day_month_year(mark.date) if new_year else formats.day_month(mark.date)
        labels.append(DateLabel(mark.x, text))
    return tuple(labels)


def layout_health_strip(updates: Sequence[StatusUpdate], *, key: str) -> HealthStrip:
    """The trend of the newest `MAX_UPDATES` of `updates` (any order), oldest on the left.

    Dimensions no shown update rates are left out; overall health is always there.
    """
    ordered = sorted(updates, key=lambda u: u.date)
    shown = ordered[-MAX_UPDATES:]
    names = [(_(label), field) for label, field in DIMENSIONS]
    label_width = max(LABEL_WIDTH, math.ceil(max(len(name) for name, _field in names) * CHAR_WIDTH + 8))
    xs = [label_width + STEP * i + STEP / 2 for i in range(len(shown))]
    strips: list[Strip] = []
    for name, field in names:
        marks = tuple(Mark(x, getattr(u, field), u.date) for x, u in zip(xs, shown, strict=True))
        if field != "health" and all(m.health is None for m in marks):
            continue
        y = TOP + len(strips) * ROW_HEIGHT + ROW_HEIGHT / 2
        strips.append(Strip(name, y, marks, marks[-1].health if marks else None, _runs(marks)))
    columns = len(shown)
    rows_bottom = TOP + len(strips) * ROW_HEIGHT
    dates = _date_labels(strips[0].marks)
    dates_height = max(DATES_HEIGHT, math.ceil(max((len(d.text) for d in dates), default=0) * CHAR_WIDTH + 2))
    return HealthStrip(
        id=f"hs-{key}",
        width=label_width + STEP * columns + LATEST_WIDTH,
        height=rows_bottom + dates_height,
        label_width=label_width,
        latest_x=label_width + STEP * columns + 6,
        dates_y=rows_bottom + dates_height - 2,
        strips=tuple(strips),
        dates=dates,
        count=columns,
        total=len(ordered),
    )
