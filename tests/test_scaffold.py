"""Scaffolding as a PM uses it: a new portfolio, customer, project and weekly status update.

Happy paths run the installed package in a subprocess, in the folder a user
would be in; refusals are checked in-process for their exact message and hint.
"""

from __future__ import annotations

import shlex
import subprocess
import sys
import textwrap
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.build.atomic import WORK_DIR
from generator.cache import cache_dir
from generator.commands.scaffold import (
    BRANCH,
    EXAMPLE_CUSTOMER,
    EXAMPLE_PROJECT,
    SCHEMAS_FOLDER,
    _yaml_scalar,
    add_status,
    init_portfolio,
    new_customer,
    new_project,
)
from generator.portfolio.errors import PortalError
from generator.portfolio.layout import find_site
from generator.portfolio.load import load_document
from generator.portfolio.model import FILE_MODELS, PROJECT_FILES
from generator.portfolio.schema import SCHEMA_DIR, schema_name
from generator.portfolio.validate import validate_portfolio
from tests.conftest import write_portfolio
from tests.test_schema import schema_errors, typed

CUSTOMER, PROJECT = EXAMPLE_CUSTOMER[0], EXAMPLE_PROJECT[0]
START = date(2026, 11, 26)
ROOT = Path(__file__).resolve().parent.parent


def run(cwd: Path, code: str) -> str:
    """Run Python code against the installed package in `cwd`, as a user's shell would."""
    prelude = ("from datetime import date\nfrom pathlib import Path\n"
               "from generator.commands.scaffold import *\n")
    result = subprocess.run([sys.executable, "-c", prelude + textwrap.dedent(code)], cwd=cwd,
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    return result.stdout


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A freshly initialised portfolio repository, started on START."""
    run(tmp_path, "init_portfolio(Path('portfolio'), today=date(2026, 11, 26))")
    return tmp_path / "portfolio"


def refusal(call: object, *args: object) -> str:
    """The message and hint of the PortalError a call raises."""
    with pytest.raises(PortalError) as err:
        call(*args)  # type: ignore[operator]
    return str(err.value)


# --- portal init -----------------------------------------------------------------------------


def test_init_validates_at_once(repo: Path) -> None:
    model, problems = validate_portfolio(repo / "projects")
    assert problems == []
    assert model is not None
    (customer,) = model.customers
    assert (customer.slug, customer.info.name) == EXAMPLE_CUSTOMER
    (project,) = customer.projects
    assert (project.slug, project.info.name) == EXAMPLE_PROJECT
    assert project.updates and project.milestones and project.decisions and project.questions
    assert project.risks and project.info.team and project.info.start == START


def test_init_writes_every_file_and_returns_them(tmp_path: Path) -> None:
    written, _ = init_portfolio(tmp_path / "new", today=START)
    assert (tmp_path / "new" / ".git").is_dir(), "a repository, for pre-commit and history"
    assert written == sorted(p for p in (tmp_path / "new").rglob("*")
                             if p.is_file() and ".git" not in p.relative_to(tmp_path / "new").parts)
    rel = {p.relative_to(tmp_path / "new").as_posix() for p in written}
    project = f"projects/{CUSTOMER}/{PROJECT}/"
    assert {f"projects/{CUSTOMER}/customer.yml", *(project + name for name in PROJECT_FILES)} <= rel
    assert {"mkdocs.yml", "README.md", ".gitignore", ".pre-commit-config.yaml", "requirements.txt",
            ".github/workflows/portal.yml"} <= rel
    assert {f"{SCHEMAS_FOLDER}/{schema_name(name)}" for name in FILE_MODELS} <= rel
    assert any(r.startswith("content/") and r.endswith(".md") for r in rel)
    assert any(r.startswith("themes/default/") for r in rel)


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def test_init_copies_the_shipped_site_defaults(repo: Path) -> None:
    defaults = find_site(Path("/nonexistent/projects"))
    assert (repo / "mkdocs.yml").read_bytes() == defaults.mkdocs_yml.read_bytes()
    assert defaults.content_dir is not None
    assert tree(repo / "content") == tree(defaults.content_dir)
    shipped = {k: v for k, v in tree(defaults.themes_dir / "default").items()
               if "__pycache__" not in k and not any(part.startswith(".") for part in k.split("/"))}
    assert tree(repo / "themes/default") == shipped


def test_every_yaml_file_points_at_its_schema(repo: Path) -> None:
    files = sorted((repo / "projects").rglob("*.yml"))
    assert len(files) == len(FILE_MODELS)
    for path in files:
        first = path.read_text(encoding="utf-8").splitlines()[0]
        assert first.startswith("# yaml-language-server: $schema="), path
        schema = (path.parent / first.split("=", 1)[1]).resolve()
        assert schema == (repo / SCHEMAS_FOLDER / schema_name(path.name)).resolve()
        assert schema.read_bytes() == (SCHEMA_DIR / schema.name).read_bytes()
        assert schema_errors(path.name, typed(path)) == [], path


def test_pre_commit_and_ci_run_portal(repo: Path) -> None:
    (entry,) = yaml.safe_load((repo / ".pre-commit-config.yaml").read_text())["repos"]
    assert [hook["id"] for hook in entry["hooks"]] == ["portal-validate"]
    (hook,) = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    assert (hook["id"], hook["language"], hook["pass_filenames"]) == ("portal-validate", "python", False)
    assert hook["entry"] == "portal validate --staged", "work in progress that is not staged never blocks"
    workflow = yaml.safe_load((repo / ".github/workflows/portal.yml").read_text())
    assert set(workflow[True]) == {"pull_request", "push", "schedule"}  # YAML 1.1 reads `on` as True
    assert workflow[True]["push"]["branches"] == [BRANCH]
    check, publish = workflow["jobs"]["check"], workflow["jobs"]["publish"]
    assert "schedule" in publish["if"] or "!= 'pull_request'" in publish["if"], "a nightly build for the date"
    runs = "\n".join(step.get("run", "") for step in check["steps"])
    assert "portal validate" in runs and "portal build --out preview" in runs
    assert "portal diff" in runs and '>> "$GITHUB_STEP_SUMMARY"' in runs
    assert check["permissions"]["pull-requests"] == "write"
    assert any(step.get("uses", "").startswith("actions/github-script@") for step in check["steps"])
    assert any(step.get("uses", "").startswith("actions/upload-artifact@") for step in check["steps"])
    assert "portal publish --keys" in "\n".join(step.get("run", "") for step in publish["steps"])
    assert (publish["permissions"]["pages"], publish["permissions"]["id-token"]) == ("write", "write")
    assert any(step.get("uses", "").startswith("actions/deploy-pages@") for step in publish["steps"])
    assert "/site/" in (repo / ".gitignore").read_text()
    assert "transparency-portal" in (repo / "requirements.txt").read_text()
    assert "portal status add acme-corp/website-relaunch" in (repo / "README.md").read_text()


def publish_steps(repo: Path) -> list[dict[str, Any]]:
    """The steps of the generated workflow's publish job, in order."""
    workflow = yaml.safe_load((repo / ".github/workflows/portal.yml").read_text())
    return workflow["jobs"]["publish"]["steps"]


def step_running(steps: list[dict[str, Any]], command: str) -> int:
    """The index of the only step whose script runs `command`."""
    found = [i for i, step in enumerate(steps) if command in step.get("run", "")]
    assert len(found) == 1, f"{len(found)} steps run {command!r}"
    return found[0]


def test_ci_publish_restores_what_it_publishes_into_and_the_generator_cache(
        repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Without the versions published so far and the state beside them (.portal/), a deploy loses them."""
    steps = publish_steps(repo)
    publish = step_running(steps, "portal publish")
    argv = shlex.split(steps[publish]["run"].split("portal publish", 1)[1].splitlines()[0])
    dest = argv[argv.index("--dest") + 1]
    caches = [i for i, step in enumerate(steps) if step.get("uses", "").startswith("actions/cache@")]
    assert len(caches) == 1, "one actions/cache step restores and saves the versions"
    cache = caches[0]
    assert cache < publish, "restored before publishing, saved after it"
    options = steps[cache]["with"]
    paths = {Path(line.strip()) for line in options["path"].splitlines() if line.strip()}
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    generator_cache = cache_dir("any")
    assert generator_cache is not None
    assert paths == {Path(dest), Path(dest).parent / WORK_DIR,
                     Path("~") / generator_cache.parent.relative_to(tmp_path / "home")}
    key, restore = options["key"], options["restore-keys"].strip()
    assert key.startswith(restore), "the newest earlier entry is restored"
    # actions/cache saves nothing when its key exists: the nightly run of the day's last commit must save too
    assert "${{ github.run_id }}" in key and "${{ github.run_attempt }}" in key, "a new entry per run"


def test_init_into_an_existing_empty_folder(tmp_path: Path) -> None:
    init_portfolio(tmp_path, today=START)
    assert validate_portfolio(tmp_path / "projects")[1] == []


def test_init_refuses_a_folder_that_is_not_empty(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("mine\n")
    message = refusal(init_portfolio, tmp_path)
    assert f"{tmp_path} already exists and is not empty" in message
    assert "never overwrites" in message
    assert (tmp_path / "notes.txt").read_text() == "mine\n" and len(list(tmp_path.iterdir())) == 1
    assert "already exists" in refusal(init_portfolio, tmp_path / "notes.txt")


# --- portal new customer / project -------------------------------------------------------------


def test_new_customer_and_project_validate(repo: Path) -> None:
    run(repo, """
        new_customer(Path('projects'), 'acme-corp', 'Acme Corp')
        new_project(Path('projects'), 'acme-corp', 'website-relaunch')
        new_project(Path('projects'), 'acme-corp', 'app', 'Mobile app: phase 2')
    """)
    model, problems = validate_portfolio(repo / "projects")
    assert problems == [] and model is not None
    acme = model.customer("acme-corp")
    assert acme is not None and acme.info.name == "Acme Corp"
    assert {p.slug: p.info.name for p in acme.projects} == {
        "app": "Mobile app: phase 2", "website-relaunch": "Website relaunch"}
    assert sorted(p.name for p in (repo / "projects/acme-corp/app").iterdir()) == sorted(PROJECT_FILES)


def test_new_customer_in_a_portfolio_without_schemas_adds_them(tmp_path: Path) -> None:
    projects = write_portfolio(tmp_path, {})
    written = new_customer(projects, "globex")
    assert {p.name for p in written} == {schema_name(n) for n in FILE_MODELS} | {"customer.yml"}
    assert new_project(projects, "globex", "erp") == sorted(
        (projects / "globex/erp").iterdir(), key=lambda p: PROJECT_FILES.index(p.name))
    model, problems = validate_portfolio(projects)
    assert problems == [] and model is not None and model.customer("globex") is not None


@pytest.mark.parametrize(("call", "args", "expected"), [
    (new_customer, ("Acme Corp",),
     "portal: 'Acme Corp' is not a valid customer slug\n    hint: use lower-case letters, digits and "
     "hyphens, starting with a letter or digit (at most 63 characters), e.g. 'acme-corp'"),
    (new_customer, (CUSTOMER,),
     f"portal: customer '{CUSTOMER}' already exists: projects/{CUSTOMER}\n"
     f"    hint: pick another slug, or add a project with `portal new project {CUSTOMER}/SLUG`"),
    (new_project, ("example-custmer", "web"),
     "portal: no customer 'example-custmer' in projects\n    hint: did you mean 'example-customer'?"),
    (new_project, ("globex", "web"),
     f"portal: no customer 'globex' in projects\n    hint: known customers: {CUSTOMER}; "
     "add one with `portal new customer SLUG`"),
    (new_project, (CUSTOMER, "Web_Site"), "portal: 'Web_Site' is not a valid project slug"),
    (new_project, (CUSTOMER, "content"), "portal: 'content' cannot be a project slug"),
    (new_project, (CUSTOMER, "about"), "portal: 'about' cannot be a project slug: the portal's own pages"),
    (new_project, (f"../projects/{CUSTOMER}", "web"), f"portal: no customer '../projects/{CUSTOMER}'"),
    (new_project, (CUSTOMER, PROJECT),
     f"portal: project '{CUSTOMER}/{PROJECT}' already exists: projects/{CUSTOMER}/{PROJECT}\n"
     "    hint: pick another slug, or edit the files that are there"),
], ids=["bad-customer-slug", "customer-exists", "customer-typo", "customer-unknown", "bad-project-slug",
        "project-slug-content", "project-slug-about", "customer-path", "project-exists"])
def test_new_refuses(repo: Path, call: object, args: tuple[str, ...], expected: str) -> None:
    before = sorted(p for p in repo.rglob("*"))
    assert refusal(call, repo / "projects", *args).startswith(expected)
    assert sorted(p for p in repo.rglob("*")) == before


def test_new_refuses_without_a_projects_folder(tmp_path: Path) -> None:
    message = refusal(new_customer, tmp_path / "projects", "acme")
    assert "projects folder not found" in message and "portal init DIR" in message


# --- portal status add -------------------------------------------------------------------------


def status_path(repo: Path) -> Path:
    return repo / "projects" / CUSTOMER / PROJECT / "status.yml"


def updates(repo: Path) -> tuple:  # type: ignore[type-arg]
    model, problems = validate_portfolio(repo / "projects")
    assert problems == [] and model is not None
    return model.customers[0].projects[0].updates


def test_status_add_twice_appends_two_updates(repo: Path) -> None:
    path = status_path(repo)
    original = path.read_bytes()
    run(repo, f"""
        add_status(Path('projects'), '{CUSTOMER}', '{PROJECT}', date(2026, 12, 3))
        add_status(Path('projects'), '{CUSTOMER}', '{PROJECT}', date(2026, 12, 10))
    """)
    assert path.read_bytes().startswith(original)
    newest, middle, first = updates(repo)
    assert [u.date for u in (newest, middle, first)] == [date(2026, 12, 10), date(2026, 12, 3), START]
    assert middle.done == first.next and middle.next == [] and middle.health == first.health
    assert (middle.scope, middle.schedule, middle.budget) == (first.scope, first.schedule, first.budget)
    assert first.scope == "green"
    assert "since 2026-11-26" in middle.summary
    assert newest.done == [] and "since 2026-12-03" in newest.summary


STYLED = """\
# yaml-language-server: $schema=../../../.schemas/status.schema.json
# Our own comment, kept as written.
  -   date: 2026-11-12
      health: amber
      schedule: red
      summary: |-
        Two lines
        of summary.
      next:
      - "Checkout: payment provider"
      - |-
        A long item
        over two lines
      internal: not carried over
  -   {date: 2026-11-05, health: green, summary: Older update listed after}
"""


def test_status_add_matches_the_file_style_and_carries_the_newest(repo: Path) -> None:
    path = status_path(repo)
    path.write_text(STYLED, encoding="utf-8")
    assert add_status(repo / "projects", CUSTOMER, PROJECT, date(2026, 11, 19)) == path
    text = path.read_text(encoding="utf-8")
    assert text.startswith(STYLED)
    assert text[len(STYLED):].startswith("  -   date: 2026-11-19\n      health: amber\n      schedule: red\n")
    assert "      - \"Checkout: payment provider\"\n" in text[len(STYLED):]
    newest = updates(repo)[0]
    assert newest.done == ["Checkout: payment provider", "A long item\nover two lines"]
    assert (newest.health, newest.schedule, newest.scope, newest.internal) == ("amber", "red", None, None)


def test_status_add_prefills_from_the_update_before_the_date(repo: Path) -> None:
    add_status(repo / "projects", CUSTOMER, PROJECT, date(2026, 12, 10))
    add_status(repo / "projects", CUSTOMER, PROJECT, date(2026, 12, 3))  # a late entry in between
    by_date = {u.date: u for u in updates(repo)}
    assert by_date[date(2026, 12, 3)].done == by_date[START].next
    assert "since 2026-11-26" in by_date[date(2026, 12, 3)].summary
    in_file = [item["date"] for item in yaml.safe_load(status_path(repo).read_text())]
    assert in_file == [START, date(2026, 12, 3), date(2026, 12, 10)], "the file stays oldest first"


def test_status_add_creates_a_missing_file(repo: Path) -> None:
    status_path(repo).unlink()
    add_status(repo / "projects", CUSTOMER, PROJECT, START)
    assert status_path(repo).read_text().startswith("# yaml-language-server: $schema=../../../.schemas/")
    (update,) = updates(repo)
    assert (update.date, update.health, update.done, update.next) == (START, "green", [], [])


def test_status_add_extends_an_empty_list(repo: Path) -> None:
    status_path(repo).write_text("# nothing yet\n[]\n", encoding="utf-8")
    add_status(repo / "projects", CUSTOMER, PROJECT, START)
    assert status_path(repo).read_text().startswith("# nothing yet\n- date: 2026-11-26\n")
    assert len(updates(repo)) == 1


def test_status_add_refuses(repo: Path) -> None:
    projects = repo / "projects"
    before = status_path(repo).read_bytes()
    assert refusal(add_status, projects, CUSTOMER, PROJECT, START).startswith(
        f"portal: {CUSTOMER}/{PROJECT} already has a status update for 2026-11-26\n"
        f"    hint: edit it in projects/{CUSTOMER}/{PROJECT}/status.yml, or pass another date with --today")
    assert refusal(add_status, projects, CUSTOMER, "example-projet", START).startswith(
        f"portal: no project 'example-projet' for customer '{CUSTOMER}'\n"
        "    hint: did you mean 'example-project'?")
    assert "no customer 'nobody'" in refusal(add_status, projects, "nobody", PROJECT, START)
    assert status_path(repo).read_bytes() == before
    status_path(repo).write_text("- {date: 2026-11-20, health: yellow, summary: s}\n", encoding="utf-8")
    assert "health must be one of" in refusal(add_status, projects, CUSTOMER, PROJECT, date(2026, 12, 3))
    status_path(repo).write_text("[{date: 2026-11-20, health: red, summary: s}]\n", encoding="utf-8")
    assert "written as one [...] list" in refusal(add_status, projects, CUSTOMER, PROJECT, date(2026, 12, 3))


# --- values written into YAML read back as written ---------------------------------------------


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=40))
def test_any_text_reads_back_exactly(tmp_path_factory: pytest.TempPathFactory, text: str) -> None:
    path = tmp_path_factory.mktemp("scalar") / "x.yml"
    yaml_text = f"k: {_yaml_scalar(text, '  ')}\nl:\n  - {_yaml_scalar(text, '    ')}\n"
    path.write_text(yaml_text, encoding="utf-8")
    doc, problems = load_document(path.read_bytes(), "x.yml")
    assert problems == [] and doc is not None
    assert doc.data == {"k": text, "l": [text]}


def test_ci_notifies_customers_after_publishing_with_smtp_settings_as_secrets(repo: Path) -> None:
    """`portal notify` runs after Publish with the share links of the deployed, encrypted portals; its
    state file lives in .portal/, which the cache keeps between runs."""
    steps = publish_steps(repo)
    notify = step_running(steps, "portal notify")
    publish = next(i for i, step in enumerate(steps) if step.get("name") == "Publish")
    deploy = next(i for i, step in enumerate(steps) if step.get("id") == "deploy")
    assert notify > deploy > publish
    env = steps[notify]["env"]
    assert {"PORTAL_SMTP_USER", "PORTAL_SMTP_PASSWORD"} <= set(env)
    assert env.pop("PORTAL_BASE_URL") == "${{ steps.deploy.outputs.page_url }}"
    assert all(value.startswith("${{ secrets.") for value in env.values())
    argv = shlex.split(steps[notify]["run"].split("fi\n", 1)[1].replace("\\\n", " "))
    assert argv[:2] == ["portal", "notify"] and "--smtp" in argv and "--from" in argv
    assert argv[argv.index("--keys") + 1] == "$PORTAL_KEYS" and "--base-url" in argv
    state = Path(argv[argv.index("--state") + 1])
    cache = next(step for step in steps if step.get("uses", "").startswith("actions/cache@"))
    assert state.parts[0] in cache["with"]["path"].split(), "the record of what was sent survives the run"
