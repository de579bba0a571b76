"""New portfolios, customers, projects and status updates that validate as soon as they are written.

A PM should never start from an empty file or copy last week's update by
hand: these functions write small, realistic starting points from the
templates in generator/scaffold/ (package data), each YAML file headed by a
`yaml-language-server` line pointing at the JSON Schemas kept in the
portfolio repository's `.schemas/` folder, so editors check it offline.
"""

from __future__ import annotations

import functools
import os
import re
import shutil
import subprocess
from collections.abc import Sequence
from datetime import date, timedelta
from pathlib import Path
from typing import Any, NamedTuple

import jinja2
import yaml

from generator.commands.source import running_source
from generator.portfolio.errors import PortalError, did_you_mean
from generator.portfolio.layout import CONTENT_DIR, CUSTOMER_FILE, PROJECT_FILE, display_path, find_site
from generator.portfolio.model import PORTAL_ROOT_NAMES, PROJECT_FILES, SLUG_RE
from generator.portfolio.placeholders import SAMPLES, TODO
from generator.portfolio.schema import schema_name, write_schemas
from generator.portfolio.validate import parse_file

TEMPLATES = Path(__file__).parent / "scaffold_templates"
"""Templates of every file written here (`*.j2` are rendered, the rest copied as they are)."""
SCHEMAS_FOLDER = ".schemas"
"""Where a portfolio repository keeps the schemas its YAML files point at, next to projects/."""
EXAMPLE_CUSTOMER = ("example-customer", "Example Customer")
EXAMPLE_PROJECT = ("example-project", "Example project")
REPO_FILES = {
    "README.md": "repo/README.md.j2",
    ".gitignore": "repo/gitignore",
    "requirements.txt": "repo/requirements.txt.j2",
    ".pre-commit-config.yaml": "repo/pre-commit-config.yaml.j2",
    ".github/workflows/portal.yml": "repo/portal.yml.j2",
}
"""The portfolio repository's own files: target path -> template."""
BRANCH = "main"
"""The branch `portal init` creates and the scaffolded workflow publishes from."""
FALLBACK_IDENTITY = ("Portal init", "portal-init@localhost")
"""Who makes the first commit when git has no user.name/user.email (init says so)."""
DIMENSIONS = ("scope", "schedule", "budget")
"""Status dimensions a new update carries over from the previous one."""
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _quoted(text: str) -> str:
    """A YAML double-quoted scalar; anything not printable is escaped (YAML folds raw line breaks)."""
    def escape(ch: str) -> str:
        if ch in '"\\':
            return "\\" + ch
        if ch.isprintable():
            return ch
        return f"\\u{ord(ch):04x}" if ord(ch) < 0x10000 else f"\\U{ord(ch):08x}"
    return '"' + "".join(escape(ch) for ch in text) + '"'


def _yaml_scalar(value: Any, indent: str = "  ") -> str:
    """A text value as YAML that reads back as exactly that text: plain when safe, else quoted."""
    text = str(value)
    lines = text.split("\n")
    if len(lines) > 1:
        if text == text.strip() and all(line.isprintable() and line == line.rstrip() for line in lines):
            return "|-\n" + "\n".join(indent + line if line else "" for line in lines)
        return _quoted(text)
    try:
        plain = text == text.strip() and text.isprintable() and yaml.safe_load(text) == text
    except yaml.YAMLError:
        plain = False
    return text if plain else _quoted(text)


@functools.cache
def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES), undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True, trim_blocks=True, autoescape=False,
    )
    env.filters["yaml"] = _yaml_scalar
    env.globals["sample"] = SAMPLES  # placeholders.py: what the validator refuses to publish
    return env


def _render(template: str, **context: Any) -> str:
    if not template.endswith(".j2"):
        return (TEMPLATES / template).read_text(encoding="utf-8")
    return _environment().get_template(template).render(**context)


def _write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="\n") as out:
        out.write(text)
    return path


def _schema_ref(path: Path, projects_dir: Path) -> str:
    """The relative path from a YAML file to its schema, for the `yaml-language-server` line."""
    schema = projects_dir.parent / SCHEMAS_FOLDER / schema_name(path.name)
    return Path(os.path.relpath(schema.resolve(), path.parent.resolve())).as_posix()


def _write_yaml(path: Path, projects_dir: Path, **context: Any) -> Path:
    ref = _schema_ref(path, projects_dir)
    return _write(path, _render(path.name + ".j2", schema=ref, **context))


def _refresh_schemas(projects_dir: Path) -> list[Path]:
    """Write the schemas the YAML files point at; returns those that were missing or out of date."""
    folder = projects_dir.parent / SCHEMAS_FOLDER
    before = {p: p.read_bytes() for p in folder.glob("*.schema.json")} if folder.is_dir() else {}
    return [p for p in write_schemas(folder) if before.get(p) != p.read_bytes()]


def _title(slug: str, *, sentence: bool) -> str:
    """A starting name from a slug: `acme-corp` -> `Acme Corp`, `website-relaunch` -> `Website relaunch`."""
    words = slug.replace("-", " ")
    return words.capitalize() if sentence else words.title()


def _check_slug(slug: str, what: str) -> None:
    if not SLUG_RE.fullmatch(slug):
        suggestion = re.sub(r"[^a-z0-9]+", "-", slug.lower()).strip("-")[:63]
        example = f", e.g. '{suggestion}'" if SLUG_RE.fullmatch(suggestion) else ""
        raise PortalError(f"'{slug}' is not a valid {what} slug",
                          "use lower-case letters, digits and hyphens, starting with a letter or digit "
                          f"(at most 63 characters){example}")


def _projects_folder(projects_dir: Path) -> None:
    if not projects_dir.is_dir():
        raise PortalError(f"projects folder not found: {projects_dir}",
                          "run from the folder that holds projects/, pass --projects DIR, "
                          "or start a new portfolio with `portal init DIR`")


def _customer_folder(projects_dir: Path, customer: str) -> Path:
    """The folder of an existing customer, or a PortalError naming the ones there are."""
    _projects_folder(projects_dir)
    folder = projects_dir / customer
    if SLUG_RE.fullmatch(customer) and (folder / CUSTOMER_FILE).is_file():
        return folder
    known = sorted(p.parent.name for p in projects_dir.glob(f"*/{CUSTOMER_FILE}"))
    hint = (did_you_mean(customer, known)
            or f"known customers: {', '.join(known) or 'none'}; add one with `portal new customer SLUG`")
    raise PortalError(f"no customer '{customer}' in {display_path(projects_dir, projects_dir)}", hint)


def _project_folder(projects_dir: Path, customer: str, project: str) -> Path:
    folder = _customer_folder(projects_dir, customer) / project
    if SLUG_RE.fullmatch(project) and (folder / PROJECT_FILE).is_file():
        return folder
    known = sorted(p.parent.name for p in folder.parent.glob(f"*/{PROJECT_FILE}"))
    hint = (did_you_mean(project, known)
            or f"projects of {customer}: {', '.join(known) or 'none'}; "
               f"add one with `portal new project {customer}/SLUG`")
    raise PortalError(f"no project '{project}' for customer '{customer}'", hint)


def new_customer(projects_dir: Path, slug: str, name: str | None = None) -> list[Path]:
    """Add a customer folder with a valid customer.yml; returns the files written."""
    _projects_folder(projects_dir)
    _check_slug(slug, "customer")
    folder = projects_dir / slug
    if folder.exists():
        raise PortalError(f"customer '{slug}' already exists: {display_path(folder, projects_dir)}",
                          f"pick another slug, or add a project with `portal new project {slug}/SLUG`")
    written = _refresh_schemas(projects_dir)
    path = folder / CUSTOMER_FILE
    return [*written, _write_yaml(path, projects_dir, name=name or _title(slug, sentence=False))]


def new_project(projects_dir: Path, customer: str, slug: str, name: str | None = None, *,
                today: date | None = None) -> list[Path]:
    """Add a project with every file, starting `today`, valid as written; returns the files written."""
    customer_dir = _customer_folder(projects_dir, customer)
    _check_slug(slug, "project")
    if slug == CONTENT_DIR:
        raise PortalError(f"'{slug}' cannot be a project slug: {customer}/{slug}/ holds "
                          "the customer's own pages", "pick another slug")
    if slug in PORTAL_ROOT_NAMES:
        raise PortalError(f"'{slug}' cannot be a project slug: the portal's own pages use that name",
                          f"pick another slug, e.g. '{slug}-project'")
    folder = customer_dir / slug
    if folder.exists():
        raise PortalError(f"project '{customer}/{slug}' already exists: {display_path(folder, projects_dir)}",
                          "pick another slug, or edit the files that are there")
    start = today or date.today()
    context = {
        "name": name or _title(slug, sentence=True), "customer": customer, "project": slug,
        "start": start, "kickoff": start + timedelta(weeks=1), "due": start + timedelta(weeks=1),
        "sign_off": start + timedelta(weeks=2), "end": start + timedelta(weeks=13),
        **_update_context(start, "We are setting up the project and agreeing the scope with you.",
                          dimensions=[(d, "green") for d in DIMENSIONS],
                          next_items=["Kick-off meeting", "Scope sign-off (M2)"]),
    }
    written = _refresh_schemas(projects_dir)
    return written + [_write_yaml(folder / filename, projects_dir, **context) for filename in PROJECT_FILES]


def init_portfolio(target: Path, *, today: date | None = None) -> tuple[list[Path], list[str]]:
    """Start a portfolio repository in `target` (new or empty) that validates and builds at once.

    Returns the files written and notes for the PM (what was not done, or done for them).
    """
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise PortalError(f"{target} already exists and is not empty",
                          "pass a new folder name; portal init never overwrites anything")
    projects_dir = target / "projects"
    site = find_site(projects_dir)  # an empty target has none of its own: the shipped defaults
    target.mkdir(parents=True, exist_ok=True)
    shutil.copy2(site.mkdocs_yml, target / "mkdocs.yml")
    if site.content_dir is not None:
        shutil.copytree(site.content_dir, target / "content")
    shutil.copytree(site.themes_dir / "default", target / "themes" / "default",
                    ignore=shutil.ignore_patterns("__pycache__", "*.pyc", ".*"))
    source = running_source()
    customer, project = EXAMPLE_CUSTOMER[0], EXAMPLE_PROJECT[0]
    context = {"source": source, "branch": BRANCH, "customer": customer, "project": project}
    for rel, template in REPO_FILES.items():
        _write(target / rel, _render(template, **context))
    projects_dir.mkdir()
    new_customer(projects_dir, customer, EXAMPLE_CUSTOMER[1])
    new_project(projects_dir, customer, project, EXAMPLE_PROJECT[1], today=today)
    written = sorted(p for p in target.rglob("*") if p.is_file())
    notes = [] if source.requirement else [
        f"requirements.txt: {source.note}; set where CI installs portal from (CI stops until then)"]
    return written, notes + _first_commit(target)


def _git(target: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["git", *args], cwd=target, capture_output=True, text=True, check=False)


def _first_commit(target: Path) -> list[str]:
    """A repository on BRANCH with everything committed: pre-commit, "What changed" and CI need one."""
    if not shutil.which("git"):
        return ["git is not installed: no repository was made; run `git init -b "
                f"{BRANCH}` and commit once it is"]
    if _git(target, "init", "-q", "-b", BRANCH).returncode:  # git before 2.28 has no -b
        _git(target, "init", "-q")
        _git(target, "symbolic-ref", "HEAD", f"refs/heads/{BRANCH}")
    notes = []
    identity: list[str] = []
    if not (_git(target, "config", "user.name").stdout.strip()
            and _git(target, "config", "user.email").stdout.strip()):
        name, email = FALLBACK_IDENTITY
        identity = ["-c", f"user.name={name}", "-c", f"user.email={email}"]
        notes.append(f"git has no user.name/user.email: the first commit is by '{name} <{email}>'; "
                     "set yours with `git config --global user.name/user.email`")
    _git(target, "add", "-A")
    done = _git(target, *identity, "commit", "-q", "--no-verify", "-m", "Start the portfolio (portal init)")
    if done.returncode:
        notes.append(f"the first commit failed, commit by hand: {done.stderr.strip()}")
    return notes


class _Style(NamedTuple):
    """How a status.yml indents: the list, the keys of an item, the lists inside an item."""

    indent: str = ""
    content: str = "  "
    nested: str = "  "


def _update_context(day: date, summary: str, *, health: str = "green",
                    dimensions: Sequence[tuple[str, str]] = (), done: Sequence[str] = (),
                    next_items: Sequence[str] = (), style: _Style | None = None) -> dict[str, Any]:
    """What status-update.yml.j2 needs: the values and the indentation of the file it goes into."""
    indent, content, nested = style or _Style()
    return {
        "date": day, "health": health, "dimensions": dimensions, "summary": summary,
        "done": done, "next": next_items,
        "dash": indent + "- " + " " * (len(content) - 2), "pad": indent + content,
        "item_dash": indent + content + nested + "- ",
    }


def _file_style(text: str) -> _Style | None:
    """(list indent, item content offset, nested list offset) of a status.yml, None for `[]`."""
    root = yaml.compose(text, Loader=_LOADER)
    if not isinstance(root, yaml.SequenceNode):
        return None
    if root.flow_style:
        if root.value:
            raise PortalError("status.yml is written as one [...] list",
                              "rewrite it with one `- date: ...` item per update, then run this again")
        return None
    dash = root.start_mark.column
    first = root.value[0]
    key = first.start_mark.column if isinstance(first, yaml.MappingNode) else dash + 2
    nested = 2
    for item in root.value:
        for key_node, value in item.value if isinstance(item, yaml.MappingNode) else []:
            if key_node.value in ("done", "next") and isinstance(value, yaml.SequenceNode) \
                    and not value.flow_style:
                nested = value.start_mark.column - key
    return _Style(" " * dash, " " * (key - dash), " " * max(nested, 0))


def add_status(projects_dir: Path, customer: str, project: str, today: date) -> Path:
    """Add an update dated `today`, prefilled from the one before it, in date order; the file's
    text is kept as is."""
    path = _project_folder(projects_dir, customer, project) / "status.yml"
    if not path.is_file():
        _refresh_schemas(projects_dir)
        context = _update_context(today, f"{TODO} how the project is going, in one or two sentences")
        return _write_yaml(path, projects_dir, customer=customer, project=project, **context)
    updates, _, problems = parse_file(path, display_path(path, projects_dir), "status.yml")
    if problems:
        raise PortalError(problems)
    if any(u.date == today for u in updates):
        raise PortalError(f"{customer}/{project} already has a status update for {today}",
                          f"edit it in {display_path(path, projects_dir)}, or pass another date with --today")
    previous = max((u for u in updates if u.date < today), key=lambda u: u.date, default=None)
    since = f" since {previous.date}" if previous else ""
    text = path.read_text(encoding="utf-8")
    style = _file_style(text)
    context = _update_context(
        today, f"{TODO} what changed{since}, in one or two sentences", style=style,
        health=previous.health if previous else "green", done=previous.next if previous else [],
        dimensions=[(d, getattr(previous, d)) for d in DIMENSIONS if getattr(previous, d, None)])
    item = _render("status-update.yml.j2", **context)
    if style is None:  # `[]`: the only spelling of an empty list we can extend in place
        new_text = re.sub(r"^\[[ \t]*\]", lambda _: item.rstrip("\n"), text, count=1, flags=re.MULTILINE)
        new_text += "" if new_text.endswith("\n") else "\n"
    else:
        new_text = _insert_in_date_order(text, item, today)
    _check_appended(new_text, len(updates) + 1, path)
    _write(path, new_text)
    return path


def _insert_in_date_order(text: str, item: str, day: date) -> str:
    """`item` at the end, or before the first update dated after it (a back-dated update): the
    file stays oldest first, as the PM reads it."""
    root = yaml.compose(text, Loader=_LOADER)
    items = root.value if isinstance(root, yaml.SequenceNode) else []
    later = [node for node in items if _item_date(node) > day.isoformat()]
    if not later:
        return text + ("" if text.endswith("\n") else "\n") + item
    line = later[0].start_mark.line
    offsets = [0, *(i + 1 for i, ch in enumerate(text) if ch == "\n")]
    return text[:offsets[line]] + item + text[offsets[line]:]


def _item_date(node: yaml.Node) -> str:
    """The `date:` text of a status update node (ISO dates sort as text)."""
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if key.value == "date":
                return str(value.value)
    return ""


def _check_appended(text: str, count: int, path: Path) -> None:
    """Refuse to write unless the new text is a list of `count` updates (never corrupt the file)."""
    try:
        root = yaml.compose(text, Loader=_LOADER)
    except yaml.YAMLError:
        root = None
    if not isinstance(root, yaml.SequenceNode) or len(root.value) != count:
        raise PortalError(f"could not append an update to {path} without changing its existing text",
                          "add the update by hand: copy the last item to the end of the file")
