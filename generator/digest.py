"""Content hashes of file trees and of the generator itself (its code, version and dependencies).

Ground floor: the build's fingerprints and the history walk kept in the cache
both depend on what generator produced them.
"""

from __future__ import annotations

import hashlib
import os
import re
from functools import cache
from importlib import metadata
from pathlib import Path

from generator import DISTRIBUTION, __version__

GENERATOR_DIR = Path(__file__).parent


def _files_below(folder: str) -> list[str]:
    """Every file and symlink below `folder`, in a stable order (names sorted, depth first), no byte caches.

    os.scandir, not Path.rglob: a CI rebuild fingerprints every customer folder,
    and this is 3x faster for the same answer.
    """
    with os.scandir(folder) as scan:
        entries = sorted(scan, key=lambda entry: entry.name)
    found = []
    for entry in entries:
        if entry.is_symlink():
            found.append(entry.path)
        elif entry.is_dir():
            if entry.name != "__pycache__":
                found += _files_below(entry.path)
        elif entry.is_file():
            found.append(entry.path)
    return found


def hash_tree(digest: hashlib._Hash, root: Path | None, label: str) -> None:
    """Feed every file below `root` (path and bytes, in a stable order) into `digest`.

    A symlink counts by where it points, not by what it leads to: it may loop or
    lead nowhere, and validation allows only links to files that are hashed themselves.
    """
    digest.update(f"\0{label}\0".encode())
    if root is None or not (root.exists() or root.is_symlink()):
        return
    base = len(str(root.parent)) + 1
    single = root.is_symlink() or not root.is_dir()
    for path in [str(root)] if single else _files_below(str(root)):
        digest.update(path[base:].encode() + b"\0")
        if os.path.islink(path):
            digest.update(b"-> " + os.fsencode(os.readlink(path)))
            continue
        with open(path, "rb") as file:
            digest.update(file.read())


def _dependencies() -> list[str]:
    """'name version' of each package the installed generator requires (mkdocs, material, jinja2, ...)."""
    try:
        required = metadata.requires(DISTRIBUTION) or []
    except metadata.PackageNotFoundError:  # a source tree that was never installed
        return []
    found = []
    for requirement in required:
        name = re.match(r"[A-Za-z0-9._-]+", requirement)
        if name and "extra ==" not in requirement:
            try:
                found.append(f"{name[0]} {metadata.version(name[0])}")
            except metadata.PackageNotFoundError:
                found.append(f"{name[0]} missing")
    return found


@cache
def generator_digest() -> str:
    """The generator's version, code and dependencies: an upgrade or a local edit rebuilds everything.

    A CI job that restores the last run's site/ must not keep pages built by an
    older mkdocs or theme.
    """
    digest = hashlib.sha256(__version__.encode())
    for dependency in _dependencies():
        digest.update(f"\0{dependency}".encode())
    hash_tree(digest, GENERATOR_DIR, "generator")
    return digest.hexdigest()
