"""Facts computed for readers: slip, lateness, overdue answers, totals, staleness.

Every function here is a pure function of the (possibly audience-filtered)
model and `today`, so a page shows the same facts whoever renders it, and the
templates only loop and format. References to ids missing from the model are
skipped silently: a customer portal has internal milestones removed while a
visible question may still name them.
"""

from __future__ import annotations

from collections import Counter
from datetime import date
from typing import get_args

from generator.facts.health_strip import layout_health_strip
from generator.facts.milestones import Hold, MilestoneFacts
from generator.facts.records import (
    ChangeFacts,
    ChangeTotals,
    DecisionFacts,
    MoneyFacts,
    PortalFacts,
    ProjectFacts,
    QuestionFacts,
    RiskFacts,
    Waiting,
)
from generator.facts.timeline import layout_timelines
from generator.portfolio.model import (
    Budget,
    ChangeRequest,
    ChangeStatus,
    Customer,
    Decision,
    Level,
    Milestone,
    Project,
    Question,
    Risk,
    TeamMember,
)

LEVEL_SCORE: dict[Level, int] = {"low": 1, "medium": 2, "high": 3}
"""Likelihood and impact as numbers, so a risk's score is likelihood × impact."""

CLOSED_MILESTONE = frozenset({"done", "cancelled"})
"""Milestone statuses that need nobody to act any more."""

AWAITING_DECISION = frozenset({"proposed", "under-review"})
"""Change request statuses where the customer still has to decide."""

APPROVED_SCOPE = frozenset({"approved", "done"})
"""Change request statuses whose impact has been added since the baseline."""

NEXT_COUNT = 3
"""How many upcoming milestones and recent decisions an overview shows."""


def _days(later: date, earlier: date) -> int:
    """Whole days from `earlier` to `later`."""
    return (later - earlier).days


def _resolve(ids: list[str], by_id: dict[str, Milestone]) -> tuple[Milestone, ...]:
    """The milestones named by `ids` that exist, skipping unknown (e.g. filtered) ones."""
    return tuple(by_id[i] for i in ids if i in by_id)


def question_facts(question: Question, milestones: dict[str, Milestone], today: date) -> QuestionFacts:
    """Overdue state and blocked milestones of one question."""
    overdue = question.status == "open" and question.due is not None and question.due < today
    days = _days(today, question.due) if overdue and question.due else 0
    return QuestionFacts(question, overdue, days, _resolve(question.blocks, milestones))


def holds_of(questions: tuple[QuestionFacts, ...]) -> tuple[Hold, ...]:
    """Open milestones held by overdue open questions, longest overdue first."""
    holds = [
        Hold(m, q.question, q.question.due, q.days_overdue)
        for q in questions
        if q.overdue and q.question.due is not None
        for m in q.blocks
        if m.status not in CLOSED_MILESTONE
    ]
    return tuple(sorted(holds, key=lambda h: (-h.days_overdue, h.question.id, h.milestone.id)))


def milestone_facts(
    milestone: Milestone, milestones: dict[str, Milestone], holds: tuple[Hold, ...], today: date
) -> MilestoneFacts:
    """Slip, lateness and holds of one milestone."""
    expected = milestone.expected
    late = expected < today and milestone.status not in CLOSED_MILESTONE
    actual = milestone.actual
    return MilestoneFacts(
        milestone=milestone,
        expected=expected,
        slip_days=_days(expected, milestone.baseline),
        late=late,
        days_late=_days(today, expected) if late else 0,
        actual_vs_baseline=_days(actual, milestone.baseline) if actual else None,
        depends_on=_resolve(milestone.depends_on, milestones),
        held_by=tuple(h for h in holds if h.milestone.id == milestone.id),
    )


def _question_order(q: QuestionFacts) -> tuple[object, ...]:
    """Open first by due date (none last), then the rest newest answer first."""
    question = q.question
    if question.status == "open":
        return (0, question.due is None, question.due or date.min, question.id)
    settled = question.answered or question.asked
    return (1, False, -settled.toordinal(), question.id)


CONTACT_TOPICS = ("scope", "schedule")
"""A team member asked about either of these is the customer's first contact."""


def change_totals(changes: tuple[ChangeRequest, ...], currency: str) -> ChangeTotals:
    """Approved impact since the baseline, what awaits a decision, and a count per status."""
    approved = [c for c in changes if c.status in APPROVED_SCOPE]
    pending = [c for c in changes if c.status in AWAITING_DECISION]
    counts = Counter(c.status for c in changes)
    return ChangeTotals(
        approved_days=sum(c.impact.days or 0 for c in approved if c.impact),
        approved_cost=sum(c.impact.cost or 0 for c in approved if c.impact),
        approved_count=len(approved),
        currency=currency,
        pending_days=sum(c.impact.days or 0 for c in pending if c.impact),
        pending_cost=sum(c.impact.cost or 0 for c in pending if c.impact),
        pending_count=len(pending),
        by_status=tuple((s, counts[s]) for s in get_args(ChangeStatus) if counts[s]),
    )


def decision_facts(decisions: tuple[Decision, ...]) -> tuple[DecisionFacts, ...]:
    """Decisions newest first, each linked to what it supersedes and what superseded it."""
    by_id = {d.id: d for d in decisions}
    newest = sorted(decisions, key=lambda d: (d.date, d.id), reverse=True)
    return tuple(
        DecisionFacts(
            decision=d,
            supersedes=by_id.get(d.supersedes) if d.supersedes else None,
            superseded_by=tuple(n for n in newest if n.supersedes == d.id),
        )
        for d in newest
    )


def risk_facts(risks: tuple[Risk, ...]) -> tuple[RiskFacts, ...]:
    """Risks with scores, open first and the highest score first."""
    scored = [RiskFacts(r, LEVEL_SCORE[r.likelihood] * LEVEL_SCORE[r.impact]) for r in risks]
    return tuple(sorted(scored, key=lambda f: (f.risk.status != "open", -f.score, f.risk.id)))


def ask_about(team: list[TeamMember]) -> tuple[tuple[str, tuple[TeamMember, ...]], ...]:
    """Team members grouped by the topics they answer, topics in first-named order."""
    topics: dict[str, list[TeamMember]] = {}
    for member in team:
        for topic in member.ask_about:
            topics.setdefault(topic, []).append(member)
    return tuple((topic, tuple(members)) for topic, members in topics.items())


def money_facts(budget: Budget | None, totals: ChangeTotals) -> MoneyFacts | None:
    """Approved against forecast, in money and percent, with the approved changes' share."""
    if budget is None or budget.approved is None or budget.forecast is None:
        return None
    difference = budget.forecast - budget.approved
    percent = difference / budget.approved * 100 if budget.approved else 0.0
    return MoneyFacts(budget.currency, budget.approved, budget.forecast, difference, percent,
                      totals.approved_cost)


def contact_of(team: list[TeamMember]) -> TeamMember | None:
    """The member whose ask_about names scope or schedule, else the first member."""
    for member in team:
        if any(word in topic.lower() for topic in member.ask_about for word in CONTACT_TOPICS):
            return member
    return team[0] if team else None


def finish_of(milestones: tuple[MilestoneFacts, ...]) -> MilestoneFacts | None:
    """The milestone expected (or reached) last, cancelled ones aside; the later in plan order on a tie."""
    live = [f for f in milestones if f.milestone.status != "cancelled"]
    return max(reversed(live), key=lambda f: f.milestone.actual or f.expected, default=None)


def derive_project(project: Project, today: date) -> ProjectFacts:
    """All facts of one project as of `today`."""
    by_id = {m.id: m for m in project.milestones}
    updates = tuple(sorted(project.updates, key=lambda u: u.date, reverse=True))
    latest = updates[0] if updates else None
    days_since = _days(today, latest.date) if latest else None
    cadence = project.info.cadence_days
    overdue = cadence is not None and (days_since is None or days_since > cadence)

    questions = tuple(
        sorted((question_facts(q, by_id, today) for q in project.questions), key=_question_order)
    )
    holds = holds_of(questions)
    milestones = tuple(milestone_facts(m, by_id, holds, today) for m in project.milestones)
    upcoming = sorted(
        (f for f in milestones if f.milestone.status not in CLOSED_MILESTONE),
        key=lambda f: (f.expected, f.milestone.id),
    )
    changes = tuple(
        ChangeFacts(
            change=c,
            milestones=_resolve(c.impact.milestones, by_id) if c.impact else (),
            awaiting_customer=c.status in AWAITING_DECISION,
        )
        for c in sorted(project.changes, key=lambda c: (c.requested, c.id), reverse=True)
    )
    waiting = Waiting(
        questions=tuple(
            q for q in questions if q.question.status == "open" and q.question.owner == "customer"
        ),
        changes=tuple(c for c in changes if c.awaiting_customer),
    )
    decisions = decision_facts(project.decisions)
    totals = change_totals(project.changes, project.currency)
    return ProjectFacts(
        project=project,
        today=today,
        latest=latest,
        updates=updates,
        update_overdue=overdue,
        days_since_update=days_since,
        milestones=milestones,
        next_milestones=tuple(upcoming[:NEXT_COUNT]),
        questions=questions,
        open_questions=tuple(q for q in questions if q.question.status == "open"),
        settled_questions=tuple(q for q in questions if q.question.status != "open"),
        holds=holds,
        customer_delays=tuple(h for h in holds if h.question.owner == "customer"),
        waiting=waiting,
        changes=changes,
        change_totals=totals,
        decisions=decisions,
        recent_decisions=decisions[:NEXT_COUNT],
        risks=risk_facts(project.risks),
        feedback=tuple(sorted(project.feedback, key=lambda f: (f.date, f.id), reverse=True)),
        ask_about=ask_about(project.info.team),
        finish=finish_of(milestones),
        timeline=layout_timelines(milestones, project_start=project.info.start, today=today,
                                  key=project.slug),
        compact_timeline=layout_timelines(milestones, project_start=project.info.start, today=today,
                                          key=project.slug, compact=True),
        health_strip=layout_health_strip(updates, key=project.slug),
        money=money_facts(project.info.budget, totals),
        contact=contact_of(project.info.team),
    )


def derive_portal(customer: Customer, today: date) -> PortalFacts:
    """Facts of every project of a customer, in folder order, for the home page and pages."""
    return PortalFacts(
        customer=customer,
        today=today,
        projects=tuple(derive_project(p, today) for p in customer.projects),
    )
