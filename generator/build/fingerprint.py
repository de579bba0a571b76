"""Content hashes of everything that reaches a portal, so unchanged portals are not rebuilt.

A portal's fingerprint covers its customer folder, the shared content/,
its theme, the base mkdocs.yml, the generator's own code, the audience and
the build date. The fingerprints of the last successful build are kept
beside OUT, in `.portal/OUT.state.json` (not inside OUT: a host serving OUT
would show every customer's name).
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from generator.build.atomic import beside
from generator.digest import generator_digest, hash_tree
from generator.files import write_text

LEGACY_STATE = ".portal-state.json"
"""Where earlier builds kept the state: inside OUT. Read once, then moved beside it."""
_COMMIT = re.compile(r"[0-9a-f]{40}|[0-9a-f]{64}")
"""A commit id as git writes it (SHA-1 or SHA-256); anything else in a state file is ignored."""
STATE_VERSION = 2


def shared_digest(paths: Iterable[Path | None], extra: Iterable[str]) -> str:
    """The hash of what every portal shares (generator, base config, content, themes, settings)."""
    digest = hashlib.sha256(generator_digest().encode())
    for i, path in enumerate(paths):
        hash_tree(digest, path, f"shared{i}")
    for item in extra:
        digest.update(f"\0{item}".encode())
    return digest.hexdigest()


def fingerprint(customer_dir: Path | None, shared: str, extra: Iterable[str] = ()) -> str:
    """The hash of one portal's inputs: its folder's files, the shared digest and its own settings.

    customer_dir None: the folder's content is vouched for by an item of `extra` (its git tree id).
    """
    digest = hashlib.sha256(shared.encode())
    hash_tree(digest, customer_dir, "customer")
    for item in extra:
        digest.update(f"\0{item}".encode())
    return digest.hexdigest()


@dataclass(frozen=True)
class State:
    """What the last builds left in out_dir: each portal's input fingerprint, its customer's name
    and the commit its history was read at.

    The names spare a rebuild of one portal from reading every other customer's
    file for the leak guard: a name is as current as the fingerprint beside it.
    """

    prints: dict[str, str] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)
    heads: dict[str, str] = field(default_factory=dict)
    """The repository's HEAD when each portal was built (in git only): see build.stale_histories."""

    def names_if_unchanged(self, prints: dict[str, str]) -> dict[str, str]:
        """The names of the customers whose fingerprint is still `prints`'s."""
        return {s: n for s, n in self.names.items() if s in prints and self.prints.get(s) == prints[s]}


def read_state(out_dir: Path) -> State:
    """The state of out_dir (empty when unknown or unreadable); portals no longer there are left out.

    A state file left inside out_dir by an older build is moved out of it
    first, so a restored CI cache still spares the rebuilds.
    """
    path = beside(out_dir, "state.json")
    legacy = out_dir / LEGACY_STATE
    if legacy.is_file():
        if path.exists():
            legacy.unlink()
        else:
            legacy.replace(path)
    try:
        state = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return State()
    if not isinstance(state, dict) or state.get("version") != STATE_VERSION:
        return State()
    portals, names = state.get("portals"), state.get("names")
    prints = {k: v for k, v in portals.items() if isinstance(v, str) and (out_dir / k).is_dir()} \
        if isinstance(portals, dict) else {}
    names = {k: v for k, v in names.items() if k in prints and isinstance(v, str)} \
        if isinstance(names, dict) else {}
    heads = state.get("heads")
    heads = {k: v for k, v in heads.items() if k in prints and isinstance(v, str) and _COMMIT.fullmatch(v)} \
        if isinstance(heads, dict) else {}
    return State(prints, names, heads)


def write_state(out_dir: Path, state: State) -> None:
    """Record the state of out_dir, atomically."""
    data = {"version": STATE_VERSION, "portals": dict(sorted(state.prints.items())),
            "names": {k: v for k, v in sorted(state.names.items()) if k in state.prints},
            "heads": {k: v for k, v in sorted(state.heads.items()) if k in state.prints}}
    write_text(beside(out_dir, "state.json"), json.dumps(data, indent=1, ensure_ascii=False) + "\n")
