"""Faults injected into running builds: a killed build, a killed worker, builds side by side.

Whatever happens to one build, the next one succeeds promptly and --out is
never half-written. Every build runs as a subprocess with a timeout, so a hang
fails its test instead of the suite; whatever a test started is killed by pid.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import EXAMPLE, REPO, TODAY
from tests.test_build import all_files

PROMPTLY = 90
"""Seconds any build here may take (the portfolio below builds in a few seconds)."""
CUSTOMERS = ("acme", "globex", "harbor-health", "northwind")


@pytest.fixture
def projects(tmp_path: Path) -> Path:
    """The example portfolio and two small customers: four portals, so two workers stay busy."""
    projects = tmp_path / "projects"
    shutil.copytree(EXAMPLE, projects)
    for slug, name in (("acme", "Acme Corp"), ("globex", "Globex Industries")):
        (projects / slug / "web").mkdir(parents=True)
        (projects / slug / "customer.yml").write_text(f"name: {name}\n")
        (projects / slug / "web" / "project.yml").write_text("name: Website\n")
    return projects


def _command(projects: Path, out: Path, *extra: str) -> list[str]:
    return [sys.executable, "-m", "generator", "build", "--projects", str(projects), "--out", str(out),
            "--today", TODAY, *extra]


def _env() -> dict[str, str]:
    return {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONPATH": str(REPO)}


def _start(projects: Path, out: Path, *extra: str) -> subprocess.Popen[str]:
    return subprocess.Popen(_command(projects, out, *extra), env=_env(), text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def _build(projects: Path, out: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    try:
        return subprocess.run(_command(projects, out, *extra), env=_env(), capture_output=True, text=True,
                              timeout=PROMPTLY, check=False)
    except subprocess.TimeoutExpired as hung:
        pytest.fail(f"a build into {out.name} did not finish within {PROMPTLY} s: {hung.stderr!r}")


def _running(marker: str) -> list[int]:
    """Live processes (no zombies) whose command line holds `marker`: builds and their forked workers."""
    pids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and int(entry.name) != os.getpid():
            with contextlib.suppress(OSError):
                if marker in (entry / "cmdline").read_text(errors="replace") \
                        and "zombie" not in (entry / "status").read_text():
                    pids.append(int(entry.name))
    return pids


@contextlib.contextmanager
def reaping(marker: str) -> Iterator[None]:
    """At the end, kill by pid whatever is still running from this test."""
    try:
        yield
    finally:
        for pid in _running(marker):
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)


def _wait_for(condition, proc: subprocess.Popen[str], what: str) -> None:
    deadline = time.monotonic() + PROMPTLY
    while not condition():
        assert proc.poll() is None, f"the build ended before {what}: {proc.communicate()}"
        assert time.monotonic() < deadline, f"no {what} within {PROMPTLY} s"
        time.sleep(0.01)


def _workers_of(proc: subprocess.Popen[str]) -> list[int]:
    try:
        return [int(p) for p in Path(f"/proc/{proc.pid}/task/{proc.pid}/children").read_text().split()]
    except OSError:
        return []


def _kill_a_busy_worker(folder: Path) -> bool:
    """SIGKILL a worker while it works on a customer, as the out-of-memory killer would.

    Workers say what they work on in a file named by their pid (generator/build/workers.py).
    """
    for mark in folder.glob(".portal/*.staging.*/.workers/*"):
        with contextlib.suppress(ProcessLookupError, ValueError):
            os.kill(int(mark.name), signal.SIGKILL)
            return True
    return False


def _next_build_succeeds(projects: Path, out: Path) -> None:
    result = _build(projects, out)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert all((out / slug / "index.html").is_file() for slug in CUSTOMERS)


@pytest.mark.parametrize("delay", [0.0, 0.5])
def test_killing_the_main_process_alone_leaves_no_worker_and_no_lock(
        projects: Path, tmp_path: Path, delay: float) -> None:
    out = tmp_path / "site"
    with reaping(str(tmp_path)):
        proc = _start(projects, out, "--jobs", "2", "--force")
        _wait_for(lambda: len(_workers_of(proc)) == 2, proc, "two workers")
        time.sleep(delay)
        os.kill(proc.pid, signal.SIGKILL)  # the main process only, not its group
        proc.communicate(timeout=PROMPTLY)
        deadline = time.monotonic() + 10
        while _running(str(tmp_path)) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert _running(str(tmp_path)) == [], "workers outlived the build that started them"
        _next_build_succeeds(projects, out)


def test_a_killed_worker_is_one_line_naming_its_customer_and_out_is_untouched(
        projects: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    assert _build(projects, out).returncode == 0
    before = all_files(out)
    with reaping(str(tmp_path)):
        proc = _start(projects, out, "--jobs", "2", "--force")
        _wait_for(lambda: _kill_a_busy_worker(tmp_path), proc, "a worker at work")
        stdout, stderr = proc.communicate(timeout=PROMPTLY)
    assert proc.returncode == 1, stdout + stderr
    assert "Traceback" not in stderr and "BrokenProcessPool" not in stderr, stderr
    lines = [line for line in stderr.splitlines() if "worker process died" in line]
    assert len(lines) == 1, stderr
    assert any(f"'{slug}'" in lines[0] for slug in CUSTOMERS), lines[0]
    assert all_files(out) == before
    _next_build_succeeds(projects, out)


def test_a_lock_kept_by_an_orphan_of_a_dead_build_is_taken_over(projects: Path, tmp_path: Path) -> None:
    """A build killed while one of its processes lives on (without PR_SET_PDEATHSIG: not Linux)."""
    out = tmp_path / "site"
    orphan = textwrap.dedent(f"""
        import os, sys, time
        from pathlib import Path
        from generator.build.atomic import output_lock
        with output_lock(Path({str(out)!r})):
            if os.fork() == 0:  # the child keeps the lock's descriptor, as a forked worker does
                time.sleep(300)
            os._exit(0)  # the build dies
    """)
    with reaping(str(tmp_path)):
        subprocess.run([sys.executable, "-c", orphan, str(tmp_path)], env=_env(), timeout=PROMPTLY,
                       check=True)
        assert _running(str(tmp_path)), "the orphan holding the lock runs"
        result = _build(projects, out)
    assert result.returncode == 0, result.stderr
    assert "is no longer running" in result.stderr


def test_builds_into_sibling_folders_at_once_leave_each_other_alone(projects: Path, tmp_path: Path) -> None:
    """`site`'s build must not take `site-2`'s staging folder for one of its own."""
    def staging_of_site_2() -> bool:
        return any("site-2" in p.name and "staging" in p.name for p in tmp_path.rglob("*staging*"))

    with reaping(str(tmp_path)):
        second = _start(projects, tmp_path / "site-2", "--jobs", "1")
        _wait_for(staging_of_site_2, second, "staging folder of site-2")
        first = _start(projects, tmp_path / "site", "--jobs", "1")
        results = {"site": first.communicate(timeout=PROMPTLY),
                   "site-2": second.communicate(timeout=PROMPTLY)}
    assert (first.returncode, second.returncode) == (0, 0), results
    for out in ("site", "site-2"):
        assert all((tmp_path / out / slug / "index.html").is_file() for slug in CUSTOMERS), out
    assert not any("staging" in p.name for p in tmp_path.rglob("*")), "staging folders left behind"


def test_the_served_folder_holds_only_portals_and_an_old_state_file_is_moved_out(
        projects: Path, tmp_path: Path) -> None:
    """A host serving --out must not list every customer's name in a build state file."""
    out = tmp_path / "site"
    assert _build(projects, out).returncode == 0
    assert sorted(p.name for p in out.iterdir()) == sorted(CUSTOMERS)
    state = next(p for p in tmp_path.rglob("*state*") if p.is_file())
    state.rename(out / ".portal-state.json")  # where earlier versions kept it (a restored CI cache)
    result = _build(projects, out)
    assert result.returncode == 0 and "0 built, 4 unchanged" in result.stdout, result.stdout + result.stderr
    assert sorted(p.name for p in out.iterdir()) == sorted(CUSTOMERS)


def test_git_add_all_picks_up_no_lock_or_state(projects: Path, tmp_path: Path) -> None:
    """The scaffold's .gitignore ignores /site/; what the build keeps beside it must stay out of git too."""
    def git(*args: str) -> str:
        return subprocess.run(["git", *args], cwd=tmp_path, capture_output=True, text=True, check=True).stdout

    git("init", "-q")
    (tmp_path / ".gitignore").write_text("/site/\n")
    assert _build(projects, tmp_path / "site").returncode == 0
    git("add", "-A")
    staged = git("diff", "--cached", "--name-only").splitlines()
    assert [name for name in staged if not name.startswith("projects/")] == [".gitignore"]
