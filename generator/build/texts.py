"""Every customer's texts for the leak guard: kept in the machine cache, read from a folder once.

Each portal's guard looks for every other customer's names and distinctive
text, so a build needs every customer's `Texts`, also of the customers it does
not rebuild. They are kept per folder content (a clean folder's git tree id):
a CI rebuild of one portal out of 500 loads one customer, not 500.
"""

from __future__ import annotations

from pathlib import Path

from generator.build.fingerprint import fingerprint
from generator.build.guard import Texts, texts_of
from generator.cache import store, stored
from generator.digest import generator_digest
from generator.history.gitstates import Repo, changed_folders, folder_trees
from generator.portfolio.validate import parse_cache_for, validate_portfolio

KIND = "guard-texts"
GitStates = tuple[dict[str, str], set[str] | None]
"""Each customer folder's tree id at HEAD, and the folders whose files differ from it (None: no git)."""


def git_states(repo: Repo | None) -> GitStates:
    """Each customer folder's tree id at HEAD, and the folders whose files differ from it.

    ({}, None) outside git. A new commit changes a folder's history; a folder
    git reports unchanged is exactly its tree, so its files need not be read.
    """
    return (folder_trees(repo), changed_folders(repo)) if repo else ({}, None)


def folder_keys(projects_dir: Path, slugs: list[str], shared: str,
                states: GitStates) -> dict[str, str]:
    """A content hash of each existing customer folder among `slugs`, with `shared` and its git tree.

    A folder git reports unchanged (`states`) is hashed by its tree id alone (a
    content hash already): a CI checkout of 500 customers reads no file to find
    the one that changed.
    """
    trees, changed = states

    def content(slug: str) -> Path | None:
        clean = changed is not None and slug in trees and slug not in changed
        return None if clean else projects_dir / slug

    return {slug: fingerprint(content(slug), shared, [f"git {trees.get(slug, '')}"])
            for slug in slugs if (projects_dir / slug).is_dir()}


def read_texts(projects_dir: Path, slug: str, name: str) -> Texts:
    """A customer's Texts, read from its folder (a worker task); only its names if it does not load."""
    parse_cache_for(slug)
    portfolio = validate_portfolio(projects_dir, [slug])[0]
    return texts_of(portfolio.customers[0] if portfolio else None, slug, name)


def cached_texts(projects_dir: Path, names: dict[str, str],
                 states: GitStates) -> tuple[dict[str, Texts], dict[str, str]]:
    """The kept Texts of the customers in `names` (slug -> name), and the cache key of each one missing."""
    keys = folder_keys(projects_dir, sorted(names), generator_digest(), states)
    found, missing = {}, {}
    for slug, key in keys.items():
        texts = stored(KIND, key)
        if isinstance(texts, Texts) and texts.slug == slug:
            found[slug] = texts
        else:
            missing[slug] = key
    return found, missing


def keep(texts: Texts, key: str) -> None:
    store(KIND, key, texts)
