"""Records of facts computed for readers (see derive.py), frozen and template-ready.

Nouns only: derive.py computes them, render.py hands them to templates.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from generator.facts.health_strip import HealthStrip
from generator.facts.milestones import Hold, MilestoneFacts
from generator.facts.timeline import Timelines
from generator.portfolio.model import (
    ChangeRequest,
    ChangeStatus,
    Customer,
    Decision,
    FeedbackRound,
    Health,
    Milestone,
    Project,
    Question,
    Risk,
    StatusUpdate,
    TeamMember,
)


@dataclass(frozen=True)
class QuestionFacts:
    """A question with its urgency and what it blocks."""

    question: Question
    overdue: bool
    """Open and its due date has passed."""
    days_overdue: int
    blocks: tuple[Milestone, ...]
    """Milestones this question holds up (those present in the model)."""


@dataclass(frozen=True)
class ChangeFacts:
    """A change request with the milestones its impact names."""

    change: ChangeRequest
    milestones: tuple[Milestone, ...]
    awaiting_customer: bool
    """The customer still has to decide on it."""


@dataclass(frozen=True)
class ChangeTotals:
    """Scope added since the baseline, so nobody has to add it up by hand."""

    approved_days: int
    approved_cost: float
    approved_count: int
    currency: str
    pending_days: int
    """Working days asked for by the requests still awaiting the customer's decision."""
    pending_cost: float
    pending_count: int
    by_status: tuple[tuple[ChangeStatus, int], ...]
    """Count per status, in the contract's status order, statuses with none left out."""


@dataclass(frozen=True)
class MoneyFacts:
    """The budget at a glance: approved against forecast, and how much of the gap changes explain."""

    currency: str
    approved: float
    forecast: float
    difference: float
    """Forecast minus approved: positive is an overrun."""
    percent: float
    """The difference as a percentage of the approved budget (0 when nothing is approved)."""
    from_changes: float
    """Cost of approved or delivered change requests: the part of the difference the customer agreed to."""


@dataclass(frozen=True)
class DecisionFacts:
    """A decision with its supersession links in both directions."""

    decision: Decision
    supersedes: Decision | None
    superseded_by: tuple[Decision, ...]


@dataclass(frozen=True)
class RiskFacts:
    """A risk with its score (likelihood × impact, 1..9)."""

    risk: Risk
    score: int


OWED_SHOWN = 2
"""How many owed items a glance lists, nearest due first."""

DIMENSIONS: tuple[str, ...] = ("schedule", "scope", "budget")
"""Health dimensions of a status update, in the order a tie names them."""

SEVERITY: dict[str, int] = {"green": 0, "amber": 1, "red": 2}


@dataclass(frozen=True)
class Waiting:
    """What the customer owes: questions to answer and change requests to decide."""

    questions: tuple[QuestionFacts, ...]
    """Open customer-owned questions, by due date (no due date last)."""
    changes: tuple[ChangeFacts, ...]
    """Change requests proposed or under review."""

    @property
    def count(self) -> int:
        """How many items wait on the customer (shown on the home page)."""
        return len(self.questions) + len(self.changes)

    @property
    def nearest(self) -> tuple[QuestionFacts | ChangeFacts, ...]:
        """The first OWED_SHOWN items, questions by due date first: what a glance lists."""
        owed: tuple[QuestionFacts | ChangeFacts, ...] = (*self.questions, *self.changes)
        return owed[:OWED_SHOWN]

    @property
    def more(self) -> int:
        """How many owed items the glance leaves to the full list."""
        return max(self.count - OWED_SHOWN, 0)

    @property
    def overdue(self) -> tuple[QuestionFacts, ...]:
        """The customer's questions past their due date, longest overdue first."""
        return tuple(sorted((q for q in self.questions if q.overdue), key=lambda q: -q.days_overdue))


@dataclass(frozen=True)
class ProjectFacts:
    """Everything derived about one project, for every page of it."""

    project: Project
    today: date
    latest: StatusUpdate | None
    updates: tuple[StatusUpdate, ...]
    """Newest first."""
    update_overdue: bool
    """The project has a cadence and no update within it."""
    days_since_update: int | None
    milestones: tuple[MilestoneFacts, ...]
    """In plan order."""
    next_milestones: tuple[MilestoneFacts, ...]
    """The next few open milestones by expected date."""
    questions: tuple[QuestionFacts, ...]
    """Open first (by due date), then answered/closed (newest answer first)."""
    open_questions: tuple[QuestionFacts, ...]
    """Still waiting for an answer, by due date (no due date last)."""
    settled_questions: tuple[QuestionFacts, ...]
    """Answered or closed, newest answer first."""
    holds: tuple[Hold, ...]
    """Every milestone held by an overdue open question, longest overdue first."""
    customer_delays: tuple[Hold, ...]
    """The holds whose question the customer must answer."""
    waiting: Waiting
    changes: tuple[ChangeFacts, ...]
    change_totals: ChangeTotals
    decisions: tuple[DecisionFacts, ...]
    """Newest first."""
    recent_decisions: tuple[DecisionFacts, ...]
    risks: tuple[RiskFacts, ...]
    """Open first, then highest score first."""
    feedback: tuple[FeedbackRound, ...]
    """Feedback rounds, newest first."""
    ask_about: tuple[tuple[str, tuple[TeamMember, ...]], ...]
    """Who to ask about what: each topic with the team members for it, in first-named order."""
    finish: MilestoneFacts | None
    """The milestone expected last (cancelled ones aside): where the project ends as of today."""
    timeline: Timelines
    """The whole plan drawn against the calendar, for the plan page."""
    compact_timeline: Timelines
    """The plan without cancelled milestones and dependency arrows, for the overview."""
    health_strip: HealthStrip
    """Health per dimension across the recent updates."""
    money: MoneyFacts | None
    """The budget's figures, when approved and forecast are both given."""
    contact: TeamMember | None
    """Who on the vendor's team to call first: the one asked about scope or schedule, else the first."""

    @property
    def worst(self) -> tuple[str, Health] | None:
        """The worst-rated dimension of the latest update ('schedule', 'red'), to name on a glance."""
        if not self.latest:
            return None
        rated = [(d, h) for d in DIMENSIONS if (h := getattr(self.latest, d))]
        return max(rated, key=lambda r: SEVERITY[r[1]], default=None)

    @property
    def health(self) -> Health | None:
        """Overall health of the latest update, if any."""
        return self.latest.health if self.latest else None

    @property
    def previous(self) -> StatusUpdate | None:
        """The update before the latest one, to say whether health changed."""
        return self.updates[1] if len(self.updates) > 1 else None

    @property
    def next_milestone(self) -> MilestoneFacts | None:
        """The first open milestone by expected date."""
        return self.next_milestones[0] if self.next_milestones else None


@dataclass(frozen=True)
class PortalFacts:
    """Facts for a customer's home page: one line per project."""

    customer: Customer
    today: date
    projects: tuple[ProjectFacts, ...]

    @property
    def waiting_count(self) -> int:
        """Items waiting on the customer across all projects."""
        return sum(p.waiting.count for p in self.projects)
