"""Model + derived facts -> the Markdown pages of one portal, via jinja2 templates.

The jinja environment is safe by default: every `{{ value }}` goes through
`markup.escape_text` (the `finalize` hook; autoescape leaves its Markup as it
is), so a template author has to ask for Markdown explicitly with the
`md`/`md_inline` filters, which sanitize. Templates live in
`<theme_dir>/pages/*.md.j2` and only loop, branch and format; every number
they show is computed in `derive`.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, pass_context
from jinja2.compiler import CodeGenerator, Frame
from jinja2.nodes import Expr
from jinja2.runtime import Context
from markupsafe import Markup

from generator.cache import bytecode_cache
from generator.facts.derive import derive_portal
from generator.facts.records import ProjectFacts
from generator.facts.trend_chart import layout_trend
from generator.history.changelog import Linker, build_changelog, latest_news, milestone_titles, present_items
from generator.history.walk import History, add_project_points
from generator.i18n.jinja import install_gettext
from generator.i18n.translate import N_, _, current
from generator.pages import filters, markup, passthrough
from generator.pages.about import copy_about
from generator.pages.feeds import CALENDAR_FILE, FEED_FILE, write_feeds
from generator.pages.filters import label as label
from generator.pages.filters import slip as slip
from generator.pages.identity import write_identity
from generator.pages.idlinks import item_targets, link_ids
from generator.portfolio.model import ABOUT_DIR, Customer, Project
from generator.portfolio.rules import THEME_PAGES
from generator.portfolio.visibility import Audience


@dataclass(frozen=True)
class PageSpec:
    """One page of every project: its nav title, file name and template."""

    title: str
    """Marked for translation; translated where the nav is built."""
    filename: str
    template: str


PROJECT_PAGES: tuple[PageSpec, ...] = (
    PageSpec(N_("Overview"), "index.md", "overview.md.j2"),
    PageSpec(N_("Status updates"), "status.md", "status.md.j2"),
    PageSpec(N_("Plan"), "plan.md", "plan.md.j2"),
    PageSpec(N_("Decisions"), "decisions.md", "decisions.md.j2"),
    PageSpec(N_("Questions"), "questions.md", "questions.md.j2"),
    PageSpec(N_("Change requests"), "changes.md", "changes.md.j2"),
    PageSpec(N_("Risks and expectations"), "risks.md", "risks.md.j2"),
    PageSpec(N_("Feedback"), "feedback.md", "feedback.md.j2"),
    PageSpec(N_("Team and contacts"), "team.md", "team.md.j2"),
)
"""The pages of a project section, in nav order."""

PROJECT_HISTORY = PageSpec(N_("What changed"), "history.md", "project-history.md.j2")
"""The project's own "What changed" page with its milestone trend, last in its section."""

HOME = PageSpec(N_("Home"), "index.md", "home.md.j2")
HISTORY = PageSpec(N_("What changed in all projects"), "history.md", "history.md.j2")
"""The portal's "What changed" page, after the projects."""
NO_HISTORY = N_("History was not read for this build.")
ABOUT = N_("About")
"""The nav section of the content pages."""


def anchor(item_id: object) -> str:
    """A stable HTML id for an item: its id lowercased, runs of other characters as '-'."""
    return _anchor(str(item_id))


@lru_cache(maxsize=4096)
def _anchor(item_id: str) -> str:
    """anchor of a string; every link to an item computes it again."""
    slug = re.sub(r"[^a-z0-9]+", "-", item_id.lower()).strip("-")
    return slug if slug and not slug[0].isdigit() else f"id-{slug}"


@pass_context
def md(context: Context, text: object) -> Markup:
    """An (md) field as a block, item ids in it linked on a project's pages."""
    return link_ids(markup.md_block(text), context.get("item_links") or {})


@pass_context
def md_inline(context: Context, text: object) -> Markup:
    """An (md) field inline, item ids in it linked on a project's pages."""
    return link_ids(markup.md_inline(text), context.get("item_links") or {})


FILTERS: dict[str, Any] = {
    **filters.FILTERS,
    "anchor": anchor,
    "join": markup.safe_join,
    "mailto": markup.mailto,
    "md": md,
    "md_inline": md_inline,
    "passthrough": passthrough.hide,
    "url": markup.safe_url,
    "word_diff": markup.diff_markup,
}
"""Formatting available to templates; `join` is replaced by an escaping one."""


class _FinalizedOutput(CodeGenerator):
    """Compiles `{{ value }}` to `environment.finalize(value)`, without autoescape's `escape(...)` around it.

    When finalize is `markup.escape_text`, which always returns Markup, that
    escape() can only copy the Markup again, at about a third of template
    time. Any other finalize, or an `{% autoescape %}` block, keeps jinja's code.
    """

    def _finalize_alone(self, frame: Frame, finalize: CodeGenerator._FinalizeInfo) -> str | None:
        """The `environment.finalize(` to write without escape(), or None to keep jinja's code."""
        ours = self.environment.finalize is markup.escape_text
        return finalize.src if ours and frame.eval_ctx.autoescape and not frame.eval_ctx.volatile else None

    def _output_child_pre(self, node: Expr, frame: Frame, finalize: CodeGenerator._FinalizeInfo) -> None:
        src = self._finalize_alone(frame, finalize)
        if src is None:
            super()._output_child_pre(node, frame, finalize)
        else:
            self.write(src)

    def _output_child_post(self, node: Expr, frame: Frame, finalize: CodeGenerator._FinalizeInfo) -> None:
        if self._finalize_alone(frame, finalize) is None:
            super()._output_child_post(node, frame, finalize)
        else:
            self.write(")")


class _PageEnvironment(Environment):
    """A jinja environment that compiles output as `_FinalizedOutput` does."""

    code_generator_class = _FinalizedOutput


_COMPILER = hashlib.sha256(Path(__file__).read_bytes()).hexdigest()[:16]
"""This module decides how page templates compile; its hash keeps their cached code apart."""


@cache
def make_environment(theme_dir: Path) -> Environment:
    """A jinja environment over `<theme_dir>/pages` where plain values are always escaped.

    One per theme and process, and compiled code kept on disk: compiling the
    templates costs more than rendering a portal.
    """
    env = _PageEnvironment(
        loader=FileSystemLoader(theme_dir / THEME_PAGES),
        bytecode_cache=bytecode_cache(_COMPILER),
        autoescape=True,  # makes macro output Markup, so finalize does not escape it
        finalize=markup.escape_text,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        # Markdown anchors are written {#id}, so jinja comments need another spelling.
        comment_start_string="{##",
        comment_end_string="##}",
    )
    for unsafe in ("safe", "urlize"):
        env.filters.pop(unsafe, None)
    env.filters.update(FILTERS)
    install_gettext(env, escape=markup.escape_text)
    return env


def _write(env: Environment, template: str, target: Path, context: dict[str, Any]) -> None:
    """Render one template into one page file (its folder must exist)."""
    text = env.get_template(template).render(context)
    target.write_text(text, encoding="utf-8")


def _project_nav(facts: ProjectFacts) -> dict[str, Any]:
    """The nav section of one project."""
    slug = facts.project.slug
    pages = [{_(spec.title): f"{slug}/{spec.filename}"} for spec in (*PROJECT_PAGES, PROJECT_HISTORY)]
    return {markup.nav_title(facts.project.info.name): pages}


def _plan_trend(project: Project, today: date) -> dict[str, list[tuple[date, date]]]:
    """The milestone trend without history: each baseline, then the forecast of today."""
    points: dict[str, list[tuple[date, date]]] = {}
    add_project_points(points, today, project)
    return points


def render_portal(
    customer: Customer,
    *,
    today: date,
    audience: Audience,
    theme_dir: Path,
    shared_pages: Sequence[Path],
    docs_dir: Path,
    history: History | None = None,
    site_url: str | None = None,
) -> list[dict[str, Any]]:
    """Write every page and feed of `customer`'s portal into `docs_dir`; return the mkdocs nav.

    `customer` must already be filtered for `audience` (visibility.for_audience),
    and `history` read for the same audience (history.customer_history):
    templates show whatever they receive, marking internal items as such.
    Feeds link to `site_url` when given (else relative to the portal root).
    """
    env = make_environment(theme_dir)
    portal = derive_portal(customer, today)
    docs_dir.mkdir(parents=True, exist_ok=True)
    about = copy_about(shared_pages, customer.pages, docs_dir, current())
    write_identity(customer, docs_dir)
    history = history or History(customer.slug, audience, [], [], _(NO_HISTORY), {})
    linker = Linker(anchor, ABOUT_DIR, present_items(customer))
    changelog = build_changelog(history, linker)
    base: dict[str, Any] = {
        "customer": customer,
        "portal": portal,
        "today": today,
        "audience": audience,
        "team_view": audience == "team",
        "about_pages": about,
        "changelog": changelog,
        "news": {p.slug: latest_news(changelog, p.slug) for p in customer.projects},
        "feed_file": FEED_FILE,
        "calendar_file": CALENDAR_FILE,
    }
    _write(env, HOME.template, docs_dir / HOME.filename, base)
    _write(env, HISTORY.template, docs_dir / HISTORY.filename, base)
    write_feeds(docs_dir, customer, changelog, history.events, linker, today, site_url)
    nav: list[dict[str, Any]] = [{_(HOME.title): HOME.filename}]
    for facts in portal.projects:
        slug = facts.project.slug
        titles = {**milestone_titles(history, slug), **{m.id: m.title for m in facts.project.milestones}}
        cancelled = frozenset(m.id for m in facts.project.milestones if m.status == "cancelled")
        context = {
            **base,
            "facts": facts,
            "project": facts.project,
            "info": facts.project.info,
            "slug": facts.project.slug,
            "currency": facts.change_totals.currency,
            "item_links": item_targets(facts, anchor),
            "project_changelog": build_changelog(history, linker, slug),
            "trend": layout_trend(f"trend-{slug}",
                                  history.trend.get(slug) or _plan_trend(facts.project, today),
                                  titles, today, cancelled),
        }
        (docs_dir / slug).mkdir(exist_ok=True)
        for spec in (*PROJECT_PAGES, PROJECT_HISTORY):
            _write(env, spec.template, docs_dir / slug / spec.filename, context)
        nav.append(_project_nav(facts))
    nav.append({_(HISTORY.title): HISTORY.filename})
    if about:
        # No titles: mkdocs takes each page's own heading, rendered and escaped.
        nav.append({_(ABOUT): [page.path for page in about]})
    return nav
