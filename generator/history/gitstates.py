"""Git plumbing for history: which commits touched a folder, and that folder's files at each one.

The only module that runs git. Every call is an explicit argument list with
`check=False`; a failure becomes a `GitUnavailable` (no history at all) or a
`GitError` (a request that cannot be answered), never a traceback.

Reading many states must stay fast on hundreds of commits, so one long-lived
`git cat-file --batch` process answers every tree and blob request, trees are
flattened once per tree id (an unchanged project folder costs nothing), and
`Checkout` rewrites only the files that differ from the state it shows now.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from types import TracebackType
from typing import IO, NamedTuple

from generator.history.names import Said
from generator.i18n.translate import N_

TREE_MODE = "40000"
LINK_MODE = "120000"
GITLINK_MODE = "160000"
"""A submodule entry: a commit of another repository, not a file here."""

_SEP = "\x1f"
_END = "\x1e"
_LOG_FORMAT = _SEP.join(["%H", "%aI", "%cI", "%an", "%s"]) + _END

_CONFIG = ("-c", "log.showSignature=false", "-c", "log.follow=false", "-c", "i18n.logOutputEncoding=UTF-8")
"""User settings that would change what `git log` prints are switched off."""
_ENV = {"GIT_TERMINAL_PROMPT": "0", "GIT_OPTIONAL_LOCKS": "0", "LC_ALL": "C"}
"""Never prompt, never take locks other engineers' git commands would trip over, plain messages."""


class GitUnavailable(Exception):
    """No history can be read at all; `note` is the short note shown instead."""

    def __init__(self, note: Said) -> None:
        super().__init__(note)
        self.note = note


class GitError(Exception):
    """A git request failed although the repository exists (bad ref, broken object)."""


@dataclass(frozen=True)
class Repo:
    """A work tree and where the portfolio's projects folder sits in it."""

    root: Path
    prefix: str
    """The projects folder relative to `root`, in git's `a/b` spelling; "" at the root."""
    shallow: bool
    """A shallow clone (CI often fetches depth 1): older history is missing."""
    head: str
    """The commit checked out (HEAD) when the repository was found."""

    def path_of(self, *parts: str) -> str:
        """A path below the projects folder in git's spelling, e.g. `portfolio/projects/acme`."""
        return "/".join(p for p in (self.prefix, *parts) if p)

    def pathspec(self) -> list[str]:
        """The projects folder as git arguments: nothing when it is the whole work tree."""
        return [self.path_of() + "/"] if self.prefix else []

    def folder_of(self, path: str) -> str:
        """The folder directly in the projects folder that a repository path lies in."""
        return path.removeprefix(self.prefix + "/" if self.prefix else "").split("/", 1)[0]


@dataclass(frozen=True)
class Commit:
    """One commit as history shows it."""

    sha: str
    authored: datetime
    """When the author wrote the change (their time zone)."""
    committed: datetime
    """When the change landed on the branch (after any rebase); orders history."""
    author: str
    subject: str


class GitFile(NamedTuple):
    """A file entry of a tree: its mode (regular, executable, link) and blob id."""

    mode: str
    sha: str


def _git(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Run `git -C root args...` and capture its text output; raises GitUnavailable without git."""
    try:
        return subprocess.run(
            ["git", "-C", str(root), *_CONFIG, *args],
            capture_output=True, text=True, encoding="utf-8", errors="replace",
            check=False, env={**os.environ, **_ENV},
        )
    except OSError as err:
        raise GitUnavailable(Said(N_("History is not available: git could not be run."))) from err


def find_repo(projects_dir: Path) -> Repo:
    """The repository holding `projects_dir`, or GitUnavailable saying why there is none."""
    if shutil.which("git") is None:
        raise GitUnavailable(Said(N_("History is not available: git is not installed.")))
    if not projects_dir.is_dir():
        raise GitUnavailable(Said(N_("History is not available: the projects folder does not exist.")))
    found = _git(projects_dir, "rev-parse", "--show-toplevel", "--show-prefix", "--is-shallow-repository")
    lines = found.stdout.splitlines()
    if "dubious ownership" in found.stderr:
        raise GitUnavailable(Said(N_("History is not available: git refuses to read a repository owned by "
                                     "another user (see `git config --global safe.directory`).")))
    if found.returncode != 0 or len(lines) != 3:
        raise GitUnavailable(Said(N_("History is not available: the portfolio is not in a git repository.")))
    root = Path(lines[0])
    head = _git(root, "rev-parse", "--verify", "-q", "HEAD^{commit}")
    if head.returncode != 0:
        raise GitUnavailable(Said(N_("History is not available: the repository has no commits yet.")))
    return Repo(root=root, prefix=lines[1].strip("/"), shallow=lines[2].strip() == "true",
                head=head.stdout.strip())


def resolve_commit(repo: Repo, ref: str) -> str | None:
    """The commit id `ref` names, or None when it names no commit."""
    if not ref or ref.startswith("-") or "\n" in ref:
        return None
    found = _git(repo.root, "rev-parse", "--verify", "-q", "--end-of-options", f"{ref}^{{commit}}")
    return found.stdout.strip() if found.returncode == 0 else None


def list_commits(repo: Repo, folder: str, head: str = "HEAD") -> list[Commit]:
    """Commits of the branch's first-parent line that changed `folder`, newest first.

    First parent only: that line is the sequence of states the branch really
    published, and a merged branch counts as one change, when it was merged.
    """
    found = _git(
        repo.root, "--literal-pathspecs", "log", "--first-parent", "--no-color",
        f"--format={_LOG_FORMAT}", head, "--", folder + "/",
    )
    if found.returncode != 0:
        raise GitError(f"git log failed: {found.stderr.strip() or 'no message'}")
    commits = []
    for record in found.stdout.split(_END):
        fields = record.strip("\n").split(_SEP)
        if len(fields) == 5:
            sha, authored, committed, author, subject = fields
            commits.append(Commit(sha, datetime.fromisoformat(authored),
                                  datetime.fromisoformat(committed), author, subject))
    return commits


def _parse_tree(data: bytes, hash_bytes: int) -> list[tuple[str, str, str]]:
    """A raw tree object -> (mode, name, hex id) entries."""
    entries = []
    at = 0
    while at < len(data):
        space = data.index(b" ", at)
        nul = data.index(b"\0", space)
        mode = data[at:space].decode()
        name = data[space + 1:nul].decode("utf-8", errors="surrogateescape")
        sha = data[nul + 1:nul + 1 + hash_bytes].hex()
        entries.append((mode, name, sha))
        at = nul + 1 + hash_bytes
    return entries


class ObjectReader:
    """One `git cat-file --batch` process answering tree and blob requests in turn."""

    def __init__(self, repo: Repo) -> None:
        self._proc = subprocess.Popen(
            ["git", "-C", str(repo.root), "cat-file", "--batch"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
            env={**os.environ, **_ENV},
        )
        self._flat: dict[str, dict[str, GitFile]] = {}

    def __enter__(self) -> ObjectReader:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        self.close()

    def close(self) -> None:
        """End the git process."""
        if self._proc.stdin:
            self._proc.stdin.close()
        try:
            self._proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self._proc.kill()
            self._proc.wait()
        if self._proc.stdout:
            self._proc.stdout.close()

    def _pipes(self) -> tuple[IO[bytes], IO[bytes]]:
        if self._proc.stdin is None or self._proc.stdout is None:
            raise GitError("git cat-file is not running")
        return self._proc.stdin, self._proc.stdout

    def read(self, name: str) -> tuple[str, str, bytes] | None:
        """(id, type, content) of the object `name` (an id or `rev:path`), or None if missing."""
        stdin, stdout = self._pipes()
        try:
            stdin.write(name.encode("utf-8", errors="surrogateescape") + b"\n")
            stdin.flush()
        except BrokenPipeError as err:
            raise GitError("git cat-file stopped") from err
        header = stdout.readline().split()
        if len(header) != 3:
            if not header:
                raise GitError("git cat-file stopped")
            return None
        sha, kind, size = (h.decode() for h in header)
        data = stdout.read(int(size))
        stdout.read(1)
        return sha, kind, data

    def entries(self, name: str) -> list[tuple[str, str, str]] | None:
        """The (mode, name, id) entries of the tree `name`, or None when it is not a tree."""
        found = self.read(name)
        if found is None or found[1] != "tree":
            return None
        sha, _, data = found
        return _parse_tree(data, len(sha) // 2)

    def files(self, name: str) -> dict[str, GitFile] | None:
        """Every file below the tree `name`, by path relative to it; None when it is not a tree."""
        found = self.read(name)
        if found is None or found[1] != "tree":
            return None
        return self._flatten(found[0], found[2])

    def _flatten(self, sha: str, data: bytes) -> dict[str, GitFile]:
        if sha in self._flat:
            return self._flat[sha]
        flat: dict[str, GitFile] = {}
        for mode, name, child in _parse_tree(data, len(sha) // 2):
            if mode == TREE_MODE:
                sub = self.read(child)
                if sub is None:
                    raise GitError(f"tree {child} is missing from the repository")
                flat.update({f"{name}/{path}": f for path, f in self._flatten(child, sub[2]).items()})
            elif mode != GITLINK_MODE:
                flat[name] = GitFile(mode, child)
        self._flat[sha] = flat
        return flat

    def blob(self, sha: str) -> bytes:
        """The content of a blob."""
        found = self.read(sha)
        if found is None:
            raise GitError(f"blob {sha} is missing from the repository")
        return found[2]


class Checkout:
    """A folder kept equal to successive file sets, rewriting only what changed."""

    def __init__(self, reader: ObjectReader, folder: Path) -> None:
        self._reader = reader
        self.folder = folder
        self._shown: dict[str, GitFile] = {}

    def show(self, files: dict[str, GitFile]) -> None:
        """Make the folder hold exactly `files` (path relative to the folder -> blob)."""
        files = {path: f for path, f in files.items() if _safe(path)}
        for path in sorted(p for p in self._shown if files.get(p) != self._shown[p]):
            self._remove(path)
        for path in sorted(p for p in files if self._shown.get(p) != files[p]):
            self._write(path, files[path])
        self._shown = files

    def reset(self) -> None:
        """Empty the folder after a failed `show`, so the next one writes every file afresh."""
        shutil.rmtree(self.folder, ignore_errors=True)
        self._shown = {}

    def _remove(self, path: str) -> None:
        target = self.folder / path
        target.unlink(missing_ok=True)
        parent = target.parent
        while parent != self.folder and parent.is_dir() and not any(parent.iterdir()):
            parent.rmdir()
            parent = parent.parent

    def _write(self, path: str, file: GitFile) -> None:
        target = self.folder / path
        if not target.parent.resolve().is_relative_to(self.folder.resolve()):
            raise GitError(f"{path}: a folder on its path is a symbolic link (a crafted tree)")
        target.parent.mkdir(parents=True, exist_ok=True)
        data = self._reader.blob(file.sha)
        if file.mode == LINK_MODE:
            target.symlink_to(os.fsdecode(data))
        else:
            target.write_bytes(data)


def _safe(path: str) -> bool:
    """Paths from a tree stay inside the folder (git refuses `..`, but trees can be crafted)."""
    return all(part not in ("", ".", "..") and "\\" not in part for part in path.split("/"))


def folder_trees(repo: Repo, head: str = "HEAD") -> dict[str, str]:
    """Tree id at `head` of every folder directly in the projects folder, in one git call.

    A customer folder's tree id changes exactly when a commit changes its content.
    """
    found = _git(repo.root, "--literal-pathspecs", "ls-tree", head, "--", *repo.pathspec())
    if found.returncode != 0:
        return {}
    trees = {}
    for line in found.stdout.splitlines():
        meta, _, path = line.partition("\t")
        parts = meta.split()
        if len(parts) == 3 and parts[1] == "tree":
            trees[repo.folder_of(path)] = parts[2]
    return trees


def touched_folders(repo: Repo, since: str) -> set[str] | None:
    """Folders directly in the projects folder that a first-parent commit between `since` and HEAD
    changed, either way (a rewritten branch's dropped commits too), in one git call.

    A change and its revert leave a folder's tree as it was, yet both are
    history. None when `since` is no commit of this repository.
    """
    found = _git(repo.root, "--literal-pathspecs", "log", "--first-parent", "--format=", "--name-only",
                 "--no-renames", f"{since}...HEAD", "--", *repo.pathspec())
    if found.returncode != 0:
        return None
    return {repo.folder_of(path) for path in found.stdout.splitlines() if path}


def changed_folders(repo: Repo) -> set[str] | None:
    """Folders directly in the projects folder whose files differ from HEAD, in one git call.

    Edited, staged, deleted, untracked and ignored files all count. None when
    git cannot tell (then every folder's files must be read).
    """
    found = _git(repo.root, "--literal-pathspecs", "status", "--porcelain=v1", "-z", "--no-renames",
                 "--untracked-files=all", "--ignored=matching", "--", *repo.pathspec())
    if found.returncode != 0:
        return None
    return {repo.folder_of(entry[3:]) for entry in found.stdout.split("\0") if len(entry) > 3}

