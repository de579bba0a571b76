"""Nested internal parts and references to internal items never reach the customer, in any output.

Scripted git repositories (tests/test_history.py's `Repo`) make a part public
in one commit and internal in a later one, or point a public item at an
internal one; the customer portal is built for real and every file of it is
read as a reader would (entities, JSON escapes and calendar folding undone),
as is `portal diff`.
"""

from __future__ import annotations

import html
import json
import re
from datetime import date
from pathlib import Path
from typing import get_args, get_origin

import pytest

from generator.build.portals import BuildOptions, build_portfolio
from generator.history.changes import Change
from generator.history.walk import diff_worktree
from generator.history.wording import format_changes
from generator.portfolio import model
from generator.portfolio.model import FILE_MODELS, Record
from generator.portfolio.visibility import _key_field
from tests.test_history import Repo

TODAY = date(2026, 11, 26)


def portal_texts(site: Path) -> dict[str, str]:
    """Every text file of a built portal as a reader sees it; the theme's assets left out."""
    texts = {}
    for path in sorted(site.rglob("*")):
        rel = path.relative_to(site).as_posix()
        if not path.is_file() or rel.startswith("assets/") or path.suffix == ".gz":
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        if path.suffix == ".json":
            text = json.dumps(json.loads(text), ensure_ascii=False)
        if path.suffix == ".ics":
            text = re.sub(r"\r?\n[ \t]", "", text).replace("\\,", ",").replace("\\;", ";")
        texts[rel] = html.unescape(text)
    return texts


def files_naming(site: Path, *needles: str) -> dict[str, list[str]]:
    """{file: the needles it contains}, case-insensitive, over every text file of a portal."""
    found = {}
    for rel, text in portal_texts(site).items():
        hits = [n for n in needles if n.lower() in text.lower()]
        if hits:
            found[rel] = hits
    return found


def built(repo: Repo, audience: str = "customer") -> Path:
    """Acme's portal built from the repository's working tree and history."""
    out = repo.root / f"site-{audience}"
    build_portfolio(repo.projects, out, BuildOptions(today=TODAY, audience=audience))  # type: ignore[arg-type]
    return out / "acme"


def diff_text(changes: list[Change]) -> str:
    """Everything `portal diff` knows of the changes, worded or not."""
    return "\n".join(format_changes(changes)) + repr(changes)


# --- a budget and a contact made internal after a public commit ---------------------------------

BUDGET_FIGURES = ("148013", "148,013", "71519", "71,519", "156327", "156,327")
CONTACT = "Quillon Vantorre"
LATEST = "Sprint five is done and demoed"
CUSTOMER = f"""\
    name: Acme Corp
    contacts:
      - {{name: Jane Roe, role: Product owner}}
      - {{name: {CONTACT}, role: Finance controller, visibility: internal}}
    """
PROJECT = """\
    name: Website relaunch
    budget:
      currency: GBP
      approved: 148013
      spent: 71519
      forecast: 156327
    """
STATUS = "- {date: 2026-10-01, health: green, summary: Kick-off done.}\n"
CHANGES = """\
    - id: CR-1
      requested: 2026-10-05
      title: Store locator
      status: approved
      decided: 2026-10-09
      impact: {days: 5, cost: 4800}
    """


@pytest.fixture(scope="module")
def made_internal(tmp_path_factory: pytest.TempPathFactory) -> Repo:
    """Budget public, then internal; a contact internal, public for one commit, internal again."""
    repo = Repo(tmp_path_factory.mktemp("made-internal") / "repo")
    repo.commit("2026-10-01", "Start", {"acme/customer.yml": CUSTOMER, "acme/web/project.yml": PROJECT,
                                        "acme/web/status.yml": STATUS, "acme/web/changes.yml": CHANGES})
    shown = CUSTOMER.replace(", visibility: internal", "")
    repo.commit("2026-10-10", "Contact shown", {"acme/customer.yml": shown})
    repo.commit("2026-10-20", "Budget and contact internal; an update", {
        "acme/customer.yml": CUSTOMER, "acme/web/project.yml": PROJECT + "  visibility: internal\n",
        "acme/web/status.yml": STATUS + f"- {{date: 2026-10-20, health: green, summary: {LATEST}.}}\n"})
    return repo


@pytest.fixture(scope="module")
def made_internal_site(made_internal: Repo) -> Path:
    site = built(made_internal)
    texts = portal_texts(site)
    assert LATEST in texts["history.html"] and LATEST in texts["feed.xml"], "history read the last commit"
    return site


def test_a_budget_made_internal_after_a_public_commit_is_in_no_output(made_internal_site: Path) -> None:
    assert files_naming(made_internal_site, *BUDGET_FIGURES) == {}
    for name in ("history.html", "web/history.html", "feed.xml"):
        assert "budget" not in portal_texts(made_internal_site)[name].lower(), name


def test_a_contact_made_internal_after_a_public_commit_is_in_no_output(made_internal_site: Path) -> None:
    assert files_naming(made_internal_site, CONTACT, "Quillon", "Vantorre") == {}
    assert "Jane Roe" in portal_texts(made_internal_site)["index.html"]


def test_change_totals_are_in_the_projects_currency_when_its_budget_is_internal(
        made_internal_site: Path) -> None:
    changes = re.sub(r"<[^>]+>", "", portal_texts(made_internal_site)["web/changes.html"])
    assert "Cost: GBP 4,800" in changes and "EUR" not in changes


def test_portal_diff_does_not_show_a_part_made_internal(made_internal: Repo) -> None:
    changes = diff_worktree(made_internal.projects, "HEAD~1")["acme"]
    assert [(c.kind, c.item_type, c.item_id) for c in changes] == [("published", "update", "2026-10-20")]
    for secret in (CONTACT, *BUDGET_FIGURES):
        assert secret not in diff_text(changes)


# --- public items pointing at internal ones -------------------------------------------------------

SECRET_MILESTONE = "ACQUIRE-CONTOSO-Q1"
SECRET_DECISION = "D-KEEP-LEGACY-SHOP"
PLAN = f"""\
    milestones:
      - {{id: M4, title: Launch, baseline: 2026-12-10, depends_on: [{SECRET_MILESTONE}]}}
      - {{id: {SECRET_MILESTONE}, title: Buy Contoso, baseline: 2026-12-01, visibility: internal}}
    """
QUESTIONS = f"""\
    - id: Q-1
      asked: 2026-11-20
      question: Which payment providers must work at launch?
      owner: customer
      due: 2026-12-05
      blocks: [M4, {SECRET_MILESTONE}]
    """
REFERRING_CHANGES = f"""\
    - id: CR-1
      requested: 2026-10-05
      title: Store locator
      impact: {{days: 5, milestones: [{SECRET_MILESTONE}, M4]}}
    """
OLD_DECISION = (f"- {{id: {SECRET_DECISION}, date: 2026-10-01, title: Keep the legacy shop, "
                "status: accepted}\n")
NEW_DECISION = (f"- {{id: D-2, date: 2026-10-20, title: Use a headless CMS, status: accepted, "
                f"supersedes: {SECRET_DECISION}}}\n")


@pytest.fixture(scope="module")
def referring(tmp_path_factory: pytest.TempPathFactory) -> Repo:
    """A decision public once, then internal and superseded by a public one; public items blocking,
    depending on and changing an internal milestone."""
    repo = Repo(tmp_path_factory.mktemp("referring") / "repo")
    repo.commit("2026-10-01", "Start", {
        "acme/customer.yml": "name: Acme Corp\n", "acme/web/project.yml": "name: Website relaunch\n",
        "acme/web/plan.yml": PLAN, "acme/web/decisions.yml": OLD_DECISION})
    repo.commit("2026-10-20", "The old decision is internal now, D-2 supersedes it", {
        "acme/web/decisions.yml": OLD_DECISION.replace("accepted}", "superseded, visibility: internal}")
        + NEW_DECISION,
        "acme/web/questions.yml": QUESTIONS, "acme/web/changes.yml": REFERRING_CHANGES})
    return repo


@pytest.fixture(scope="module")
def referring_site(referring: Repo) -> Path:
    return built(referring)


def test_a_public_question_blocking_an_internal_milestone_names_only_the_public_one(
        referring_site: Path) -> None:
    texts = portal_texts(referring_site)
    assert "Blocks milestone M4." in texts["calendar.ics"]
    assert "Which payment providers must work at launch?" in texts["web/questions.html"]
    assert files_naming(referring_site, SECRET_MILESTONE, "Buy Contoso") == {}


def test_a_public_decision_superseding_an_internal_one_never_names_it(referring_site: Path) -> None:
    texts = portal_texts(referring_site)
    for name in ("history.html", "web/history.html", "feed.xml", "search/search_index.json",
                 "web/decisions.html"):
        assert "Use a headless CMS" in texts[name], name
    assert files_naming(referring_site, SECRET_DECISION, "Keep the legacy shop") == {}


def test_portal_diff_names_no_internal_item_a_public_one_refers_to(referring: Repo) -> None:
    changes = diff_worktree(referring.projects, "HEAD~1")["acme"]
    assert ("added", "decision", "D-2", None) in [(c.kind, c.item_type, c.item_id, c.ref) for c in changes]
    assert SECRET_DECISION not in diff_text(changes) and SECRET_MILESTONE not in diff_text(changes)


def test_the_team_still_sees_every_reference(referring: Repo) -> None:
    texts = portal_texts(built(referring, "team"))
    assert SECRET_MILESTONE in texts["calendar.ics"] and SECRET_DECISION in texts["web/decisions.html"]


def test_a_part_made_internal_in_the_working_tree_leaves_the_history_already_walked(tmp_path: Path) -> None:
    repo = Repo(tmp_path / "repo")
    repo.commit("2026-10-01", "Start", {"acme/customer.yml": "name: Acme Corp\n",
                                        "acme/web/project.yml": PROJECT})
    repo.commit("2026-10-10", "More spent", {"acme/web/project.yml": PROJECT.replace("71519", "90417")})
    assert "90,417" in portal_texts(built(repo))["history.html"], "the first build walked the history"
    repo.write({"acme/web/project.yml": PROJECT.replace("71519", "90417") + "  visibility: internal\n"})
    assert files_naming(built(repo), "90417", "90,417", *BUDGET_FIGURES) == {}




def _listed_records() -> set[type[Record]]:
    """Every record type the contract keeps in a list: whole files and fields alike."""
    records = [m for m in vars(model).values() if isinstance(m, type) and issubclass(m, Record)]
    shapes = [*FILE_MODELS.values(), *(f.annotation for m in records for f in m.model_fields.values())]
    items = [get_args(shape)[0] for shape in shapes if get_origin(shape) is list]
    return {item for item in items if isinstance(item, type) and issubclass(item, Record)}


def test_every_record_kept_in_a_list_has_a_key_that_finds_it_in_past_states() -> None:
    """An internal item is found in older commits by its key: a listed record type without one would leak."""
    listed = _listed_records()
    assert {"Person", "TeamMember", "Expectation", "StatusUpdate", "Decision"} <= {m.__name__ for m in listed}
    assert [m.__name__ for m in listed if _key_field(m) is None] == []
