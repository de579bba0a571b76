"""The leak guard: a portal that would publish a secret is never swapped into --out."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from generator.build.guard import PortalSecrets, Secrets, Texts, find_leaks, fold
from tests.conftest import EXAMPLE, TODAY, write_portfolio
from tests.test_build import all_files, run

NOTE = "Margin on this project is down to eleven percent"
BASE = {
    "acme/customer.yml": "name: Acme Corp\n",
    "acme/web/project.yml": f"name: Website\ninternal: {NOTE}\n",
    "globex/customer.yml": "name: Globex Industries\n",
    "globex/app/project.yml": "name: App\n",
}


def build(projects: Path, out: Path):
    return run("build", "--projects", str(projects), "--out", str(out), "--today", TODAY)


def test_clean_portfolio_passes_the_guard(tmp_path: Path) -> None:
    projects = write_portfolio(tmp_path, {}, BASE)
    assert build(projects, tmp_path / "site").returncode == 0


def test_internal_note_pasted_into_a_page_stops_the_build(tmp_path: Path) -> None:
    projects = write_portfolio(tmp_path, {}, BASE)
    out = tmp_path / "site"
    assert build(projects, out).returncode == 0
    before = all_files(out)
    write_portfolio(tmp_path, {"acme/content/notes.md": f"# Notes\n\n{NOTE}.\n"}, BASE)
    result = build(projects, out)
    assert result.returncode == 1
    assert "leak guard stopped the build" in result.stderr and "about/notes.html" in result.stderr
    assert all_files(out) == before


def test_another_customers_name_stops_the_build(tmp_path: Path) -> None:
    page = {"acme/content/refs.md": "# References\n\nAs done for Globex Industries.\n"}
    projects = write_portfolio(tmp_path, page, BASE)
    result = build(projects, tmp_path / "site")
    assert result.returncode == 1
    assert "another customer's name 'Globex Industries'" in result.stderr
    assert not (tmp_path / "site" / "acme").exists()


def test_team_audience_may_show_internal_notes(tmp_path: Path) -> None:
    projects = write_portfolio(tmp_path, {"acme/content/notes.md": f"# Notes\n\n{NOTE}.\n"}, BASE)
    result = run("build", "--projects", str(projects), "--out", str(tmp_path / "t"), "--today", TODAY,
                 "--audience", "team")
    assert result.returncode == 0, result.stderr


def test_text_once_public_and_now_an_internal_note_is_history_not_a_leak(tmp_path: Path) -> None:
    """The old slip reason stays on "What changed"; the guard must not block the portal for it."""
    from tests.test_history import PLAN_3, Repo

    reason = "Payment provider late"
    repo = Repo(tmp_path / "repo")
    repo.commit("2026-10-01", "start", {"acme/customer.yml": "name: Acme Corp\n",
                                        "acme/web/project.yml": "name: Website\n"})
    repo.commit("2026-10-15", "slip", {"acme/web/plan.yml": PLAN_3})
    moved = PLAN_3.replace(f"slip_reason: {reason}",
                           f"slip_reason: Waiting for the contract\n        internal: {reason} (again)")
    repo.commit("2026-10-20", "reason now internal", {"acme/web/plan.yml": moved})
    out = tmp_path / "site"
    result = run("build", "--projects", str(repo.projects), "--out", str(out), "--today", TODAY)
    assert result.returncode == 0, result.stderr
    assert reason in (out / "acme" / "web" / "history.html").read_text(encoding="utf-8")
    assert f"{reason} (again)" not in "".join(p.read_text(encoding="utf-8") for p in out.rglob("*.html"))


def _site(tmp_path: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text, encoding="utf-8")
    return tmp_path


ACME = Texts("acme", {fold("Acme Corp"): "Acme Corp", fold("acme"): "acme"},
             {}, {}, {fold(NOTE): "project.yml internal"})
GLOBEX = Texts("globex", {fold("Globex Industries"): "Globex Industries", fold("globex"): "globex"},
               {fold("Layoffs planned in the Globex QA team"): "globex/app/project.yml internal"},
               {fold("The new app ships to every Globex store in March"): "globex/app/project.yml"}, {})
HARBOR = Texts("harbor-health", {fold("Harbor Health Clinics"): "Harbor Health Clinics",
                                 fold("harbor-health"): "harbor-health"}, {}, {}, {})
SECRETS = PortalSecrets(Secrets([ACME, GLOBEX, HARBOR]), "acme", frozenset(), "customer")
"""Acme's portal: its internal note and every other customer's names and texts are secrets."""


def test_secrets_are_found_through_each_format_s_escapes(tmp_path: Path) -> None:
    escaped = NOTE.replace("eleven", "el\\u0065ven").replace(" ", "\\u0020", 1)
    site = _site(tmp_path, {
        "search/search_index.json": f'{{"docs": [{{"text": "<p>{escaped}</p>", "title": "x"}}]}}',
        "calendar.ics": "DESCRIPTION:As for Globex\r\n  Industries\\, we\r\n",
        "feed.xml": "<summary>Globex &amp;amp; Industries &lt;b&gt;globex&lt;/b&gt;</summary>",
        "assets/app.js": f"// {NOTE}",  # the theme's own files carry no portfolio text
    })
    assert find_leaks(site, SECRETS) == [
        "calendar.ics: another customer's name 'Globex Industries'",
        "feed.xml: another customer's name 'Globex Industries'",  # '&' is punctuation
        f"search/search_index.json: internal text {fold(NOTE).strip()!r} (from project.yml internal)",
    ]


def test_no_secret_is_pieced_together_from_two_texts(tmp_path: Path) -> None:
    first, second = NOTE.split(" down ")
    site = _site(tmp_path, {
        "search/search_index.json": f'{{"docs": [{{"title": "{first}", "text": "down {second}"}}]}}',
        "index.html": "<p>Globexian Industries and globexes are other words; Harbor is a place, "
                      "health a good, and clinics are many. A harbor healthcheck is no leak.</p>",
    })
    assert find_leaks(site, SECRETS) == []


HOSTILE_NAMES = {
    "capitals": "HARBOR HEALTH CLINICS",
    "zero-width-space": "Harbor\u200bHealth Clinics",
    "soft-hyphen-entity": "Harbor&shy;Health Clinics",
    "zero-width-joiner-entity": "Harbor&#x200d;Health&#8203;Clinics",
    "hyphens": "Harbor-Health-Clinics",
    "underscores-and-dots": "harbor_health.clinics",
    "percent-encoded-slug": "harbor%2Dhealth",
    "percent-encoded-spaces": "Harbor%20Health%20Clinics",
    "double-percent-encoded": "harbor%252Dhealth",
    "fullwidth": "\uff28\uff41\uff52\uff42\uff4f\uff52 Health Clinics",
    "tags-between-words": "Harbor<b>Health</b> Clinics",
    "escaped-html-in-a-feed": "Harbor&lt;em&gt;Health&lt;/em&gt; Clinics",
    "in-a-link": '<a href="https://example.com/HARBOR-HEALTH/">our work</a>',
}


@pytest.mark.parametrize("text", list(HOSTILE_NAMES.values()), ids=list(HOSTILE_NAMES))
def test_another_customers_name_is_found_in_any_disguise(tmp_path: Path, text: str) -> None:
    site = _site(tmp_path, {"about/refs.html": f"<p>We did the same for {text} last spring.</p>"})
    leaks = find_leaks(site, SECRETS)
    assert leaks and all(leak.startswith("about/refs.html: another customer's name") for leak in leaks)


def test_an_internal_phrase_is_found_in_disguise(tmp_path: Path) -> None:
    disguised = NOTE.upper().replace(" ", "\u200b ").replace("ELEVEN", "ELE&shy;VEN")
    site = _site(tmp_path, {"search/search_index.json": json.dumps({"docs": [{"text": disguised}]})})
    assert find_leaks(site, SECRETS) == [
        f"search/search_index.json: internal text {fold(NOTE).strip()!r} (from project.yml internal)"]


def test_another_customers_internal_and_distinctive_text_is_found(tmp_path: Path) -> None:
    site = _site(tmp_path, {
        "a.html": "<p>Note: layoffs planned in the Globex-QA team.</p>",
        "b.html": "<p>The new app ships to every GLOBEX store in March!</p>",
    })
    assert find_leaks(site, SECRETS) == [
        "a.html: another customer's text 'layoffs planned in the globex qa team' "
        "(from globex/app/project.yml internal)",
        "b.html: another customer's text 'the new app ships to every globex store in march' "
        "(from globex/app/project.yml)",
    ]


def test_text_a_portal_may_show_is_no_leak(tmp_path: Path) -> None:
    """Its own public text, also where another customer wrote the same, and the theme's short wording."""
    shared = "Go-live moved to the first week of March"
    others = Texts("globex", {}, {fold(f"{shared} again"): "internal"}, {fold(shared): "status.yml"}, {})
    secrets = Secrets([ACME, others])
    site = _site(tmp_path, {"index.html": f"<p>{shared}.</p><p>Open questions</p><p>What changed</p>"})
    assert find_leaks(site, PortalSecrets(secrets, "acme", secrets.found(fold(shared)), "customer")) == []
    assert find_leaks(site, PortalSecrets(secrets, "acme", frozenset(), "customer")) == [
        f"index.html: another customer's text {fold(shared).strip()!r} (from status.yml)"]


def test_a_rebuild_knows_the_current_names_of_customers_it_does_not_rebuild(tmp_path: Path) -> None:
    """A one-portal rebuild takes the other names from the last build's state: they must be current."""
    projects = write_portfolio(tmp_path, {}, BASE)
    out = tmp_path / "site"
    assert build(projects, out).returncode == 0
    write_portfolio(tmp_path, {"globex/customer.yml": "name: Globex Renamed Ltd\n"}, {})
    renamed = build(projects, out)
    assert renamed.returncode == 0 and "1 built, 1 unchanged" in renamed.stdout
    write_portfolio(tmp_path, {"acme/content/refs.md": "# References\n\nAs for Globex Renamed Ltd.\n"}, {})
    result = build(projects, out)
    assert result.returncode == 1
    assert "another customer's name 'Globex Renamed Ltd'" in result.stderr


HOSTILE_IN_YAML = {
    "capitals-and-a-zero-width-space": '"We did the same for HARBOR\\u200bHEALTH CLINICS."',
    "hyphens-for-spaces": "We did the same for Harbor-Health-Clinics.",
    "percent-encoded-slug-in-a-link": '"Read [how we did it](https://example.com/cases/harbor%2Dhealth/)."',
    "another-customers-internal-note":
        "Clinic managers in Dover and Folkestone are not promoting the beta at all.",
}


@pytest.mark.parametrize("summary", list(HOSTILE_IN_YAML.values()), ids=list(HOSTILE_IN_YAML))
def test_another_customers_name_or_internal_note_in_yaml_stops_the_build(
        tmp_path: Path, summary: str) -> None:
    projects = tmp_path / "projects"
    shutil.copytree(EXAMPLE, projects)
    status = projects / "northwind" / "website-relaunch" / "status.yml"
    status.write_text(status.read_text(encoding="utf-8")
                      + f"- date: 2026-11-25\n  health: green\n  summary: {summary}\n", encoding="utf-8")
    out = tmp_path / "site"
    result = build(projects, out)
    assert result.returncode == 1, result.stdout
    leaks = [line for line in result.stderr.splitlines() if "leak guard stopped the build" in line]
    assert any("northwind: leak guard" in line and "website-relaunch/status.html: another customer's" in line
               for line in leaks), result.stderr
    assert all("harbor-health: leak guard" not in line for line in leaks), "Harbor's own portal is fine"
    assert not out.exists() or not (out / "northwind").exists()


def test_another_customers_internal_text_on_a_page_stops_the_build(tmp_path: Path) -> None:
    """Harbor's internal note, pasted (or linked) into a Northwind page, never reaches Northwind."""
    projects = tmp_path / "projects"
    shutil.copytree(EXAMPLE, projects)
    note = "Clinic managers in Dover and Folkestone are NOT promoting the beta at all"
    (projects / "northwind" / "content" / "notes.md").write_text(f"# Notes\n\n{note}.\n", encoding="utf-8")
    result = build(projects, tmp_path / "site")
    assert result.returncode == 1, result.stdout
    where = "harbor-health: patient-app: StatusUpdate 2026-11-11, internal"
    assert f"northwind: leak guard stopped the build: about/notes.html: another customer's text " \
           f"{note.lower()!r} (from {where})" in result.stderr, result.stderr
