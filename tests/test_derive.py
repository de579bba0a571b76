"""Facts for readers: slip, lateness, overdue answers, customer delay, totals, staleness."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from generator.facts.derive import derive_portal, derive_project
from generator.portfolio.model import (
    Budget,
    ChangeRequest,
    Customer,
    CustomerFile,
    Decision,
    Impact,
    Milestone,
    Project,
    ProjectFile,
    Question,
    Risk,
    StatusUpdate,
    TeamMember,
)
from generator.portfolio.visibility import for_audience
from tests.conftest import DAY as TODAY
from tests.conftest import d


def milestone(id: str, baseline: str, **kw: Any) -> Milestone:
    return Milestone(id=id, title=f"Milestone {id}", baseline=d(baseline), **kw)


def question(id: str, **kw: Any) -> Question:
    kw.setdefault("asked", d("2026-11-01"))
    kw.setdefault("owner", "customer")
    return Question(id=id, question=f"Question {id}?", **kw)


def change(
    id: str, status: str, days: int | None = None, cost: float | None = None, **kw: Any
) -> ChangeRequest:
    return ChangeRequest(
        id=id,
        requested=kw.pop("requested", d("2026-11-01")),
        title=f"Change {id}",
        status=status,
        impact=Impact(days=days, cost=cost, milestones=kw.pop("milestones", [])),
        **kw,
    )


def update(day: str, health: str = "green") -> StatusUpdate:
    return StatusUpdate(date=d(day), health=health, summary="All fine.")


def project(slug: str = "web", info: dict[str, Any] | None = None, **parts: Any) -> Project:
    return Project(slug=slug, info=ProjectFile(name="Website", **(info or {})), **parts)


# --- milestones -------------------------------------------------------------------------


def test_slip_is_expected_minus_baseline_in_days() -> None:
    facts = derive_project(
        project(
            milestones=(
                milestone("M1", "2026-12-01", forecast=d("2026-12-15")),
                milestone("M2", "2026-12-01"),
                milestone("M3", "2026-12-10", forecast=d("2026-12-07")),
            )
        ),
        TODAY,
    )
    assert [f.slip_days for f in facts.milestones] == [14, 0, -3]
    assert [f.expected for f in facts.milestones] == [
        d("2026-12-15"),
        d("2026-12-01"),
        d("2026-12-07"),
    ]


def test_late_when_expected_date_passed_and_not_done_or_cancelled() -> None:
    facts = derive_project(
        project(
            milestones=(
                milestone("M1", "2026-11-01", forecast=d("2026-11-16"), status="in-progress"),
                milestone("M2", "2026-11-01", status="done", actual=d("2026-11-20")),
                milestone("M3", "2026-11-01", status="cancelled"),
                milestone("M4", "2026-11-26"),
            )
        ),
        TODAY,
    )
    late = {f.milestone.id: (f.late, f.days_late) for f in facts.milestones}
    assert late == {"M1": (True, 10), "M2": (False, 0), "M3": (False, 0), "M4": (False, 0)}


def test_actual_compared_with_baseline() -> None:
    facts = derive_project(
        project(
            milestones=(
                milestone("M1", "2026-10-15", actual=d("2026-10-30"), status="done"),
                milestone("M2", "2026-10-15", actual=d("2026-10-13"), status="done"),
                milestone("M3", "2026-12-15"),
            )
        ),
        TODAY,
    )
    assert [f.actual_vs_baseline for f in facts.milestones] == [15, -2, None]


def test_next_milestones_skip_closed_ones_and_follow_expected_date() -> None:
    facts = derive_project(
        project(
            milestones=(
                milestone("M1", "2026-10-01", status="done"),
                milestone("M2", "2027-03-01"),
                milestone("M3", "2027-01-01", forecast=d("2027-04-01")),
                milestone("M4", "2027-02-01"),
                milestone("M5", "2026-12-01", status="cancelled"),
                milestone("M6", "2026-12-20"),
            )
        ),
        TODAY,
    )
    assert [f.milestone.id for f in facts.next_milestones] == ["M6", "M4", "M2"]
    assert facts.next_milestone is not None and facts.next_milestone.milestone.id == "M6"


def test_dependencies_resolve_and_unknown_ids_are_skipped() -> None:
    facts = derive_project(
        project(
            milestones=(
                milestone("M1", "2026-12-01"),
                milestone("M2", "2026-12-02", depends_on=["M1", "M9"]),
            )
        ),
        TODAY,
    )
    assert [m.id for m in facts.milestones[1].depends_on] == ["M1"]


# --- questions and customer delay -------------------------------------------------------------


def test_question_overdue_only_when_open_and_due_before_today() -> None:
    facts = derive_project(
        project(
            questions=(
                question("Q-1", due=d("2026-11-20")),
                question("Q-2", due=TODAY),
                question("Q-3"),
                question(
                    "Q-4",
                    due=d("2026-11-01"),
                    status="answered",
                    answer="Yes.",
                    answered=d("2026-11-02"),
                ),
            )
        ),
        TODAY,
    )
    overdue = {q.question.id: (q.overdue, q.days_overdue) for q in facts.questions}
    assert overdue == {"Q-1": (True, 6), "Q-2": (False, 0), "Q-3": (False, 0), "Q-4": (False, 0)}


def test_customer_delay_names_question_since_due_date_and_days_overdue() -> None:
    facts = derive_project(
        project(
            milestones=(milestone("M3", "2027-01-15"), milestone("M4", "2027-02-01")),
            questions=(
                question("Q-12", due=d("2026-11-12"), blocks=["M3"]),
                question("Q-13", due=d("2026-12-12"), blocks=["M4"]),  # not overdue yet
            ),
        ),
        TODAY,
    )
    [delay] = facts.customer_delays
    assert (delay.milestone.id, delay.question.id, delay.since, delay.days_overdue) == (
        "M3",
        "Q-12",
        d("2026-11-12"),
        14,
    )
    held = {f.milestone.id: [h.question.id for h in f.held_by] for f in facts.milestones}
    assert held == {"M3": ["Q-12"], "M4": []}


def test_overdue_vendor_question_holds_milestone_but_is_no_customer_delay() -> None:
    facts = derive_project(
        project(
            milestones=(
                milestone("M1", "2027-01-15"),
                milestone("M2", "2026-10-01", status="done"),
            ),
            questions=(question("Q-1", owner="vendor", due=d("2026-11-20"), blocks=["M1", "M2"]),),
        ),
        TODAY,
    )
    assert [(h.milestone.id, h.question.owner) for h in facts.holds] == [("M1", "vendor")]
    assert facts.customer_delays == ()


def test_question_naming_an_internal_milestone_is_safe_for_the_customer() -> None:
    customer = Customer(
        slug="acme",
        info=CustomerFile(name="Acme"),
        projects=(
            project(
                milestones=(
                    milestone("M1", "2027-01-15"),
                    milestone("M2", "2027-01-20", visibility="internal"),
                ),
                questions=(question("Q-1", due=d("2026-11-20"), blocks=["M1", "M2"]),),
            ),
        ),
    )
    facts = derive_portal(for_audience(customer, "customer"), TODAY).projects[0]
    assert [m.id for m in facts.questions[0].blocks] == ["M1"]
    assert [h.milestone.id for h in facts.customer_delays] == ["M1"]


# --- what the customer owes -------------------------------------------------------------------


def test_waiting_on_customer_lists_open_customer_questions_by_due_date_then_pending_changes() -> None:
    facts = derive_project(
        project(
            questions=(
                question("Q-1"),
                question("Q-2", due=d("2026-12-10")),
                question("Q-3", due=d("2026-11-20")),
                question("Q-4", owner="vendor", due=d("2026-11-01")),
                question("Q-5", status="answered", answer="No.", answered=d("2026-11-02")),
            ),
            changes=(
                change("CR-1", "proposed"),
                change("CR-2", "under-review"),
                change("CR-3", "approved", decided=d("2026-11-03")),
                change("CR-4", "rejected", decided=d("2026-11-03")),
            ),
        ),
        TODAY,
    )
    assert [q.question.id for q in facts.waiting.questions] == ["Q-3", "Q-2", "Q-1"]
    assert sorted(c.change.id for c in facts.waiting.changes) == ["CR-1", "CR-2"]
    assert facts.waiting.count == 5


def test_open_questions_come_before_answered_ones_newest_answer_first() -> None:
    facts = derive_project(
        project(
            questions=(
                question("Q-1", status="answered", answer="A.", answered=d("2026-10-01")),
                question("Q-2", owner="vendor"),
                question("Q-3", status="closed", answered=d("2026-11-01"), answer="B."),
            )
        ),
        TODAY,
    )
    assert [q.question.id for q in facts.questions] == ["Q-2", "Q-3", "Q-1"]
    assert [q.question.id for q in facts.open_questions] == ["Q-2"]
    assert [q.question.id for q in facts.settled_questions] == ["Q-3", "Q-1"]


# --- change requests -------------------------------------------------------------------------


def test_approved_and_done_changes_add_up_with_counts_per_status() -> None:
    facts = derive_project(
        project(
            info={"budget": Budget(currency="CHF", approved=100000)},
            changes=(
                change("CR-1", "approved", days=10, cost=8000, decided=d("2026-10-01")),
                change("CR-2", "done", days=3, cost=1500.5, decided=d("2026-09-01")),
                change("CR-3", "approved", decided=d("2026-10-02")),  # impact not estimated
                change("CR-4", "proposed", days=20, cost=20000),
                change("CR-5", "rejected", days=5, cost=5000, decided=d("2026-10-03")),
                change("CR-6", "proposed"),
            ),
        ),
        TODAY,
    )
    totals = facts.change_totals
    assert (totals.approved_days, totals.approved_cost, totals.approved_count) == (13, 9500.5, 3)
    assert totals.currency == "CHF"
    assert dict(totals.by_status) == {"proposed": 2, "approved": 2, "rejected": 1, "done": 1}
    # what still awaits the customer's decision is totalled too (CR-4 and CR-6)
    assert (totals.pending_days, totals.pending_cost, totals.pending_count) == (20, 20000, 2)


def test_money_compares_forecast_with_approved_and_names_the_approved_changes_share() -> None:
    facts = derive_project(
        project(
            info={"budget": Budget(approved=200000, forecast=230000)},
            changes=(change("CR-1", "approved", cost=12000, decided=d("2026-10-01")),),
        ),
        TODAY,
    )
    money = facts.money
    assert money is not None
    assert (money.difference, money.percent, money.from_changes) == (30000, 15.0, 12000)
    assert derive_project(project(info={"budget": Budget(approved=1)}), TODAY).money is None


def test_the_vendor_contact_is_who_answers_scope_or_schedule_else_the_first() -> None:
    team = [TeamMember(name="Ada", ask_about=["hosting"]), TeamMember(name="Lin", ask_about=["Schedule"])]
    assert derive_project(project(info={"team": team}), TODAY).contact == team[1]
    assert derive_project(project(info={"team": team[:1]}), TODAY).contact == team[0]
    assert derive_project(project(), TODAY).contact is None


def test_worst_health_dimension_is_named_schedule_first_on_a_tie() -> None:
    update = StatusUpdate(date=d("2026-11-20"), health="amber", scope="amber", schedule="amber",
                          budget="red", summary="x")
    assert derive_project(project(updates=(update,)), TODAY).worst == ("budget", "red")
    tie = update.model_copy(update={"budget": "amber"})
    assert derive_project(project(updates=(tie,)), TODAY).worst == ("schedule", "amber")


def test_change_totals_without_budget_use_the_default_currency_and_zero() -> None:
    totals = derive_project(project(), TODAY).change_totals
    assert (totals.approved_days, totals.approved_cost, totals.currency, totals.by_status) == (
        0,
        0,
        "EUR",
        (),
    )


def test_change_milestones_resolve_skipping_unknown_ids() -> None:
    facts = derive_project(
        project(
            milestones=(milestone("M4", "2027-01-01"),),
            changes=(change("CR-1", "proposed", milestones=["M4", "MX"]),),
        ),
        TODAY,
    )
    assert [m.id for m in facts.changes[0].milestones] == ["M4"]
    assert facts.changes[0].awaiting_customer


# --- status updates ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("updates", "cadence", "overdue", "days_since"),
    [
        (("2026-11-18",), 7, True, 8),
        (("2026-11-19",), 7, False, 7),
        ((), 7, True, None),
        (("2026-01-01",), None, False, 329),
        (("2026-11-01", "2026-11-24", "2026-11-10"), 7, False, 2),
    ],
)
def test_update_overdue_against_cadence(
    updates: tuple[str, ...], cadence: int | None, overdue: bool, days_since: int | None
) -> None:
    facts = derive_project(
        project(info={"cadence_days": cadence}, updates=tuple(update(u) for u in updates)), TODAY
    )
    assert (facts.update_overdue, facts.days_since_update) == (overdue, days_since)


def test_latest_update_is_the_newest_whatever_the_file_order() -> None:
    facts = derive_project(
        project(
            updates=(
                update("2026-11-01", "green"),
                update("2026-11-20", "red"),
                update("2026-11-10", "amber"),
            )
        ),
        TODAY,
    )
    assert facts.latest is not None and facts.latest.date == d("2026-11-20")
    assert facts.health == "red"
    assert [u.date for u in facts.updates] == [d("2026-11-20"), d("2026-11-10"), d("2026-11-01")]


# --- decisions and risks ----------------------------------------------------------------------


def decision(id: str, day: str, **kw: Any) -> Decision:
    return Decision(id=id, date=d(day), title=f"Decision {id}", status=kw.pop("status", "accepted"), **kw)


def test_decisions_newest_first_with_supersession_both_ways() -> None:
    facts = derive_project(
        project(
            decisions=(
                decision("D-3", "2026-09-01", status="superseded"),
                decision("D-9", "2026-11-02", supersedes="D-3"),
                decision("D-5", "2026-10-01", supersedes="D-404"),
                decision("D-1", "2026-08-01"),
            )
        ),
        TODAY,
    )
    assert [f.decision.id for f in facts.decisions] == ["D-9", "D-5", "D-3", "D-1"]
    assert [f.decision.id for f in facts.recent_decisions] == ["D-9", "D-5", "D-3"]
    by_id = {f.decision.id: f for f in facts.decisions}
    assert by_id["D-9"].supersedes is not None and by_id["D-9"].supersedes.id == "D-3"
    assert [n.id for n in by_id["D-3"].superseded_by] == ["D-9"]
    assert by_id["D-5"].supersedes is None  # unknown id skipped
    assert by_id["D-1"].superseded_by == ()


def test_risk_score_is_likelihood_times_impact_open_and_highest_first() -> None:
    facts = derive_project(
        project(
            risks=(
                Risk(id="R-1", title="a", likelihood="low", impact="high"),
                Risk(id="R-2", title="b", likelihood="high", impact="high", status="closed"),
                Risk(id="R-3", title="c", likelihood="medium", impact="high"),
                Risk(id="R-4", title="d", likelihood="low", impact="low"),
            )
        ),
        TODAY,
    )
    assert [(f.risk.id, f.score) for f in facts.risks] == [
        ("R-3", 6),
        ("R-1", 3),
        ("R-4", 1),
        ("R-2", 9),
    ]


def test_who_to_ask_about_what_groups_team_by_topic() -> None:
    team = [
        TeamMember(name="Sam", ask_about=["scope", "budget"]),
        TeamMember(name="Priya", ask_about=["scope", "code"]),
    ]
    facts = derive_project(project(info={"team": team}), TODAY)
    assert [(t, [m.name for m in ms]) for t, ms in facts.ask_about] == [
        ("scope", ["Sam", "Priya"]),
        ("budget", ["Sam"]),
        ("code", ["Priya"]),
    ]


# --- portal home ------------------------------------------------------------------------------


def test_portal_facts_give_each_project_health_last_update_next_milestone_and_waiting() -> None:
    customer = Customer(
        slug="acme",
        info=CustomerFile(name="Acme"),
        projects=(
            project(
                "web",
                updates=(update("2026-11-20", "amber"),),
                milestones=(milestone("M1", "2026-12-01"),),
                questions=(question("Q-1"),),
                changes=(change("CR-1", "proposed"),),
            ),
            project("app"),
        ),
        pages=(Path("x.md"),),
    )
    portal = derive_portal(customer, TODAY)
    web, app = portal.projects
    assert (web.health, web.latest and web.latest.date, web.waiting.count) == (
        "amber",
        d("2026-11-20"),
        2,
    )
    assert web.next_milestone is not None and web.next_milestone.milestone.id == "M1"
    assert (app.health, app.latest, app.next_milestone, app.waiting.count) == (None, None, None, 0)
    assert portal.waiting_count == 2


# --- at a glance and charts --------------------------------------------------------------------


def test_finish_is_the_live_milestone_expected_last() -> None:
    facts = derive_project(
        project(
            milestones=(
                milestone("M1", "2027-03-01", forecast=d("2027-03-20")),
                milestone("M2", "2027-03-10"),
                milestone("M3", "2027-06-01", status="cancelled"),
                milestone("M4", "2026-10-01", actual=d("2026-10-05"), status="done"),
            )
        ),
        TODAY,
    )
    assert facts.finish is not None and facts.finish.milestone.id == "M1" and facts.finish.slip_days == 19
    assert derive_project(project(), TODAY).finish is None


def test_previous_update_says_whether_health_changed() -> None:
    updates = (update("2026-11-20", "amber"), update("2026-11-13", "green"))
    facts = derive_project(project(updates=updates), TODAY)
    assert facts.previous is not None and (facts.previous.health, facts.health) == ("green", "amber")
    assert derive_project(project(updates=(update("2026-11-20"),)), TODAY).previous is None


def test_waiting_overdue_lists_the_customers_late_answers_longest_first() -> None:
    facts = derive_project(
        project(
            questions=(
                question("Q-1", due=d("2026-11-20")),
                question("Q-2", due=d("2026-11-01")),
                question("Q-3", due=d("2026-12-20")),
                question("Q-4", due=d("2026-11-02"), owner="vendor"),
            )
        ),
        TODAY,
    )
    assert [(q.question.id, q.days_overdue) for q in facts.waiting.overdue] == [("Q-2", 25), ("Q-1", 6)]


def test_project_facts_carry_the_timelines_and_the_health_trend() -> None:
    facts = derive_project(
        project(
            "web",
            updates=(update("2026-11-20", "amber"), update("2026-11-13")),
            milestones=(milestone("M1", "2026-12-01"), milestone("M2", "2026-12-20", status="cancelled")),
        ),
        TODAY,
    )
    assert [r.id for r in facts.timeline.rows] == ["M1", "M2"]
    assert [r.id for r in facts.compact_timeline.rows] == ["M1"]
    assert facts.timeline.wide.id == "tl-web-wide" and facts.timeline.narrow.id == "tl-web-narrow"
    assert [m.health for m in facts.health_strip.strips[0].marks] == ["green", "amber"]
