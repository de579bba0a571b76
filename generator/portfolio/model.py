"""Typed records of a portfolio, as docs/format.md defines them.

One pydantic model per YAML shape (they also give the JSON Schema), and plain
frozen dataclasses for the assembled portfolio. No I/O and no mkdocs here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from generator.portfolio.values import (
    CadenceDays,
    Colour,
    Count,
    Day,
    DaysImpact,
    FolderName,
    Language,
    Md,
    Money,
    MoneyDelta,
    Notify,
    Score,
    SiteUrl,
    Text,
)

SLUG_RE = re.compile(r"[a-z0-9][a-z0-9-]{0,62}")
"""Folder names of customers and projects (the contract's slug rule); use with `fullmatch`."""

ABOUT_DIR = "about"
"""Where a portal's content pages go: `about/<page>.html`."""
PORTAL_ROOT_NAMES = frozenset({"404", ABOUT_DIR, "assets", "calendar", "feed", "history", "index", "search",
                               "sitemap"})
"""What a portal itself names at its root (pages, feeds, mkdocs' assets, search and sitemap), without
suffix: a project folder of one of these names would overwrite them."""

Health = Literal["green", "amber", "red"]
Visibility = Literal["customer", "internal"]
Side = Literal["customer", "vendor"]
Level = Literal["low", "medium", "high"]
Phase = Literal["discovery", "design", "build", "test", "launch", "support", "closed"]
ExpectationStatus = Literal["on-track", "at-risk", "met", "missed"]
MilestoneStatus = Literal["planned", "in-progress", "at-risk", "done", "cancelled"]
DecisionStatus = Literal["proposed", "accepted", "rejected", "superseded"]
QuestionStatus = Literal["open", "answered", "closed"]
ChangeStatus = Literal["proposed", "under-review", "approved", "rejected", "withdrawn", "done"]
Estimate = Literal["gut", "discovery"]
RiskStatus = Literal["open", "closed"]


class Record(BaseModel):
    """Anything in a file: closed to unknown keys, and may be internal."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=False,
                              use_attribute_docstrings=True)  # field docstrings: the schemas' descriptions

    visibility: Visibility = "customer"
    """`internal` keeps the whole item out of customer portals."""
    internal: str | None = None
    """A note for the team, never published to the customer."""


class Person(Record):
    """Someone the customer can name: a contact, an approver, a team member."""

    name: Text
    """Their full name."""
    role: Text | None = None
    """What they do in the project, e.g. Product owner (approves scope changes)."""
    email: Text | None = None
    """Their email address (needed for `notify`)."""
    notify: Notify = ()
    """What `portal notify` mails them (needs `email`); nobody is mailed unless they are listed."""


class TeamMember(Person):
    """A vendor-side person the customer may talk to directly."""

    ask_about: list[Text] = []
    """Topics this person is the right contact for."""


LOGO_SUFFIXES = (".svg", ".png", ".jpg", ".jpeg", ".webp")
"""Picture files a portal can show as the customer's logo, and the customer folder may hold."""


class CustomerFile(Record):
    """customer.yml: who the portal is for."""

    visibility: Literal["customer"] = Field(
        "customer", description="customer.yml cannot be internal: the portal is the customer's own; "
        "mark projects (project.yml) or items internal instead")
    """The portal is the customer's own, so it cannot be internal (the description is the problem's hint)."""
    name: Text
    """The customer's name, as the portal shows it."""
    site_url: SiteUrl | None = None
    """Where this portal is published, e.g. https://portal.example.com/acme/ (for absolute links)."""
    language: Language = "en"
    """The portal's language: its words (en, de, fr, nl; else English), dates, money, the theme's words."""
    theme: FolderName = "default"
    """A folder under themes/."""
    contacts: list[Person] = []
    """The customer's own people and roles."""
    logo: Text | None = None
    """A picture file in the customer's folder, shown in the portal's header instead of the theme's mark."""
    colour: Colour | None = None
    """The header's colour, so the portal looks like the customer's."""


class Budget(Record):
    """Money of a project, in one currency."""

    currency: Text = "EUR"
    """The currency of every amount, e.g. EUR."""
    approved: Money | None = None
    """The approved budget."""
    spent: Money | None = None
    """What has been spent so far."""
    forecast: Money | None = None
    """What the project is now expected to cost in all."""


class Channel(Record):
    """The one place requests go."""

    how: Md
    """How to reach the team, e.g. Email the project manager; we answer within one business day."""
    url: Text | None = None
    """A link for it, e.g. mailto:pm@vendor.com or a ticket form."""


class Expectation(Record):
    """Something the customer expects, tracked openly."""

    id: Text
    """A short id, unique in the file, e.g. E-1."""
    text: Md
    """The expectation in the customer's words."""
    status: ExpectationStatus = "on-track"
    """on-track, at-risk, met or missed."""


class ProjectFile(Record):
    """project.yml: the project's identity, team and baseline."""

    name: Text
    """The project's name, as the portal shows it."""
    summary: Md | None = None
    """What the project delivers and why it matters, in one or two sentences (Markdown)."""
    phase: Phase | None = None
    """Where the project is: discovery, design, build, test, launch, support or closed."""
    start: Day | None = None
    """The day work started (YYYY-MM-DD)."""
    end: Day | None = None
    """Planned end (baseline)."""
    cadence_days: CadenceDays | None = None
    """A status update is expected this often; older means 'update overdue'."""
    budget: Budget | None = None
    """Approved, spent and forecast money (often `visibility: internal`)."""
    team: list[TeamMember] = []
    """Who the customer may talk to directly."""
    channel: Channel | None = None
    """The one place requests go."""
    feedback_url: Text | None = None
    """Where the customer can say how it is going; linked on every update."""
    expectations: list[Expectation] = []
    """What the customer expects, tracked openly."""


class StatusUpdate(Record):
    """One dated status update (status.yml is a list of these)."""

    date: Day
    """The day of the update (YYYY-MM-DD); one update per day."""
    health: Health
    """Overall: green, amber or red."""
    scope: Health | None = None
    """Scope: green, amber or red."""
    schedule: Health | None = None
    """Schedule: green, amber or red."""
    budget: Health | None = None
    """Budget: green, amber or red."""
    summary: Md
    """How the project is going, in one or two sentences (Markdown)."""
    done: list[Md] = []
    """What was done since the last update."""
    next: list[Md] = []
    """What comes next."""


class Milestone(Record):
    """A dated point of the plan, with its baseline kept for ever."""

    id: Text
    """A short id, unique in the plan, e.g. M1; other files refer to it."""
    title: Text
    """What is reached, e.g. Scope sign-off."""
    owner: Side | None = None
    """Who must act: customer or vendor."""
    baseline: Day
    """Originally agreed date."""
    forecast: Day | None = None
    """Current forecast; the baseline when absent."""
    actual: Day | None = None
    """The day it was reached (needed once `status: done`)."""
    status: MilestoneStatus = "planned"
    """planned, in-progress, at-risk, done or cancelled."""
    depends_on: list[Text] = []
    """Ids of the milestones this one waits for."""
    slip_reason: Md | None = None
    """Why the forecast moved from the baseline (Markdown)."""

    @property
    def expected(self) -> date:
        """The date the milestone is now expected (forecast, else baseline)."""
        return self.forecast or self.baseline


class PlanFile(Record):
    """plan.yml: the milestones."""

    milestones: list[Milestone] = []
    """The milestones, in plan order."""


class Decision(Record):
    """An architecture-decision-record style entry of the decision log."""

    id: Text
    """A short id, unique in the file, e.g. D-1."""
    date: Day
    """The day it was proposed or decided."""
    title: Text
    """The decision in a few words."""
    status: DecisionStatus
    """proposed, accepted, rejected or superseded."""
    decided_by: list[Text] = []
    """Who decided."""
    context: Md | None = None
    """Why a decision was needed (Markdown)."""
    decision: Md | None = None
    """What was decided (Markdown)."""
    consequences: Md | None = None
    """What follows from it (Markdown)."""
    supersedes: Text | None = None
    """Id of the decision this one replaces."""


class Question(Record):
    """What one side needs from the other, and who must answer."""

    id: Text
    """A short id, unique in the file, e.g. Q-1."""
    asked: Day
    """The day it was asked."""
    question: Md
    """The question (Markdown)."""
    owner: Side
    """Who must answer."""
    assignee: Text | None = None
    """The person who should answer."""
    due: Day | None = None
    """The day the answer is needed by."""
    blocks: list[Text] = []
    """Milestone ids this question holds up."""
    status: QuestionStatus = "open"
    """open, answered or closed."""
    answer: Md | None = None
    """The answer (with `status: answered`)."""
    answered: Day | None = None
    """The day it was answered (with `status: answered`)."""


class Impact(Record):
    """What a change request costs in time and money, and how that was estimated."""

    days: DaysImpact | None = None
    """Days the schedule gains or loses (negative: earlier)."""
    cost: MoneyDelta | None = None
    """Money it adds (negative: saves)."""
    milestones: list[Text] = []
    """Ids of the milestones it moves."""
    estimate: Estimate | None = None
    """gut: a quick figure; discovery: estimated after investigation."""


class ChangeRequest(Record):
    """A scope change request and its decision."""

    id: Text
    """A short id, unique in the file, e.g. CR-1."""
    requested: Day
    """The day it was requested."""
    requested_by: Text | None = None
    """Who asked for it."""
    title: Text
    """The change in a few words."""
    description: Md | None = None
    """What would change, and why (Markdown)."""
    status: ChangeStatus = "proposed"
    """proposed, under-review, approved, rejected, withdrawn or done."""
    impact: Impact | None = None
    """What it costs in days and money, and the milestones it moves."""
    decided: Day | None = None
    """The day it was approved or rejected."""
    decided_by: Text | None = None
    """Who approved or rejected it."""
    decision_note: Md | None = None
    """Why it was approved or rejected (Markdown)."""


class Risk(Record):
    """A risk with its likelihood and impact."""

    id: Text
    """A short id, unique in the file, e.g. R-1."""
    title: Text
    """The risk in a few words."""
    likelihood: Level
    """low, medium or high."""
    impact: Level
    """low, medium or high."""
    owner: Side | None = None
    """Who manages it: customer or vendor."""
    mitigation: Md | None = None
    """What is done about it (Markdown)."""
    status: RiskStatus = "open"
    """open or closed."""


class FeedbackRound(Record):
    """A feedback round held during the project."""

    id: Text
    """A short id, unique in the file, e.g. F-1."""
    date: Day
    """The day the round closed."""
    round: Text | None = None
    """The phase or milestone it followed."""
    score: Score | None = None
    """The score given, on `scale`."""
    scale: Score | None = None
    """The best possible score, e.g. 10."""
    responses: Count | None = None
    """How many people answered."""
    you_said: Md | None = None
    """What the customer said (Markdown)."""
    we_did: Md | None = None
    """What the team did about it (Markdown)."""


FILE_MODELS: dict[str, Any] = {
    "customer.yml": CustomerFile,
    "project.yml": ProjectFile,
    "status.yml": list[StatusUpdate],
    "plan.yml": PlanFile,
    "decisions.yml": list[Decision],
    "questions.yml": list[Question],
    "changes.yml": list[ChangeRequest],
    "risks.yml": list[Risk],
    "feedback.yml": list[FeedbackRound],
}
"""Every YAML file of the contract and the shape it must have."""

PROJECT_FILES = tuple(name for name in FILE_MODELS if name != "customer.yml")

REFERENCES: dict[tuple[type[Record], str], str] = {
    (Milestone, "depends_on"): "milestones",
    (Question, "blocks"): "milestones",
    (Impact, "milestones"): "milestones",
    (Decision, "supersedes"): "decisions",
}
"""Every field naming other items of its project by id -> the `Project` field holding those items
(rules.py checks that they exist; a customer's view leaves out those it does not show)."""


@dataclass(frozen=True)
class Project:
    """One project folder, assembled from its files."""

    slug: str
    info: ProjectFile
    updates: tuple[StatusUpdate, ...] = ()
    """Newest first."""
    milestones: tuple[Milestone, ...] = ()
    decisions: tuple[Decision, ...] = ()
    questions: tuple[Question, ...] = ()
    changes: tuple[ChangeRequest, ...] = ()
    risks: tuple[Risk, ...] = ()
    feedback: tuple[FeedbackRound, ...] = ()
    currency: str = ""
    """Of every amount in the project: the budget's, also when the budget is internal (filled in)."""

    def __post_init__(self) -> None:
        """Take the budget's currency before visibility filtering can drop an internal budget."""
        if not self.currency:
            budget = self.info.budget or Budget()
            object.__setattr__(self, "currency", budget.currency)


@dataclass(frozen=True)
class Customer:
    """One customer folder: one portal."""

    slug: str
    info: CustomerFile
    projects: tuple[Project, ...] = ()
    pages: tuple[Path, ...] = ()
    """Markdown files of projects/<customer>/content/, shown in this portal only."""
    logo: Path | None = None
    """customer.yml's logo, checked to be a picture inside the customer's folder."""


@dataclass(frozen=True)
class Site:
    """What every portal shares, looked up next to the projects folder."""

    mkdocs_yml: Path
    content_dir: Path | None
    themes_dir: Path
    pages: tuple[Path, ...] = ()
    """Markdown pages of the shared content/, shown in every portal."""


@dataclass(frozen=True)
class Portfolio:
    """Everything `portal` builds from: the customers and their shared site files."""

    projects_dir: Path
    site: Site
    customers: tuple[Customer, ...] = field(default=())

    def customer(self, slug: str) -> Customer | None:
        """The customer with this folder name, if any."""
        return next((c for c in self.customers if c.slug == slug), None)
