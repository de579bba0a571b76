"""`portal demo DIR`: a portfolio repository with twelve weeks of scripted history, built (issue 14, §6)."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from tests.test_build import page_text, run

TODAY = "2027-03-02"


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("demo") / "portfolio"
    done = run("demo", str(target), "--today", TODAY)
    assert done.returncode == 0, done.stderr
    assert "12 weekly commits" in done.stdout and "site/lakeside/index.html" in done.stdout
    return target


def git_log(repo: Path) -> list[str]:
    env = {**os.environ, "GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": os.devnull}
    out = subprocess.run(["git", "log", "--format=%cs %as"], cwd=repo, env=env, capture_output=True,
                         text=True, check=True).stdout
    return out.split("\n")[:-1]


def test_twelve_weekly_commits_up_to_the_day_it_runs(demo: Path) -> None:
    log = git_log(demo)
    assert len(log) == 12
    assert log[0] == f"{TODAY} {TODAY}" and log[-1].startswith("2026-12-15")  # eleven weeks before


def test_the_demo_validates_and_its_portal_tells_the_story(demo: Path) -> None:
    assert run("validate", "--projects", str(demo / "projects")).returncode == 0
    site = demo / "site" / "lakeside"
    history = page_text(site / "shop-relaunch" / "history.html")
    assert "Design sign-off: forecast moved from" in history and "third review round" in history  # a slip
    assert "Which payment providers must work at launch? Our shortlist is: answered on" in history
    assert "Add a store locator with a map: opened" in history
    assert "Add a store locator with a map: approved on" in history
    assert "Host the front end on Netlify: status Accepted → Superseded by D-2" in history
    assert "overall health Green → Amber" in history and "overall health Amber → Green" in history
    assert "Legacy blog archive migration: status Planned → Cancelled" in history
    home = page_text(site / "index.html")
    assert "overdue by 7 days" in home  # the question asked two weeks ago, due a week ago
    assert "baseline" in history and "No milestone history to chart yet" not in history


def test_a_demo_never_overwrites_a_folder(tmp_path: Path) -> None:
    (tmp_path / "keep.txt").write_text("mine", encoding="utf-8")
    done = run("demo", str(tmp_path), "--today", TODAY)
    assert done.returncode == 1 and "is not empty" in done.stderr
    assert (tmp_path / "keep.txt").read_text(encoding="utf-8") == "mine"
