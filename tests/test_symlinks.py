"""One customer per portal, under attack: symbolic links between customers, out of the portfolio and
in loops, in the working tree and in git history. The commands run as a PM runs them; what a
customer would get is read from the built portals."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from generator.history.gitstates import LINK_MODE, Checkout, GitError, GitFile
from tests.conftest import EXAMPLE, REPO, TODAY
from tests.test_build import all_files, page_text, run
from tests.test_history import Repo

HARBOR_APP = "harbor-health/patient-app"
OUTSIDE = "Zebra ostrich mauve: text from outside the portfolio"

ATTACKS = [
    ("projects/northwind/content/leak.md", f"../../{HARBOR_APP}/status.yml"),  # Harbor's raw YAML as a page
    ("projects/northwind/website-relaunch/risks.yml", f"../../{HARBOR_APP}/risks.yml"),  # as Northwind's
    ("projects/northwind/mobile-app", f"../{HARBOR_APP}"),  # a whole project of Harbor's
    ("content/harbor.md", f"../projects/{HARBOR_APP}/status.yml"),  # Harbor's YAML in every portal
    ("content/outside.md", "../../outside/notes.md"),  # a file from outside the portfolio in every portal
    ("themes/default/overrides/assets/x.txt", f"../../../../projects/{HARBOR_APP}/status.yml"),  # an asset
]
"""The attacker's links: where each is, and what it points at as written."""


def copy_example(root: Path) -> Path:
    """The example portfolio with its own content/ and themes/, as a repository holds them."""
    shutil.copytree(EXAMPLE, root / "portfolio" / "projects", symlinks=True)
    for shared in ("content", "themes"):
        shutil.copytree(REPO / shared, root / "portfolio" / shared, symlinks=True)
    shutil.copyfile(REPO / "mkdocs.yml", root / "portfolio" / "mkdocs.yml")
    (root / "outside").mkdir()
    (root / "outside" / "notes.md").write_text(f"# Notes\n\n{OUTSIDE}\n", encoding="utf-8")
    return root / "portfolio" / "projects"


def problem_paths(stderr: str) -> set[str]:
    """The paths of the problems a command printed (`path: message` or `path:line:col: message`)."""
    return {match[1] for match in re.finditer(r"^(\S+?)(?::\d+:\d+)?: .*symbolic link", stderr, re.M)}


def test_an_attackers_links_are_each_reported_at_their_path_and_nothing_is_published(tmp_path: Path) -> None:
    projects = copy_example(tmp_path)
    out = tmp_path / "site"
    first = run("build", "--projects", str(projects), "--out", str(out), "--today", TODAY)
    assert first.returncode == 0, first.stderr
    before = all_files(out)
    for link, target in ATTACKS:
        path = projects.parent / link
        if path.exists():
            path.unlink()
        path.symlink_to(target)

    checked = run("validate", "--projects", str(projects))
    assert checked.returncode == 1 and "Traceback" not in checked.stderr
    assert problem_paths(checked.stderr) == {link for link, _ in ATTACKS}, checked.stderr
    assert "projects/northwind/content/leak.md: symbolic link points into the folder of customer " \
           "'harbor-health'\n    hint: copy the file instead of linking it" in checked.stderr
    assert "content/outside.md: symbolic link points outside the portfolio" in checked.stderr

    built = run("build", "--projects", str(projects), "--out", str(out), "--today", TODAY, "--force")
    assert built.returncode == 1 and "Traceback" not in built.stderr
    assert problem_paths(built.stderr) == {link for link, _ in ATTACKS}, built.stderr
    assert all_files(out) == before, "--out is exactly as the last good build left it"


@pytest.mark.parametrize(("link", "target"), ATTACKS, ids=[a[0] for a in ATTACKS])
def test_each_link_out_of_a_customers_files_stops_the_build(tmp_path: Path, link: str, target: str) -> None:
    projects = copy_example(tmp_path)
    path = projects.parent / link
    if path.exists():
        path.unlink()
    path.symlink_to(target)
    out = tmp_path / "site"
    built = run("build", "--projects", str(projects), "--out", str(out), "--today", TODAY)
    assert built.returncode == 1 and "Traceback" not in built.stderr
    assert f"{link}: symbolic link points " in built.stderr
    assert not out.exists()


@pytest.mark.parametrize("loop", ["projects/northwind/content/loop.md",
                                  "projects/northwind/website-relaunch/risks.yml",
                                  "content/loop.md", "mkdocs.yml", "themes/default/overrides/loop.css"])
def test_a_symlink_loop_is_a_problem_at_its_path_never_a_traceback(tmp_path: Path, loop: str) -> None:
    projects = copy_example(tmp_path)
    path = projects.parent / loop
    if path.exists():
        path.unlink()
    path.symlink_to(path.name)
    for command in (["validate"], ["build", "--out", str(tmp_path / "site"), "--today", TODAY]):
        result = run(*command, "--projects", str(projects))
        assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
        assert f"{loop}: symbolic link loops back on itself" in result.stderr


def test_a_loop_of_two_links_and_a_folder_loop_are_problems_not_tracebacks(tmp_path: Path) -> None:
    projects = copy_example(tmp_path)
    content = projects / "northwind" / "content"
    (content / "a.md").symlink_to("b.md")
    (content / "b.md").symlink_to("a.md")
    (projects / "northwind" / "again").symlink_to(".")  # a folder that holds itself
    result = run("validate", "--projects", str(projects))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "projects/northwind/content/a.md: symbolic link loops back on itself" in result.stderr
    assert "projects/northwind/content/b.md: symbolic link loops back on itself" in result.stderr
    assert "projects/northwind/again/again: unknown folder 'again'" in result.stderr


# --- git history: no past commit leaks another customer's file, and none stops today's build ---

ACME = {"acme/customer.yml": "name: Acme Corp\n", "acme/web/project.yml": "name: Website relaunch\n",
        "acme/web/status.yml": "- {date: 2026-10-01, health: green, summary: Kick-off done.}\n"}
ABBEY_SECRET = "Abbey board approved the Initech takeover"
ABBEY = {"abbey/customer.yml": "name: Abbey Clinics\n", "abbey/web/project.yml": "name: Abbey web\n",
         "abbey/web/status.yml": f"- {{date: 2026-10-01, health: green, summary: {ABBEY_SECRET}.}}\n"}
"""Another customer, whose folder git writes out before Acme's."""
UPDATE = "- {date: 2026-10-20, health: amber, summary: Design handed over.}\n"


def _build(repo: Repo, out: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    return run("build", "--projects", str(repo.projects), "--out", str(out), "--today", TODAY, *extra)


@pytest.mark.parametrize("bad", ["loop", "folder-loop", "other-customer", "outside"])
def test_a_bad_link_in_a_past_commit_is_skipped_and_never_stops_a_later_build(tmp_path: Path,
                                                                              bad: str) -> None:
    repo = Repo(tmp_path / "repo")
    repo.commit("2026-10-01", "Start", {**ACME, **ABBEY})
    where, target = {"loop": ("content/page.md", "page.md"), "folder-loop": ("web/again", "."),
                     "other-customer": ("web/status.yml", "../../abbey/web/status.yml"),
                     "outside": ("content/page.md", "../../../../../../../../../../etc/hostname")}[bad]
    link = repo.projects / "acme" / where
    link.parent.mkdir(exist_ok=True)
    link.unlink(missing_ok=True)
    link.symlink_to(target)
    bad_commit = repo.commit("2026-10-10", "A bad link", {})
    link.unlink()
    repo.commit("2026-10-20", "Link removed; weekly update",
                {"acme/web/status.yml": ACME["acme/web/status.yml"] + UPDATE})

    out = tmp_path / "site"
    built = _build(repo, out)
    assert built.returncode == 0, built.stderr
    history = page_text(out / "acme" / "history.html")
    assert "Design handed over" in history
    assert ABBEY_SECRET not in (out / "acme" / "feed.xml").read_text(encoding="utf-8") + history

    team = _build(repo, tmp_path / "team", "--audience", "team")
    assert team.returncode == 0, team.stderr
    team_history = page_text(tmp_path / "team" / "acme" / "history.html")
    assert f"commit {bad_commit[:10]} (2026-10-10) skipped" in team_history

    diff = run("diff", "HEAD~1", cwd=repo.projects.parent)  # never Abbey's status read as Acme's
    assert diff.returncode == 1 and "Traceback" not in diff.stderr, diff.stdout + diff.stderr
    assert "acme at HEAD~1 does not validate, so there is nothing to compare with: " \
           f"projects/acme/{where}: " in diff.stderr


def test_a_past_state_git_cannot_write_out_is_skipped_and_diff_says_so(tmp_path: Path) -> None:
    """A crafted commit (a name no file system accepts) cannot be read: skipped, named in the team view."""
    repo = Repo(tmp_path / "repo")
    repo.commit("2026-10-01", "Start", ACME)
    crafted = _crafted_commit(repo, _git_input(repo, "# A page\n", "hash-object", "-w", "--stdin"))
    repo.git("update-ref", "HEAD", crafted)  # the work tree cannot hold it: the next commit removes it
    repo.commit("2026-10-20", "Weekly update", {"acme/web/status.yml": ACME["acme/web/status.yml"] + UPDATE})

    out = tmp_path / "team"
    built = _build(repo, out, "--audience", "team")
    assert built.returncode == 0, built.stderr
    text = page_text(out / "acme" / "history.html")
    assert f"commit {crafted[:10]} (2026-10-10) skipped: it could not be read" in text
    assert "Design handed over" in text

    diff = run("diff", "HEAD~1", cwd=repo.projects.parent)
    assert diff.returncode == 1 and "Traceback" not in diff.stderr, diff.stderr
    assert "acme at HEAD~1 could not be read, so there is nothing to compare with" in diff.stderr


def _git_input(repo: Repo, text: str, *args: str) -> str:
    """`git ARGS` in the repository with `text` on its standard input; its output, stripped."""
    return subprocess.run(["git", *args], input=text, text=True, capture_output=True, cwd=repo.root,
                          env=repo.env, check=True).stdout.strip()


def _crafted_commit(repo: Repo, blob: str) -> str:
    """HEAD's tree plus acme/content/<a name too long for any file system>, committed on 2026-10-10."""
    def tree(entries: str) -> str:
        return _git_input(repo, entries, "mktree")

    def entries(rev: str) -> str:
        return repo.git("ls-tree", rev)

    content = tree(f"100644 blob {blob}\t{'x' * 300}.md\n")
    acme = tree(entries("HEAD:portfolio/projects/acme") + f"040000 tree {content}\tcontent\n")
    projects = tree(re.sub(r"^040000 tree \S+\tacme$", f"040000 tree {acme}\tacme",
                           entries("HEAD:portfolio/projects"), flags=re.M))
    portfolio = tree(re.sub(r"\S+\tprojects$", f"{projects}\tprojects", entries("HEAD:portfolio"),
                            flags=re.M))
    root = tree(re.sub(r"\S+\tportfolio$", f"{portfolio}\tportfolio", entries("HEAD"), flags=re.M))
    stamp = "2026-10-10T12:00:00+00:00"
    return repo.git("commit-tree", root, "-p", "HEAD", "-m", "Crafted",
                    env={"GIT_AUTHOR_DATE": stamp, "GIT_COMMITTER_DATE": stamp}).strip()


class _Blobs:
    """The one thing a Checkout asks of git: a blob's bytes (here, the id is the content)."""

    def blob(self, sha: str) -> bytes:
        return sha.encode()


def test_a_crafted_tree_cannot_make_history_write_through_a_link_out_of_its_folder(tmp_path: Path) -> None:
    """Git never stores `web` as a link and `web/x` as a file at once, but a crafted tree can."""
    outside = tmp_path / "outside"
    outside.mkdir()
    checkout = Checkout(_Blobs(), tmp_path / "scratch" / "acme")  # type: ignore[arg-type]
    with pytest.raises(GitError, match="a folder on its path is a symbolic link"):
        checkout.show({"web": GitFile(LINK_MODE, str(outside)), "web/status.yml": GitFile("100644", "- x")})
    assert list(outside.iterdir()) == []
    checkout.reset()
    checkout.show({"web/status.yml": GitFile("100644", "- x")})
    assert (tmp_path / "scratch" / "acme" / "web" / "status.yml").read_text() == "- x"
