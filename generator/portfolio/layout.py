"""The portfolio's folder layout: which customers, projects and files exist.

Anything that is not a slug folder, a known file or a content page is an
error (a typo like `statsu.yml` must never be skipped silently). A portal is
built only from files whose real path lies in its customer's folder, or in the
shared `content/`, `themes/` and `mkdocs.yml`: any symbolic link leading
elsewhere (or nowhere, or in a loop) is a problem at the link's own path.
"""

from __future__ import annotations

import errno
import os
from dataclasses import dataclass, field
from pathlib import Path

from generator.portfolio.errors import PortalError, Problem, did_you_mean
from generator.portfolio.model import LOGO_SUFFIXES, PORTAL_ROOT_NAMES, PROJECT_FILES, SLUG_RE, Site

CUSTOMER_FILE = "customer.yml"
PROJECT_FILE = "project.yml"
CONTENT_DIR = "content"
SHARED = ("mkdocs.yml", CONTENT_DIR, "themes")
"""What every portal shares, next to the projects folder (else the package's defaults)."""
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


def _real_path(link: Path) -> Path | str:
    """Where a symbolic link finally leads, or why it leads nowhere (a loop, a missing target)."""
    try:
        return link.resolve(strict=True)
    except RuntimeError:  # Python 3.11 reports a loop this way
        return "symbolic link loops back on itself"
    except OSError as err:
        if err.errno == errno.ELOOP:
            return "symbolic link loops back on itself"
        return "symbolic link points to nothing"


class _Scanner:
    """Walks the projects folder once, collecting every layout problem."""

    def __init__(self, projects_dir: Path) -> None:
        self.root = projects_dir
        self.real_root = projects_dir.resolve()
        self.problems: list[Problem] = []

    def report(self, path: Path, message: str, hint: str = "") -> None:
        self.problems.append(Problem(display_path(path, self.root), 0, 0, message, hint))

    def entries(self, folder: Path, allowed: Path | None) -> list[Path]:
        """Folder entries, sorted; a symlink not leading into `allowed` (a real path; None: the entry's
        own place, for customer folders) is reported and dropped.

        An entry that is no link lies where its folder does, so checking links
        alone, folder by folder from the top, checks every file's real path.
        """
        return [entry for entry in sorted(folder.iterdir())
                if self.admits(entry, allowed or self.real_root / entry.name)]

    def admits(self, entry: Path, allowed: Path) -> bool:
        """True unless `entry` is a symlink not leading into `allowed`; reports why not."""
        if not entry.is_symlink():
            return True
        target = _real_path(entry)
        if isinstance(target, str):
            self.report(entry, target, "link to an existing file, or copy the file instead of linking it")
        elif not target.is_relative_to(allowed):
            self.report(entry, self.leads_to(target, allowed), "copy the file instead of linking it: "
                        "a portal is built only from its customer's folder and the shared files")
        else:
            return True
        return False

    def tree(self, folder: Path, allowed: Path) -> None:
        """Check every link below `folder` (a link to a folder inside `allowed` is checked where it leads)."""
        with os.scandir(folder) as scan:
            for entry in scan:
                if entry.is_symlink():
                    self.admits(Path(entry.path), allowed)
                elif entry.is_dir():
                    self.tree(Path(entry.path), allowed)

    def leads_to(self, target: Path, allowed: Path) -> str:
        """Where a link leads, in words, when that is outside `allowed`."""
        if not target.is_relative_to(self.real_root.parent):
            return "symbolic link points outside the portfolio"
        if target.is_relative_to(self.real_root) and target != self.real_root:
            other = target.relative_to(self.real_root).parts[0]
            inside = allowed.is_relative_to(self.real_root)
            own = allowed.relative_to(self.real_root).parts[:1] if inside else ()
            if (other,) != own and (self.real_root / other).is_dir():
                return f"symbolic link points into the folder of customer '{other}'"
        return f"symbolic link points outside {display_path(allowed, self.real_root)}/"

    def slug_dir(self, entry: Path, what: str, known: list[str]) -> bool:
        """True when `entry` is a folder with a valid slug name; reports why not."""
        if not entry.is_dir():
            hint = did_you_mean(entry.name, known) or f"only {what} folders belong here"
            self.report(entry, f"unexpected file '{entry.name}'", hint)
            return False
        if not SLUG_RE.fullmatch(entry.name):
            self.report(
                entry, f"folder name '{entry.name}' is not a valid {what} slug",
                "use lower-case letters, digits and hyphens, starting with a letter or digit "
                "(at most 63 characters)",
            )
            return False
        return True

    def pages(self, folder: Path, allowed: Path) -> list[Path]:
        """The Markdown pages of a content/ folder."""
        pages = []
        for entry in self.entries(folder, allowed):
            if entry.name.startswith("."):
                self.report(entry, f"hidden file '{entry.name}' cannot be a page",
                            "rename it without the leading dot, or keep drafts outside the portfolio")
            elif entry.is_file() and entry.suffix == ".md":
                pages.append(entry)
            else:
                self.report(entry, f"'{entry.name}' is not a Markdown page",
                            "content/ holds *.md pages only")
        return pages

    def project(self, folder: Path, allowed: Path) -> ProjectDir:
        files: dict[str, Path] = {}
        known = list(PROJECT_FILES)
        for entry in self.entries(folder, allowed):
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
        allowed = self.real_root / folder.name
        has_file = False
        for entry in self.entries(folder, allowed):
            if entry.name == CUSTOMER_FILE and entry.is_file():
                has_file = True
            elif entry.name == CONTENT_DIR and entry.is_dir():  # a page links only to a page: not to YAML
                customer.pages.extend(self.pages(entry, entry.resolve()))
            elif entry.name in PORTAL_ROOT_NAMES and entry.is_dir():
                self.report(entry, f"a project folder may not be named '{entry.name}': the portal's own "
                            "pages use that name", f"rename the folder, e.g. '{entry.name}-project'")
            elif entry.is_file() and entry.suffix.lower() in LOGO_SUFFIXES:
                pass  # a logo, which customer.yml names (rules.check_customer checks it)
            elif self.slug_dir(entry, "project", [CUSTOMER_FILE, CONTENT_DIR]):
                customer.projects.append(self.project(entry, allowed))
        if not has_file:
            self.report(folder, f"customer folder has no {CUSTOMER_FILE}",
                        f"every customer needs a {CUSTOMER_FILE} with at least `name:`")
        return customer


def check_customer_slugs(slugs: list[str]) -> None:
    """Refuse a named customer that is not a slug (`../x`), before any path is built from it."""
    bad = [slug for slug in slugs if not SLUG_RE.fullmatch(slug)]
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
        for entry in scanner.entries(projects_dir, None)
        if scanner.slug_dir(entry, "customer", []) and (only is None or entry.name in only)
    ]
    for slug in only or []:
        if slug not in {c.slug for c in customers}:
            scanner.report(projects_dir / slug, f"no customer '{slug}' in the portfolio",
                           did_you_mean(slug, [p.name for p in projects_dir.iterdir()]))
    return customers, scanner.problems


def scan_site(projects_dir: Path) -> tuple[Site, list[Problem]]:
    """mkdocs.yml, content/ and themes/ next to the projects folder (else the shipped defaults), and
    the problems with them: a link leading out of its own shared folder, a content/ entry that is no page.

    Every file of a theme may end up in a portal (mkdocs copies its assets), so all are checked.
    """
    defaults = PACKAGE_DEFAULTS if PACKAGE_DEFAULTS.is_dir() else SOURCE_DEFAULTS
    scanner = _Scanner(projects_dir)
    found: dict[str, Path] = {}
    for name in SHARED:
        local = projects_dir.parent / name
        path = local if local.exists() or local.is_symlink() else defaults / name
        if scanner.admits(path, path.parent.resolve() / name):
            found[name] = path
    content = found.get(CONTENT_DIR)
    pages = scanner.pages(content, content.resolve()) if content and content.is_dir() else []
    themes = found.get("themes", defaults / "themes")
    if "themes" in found:
        scanner.tree(themes, themes.resolve())
    site = Site(mkdocs_yml=found.get("mkdocs.yml", defaults / "mkdocs.yml"),
                content_dir=content if content and content.is_dir() else None,
                themes_dir=themes, pages=tuple(pages))
    return site, scanner.problems


def find_site(projects_dir: Path) -> Site:
    """The shared files every portal is built with (see `scan_site`; validation reports their problems)."""
    return scan_site(projects_dir)[0]
