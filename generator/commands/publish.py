"""`portal publish`: immutable versions of every portal side by side, in the layout mike writes.

    DEST/<customer>/
      versions.json   [{"version", "title", "aliases"}, ...], newest first: mike's format,
                      which mkdocs-material's version selector reads
      index.html      a redirect to the alias just published, else to the newest version
                      (through its alias if it has one)
      <version>/      one whole portal; once published it never changes
      <alias>/        a copy of the version it names (hard links where the file system allows)

An alias is a copy, not redirect pages: it works on any static host and from
file://, and its feeds have a stable address (`latest/feed.xml`). Every
portal is built fresh into a staging folder beside DEST; each customer's
folder is then assembled next to it (the versions already published are
hard-linked, never rewritten) and swapped in with one atomic rename. Any
failure before that leaves DEST exactly as it was.
"""

from __future__ import annotations

import json
import os
import re
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape

from generator.build.atomic import output_lock, replace_dir
from generator.build.folders import remove_stale
from generator.build.portals import BuildOptions, build_into, candidates
from generator.files import write_text
from generator.i18n.jinja import install_gettext
from generator.i18n.languages import SOURCE
from generator.i18n.translate import speaking
from generator.portfolio.errors import PortalError, Problem
from generator.portfolio.layout import find_site
from generator.private.keys import Private

VERSIONS_FILE = "versions.json"
INDEX_FILE = "index.html"
NAME_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._+-]{0,63}")
"""Versions and aliases are folder names in URLs: letters, digits, '.', '_', '+', '-'."""
RESERVED = frozenset({VERSIONS_FILE, INDEX_FILE, "404.html"})

_TEMPLATES = Environment(loader=FileSystemLoader(Path(__file__).parent / "templates"),
                         autoescape=select_autoescape(["html"]))
install_gettext(_TEMPLATES)
_LANG = re.compile(rb'<html lang="([^"]*)"')


@dataclass(frozen=True)
class PublishOptions:
    """What to publish: which version, under which alias, for which customers, as of when."""

    version: str
    today: date
    alias: str | None = None
    """Also make this name (e.g. `latest`) show the version; it moves from any older version."""
    force: bool = False
    """Replace a version that is already published (the only way a published version changes)."""
    only: list[str] | None = None
    jobs: int = 1
    private: Private | None = None
    """Keys: each customer with one gets an encrypted portal in DEST/<folder id>/ (see generator.private)."""


@dataclass
class PublishResult:
    """What a publish did, for the CLI to report."""

    published: list[str] = field(default_factory=list)
    """Customer slugs that now have the version."""
    replaced: list[str] = field(default_factory=list)
    """Of those, the ones whose version existed and was replaced (--force)."""
    warnings: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class VersionInfo:
    """One entry of versions.json."""

    version: str
    title: str
    aliases: tuple[str, ...] = ()

    def to_json(self) -> dict[str, object]:
        """The entry as mike writes it."""
        return {"version": self.version, "title": self.title, "aliases": list(self.aliases)}


def check_name(name: str, what: str) -> None:
    """Raise PortalError unless `name` can be a version or alias folder."""
    if not NAME_RE.fullmatch(name) or name in RESERVED:
        raise PortalError(f"--{what} {name!r} cannot name a folder of the published site",
                          "use letters, digits, '.', '_', '+' and '-', starting with a letter or digit, "
                          "e.g. 2026-11-26 or v3")


def read_versions(folder: Path) -> list[VersionInfo]:
    """The versions published in a customer folder (none when the folder is new)."""
    path = folder / VERSIONS_FILE
    if not path.exists():
        if folder.exists() and any(folder.iterdir()):
            raise PortalError(f"{folder} exists but holds no {VERSIONS_FILE}: it is not a folder of "
                              "published versions", "publish into a --dest of its own, not a build's --out")
        return []
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return [VersionInfo(str(v["version"]), str(v.get("title", v["version"])),
                            tuple(str(a) for a in v.get("aliases", []))) for v in data]
    except (OSError, ValueError, TypeError, KeyError) as err:
        raise PortalError(f"{path} cannot be read as a list of versions: {err}",
                          "restore it from a backup, or remove the folder to start over") from None


def _conflicts(folder: Path, versions: list[VersionInfo], options: PublishOptions) -> list[Problem]:
    """Why this version cannot be published into `folder` (empty: it can)."""
    v, alias = options.version, options.alias
    names = {info.version for info in versions}
    aliases = {a: info.version for info in versions for a in info.aliases}
    problems = []
    if (v in names or (folder / v).exists()) and not options.force:
        problems.append(Problem(str(folder / v), 0, 0, f"version {v} is already published",
                                "a published version never changes: publish a new version, or pass --force "
                                "to replace this one"))
    if v in aliases:
        problems.append(Problem(str(folder / v), 0, 0, f"{v} is an alias of version {aliases[v]}",
                                "choose another version name"))
    if alias and alias in names:
        problems.append(Problem(str(folder / alias), 0, 0,
                                f"--alias {alias} is the name of a published version",
                                "choose another alias, e.g. latest"))
    if alias and alias not in aliases and alias not in names and (folder / alias).exists():
        problems.append(Problem(str(folder / alias), 0, 0, f"{alias} exists but is no alias of a version",
                                "remove it, or choose another alias"))
    return problems


def add_version(versions: list[VersionInfo], version: str, alias: str | None) -> list[VersionInfo]:
    """versions.json after publishing: a new version first, a replaced one in its place; the alias moves."""
    kept = [VersionInfo(v.version, v.title, tuple(a for a in v.aliases if a != alias)) for v in versions]
    current = next((v for v in kept if v.version == version), VersionInfo(version, version))
    aliases = {*current.aliases, alias} if alias else set(current.aliases)
    entry = VersionInfo(version, current.title, tuple(sorted(aliases)))
    if any(v.version == version for v in kept):
        return [entry if v.version == version else v for v in kept]
    return [entry, *kept]


def _link(source: str, target: str) -> object:
    """Copy a file as a hard link (same bytes, no space); a real copy across file systems."""
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)
    return target


def _assemble(current: Path, built: Path, fresh: Path, versions: list[VersionInfo],
              options: PublishOptions) -> None:
    """The customer's next folder at `fresh`: everything in `current`, plus the new version and aliases."""
    if current.exists():
        shutil.copytree(current, fresh, symlinks=True, copy_function=_link)
    else:
        fresh.mkdir(parents=True)
    target = fresh / options.version
    if target.exists():
        shutil.rmtree(target)  # only the links in the new folder: the published files stay as they are
    built.rename(target)
    for alias in next(v.aliases for v in versions if v.version == options.version):
        if (fresh / alias).exists():
            shutil.rmtree(fresh / alias)
        shutil.copytree(target, fresh / alias, symlinks=True, copy_function=_link)
    write_text(fresh / VERSIONS_FILE, json.dumps([v.to_json() for v in versions], indent=2) + "\n")
    newest = versions[0]
    home = options.alias or (newest.aliases[0] if newest.aliases else newest.version)
    with speaking(language := _language(fresh / home / INDEX_FILE)):
        page = _TEMPLATES.get_template("redirect.html").render(href=f"{home}/{INDEX_FILE}", lang=language,
                                                               keep_fragment=options.private is not None)
    write_text(fresh / INDEX_FILE, page)


def _language(page: Path) -> str:
    """The portal's language, as its home page's `<html lang>` says (the redirect is the customer's own)."""
    try:
        with page.open("rb") as handle:
            found = _LANG.search(handle.read(1024))
    except OSError:
        return SOURCE
    return found[1].decode("ascii", "replace") if found else SOURCE


def publish_portfolio(
    projects_dir: Path, dest: Path, options: PublishOptions,
    progress: Callable[[str], None] = lambda _: None,
) -> PublishResult:
    """Publish version `options.version` of the chosen customers' portals into dest/<customer>/.

    Raises PortalError, with DEST unchanged, when the version exists (without
    force), names clash, the portfolio does not validate or a build fails.
    """
    check_name(options.version, "version")
    if options.alias is not None:
        check_name(options.alias, "alias")
        if options.alias == options.version:
            raise PortalError(f"--alias {options.alias} is the version itself", "e.g. --alias latest")
    site = find_site(projects_dir)
    build = BuildOptions(today=options.today, audience="customer", only=options.only, jobs=options.jobs,
                         force=True, version=options.version, private=options.private)
    slugs = candidates(projects_dir, build)
    result = PublishResult()
    with output_lock(dest) as staging:
        folders = {slug: build.folder(slug) for slug in slugs}
        known = {slug: read_versions(dest / folders[slug]) for slug in slugs}
        problems = [p for slug in slugs for p in _conflicts(dest / folders[slug], known[slug], options)]
        if problems:
            raise PortalError(problems)
        (staging / "build").mkdir()
        built = build_into(projects_dir, site, slugs, staging / "build", build, dest)
        result.warnings = built.warnings
        for slug in built.built:
            versions = add_version(known[slug], options.version, options.alias)
            folder = folders[slug]
            _assemble(dest / folder, staging / "build" / folder, staging / "new" / folder, versions, options)
        dest.mkdir(parents=True, exist_ok=True)
        for slug in built.built:
            folder = folders[slug]
            if (dest / folder / options.version).exists():
                result.replaced.append(slug)
            replace_dir(staging / "new" / folder, dest / folder, staging / f"old-{folder}")
            result.published.append(slug)
            progress(folder)
        if options.private:
            remove_stale(projects_dir, dest, build, staging)
    return result
