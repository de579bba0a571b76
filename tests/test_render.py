"""Rendering: the pages a reader sees, and that authors' text never becomes markup.

Pages are rendered into tmp_path and converted with python-markdown using the
site's extensions, so assertions are about what a browser would show.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import markdown
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.pages import passthrough
from generator.pages.filters import money, slip
from generator.pages.markup import escape_text, md_block, md_inline, safe_url
from generator.pages.render import PROJECT_PAGES, anchor, render_portal
from generator.portfolio.model import (
    Budget,
    ChangeRequest,
    Channel,
    Customer,
    CustomerFile,
    Decision,
    Expectation,
    FeedbackRound,
    Impact,
    Milestone,
    Person,
    Project,
    ProjectFile,
    Question,
    Risk,
    StatusUpdate,
    TeamMember,
)
from generator.portfolio.visibility import Audience, for_audience
from tests.conftest import DAY as TODAY
from tests.conftest import d

THEME = Path(__file__).resolve().parent.parent / "themes" / "default"
SITE_EXTENSIONS = [
    "toc",
    "tables",
    "attr_list",
    "admonition",
    "md_in_html",
    "def_list",
    "footnotes",
    "pymdownx.details",
    "pymdownx.superfences",
]
"""Exactly the extensions of the base mkdocs.yml."""




def to_html(text: str) -> str:
    """What mkdocs' Markdown pass makes of a page, with the charts back in place as the site's hook does."""
    html = markdown.markdown(text, extensions=SITE_EXTENSIONS, extension_configs={"toc": {"permalink": True}})
    return passthrough.restore(html)


class Page(HTMLParser):
    """A converted page: its tags with attributes, comments, and visible text."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.html = html
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.comments: list[str] = []
        self.chunks: list[str] = []
        self.feed(html)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)

    def handle_comment(self, data: str) -> None:
        self.comments.append(data)

    def handle_data(self, data: str) -> None:
        self.chunks.append(data)

    @property
    def text(self) -> str:
        """Visible text with whitespace collapsed."""
        return " ".join("".join(self.chunks).split())

    def hrefs(self) -> list[str]:
        return [a.get("href") or "" for tag, a in self.tags if tag == "a"]

    def ids(self) -> set[str]:
        return {a["id"] or "" for _, a in self.tags if a.get("id")}


THEME_SVG_TAGS = frozenset(
    {"svg", "title", "desc", "defs", "pattern", "marker", "g", "line", "polyline", "path", "rect", "circle",
     "text"}
)
"""Elements of the theme's own drawings (timeline, health trend, health shapes)."""


def assert_inert(page: Page) -> None:
    """No script, frame, image, event handler, comment or script URL survived.

    The only SVG allowed is the theme's own: every <svg> carries a portal- class or is
    aria-hidden, and uses only the drawing elements the theme uses.
    """
    for tag, attrs in page.tags:
        assert tag not in {"script", "iframe", "img", "object", "embed", "style", "form"}, tag
        if tag == "svg":
            assert (attrs.get("class") or "").startswith("portal-") or attrs.get("aria-hidden") == "true"
        for name, value in attrs.items():
            assert not name.startswith("on"), (tag, name)
            if name in {"href", "src", "action"}:
                url = "".join((value or "").split()).lower()
                assert not url.startswith(("javascript:", "data:", "vbscript:")), url
    assert page.comments == []


def render(tmp_path: Path, customer: Customer, audience: Audience = "customer", **kw: Any) -> dict[str, Page]:
    """Render a portal for `audience` (filtered as the build does) and convert every page."""
    docs = tmp_path / f"docs-{audience}"
    docs.mkdir()
    nav = render_portal(
        for_audience(customer, audience),
        today=TODAY,
        audience=audience,
        theme_dir=THEME,
        shared_pages=kw.get("shared_pages", ()),
        docs_dir=docs,
    )
    pages = {p.relative_to(docs).as_posix(): p.read_text(encoding="utf-8") for p in docs.rglob("*.md")}
    result = {name: Page(to_html(text)) for name, text in pages.items()}
    result["_nav"] = nav  # type: ignore[assignment]
    result["_markdown"] = pages  # type: ignore[assignment]
    return result


# --- a realistic project ----------------------------------------------------------------------


def rich_project(**overrides: Any) -> Project:
    info = ProjectFile(
        name="Website relaunch",
        summary="Replace the marketing site with a **headless CMS**.",
        phase="build",
        start=d("2026-09-01"),
        end=d("2027-02-28"),
        cadence_days=7,
        budget=Budget(currency="EUR", approved=120000, spent=45000, forecast=118000),
        team=[
            TeamMember(
                name="Sam Lee",
                role="Project manager",
                email="sam@vendor.example",
                ask_about=["scope", "schedule"],
            )
        ],
        channel=Channel(how="Open a ticket in the *support desk*.", url="https://support.example.com/acme"),
        feedback_url="https://forms.example.com/acme-pulse",
        expectations=[Expectation(id="E-1", text="Pages load in under 2 s on mobile", status="at-risk")],
    )
    parts: dict[str, Any] = {
        "updates": (
            StatusUpdate(date=d("2026-11-10"), health="green", summary="Older update."),
            StatusUpdate(
                date=d("2026-11-17"),
                health="amber",
                scope="green",
                schedule="red",
                budget="green",
                summary="Payment provider choice is late.",
                done=["Design system delivered"],
                next=["Checkout build"],
            ),
        ),
        "milestones": (
            Milestone(
                id="M1",
                title="Design sign-off",
                owner="customer",
                baseline=d("2026-10-15"),
                forecast=d("2026-10-29"),
                actual=d("2026-10-30"),
                status="done",
                slip_reason="Customer review took two extra weeks.",
            ),
            Milestone(
                id="M2",
                title="CMS ready",
                owner="vendor",
                baseline=d("2026-12-10"),
                forecast=d("2026-12-07"),
                depends_on=["M1"],
            ),
            Milestone(
                id="M3",
                title="Checkout",
                owner="vendor",
                baseline=d("2027-01-15"),
                status="at-risk",
                depends_on=["M2"],
            ),
        ),
        "questions": (
            Question(
                id="Q-12",
                asked=d("2026-11-01"),
                question="Which payment providers?",
                owner="customer",
                assignee="Jane Roe",
                due=d("2026-11-12"),
                blocks=["M3"],
            ),
            Question(
                id="Q-1",
                asked=d("2026-09-01"),
                question="Which analytics tool?",
                owner="customer",
                status="answered",
                answer="Keep GA4.",
                answered=d("2026-09-05"),
            ),
        ),
        "changes": (
            ChangeRequest(
                id="CR-1",
                requested=d("2026-10-01"),
                title="Store locator",
                status="approved",
                impact=Impact(days=10, cost=8000, milestones=["M3"], estimate="discovery"),
                decided=d("2026-10-05"),
                decided_by="Jane Roe",
                decision_note="Approved.",
            ),
            ChangeRequest(
                id="CR-2",
                requested=d("2026-10-02"),
                title="Cookie banner",
                status="done",
                impact=Impact(days=3, cost=1500),
            ),
            ChangeRequest(
                id="CR-3",
                requested=d("2026-11-05"),
                title="French version",
                status="proposed",
                impact=Impact(days=15, cost=14500, estimate="gut"),
            ),
        ),
        "decisions": (
            Decision(
                id="D-3",
                date=d("2026-09-01"),
                title="Use WordPress",
                status="superseded",
                context="Old context.",
            ),
            Decision(
                id="D-9",
                date=d("2026-11-02"),
                title="Use a headless CMS",
                status="accepted",
                decided_by=["Jane Roe", "Sam Lee"],
                context="Editors wait for developers.",
                decision="Storyblok.",
                consequences="Training needed.",
                supersedes="D-3",
            ),
        ),
        "risks": (
            Risk(
                id="R-2",
                title="Payment API changes",
                likelihood="medium",
                impact="high",
                owner="vendor",
                mitigation="Pin the API version.",
            ),
        ),
        "feedback": (
            FeedbackRound(
                id="F-2",
                date=d("2026-11-01"),
                round="After design sign-off",
                score=7.5,
                scale=10,
                responses=4,
                you_said="Too many meetings.",
                we_did="One written update a week.",
            ),
        ),
    }
    info = overrides.pop("info", info)
    parts.update(overrides)
    return Project(slug="website-relaunch", info=info, **parts)


def acme(*projects: Project, **kw: Any) -> Customer:
    info = CustomerFile(
        name="Acme Corp", contacts=[Person(name="Jane Roe", role="Product owner", email="jane@acme.example")]
    )
    return Customer(slug="acme", info=info, projects=projects or (rich_project(),), **kw)


@pytest.fixture
def site(tmp_path: Path) -> dict[str, Page]:
    return render(tmp_path, acme())


# --- layout and nav ---------------------------------------------------------------------------


def test_every_page_is_written_and_the_nav_lists_them(tmp_path: Path) -> None:
    shared = tmp_path / "shared"
    shared.mkdir()
    (shared / "how-we-work.md").write_text("# How we work\n", encoding="utf-8")
    (shared / "glossary.md").write_text("# Glossary\n\nShared glossary.\n", encoding="utf-8")
    own = tmp_path / "own"
    own.mkdir()
    (own / "glossary.md").write_text("# Glossary\n\nAcme's own glossary.\n", encoding="utf-8")
    pages = render(
        tmp_path,
        acme(pages=(own / "glossary.md",)),
        shared_pages=[shared / "how-we-work.md", shared / "glossary.md"],
    )
    nav = pages["_nav"]
    sections = {title: target for entry in nav for title, target in entry.items()}  # type: ignore[attr-defined]
    assert nav[0] == {"Home": "index.md"}
    assert nav[-1] == {"About": ["about/glossary.md", "about/how-we-work.md"]}
    project_pages = [{spec.title: f"website-relaunch/{spec.filename}"} for spec in PROJECT_PAGES]
    assert sections["Website relaunch"][: len(PROJECT_PAGES)] == project_pages
    assert [spec.filename for spec in PROJECT_PAGES] == [
        "index.md", "status.md", "plan.md", "decisions.md", "questions.md",
        "changes.md", "risks.md", "feedback.md", "team.md",
    ]  # fmt: skip
    assert "Acme's own glossary." in pages["about/glossary.md"].text
    assert "Shared glossary" not in pages["about/glossary.md"].text


def test_nav_titles_are_html_safe_because_material_prints_them_raw(tmp_path: Path) -> None:
    project = rich_project(info=ProjectFile(name="R&D <b>lab</b>"))
    nav = render(tmp_path, acme(project))["_nav"]
    titles = [title for entry in nav for title in entry]  # type: ignore[attr-defined]
    assert "R&#38;D &#60;b&#62;lab&#60;/b&#62;" in titles and "R&D <b>lab</b>" not in titles


# --- home ---------------------------------------------------------------------------------------


def test_home_shows_each_project_with_health_last_update_next_milestone_and_waiting(
    site: dict[str, Page],
) -> None:
    home = site["index.md"]
    assert home.text.startswith("Acme Corp")
    assert "Amber · Schedule: Red as of 2026-11-17" in home.text
    assert "Q-12 due 2026-11-12, overdue by 14 days · blocks M3 Checkout" in home.text
    assert "website-relaunch/plan.md#m3" in home.hrefs()
    assert "2 items wait on you" in home.text and "website-relaunch/questions.md#q-12" in home.hrefs()
    assert "update overdue" in home.text


# --- overview -------------------------------------------------------------------------------------


def test_overview_puts_what_the_customer_owes_up_front(site: dict[str, Page]) -> None:
    page = site["website-relaunch/index.md"]
    assert "what-you-owe" in page.ids()
    waiting = page.text.split("What you owe¶", 1)[1].split("Next milestones", 1)[0]
    assert "Q-12" in waiting and "overdue by 14 days" in waiting and "Jane Roe" in waiting
    assert "questions.md#q-12" in page.hrefs() and "plan.md#m3" in page.hrefs()
    assert "CR-3 French version" in waiting and "changes.md#cr-3" in page.hrefs()
    assert "CR-1" not in waiting  # approved: nothing left to decide


def test_overview_shows_customer_delay_update_overdue_health_budget_and_feedback(
    site: dict[str, Page],
) -> None:
    page = site["website-relaunch/index.md"]
    assert "Held up by your overdue answers" in page.text
    assert (
        "Milestone M3 Checkout cannot go ahead until you answer question Q-12, overdue by 14 days"
        " (due 2026-11-12)" in page.text
    )
    assert (
        "Update overdue The last status update is 9 days old (2026-11-17); updates are expected every 7 days."
        in page.text
    )
    assert ("div", {"class": "admonition warning"}) in page.tags
    assert ("span", {"class": "portal-health portal-health--amber"}) in page.tags
    assert "Scope: Green · Schedule: Red · Budget: Green" in page.text
    assert "EUR 120,000 EUR 45,000 EUR 118,000 −EUR 2,000 (−1.7%) EUR 9,500 EUR 14,500" in page.text
    assert "https://forms.example.com/acme-pulse" in page.hrefs()
    assert ("strong", {}) in page.tags  # the summary's Markdown is rendered
    assert "D-9 Use a headless CMS" in page.text


def test_no_update_overdue_warning_when_within_cadence(tmp_path: Path) -> None:
    fresh = (StatusUpdate(date=d("2026-11-24"), health="green", summary="Fine."),)
    page = render(tmp_path, acme(rich_project(updates=fresh)))["website-relaunch/index.md"]
    assert "Update overdue" not in page.text


# --- plan -----------------------------------------------------------------------------------------


def test_plan_shows_baseline_forecast_actual_slip_and_holds(site: dict[str, Page]) -> None:
    page = site["website-relaunch/plan.md"]
    rows = page.html.split("<tr>")[2:]
    assert len(rows) == 3
    m1, m2, m3 = (Page(row).text for row in rows)
    assert "Slip (calendar days)" in page.text
    assert "2026-10-15 2026-10-29 2026-10-30 (+15 days) +14 days" in m1
    assert "Customer review took two extra weeks." in m1
    assert "−3 days" in m2 and "M1" in m2
    assert "on baseline" in m3
    assert "held by Q-12 (Customer to answer, overdue by 14 days, due 2026-11-12)" in m3
    assert {"m1", "m2", "m3"} <= page.ids()
    assert "#m1" in page.hrefs() and "questions.md#q-12" in page.hrefs()


def test_plan_marks_late_milestones(tmp_path: Path) -> None:
    late = Milestone(id="M1", title="Late one", baseline=d("2026-11-01"), status="in-progress")
    page = render(tmp_path, acme(rich_project(milestones=(late,))))["website-relaunch/plan.md"]
    assert "In progress, overdue by 25 days" in page.text


# --- charts and the five-second answers -----------------------------------------------------------


def svgs(page: Page) -> dict[str, dict[str, str | None]]:
    """The theme's drawings on a page, by their class."""
    found = {a.get("class") or "": a for tag, a in page.tags if tag == "svg"}
    return {name: attrs for name, attrs in found.items() if name.startswith("portal-")}


def test_plan_timeline_passes_markdown_as_svg_described_by_the_table(site: dict[str, Page]) -> None:
    page = site["website-relaunch/plan.md"]
    drawings = svgs(page)
    assert set(drawings) == {"portal-tl portal-tl--wide", "portal-tl portal-tl--narrow"}
    for svg in drawings.values():
        assert svg["role"] == "img" and svg["aria-describedby"] == "milestone-table"
        assert set((svg["aria-labelledby"] or "").split()) <= page.ids()
        assert svg["viewbox"] and svg["width"]
    assert "milestone-table" in page.ids()
    table = page.html.split('id="milestone-table"', 1)[1]
    assert "<table>" in table  # the Markdown table inside the described element is still a table
    svg_source = page.html.split("<svg", 2)[1]
    assert "<p>" not in svg_source and "<polyline" in svg_source  # untouched by Markdown
    assert "Today 2026-11-26" in page.text and "M3 Checkout" in page.text
    assert "3 milestones between 2026-09-01 and 2027-02-01: 1 done, 2 open" in page.text  # the <desc>
    assert "Customer · Done · +15 days" in page.text and "Vendor · At risk · on baseline" in page.text


def test_overview_has_the_compact_timeline_and_the_health_trend(site: dict[str, Page]) -> None:
    page = site["website-relaunch/index.md"]
    assert {"portal-tl portal-tl--compact-wide", "portal-hs"} <= set(svgs(page))
    assert "Overall: Green on 2026-11-10, then Amber on 2026-11-17." in page.text
    assert "Schedule: not rated on 2026-11-10, then Red on 2026-11-17." in page.text


def test_status_page_has_the_health_trend(site: dict[str, Page]) -> None:
    page = site["website-relaunch/status.md"]
    assert "portal-hs" in svgs(page) and "Health over the last 2 updates" in page.text


def test_overview_answers_the_five_questions_first(site: dict[str, Page]) -> None:
    page = site["website-relaunch/index.md"]
    glance = page.text.split("Website relaunch", 1)[1].split("Replace the marketing site", 1)[0]
    assert "On track? Amber · Schedule: Red as of 2026-11-17 · update overdue" in glance
    assert "Go-live (M3): expected Fri 2027-01-15, in 50 days; baseline 2027-01-15, on baseline" in glance
    assert "What changed Update of 2026-11-17: overall Green → Amber, Scope not rated → Green" in glance
    assert "Schedule not rated → Red, Budget not rated → Green since the update of 2026-11-10" in glance
    assert "What you owe Q-12 due 2026-11-12, overdue by 14 days · blocks M3 Checkout" in glance
    assert "CR-3 to decide: French version Money" in glance
    assert (
        "Money Budget EUR 120,000, forecast EUR 118,000: −EUR 2,000 (−1.7%) Approved changes: EUR 9,500,"
        " +13 working days Awaiting your decision: 1 request, EUR 14,500, +15 working days" in glance
    )
    assert "Who to talk to Sam Lee" in glance
    assert "status.md#update-2026-11-17" in page.hrefs() and "questions.md#q-12" in page.hrefs()


def test_health_is_a_shape_and_a_word_never_an_emoji(site: dict[str, Page]) -> None:
    emoji = re.compile("[\U0001F000-\U0001FAFF\u2600-\u27BF\u2B00-\u2BFF]")
    for name, page in site.items():
        if not name.startswith("_"):
            assert not emoji.search(page.html), name
    page = site["website-relaunch/index.md"]
    badge = page.html.split('class="portal-health portal-health--amber">', 1)[1].split("</span>", 1)[0]
    assert badge.startswith('<svg class="portal-health__icon"') and badge.endswith("Amber")
    assert "<path" in badge  # amber is a triangle (green a circle, red a square)


# --- decisions, questions, changes, risks, feedback, team -----------------------------------------------


def test_decisions_have_anchors_and_supersession_links_both_ways(site: dict[str, Page]) -> None:
    page = site["website-relaunch/decisions.md"]
    assert {"d-3", "d-9"} <= page.ids()
    d9, d3 = page.html.split('id="d-3"')[0], page.html.split('id="d-3"')[1]
    assert 'href="#d-3"' in d9 and "Supersedes" in Page(d9).text
    assert 'href="#d-9"' in d3 and "Superseded by" in Page(d3).text
    assert "Decided by: Jane Roe, Sam Lee" in page.text
    assert (
        "Context Editors wait for developers. Decision Storyblok. Consequences Training needed." in page.text
    )


def test_questions_open_first_then_answered_with_answer(site: dict[str, Page]) -> None:
    page = site["website-relaunch/questions.md"]
    text = page.text
    assert page.html.index('id="q-12"') < page.html.index("Answered and closed") < page.html.index('id="q-1"')
    assert "Customer to answer (Jane Roe)" in text and "overdue by 14 days" in text
    assert "Answered on 2026-09-05" in text and "Keep GA4." in text
    assert {"q-12", "q-1"} <= page.ids()


def test_changes_show_running_total_impact_and_decision(site: dict[str, Page]) -> None:
    page = site["website-relaunch/changes.md"]
    text = page.text
    assert text.index("Approved since the baseline") < text.index("CR-3")
    assert "Schedule: +13 working days · Cost: EUR 9,500 · from 2 approved or delivered changes" in text
    assert "Awaiting your decision Schedule: +15 working days · Cost: EUR 14,500 · from 1 proposed" in text
    assert "+10 working days EUR 8,000 M3 Checkout estimated after discovery" in text
    assert "+15 working days EUR 14,500 — rough estimate" in text
    assert "gut" not in text
    assert "Decision: Approved on 2026-10-05 by Jane Roe" in text
    assert "awaiting your decision" in text


def test_home_money_is_the_changes_pages_figures(site: dict[str, Page]) -> None:
    changes = site["website-relaunch/changes.md"].text
    home = site["index.md"].text
    assert "Approved since the baseline Schedule: +13 working days · Cost: EUR 9,500" in changes
    assert "Approved changes: EUR 9,500, +13 working days" in home
    assert "Awaiting your decision Schedule: +15 working days · Cost: EUR 14,500" in changes
    assert "Awaiting your decision: 1 request, EUR 14,500, +15 working days" in home


def test_item_ids_in_prose_link_to_their_item(tmp_path: Path) -> None:
    said = "Waits for Q-12 and CR-3 (see `Q-12`); M9 and Q-120 are not items; [D-3](decisions.md) stays."
    project = rich_project()
    decisions = (project.decisions[0].model_copy(update={"context": said}), *project.decisions[1:])
    page = render(tmp_path, acme(rich_project(decisions=decisions)))["website-relaunch/decisions.md"]
    context = page.html.split("Waits for", 1)[1].split("stays", 1)[0]
    assert '<a href="questions.html#q-12">Q-12</a> and <a href="changes.html#cr-3">CR-3</a>' in context
    assert "<code>Q-12</code>" in context and "M9 and Q-120" in context  # code and unknown ids left alone
    assert context.count("<a ") == 3


def test_risks_and_expectations(site: dict[str, Page]) -> None:
    text = site["website-relaunch/risks.md"].text
    assert "R-2 Payment API changes Medium × High 6 Vendor Pin the API version. Open" in text
    assert "E-1 Pages load in under 2 s on mobile At risk" in text


def test_feedback_rounds_and_link(site: dict[str, Page]) -> None:
    page = site["website-relaunch/feedback.md"]
    assert "Score: 7.5 / 10 · Responses: 4" in page.text
    assert "You said Too many meetings. We did One written update a week." in page.text
    assert "https://forms.example.com/acme-pulse" in page.hrefs()


def test_team_page_gives_the_one_channel_people_and_topics(site: dict[str, Page]) -> None:
    page = site["website-relaunch/team.md"]
    assert "Open a ticket in the support desk." in page.text
    assert "https://support.example.com/acme" in page.hrefs()
    assert "mailto:sam@vendor.example" in page.hrefs() and "mailto:jane@acme.example" in page.hrefs()
    assert "scope: Sam Lee" in page.text


def test_status_history_newest_first_with_the_feedback_link_once(site: dict[str, Page]) -> None:
    page = site["website-relaunch/status.md"]
    assert page.text.index("2026-11-17") < page.text.index("2026-11-10")
    assert page.hrefs().count("https://forms.example.com/acme-pulse") == 1  # not once per update
    assert "Done Design system delivered Next Checkout build" in page.text


def test_empty_sections_say_so(tmp_path: Path) -> None:
    bare = Project(slug="bare", info=ProjectFile(name="Bare"))
    pages = render(tmp_path, acme(bare))
    expected = {
        "bare/index.md": [
            "No status update yet.",
            "Nothing is waiting on you right now.",
            "No open milestones.",
            "No decisions recorded yet.",
        ],
        "bare/status.md": ["No status updates yet."],
        "bare/plan.md": ["No milestones planned yet."],
        "bare/decisions.md": ["No decisions recorded yet."],
        "bare/questions.md": ["No open questions.", "No answered questions yet."],
        "bare/changes.md": ["No change requests yet."],
        "bare/risks.md": ["No risks recorded yet.", "No expectations recorded yet."],
        "bare/feedback.md": ["No feedback rounds yet."],
        "bare/team.md": ["No team members listed yet."],
    }
    for name, phrases in expected.items():
        for phrase in phrases:
            assert phrase in pages[name].text, (name, phrase)


# --- visibility -------------------------------------------------------------------------------------


def secretive_customer() -> Customer:
    """Every kind of internal item and note, each with a SECRET marker."""
    base = rich_project()
    info = base.info.model_copy(
        update={
            "internal": "SECRET-project-note",
            "budget": Budget(approved=1, visibility="internal", internal="SECRET-budget"),
            "team": [*base.info.team, TeamMember(name="SECRET-member", visibility="internal")],
        }
    )
    project = rich_project(
        info=info,
        updates=(
            *base.updates,
            StatusUpdate(date=d("2026-11-25"), health="red", summary="SECRET-update", visibility="internal"),
        ),
        milestones=(
            *base.milestones[:2],
            base.milestones[2].model_copy(update={"internal": "SECRET-milestone-note"}),
            Milestone(id="M9", title="SECRET-milestone", baseline=d("2027-01-01"), visibility="internal"),
        ),
        questions=(
            *base.questions,
            Question(
                id="Q-20",
                asked=d("2026-11-01"),
                question="Visible but names M9",
                owner="customer",
                due=d("2026-11-10"),
                blocks=["M9"],
            ),
            Question(
                id="Q-21",
                asked=d("2026-11-01"),
                question="SECRET-question",
                owner="vendor",
                visibility="internal",
            ),
        ),
        decisions=(
            *base.decisions,
            Decision(
                id="D-10",
                date=d("2026-11-03"),
                title="SECRET-decision",
                status="accepted",
                visibility="internal",
            ),
        ),
        changes=(
            *base.changes,
            ChangeRequest(
                id="CR-9", requested=d("2026-11-01"), title="Visible change", internal="SECRET-change-note"
            ),
        ),
        risks=(Risk(id="R-9", title="SECRET-risk", likelihood="high", impact="high", visibility="internal"),),
        feedback=(
            FeedbackRound(id="F-9", date=d("2026-11-01"), you_said="SECRET-feedback", visibility="internal"),
        ),
    )
    hidden = Project(slug="hidden", info=ProjectFile(name="SECRET-project", visibility="internal"))
    return acme(project, hidden)


def test_customer_portal_has_no_internal_item_or_note(tmp_path: Path) -> None:
    pages = render(tmp_path, secretive_customer(), "customer")
    markdown_pages: dict[str, str] = pages["_markdown"]  # type: ignore[assignment]
    for name, text in markdown_pages.items():
        assert "SECRET" not in text, name
        assert "Internal" not in text and "Team view" not in text, name
    assert not any(name.startswith("hidden/") for name in markdown_pages)
    # Q-20 stays visible; the internal milestone it names is simply not linked.
    questions = pages["website-relaunch/questions.md"]
    assert "Visible but names M9" in questions.text and "plan.md#m9" not in questions.hrefs()


def test_team_portal_shows_internal_items_marked_as_internal(tmp_path: Path) -> None:
    pages = render(tmp_path, secretive_customer(), "team")
    markdown_pages: dict[str, str] = pages["_markdown"]  # type: ignore[assignment]
    everything = "\n".join(markdown_pages.values())
    for marker in [
        "project-note",
        "budget",
        "member",
        "update",
        "milestone-note",
        "milestone",
        "question",
        "decision",
        "change-note",
        "risk",
        "feedback",
        "project",
    ]:
        assert f"SECRET-{marker}" in everything, marker
    plan = pages["website-relaunch/plan.md"]
    [m9_row] = [row for row in plan.html.split("<tr>") if 'id="m9"' in row]
    assert 'class="portal-internal"' in m9_row
    assert "Internal note: SECRET-milestone-note" in plan.text
    overview = pages["website-relaunch/index.md"]
    assert "Team view" in overview.text
    assert ("div", {"class": "admonition internal"}) in overview.tags
    assert "Internal note (not shown to the customer) SECRET-project-note" in overview.text
    decisions = pages["website-relaunch/decisions.md"]
    d10 = decisions.html.split('id="d-10"')[1].split("<h2")[0]
    assert "portal-internal" in d10


# --- safety -------------------------------------------------------------------------------------------

PLAIN_ATTACKS = [
    "[click](javascript:alert(1))",
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "a | b | c",
    "**not bold** _nor_ `code`",
    "{#fake onclick=alert(1)}",
    '!!! danger "boo"',
    "- not a list",
    "1. not a list",
    "# not a heading",
    "<!-- hidden -->",
    "&lt;already escaped&gt;",
    "[^1] *[HTML]: x",
]
"""Plain text fields that try to become markup; each must show literally."""

MD_ATTACKS = [
    "<script>alert('x')</script>Hello",
    "<!-- secret comment -->",
    "<iframe src='https://evil.example'></iframe>",
    "[a](javascript:alert(1))",
    '<a href="javascript:alert(2)" onclick="alert(3)">b</a>',
    "<img src=x onerror=alert(4)>",
    "\\[c\\](javascript:alert(5))",
    "[d](&#106;avascript:alert(6))",
    "<svg onload=alert(7)>",
    "<div onmouseover=alert(8)>hover</div>",
    "[e](data:text/html;base64,PHNjcmlwdD4=)",
    "`<script>` and <style>body{}</style>",
    "first | cell\n\nsecond | para\n",
]
"""Markdown fields that try to smuggle script or break the page."""


def hostile_customer(attack: str, md_attack: str) -> Customer:
    base = rich_project()
    info = base.info.model_copy(
        update={
            "name": attack,
            "summary": md_attack,
            "channel": Channel(how=md_attack, url="javascript:alert(9)"),
            "feedback_url": "javascript:alert(10)",
            "expectations": [Expectation(id=attack, text=md_attack)],
            "team": [TeamMember(name=attack, role=attack, ask_about=[attack], email=attack)],
        }
    )
    milestone = Milestone(
        id="M1", title=attack, baseline=d("2026-12-01"), slip_reason=md_attack, owner="customer"
    )
    return Customer(
        slug="acme",
        info=CustomerFile(name=attack, contacts=[Person(name=attack, role=attack)]),
        projects=(
            rich_project(
                info=info,
                updates=(
                    StatusUpdate(
                        date=d("2026-11-25"),
                        health="green",
                        summary=md_attack,
                        done=[md_attack],
                        next=[md_attack],
                    ),
                ),
                milestones=(
                    milestone,
                    Milestone(id=attack, title="Second", baseline=d("2026-12-02"), depends_on=["M1", attack]),
                ),
                questions=(
                    Question(
                        id="Q-1",
                        asked=d("2026-11-01"),
                        question=md_attack,
                        owner="customer",
                        assignee=attack,
                        due=d("2026-11-02"),
                        blocks=["M1"],
                        answer=md_attack,
                    ),
                ),
                decisions=(
                    Decision(
                        id="D-1",
                        date=d("2026-11-01"),
                        title=attack,
                        status="accepted",
                        decided_by=[attack],
                        context=md_attack,
                        decision=md_attack,
                        consequences=md_attack,
                    ),
                ),
                changes=(
                    ChangeRequest(
                        id="CR-1",
                        requested=d("2026-11-01"),
                        title=attack,
                        requested_by=attack,
                        description=md_attack,
                        decision_note=md_attack,
                    ),
                ),
                risks=(Risk(id="R-1", title=attack, likelihood="low", impact="low", mitigation=md_attack),),
                feedback=(
                    FeedbackRound(
                        id="F-1", date=d("2026-11-01"), round=attack, you_said=md_attack, we_did=md_attack
                    ),
                ),
            ),
        ),
    )


@pytest.mark.parametrize(("attack", "md_attack"), list(zip(PLAIN_ATTACKS, MD_ATTACKS, strict=True)))
def test_authors_text_never_becomes_markup_or_script(tmp_path: Path, attack: str, md_attack: str) -> None:
    pages = render(tmp_path, hostile_customer(attack, md_attack), "team")
    shown = " ".join(attack.split())
    for name, page in pages.items():
        if name.startswith("_"):
            continue
        assert_inert(page)
        assert [tag for tag, _ in page.tags].count("h1") == 1, name  # no smuggled heading
    plan = pages["website-relaunch/plan.md"]
    assert shown in plan.text
    rows = plan.html.split("<tbody>")[1].split("</tbody>")[0].split("<tr>")[1:]
    assert len(rows) == 2 and all(row.count("<td>") == 9 for row in rows)
    for name in ("index.md", "website-relaunch/decisions.md", "website-relaunch/team.md"):
        assert shown in pages[name].text, name
    assert "d-1" in pages["website-relaunch/decisions.md"].ids()


def test_md_fields_render_markdown_and_keep_code_blocks_whole() -> None:
    text = "Use **bold** and a [link](https://example.com).\n\n```\ncode *x*\n\n  indented | pipe\n```\n"
    page = Page(to_html(f"# T\n\n{md_block(text)}\n\nAfter.\n"))
    assert ("strong", {}) in page.tags
    assert ("a", {"href": "https://example.com", "rel": "noopener noreferrer"}) in page.tags
    assert "code *x*\n\n  indented | pipe" in "".join(page.chunks)
    assert page.text.endswith("After.")


def test_md_inline_stays_inside_one_table_cell() -> None:
    cell = md_inline("one | two\n\nthree *four*\n\n- five")
    assert "\n" not in cell and "|" not in cell
    page = Page(to_html(f"| A | B |\n| --- | --- |\n| {cell} | end |\n"))
    assert page.html.count("<td>") == 2 and "end" in page.text
    assert "one | two" in page.text and ("em", {}) in page.tags


LINE_START_SYNTAX = [
    "1. x",
    "1) x",
    "- x",
    "+ x",
    "* x",
    ": x",
    "??? x",
    "!!! x",
    "# x",
    "> x",
    "=== x",
    "--- x",
    "    code",
    "| a |",
    "[^1]: x",
    "*[HTML]: x",
    "<div>",
    "```",
    "~~~",
]


def assert_renders_as_itself(text: str) -> None:
    """Escaped text shows literally and adds no structure, wherever a template puts it."""
    expected = " ".join(text.split())
    for template in ("{}", "- {}", "| {} |\n| --- |\n| x |", "## {} ¶", "x {} x"):
        page = Page(to_html(template.format(escape_text(text))))
        structure = Page(to_html(template.format("word" if expected else "")))
        assert [t for t, _ in page.tags] == [t for t, _ in structure.tags], (template, text)
        shown = page.text.removesuffix("¶").strip() if template.startswith("#") else page.text
        assert expected in shown, (template, text)


@settings(max_examples=300, deadline=None)
@given(st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), max_size=40))
def test_escaped_plain_text_always_renders_as_itself(text: str) -> None:
    assert_renders_as_itself(text)


@pytest.mark.parametrize("text", LINE_START_SYNTAX)
def test_escaped_text_cannot_start_a_block(text: str) -> None:
    assert_renders_as_itself(text)


# --- formatting -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("days", "shown"),
    [(14, "+14 calendar days"), (1, "+1 calendar day"), (0, "on baseline"), (-3, "−3 calendar days")],
)
def test_slip_wording(days: int, shown: str) -> None:
    assert slip(days) == shown


def test_money_has_thousands_separators_and_currency() -> None:
    # kept on one line: an amount never breaks between currency and digits
    assert money(120000, "EUR") == '<span class="portal-nowrap">EUR 120,000</span>'
    assert money(1234.5, "CHF") == '<span class="portal-nowrap">CHF 1,234.50</span>'


def test_anchor_is_the_lowercase_slug_of_the_id() -> None:
    assert [anchor(i) for i in ("D-7", "Q-12", "M1", "CR 3", "7")] == ["d-7", "q-12", "m1", "cr-3", "id-7"]


def test_only_web_and_mail_urls_are_linked() -> None:
    assert safe_url("https://x.example/a b(c)") == "https://x.example/a%20b%28c%29"
    assert safe_url("mailto:jane@acme.example") == "mailto:jane@acme.example"
    assert safe_url("JavaScript:alert(1)") == "" and safe_url("data:text/html,x") == ""
    assert re.fullmatch(r"[\w%./:-]+", safe_url("java\tscript:alert(1)")) is not None


def test_plain_sentences_take_the_fast_path_with_the_same_output() -> None:
    """Fields without Markdown skip the converter; the page must not change because of it."""
    from generator.pages import markup

    slow = markup._sanitize.__wrapped__
    for text in ["Design is done.", "  The client's team (3 people) agreed: 100% on-site!  ",
                 "Stripe, PayPal / Klarna — later", "a  b", "Ünïcödé € 5,500", "x\u00a0y"]:
        for inline in (True, False):
            assert markup._sanitize(text, inline=inline) == slow(text, inline=inline), text
