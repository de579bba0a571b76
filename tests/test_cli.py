"""The commands as a project manager runs them: subprocesses in temporary folders."""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import EXAMPLE, TODAY, fill_placeholders
from tests.test_build import page_text, run


def test_init_gives_a_portfolio_that_validates_and_builds(tmp_path: Path) -> None:
    target = tmp_path / "portfolio"
    result = run("init", str(target), "--today", TODAY)
    assert result.returncode == 0, result.stderr
    for name in ("mkdocs.yml", "content", "themes/default", ".pre-commit-config.yaml",
                 ".github/workflows/portal.yml", ".schemas/status.schema.json"):
        assert (target / name).exists(), name
    first = next(target.glob("projects/*/*/status.yml")).read_text()
    assert first.startswith("# yaml-language-server: $schema=")
    team = run("build", "--today", TODAY, "--audience", "team", cwd=target)
    assert team.returncode == 0, team.stderr
    fill_placeholders(target / "projects")
    assert run("validate", cwd=target).returncode == 0
    built = run("build", "--today", TODAY, cwd=target)
    assert built.returncode == 0, built.stderr
    assert list((target / "site").glob("*/index.html"))
    again = run("init", str(target))
    assert again.returncode == 1 and "already exists and is not empty" in again.stderr


def test_new_customer_and_project_then_status_add(tmp_path: Path) -> None:
    target = tmp_path / "p"
    assert run("init", str(target), "--today", TODAY).returncode == 0
    assert run("new", "customer", "globex", "--name", "Globex Inc", cwd=target).returncode == 0
    assert run("new", "project", "globex/mobile-app", "--today", TODAY, cwd=target).returncode == 0
    added = run("status", "add", "globex/mobile-app", "--today", "2026-12-03", cwd=target)
    assert added.returncode == 0, added.stderr
    status = target / "projects/globex/mobile-app/status.yml"
    assert "2026-12-03" in status.read_text()
    fill_placeholders(target / "projects")
    assert run("validate", cwd=target).returncode == 0
    twice = run("status", "add", "globex/mobile-app", "--today", "2026-12-03", cwd=target)
    assert twice.returncode == 1 and "2026-12-03" in twice.stderr
    bad = run("new", "customer", "Globex_2", cwd=target)
    assert bad.returncode == 1 and "Traceback" not in bad.stderr
    built = run("build", "--today", "2026-12-03", "--customer", "globex", cwd=target)
    assert built.returncode == 0, built.stderr
    assert "Globex Inc" in page_text(target / "site/globex/index.html")


def test_placeholders_are_refused_for_customers_at_their_line(tmp_path: Path) -> None:
    """What `new` and `status add` leave to write never reaches a customer: validate and build say where."""
    target = tmp_path / "p"
    assert run("init", str(target), "--today", TODAY).returncode == 0
    fill_placeholders(target / "projects")
    assert run("new", "customer", "globex", cwd=target).returncode == 0
    assert run("status", "add", "example-customer/example-project", "--today", "2026-12-03",
               cwd=target).returncode == 0
    checked = run("validate", cwd=target)
    assert checked.returncode == 1
    found = re.findall(r"^(\S+): (\w+) still holds the scaffold placeholder '([^']+)'\n    hint: .*",
                       checked.stderr, re.M)
    assert [(where.split(":", 1)[0], field, marker) for where, field, marker in found] == [
        ("projects/example-customer/example-project/status.yml", "summary", "TODO:"),
        ("projects/globex/customer.yml", "name", "Alex Placeholder"),
        ("projects/globex/customer.yml", "email", "alex.placeholder@example.com")]
    status = (target / "projects/example-customer/example-project/status.yml").read_text().splitlines()
    line = int(found[0][0].split(":")[1])
    assert "summary: \"TODO:" in status[line - 1]
    built = run("build", "--today", TODAY, cwd=target)
    assert built.returncode == 1 and "placeholder" in built.stderr
    assert not (target / "site").exists()
    team = run("build", "--today", TODAY, "--audience", "team", cwd=target)
    assert team.returncode == 0, team.stderr
    assert f"warning: {found[0][0]}: summary still holds the scaffold placeholder 'TODO:'" in team.stderr


def test_schema_writes_one_file_per_type(tmp_path: Path) -> None:
    result = run("schema", "--out", str(tmp_path / "s"))
    assert result.returncode == 0
    names = sorted(p.name for p in (tmp_path / "s").iterdir())
    assert names == sorted(f"{t}.schema.json" for t in (
        "customer", "project", "status", "plan", "decisions", "questions", "changes", "risks", "feedback"))
    assert json.loads((tmp_path / "s/status.schema.json").read_text())["type"] == "array"


def test_errors_are_one_line_each_without_traceback(tmp_path: Path) -> None:
    result = run("validate", "--projects", str(tmp_path / "missing"))
    assert result.returncode == 1
    assert "projects folder not found" in result.stderr and "Traceback" not in result.stderr
    assert result.stderr.strip().splitlines()[-1] == "error: 1 problem found"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _fetch(url: str, until: str, server: subprocess.Popen[str], timeout: float = 90) -> str:
    deadline = time.monotonic() + timeout
    body = ""
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise AssertionError(f"the server stopped: {server.communicate()}")
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                body = response.read().decode()
        except OSError as err:
            body = str(getattr(err, "read", lambda: b"")().decode() if hasattr(err, "read") else err)
        if until in body:
            return body
        time.sleep(0.5)
    raise AssertionError(f"{until!r} not served at {url} within {timeout}s; last: {body[:300]}")


@pytest.mark.slow
def test_serve_rebuilds_on_change_and_shows_problems_instead_of_dying(tmp_path: Path) -> None:
    target = tmp_path / "p"
    assert run("init", str(target), "--today", TODAY).returncode == 0
    customer = next(p.name for p in (target / "projects").iterdir())
    port = _free_port()
    temp = tmp_path / "tmp"
    temp.mkdir()
    server = subprocess.Popen([sys.executable, "-m", "generator", "serve", customer, "--port", str(port),
                               "--today", TODAY], cwd=target, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              text=True, env={**os.environ, "TMPDIR": str(temp)})
    try:
        url = f"http://127.0.0.1:{port}/index.html"
        _fetch(url, "livereload", server)
        customer_yml = target / "projects" / customer / "customer.yml"
        original = customer_yml.read_text()
        customer_yml.write_text(original + "\nname2: typo\n")
        broken = _fetch(url, "problem", server)
        assert "unknown key" in broken and "customer.yml" in broken
        customer_yml.write_text(re.sub(r"^name:.*$", "name: Renamed Customer", original, flags=re.M))
        fixed = _fetch(url, "Renamed Customer", server)
        assert "problem" not in fixed.lower().split("<body")[0]
        assert server.poll() is None, "the server must survive a validation error"
    finally:
        server.terminate()
        _, err = server.communicate(timeout=30)
    assert "unknown key 'name2'" in err
    assert list(temp.iterdir()) == [], "stopped by SIGTERM, the server removes its temporary folder"


OUTPUT_SCHEMA = json.loads((Path(__file__).parent.parent / "docs/cli-output.schema.json").read_text())


def _report(done: subprocess.CompletedProcess[str], command: str) -> dict:
    """The one JSON document a command printed, held to the published schema."""
    import jsonschema

    report = json.loads(done.stdout)
    jsonschema.validate(report, OUTPUT_SCHEMA)
    assert report["command"] == command and report["ok"] is (done.returncode == 0)
    return report


def _git(root: Path, *args: str) -> None:
    subprocess.run(["git", "-c", "user.name=PM", "-c", "user.email=pm@vendor.example", "-c",
                    "commit.gpgsign=false", *args], cwd=root, check=True, capture_output=True)


def test_json_output_for_machines(tmp_path: Path) -> None:
    from tests.conftest import EXAMPLE, write_portfolio

    ok = _report(run("validate", "--projects", str(EXAMPLE), "--format", "json"), "validate")
    assert ok["result"]["customers"] == 2 and ok["problems"] == [] and ok["schema_version"] == 1
    defect = "- date: 2026-11-20\n  health: blue\n  summary: s\n"
    broken = write_portfolio(tmp_path, {"acme/web/status.yml": defect})
    bad = run("validate", "--projects", str(broken), "--format", "json")
    assert bad.returncode == 1
    message = "health must be one of 'green', 'amber' or 'red', not 'blue'"
    assert _report(bad, "validate")["problems"] == [
        {"path": "projects/acme/web/status.yml", "line": 2, "column": 11, "message": message, "hint": None}]
    assert _report(bad, "validate")["result"] is None
    built = run("build", "--projects", str(EXAMPLE), "--out", str(tmp_path / "o"), "--today", TODAY,
                "--format", "json", "--customer", "harbor-health")
    assert built.returncode == 0, built.stderr
    assert _report(built, "build")["result"]["built"] == ["harbor-health"]
    failed = run("build", "--projects", str(broken), "--out", str(tmp_path / "o2"), "--format", "json")
    assert failed.returncode == 1 and _report(failed, "build")["problems"][0]["message"] == message


def test_every_command_prints_the_published_json_shape(tmp_path: Path) -> None:
    from tests.conftest import write_portfolio

    first = "- {date: 2026-11-20, health: green, summary: s}\n"
    projects = write_portfolio(tmp_path, {"acme/web/status.yml": first})
    _git(tmp_path, "init", "-q", "-b", "main")
    _git(tmp_path, "add", "-A")
    _git(tmp_path, "commit", "-q", "-m", "start")
    (projects / "acme/web/risks.yml").write_text(
        "- {id: R1, title: Vendor lock-in, likelihood: low, impact: high, visibility: internal}\n")
    (projects / "acme/web/status.yml").write_text(
        "- {date: 2026-11-20, health: green, summary: s}\n- {date: 2026-11-27, health: red, summary: t}\n")
    diff = _report(run("diff", "--projects", str(projects), "--format", "json"), "diff")
    assert [(c["kind"], c["old"], c["new"]) for c in diff["result"]["changes"]] == [
        ("health-changed", "green", "red")]
    team = run("diff", "--projects", str(projects), "--audience", "team")
    assert team.stdout.count("2026-11-27") == 1, team.stdout  # the health change, once
    internal = [line for line in team.stdout.splitlines() if line.startswith("- [internal] ")]
    assert len(internal) == 1 and "R1" in internal[0], team.stdout
    assert "[internal]" not in run("diff", "--projects", str(projects)).stdout
    no_ref = run("diff", "no-such-ref", "--projects", str(projects), "--format", "json")
    assert no_ref.returncode == 1 and _report(no_ref, "diff")["problems"][0]["hint"]
    dest = tmp_path / "pub"
    published = run("publish", "--projects", str(projects), "--dest", str(dest), "--version", "v1",
                    "--today", TODAY, "--format", "json")
    assert _report(published, "publish")["result"]["published"] == ["acme"], published.stderr
    again = run("publish", "--projects", str(projects), "--dest", str(dest), "--version", "v1",
                "--today", TODAY, "--format", "json")
    assert again.returncode == 1 and _report(again, "publish")["problems"]


def test_summaries_count_in_words(tmp_path: Path) -> None:
    from tests.conftest import write_portfolio

    projects = write_portfolio(tmp_path, {})
    assert run("validate", "--projects", str(projects)).stdout == "ok: 1 customer, 1 project, 0 items\n"
    published = run("publish", "--projects", str(projects), "--dest", str(tmp_path / "pub"),
                    "--version", "v1", "--today", TODAY)
    assert published.stdout.splitlines()[-1].startswith("ok: version v1 of 1 portal in ")
    (projects / "acme/customer.yml").write_text("name: Acme\ncontacts:\n  - {name: J, email: j@acme.test, "
                                                "notify: [digest]}\n")
    told = run("notify", "--projects", str(projects), "--state", str(tmp_path / "state.json"),
               "--dry-run", str(tmp_path / "mail"), "--today", TODAY)
    assert told.stdout.splitlines()[-1].startswith("ok: 1 message written to "), told.stderr


@pytest.mark.parametrize("command", [["build", "--customer", "../x"], ["serve", "../x"],
                                     ["build", "--customer", "Acme"], ["status", "add", "../x/web"]])
def test_a_customer_named_like_a_path_is_refused(tmp_path: Path, command: list[str]) -> None:
    from tests.conftest import write_portfolio

    projects = write_portfolio(tmp_path, {})
    (tmp_path / "x").mkdir()
    result = run(*command, "--projects", str(projects), "--today", TODAY)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert not (tmp_path / "site").exists()


def test_a_profiler_gets_its_results_written(tmp_path: Path) -> None:
    """portal leaves without tearing the interpreter down, except when a tool must write its results."""
    profile = tmp_path / "portal.prof"
    done = subprocess.run([sys.executable, "-m", "cProfile", "-o", str(profile), "-m", "generator",
                           "validate", "--projects", str(EXAMPLE)], capture_output=True, text=True)
    assert done.returncode == 0 and done.stdout.startswith("ok:"), done.stderr
    assert profile.stat().st_size > 0
