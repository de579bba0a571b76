"""`portal serve`: a live preview of one portal that survives the PM's mistakes.

Every change to the customer's YAML, content, theme or mkdocs.yml rebuilds
the portal; a validation error replaces the page with the list of problems
(and prints them) instead of stopping the server.
"""

from __future__ import annotations

import shutil
import signal
import sys
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape

from generator.build.atomic import replace_dir
from generator.build.portals import build_portal
from generator.engine.mkdocs import serve_site
from generator.facts.clock import build_date
from generator.history.walk import customer_history
from generator.portfolio.errors import PortalError, Problem
from generator.portfolio.layout import check_customer_slugs, find_site
from generator.portfolio.validate import load_portfolio
from generator.portfolio.visibility import Audience

_TEMPLATES = Environment(loader=FileSystemLoader(Path(__file__).parent / "templates"),
                         autoescape=select_autoescape(["html"]))


def _write_problem_page(folder: Path, slug: str, problems: list[Problem]) -> None:
    """The problems as the page (and the 404 page, so every open tab shows them)."""
    page = _TEMPLATES.get_template("problems.html").render(slug=slug, problems=problems)
    for name in ("index.html", "404.html"):
        (folder / name).write_text(page, encoding="utf-8")


@contextmanager
def _stop_on_sigterm() -> Iterator[None]:
    """SIGTERM (`kill`, a service manager, a test) stops the server as Ctrl-C does: its temporary
    folder is removed instead of left behind."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def interrupt(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def serve_portal(projects_dir: Path, slug: str, *, audience: Audience, host: str, port: int,
                 today: str | None = None) -> None:
    """Build `slug`'s portal, serve it on host:port and rebuild on every change until Ctrl-C."""
    check_customer_slugs([slug])
    site = find_site(projects_dir)
    with _stop_on_sigterm(), tempfile.TemporaryDirectory(prefix=f"portal-serve-{slug}-") as work:
        root = Path(work) / "site"
        root.mkdir()

        def rebuild() -> None:
            fresh = Path(tempfile.mkdtemp(prefix="build-", dir=work))
            try:
                portfolio = load_portfolio(projects_dir, [slug])
                history = customer_history(projects_dir, slug, audience, now=portfolio.customers[0])
                build_portal(portfolio.site, portfolio.customers[0], fresh / "site",
                             audience=audience, today=build_date(today), history=history)
                print(f"rebuilt {slug}", flush=True)
            except PortalError as err:
                (fresh / "site").mkdir(exist_ok=True)
                _write_problem_page(fresh / "site", slug, err.problems)
                for problem in err.problems:
                    print(problem, file=sys.stderr, flush=True)
            replace_dir(fresh / "site", root, fresh / "old")
            shutil.rmtree(fresh, ignore_errors=True)

        rebuild()
        watched = [projects_dir / slug, site.mkdocs_yml, site.themes_dir]
        if site.content_dir:
            watched.append(site.content_dir)
        print(f"serving {slug} on http://{host}:{port}/ (Ctrl-C to stop)", flush=True)
        serve_site(root, rebuild, watched, host=host, port=port)
