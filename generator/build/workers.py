"""The build's worker processes: they die with the build, hold no lock, and one that dies is named.

A worker killed on its own (the out-of-memory killer, an operator) breaks
the pool; the build then stops with one line naming the customer that worker
was building, and --out is left as it was.
"""

from __future__ import annotations

import os
import signal
from collections.abc import Callable, Iterator
from concurrent.futures import Executor, as_completed
from contextlib import contextmanager
from pathlib import Path
from types import FrameType
from typing import Any, TypeVar

from generator.build.atomic import worker_started
from generator.portfolio.errors import PortalError

T = TypeVar("T")
_marks: Path | None = None
"""In a worker: the folder where a file named by its pid holds the customer it is working on."""


def _start(parent: int, marks: Path) -> None:
    global _marks
    worker_started(parent)
    _marks = marks
    signal.signal(signal.SIGTERM, _stopped)


def _stopped(_signal: int, _frame: FrameType | None) -> None:
    """The pool stops the other workers when one died: they are not the one to name."""
    if _marks is not None:
        (_marks / str(os.getpid())).unlink(missing_ok=True)
    os._exit(1)


def _marked(function: Callable[..., T], slug: str, *args: Any) -> T:
    """function(*args), with a mark saying that this worker is working on `slug` meanwhile."""
    mark = _marks / str(os.getpid()) if _marks is not None else None
    if mark:
        mark.write_text(slug, encoding="utf-8")
    try:
        return function(*args)
    finally:
        if mark:
            mark.unlink(missing_ok=True)


def parallel(
    function: Callable[..., T], tasks: dict[str, tuple[Any, ...]], pool: Executor | None,
) -> Iterator[T]:
    """function(*task) for every customer's task, in this process or in the pool's warm workers."""
    if pool is None or len(tasks) <= 1:
        yield from (function(*task) for task in tasks.values())
        return
    for future in as_completed([pool.submit(_marked, function, slug, *task) for slug, task in tasks.items()]):
        yield future.result()


@contextmanager
def workers(jobs: int, tasks: int, marks: Path) -> Iterator[Executor | None]:
    """A pool of forked worker processes when more than one portal is built at once.

    `marks` is an empty folder the workers say in what they are working on.
    """
    if jobs <= 1 or tasks <= 1:
        yield None
        return
    import multiprocessing  # here: a one-portal build (the usual CI case) never loads it
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    marks.mkdir(exist_ok=True)
    try:
        with ProcessPoolExecutor(max_workers=min(jobs, tasks), mp_context=multiprocessing.get_context("fork"),
                                 initializer=_start, initargs=(os.getpid(), marks)) as pool:
            yield pool
    except BrokenProcessPool:
        slugs = sorted(mark.read_text(encoding="utf-8") for mark in marks.iterdir())
        which = " or ".join(repr(slug) for slug in slugs) or "a customer"
        raise PortalError(f"the build of {which} stopped: its worker process died "
                          "(killed, or out of memory?)",
                          "nothing was published: --out is as it was; build again, "
                          "with fewer --jobs if memory is short") from None
