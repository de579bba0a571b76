"""Real portals built from the example portfolio into temporary folders, read as a customer would."""

from __future__ import annotations

import html
import json
import re
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.conftest import EXAMPLE, TODAY

PORTAL = [sys.executable, "-m", "generator"]


def run(
    *args: str, cwd: Path | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*PORTAL, *args], capture_output=True, text=True, cwd=cwd, env=env, check=False)


def page_text(path: Path) -> str:
    """The visible text of a page's article, tags stripped and spaces folded."""
    source = path.read_text(encoding="utf-8")
    article = re.search(r"<article.*?</article>", source, re.S)
    text = re.sub(r"<[^>]+>", " ", article.group(0) if article else source)
    return " ".join(html.unescape(text).split())


def all_files(site: Path) -> dict[Path, bytes]:
    return {p.relative_to(site): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


def raw_yaml(path: Path):
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def internal_texts(customer_dir: Path) -> set[str]:
    """Every internal note and the text of every internal item, read straight from the YAML."""
    found: set[str] = set()

    def strings(value) -> list[str]:
        if isinstance(value, str):
            return [value]
        if isinstance(value, dict):
            return [s for v in value.values() for s in strings(v)]
        if isinstance(value, list):
            return [s for v in value for s in strings(v)]
        return []

    def walk(value) -> None:
        if isinstance(value, dict):
            if value.get("visibility") == "internal":
                found.update(s for s in strings(value) if len(s) > 20)
            if isinstance(value.get("internal"), str):
                found.add(value["internal"])
            for v in value.values():
                walk(v)
        elif isinstance(value, list):
            for v in value:
                walk(v)

    for path in customer_dir.rglob("*.yml"):
        walk(raw_yaml(path))
    return found


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("site")
    result = run("build", "--projects", str(EXAMPLE), "--out", str(out), "--today", TODAY)
    assert result.returncode == 0, result.stderr
    return out


@pytest.fixture(scope="module")
def team(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("team")
    result = run("build", "--projects", str(EXAMPLE), "--out", str(out), "--today", TODAY,
                 "--audience", "team")
    assert result.returncode == 0, result.stderr
    return out


def customers() -> list[Path]:
    return sorted(p for p in EXAMPLE.iterdir() if p.is_dir())


def test_one_portal_per_customer_with_every_page(built: Path) -> None:
    assert sorted(p.name for p in built.iterdir() if p.is_dir()) == [c.name for c in customers()]
    for customer in customers():
        site = built / customer.name
        assert (site / "index.html").is_file()
        assert (site / "search" / "search_index.json").is_file()
        for project in (p for p in customer.iterdir() if (p / "project.yml").is_file()):
            for page in ("index", "status", "plan", "decisions", "questions", "changes", "risks",
                         "feedback", "team"):
                assert (site / project.name / f"{page}.html").is_file(), (project, page)


def test_every_name_a_portal_takes_at_its_root_is_one_no_project_may_have(built: Path) -> None:
    from generator.portfolio.model import PORTAL_ROOT_NAMES

    for customer in customers():
        taken = {p.name.split(".")[0] for p in (built / customer.name).iterdir()
                 if not p.name.startswith(".")}  # hidden marks: no slug starts with a dot
        projects = {p.name for p in customer.iterdir() if (p / "project.yml").is_file()}
        assert taken - projects <= PORTAL_ROOT_NAMES


def test_no_template_or_source_file_is_published(built: Path) -> None:
    for site in built.iterdir():
        leftovers = [p for p in site.rglob("*") if p.suffix in (".j2", ".yml", ".yaml", ".py")]
        assert leftovers == []


def test_internal_text_is_in_no_file_of_a_customer_portal(built: Path) -> None:
    for customer in customers():
        secrets = internal_texts(customer)
        assert secrets, "the example must have internal items"
        for rel, data in all_files(built / customer.name).items():
            text = " ".join(html.unescape(data.decode("utf-8", "replace")).split())
            leaked = [s for s in secrets if " ".join(s.split()) in text]
            assert leaked == [], rel


def test_team_audience_shows_internal_items_marked(team: Path) -> None:
    for customer in customers():
        text = " ".join(page_text(p) for p in (team / customer.name).rglob("*.html"))
        notes = [s for s in internal_texts(customer) if "\n" not in s.strip()]
        assert any(" ".join(n.split()) in text for n in notes)
        assert "Internal" in text


def test_other_customers_are_absent(built: Path) -> None:
    names = {c.name: raw_yaml(c / "customer.yml")["name"] for c in customers()}
    for slug in names:
        for rel, data in all_files(built / slug).items():
            text = data.decode("utf-8", "replace")
            for other, name in names.items():
                if other != slug:
                    assert name not in text and f"/{other}/" not in text, (slug, rel, other)


def test_plan_shows_computed_slip_of_every_milestone(built: Path) -> None:
    for customer in customers():
        for plan_file in customer.glob("*/plan.yml"):
            text = page_text(built / customer.name / plan_file.parent.name / "plan.html")
            for m in raw_yaml(plan_file)["milestones"]:
                if m.get("visibility") == "internal":
                    assert m["title"] not in text
                    continue
                slip = ((m.get("forecast") or m["baseline"]) - m["baseline"]).days
                if slip:
                    assert f"{m['id']} " in text and f"{slip:+d} days" in text.replace("−", "-")


def test_overdue_questions_are_marked_with_days(built: Path) -> None:
    today = date.fromisoformat(TODAY)
    seen = 0
    for customer in customers():
        for qfile in customer.glob("*/questions.yml"):
            overview = page_text(built / customer.name / qfile.parent.name / "index.html")
            for q in raw_yaml(qfile):
                if q.get("status", "open") == "open" and q.get("due") and q["due"] < today \
                        and q.get("visibility") != "internal":
                    days = (today - q["due"]).days
                    assert f"overdue by {days} day" in overview, q["id"]
                    seen += 1
    assert seen


def test_approved_impact_total_is_shown(built: Path) -> None:
    for customer in customers():
        for cfile in customer.glob("*/changes.yml"):
            changes = [c for c in raw_yaml(cfile) if c.get("visibility") != "internal"]
            days = sum(c.get("impact", {}).get("days", 0) or 0 for c in changes
                       if c.get("status") in ("approved", "done"))
            text = page_text(built / customer.name / cfile.parent.name / "changes.html")
            assert f"Schedule: +{days} working days" in text or days == 0


def test_pages_load_nothing_from_outside(built: Path) -> None:
    external = re.compile(r"""(?:src|href)=["']?(?:https?:)?//""", re.I)
    for path in built.rglob("*.html"):
        source = path.read_text(encoding="utf-8")
        for tag in re.findall(r"<(?:script|link|img|iframe|source|video|audio)\b[^>]*>", source, re.I):
            if re.search(r"rel=.?(canonical|alternate)", tag):
                continue  # names the page's address, loads nothing
            assert not external.search(tag), (path, tag)
        assert "fonts.googleapis" not in source and "unpkg.com" not in source


def test_search_index_holds_decisions_but_no_internal_text(built: Path) -> None:
    for customer in customers():
        index = json.loads((built / customer.name / "search" / "search_index.json").read_text())
        text = " ".join(doc["text"] + doc["title"] for doc in index["docs"])
        decisions = [d for f in customer.glob("*/decisions.yml") for d in raw_yaml(f)]
        public = [d for d in decisions if d.get("visibility") != "internal"]
        assert all(html.escape(d["title"], quote=False) in text or d["title"] in text for d in public)
        for s in internal_texts(customer):
            assert " ".join(s.split()) not in " ".join(html.unescape(text).split())


def test_failed_build_leaves_output_untouched(tmp_path: Path, built: Path) -> None:
    projects = tmp_path / "projects"
    shutil.copytree(EXAMPLE, projects)
    out = tmp_path / "site"
    assert run("build", "--projects", str(projects), "--out", str(out), "--today", TODAY).returncode == 0
    before = all_files(out)
    status = next(projects.glob("*/*/status.yml"))
    status.write_text(status.read_text() + "- date: 2026-11-30\n  health: purple\n")
    result = run("build", "--projects", str(projects), "--out", str(out), "--today", TODAY)
    assert result.returncode == 1
    assert "health must be one of" in result.stderr and "Traceback" not in result.stderr
    assert all_files(out) == before
    assert [p.name for p in (tmp_path / ".portal").glob("*.staging.*")] == []


def test_only_named_customer_is_rebuilt(tmp_path: Path) -> None:
    first = customers()[0].name
    result = run("build", "--projects", str(EXAMPLE), "--out", str(tmp_path / "o"), "--today", TODAY,
                 "--customer", first)
    assert result.returncode == 0, result.stderr
    assert [p.name for p in (tmp_path / "o").iterdir() if p.is_dir()] == [first]


def test_build_date_comes_from_today_or_source_date_epoch(tmp_path: Path) -> None:
    import os
    first = customers()[0].name
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1790000000"}  # 2026-09-21
    result = run("build", "--projects", str(EXAMPLE), "--out", str(tmp_path / "o"), "--customer", first,
                 env=env)
    assert result.returncode == 0, result.stderr
    assert "2026-09-21" in page_text(tmp_path / "o" / first / "index.html")


def test_validate_summarises_the_portfolio() -> None:
    result = run("validate", "--projects", str(EXAMPLE))
    assert result.returncode == 0
    assert re.fullmatch(r"ok: 2 customers, \d+ projects, \d+ items\n", result.stdout)


def test_rebuild_skips_unchanged_portals_and_rebuilds_a_changed_one(tmp_path: Path) -> None:
    projects = tmp_path / "projects"
    shutil.copytree(EXAMPLE, projects)
    out = tmp_path / "site"
    args = ("build", "--projects", str(projects), "--out", str(out), "--today", TODAY)
    assert run(*args).returncode == 0
    before = all_files(out)
    again = run(*args)
    assert again.returncode == 0 and "0 built, 2 unchanged" in again.stdout
    assert all_files(out) == before
    first, second = customers()
    status = projects / first.name / next(p.name for p in first.iterdir() if (p / "status.yml").is_file()) \
        / "status.yml"
    status.write_text(status.read_text() + "- date: 2026-11-25\n  health: green\n  summary: Back on track.\n")
    changed = run(*args)
    assert changed.returncode == 0 and "1 built, 1 unchanged" in changed.stdout
    assert f"built {out / first.name}" in changed.stdout
    after = all_files(out)
    assert {k: v for k, v in after.items() if k.parts[0] == second.name} == \
        {k: v for k, v in before.items() if k.parts[0] == second.name}
    assert "Back on track." in page_text(out / first.name / status.parent.name / "status.html")


def test_two_builds_of_the_same_input_are_identical(tmp_path: Path) -> None:
    for name in ("a", "b"):
        result = run("build", "--projects", str(EXAMPLE), "--out", str(tmp_path / name), "--today", TODAY,
                     "--jobs", "2")
        assert result.returncode == 0, result.stderr
    assert all_files(tmp_path / "a") == all_files(tmp_path / "b")


def test_shards_split_customers_evenly_and_cover_all(tmp_path: Path) -> None:
    seen = []
    for index in (1, 2):
        out = tmp_path / f"shard{index}"
        result = run("build", "--projects", str(EXAMPLE), "--out", str(out), "--today", TODAY,
                     "--shard", f"{index}/2")
        assert result.returncode == 0, result.stderr
        built = sorted(p.name for p in out.iterdir() if p.is_dir())
        assert len(built) == 1
        seen += built
    assert sorted(seen) == [c.name for c in customers()]
    bad = run("build", "--projects", str(EXAMPLE), "--out", str(tmp_path / "x"), "--shard", "3/2")
    assert bad.returncode == 1 and "--shard '3/2' is not I/N" in bad.stderr


def _nav_text(page: Path) -> str:
    source = page.read_text(encoding="utf-8")
    nav = re.search(r'<nav class="md-nav md-nav--primary".*?</nav>\s*</div>', source, re.S)
    assert nav, page
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", nav.group(0))).split())


@pytest.mark.parametrize("count", [3, 9])
def test_navigation_stays_small_when_a_portal_has_many_projects(tmp_path: Path, count: int) -> None:
    from tests.conftest import write_portfolio

    files = {f"acme/p{i}/project.yml": f"name: Project number {i}\n" for i in range(count)}
    projects = write_portfolio(tmp_path, files, {"acme/customer.yml": "name: Acme\n"})
    result = run("build", "--projects", str(projects), "--out", str(tmp_path / "o"), "--today", TODAY)
    assert result.returncode == 0, result.stderr
    site = tmp_path / "o" / "acme"
    nav = _nav_text(site / "p1" / "plan.html")
    others = [i for i in range(count) if f"Project number {i}" in nav and i != 1]
    assert "Project number 1" in nav
    assert others == ([] if count > 8 else [i for i in range(count) if i != 1])
    home = page_text(site / "index.html")
    assert all(f"Project number {i}" in home for i in range(count))


def test_a_warm_process_sees_a_file_added_to_the_theme_between_builds(tmp_path: Path) -> None:
    """Workers remember the theme's file list between portals; an edited theme must still show."""
    from generator.build.portals import BuildOptions, build_portfolio

    root = tmp_path / "repo"
    root.mkdir()
    for name in ("mkdocs.yml", "content", "themes", "projects"):
        source = EXAMPLE.parent / name
        (shutil.copytree if source.is_dir() else shutil.copyfile)(source, root / name)
    first = customers()[0].name
    options = BuildOptions(today=date.fromisoformat(TODAY), only=[first], force=True)
    build_portfolio(root / "projects", tmp_path / "site", options)
    stamp = root / "themes" / "default" / "overrides" / "assets" / "stamp.txt"
    stamp.parent.mkdir(parents=True, exist_ok=True)
    stamp.write_text("approved\n")
    build_portfolio(root / "projects", tmp_path / "site", options)
    assert (tmp_path / "site" / first / "assets" / "stamp.txt").read_text() == "approved\n"


def two_customers_built_in_git(tmp_path: Path) -> tuple[Any, Path, tuple[str, ...]]:
    """Two customers committed to a repository and built: (repo, out, the build's arguments)."""
    from tests.test_history import Repo

    repo = Repo(tmp_path / "repo")
    repo.commit("2026-10-01", "start", {"acme/customer.yml": "name: Acme Corp\n",
                                        "acme/web/project.yml": "name: Website\n",
                                        "globex/customer.yml": "name: Globex Inc\n",
                                        "globex/app/project.yml": "name: App\n"})
    out = tmp_path / "site"
    args = ("build", "--projects", str(repo.projects), "--out", str(out), "--today", TODAY)
    assert "2 built, 0 unchanged" in run(*args).stdout
    return repo, out, args


def test_in_a_git_checkout_uncommitted_edits_are_built_and_undoing_them_too(tmp_path: Path) -> None:
    """Folders git reports clean are fingerprinted by their tree id; edits must still be seen."""
    repo, out, args = two_customers_built_in_git(tmp_path)
    repo.write({"acme/web/project.yml": "name: Website relaunch\n"})  # not committed
    assert "1 built, 1 unchanged" in run(*args).stdout
    assert "Website relaunch" in page_text(out / "acme" / "index.html")
    repo.write({"acme/web/project.yml": "name: Website\n"})  # the edit undone: the committed state again
    assert "1 built, 1 unchanged" in run(*args).stdout
    assert "Website relaunch" not in page_text(out / "acme" / "index.html")
    assert "0 built, 2 unchanged" in run(*args).stdout


def test_a_change_and_its_revert_reach_what_changed_though_the_files_end_as_they_were(
        tmp_path: Path) -> None:
    """The folder's tree is the same after both commits; its history is not, and history is never hidden."""
    repo, out, args = two_customers_built_in_git(tmp_path)
    repo.commit("2026-10-02", "rename", {"acme/web/project.yml": "name: Webshop\n"})
    repo.commit("2026-10-03", "rename undone", {"acme/web/project.yml": "name: Website\n"})
    assert "1 built, 1 unchanged" in run(*args).stdout
    history = page_text(out / "acme" / "history.html")
    assert "Webshop" in history and "2026-10-03" in history
    assert "0 built, 2 unchanged" in run(*args).stdout


def test_a_change_to_a_shared_input_rebuilds_every_portal(tmp_path: Path) -> None:
    """content/, the theme and mkdocs.yml reach every portal, so they are part of every fingerprint."""
    root = tmp_path / "repo"
    root.mkdir()
    for name in ("mkdocs.yml", "content", "themes", "projects"):
        source = EXAMPLE.parent / name
        (shutil.copytree if source.is_dir() else shutil.copyfile)(source, root / name)
    args = ("build", "--projects", str(root / "projects"), "--out", str(tmp_path / "site"), "--today", TODAY)
    assert "2 built, 0 unchanged" in run(*args).stdout
    page = next((root / "content").glob("*.md"))
    edits = [page, root / "themes" / "default" / "overrides" / "main.html", root / "mkdocs.yml"]
    for path in edits:
        path.write_text(path.read_text(encoding="utf-8") + "\n", encoding="utf-8")
        assert "2 built, 0 unchanged" in run(*args).stdout, path
    assert "0 built, 2 unchanged" in run(*args).stdout


def test_an_upgraded_dependency_rebuilds_every_portal(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A CI job restores the last run's site/: pages an older mkdocs or theme built must not be kept."""
    from generator import digest
    from generator.build.portals import BuildOptions, build_portfolio

    options = BuildOptions(today=date.fromisoformat(TODAY), only=["northwind"])
    out = tmp_path / "site"
    assert build_portfolio(EXAMPLE, out, options).built == ["northwind"]
    assert build_portfolio(EXAMPLE, out, options).built == []
    installed = digest.metadata.version
    monkeypatch.setattr(digest.metadata, "version",
                        lambda name: "99.0" if name == "mkdocs-material" else installed(name))
    digest.generator_digest.cache_clear()
    try:
        assert build_portfolio(EXAMPLE, out, options).built == ["northwind"]
    finally:
        digest.generator_digest.cache_clear()


def test_charts_are_whole_in_the_pages_and_out_of_the_search_index(built: Path) -> None:
    """Charts pass Markdown as comments (generator/passthrough.py): readers get the drawing."""
    page = (built / "northwind" / "website-relaunch" / "plan.html").read_text(encoding="utf-8")
    assert '<figure class="portal-timeline">' in page and page.count("<svg class=\"portal-tl ") == 2
    assert "portal-passthrough" not in page
    index = json.loads((built / "northwind" / "search" / "search_index.json").read_text(encoding="utf-8"))
    docs = index["docs"]
    plan = " ".join(d["text"] for d in docs if d["location"].startswith("website-relaunch/plan.html"))
    assert "Timeline of the plan" not in plan and "The dashed line is today" not in plan
    assert "M1" in plan  # the milestone table is searchable
