"""Output that is never half-written: a lock per output folder, staging folders and atomic swaps.

Everything a build keeps about an output folder OUT lives beside it, in the
hidden folder `.portal/` (never inside OUT, which is served): the lock
`OUT.lock`, the state `OUT.state.json` and the staging folders
`OUT.staging.<pid>`. Being beside OUT, they are on its filesystem, so a
staged portal moves into OUT with one rename.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import fcntl
import os
import re
import shutil
import signal
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from generator.portfolio.errors import PortalError

_AT_FDCWD = -100
_RENAME_EXCHANGE = 2
_PR_SET_PDEATHSIG = 1
_libc = ctypes.CDLL(ctypes.util.find_library("c") or None, use_errno=True)
_renameat2 = getattr(_libc, "renameat2", None)
WORK_DIR = ".portal"
"""The hidden folder beside an output folder that holds its lock, state and staging folders."""
POLL_SECONDS = 0.2
_held_lock: int | None = None
"""This process's lock file descriptor while it holds an output lock (closed in forked workers)."""


def replace_dir(new: Path, target: Path, trash: Path) -> None:
    """Put folder `new` at `target` in one step; the old target (if any) ends up at `trash`.

    Linux's renameat2(RENAME_EXCHANGE) swaps both names atomically, so a
    reader or a kill at any moment sees the whole old or the whole new folder.
    Elsewhere two renames leave a moment in which `target` is missing.
    """
    if not target.exists():
        new.rename(target)
        return
    if _renameat2 is not None and sys.platform.startswith("linux"):
        if _renameat2(_AT_FDCWD, bytes(new), _AT_FDCWD, bytes(target), _RENAME_EXCHANGE) == 0:
            new.rename(trash)
            return
    target.rename(trash)
    new.rename(target)


def beside(out_dir: Path, suffix: str) -> Path:
    """`.portal/<out>.<suffix>` beside `out_dir`; the folder is made, and git told to ignore it."""
    out = out_dir.resolve()
    work = out.parent / WORK_DIR
    if not work.is_dir():
        work.mkdir(parents=True, exist_ok=True)
        (work / ".gitignore").write_text("# made by `portal build`: never committed\n*\n", encoding="utf-8")
    return work / f"{out.name}.{suffix}"


def _started(pid: int) -> str | None:
    """When process `pid` started (clock ticks since boot), None when there is no such process.

    With the pid it names one process for good: a pid reused later has another start.
    """
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return None
        except PermissionError:
            pass
        return "?"  # no /proc: alive, start unknown
    fields = stat[stat.rfind(")") + 2:].split()
    return None if fields[0] in "ZX" else fields[19]


def _owner() -> str:
    return f"{os.getpid()} {_started(os.getpid())}"


def _alive(owner: str) -> bool:
    """Whether the build that wrote `owner` ("pid start") in a lock file still runs."""
    parts = owner.split()
    if len(parts) != 2 or not parts[0].isdigit():
        return False
    started = _started(int(parts[0]))
    return started is not None and (started == parts[1] or "?" in (started, parts[1]))


def _lock(path: Path, out_dir: Path, wait: bool) -> int:
    """A descriptor of `path` holding its exclusive lock, with this build's pid written in it.

    A lock whose build is dead (its orphaned workers may still hold it) is
    taken over: the file is replaced, and whoever locks the new one owns it.
    """
    told = False
    while True:
        fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            owner = os.pread(fd, 100, 0).decode(errors="replace")
            if owner and not _alive(owner):
                _take_over(fd, path, f"taking over the lock of {out_dir} from build {owner.split()[0]}, "
                           "which is no longer running")
                continue
            os.close(fd)
            if not wait:
                raise PortalError(f"another build is writing to {out_dir}",
                                  "wait for it to finish, or use another --out") from None
            if not told:
                print(f"waiting for another build writing to {out_dir} ...", file=sys.stderr, flush=True)
                told = True
            time.sleep(POLL_SECONDS)
            continue
        try:
            same = os.fstat(fd).st_ino == path.stat().st_ino
        except FileNotFoundError:
            same = False
        if not same:  # another build took the lock over meanwhile: lock the file that is there now
            os.close(fd)
            continue
        os.ftruncate(fd, 0)
        os.pwrite(fd, _owner().encode(), 0)
        return fd


def _take_over(fd: int, path: Path, message: str) -> None:
    """Remove the lock file `fd` was opened from, unless another build replaced it already; close fd.

    Takeovers are one at a time (a lock on the folder), so two builds never
    both remove a lock file and both think they hold the new one.
    """
    folder = os.open(path.parent, os.O_RDONLY | os.O_CLOEXEC)
    try:
        fcntl.flock(folder, fcntl.LOCK_EX)
        try:
            if os.fstat(fd).st_ino == path.stat().st_ino:
                print(message, file=sys.stderr, flush=True)
                path.unlink()
        except FileNotFoundError:
            pass
    finally:
        os.close(folder)
        os.close(fd)


def _stale_staging(work: Path, out_name: str) -> Iterator[Path]:
    """The staging folders of `out_name` whose build is dead (another output's are never touched)."""
    pattern = re.compile(re.escape(out_name) + r"\.staging\.(\d+)")
    for folder in work.iterdir():
        match = pattern.fullmatch(folder.name)
        if match and _started(int(match[1])) is None:
            yield folder


@contextmanager
def output_lock(out_dir: Path, wait: bool = True) -> Iterator[Path]:
    """Hold the lock of `out_dir` (one writer at a time) and give a fresh staging folder beside it.

    Staging folders left by a killed build of the same `out_dir` are removed once the lock is ours.
    """
    global _held_lock
    lock_path = beside(out_dir, "lock")
    fd = _lock(lock_path, out_dir, wait)
    _held_lock = fd
    try:
        for stale in _stale_staging(lock_path.parent, out_dir.resolve().name):
            shutil.rmtree(stale, ignore_errors=True)
        staging = beside(out_dir, f"staging.{os.getpid()}")
        shutil.rmtree(staging, ignore_errors=True)
        staging.mkdir()
        try:
            yield staging
        finally:
            shutil.rmtree(staging, ignore_errors=True)
    finally:
        _held_lock = None
        os.close(fd)


def worker_started(parent: int) -> None:
    """Run first in every forked worker: die with the build, and hold none of its locks.

    The kernel kills the worker when the build process dies (Linux
    PR_SET_PDEATHSIG), so a killed build leaves no worker behind; the lock
    descriptor the fork copied is closed, so a worker never keeps an output locked.
    """
    global _held_lock
    if sys.platform.startswith("linux"):
        _libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if os.getppid() != parent:  # the build died before the line above: nobody waits for this worker
        os._exit(1)
    if _held_lock is not None:
        os.close(_held_lock)
        _held_lock = None
