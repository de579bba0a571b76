"""Output that is never half-written: a lock per output folder and atomic folder swaps."""

from __future__ import annotations

import ctypes
import ctypes.util
import fcntl
import os
import shutil
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from generator.portfolio.errors import PortalError

_AT_FDCWD = -100
_RENAME_EXCHANGE = 2
_libc = ctypes.CDLL(ctypes.util.find_library("c") or None, use_errno=True)
_renameat2 = getattr(_libc, "renameat2", None)
STAGING_PREFIX = ".portal-staging-"


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


@contextmanager
def output_lock(out_dir: Path, wait: bool = True) -> Iterator[Path]:
    """Hold the lock of `out_dir` (one writer at a time) and give a fresh staging folder beside it.

    Staging folders left by a killed build are removed once the lock is ours.
    """
    parent = out_dir.resolve().parent
    parent.mkdir(parents=True, exist_ok=True)
    lock_path = parent / f".{out_dir.name}.lock"
    with open(lock_path, "a+") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            if not wait:
                raise PortalError(f"another build is writing to {out_dir}",
                                  "wait for it to finish, or use another --out") from None
            print(f"waiting for another build writing to {out_dir} ...", file=sys.stderr, flush=True)
            fcntl.flock(handle, fcntl.LOCK_EX)
        prefix = f"{STAGING_PREFIX}{out_dir.name}-"
        for stale in parent.glob(prefix + "*"):
            shutil.rmtree(stale, ignore_errors=True)
        staging = parent / f"{prefix}{os.getpid()}"
        staging.mkdir()
        try:
            yield staging
        finally:
            shutil.rmtree(staging, ignore_errors=True)
