"""The leak guard: a portal that would publish a secret is never swapped into --out."""

from __future__ import annotations

from pathlib import Path

from generator.build.guard import Secrets, find_leaks
from tests.conftest import TODAY, write_portfolio
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


SECRETS = Secrets({NOTE: "project.yml internal"}, frozenset({"Globex Industries", "globex"}))


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
        "feed.xml: another customer's name 'globex'",
        f"search/search_index.json: internal text {NOTE!r} (from project.yml internal)",
    ]


def test_no_secret_is_pieced_together_from_two_texts(tmp_path: Path) -> None:
    first, second = NOTE.split(" down ")
    site = _site(tmp_path, {
        "search/search_index.json": f'{{"docs": [{{"title": "{first}", "text": "down {second}"}}]}}',
        "index.html": "<p>Globexian Industries and globexes are other words</p>",
    })
    assert find_leaks(site, SECRETS) == []


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
