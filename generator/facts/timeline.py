"""Geometry of a project's plan timeline: bars, markers and labels in SVG user units.

Dates in, coordinates out: `layout_timeline` places every milestone of a
project on a shared date axis; the theme's `_charts.md.j2` only draws what it
gets. Each milestone is one row: a thick bar for the forecast span (from the
latest of its dependencies, else the project start, to its expected or actual
date) over a thin bar for the baseline span, a hollow diamond at the baseline,
a filled diamond at the forecast and a check mark at the actual date.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Literal

from generator.facts.chart_scale import DateScale, month_start
from generator.facts.milestones import MilestoneFacts
from generator.i18n import formats
from generator.portfolio.model import MilestoneStatus, Side

RowState = Literal["done", "late", "at-risk", "in-progress", "planned", "cancelled"]
"""How a bar is drawn (fill or pattern); always said in words too."""


AXIS_HEIGHT = 36
"""Room above the rows for month and year labels."""
TODAY_LABEL_HEIGHT = 18
"""Room below the rows for the 'Today' label."""
TODAY_LABEL_HALF = 56
"""Half the width of 'Today YYYY-MM-DD', which is centred on the today line where it fits."""
MAX_MONTH_TICKS = 120
"""Months on the axis beyond which it shows years: ten years of month lines are still readable."""
YEAR_STEPS = (1, 2, 5, 10, 20, 50)
"""Years between labelled ticks on a long axis; 50 fits the longest the contract allows (1970-2099)."""
MAX_LABEL_SHARE = 0.45
"""At most this share of a wide timeline's width goes to the labels; the rest is the bars'."""
CHAR_WIDTH = 6.6
"""Average width of a 12-unit sans-serif character, to fit labels without measuring text."""


@dataclass(frozen=True)
class Layout:
    """How a timeline is laid out for one kind of screen."""

    name: str
    """Part of every id in the drawing, so two drawings can share a page."""
    width: int
    """Width of the viewBox; drawn at most this many CSS pixels wide."""
    label_width: int
    """Width of the label column left of the bars; 0 puts each label above its bars."""
    row_height: int
    arrows: bool
    """Draw dependency arrows."""
    cancelled: bool
    """Show cancelled milestones (the full plan does, the compact view does not)."""


PLAN_WIDE = Layout("wide", width=760, label_width=260, row_height=44, arrows=True, cancelled=True)
"""The plan page on a laptop: labels left of the bars."""
PLAN_NARROW = Layout("narrow", width=360, label_width=0, row_height=62, arrows=True, cancelled=True)
"""The plan page on a phone: labels above the bars."""
COMPACT_WIDE = Layout("compact-wide", width=760, label_width=260, row_height=40, arrows=False,
                      cancelled=False)
"""The overview on a laptop: no arrows, no cancelled milestones."""
COMPACT_NARROW = Layout("compact-narrow", width=360, label_width=0, row_height=58, arrows=False,
                        cancelled=False)
"""The overview on a phone."""


@dataclass(frozen=True)
class Span:
    """A horizontal bar: from x1 to x2 at y, h high (x1 == x2 means no bar, only markers)."""

    x1: float
    x2: float
    y: float
    h: float

    @property
    def width(self) -> float:
        """Drawn width, at least 0."""
        return round(max(self.x2 - self.x1, 0), 1)

    @property
    def mid(self) -> float:
        """Vertical centre, where the markers sit."""
        return round(self.y + self.h / 2, 1)


@dataclass(frozen=True)
class Row:
    """One milestone drawn as a row of the timeline."""

    id: str
    label: str
    """Id and title, shortened with '…' to fit the label room."""
    owner: Side | None
    status: MilestoneStatus
    state: RowState
    days_late: int
    slip_days: int | None
    """Actual minus baseline once done, else forecast minus baseline; None when cancelled."""
    top: float
    label_x: float
    label_y: float
    """Baseline of the label's first line (id and title)."""
    detail_y: float
    """Baseline of the second line (owner, status, slip)."""
    forecast: Span
    baseline: Span
    baseline_x: float
    """Hollow diamond: the date first agreed."""
    forecast_x: float | None
    """Filled diamond: the expected date, when it differs from the actual or there is none."""
    actual_x: float | None
    """Check mark: the date it was actually reached."""


@dataclass(frozen=True)
class Arrow:
    """A dependency: from the end of the milestone waited for to the start of the one waiting."""

    points: tuple[tuple[float, float], ...]


@dataclass(frozen=True)
class Tick:
    """A month boundary on the axis, labelled when there is room."""

    x: float
    month: str
    """'Aug' ('Aug.' in German), or '' when the label is skipped for lack of room."""
    year: str
    """'2027' on the first labelled tick and on every labelled January, else ''."""


@dataclass(frozen=True)
class Timeline:
    """Everything needed to draw one project's timeline in one layout."""

    id: str
    """Unique per project and layout: prefixes the ids of patterns and markers."""
    layout: str
    width: int
    height: int
    x0: float
    """Left edge of the date axis."""
    x1: float
    rows_top: float
    rows_bottom: float
    start: date
    end: date
    today: date
    today_x: float
    today_label_x: float
    """Where 'Today' is written below the rows, kept inside the drawing."""
    today_label_y: float
    ticks: tuple[Tick, ...]
    rows: tuple[Row, ...]
    arrows: tuple[Arrow, ...]
    done: int
    open: int
    late: int


@dataclass(frozen=True)
class Timelines:
    """The same timeline for laptop and phone screens; the stylesheet shows one of them."""

    wide: Timeline
    narrow: Timeline

    @property
    def rows(self) -> tuple[Row, ...]:
        """The rows (the same milestones in both layouts)."""
        return self.wide.rows


def layout_timelines(
    milestones: Sequence[MilestoneFacts],
    *,
    project_start: date | None,
    today: date,
    key: str,
    compact: bool = False,
) -> Timelines:
    """The wide and the narrow layout of one timeline: the full plan, or the compact overview."""
    wide, narrow = (COMPACT_WIDE, COMPACT_NARROW) if compact else (PLAN_WIDE, PLAN_NARROW)
    return Timelines(
        *(layout_timeline(milestones, project_start=project_start, today=today, layout=layout, key=key)
          for layout in (wide, narrow))
    )


def _label_width(shown: Sequence[MilestoneFacts], layout: Layout) -> float:
    """The label column of a wide layout: as wide as its longest label needs, from the layout's
    width up to MAX_LABEL_SHARE of the drawing, so a title is cut only when the bars need the room."""
    longest = max((len(f"{f.milestone.id} {f.milestone.title}") for f in shown), default=0)
    return min(max(float(layout.label_width), longest * CHAR_WIDTH + 8 + 8), layout.width * MAX_LABEL_SHARE)


def _shorten(text: str, room: float) -> str:
    """`text` cut at a word so it fits `room` units, with '…' when cut."""
    limit = max(int(room / CHAR_WIDTH), 4)
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if " " in cut[limit // 2 :]:
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:-") + "…"


def _state(facts: MilestoneFacts) -> RowState:
    """How the row is drawn: its status, except that a late open milestone shows as late."""
    status = facts.milestone.status
    if status == "done" or status == "cancelled":
        return status
    return "late" if facts.late else status


def _end(facts: MilestoneFacts) -> date:
    """Where the forecast bar ends: the actual date once reached, else the expected one."""
    return facts.milestone.actual or facts.expected


def _spans(
    facts: MilestoneFacts, by_id: dict[str, MilestoneFacts], project_start: date | None
) -> tuple[date, date]:
    """Start dates of the forecast and the baseline bar of a milestone."""
    m = facts.milestone
    deps = [by_id[d.id] for d in facts.depends_on if d.id in by_id]
    if deps:
        forecast_start = max(_end(d) for d in deps)
        baseline_start = max(d.milestone.baseline for d in deps)
    else:
        forecast_start = baseline_start = project_start or _end(facts)
    return min(forecast_start, _end(facts)), min(baseline_start, m.baseline)


def _ticks(start: date, end: date, x: DateScale, min_gap: float) -> tuple[Tick, ...]:
    """Month ticks from `start` to `end`, labelled every 1, 2, 3, 6 or 12 months as room allows
    (at least `min_gap` apart, more where a language's month names are longer).

    A plan spanning more than MAX_MONTH_TICKS months gets year ticks instead, so
    that a drawing (and the page) keeps its size however far apart its dates are.
    """
    if (end.year - start.year) * 12 + end.month - start.month > MAX_MONTH_TICKS:
        return _year_ticks(start, end, x, min_gap)
    months: list[date] = []
    day = start
    while day <= end:
        months.append(day)
        day = month_start(day, 1)
    end_x = x(end)
    month_width = (end_x - x(start)) / max(len(months) - 1, 1)
    names = [formats.month(month) for month in months]
    min_gap = max(min_gap, max(map(len, names)) * CHAR_WIDTH + 8)  # English fits: 'Sep' needs 28
    step = next((s for s in (1, 2, 3, 6, 12) if month_width * s >= min_gap), 12)
    ticks: list[Tick] = []
    labelled = 0
    for i, month in enumerate(months[:-1]):
        month_x = x(month)
        show = i % step == 0 and month_x + min(month_width * step, min_gap) <= end_x + 1
        year = str(month.year) if show and (labelled == 0 or month.month == 1) else ""
        labelled += show
        ticks.append(Tick(month_x, names[i] if show else "", year))
    ticks.append(Tick(end_x, "", ""))
    return tuple(ticks)


def _year_ticks(start: date, end: date, x: DateScale, min_gap: float) -> tuple[Tick, ...]:
    """Ticks on 1 January of every 1st, 2nd, 5th, 10th, ... year, as room allows, each labelled."""
    step = next((s for s in YEAR_STEPS if x.per_day * 365 * s >= min_gap), YEAR_STEPS[-1])
    first = (start.year + step - 1) // step * step
    ticks = [Tick(x(date(year, 1, 1)), "", str(year)) for year in range(first, end.year + 1, step)
             if start <= date(year, 1, 1) < end]
    return (*ticks, Tick(x(end), "", ""))


def layout_timeline(
    milestones: Sequence[MilestoneFacts],
    *,
    project_start: date | None,
    today: date,
    layout: Layout,
    key: str,
) -> Timeline:
    """The timeline of `milestones` (plan order) as of `today`, laid out for `layout`.

    `key` (e.g. the project slug) makes the drawing's ids unique on a page.
    """
    shown = [f for f in milestones if layout.cancelled or f.milestone.status != "cancelled"]
    by_id = {f.milestone.id: f for f in shown}
    spans = {f.milestone.id: _spans(f, by_id, project_start) for f in shown}
    dates = [today]
    for f in shown:
        m = f.milestone
        dates += [m.baseline, f.expected, *spans[m.id], *([m.actual] if m.actual else [])]
    start, end = month_start(min(dates)), month_start(max(dates), 1)

    above = layout.label_width == 0
    label_room = (layout.width - 8 if above else _label_width(shown, layout)) - 8
    x0 = 8.0 if above else label_room + 20.0
    x1 = layout.width - 10.0
    x = DateScale(start, end, x0, x1)
    rows: list[Row] = []
    for i, f in enumerate(shown):
        m = f.milestone
        top = AXIS_HEIGHT + i * layout.row_height
        bar_y = top + (34 if above else 8)
        forecast_start, baseline_start = spans[m.id]
        state = _state(f)
        actual_x = x(m.actual) if m.actual else None
        forecast_x = None if m.actual and m.actual == f.expected else x(f.expected)
        if state == "cancelled":
            forecast_x = actual_x = None
        rows.append(
            Row(
                id=m.id,
                label=_shorten(f"{m.id} {m.title}", label_room),
                owner=m.owner,
                status=m.status,
                state=state,
                days_late=f.days_late,
                slip_days=None if state == "cancelled" else (
                    f.actual_vs_baseline if f.actual_vs_baseline is not None else f.slip_days
                ),
                top=top,
                label_x=0.0,
                label_y=top + 14,
                detail_y=top + 29,
                forecast=Span(x(forecast_start), x(_end(f)), bar_y, 12),
                baseline=Span(x(baseline_start), x(m.baseline), bar_y + 15, 5),
                baseline_x=x(m.baseline),
                forecast_x=forecast_x,
                actual_x=actual_x,
            )
        )
    rows_bottom = AXIS_HEIGHT + len(shown) * layout.row_height
    today_x = x(today)
    return Timeline(
        id=f"tl-{key}-{layout.name}",
        layout=layout.name,
        width=layout.width,
        height=rows_bottom + TODAY_LABEL_HEIGHT + 4,
        x0=x0,
        x1=x1,
        rows_top=AXIS_HEIGHT - 4,
        rows_bottom=rows_bottom,
        start=start,
        end=end,
        today=today,
        today_x=today_x,
        today_label_y=rows_bottom + TODAY_LABEL_HEIGHT - 2,
        today_label_x=min(max(today_x, x0 + TODAY_LABEL_HALF), x1 - TODAY_LABEL_HALF),
        ticks=_ticks(start, end, x, 30 if above else 40),
        rows=tuple(rows),
        arrows=_arrows(rows, shown) if layout.arrows else (),
        done=sum(f.milestone.status == "done" for f in shown),
        open=sum(f.milestone.status not in ("done", "cancelled") for f in shown),
        late=sum(f.late for f in shown),
    )


def _arrows(rows: list[Row], shown: list[MilestoneFacts]) -> tuple[Arrow, ...]:
    """Finish-to-start arrows: down from the end of each dependency, then right to the bar start."""
    row_of = {r.id: r for r in rows}
    arrows: list[Arrow] = []
    for f in shown:
        target = row_of[f.milestone.id]
        for dep in f.depends_on:
            source = row_of.get(dep.id)
            if source is None or source.state == "cancelled" or target.state == "cancelled":
                continue
            sx = source.forecast.x2
            sy = round(source.forecast.y + source.forecast.h, 1)
            tx, ty = target.forecast.x1, target.forecast.mid
            points: tuple[tuple[float, float], ...]
            if tx - sx >= 4:
                points = ((sx, sy), (sx, ty), (tx - 1, ty))
            else:
                points = ((sx, sy), (sx, round(target.forecast.y - 1, 1)))
            arrows.append(Arrow(points))
    return tuple(arrows)
