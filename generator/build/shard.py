"""Split customers across CI jobs: deterministic, and even by size rather than by count."""

from __future__ import annotations

import re
from pathlib import Path

from generator.portfolio.errors import PortalError


def parse_shard(text: str) -> tuple[int, int]:
    """`I/N` (1-based) -> (I, N), or a PortalError saying how to write it."""
    match = re.fullmatch(r"(\d+)/(\d+)", text.strip())
    if not match or not 1 <= int(match[1]) <= int(match[2]):
        raise PortalError(f"--shard {text!r} is not I/N with 1 <= I <= N", "e.g. --shard 2/4")
    return int(match[1]), int(match[2])


def folder_size(folder: Path) -> int:
    """Bytes of input below a customer folder: a good proxy for its build time."""
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def shard_of(sizes: dict[str, int], index: int, count: int) -> list[str]:
    """The slugs of shard `index` of `count`: largest first onto the least-loaded shard."""
    loads = [0] * count
    members: list[list[str]] = [[] for _ in range(count)]
    for slug in sorted(sizes, key=lambda s: (-sizes[s], s)):
        target = min(range(count), key=lambda i: (loads[i], i))
        loads[target] += sizes[slug]
        members[target].append(slug)
    return sorted(members[index - 1])
