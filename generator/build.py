"""Orchestration: validate, then build every portal in a staging folder, then swap.

Nothing in --out changes until every requested portal has built: a failure
for any customer leaves the previous sites exactly as they were.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

from generator.atomic import output_lock, replace_dir
from generator.errors import PortalError, Problem
from generator.guard import find_leaks, secrets_for
from generator.model import Customer, Portfolio
from generator.render import render_portal
from generator.site import SiteError, SiteSpec, build_site
from generator.validate import load_portfolio, parse_file
from generator.visibility import Audience, for_audience


def build_date(today: str | None = None) -> date:
    """The one date all time-dependent facts use: --today, else SOURCE_DATE_EPOCH, else today."""
    if today:
        try:
            return date.fromisoformat(today)
        except ValueError:
            raise PortalError(f"--today {today!r} is not a date", "write it as YYYY-MM-DD") from None
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        try:
            return datetime.fromtimestamp(int(epoch), tz=UTC).date()
        except (ValueError, OverflowError):
            raise PortalError(f"SOURCE_DATE_EPOCH={epoch!r} is not a number of seconds") from None
    return date.today()


@dataclass
class BuildResult:
    """What a build produced, for the CLI to report."""

    built: list[str] = field(default_factory=list)
    """Customer slugs whose portal was (re)built."""
    warnings: list[str] = field(default_factory=list)


def build_portal(
    portfolio: Portfolio, customer: Customer, site_dir: Path, *, audience: Audience, today: date
) -> list[str]:
    """Render and build one customer's portal into site_dir; returns mkdocs warnings."""
    visible = for_audience(customer, audience)
    theme_dir = portfolio.site.themes_dir / customer.info.theme
    shared = sorted(portfolio.site.content_dir.glob("*.md")) if portfolio.site.content_dir else []
    with tempfile.TemporaryDirectory(prefix=f"portal-{customer.slug}-") as work:
        docs_dir = Path(work) / "docs"
        docs_dir.mkdir()
        nav = render_portal(visible, today=today, audience=audience, theme_dir=theme_dir,
                            shared_pages=shared, docs_dir=docs_dir)
        spec = SiteSpec(
            base_config=portfolio.site.mkdocs_yml,
            docs_dir=docs_dir,
            site_dir=site_dir,
            theme_dir=theme_dir,
            site_name=customer.info.name,
            nav=nav,
            language=customer.info.language,
            site_url=customer.info.site_url,
            extra={"portal": {"built": today.isoformat(), "audience": audience}},
        )
        try:
            return build_site(spec)
        except SiteError as err:
            problem = Problem(f"portal '{customer.slug}'", 0, 0, f"site build failed: {err}")
            raise PortalError(problem) from err


def _customer_names(projects_dir: Path) -> list[tuple[str, str]]:
    """(slug, name) of every customer folder, read cheaply for the leak guard."""
    names = []
    for folder in sorted(p for p in projects_dir.iterdir() if p.is_dir()):
        path = folder / "customer.yml"
        info = parse_file(path, path.name, path.name)[0] if path.is_file() else None
        names.append((folder.name, info.name if info else folder.name))
    return names


def build_portfolio(
    projects_dir: Path,
    out_dir: Path,
    *,
    only: list[str] | None = None,
    audience: Audience = "customer",
    today: date,
    progress: Callable[[str], None] = lambda _: None,
) -> BuildResult:
    """Build the portals of every customer (or those in `only`) into out_dir/<customer>/.

    Each portal is built and leak-checked in a staging folder; only when all
    succeeded are they swapped into place, one atomic rename each.
    """
    portfolio = load_portfolio(projects_dir, only)
    others = _customer_names(projects_dir)
    result = BuildResult()
    with output_lock(out_dir) as staging:
        for customer in portfolio.customers:
            site_dir = staging / customer.slug
            warnings = build_portal(portfolio, customer, site_dir, audience=audience, today=today)
            leaks = find_leaks(site_dir, secrets_for(customer, audience, others))
            if leaks:
                raise PortalError([Problem(f"{out_dir / customer.slug}", 0, 0,
                                           f"leak guard stopped the build: {leak}",
                                           "this is a bug in a template or theme: nothing was published")
                                   for leak in leaks])
            result.warnings += [f"{customer.slug}: {w}" for w in warnings]
            result.built.append(customer.slug)
            progress(customer.slug)
        out_dir.mkdir(parents=True, exist_ok=True)
        for slug in result.built:
            replace_dir(staging / slug, out_dir / slug, staging / f"old-{slug}")
    return result
