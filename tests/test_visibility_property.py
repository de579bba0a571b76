"""Property: whatever is internal now, at any depth, or only referred to, is in no customer output.

Hypothesis picks, for every part that can carry `visibility` (an item, a
contact, a budget, a change request's impact, a whole project, ...), whether
it is internal in a first commit and in the working tree, and public items
always refer to the internal-capable ones (blocks, depends_on, supersedes,
impact milestones). Each part's id is stable and its text differs per commit.
A text may reach the customer only if its part was public when it was written
and is public now; an id only if its item is public now; a note never.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from generator.build.portals import BuildOptions, build_portfolio
from generator.history.walk import diff_worktree
from tests.test_history import Repo
from tests.test_visibility import diff_text, portal_texts

TODAY = date(2026, 11, 26)
PARTS = ("contact", "member", "budget", "channel", "expect", "milestone", "decision", "question", "change",
         "impact", "risk", "feedback", "update", "project")
"""Everything of a portfolio that can be internal on its own, nested parts included."""


def mark(part: str, what: str) -> str:
    """A word found nowhere else: what a part wrote (`c1`, `c2`), its id, or its note."""
    return f"zq{part}{what}qz"


def money(part: str, commit: int) -> int:
    """An amount found nowhere else (budget figures, an impact's cost)."""
    return {"budget": 917_300, "impact": 813_500}[part] + commit


def _visibility(internal: bool, part: str, commit: int) -> dict[str, Any]:
    shown = {"internal": mark(part, f"notec{commit}")}
    return {**shown, "visibility": "internal"} if internal else shown


def portfolio(hidden: dict[str, bool], commit: int) -> dict[str, str]:
    """Acme's files at `commit`; `hidden[part]` makes that part internal."""
    def vis(part: str) -> dict[str, Any]:
        return _visibility(hidden[part], part, commit)

    def text(part: str) -> str:
        return mark(part, f"c{commit}")

    ids = {part: mark(part, "id") for part in PARTS}
    customer = {"name": "Acme Corp", "contacts": [
        {"name": "Jane Roe", "role": "Product owner"},
        {"name": ids["contact"], "role": text("contact"), **vis("contact")}]}
    project = {
        "name": "Website relaunch", "summary": "The new shop.",
        "budget": {"currency": "GBP", "approved": money("budget", commit), **vis("budget")},
        "team": [{"name": "Ann Lee", "role": "Project manager"},
                 {"name": ids["member"], "role": text("member"), **vis("member")}],
        "channel": {"how": text("channel"), **vis("channel")},
        "expectations": [{"id": "E-1", "text": "Fast pages"},
                         {"id": ids["expect"], "text": text("expect"), **vis("expect")}],
    }
    status = [{"date": "2026-11-10", "health": "green", "summary": "Kick-off done."},
              {"date": "2026-11-12", "health": "amber", "summary": text("update"), **vis("update")}]
    plan = {"milestones": [
        {"id": "M1", "title": "Launch", "baseline": "2026-12-20", "depends_on": [ids["milestone"]]},
        {"id": ids["milestone"], "title": text("milestone"), "baseline": "2026-12-10", **vis("milestone")}]}
    decisions = [
        {"id": ids["decision"], "date": "2026-11-01", "title": text("decision"), "status": "superseded",
         **vis("decision")},
        {"id": "D-1", "date": "2026-11-02", "title": "Use a headless CMS", "status": "accepted",
         "supersedes": ids["decision"]}]
    questions = [
        {"id": "Q-1", "asked": "2026-11-01", "question": "Which providers?", "owner": "customer",
         "due": "2026-12-01", "blocks": ["M1", ids["milestone"]]},
        {"id": ids["question"], "asked": "2026-11-02", "question": text("question"), "owner": "customer",
         "due": "2026-12-02", "blocks": [ids["milestone"]], **vis("question")}]
    changes = [
        {"id": "CR-1", "requested": "2026-11-01", "title": "Store locator", "status": "approved",
         "decided": "2026-11-05", "impact": {"days": 3, "cost": money("impact", commit),
                                             "milestones": ["M1", ids["milestone"]], **vis("impact")}},
        {"id": ids["change"], "requested": "2026-11-02", "title": text("change"), **vis("change")}]
    risks = [{"id": ids["risk"], "title": text("risk"), "likelihood": "low", "impact": "high", **vis("risk")}]
    feedback = [{"id": ids["feedback"], "date": "2026-11-03", "round": text("feedback"), **vis("feedback")}]
    files = {"customer.yml": customer, "web/project.yml": project, "web/status.yml": status,
             "web/plan.yml": plan, "web/decisions.yml": decisions, "web/questions.yml": questions,
             "web/changes.yml": changes, "web/risks.yml": risks, "web/feedback.yml": feedback,
             "p2/project.yml": {"name": text("project"), **vis("project")}}
    return {f"acme/{name}": yaml.safe_dump(data, sort_keys=False) for name, data in files.items()}


def words_of(part: str, commit: int) -> list[str]:
    """What a part wrote at `commit`, as a reader finds it."""
    if part in ("budget", "impact"):
        return [str(money(part, commit)), f"{money(part, commit):,}"]
    return [mark(part, f"c{commit}")]


def forbidden(then: dict[str, bool], now: dict[str, bool]) -> list[str]:
    """Every word the customer's portal must not contain."""
    words = [mark(part, f"notec{commit}") for part in PARTS for commit in (1, 2)]
    for part in PARTS:
        if now[part]:
            words += [mark(part, "id"), *words_of(part, 1), *words_of(part, 2)]
        elif then[part]:
            words += words_of(part, 1)
    return words


hidden_parts = st.fixed_dictionaries({part: st.booleans() for part in PARTS})
NONE = dict.fromkeys(PARTS, False)
ALL = dict.fromkeys(PARTS, True)


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(then=hidden_parts, now=hidden_parts)
@example(then=NONE, now=ALL)
@example(then=ALL, now=NONE)
def test_no_customer_output_holds_what_is_internal_now_or_was_internal_then(
        tmp_path_factory: pytest.TempPathFactory, then: dict[str, bool], now: dict[str, bool]) -> None:
    repo = Repo(tmp_path_factory.mktemp("vis") / "repo")
    repo.commit("2026-11-12", "then", portfolio(then, 1))
    repo.commit("2026-11-20", "now", portfolio(now, 2))
    out = repo.root / "site"
    build_portfolio(repo.projects, out, BuildOptions(today=TODAY))
    texts = {name: text.lower() for name, text in portal_texts(out / "acme").items()}
    assert "history.html" in texts and "calendar.ics" in texts
    leaks = {word: [name for name, text in texts.items() if word in text] for word in forbidden(then, now)}
    assert {word: files for word, files in leaks.items() if files} == {}
    shown = "\n".join(texts.values())
    assert [p for p in PARTS if not now[p] and words_of(p, 2)[-1] not in shown] == [], "public now: shown"
    diff = diff_text(diff_worktree(repo.projects, "HEAD~1")["acme"]).lower()
    assert [word for word in forbidden(then, now) if word in diff] == []
