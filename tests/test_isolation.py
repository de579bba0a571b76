"""One customer never sees another's data or anything internal; hostile text stays inert."""

from __future__ import annotations

import html
import json
import re
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.build.portals import BuildOptions, build_portfolio
from generator.portfolio.errors import PortalError

TODAY = date(2026, 11, 26)


def _dump(data: object) -> str:
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True)


def write_customer(projects: Path, slug: str, mark, internal: bool = True) -> None:
    """A customer whose every text field carries a unique marker made by `mark(kind)`."""
    folder = projects / slug / "p1"
    folder.mkdir(parents=True)
    (projects / slug / "customer.yml").write_text(_dump({
        "name": mark("name"),
        "contacts": [{"name": mark("contact"), "role": mark("role")},
                     {"name": mark("hiddencontact"), "visibility": "internal"}],
    }))
    (folder / "project.yml").write_text(_dump({
        "name": mark("project"), "summary": mark("summary"), "cadence_days": 7,
        "budget": {"currency": "EUR", "approved": 100, "visibility": "internal",
                   "internal": mark("budgetnote")},
        "team": [{"name": mark("pm"), "role": mark("pmrole"), "ask_about": [mark("topic")],
                  "internal": mark("pmnote")}],
        "channel": {"how": mark("channel"), "url": "https://support.example/" + mark("url")},
        "expectations": [{"id": "E-1", "text": mark("expect"), "internal": mark("expectnote")}],
    }))
    (folder / "status.yml").write_text(_dump([
        {"date": "2026-11-20", "health": "amber", "summary": mark("update"), "done": [mark("done")],
         "next": [mark("next")], "internal": mark("updatenote")},
        {"date": "2026-11-13", "health": "red", "summary": mark("hiddenupdate"), "visibility": "internal"},
    ]))
    (folder / "plan.yml").write_text(_dump({"milestones": [
        {"id": "M1", "title": mark("milestone"), "baseline": "2026-12-01", "forecast": "2026-12-08",
         "slip_reason": mark("slip"), "internal": mark("milestonenote")},
        {"id": "M2", "title": mark("hiddenmilestone"), "baseline": "2026-12-10", "visibility": "internal"},
    ]}))
    (folder / "decisions.yml").write_text(_dump([
        {"id": "D-1", "date": "2026-11-02", "title": mark("decision"), "status": "accepted",
         "context": mark("context"), "decision": mark("decided"), "internal": mark("decisionnote")},
        {"id": "D-2", "date": "2026-11-03", "title": mark("hiddendecision"), "status": "proposed",
         "visibility": "internal"},
    ]))
    (folder / "questions.yml").write_text(_dump([
        {"id": "Q-1", "asked": "2026-11-01", "question": mark("question"), "owner": "customer",
         "assignee": mark("assignee"), "due": "2026-11-10", "blocks": ["M1"], "internal": mark("qnote")},
    ]))
    (folder / "changes.yml").write_text(_dump([
        {"id": "CR-1", "requested": "2026-11-01", "title": mark("change"), "description": mark("cdesc"),
         "status": "approved", "decided": "2026-11-05", "decided_by": mark("decider"),
         "impact": {"days": 3, "cost": 1000, "estimate": "gut"}, "internal": mark("changenote")},
        {"id": "CR-2", "requested": "2026-11-01", "title": mark("hiddenchange"), "visibility": "internal"},
    ]))
    (folder / "risks.yml").write_text(_dump([
        {"id": "R-1", "title": mark("risk"), "likelihood": "high", "impact": "low",
         "mitigation": mark("mitigation"), "internal": mark("risknote")},
    ]))
    (folder / "feedback.yml").write_text(_dump([
        {"id": "F-1", "date": "2026-11-01", "round": mark("round"), "you_said": mark("yousaid"),
         "we_did": mark("wedid"), "internal": mark("feedbacknote")},
    ]))


def readable(site: Path) -> dict[Path, str]:
    """Every file of a site as text, entities and JSON escapes undone."""
    texts = {}
    for path in site.rglob("*"):
        if path.is_file() and "assets" not in path.relative_to(site).parts[:1]:
            text = path.read_text(encoding="utf-8", errors="replace")
            if path.suffix == ".json":
                text = json.dumps(json.loads(text), ensure_ascii=False)
            texts[path] = html.unescape(text)
    return texts


def _markers(slug: str, store: dict[str, set[str]]):
    def mark(kind: str) -> str:
        value = f"zq{slug.replace('-', '')}{kind}qz"
        hidden = kind.startswith("hidden") or kind.endswith("note") or kind == "budgetnote"
        store["internal" if hidden else "public"].add(value)
        return value
    return mark


LINKS = {
    "content-page": ("content/linked.md", "../../{to}/p1/status.yml"),
    "project-file": ("p1/risks.yml", "../../{to}/p1/risks.yml"),
    "project-folder": ("p2", "../{to}/p1"),
}
"""Symbolic links from one customer's folder (path in it, target as written) to a customer's files."""


def _link(projects: Path, source: str, to: str, kind: str) -> str | None:
    """Write one link of `kind` from `source`'s folder to `to`'s; its path as reported when refused."""
    where, target = LINKS[kind]
    path = projects / source / where
    path.parent.mkdir(exist_ok=True)
    path.unlink(missing_ok=True)
    path.symlink_to(target.format(to=to))
    allowed = source == to and kind == "project-folder"  # a second project showing the first, as-is
    return None if allowed else f"projects/{source}/{where}"


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(slugs=st.lists(st.from_regex(r"[a-z][a-z0-9]{2,8}", fullmatch=True), min_size=2, max_size=3,
                      unique=True),
       links=st.lists(st.tuples(st.integers(0, 2), st.integers(0, 2), st.sampled_from(sorted(LINKS))),
                      max_size=2, unique_by=lambda link: (link[0], link[2])))
def test_no_portal_contains_another_customers_or_internal_text(
        tmp_path_factory, slugs: list[str], links: list[tuple[int, int, str]]) -> None:
    root = tmp_path_factory.mktemp("iso")
    projects = root / "projects"
    markers = {}
    for slug in slugs:
        markers[slug] = {"public": set(), "internal": set()}
        write_customer(projects, slug, _markers(slug, markers[slug]))
    refused = {_link(projects, slugs[a % len(slugs)], slugs[b % len(slugs)], kind) for a, b, kind in links}
    refused.discard(None)
    if refused:  # any link leading out of a customer's folder (or from a page to YAML) stops the build
        with pytest.raises(PortalError) as stopped:
            build_portfolio(projects, root / "site", BuildOptions(today=TODAY))
        assert refused <= {p.path for p in stopped.value.problems}
        assert not any((root / "site" / slug).exists() for slug in slugs)
        return
    for audience in ("customer", "team"):
        out = root / audience
        build_portfolio(projects, out, BuildOptions(today=TODAY, audience=audience))
        for slug in slugs:
            texts = readable(out / slug)
            everything = "\n".join(texts.values())
            for other in slugs:
                if other != slug:
                    foreign = [m for m in markers[other]["public"] | markers[other]["internal"]
                               if m in everything]
                    assert foreign == [], (audience, slug, other)
            secrets = sorted(m for m in markers[slug]["internal"] if m in everything)
            if audience == "customer":
                assert secrets == [], [p for p, t in texts.items() if any(s in t for s in secrets)]
                assert {"zq" + slug + "decisionqz", "zq" + slug + "milestoneqz"} <= {
                    m for m in markers[slug]["public"] if m in everything}
            else:
                assert secrets == sorted(markers[slug]["internal"]), "the team sees every internal text"


class ActiveContent(HTMLParser):
    """Collects what a browser would run: handlers, script URLs, frames, scripts that are not the theme's."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self.in_script = False

    @classmethod
    def scan(cls, source: str) -> list[str]:
        parser = cls()
        parser.feed(source)
        return parser.found

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append(f"<{tag} {name}=...>")
            if name in ("href", "src", "action", "formaction") and (value or "").strip().lower().startswith(
                    ("javascript:", "data:text/html", "vbscript:")):
                self.found.append(f"<{tag} {name}={value}>")
        if tag in ("iframe", "object", "embed", "frame"):
            self.found.append(f"<{tag}>")
        self.in_script = tag == "script"

    def handle_endtag(self, tag: str) -> None:
        self.in_script = False

    def handle_data(self, data: str) -> None:
        if self.in_script and "alert" in data:
            self.found.append("inline script from YAML")

    def handle_comment(self, data: str) -> None:
        if "hidden comment" in data:
            self.found.append("HTML comment from YAML")


HOSTILE = [
    "<script>alert('x')</script>",
    "[click](javascript:alert('x'))",
    "<img src=x onerror=alert('x')>",
    "<!-- hidden comment -->",
    '<iframe src="https://evil.example/"></iframe>',
    '<a href="javascript:alert(1)" onclick="alert(2)">link</a>',
    "<svg onload=alert(1)>",
    "![pic](javascript:alert(1))",
]


@pytest.mark.parametrize("payload", HOSTILE)
def test_hostile_text_in_every_field_is_inert(tmp_path: Path, payload: str) -> None:
    projects = tmp_path / "projects"
    write_customer(projects, "acme", lambda kind: f"{kind} {payload}", internal=False)
    out = tmp_path / "site"
    build_portfolio(projects, out, BuildOptions(today=TODAY))
    for path in (out / "acme").rglob("*.html"):
        found = ActiveContent.scan(path.read_text(encoding="utf-8"))
        assert found == [], (path, found)
    index = (out / "acme" / "search" / "search_index.json").read_text(encoding="utf-8")
    for doc in json.loads(index)["docs"]:
        assert not re.search(r"<(script|iframe|img|svg)\b", doc["text"] + doc["title"], re.I)
