"""Where the running `portal` was installed from, so a new portfolio installs the very same one.

CI and pre-commit must install the generator the PM has, from a place they
can reach. pip records that place (PEP 610, `direct_url.json`): a git URL
and commit, or a wheel's URL, can be pinned as they are; a local editable
checkout cannot be reached from CI, so the scaffold says so instead of
guessing; without the record, portal came from a package index.
"""

from __future__ import annotations

import importlib.metadata
import json
from dataclasses import dataclass

from generator import __version__

DISTRIBUTION = "transparency-portal"


@dataclass(frozen=True)
class Source:
    """How requirements.txt and .pre-commit-config.yaml name the generator."""

    requirement: str | None
    """The requirements.txt line; None when no other machine can install this copy."""
    note: str
    """Why (one comment line for requirements.txt)."""
    hook_repo: str | None = None
    """The git repository pre-commit clones for the hook (it holds .pre-commit-hooks.yaml)."""
    hook_rev: str | None = None
    """The commit or tag of hook_repo."""


def _from_record(record: dict[str, object]) -> Source:
    url = str(record.get("url", ""))
    vcs = record.get("vcs_info")
    if isinstance(vcs, dict) and vcs.get("vcs") == "git" and not url.startswith("file:"):
        commit = str(vcs.get("commit_id", ""))
        return Source(f"{DISTRIBUTION} @ git+{url}@{commit}", f"installed from {url} at commit {commit}",
                      hook_repo=url, hook_rev=commit)
    if "archive_info" in record and not url.startswith("file:"):
        return Source(f"{DISTRIBUTION} @ {url}", f"installed from {url}")
    where = url.removeprefix("file://") or "this machine"
    return Source(None, f"the portal that wrote this file runs from {where}, which CI cannot reach")


def running_source() -> Source:
    """Where this `portal` came from, as pip recorded it."""
    try:
        record = importlib.metadata.distribution(DISTRIBUTION).read_text("direct_url.json")
    except importlib.metadata.PackageNotFoundError:
        record = None
    if record is None:  # installed from an index (or not installed at all: a source tree)
        if "+" in __version__:
            return Source(None, "the portal that wrote this file is an unreleased source tree")
        return Source(f"{DISTRIBUTION}=={__version__}", f"version {__version__} from your package index")
    try:
        data = json.loads(record)
    except ValueError:
        data = {}
    return _from_record(data if isinstance(data, dict) else {})
