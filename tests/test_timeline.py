"""Geometry of the plan timeline and the health trend: dates in, coordinates out."""

from __future__ import annotations

from datetime import date
from itertools import pairwise
from typing import Any

import pytest

from generator.facts.derive import derive_project
from generator.facts.health_strip import MAX_UPDATES, layout_health_strip
from generator.facts.timeline import (
    COMPACT_WIDE,
    PLAN_NARROW,
    PLAN_WIDE,
    Layout,
    Timeline,
    layout_timeline,
    layout_timelines,
)
from generator.portfolio.model import Milestone, Project, ProjectFile, StatusUpdate
from tests.conftest import DAY as TODAY
from tests.conftest import d


def plan(*milestones: Milestone, start: str | None = "2026-08-03") -> Project:
    info = ProjectFile(name="Web", start=d(start) if start else None)
    return Project(slug="web", info=info, milestones=milestones)


def ms(id: str, baseline: str, **kw: Any) -> Milestone:
    for key in ("forecast", "actual"):
        if isinstance(kw.get(key), str):
            kw[key] = d(kw[key])
    return Milestone(id=id, title=kw.pop("title", f"Milestone {id}"), baseline=d(baseline), **kw)


EXAMPLE = plan(
    ms("M1", "2026-08-28", actual="2026-08-28", status="done", owner="vendor"),
    ms("M2", "2026-10-02", forecast="2026-10-16", actual="2026-10-16", status="done", depends_on=["M1"],
       owner="customer"),
    ms("M3", "2026-11-13", forecast="2026-11-27", status="in-progress", depends_on=["M2"]),
    ms("M4", "2026-11-20", status="at-risk", depends_on=["M3"]),
    ms("M5", "2027-02-26", forecast="2027-03-12", depends_on=["M3", "M4"]),
    ms("M6", "2027-02-12", status="cancelled", depends_on=["M3"]),
)


def timeline(project: Project = EXAMPLE, layout: Layout = PLAN_WIDE, today: date = TODAY) -> Timeline:
    facts = derive_project(project, today)
    return layout_timeline(facts.milestones, project_start=project.info.start, today=today, layout=layout,
                           key=project.slug)


def test_axis_runs_from_the_first_month_to_the_month_after_the_last_date() -> None:
    t = timeline()
    assert (t.start, t.end) == (d("2026-08-01"), d("2027-04-01"))
    assert t.ticks[0].x == t.x0 and t.ticks[-1].x == t.x1
    assert [tick.month for tick in t.ticks if tick.month][:3] == ["Aug", "Sep", "Oct"]
    assert [tick.year for tick in t.ticks if tick.year] == ["2026", "2027"]


def test_dates_map_left_to_right_and_today_sits_between() -> None:
    t = timeline()
    row = {r.id: r for r in t.rows}
    assert row["M3"].baseline_x < t.today_x < row["M3"].forecast_x  # type: ignore[operator]
    assert t.x0 <= min(r.forecast.x1 for r in t.rows) and max(r.forecast.x2 for r in t.rows) <= t.x1
    assert t.x0 + 40 <= t.today_label_x <= t.x1 - 40


def test_baseline_against_forecast_slip_and_actual() -> None:
    row = {r.id: r for r in timeline().rows}
    m3 = row["M3"]
    assert m3.forecast_x is not None and m3.forecast_x > m3.baseline_x  # two weeks late
    assert m3.slip_days == 14 and m3.actual_x is None and m3.state == "in-progress"
    m2 = row["M2"]
    assert m2.actual_x is not None and m2.forecast_x is None  # reached on its forecast: one marker
    assert m2.slip_days == 14 and m2.state == "done"
    assert m2.forecast.x2 == m2.actual_x  # the bar ends where it was actually reached


def test_bars_start_where_their_dependencies_end_or_at_the_project_start() -> None:
    t = timeline()
    row = {r.id: r for r in t.rows}
    day = (t.ticks[1].x - t.ticks[0].x) / 31
    assert abs(row["M1"].forecast.x1 - (t.ticks[0].x + 2 * day)) < 0.2  # the project starts 2026-08-03
    assert row["M2"].forecast.x1 == row["M1"].forecast.x2
    assert row["M5"].forecast.x1 == max(row["M3"].forecast.x2, row["M4"].forecast.x2)
    assert row["M2"].baseline.x1 == row["M1"].baseline_x


def test_late_milestones_show_as_late_with_their_days() -> None:
    row = {r.id: r for r in timeline().rows}
    assert (row["M4"].state, row["M4"].days_late, row["M4"].status) == ("late", 6, "at-risk")
    assert timeline().late == 1


def test_dependency_arrows_go_from_the_end_of_one_bar_to_the_start_of_the_next() -> None:
    t = timeline()
    row = {r.id: r for r in t.rows}
    m1, m2, m4, m5 = row["M1"], row["M2"], row["M4"], row["M5"]
    starts = {a.points[0]: a.points[-1] for a in t.arrows}
    # M2 starts where M1 ends: straight down onto the top of M2's bar
    assert starts[(m1.forecast.x2, m1.forecast.y + m1.forecast.h)] == (m1.forecast.x2, m2.forecast.y - 1)
    # M5 waits for M4 (which ends earlier): down, then right to M5's start
    elbow = [a.points for a in t.arrows if a.points[0] == (m4.forecast.x2, m4.forecast.y + m4.forecast.h)]
    assert elbow and elbow[0][-1] == (m5.forecast.x1 - 1, m5.forecast.mid)
    assert len(t.arrows) == 5  # M1→M2, M2→M3, M3→M4, M3→M5, M4→M5; none into the cancelled M6


def test_compact_layout_leaves_out_cancelled_milestones_and_arrows() -> None:
    full, compact = timeline(), timeline(layout=COMPACT_WIDE)
    assert "M6" in [r.id for r in full.rows] and "M6" not in [r.id for r in compact.rows]
    assert compact.arrows == () and compact.height < full.height


def test_narrow_layout_puts_labels_above_the_bars_and_fits_a_phone() -> None:
    t = timeline(layout=PLAN_NARROW)
    assert t.width <= 375
    for r in t.rows:
        assert r.detail_y < r.forecast.y  # text first, then the bars
        assert len(r.label) * 6.6 <= t.width


def test_a_title_is_whole_while_the_label_column_can_grow_then_cut_at_a_word() -> None:
    fits = "Checkout and store locator integration"  # longer than the column a short title leaves
    assert timeline(plan(ms("M1", "2026-12-01", title=fits))).rows[0].label == f"M1 {fits}"
    title = "Checkout and store locator integration with the payment provider and the warehouse"
    label = timeline(plan(ms("M1", "2026-12-01", title=title))).rows[0].label
    assert label.endswith("…") and label.startswith("M1 Checkout") and len(label) < 60
    assert " " not in label[-2:]


def test_ids_are_unique_per_project_and_layout() -> None:
    facts = derive_project(EXAMPLE, TODAY)
    tls = layout_timelines(facts.milestones, project_start=None, today=TODAY, key="web")
    assert tls.wide.id != tls.narrow.id and tls.wide.id.startswith("tl-web-")
    assert tls.rows == tls.wide.rows


def test_today_outside_the_plan_widens_the_axis() -> None:
    t = timeline(plan(ms("M1", "2027-05-10"), start=None))
    assert t.start == d("2026-11-01") and t.end == d("2027-06-01")
    assert t.rows[0].forecast.width == 0  # no start known: a marker, not a bar


def test_an_empty_plan_has_no_rows() -> None:
    t = timeline(plan())
    assert t.rows == () and t.arrows == () and t.start <= TODAY < t.end


def test_long_plans_label_fewer_months() -> None:
    t = timeline(plan(ms("M1", "2029-12-01"), start="2026-01-05"), layout=PLAN_NARROW)
    labelled = [tick for tick in t.ticks if tick.month]
    assert 4 <= len(labelled) <= 12
    gaps = [b.x - a.x for a, b in pairwise(labelled)]
    assert min(gaps) >= 30


def test_a_plan_spanning_the_whole_contract_draws_year_ticks_that_fit() -> None:
    """Dates as far apart as the contract allows (1970-2099) keep the drawing, and the page, small."""
    for layout in (PLAN_WIDE, PLAN_NARROW):
        t = timeline(plan(ms("M1", "2099-12-15"), start="1970-01-01"), layout=layout)
        assert len(t.ticks) <= 15
        labelled = [tick for tick in t.ticks if tick.year]
        assert labelled and all(not tick.month and int(tick.year) % 10 == 0 for tick in labelled)
        assert min(b.x - a.x for a, b in pairwise(labelled)) >= 30


# --- health trend ----------------------------------------------------------------------------------


def update(day: str, health: str, **kw: str) -> StatusUpdate:
    return StatusUpdate(date=d(day), health=health, summary="x", **kw)


def test_health_trend_runs_oldest_to_newest_per_dimension() -> None:
    updates = (
        update("2026-11-17", "amber", schedule="red"),
        update("2026-11-03", "green", schedule="green"),
        update("2026-11-10", "green", schedule="amber"),
    )
    hs = layout_health_strip(updates, key="web")
    assert [s.label for s in hs.strips] == ["Overall", "Schedule"]  # nobody rated scope or budget
    overall, schedule = hs.strips
    assert [m.health for m in overall.marks] == ["green", "green", "amber"]
    assert [m.date for m in overall.marks] == [d("2026-11-03"), d("2026-11-10"), d("2026-11-17")]
    assert overall.latest == "amber" and schedule.latest == "red"
    assert [(r.health, r.count) for r in overall.runs] == [("green", 2), ("amber", 1)]
    assert overall.marks[0].x < overall.marks[1].x < hs.latest_x < hs.width
    assert [label.text for label in hs.dates] == ["3 Nov 2026", "10 Nov", "17 Nov"]  # every column dated
    assert [label.x for label in hs.dates] == [m.x for m in overall.marks]


def test_health_trend_keeps_the_newest_updates_and_says_how_many_there_are() -> None:
    updates = [update(f"2026-{m:02d}-{day:02d}", "green") for m in (3, 4, 5, 6, 7, 8, 9) for day in (1, 15)]
    hs = layout_health_strip(updates, key="web")
    assert (hs.count, hs.total) == (MAX_UPDATES, 14)
    assert hs.strips[0].marks[-1].date == d("2026-09-15") and len(hs.dates) == MAX_UPDATES
    assert hs.width <= 375


def test_health_trend_without_updates_is_empty() -> None:
    hs = layout_health_strip((), key="web")
    assert hs.count == 0 and hs.dates == ()


def test_health_trend_names_the_year_where_it_changes() -> None:
    updates = [update(day, "green") for day in ("2026-12-15", "2026-12-29", "2027-01-12")]
    hs = layout_health_strip(updates, key="web")
    assert [label.text for label in hs.dates] == ["15 Dec 2026", "29 Dec", "12 Jan 2027"]


def test_month_labels_keep_apart_in_languages_with_longer_names() -> None:
    """French writes 'sept.', 'janv.': the narrow plan labels fewer months rather than overlapping them."""
    from generator.facts.timeline import CHAR_WIDTH
    from generator.i18n.translate import speaking

    long = plan(ms("M1", "2026-09-01"), ms("M2", "2028-12-01"))
    with speaking("en"):
        english = [t for t in timeline(long, layout=PLAN_NARROW).ticks if t.month]
    with speaking("fr"):
        french = [t for t in timeline(long, layout=PLAN_NARROW).ticks if t.month]
    assert len(french) < len(english) and any(t.month.endswith(".") for t in french)
    for before, after in pairwise(french):
        assert after.x - before.x >= len(before.month) * CHAR_WIDTH


def test_health_strip_makes_room_for_longer_words_and_dates(monkeypatch: pytest.MonkeyPatch) -> None:
    """German dates ('24. Nov. 2026') and longer row names get their room; English keeps its geometry."""
    from generator.facts.health_strip import CHAR_WIDTH, DATES_HEIGHT, LABEL_WIDTH
    from generator.i18n.translate import PSEUDO_ENV, speaking

    updates = [update("2026-11-24", "green", schedule="amber"), update("2026-12-01", "amber")]
    with speaking("en"):
        english = layout_health_strip(updates, key="web")
    with speaking("de"):
        german = layout_health_strip(updates, key="web")
    assert english.label_width == LABEL_WIDTH and english.dates_y == english.height - 2
    assert german.dates[0].text == "24. Nov. 2026"
    assert german.height - english.height >= len("24. Nov. 2026") * CHAR_WIDTH - DATES_HEIGHT
    monkeypatch.setenv(PSEUDO_ENV, "1")
    longer = layout_health_strip(updates, key="web")
    widest = max(len(s.label) for s in longer.strips)
    assert longer.label_width >= widest * CHAR_WIDTH and longer.strips[0].marks[0].x > longer.label_width
