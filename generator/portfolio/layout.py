"""The portfolio's folder layout: which customers, projects and files exist.

Anything that is not a slug folder, a known file or a content page is an
error (a typo like `statsu.yml` must never be skipped silently).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from generator.portfolio.errors import PortalError, Problem, did_you_mean
from generator.portfolio.model import LOGO_SUFFIXES, PROJECT_FILES, SLUG_RE, Site

CUSTOMER_FILE = "customer.yml"
PROJECT_FILE = "project.yml"
CONTENT_DIR = "content"
PACKAGE_DEFAULTS = Path(__file__).parents[1] / "defaults"
"""Theme, content and mkdocs.yml shipped in the wheel (see pyproject's force-include)."""
SOURCE_DEFAULTS = Path(__file__).parents[2]
"""The same files in a source checkout, where they live at the top level."""


@dataclass(frozen=True)
class ProjectDir:
    """A project folder and the contract files present in it."""

    slug: str
    files: dict[str, Path]


@dataclass(frozen=True)
class CustomerDir:
    """A customer folder: its customer.yml, projects and own content pages."""

    slug: str
    path: Path
    projects: list[ProjectDir] = field(default_factory=list)
    pages: list[Path] = field(default_factory=list)


def display_path(path: Path, projects_dir: Path) -> str:
    """A path as the PM knows it: relative to the portfolio's parent folder."""
    try:
        return str(path.relative_to(projects_dir.parent))
    except ValueError:
        return str(path)


class _Scanner:
    """Walks the projects folder once, collecting every layout problem."""

    def __init__(self, projects_dir: Path) -> None:
        self.root = projects_dir
        self.real_root = projects_dir.resolve()
        self.problems: list[Problem] = []

    def report(self, path: Path, message: str, hint: str = "") -> None:
        self.problems.append(Problem(display_path(path, self.root), 0, 0, message, hint))

    def entries(self, folder: Path) -> list[Path]:
        """Folder entries, sorted; a symlink leading outside the portfolio is reported and dropped."""
        kept = []
        for entry in sorted(folder.iterdir()):
            if entry.is_symlink() and not entry.resolve().is_relative_to(self.real_root):
                self.report(entry, "symbolic link points outside the portfolio",
                            "copy the file into the portfolio instead of linking to it")
            elif entry.is_symlink() and not entry.exists():
                self.report(entry, "symbolic link points to nothing")
            else:
                kept.append(entry)
        return kept

    def slug_dir(self, entry: Path, what: str, known: list[str]) -> bool:
        """True when `entry` is a folder with a valid slug name; reports why not."""
        if not entry.is_dir():
            hint = did_you_mean(entry.name, known) or f"only {what} folders belong here"
            self.report(entry, f"unexpected file '{entry.name}'", hint)
            return False
        if not SLUG_RE.match(entry.name):
            self.report(
                entry, f"folder name '{entry.name}' is not a valid {what} slug",
                "use lower-case letters, digits and hyphens, starting with a letter or digit "
                "(at most 63 characters)",
            )
            return False
        return True

    def pages(self, folder: Path) -> list[Path]:
        """The Markdown pages of a content/ folder."""
        pages = []
        for entry in self.entries(folder):
            if entry.is_file() and entry.suffix == ".md":
                pages.append(entry)
            else:
                self.report(entry, f"'{entry.name}' is not a Markdown page",
                            "content/ holds *.md pages only")
        return pages

    def project(self, folder: Path) -> ProjectDir:
        files: dict[str, Path] = {}
        known = list(PROJECT_FILES)
        for entry in self.entries(folder):
            if entry.is_file() and entry.name in PROJECT_FILES:
                files[entry.name] = entry
            else:
                hint = did_you_mean(entry.name, known) or "a project folder holds only: " + ", ".join(known)
                self.report(entry, f"unknown {'folder' if entry.is_dir() else 'file'} '{entry.name}'", hint)
        if PROJECT_FILE not in files:
            self.report(folder, f"project folder has no {PROJECT_FILE}",
                        f"every project needs a {PROJECT_FILE} with at least `name:`")
        return ProjectDir(folder.name, files)

    def customer(self, folder: Path) -> CustomerDir:
        customer = CustomerDir(folder.name, folder)
        has_file = False
        for entry in self.entries(folder):
            if entry.name == CUSTOMER_FILE and entry.is_file():
                has_file = True
            elif entry.name == CONTENT_DIR and entry.is_dir():
                customer.pages.extend(self.pages(entry))
            elif entry.is_file() and entry.suffix.lower() in LOGO_SUFFIXES:
                pass  # a logo, which customer.yml names (rules.check_customer checks it)
            elif self.slug_dir(entry, "project", [CUSTOMER_FILE, CONTENT_DIR]):
                customer.projects.append(self.project(entry))
        if not has_file:
            self.report(folder, f"customer folder has no {CUSTOMER_FILE}",
                        f"every customer needs a {CUSTOMER_FILE} with at least `name:`")
        return customer


def check_customer_slugs(slugs: list[str]) -> None:
    """Refuse a named customer that is not a slug (`../x`), before any path is built from it."""
    bad = [slug for slug in slugs if not SLUG_RE.match(slug)]
    if bad:
        raise PortalError([Problem(f"customer {slug!r}", 0, 0, "not a customer folder name",
                                   "name a folder directly inside the projects folder, e.g. acme")
                           for slug in bad])


def scan_portfolio(
    projects_dir: Path, only: list[str] | None = None
) -> tuple[list[CustomerDir], list[Problem]]:
    """The customer folders of a portfolio (all, or those named in `only`) and the layout problems."""
    scanner = _Scanner(projects_dir)
    if not projects_dir.is_dir():
        scanner.report(projects_dir, "projects folder not found",
                       "run from the folder that holds projects/, or pass --projects DIR")
        return [], scanner.problems
    customers = [
        scanner.customer(entry)
        for entry in scanner.entries(projects_dir)
        if scanner.slug_dir(entry, "customer", []) and (only is None or entry.name in only)
    ]
    for slug in only or []:
        if slug not in {c.slug for c in customers}:
            scanner.report(projects_dir / slug, f"no customer '{slug}' in the portfolio",
                           did_you_mean(slug, [p.name for p in projects_dir.iterdir()]))
    return customers, scanner.problems


def find_site(projects_dir: Path) -> Site:
    """mkdocs.yml, content/ and themes/ next to the projects folder, else the shipped defaults."""
    defaults = PACKAGE_DEFAULTS if PACKAGE_DEFAULTS.is_dir() else SOURCE_DEFAULTS

    def pick(name: str) -> Path:
        local = projects_dir.parent / name
        return local if local.exists() else defaults / name

    content = pick("content")
    return Site(
        mkdocs_yml=pick("mkdocs.yml"),
        content_dir=content if content.is_dir() else None,
        themes_dir=pick("themes"),
    )
