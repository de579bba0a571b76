"""Orchestration: validate, then build every portal in a staging folder, then swap.

Nothing in --out changes until every requested portal has built: a failure
for any customer leaves the previous sites exactly as they were.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from generator.build.atomic import output_lock, replace_dir
from generator.build.audiences import check_out_dir, mark_portal
from generator.build.fingerprint import State, fingerprint, read_state, shared_digest, write_state
from generator.build.folders import remove_stale, renamed
from generator.build.guard import (
    Secrets,
    Texts,
    customer_texts,
    find_leaks,
    find_plain,
    secrets_for,
    texts_of,
)
from generator.build.shard import folder_size, shard_of
from generator.build.texts import GitStates, cached_texts, folder_keys, git_states, keep, read_texts
from generator.build.workers import parallel, workers
from generator.engine.mkdocs import SiteError, SiteSpec, build_site
from generator.history.gitstates import (
    GitError,
    GitUnavailable,
    Repo,
    find_repo,
    touched_folders,
)
from generator.history.walk import History, customer_history
from generator.i18n.translate import pseudo, speaking
from generator.pages.markup import nav_title
from generator.pages.render import render_portal
from generator.portfolio.errors import PortalError, Problem, naming
from generator.portfolio.layout import check_customer_slugs, display_path, find_site
from generator.portfolio.load import load_document, read_bounded
from generator.portfolio.model import SLUG_RE, Customer, Site
from generator.portfolio.placeholders import is_placeholder
from generator.portfolio.validate import language_notes, load_portfolio, parse_cache_for, validate_portfolio
from generator.portfolio.visibility import Audience, for_audience
from generator.private.keys import Private
from generator.private.seal import seal_site, shown_without_key

WORKER_MARKS = ".workers"
"""Inside the staging folder: what each worker is building (see workers.py)."""
OVERRIDES_DIR = "overrides"
"""Inside a theme: the mkdocs-material custom_dir (page templates live beside it in pages/)."""


@dataclass
class BuildResult:
    """What a build produced, for the CLI to report."""

    built: list[str] = field(default_factory=list)
    """Customer slugs whose portal was (re)built."""
    unchanged: list[str] = field(default_factory=list)
    """Customer slugs whose inputs had not changed since the portal in --out was built."""
    warnings: list[str] = field(default_factory=list)
    names: dict[str, str] = field(default_factory=dict)
    """Slug -> name of every customer, as the leak guard read them (empty when nothing was built)."""


@dataclass(frozen=True)
class BuildOptions:
    """How to build: which customers, for whom, as of when, with how many processes."""

    today: date
    audience: Audience = "customer"
    only: list[str] | None = None
    """Customer slugs named on the command line (None: all)."""
    shard: tuple[int, int] | None = None
    """(I, N): build only the I-th of N even shards of the customers."""
    jobs: int = 1
    force: bool = False
    """Rebuild even portals whose inputs did not change."""
    version: str | None = None
    """The version being published (`portal publish`): shown on every page, with the version selector."""
    private: Private | None = None
    """Keys (`--keys`): the portal of each customer with a key is encrypted, in its opaque folder."""

    def folder(self, slug: str) -> str:
        """The folder of `slug`'s portal in the output: its slug, or its folder id when it is encrypted."""
        return self.private.folder(slug, self.audience) if self.private else slug


def versioned_url(site_url: str | None, version: str | None) -> str | None:
    """Where a published version lives: `<site_url><version>/` (the portal's address is their root)."""
    if not site_url or not version:
        return site_url
    return f"{site_url.rstrip('/')}/{version}/"


def build_portal(
    site: Site, customer: Customer, site_dir: Path, *, audience: Audience, today: date,
    history: History | None = None, version: str | None = None,
) -> list[str]:
    """Render and build one customer's portal into site_dir; returns mkdocs warnings.

    Its "What changed" pages come from `history`, read with `now=customer`
    (without it they say that no history was read).
    """
    visible = for_audience(customer, audience)
    theme_dir = site.themes_dir / customer.info.theme
    site_url = versioned_url(customer.info.site_url, version)
    extra: dict[str, Any] = {"portal": {"built": today.isoformat(), "audience": audience, "version": version}}
    if version:
        extra["version"] = {"provider": "mike"}  # material's version selector reads ../versions.json
    work_dir = tempfile.TemporaryDirectory(prefix=f"portal-{customer.slug}-")
    with speaking(customer.info.language), work_dir as work:
        docs_dir = Path(work) / "docs"
        docs_dir.mkdir()
        nav = render_portal(visible, today=today, audience=audience, theme_dir=theme_dir,
                            shared_pages=site.pages, docs_dir=docs_dir, history=history, site_url=site_url)
        spec = SiteSpec(
            base_config=site.mkdocs_yml,
            docs_dir=docs_dir,
            site_dir=site_dir,
            theme_dir=theme_dir / OVERRIDES_DIR,
            site_name=nav_title(customer.info.name),
            nav=nav,
            language=customer.info.language,
            site_url=site_url,
            extra=extra,
            build_date=today,
        )
        try:
            return build_site(spec)
        except SiteError as err:
            problem = Problem(f"portal '{customer.slug}'", 0, 0, f"site build failed: {err}")
            raise PortalError(problem) from err


def _check(projects_dir: Path, slug: str) -> tuple[list[Problem], list[Problem], Texts | None]:
    """Every problem of one customer, scaffold placeholders included, its language notes, and its Texts
    for the leak guard (a worker task: its model is dropped straight away)."""
    parse_cache_for(slug)
    with naming(display_path(projects_dir / slug, projects_dir)):
        portfolio, problems = validate_portfolio(projects_dir, [slug], placeholders=True)
        notes = language_notes(portfolio) if portfolio else []
    customer = portfolio.customers[0] if portfolio else None
    return problems, notes, texts_of(customer, slug, customer.info.name) if customer else None


_secrets: Secrets | None = None
"""Every customer's secrets, set before the workers that build portals are forked: they share it."""


def _build_checked(
    site: Site, projects_dir: Path, slug: str, site_dir: Path, options: BuildOptions,
) -> tuple[str, list[str], list[str]]:
    """Load, build and leak-check one portal (a worker task): (slug, warnings, leaks).

    Each worker loads only its own customer, so memory follows the largest
    customer, not the portfolio.
    """
    parse_cache_for(slug)
    with naming(display_path(projects_dir / slug, projects_dir)):
        customer = load_portfolio(projects_dir, [slug]).customers[0]
        audience = options.audience
        history = customer_history(projects_dir, slug, audience, now=customer)
        warnings = build_portal(site, customer, site_dir, audience=audience, today=options.today,
                                history=history, version=options.version)
        shown = [change for entry in history.entries for change in entry.changes]  # not commit messages
        secrets = secrets_for(customer, audience, _secrets or Secrets([]), published=shown)
        leaks = find_leaks(site_dir, secrets)
        key = options.private.keys.portal_key(slug, audience) if options.private else None
        if key and options.private:
            seal_site(site_dir, key, feeds=options.private.feeds)
            ours = shown_without_key(customer.info.language)
            own = frozenset(text for text in customer_texts(customer) if text not in ours)
            leaks += find_plain(site_dir, own, skip=key.feeds)
    return slug, warnings, leaks


def _everyone(
    projects_dir: Path, names: dict[str, str], checked: dict[str, Texts], states: GitStates,
    jobs: int, marks: Path,
) -> list[Texts]:
    """The Texts of every customer in `names`: `checked` ones, kept ones, the others read (and kept)."""
    kept, missing = cached_texts(projects_dir, names, states)
    todo = {slug: (projects_dir, slug, names[slug]) for slug in missing if slug not in checked}
    with workers(jobs, len(todo), marks) as pool:
        read = {texts.slug: texts for texts in parallel(read_texts, todo, pool)}
    for slug, texts in {**checked, **read}.items():
        if slug in missing:
            keep(texts, missing[slug])
    return list({**kept, **read, **checked}.values())


def _customer_names(projects_dir: Path, known: dict[str, str]) -> dict[str, str]:
    """Slug -> name of every customer folder, for the leak guard; `known` names are not read again.

    Only the YAML is read, not validated: a CI rebuild of one portal needs the
    names of all 500 customers, and the models would triple that cost. A name
    that cannot be read falls back to the folder's.
    """
    names = {}
    for folder in sorted(p for p in projects_dir.iterdir() if p.is_dir()):
        if folder.name in known:
            names[folder.name] = known[folder.name]
            continue
        path = folder / "customer.yml"
        raw = read_bounded(path, path.name)[0] if path.is_file() else None
        doc = load_document(raw, path.name)[0] if raw is not None else None
        name = doc.data.get("name") if doc and isinstance(doc.data, dict) else None
        names[folder.name] = name if isinstance(name, str) and name else folder.name
    return names


def candidates(projects_dir: Path, options: BuildOptions) -> list[str]:
    """The customer slugs this build is about: named, or all, then this shard's share."""
    folders = sorted(p.name for p in projects_dir.iterdir() if p.is_dir() and SLUG_RE.fullmatch(p.name)) \
        if projects_dir.is_dir() else []
    if options.only is not None:
        check_customer_slugs(options.only)
    slugs = options.only if options.only is not None else folders
    if options.shard:
        existing = [s for s in slugs if s in folders]
        chosen = set(shard_of({s: folder_size(projects_dir / s) for s in existing}, *options.shard))
        slugs = [s for s in slugs if s in chosen or s not in folders]
    return slugs


def repository(projects_dir: Path) -> Repo | None:
    """The git repository holding the portfolio, found once per build (None outside git)."""
    try:
        return find_repo(projects_dir)
    except (GitUnavailable, GitError):
        return None


def stale_histories(repo: Repo | None, slugs: list[str], heads: dict[str, str]) -> set[str]:
    """The customers among `slugs` whose portal's "What changed" misses commits.

    `heads` says at which HEAD each portal was built. A commit since then that
    changed the customer's folder is history the portal does not show, even when
    a revert left the folder's tree, and so its fingerprint, as it was. A portal
    whose HEAD is unknown, or no longer in the repository, counts as missing
    them. Outside git: none.
    """
    if repo is None:
        return set()
    stale: set[str] = set()
    for since in {heads.get(slug) for slug in slugs} - {repo.head}:
        built_there = {slug for slug in slugs if heads.get(slug) == since}
        touched = touched_folders(repo, since) if since else None
        stale |= built_there if touched is None else built_there & touched
    return stale


def _fingerprints(
    projects_dir: Path, repo: Repo | None, site: Site, slugs: list[str], options: BuildOptions,
    states: GitStates | None = None,
) -> dict[str, str]:
    """The input hash of each existing customer folder among `slugs`, its git state included.

    A folder git reports unchanged is hashed by its tree id alone (a content
    hash already): a CI checkout of 500 customers reads no file to find the one
    that changed.
    """
    shared = shared_digest([site.mkdocs_yml, site.content_dir, site.themes_dir],
                           [options.audience, options.today.isoformat(), options.version or "",
                            f"pseudo-locale {pseudo()}"])
    keys = folder_keys(projects_dir, slugs, shared, states or git_states(repo))
    if not options.private:
        return keys
    # a new key, or feeds left out, build the portal anew
    extra = [f"feeds {options.private.feeds}"]
    return {slug: fingerprint(None, key, [options.folder(slug), *extra]) for slug, key in keys.items()}


def build_into(
    projects_dir: Path, site: Site, slugs: list[str], staging: Path, options: BuildOptions,
    target: Path, progress: Callable[[str], None] = lambda _: None, known_names: dict[str, str] | None = None,
    states: GitStates | None = None,
) -> BuildResult:
    """Build and leak-check the portals of `slugs` into staging/<customer>/; nothing else is touched.

    Every customer is validated first (all problems reported at once), then
    built. Raises PortalError on any problem, failed build or leak (`target`
    names where the portals were going, for the message). `known_names` are
    current names of customers not being built (from the state of `target`);
    `states` the git states of the customer folders, when already known.
    """
    global _secrets
    result = BuildResult()
    problems = validate_portfolio(projects_dir, [])[1]  # the portfolio's own layout
    checked = {}
    with workers(options.jobs, len(slugs), staging / WORKER_MARKS) as pool:
        for found, notes, texts in parallel(_check, {slug: (projects_dir, slug) for slug in slugs}, pool):
            # a shared page's note comes with every customer: said once
            result.warnings += [n.one_line() for n in notes if n.one_line() not in result.warnings]
            if options.audience == "team":  # the team may see what is left to write: told, not refused
                result.warnings += [p.one_line() for p in found if is_placeholder(p)]
                found = [p for p in found if not is_placeholder(p)]
            problems += found
            if texts:
                checked[texts.slug] = texts
    if problems:
        raise PortalError(sorted(set(problems)))
    if slugs:
        known = {s: n for s, n in (known_names or {}).items() if s not in slugs}
        result.names = _customer_names(projects_dir, known)
        states = states or git_states(repository(projects_dir))
        _secrets = Secrets(_everyone(projects_dir, result.names, checked, states, options.jobs,
                                     staging / WORKER_MARKS))
    tasks = {slug: (site, projects_dir, slug, staging / options.folder(slug), options) for slug in slugs}
    with workers(options.jobs, len(slugs), staging / WORKER_MARKS) as pool:
        for slug, warnings, leaks in parallel(_build_checked, tasks, pool):
            where = str(target / options.folder(slug))
            problems += [Problem(where, 0, 0, f"leak guard stopped the build: {leak}",
                                 "nothing was published: reword the internal text, or fix the page "
                                 "or template that shows it")
                         for leak in leaks]
            result.warnings += [f"{slug}: {w}" for w in warnings]
            result.built.append(slug)
            progress(slug)
    if problems:
        raise PortalError(problems)
    return result


def build_portfolio(
    projects_dir: Path,
    out_dir: Path,
    options: BuildOptions,
    progress: Callable[[str], None] = lambda _: None,
) -> BuildResult:
    """Build the portals of the chosen customers into out_dir/<customer>/.

    Portals whose inputs (files and git history) are unchanged since the last
    build are kept. The rest are built (in parallel with jobs > 1) and
    leak-checked in a staging folder; only when all succeeded are they swapped
    into place, one atomic rename each.
    """
    site = find_site(projects_dir)
    slugs = candidates(projects_dir, options)
    with output_lock(out_dir) as staging:
        check_out_dir(out_dir, options.audience)
        repo = repository(projects_dir)
        states = git_states(repo)
        prints = _fingerprints(projects_dir, repo, site, slugs, options, states)
        state = renamed(read_state(out_dir), {options.folder(s): s for s in slugs})
        stale = stale_histories(repo, [s for s in slugs if s in prints], state.heads)
        todo = [s for s in slugs
                if options.force or s not in prints or state.prints.get(s) != prints[s] or s in stale]
        result = build_into(projects_dir, site, todo, staging, options, out_dir, progress,
                            state.names_if_unchanged(prints), states)
        result.unchanged = [s for s in slugs if s not in todo]
        out_dir.mkdir(parents=True, exist_ok=True)
        for slug in result.built:
            folder = options.folder(slug)
            mark_portal(staging / folder, options.audience)
            replace_dir(staging / folder, out_dir / folder, staging / f"old-{folder}")
        kept = {**state.prints, **{s: prints[s] for s in result.built}}
        current = {s: n for s, n in result.names.items() if s in prints and kept.get(s) == prints[s]}
        # every portal built or kept now shows the history up to HEAD
        heads = {**state.heads, **dict.fromkeys(result.built + result.unchanged, repo.head)} if repo else {}
        state = State(kept, {} if options.private else {**state.names, **current}, heads)
        write_state(out_dir, renamed(state, {s: options.folder(s) for s in slugs}))
        if options.private:
            remove_stale(projects_dir, out_dir, options, staging)
    return result
