"""`portal demo DIR`: a portfolio repository with a scripted history, built, so every page shows real history.

Twelve weekly status commits of one project, written from the templates in
demo_templates/ (package data) and dated relative to the day it runs, so the
demo never ages: a slip with its reason, a question asked, answered late and
another overdue, a change request proposed then approved, a decision
superseded, a milestone cancelled, health going amber and back. Commit dates
are set with GIT_AUTHOR_DATE/GIT_COMMITTER_DATE, so history reads as if the
project manager had committed every week.
"""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import jinja2

from generator.portfolio.errors import PortalError

TEMPLATES = Path(__file__).parent / "demo_templates"
"""One template per file of the demo customer; each renders the state of week `w`."""
CUSTOMER = "lakeside"
PROJECT = "shop-relaunch"
WEEKS = 12
"""Status commits, one a week, the last on the day the demo is written."""
PLAN_AGREED_DAYS = 14
"""The plan (project `start`) was agreed this many days before the first status commit."""
AUTHOR = ("Sam Lee", "sam.lee@brightwork.example")
PROJECT_FILES = ("project.yml", "plan.yml", "status.yml", "questions.yml", "changes.yml", "decisions.yml")
SUBJECTS = (
    "Kick-off", "M1 done", "Ask which payment providers (Q-1)", "M2 slips two weeks",
    "Q-1 answered", "M2 slip reason: checkout page", "CR-1 proposed; hosting moves to AWS (D-2)",
    "M2 signed off; CR-1 approved", "Ask for the Adyen details (Q-2)", "M5 cancelled (D-3)",
    "Q-2 overdue", "Weekly update",
)
"""One commit message per week (seen only in the team's view)."""


@dataclass(frozen=True)
class Demo:
    """What `write_demo` made."""

    repo: Path
    projects: Path
    """The portfolio folder to build (`DIR/projects`)."""
    commits: int


@functools.cache
def _environment() -> jinja2.Environment:
    return jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), undefined=jinja2.StrictUndefined,
                              keep_trailing_newline=True, trim_blocks=True, lstrip_blocks=True,
                              autoescape=False)


def week_day(today: date, week: int) -> date:
    """The day of the status commit of `week` (0 = the first): the last one is `today`."""
    return today - timedelta(days=7 * (WEEKS - 1 - week))


def render_week(today: date, week: int) -> dict[str, str]:
    """Every file of the demo customer as it stood at `week`: relative path -> YAML text."""
    start = week_day(today, 0) - timedelta(days=PLAN_AGREED_DAYS)
    context = {"w": week, "d": lambda days: (start + timedelta(days=days)).isoformat(),
               "week": lambda n: week_day(today, n).isoformat()}
    env = _environment()
    files = {"customer.yml": env.get_template("customer.yml.j2").render(context)}
    for name in PROJECT_FILES:
        files[f"{PROJECT}/{name}"] = env.get_template(f"{name}.j2").render(context)
    return files


def _git(repo: Path, *args: str, day: date | None = None) -> None:
    env = {**os.environ, "GIT_AUTHOR_NAME": AUTHOR[0], "GIT_AUTHOR_EMAIL": AUTHOR[1],
           "GIT_COMMITTER_NAME": AUTHOR[0], "GIT_COMMITTER_EMAIL": AUTHOR[1]}
    if day is not None:
        env["GIT_AUTHOR_DATE"] = env["GIT_COMMITTER_DATE"] = f"{day.isoformat()}T09:00:00+00:00"
    try:
        subprocess.run(["git", "-c", "commit.gpgsign=false", "-c", "init.defaultBranch=main", *args],
                       cwd=repo, env=env, check=True, capture_output=True, text=True)
    except FileNotFoundError:
        raise PortalError("git is not installed", hint="install git, then run `portal demo` again") from None
    except subprocess.CalledProcessError as err:
        raise PortalError(f"git {args[0]} failed in {repo}: {err.stderr.strip()}") from None


def write_demo(dest: Path, today: date) -> Demo:
    """A new git repository at `dest` holding the demo portfolio, one commit per week up to `today`."""
    if dest.exists() and any(dest.iterdir()):
        raise PortalError(f"{dest} is not empty", hint="name a new folder, e.g. `portal demo demo-portfolio`")
    dest.mkdir(parents=True, exist_ok=True)
    folder = dest / "projects" / CUSTOMER
    try:
        _git(dest, "init", "-q")
        for week in range(WEEKS):
            for name, text in render_week(today, week).items():
                (folder / name).parent.mkdir(parents=True, exist_ok=True)
                (folder / name).write_text(text, encoding="utf-8", newline="\n")
            _git(dest, "add", "-A", "projects")
            _git(dest, "commit", "-q", "-m", SUBJECTS[week], day=week_day(today, week))
    except PortalError:
        shutil.rmtree(dest, ignore_errors=True)
        raise
    return Demo(dest, dest / "projects", WEEKS)
