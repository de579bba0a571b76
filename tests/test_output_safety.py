"""Nothing lost, nothing mixed: killed builds, concurrent builds and reproducible output."""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from generator.build.atomic import output_lock
from tests.conftest import EXAMPLE, TODAY
from tests.test_build import all_files, run

BUILD = [sys.executable, "-m", "generator", "build"]


def _portals(out: Path) -> dict[str, dict[Path, bytes]]:
    return {p.name: all_files(p) for p in sorted(out.iterdir()) if p.is_dir()}


@pytest.fixture
def two_versions(tmp_path: Path):
    """A portfolio, its built portals, and the portals of an edited version of it."""
    projects = tmp_path / "projects"
    shutil.copytree(EXAMPLE, projects)
    old_out, new_out = tmp_path / "site", tmp_path / "expected-new"
    assert run("build", "--projects", str(projects), "--out", str(old_out), "--today", TODAY).returncode == 0
    for status in projects.glob("*/*/status.yml"):
        status.write_text(status.read_text() + "- date: 2026-11-26\n  health: green\n  summary: Edited.\n")
    assert run("build", "--projects", str(projects), "--out", str(new_out), "--today", TODAY).returncode == 0
    return projects, old_out, _portals(old_out), _portals(new_out)


@pytest.mark.slow
def test_build_killed_at_random_moments_never_leaves_a_mixed_portal(two_versions) -> None:
    projects, out, old, new = two_versions
    rng = random.Random(7)
    start = time.monotonic()
    subprocess.run([*BUILD, "--projects", str(projects), "--out", str(out.parent / "timing"),
                    "--today", TODAY, "--jobs", "1"], check=True, capture_output=True)
    duration = time.monotonic() - start
    for attempt in range(4):
        delay = rng.uniform(0.05, duration * 0.7)
        proc = subprocess.Popen([*BUILD, "--projects", str(projects), "--out", str(out), "--today", TODAY,
                                 "--jobs", "1", "--force"],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        now = _portals(out)
        assert now == old, f"attempt {attempt}: killed after {delay:.2f}s of {duration:.2f}s changed --out"
    # The next build cleans up what the killed ones left and completes.
    result = run("build", "--projects", str(projects), "--out", str(out), "--today", TODAY, "--force")
    assert result.returncode == 0, result.stderr
    assert _portals(out) == new
    assert [p.name for p in (out.parent / ".portal").glob("*.staging.*")] == []


@pytest.mark.slow
def test_two_builds_into_one_output_wait_for_each_other(two_versions) -> None:
    """Both builds start while a third writer holds --out: each says it waits, then they finish one after
    the other (holding the lock here makes the overlap certain, however fast the machine)."""
    projects, out, _, new = two_versions
    with output_lock(out):
        procs = [subprocess.Popen([*BUILD, "--projects", str(projects), "--out", str(out), "--today", TODAY,
                                   "--force", "--jobs", "1"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                  text=True) for _ in range(2)]
        said = [p.stderr.readline() for p in procs if p.stderr]  # each blocks until its build says something
    outputs = [p.communicate(timeout=300) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], outputs
    assert all("waiting for another build" in line for line in said), said
    assert _portals(out) == new


def test_a_failing_customer_leaves_every_portal_as_it_was(two_versions) -> None:
    projects, out, old, _ = two_versions
    last = sorted(p for p in projects.iterdir() if p.is_dir())[-1]
    (last / "customer.yml").write_text("name: [broken\n")
    result = run("build", "--projects", str(projects), "--out", str(out), "--today", TODAY, "--force")
    assert result.returncode == 1 and "YAML syntax error" in result.stderr
    assert _portals(out) == old


def test_same_source_date_epoch_gives_identical_output(tmp_path: Path) -> None:
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1795000000"}
    for name in ("a", "b"):
        result = run("build", "--projects", str(EXAMPLE), "--out", str(tmp_path / name), env=env)
        assert result.returncode == 0, result.stderr
    assert _portals(tmp_path / "a") == _portals(tmp_path / "b")
