"""History: git states of a customer -> what its portal readers saw change, commit by commit.

Real git repositories are scripted in tmp_path, with the projects folder as a
subfolder of the repository and fixed dates per commit, and the exact
changes are asserted.
"""

from __future__ import annotations

import os
import subprocess
import textwrap
from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import Any

import pytest

import generator.history.walk as history_module
from generator.history.changes import Change, State
from generator.history.compare import diff_states
from generator.history.walk import History, Trend, add_trend_point, capture, customer_history, diff_worktree
from generator.history.wording import format_changes
from generator.portfolio.errors import PortalError
from generator.portfolio.validate import validate_portfolio

PROJECTS = "portfolio/projects"
WEB = "acme/web/"

INITIAL = {
    "acme/customer.yml": "name: Acme Corp\n",
    "beta/customer.yml": "name: Beta Ltd\n",
    "beta/app/project.yml": "name: App\n",
    WEB + "project.yml": """\
        name: Website relaunch
        phase: build
        expectations:
          - {id: E-1, text: Fast pages, status: on-track}
        """,
    WEB + "status.yml": """\
        - date: 2026-09-25
          health: green
          schedule: green
          summary: Kick-off done.
        """,
    WEB + "plan.yml": """\
        milestones:
          - {id: M1, title: Design sign-off, baseline: 2026-10-15}
          - {id: M2, title: Launch, baseline: 2026-12-01, depends_on: [M1]}
        """,
    WEB + "decisions.yml": """\
        - {id: D-1, date: 2026-09-20, title: Use WordPress, status: accepted}
        """,
    WEB + "questions.yml": """\
        - {id: Q-1, asked: 2026-09-28, question: Which payment providers?, owner: customer}
        """,
    WEB + "risks.yml": """\
        - {id: R-1, title: Provider API changes, likelihood: medium, impact: high}
        """,
    WEB + "changes.yml": """\
        - {id: CR-1, requested: 2026-09-30, title: French version, impact: {days: 10}}
        """,
}

STATUS_2 = """\
    - date: 2026-10-08
      health: amber
      schedule: amber
      summary: Payment provider choice is late.
    - date: 2026-09-25
      health: green
      schedule: green
      summary: Kick-off done.
    """

PLAN_3 = """\
    milestones:
      - {id: M1, title: Design sign-off, baseline: 2026-10-15}
      - id: M2
        title: Launch
        baseline: 2026-12-01
        forecast: 2026-12-15
        depends_on: [M1]
        slip_reason: Payment provider late
    """

QUESTIONS_4 = """\
    - id: Q-1
      asked: 2026-09-28
      question: Which payment providers?
      owner: customer
      status: answered
      answer: Stripe and PayPal.
      answered: 2026-10-20
    """

DECISIONS_5 = """\
    - {id: D-1, date: 2026-09-20, title: Use WordPress, status: superseded}
    - {id: D-2, date: 2026-10-28, title: Use a headless CMS, status: accepted, supersedes: D-1,
       decided_by: [Jane Roe]}
    """

PLAN_6 = PLAN_3.replace("slip_reason: Payment provider late",
                        "slip_reason: Payment provider late\n        internal: Vendor B may pull out.")
RISKS_6 = """\
    - {id: R-1, title: Provider API changes, likelihood: medium, impact: high}
    - {id: R-2, title: Key developer leaves, likelihood: low, impact: high, visibility: internal}
    """
RISKS_7 = """\
    - {id: R-2, title: Key developer leaves, likelihood: low, impact: high, visibility: internal}
    """
CHANGES_10 = """\
    - id: CR-1
      requested: 2026-09-30
      title: French version
      impact: {days: 10}
      status: approved
      decided: 2026-12-01
      decided_by: Jane Roe
      decision_note: Worth it for the Paris launch.
    """

SCRIPT: list[tuple[str, str, Mapping[str, str | None]]] = [
    ("2026-10-01", "Portal for Acme and Beta", INITIAL),
    ("2026-10-08", "Weekly update", {WEB + "status.yml": STATUS_2}),
    ("2026-10-15", "Launch slips two weeks", {WEB + "plan.yml": PLAN_3}),
    ("2026-10-22", "Q-1 answered", {WEB + "questions.yml": QUESTIONS_4}),
    ("2026-10-29", "D-2 replaces D-1", {WEB + "decisions.yml": DECISIONS_5}),
    ("2026-11-05", "Team notes", {WEB + "plan.yml": PLAN_6, WEB + "risks.yml": RISKS_6}),
    ("2026-11-12", "R-1 no longer relevant", {WEB + "risks.yml": RISKS_7}),
    ("2026-11-19", "Broken health and a new question", {
        WEB + "status.yml": STATUS_2.replace("health: amber", "health: purple"),
        WEB + "questions.yml": textwrap.dedent(QUESTIONS_4)
        + "- {id: Q-2, asked: 2026-11-18, question: Who signs off copy?, owner: customer}\n",
    }),
    ("2026-11-26", "Beta: new project", {"beta/shop/project.yml": "name: Shop\n"}),
    ("2026-12-03", "Fix health; CR-1 approved",
     {WEB + "status.yml": STATUS_2, WEB + "changes.yml": CHANGES_10}),
]


class Repo:
    """A scratch git repository with the portfolio in `portfolio/projects/`."""

    def __init__(self, root: Path, projects: str = PROJECTS) -> None:
        self.root = root
        self.projects = root / projects
        self.projects.mkdir(parents=True)
        self.env = {**os.environ, "GIT_CONFIG_NOSYSTEM": "1", "HOME": str(root.parent),
                    "GIT_CONFIG_GLOBAL": os.devnull}
        self.git("init", "-q", "-b", "main")

    def git(self, *args: str, env: dict[str, str] | None = None) -> str:
        done = subprocess.run(
            ["git", "-c", "user.name=PM", "-c", "user.email=pm@vendor.example",
             "-c", "commit.gpgsign=false", *args],
            cwd=self.root, env={**self.env, **(env or {})}, capture_output=True, text=True, check=True)
        return done.stdout

    def write(self, files: Mapping[str, str | None]) -> None:
        for rel, text in files.items():
            path = self.projects / rel
            if text is None:
                path.unlink()
            else:
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(textwrap.dedent(text), encoding="utf-8")

    def commit(self, day: str, message: str, files: Mapping[str, str | None]) -> str:
        self.write(files)
        self.git("add", "-A", ".")
        stamp = f"{day}T12:00:00+00:00"
        self.git("commit", "-q", "-m", message, env={"GIT_AUTHOR_DATE": stamp, "GIT_COMMITTER_DATE": stamp})
        return self.git("rev-parse", "HEAD").strip()


def brief(change: Change) -> tuple[object, ...]:
    """The parts of a change a test usually pins down."""
    return (change.kind, change.item_type, change.item_id, change.old, change.new, change.days)


@pytest.fixture(scope="module")
def scripted(tmp_path_factory: pytest.TempPathFactory) -> tuple[Repo, list[str]]:
    """The SCRIPT committed in order; returns the repo and the commit ids."""
    repo = Repo(tmp_path_factory.mktemp("history") / "repo")
    return repo, [repo.commit(day, message, files) for day, message, files in SCRIPT]


@pytest.fixture(scope="module")
def acme(scripted: tuple[Repo, list[str]]) -> History:
    return customer_history(scripted[0].projects, "acme", "customer")


def test_customer_history_entries_newest_first(acme: History, scripted: tuple[Repo, list[str]]) -> None:
    _, shas = scripted
    # commit 6 (internal only), 8 (does not validate) and 9 (beta only) are not entries
    assert [e.sha for e in acme.entries] == [shas[i] for i in (9, 6, 4, 3, 2, 1, 0)]
    assert [e.date for e in acme.entries] == [date.fromisoformat(SCRIPT[i][0]) for i in (9, 6, 4, 3, 2, 1, 0)]
    assert acme.entries[0].subject == "Fix health; CR-1 approved"
    assert acme.note is None
    assert acme.commits == 9


def test_first_commit_is_summarised(acme: History) -> None:
    (started,) = acme.entries[-1].changes
    assert (started.kind, started.item_type, started.title) == ("started", "portal", "Acme Corp")
    assert dict(started.counts) == {"projects": 1, "updates": 1, "milestones": 2, "decisions": 1,
                                    "questions": 1, "changes": 1, "risks": 1, "expectations": 1}


def test_status_update_published_with_health_change(acme: History) -> None:
    assert [brief(c) for c in acme.entries[-2].changes] == [
        ("published", "update", "2026-10-08", None, "amber", None),
        ("health-changed", "update", "2026-10-08", "green", "amber", None),
        ("dimension-changed", "update", "2026-10-08", "green", "amber", None),
    ]
    assert acme.entries[-2].changes[2].fields == ("schedule",)
    assert acme.entries[-2].changes[0].project_name == "Website relaunch"


def test_forecast_slip_carries_days_and_reason(acme: History) -> None:
    (moved,) = acme.entries[-3].changes
    assert brief(moved) == ("forecast-moved", "milestone", "M2", "2026-12-01", "2026-12-15", 14)
    assert moved.note == "Payment provider late"
    assert format_changes([moved]) == [
        "acme/web: milestone M2 'Launch': forecast moved from 2026-12-01 to 2026-12-15 (+14 days): "
        "Payment provider late"]


def test_question_answered(acme: History) -> None:
    (answered,) = acme.entries[-4].changes
    assert brief(answered) == ("answered", "question", "Q-1", "open", "answered", None)
    assert (answered.when, answered.note) == (date(2026, 10, 20), "Stripe and PayPal.")


def test_decision_superseded(acme: History) -> None:
    superseded, added = sorted(acme.entries[-5].changes, key=lambda c: c.item_id or "")
    assert brief(added) == ("added", "decision", "D-2", None, "accepted", None)
    assert (added.ref, added.by) == ("D-1", "Jane Roe")
    assert brief(superseded) == ("status-changed", "decision", "D-1", "accepted", "superseded", None)
    assert superseded.ref == "D-2"
    assert [c.item_id for c in acme.entries[-5].changes] == ["D-1", "D-2"]


def test_removed_item_is_reported(acme: History) -> None:
    (removed,) = acme.entries[-6].changes
    assert brief(removed) == ("removed", "risk", "R-1", None, None, None)
    assert removed.title == "Provider API changes"


def test_invalid_state_is_skipped_and_its_changes_come_with_the_next(
    acme: History, scripted: tuple[Repo, list[str]]
) -> None:
    (warning,) = acme.warnings
    assert warning.startswith(f"commit {scripted[1][7][:10]} (2026-11-19) skipped: it does not validate: ")
    assert "projects/acme/web/status.yml:2:11: health must be one of" in warning
    assert [brief(c) for c in acme.entries[0].changes] == [
        ("opened", "question", "Q-2", None, "open", None),
        ("decided", "change", "CR-1", "proposed", "approved", 10),
    ]
    decided = acme.entries[0].changes[1]
    assert (decided.when, decided.by, decided.note) == (
        date(2026, 12, 1), "Jane Roe", "Worth it for the Paris launch.")


def test_nothing_internal_reaches_the_customer_history(acme: History) -> None:
    for entry in acme.entries:
        for change in entry.changes:
            assert change.item_id != "R-2"
            assert "internal" not in change.fields
            assert "Vendor B" not in repr(change)


def test_team_sees_internal_edits(scripted: tuple[Repo, list[str]]) -> None:
    team = customer_history(scripted[0].projects, "acme", "team")
    internal = next(e for e in team.entries if e.sha == scripted[1][5])
    assert [brief(c) for c in internal.changes] == [
        ("edited", "milestone", "M2", None, None, None),
        ("opened", "risk", "R-2", None, "low/high", None),
    ]
    assert internal.changes[0].fields == ("internal",)
    assert internal.changes[0].details[0].new == "Vendor B may pull out."
    assert len(team.entries) == 8


def test_other_customers_commits_are_not_in_history(scripted: tuple[Repo, list[str]]) -> None:
    beta = customer_history(scripted[0].projects, "beta", "customer")
    assert [e.sha for e in beta.entries] == [scripted[1][8], scripted[1][0]]
    assert [brief(c) for c in beta.entries[0].changes] == [("added", "project", None, None, None, None)]
    assert beta.entries[0].changes[0].project == "shop"


def test_trend_has_one_point_per_state(acme: History) -> None:
    m2 = acme.trend["web"]["M2"]
    assert m2[0] == (date(2026, 10, 1), date(2026, 12, 1))
    assert m2[-1] == (date(2026, 12, 3), date(2026, 12, 15))
    assert len(m2) == 8  # acme's nine commits, minus the broken one


def test_trend_keeps_the_last_state_of_a_day(scripted: tuple[Repo, list[str]]) -> None:
    portfolio, _ = validate_portfolio(scripted[0].projects, only=["acme"])
    assert portfolio is not None
    customer = portfolio.customers[0]
    trend: Trend = {}
    for day in (date(2026, 12, 1), date(2026, 12, 1)):
        add_trend_point(trend, day, customer)
    assert trend["web"]["M1"] == [(date(2026, 12, 1), date(2026, 10, 15))]


def test_diff_worktree_shows_what_publishing_changes(tmp_path: Path) -> None:
    repo = Repo(tmp_path / "repo")
    for day, message, files in SCRIPT[:3]:
        repo.commit(day, message, files)
    repo.write({WEB + "plan.yml": PLAN_3.replace("forecast: 2026-12-15", "forecast: 2026-12-10")
                + "  - {id: M9, title: Secret, baseline: 2027-01-01, visibility: internal}\n"})
    diff = diff_worktree(repo.projects)
    assert list(diff) == ["acme", "beta"]
    assert diff["beta"] == []
    assert [brief(c) for c in diff["acme"]] == [
        ("forecast-moved", "milestone", "M2", "2026-12-15", "2026-12-10", -5)]
    team = diff_worktree(repo.projects, "HEAD", "team")
    assert [brief(c) for c in team["acme"]][-1] == ("added", "milestone", "M9", None, "2027-01-01", None)
    older = diff_worktree(repo.projects, "HEAD~2")
    assert [c.kind for c in older["acme"]] == ["published", "health-changed", "dimension-changed",
                                              "forecast-moved"]


def test_diff_worktree_unknown_ref(tmp_path: Path) -> None:
    repo = Repo(tmp_path / "repo")
    repo.commit(*SCRIPT[0])
    with pytest.raises(PortalError, match="'nope' is not a commit"):
        diff_worktree(repo.projects, "nope")
    with pytest.raises(PortalError, match="is not a commit"):
        diff_worktree(repo.projects, "--all")


def test_diff_worktree_new_customer_starts(tmp_path: Path) -> None:
    repo = Repo(tmp_path / "repo")
    repo.commit(*SCRIPT[0])
    repo.write({"gamma/customer.yml": "name: Gamma\n"})
    diff = diff_worktree(repo.projects)
    assert [c.kind for c in diff["gamma"]] == ["started"]


def test_diff_worktree_against_a_state_that_does_not_validate(tmp_path: Path) -> None:
    repo = Repo(tmp_path / "repo")
    repo.commit(*SCRIPT[0])
    repo.commit("2026-10-02", "Broken", {WEB + "status.yml": "- {date: 2026-10-02, health: purple}\n"})
    repo.write({WEB + "status.yml": INITIAL[WEB + "status.yml"]})
    with pytest.raises(PortalError, match="acme at HEAD does not validate"):
        diff_worktree(repo.projects)
    assert [c.kind for c in diff_worktree(repo.projects, "HEAD~1")["acme"]] == []


def test_projects_folder_at_the_repository_root(tmp_path: Path) -> None:
    repo = Repo(tmp_path / "repo", projects="")
    repo.commit(*SCRIPT[0])
    repo.commit(*SCRIPT[1])
    history = customer_history(repo.projects / "acme" / "..", "acme")
    assert history.note is None
    assert [e.changes[0].kind for e in history.entries] == ["published", "started"]


def test_folder_not_in_git(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    projects = tmp_path / "projects"
    (projects / "acme").mkdir(parents=True)
    (projects / "acme" / "customer.yml").write_text("name: Acme\n")
    history = customer_history(projects, "acme")
    assert (history.entries, history.warnings, history.trend) == ([], [], {})
    assert history.note == "History is not available: the portfolio is not in a git repository."
    with pytest.raises(PortalError, match="not in a git repository"):
        diff_worktree(projects)


def test_git_not_installed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "projects").mkdir()
    monkeypatch.setenv("PATH", str(tmp_path))
    assert customer_history(tmp_path / "projects", "acme").note == (
        "History is not available: git is not installed.")


def test_repository_without_commits(tmp_path: Path) -> None:
    repo = Repo(tmp_path / "repo")
    repo.write(INITIAL)
    assert customer_history(repo.projects, "acme").note == (
        "History is not available: the repository has no commits yet.")


def test_uncommitted_customer(tmp_path: Path) -> None:
    repo = Repo(tmp_path / "repo")
    repo.commit(*SCRIPT[0])
    repo.write({"gamma/customer.yml": "name: Gamma\n"})
    assert customer_history(repo.projects, "gamma").note == (
        "History is not available: portfolio/projects/gamma has not been committed yet.")


def test_merged_branch_is_one_entry_at_the_merge(tmp_path: Path) -> None:
    repo = Repo(tmp_path / "repo")
    repo.commit(*SCRIPT[0])
    repo.git("checkout", "-q", "-b", "work")
    repo.commit("2026-10-08", "Update", {WEB + "status.yml": STATUS_2})
    repo.commit("2026-10-09", "Slip", {WEB + "plan.yml": PLAN_3})
    repo.git("checkout", "-q", "main")
    repo.commit("2026-10-10", "Beta only", {"beta/shop/project.yml": "name: Shop\n"})
    when = "2026-10-11T12:00:00+00:00"
    repo.git("merge", "-q", "--no-ff", "-m", "Merge work", "work",
             env={"GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when})
    history = customer_history(repo.projects, "acme")
    assert [e.subject for e in history.entries] == ["Merge work", "Portal for Acme and Beta"]
    assert [c.kind for c in history.entries[0].changes] == [
        "published", "health-changed", "dimension-changed", "forecast-moved"]


def _state(root: Path, files: dict[str, str]) -> State:
    for rel, text in files.items():
        path = root / "projects" / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
    portfolio, problems = validate_portfolio(root / "projects", only=["acme"])
    assert portfolio is not None, problems
    return capture(portfolio.customers[0], "customer")


@pytest.mark.parametrize(("path", "before", "after", "expected"), [
    ("plan.yml", "milestones:\n  - {id: M1, title: A, baseline: 2026-10-01, status: in-progress}\n",
     "milestones:\n  - {id: M1, title: A, baseline: 2026-10-01, status: done, actual: 2026-10-03}\n",
     [("done", "milestone", "M1", "in-progress", "done", None)]),
    ("plan.yml", "milestones:\n  - {id: M1, title: A, baseline: 2026-10-01}\n",
     "milestones:\n  - {id: M1, title: A, baseline: 2026-10-01, status: at-risk}\n",
     [("status-changed", "milestone", "M1", "planned", "at-risk", None)]),
    ("plan.yml", "milestones:\n  - {id: M1, title: A, baseline: 2026-10-01}\n",
     "milestones:\n  - {id: M1, title: B, baseline: 2026-10-01, owner: vendor}\n",
     [("edited", "milestone", "M1", None, None, None)]),
    ("plan.yml", "milestones:\n  - {id: M1, title: A, baseline: 2026-10-01}\n",
     "milestones:\n  - {id: M2, title: A, baseline: 2026-10-01}\n",
     [("removed", "milestone", "M1", None, None, None),
      ("added", "milestone", "M2", None, "2026-10-01", None)]),
    ("questions.yml", "- {id: Q-1, asked: 2026-10-01, question: Q, owner: vendor, status: answered,"
     " answer: A, answered: 2026-10-02}\n",
     "- {id: Q-1, asked: 2026-10-01, question: Q, owner: vendor}\n",
     [("reopened", "question", "Q-1", "answered", "open", None)]),
    ("questions.yml", "- {id: Q-1, asked: 2026-10-01, question: Q, owner: vendor}\n",
     "- {id: Q-1, asked: 2026-10-01, question: Q, owner: vendor, status: closed}\n",
     [("closed", "question", "Q-1", "open", "closed", None)]),
    ("changes.yml", "- {id: CR-1, requested: 2026-10-01, title: T}\n",
     "- {id: CR-1, requested: 2026-10-01, title: T, status: under-review}\n",
     [("status-changed", "change", "CR-1", "proposed", "under-review", None)]),
    ("changes.yml", "- {id: CR-1, requested: 2026-10-01, title: T, status: under-review}\n",
     "- {id: CR-1, requested: 2026-10-01, title: T, status: rejected, decided: 2026-10-05}\n",
     [("decided", "change", "CR-1", "under-review", "rejected", None)]),
    ("risks.yml", "- {id: R-1, title: T, likelihood: low, impact: high}\n",
     "- {id: R-1, title: T, likelihood: high, impact: high, status: closed}\n",
     [("closed", "risk", "R-1", "open", "closed", None),
      ("rerated", "risk", "R-1", "low/high", "high/high", None)]),
    ("risks.yml", "- {id: R-1, title: T, likelihood: low, impact: high, status: closed}\n",
     "- {id: R-1, title: T, likelihood: low, impact: high}\n",
     [("reopened", "risk", "R-1", "closed", "open", None)]),
    ("project.yml", "name: W\nphase: build\nexpectations:\n  - {id: E-1, text: Fast}\n",
     "name: W\nphase: test\nexpectations:\n  - {id: E-1, text: Fast, status: met}\n",
     [("phase-changed", "project", None, "build", "test", None),
      ("status-changed", "expectation", "E-1", "on-track", "met", None)]),
    ("project.yml", "name: W\nbudget: {approved: 1000, spent: 10}\n",
     "name: W\nbudget: {approved: 1000, spent: 500}\n",
     [("edited", "project", None, None, None, None)]),
    ("project.yml", "name: W\nbudget: {approved: 1000, spent: 10, visibility: internal}\n",
     "name: W\nbudget: {approved: 1000, spent: 500, visibility: internal}\n", []),
    ("feedback.yml", "[]\n", "- {id: F-1, date: 2026-10-01, round: After design}\n",
     [("added", "feedback", "F-1", None, None, None)]),
])
def test_diff_kinds(tmp_path: Path, path: str, before: str, after: str,
                    expected: list[tuple[object, ...]]) -> None:
    base = {"acme/customer.yml": "name: Acme\n", WEB + "project.yml": "name: W\n"}
    old = _state(tmp_path / "old", {**base, WEB + path: before})
    new = _state(tmp_path / "new", {**base, WEB + path: after})
    assert [brief(c) for c in diff_states("acme", old, new)] == expected
    assert diff_states("acme", new, new) == []


def test_diff_details_and_pages(tmp_path: Path) -> None:
    base = {"acme/customer.yml": "name: Acme\n", WEB + "project.yml": "name: W\n",
            "acme/content/faq.md": "# FAQ\n", "acme/content/old.md": "# Old\n"}
    old = _state(tmp_path / "old", base)
    new = _state(tmp_path / "new", {**base, "acme/content/old.md": "# Old, edited\n",
                                    "acme/content/new.md": "# New\n",
                                    WEB + "project.yml": "name: W\nbudget: {spent: 500}\n"})
    (tmp_path / "new/projects/acme/content/faq.md").unlink()
    new = _state(tmp_path / "new", {})
    changes = diff_states("acme", old, new)
    assert [(c.kind, c.item_type, c.item_id) for c in changes] == [
        ("removed", "page", "faq.md"), ("added", "page", "new.md"), ("edited", "page", "old.md"),
        ("edited", "project", None)]
    assert changes[-1].fields == ("budget",)
    assert [(d.old, d.new) for d in changes[-1].details] == [(None, "spent 500")]
    assert format_changes(changes)[-1] == "acme/web: project 'W': changed: budget (Budget: — → spent 500)"
    ended = diff_states("acme", old, None)
    assert [(c.kind, c.item_type) for c in ended] == [("ended", "portal")]


def _fast_import(repo: Repo, commits: list[tuple[int, dict[str, str]]]) -> None:
    """Write many commits in one `git fast-import` run (seconds since the epoch, files)."""
    stream = []
    for n, (stamp, files) in enumerate(commits, start=1):
        message = f"commit {n}".encode()
        chunk = (f"commit refs/heads/main\nmark :{n}\n"
                 f"author PM <pm@x> {stamp} +0000\ncommitter PM <pm@x> {stamp} +0000\n"
                 f"data {len(message)}\n").encode() + message + b"\n"
        if n > 1:
            chunk += f"from :{n - 1}\n".encode()
        for rel, text in files.items():
            data = textwrap.dedent(text).encode()
            chunk += f"M 100644 inline {PROJECTS}/{rel}\ndata {len(data)}\n".encode() + data + b"\n"
        stream.append(chunk + b"\n")
    subprocess.run(["git", "fast-import", "--quiet"], cwd=repo.root, input=b"".join(stream), check=True,
                   env=repo.env)
    repo.git("reset", "-q", "--hard")


def test_two_hundred_commits(tmp_path: Path) -> None:
    repo = Repo(tmp_path / "repo")
    day = 86400
    start = 1790000000
    commits: list[tuple[int, dict[str, str]]] = [(start, INITIAL)]
    updates = ""
    for i in range(1, 200):
        when = start + i * day
        if i % 10 == 0:
            commits.append((when, {"beta/app/project.yml": f"name: App {i}\n"}))
        elif i % 2:
            forecast = f"2027-{1 + i % 12:02d}-{1 + i % 28:02d}"
            plan = f"milestones:\n  - {{id: M1, title: A, baseline: 2026-10-15, forecast: {forecast}}}\n"
            commits.append((when, {WEB + "plan.yml": plan}))
        else:
            published = date.fromordinal(date(2028, 1, 1).toordinal() + i).isoformat()
            updates = f"- {{date: {published}, health: green, summary: s}}\n" + updates
            first = textwrap.dedent(INITIAL[WEB + "status.yml"])
            commits.append((when, {WEB + "status.yml": updates + first}))
    _fast_import(repo, commits)
    history = customer_history(repo.projects, "acme")
    assert history.warnings == []
    assert history.commits == 181
    assert len(history.entries) == 181
    kinds = [c.kind for e in history.entries for c in e.changes]
    assert kinds.count("published") == 80
    assert kinds.count("forecast-moved") == 100
    assert kinds.count("removed") == 1  # M2 goes with the first plan rewrite
    assert len(history.trend["web"]["M1"]) == 181


def _walked_states(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """A counter of the git states the next history walks load."""
    loads = [0]
    load = history_module._load

    def counted(*args: Any) -> Any:
        loads[0] += 1
        return load(*args)

    monkeypatch.setattr(history_module, "_load", counted)
    return loads


def test_a_later_build_walks_only_the_new_commits_with_the_same_history(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    repo = Repo(tmp_path / "repo")
    shas = [repo.commit(day, message, files) for day, message, files in SCRIPT[:6]]
    assert len(customer_history(repo.projects, "acme").entries) == 5
    loads = _walked_states(monkeypatch)
    shas += [repo.commit(day, message, files) for day, message, files in SCRIPT[6:]]
    resumed = customer_history(repo.projects, "acme")
    assert loads == [3]  # commits 7, 8 and 10 touch acme; 9 is beta's only
    assert [e.sha for e in resumed.entries] == [shas[i] for i in (9, 6, 4, 3, 2, 1, 0)]
    assert any("does not validate" in w for w in resumed.warnings)  # from a resumed walk too
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "empty-cache"))
    assert customer_history(repo.projects, "acme") == resumed
    assert loads == [3 + 9]  # without what was kept, every commit is loaded again


def test_a_rewritten_branch_is_walked_from_the_start(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    repo = Repo(tmp_path / "repo")
    for day, message, files in SCRIPT[:4]:
        repo.commit(day, message, files)
    before = customer_history(repo.projects, "acme")
    repo.git("reset", "-q", "--hard", "HEAD~2")  # e.g. a force-push replacing the last two commits
    repo.commit("2026-10-20", "Launch slips one week", {WEB + "plan.yml": PLAN_3.replace("12-15", "12-08")})
    loads = _walked_states(monkeypatch)
    rewritten = customer_history(repo.projects, "acme")
    assert loads == [3]
    assert rewritten != before
    moved = [c.new for e in rewritten.entries for c in e.changes if c.kind == "forecast-moved"]
    assert moved == ["2026-12-08"]
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "empty-cache"))
    assert customer_history(repo.projects, "acme") == rewritten


def test_a_damaged_kept_walk_is_walked_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    repo = Repo(tmp_path / "repo")
    for day, message, files in SCRIPT[:4]:
        repo.commit(day, message, files)
    before = customer_history(repo.projects, "acme")
    (kept,) = (tmp_path / "cache" / "transparency-portal" / "history").iterdir()
    kept.write_bytes(kept.read_bytes()[:100])  # damaged by hand, or by another tool
    loads = _walked_states(monkeypatch)
    assert customer_history(repo.projects, "acme") == before
    assert loads == [4]
