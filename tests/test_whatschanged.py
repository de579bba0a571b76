"""The "What changed" pages and the milestone trend, read from portals built out of a scripted git history.

A repository in tmp_path gets a fixed series of commits (a status update, two
slips, an answer, a superseded decision, an internal-only edit, a deletion, a
commit that does not validate, two commits on one day); the assertions are
on the exact lines a customer reads in the built HTML.
"""

from __future__ import annotations

import html
import itertools
import os
import re
import subprocess
import textwrap
from collections.abc import Mapping
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import pytest

from generator.build.portals import BuildOptions, build_portfolio
from generator.facts.trend_chart import date_ticks, layout_trend
from generator.history.changes import Change
from generator.history.wording import describe

TODAY = date(2026, 11, 30)
WEB = "acme/web/"
SECRET_SUBJECT = "Vendor B wobbles, keep this quiet"
INTERNAL_NOTE = "Vendor B may pull out of the deal"
INTERNAL_RISK = "Key developer leaves the team"
INTERNAL_MILESTONE = "Secret vendor swap"
INTERNAL_QUESTION = "Can we cut the QA budget quietly?"
INTERNALS = (SECRET_SUBJECT, INTERNAL_NOTE, INTERNAL_RISK, INTERNAL_MILESTONE, INTERNAL_QUESTION)

PLAN = """\
    milestones:
      - {{id: M1, title: Design sign-off, baseline: 2026-10-15, owner: customer{m1}}}
      - id: M2
        title: Launch
        baseline: 2026-12-01
        depends_on: [M1]
    {m2}"""

Q1 = "- {id: Q-1, asked: 2026-09-28, question: Which payment providers?, owner: customer, due: 2026-10-20"
Q1_ANSWERED = Q1 + ", status: answered, answer: Stripe and PayPal., answered: 2026-10-20}\n"
Q2 = "- {id: Q-2, asked: 2026-11-18, question: Who signs off copy?, owner: customer, due: 2026-12-02}\n"
Q3 = (f"- {{id: Q-3, asked: 2026-11-25, question: {INTERNAL_QUESTION}, owner: vendor, due: 2026-12-05, "
      "visibility: internal}\n")
U0925 = "- {date: 2026-09-25, health: green, summary: Kick-off done.}\n"
U1008 = "- {date: 2026-10-08, health: amber, summary: Payment provider choice is *late*.}\n"
U1119 = "- {date: 2026-11-19, health: amber, summary: Copy review pending.}\n"
R1 = "- {id: R-1, title: Provider API changes, likelihood: medium, impact: high}\n"
R2 = f"- {{id: R-2, title: {INTERNAL_RISK}, likelihood: low, impact: high, visibility: internal}}\n"
SLIP_1 = "    forecast: 2026-12-15\n        slip_reason: Payment provider **late**\n"
SLIP_2 = "    forecast: 2027-01-10\n        slip_reason: Copy review\n"
M9 = f"      - {{id: M9, title: {INTERNAL_MILESTONE}, baseline: 2026-12-20, visibility: internal}}\n"
D1 = "- {id: D-1, date: 2026-09-20, title: Use WordPress, status: "
BETA_UPDATE = "- {date: 2026-11-19, health: red, summary: Beta is late.}\n"
D2 = "- {id: D-2, date: 2026-10-28, title: Use a headless CMS, status: accepted, supersedes: D-1}\n"

SCRIPT: list[tuple[str, str, Mapping[str, str | None]]] = [
    ("2026-10-01T09:00", "Portal for Acme and Beta", {
        "acme/customer.yml": "name: Acme Corp\n",
        "beta/customer.yml": "name: Beta Industries\n",
        "beta/app/project.yml": "name: Beta app\n",
        WEB + "project.yml": "name: Website relaunch\nphase: build\n",
        WEB + "status.yml": U0925,
        WEB + "plan.yml": PLAN.format(m1="", m2=""),
        WEB + "decisions.yml": D1 + "accepted}\n",
        WEB + "questions.yml": Q1 + "}\n",
        WEB + "risks.yml": R1,
    }),
    ("2026-10-08T09:00", "Weekly update", {WEB + "status.yml": U1008 + U0925}),
    ("2026-10-15T09:00", "Launch slips", {WEB + "plan.yml": PLAN.format(m1="", m2=SLIP_1)}),
    ("2026-10-22T09:00", "Q-1 answered", {WEB + "questions.yml": Q1_ANSWERED}),
    ("2026-10-29T09:00", "D-2 replaces D-1", {WEB + "decisions.yml": D1 + "superseded}\n" + D2}),
    ("2026-11-05T09:00", SECRET_SUBJECT, {
        WEB + "plan.yml": PLAN.format(m1=f", internal: {INTERNAL_NOTE}", m2=SLIP_1),
        WEB + "risks.yml": R1 + R2,
    }),
    ("2026-11-12T09:00", "R-1 gone", {WEB + "risks.yml": R2}),
    ("2026-11-19T09:00", "Broken health, new question", {
        WEB + "status.yml": "- {date: 2026-11-19, health: purple, summary: Oops.}\n",
        WEB + "questions.yml": Q1_ANSWERED + Q2,
    }),
    ("2026-11-19T12:00", "Beta only", {"beta/app/status.yml": BETA_UPDATE}),
    ("2026-11-26T10:00", "Fix health", {WEB + "status.yml": U1119 + U1008 + U0925}),
    ("2026-11-26T15:00", "Launch slips again", {
        WEB + "plan.yml": PLAN.format(m1=", status: done, actual: 2026-10-20", m2=SLIP_2 + M9),
        WEB + "questions.yml": Q1_ANSWERED + Q2 + Q3,
    }),
]
"""Commit time, subject, files written (None: deleted)."""


def git(root: Path, *args: str, when: str | None = None) -> str:
    env = {**os.environ, "GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": os.devnull, "HOME": str(root)}
    if when:
        env |= {"GIT_AUTHOR_DATE": f"{when}:00+00:00", "GIT_COMMITTER_DATE": f"{when}:00+00:00"}
    done = subprocess.run(["git", "-c", "user.name=Pat Manager", "-c", "user.email=pat@vendor.example",
                           "-c", "commit.gpgsign=false", *args], cwd=root, env=env, capture_output=True,
                          text=True, check=True)
    return done.stdout


def scripted_repo(root: Path, script: list[tuple[str, str, Mapping[str, str | None]]] = SCRIPT) -> Path:
    """A git repository at root, the portfolio in portfolio/projects/, `script` committed; its projects/."""
    projects = root / "portfolio" / "projects"
    projects.mkdir(parents=True)
    git(root, "init", "-q", "-b", "main")
    for when, subject, files in script:
        for rel, text in files.items():
            path = projects / rel
            if text is None:
                path.unlink()
            else:
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(textwrap.dedent(text), encoding="utf-8")
        git(root, "add", "-A", ".")
        git(root, "commit", "-q", "-m", subject, when=when)
    return projects


class Sections(HTMLParser):
    """The article's h2 and h3 headings, each with the text of the list items after it."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.sections: list[tuple[str, list[str]]] = []
        self._in: str | None = None
        self._text: list[str] = []
        self._depth = 0
        self._article = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "article":
            self._article = True
        if not self._article:
            return
        if tag in ("h2", "h3") or (tag == "li" and self.sections):
            self._in, self._text = tag, []

    def handle_endtag(self, tag: str) -> None:
        if tag == "article":
            self._article = False
        if tag == self._in:
            text = " ".join("".join(self._text).replace("¶", "").split())
            if tag in ("h2", "h3"):
                self.sections.append((text, []))
            else:
                self.sections[-1][1].append(text)
            self._in = None

    def handle_data(self, data: str) -> None:
        if self._in:
            self._text.append(data)

    @classmethod
    def of(cls, path: Path) -> list[tuple[str, list[str]]]:
        parser = cls()
        parser.feed(path.read_text(encoding="utf-8"))
        return parser.sections


def article(path: Path) -> str:
    source = path.read_text(encoding="utf-8")
    found = re.search(r"<article.*?</article>", source, re.S)
    text = re.sub(r"</?span\b[^>]*>", "", found.group(0) if found else source)  # inline: no space, as read
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", text)).split())


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return scripted_repo(tmp_path_factory.mktemp("whatschanged"))


@pytest.fixture(scope="module")
def built(repo: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("site")
    build_portfolio(repo, out, BuildOptions(today=TODAY))
    return out


@pytest.fixture(scope="module")
def team(repo: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("team")
    build_portfolio(repo, out, BuildOptions(today=TODAY, audience="team", only=["acme"]))
    return out


WEB_LINES = {
    "2026-11-26": [  # two commits: the slip at 15:00 first, then the fix of the broken 2026-11-19 state
        "Milestone M1 Design sign-off: done on 2026-10-20",
        "Milestone M2 Launch: forecast moved from 2026-12-15 to 2027-01-10 (+26 days) — Copy review",
        "Question Q-2 Who signs off copy? opened, answer due 2026-12-02",
        "Status update 2026-11-19: published, overall health Amber — Copy review pending.",
    ],
    "2026-11-12": ["Risk R-1 Provider API changes: removed"],
    "2026-10-29": [
        "Decision D-1 Use WordPress: status Accepted → Superseded by D-2",
        "Decision D-2 Use a headless CMS: added (accepted), superseding D-1",
    ],
    "2026-10-22": ["Question Q-1 Which payment providers? answered on 2026-10-20 — Stripe and PayPal."],
    "2026-10-15": [
        "Milestone M2 Launch: forecast moved from 2026-12-01 to 2026-12-15 (+14 days) — "
        "Payment provider late",
    ],
    "2026-10-08": [
        "Status update 2026-10-08: overall health Green → Amber",
        "Status update 2026-10-08: published, overall health Amber — Payment provider choice is late.",
    ],
}
"""Exactly what the customer reads on the project's page, day by day (the portal page adds the project)."""


def days_of(page: Path) -> list[tuple[str, list[str]]]:
    return [(title, items) for title, items in Sections.of(page) if re.fullmatch(r"\d{4}-\d{2}-\d{2}", title)]


def test_portal_page_lists_every_visible_change_by_day_newest_first(built: Path) -> None:
    expected = [(day, [f"Website relaunch · {line}" for line in lines]) for day, lines in WEB_LINES.items()]
    assert days_of(built / "acme" / "history.html") == expected  # the first state is no news


def test_two_commits_on_one_day_are_one_group_newest_commit_first(built: Path) -> None:
    source = (built / "acme" / "history.html").read_text(encoding="utf-8")
    group = source.split('id="changes-2026-11-26"')[1].split("<h2")[0]
    assert group.count("<ul>") == 1 and group.count("<li>") == 4 and "<p>" not in group  # one tight list


def test_nothing_internal_and_no_commit_details_reach_the_customer(built: Path) -> None:
    for path in (built / "acme").rglob("*"):
        if path.is_file() and path.suffix in (".html", ".json", ".xml", ".ics"):
            text = html.unescape(path.read_text(encoding="utf-8"))
            for secret in (*INTERNALS, "Pat Manager", "Oops"):
                assert secret not in text, (path, secret)
    shown = [article(built / "acme" / "history.html"), article(built / "acme" / "web" / "history.html"),
             *((built / "acme" / name).read_text(encoding="utf-8") for name in ("feed.xml", "calendar.ics"))]
    for text in shown:
        assert not re.search(r"\b(R-2|M9|Q-3)\b", text)
    page = article(built / "acme" / "history.html")
    assert "2026-11-05" not in page  # the internal-only commit is no entry at all
    assert "Beta" not in page and "Beta" not in (built / "acme" / "feed.xml").read_text(encoding="utf-8")


def test_team_view_shows_commits_internal_changes_and_skipped_states(team: Path) -> None:
    page = article(team / "acme" / "history.html")
    assert "Internal Commit" in page and "by Pat Manager" in page
    assert SECRET_SUBJECT not in page  # commit messages may name other customers: never in any portal
    assert f"R-2 {INTERNAL_RISK}: opened" in page
    assert "Team only: history that could not be read" in page
    assert "skipped: it does not validate" in page and "health must be one of" in page


def test_project_page_shows_its_own_changes_and_the_trend(built: Path) -> None:
    page = built / "acme" / "web" / "history.html"
    assert [t for t, _ in Sections.of(page)][:2] == ["Milestone trend", "Changes"]
    assert days_of(page) == list(WEB_LINES.items())
    source = page.read_text(encoding="utf-8")
    svg = re.search(r"<figure class=\"portal-trend\".*?</figure>", source, re.S)
    assert svg, "the chart is passed through as raw HTML, not escaped into text"
    chart = svg.group(0)
    assert chart.count("<polyline") == 2 and 'role="img"' in chart and "viewBox=" in chart
    assert 'width="100%"' in chart and "<title id=" in chart and "<desc id=" in chart
    assert "<script" not in chart and "http://" not in chart.replace("http://www.w3.org/2000/svg", "")
    text = article(page)
    assert ("M2 Launch 2026-10-01: baseline 2026-12-01 2026-10-15: 2026-12-01 → 2026-12-15 (+14 days) "
            "2026-11-26: 2026-12-15 → 2027-01-10 (+26 days) 2027-01-10 "
            "(+40 days against the baseline)") in text
    assert ("M1 Design sign-off 2026-10-01: baseline 2026-10-15 2026-11-26: 2026-10-15 → 2026-10-20 "
            "(+5 days) 2026-10-20 (+5 days against the baseline)") in text


def test_overview_and_home_link_the_history(built: Path) -> None:
    home = (built / "acme" / "index.html").read_text(encoding="utf-8")
    assert 'href="history.html"' in home and 'href="feed.xml"' in home and 'href="calendar.ics"' in home
    overview = (built / "acme" / "web" / "index.html").read_text(encoding="utf-8")
    assert 'href="history.html#milestone-trend"' in overview


def test_every_page_shows_the_build_date(built: Path) -> None:
    pages = list((built / "acme").rglob("*.html"))
    assert len(pages) > 10
    for page in pages:
        assert re.search(r"as of 2026-11-30\s*</div>", page.read_text(encoding="utf-8")), page
        assert "· version" not in page.read_text(encoding="utf-8")


def test_an_item_made_internal_later_leaves_the_customers_history(tmp_path: Path) -> None:
    hidden = PLAN.format(m1="", m2="    visibility: internal\n")
    projects = scripted_repo(tmp_path / "repo", [*SCRIPT[:3], ("2026-10-16T09:00", "Hide M2", {
        WEB + "plan.yml": hidden})])
    out = tmp_path / "out"
    build_portfolio(projects, out, BuildOptions(today=TODAY, only=["acme"]))  # the leak guard passes
    for page in (out / "acme" / "history.html", out / "acme" / "web" / "history.html"):
        assert "Launch" not in article(page) and "M2" not in article(page)
    assert days_of(out / "acme" / "web" / "history.html") == [("2026-10-08", WEB_LINES["2026-10-08"])]
    source = (out / "acme" / "web" / "history.html").read_text(encoding="utf-8")
    assert source.count("<polyline") == 1
    team = tmp_path / "team"
    build_portfolio(projects, team, BuildOptions(today=TODAY, only=["acme"], audience="team"))
    assert "M2 Launch: forecast moved" in article(team / "acme" / "history.html")


def test_folder_not_in_git_builds_with_a_note(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    projects = tmp_path / "projects"
    (projects / "acme" / "web").mkdir(parents=True)
    (projects / "acme" / "customer.yml").write_text("name: Acme Corp\n")
    (projects / "acme" / "web" / "project.yml").write_text("name: Website relaunch\n")
    build_portfolio(projects, tmp_path / "out", BuildOptions(today=TODAY))
    text = article(tmp_path / "out" / "acme" / "history.html")
    assert "History is not available: the portfolio is not in a git repository." in text
    assert "No milestone history to chart yet." in article(tmp_path / "out" / "acme" / "web" / "history.html")


def test_a_new_commit_rebuilds_the_portal_and_nothing_else(tmp_path: Path) -> None:
    projects = scripted_repo(tmp_path / "repo", SCRIPT[:3])
    out = tmp_path / "out"
    assert build_portfolio(projects, out, BuildOptions(today=TODAY)).built == ["acme", "beta"]
    assert build_portfolio(projects, out, BuildOptions(today=TODAY)).built == []
    # Same files as the working tree already had, but now committed: history changes.
    git(tmp_path / "repo", "commit", "-q", "--allow-empty", "-m", "unrelated", when="2026-11-27T09:00")
    assert build_portfolio(projects, out, BuildOptions(today=TODAY)).built == []
    (projects / WEB / "risks.yml").write_text("- {id: R-9, title: New risk, likelihood: low, impact: low}\n")
    git(tmp_path / "repo", "add", "-A", ".")
    git(tmp_path / "repo", "commit", "-q", "-m", "R-9", when="2026-11-28T09:00")
    result = build_portfolio(projects, out, BuildOptions(today=TODAY))
    assert (result.built, result.unchanged) == (["acme"], ["beta"])
    assert "Risk R-9 New risk: opened" in article(out / "acme" / "history.html")


def test_hundreds_of_commits(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    script: list[tuple[str, str, Mapping[str, str | None]]] = [SCRIPT[0]]
    for n in range(1, 240):
        day = date.fromordinal(date(2026, 10, 2).toordinal() + n // 3)
        forecast = date.fromordinal(date(2026, 12, 1).toordinal() + n)
        script.append((f"{day}T{8 + n % 3:02d}:00", f"slip {n}",
                       {WEB + "plan.yml": PLAN.format(m1="", m2=f"    forecast: {forecast}\n")}))
    fast_import(root, script)
    out = tmp_path / "out"
    build_portfolio(root / "portfolio" / "projects", out, BuildOptions(today=TODAY, only=["acme"]))
    days = [t for t, _ in Sections.of(out / "acme" / "history.html") if t[:1].isdigit()]
    assert len(days) == 80 and days == sorted(days, reverse=True)  # the first state is no news
    page = (out / "acme" / "web" / "history.html").read_text(encoding="utf-8")
    assert page.count("<polyline") == 2
    assert "(+239 days against the baseline)" in article(out / "acme" / "web" / "history.html")


def fast_import(root: Path, script: list[tuple[str, str, Mapping[str, str | None]]]) -> None:
    """Commit a long script in one `git fast-import` run."""
    root.mkdir(parents=True)
    git(root, "init", "-q", "-b", "main")
    stream = b""
    for n, (when, subject, files) in enumerate(script, start=1):
        stamp = int(__import__("datetime").datetime.fromisoformat(f"{when}:00+00:00").timestamp())
        message = subject.encode()
        stream += (f"commit refs/heads/main\nmark :{n}\nauthor PM <pm@x> {stamp} +0000\n"
                   f"committer PM <pm@x> {stamp} +0000\ndata {len(message)}\n").encode() + message + b"\n"
        if n > 1:
            stream += f"from :{n - 1}\n".encode()
        for rel, text in files.items():
            data = textwrap.dedent(text or "").encode()
            stream += f"M 100644 inline portfolio/projects/{rel}\ndata {len(data)}\n".encode() + data + b"\n"
        stream += b"\n"
    subprocess.run(["git", "fast-import", "--quiet"], cwd=root, input=stream, check=True)
    git(root, "reset", "-q", "--hard")


# --- units -------------------------------------------------------------------------------------------


def test_trend_geometry_slip_goes_up_and_lines_reach_the_build_date() -> None:
    chart = layout_trend("t", {"M2": [(date(2026, 10, 1), date(2026, 12, 1)),
                                      (date(2026, 10, 15), date(2026, 12, 15))]},
                         {"M2": "Launch"}, date(2026, 11, 26))
    assert chart is not None
    (s,) = chart.series
    points = [tuple(map(float, p.split(","))) for p in s.points.split()]
    assert points[0][0] == chart.left and points[-1][0] == chart.right  # runs on to the build date
    assert points[-1][1] < points[0][1]  # later date drawn higher
    assert [m.days for m in s.moves] == [14] and s.total_days == 14 and s.current
    assert all(chart.left <= x <= chart.right and chart.top <= y <= chart.bottom for x, y in points)
    assert layout_trend("t", {}, {}, date(2026, 11, 26)) is None


def test_trend_labels_never_overlap() -> None:
    day = date(2026, 10, 1)
    chart = layout_trend("t", {f"M{n}": [(day, date(2026, 12, 1))] for n in range(12)}, {}, day)
    assert chart is not None
    ys = sorted(s.label_y for s in chart.series)
    assert all(b - a >= 11 for a, b in itertools.pairwise(ys))
    assert all(0 < y <= chart.height for y in ys)


@pytest.mark.parametrize(("lo", "hi", "expected"), [
    (date(2026, 10, 1), date(2026, 10, 5), (5, False)),
    (date(2026, 10, 1), date(2027, 3, 1), (6, True)),
    (date(2026, 1, 10), date(2030, 1, 1), (4, True)),
])
def test_date_ticks(lo: date, hi: date, expected: tuple[int, bool]) -> None:
    ticks, monthly = date_ticks(lo, hi, 7)
    assert (len(ticks), monthly) == expected
    assert all(lo <= t <= hi for t in ticks)


@pytest.mark.parametrize(("change", "words"), [
    (Change("forecast-moved", "milestone", "a", "w", "W", "M1", old="2026-12-01", new="2026-11-28", days=-3),
     "forecast moved from 2026-12-01 to 2026-11-28 (−3 days)"),
    (Change("decided", "change", "a", "w", "W", "CR-1", new="approved", when=date(2026, 12, 1), by="Jane",
            days=10), "approved on 2026-12-01 by Jane, schedule impact +10 days"),
    (Change("rerated", "risk", "a", "w", "W", "R-1", old="low/high", new="high/high"),
     "re-rated (likelihood/impact) from low/high to high/high"),
    (Change("phase-changed", "project", "a", "w", "W", old="build", new="test"), "phase Build → Test"),
    (Change("added", "project", "a", "w", "W", counts=(("milestones", 1), ("risks", 2))),
     "added with 1 milestone, 2 risks"),
])
def test_describe(change: Change, words: str) -> None:
    assert describe(change) == words
