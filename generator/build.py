"""Orchestration: validate, then build every portal in a staging folder, then swap.

Nothing in --out changes until every requested portal has built: a failure
for any customer leaves the previous sites exactly as they were.
"""

from __future__ import annotations

import multiprocessing
import tempfile
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from generator.atomic import output_lock, replace_dir
from generator.errors import PortalError, Problem
from generator.fingerprint import fingerprint, read_state, write_state
from generator.guard import find_leaks, secrets_for
from generator.layout import find_site
from generator.markup import nav_title
from generator.model import SLUG_RE, Customer, Site
from generator.render import render_portal
from generator.shard import folder_size, shard_of
from generator.site import SiteError, SiteSpec, build_site
from generator.validate import load_portfolio, parse_file
from generator.visibility import Audience, for_audience

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


def build_portal(
    site: Site, customer: Customer, site_dir: Path, *, audience: Audience, today: date
) -> list[str]:
    """Render and build one customer's portal into site_dir; returns mkdocs warnings."""
    visible = for_audience(customer, audience)
    theme_dir = site.themes_dir / customer.info.theme
    shared = sorted(site.content_dir.glob("*.md")) if site.content_dir else []
    with tempfile.TemporaryDirectory(prefix=f"portal-{customer.slug}-") as work:
        docs_dir = Path(work) / "docs"
        docs_dir.mkdir()
        nav = render_portal(visible, today=today, audience=audience, theme_dir=theme_dir,
                            shared_pages=shared, docs_dir=docs_dir)
        spec = SiteSpec(
            base_config=site.mkdocs_yml,
            docs_dir=docs_dir,
            site_dir=site_dir,
            theme_dir=theme_dir / OVERRIDES_DIR,
            site_name=nav_title(customer.info.name),
            nav=nav,
            language=customer.info.language,
            site_url=customer.info.site_url,
            extra={"portal": {"built": today.isoformat(), "audience": audience}},
            build_date=today,
        )
        try:
            return build_site(spec)
        except SiteError as err:
            problem = Problem(f"portal '{customer.slug}'", 0, 0, f"site build failed: {err}")
            raise PortalError(problem) from err


def _build_checked(
    site: Site, customer: Customer, site_dir: Path, audience: Audience, today: date,
    others: list[tuple[str, str]],
) -> tuple[str, list[str], list[str]]:
    """Build one portal and run the leak guard over it: (slug, warnings, leaks)."""
    warnings = build_portal(site, customer, site_dir, audience=audience, today=today)
    leaks = find_leaks(site_dir, secrets_for(customer, audience, others))
    return customer.slug, warnings, leaks


def _customer_names(projects_dir: Path, slugs: list[str]) -> list[tuple[str, str]]:
    """(slug, name) of every customer folder, read cheaply for the leak guard."""
    names = []
    for slug in slugs:
        path = projects_dir / slug / "customer.yml"
        info = parse_file(path, path.name, path.name)[0] if path.is_file() else None
        names.append((slug, info.name if info else slug))
    return names


def _candidates(projects_dir: Path, options: BuildOptions) -> list[str]:
    """The customer slugs this build is about: named, or all, then this shard's share."""
    folders = sorted(p.name for p in projects_dir.iterdir() if p.is_dir() and SLUG_RE.match(p.name)) \
        if projects_dir.is_dir() else []
    slugs = options.only if options.only is not None else folders
    if options.shard:
        existing = [s for s in slugs if s in folders]
        chosen = set(shard_of({s: folder_size(projects_dir / s) for s in existing}, *options.shard))
        slugs = [s for s in slugs if s in chosen or s not in folders]
    return slugs


def _fingerprints(projects_dir: Path, site: Site, slugs: list[str], options: BuildOptions) -> dict[str, str]:
    """The input hash of each existing customer folder among `slugs`."""
    shared = [site.mkdocs_yml, site.content_dir, site.themes_dir]
    settings = [options.audience, options.today.isoformat()]
    return {slug: fingerprint(projects_dir / slug, shared, settings)
            for slug in slugs if (projects_dir / slug).is_dir()}


def _run(tasks: list[tuple[Any, ...]], jobs: int) -> Iterator[tuple[str, list[str], list[str]]]:
    """Run _build_checked over tasks: in this process, or in `jobs` warm worker processes."""
    if jobs <= 1 or len(tasks) <= 1:
        yield from (_build_checked(*task) for task in tasks)
        return
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(max_workers=min(jobs, len(tasks)), mp_context=context) as pool:
        futures = [pool.submit(_build_checked, *task) for task in tasks]
        for future in as_completed(futures):
            yield future.result()


def build_portfolio(
    projects_dir: Path,
    out_dir: Path,
    options: BuildOptions,
    progress: Callable[[str], None] = lambda _: None,
) -> BuildResult:
    """Build the portals of the chosen customers into out_dir/<customer>/.

    Portals whose inputs are unchanged since the last build are kept. The rest
    are built (in parallel with jobs > 1) and leak-checked in a staging folder;
    only when all succeeded are they swapped into place, one atomic rename each.
    """
    site = find_site(projects_dir)
    slugs = _candidates(projects_dir, options)
    result = BuildResult()
    with output_lock(out_dir) as staging:
        prints = _fingerprints(projects_dir, site, slugs, options)
        state = read_state(out_dir)
        todo = [s for s in slugs if options.force or s not in prints or state.get(s) != prints[s]]
        result.unchanged = [s for s in slugs if s not in todo]
        portfolio = load_portfolio(projects_dir, todo)
        names = _customer_names(projects_dir, sorted(p.name for p in projects_dir.iterdir() if p.is_dir()))
        tasks = [(site, c, staging / c.slug, options.audience, options.today, names)
                 for c in portfolio.customers]
        problems: list[Problem] = []
        for slug, warnings, leaks in _run(tasks, options.jobs):
            problems += [Problem(str(out_dir / slug), 0, 0, f"leak guard stopped the build: {leak}",
                                 "this is a bug in a template or theme: nothing was published")
                         for leak in leaks]
            result.warnings += [f"{slug}: {w}" for w in warnings]
            result.built.append(slug)
            progress(slug)
        if problems:
            raise PortalError(problems)
        out_dir.mkdir(parents=True, exist_ok=True)
        for slug in result.built:
            replace_dir(staging / slug, out_dir / slug, staging / f"old-{slug}")
        write_state(out_dir, {**state, **{s: prints[s] for s in result.built}})
    return result
