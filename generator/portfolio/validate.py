"""Documents -> typed model, collecting every Problem with its file, line and column.

Three passes, each reporting everything it finds: the folder layout
(layout.py), each file against its model (here, via pydantic; messages.py
words its errors), then the rules that span fields and files (rules.py).
"""

from __future__ import annotations

import contextlib
import hashlib
import typing
from pathlib import Path
from typing import Any

from pydantic import BaseModel, TypeAdapter, ValidationError

from generator.portfolio.errors import PortalError, Problem, naming
from generator.portfolio.layout import (
    CUSTOMER_FILE,
    PROJECT_FILE,
    CustomerDir,
    ProjectDir,
    display_path,
    scan_portfolio,
    scan_site,
)
from generator.portfolio.load import Document, Loc, check_page, load_document, read_bounded
from generator.portfolio.messages import translate_errors
from generator.portfolio.model import FILE_MODELS, Customer, Expectation, Milestone, Portfolio, Project, Site
from generator.portfolio.placeholders import find_placeholders
from generator.portfolio.rules import check_customer, check_project
from generator.portfolio.values import language_note
from generator.portfolio.variants import misnamed

EXTENSION_PREFIX = "x-"
"""Keys for the user's own tooling, at any level: checked like any other key, then dropped."""
_ADAPTERS = {name: TypeAdapter(shape) for name, shape in FILE_MODELS.items()}


Parsed = tuple[Any, Document | None, list[Problem]]
_parsed: dict[tuple[str, str, bytes], Parsed] = {}
"""Parsed files by content: history reads the same unchanged file at hundreds of commits."""
_PARSED_MAX = 20_000


def parse_file(path: Path, display: str, filename: str) -> Parsed:
    """One contract file -> (its model value or None, its Document, problems)."""
    raw, problems = read_bounded(path, display)
    if raw is None:
        return None, None, problems
    key = (filename, display, hashlib.blake2b(raw, digest_size=16).digest())
    if key not in _parsed:
        if len(_parsed) >= _PARSED_MAX:
            _parsed.clear()
        with naming(display):
            _parsed[key] = _parse(raw, display, filename)
    value, doc, found = _parsed[key]
    return value, doc, list(found)


_parsed_for: list[str | None] = [None]
"""The customer whose files `_parsed` holds (a worker holds one customer's at a time)."""


def parse_cache_for(customer: str) -> None:
    """Keep parsed files only while they are `customer`'s: memory follows the largest customer.

    Validating, building and walking the newest commit of one customer read the
    same files: in a one-portal build (the CI case) they are parsed once. The
    next customer starts afresh, so a build of many parses each one twice.
    """
    if _parsed_for[0] != customer:
        _parsed.clear()
        _parsed_for[0] = customer


def _parse(raw: bytes, display: str, filename: str) -> Parsed:
    doc, problems = load_document(raw, display, ignore_prefix=EXTENSION_PREFIX)
    if doc is None:
        return None, None, problems
    try:
        value = _ADAPTERS[filename].validate_python(doc.data)
    except ValidationError as err:
        shape = FILE_MODELS[filename]
        return None, doc, problems + translate_errors(err.errors(), doc, shape, filename)
    return value, doc, problems


_ITEMS_IN: dict[str, tuple[str, type[BaseModel]]] = {
    "plan.yml": ("milestones", Milestone), "project.yml": ("expectations", Expectation)}
"""Files that are a mapping, and the key of the list of items in them (the other files are lists)."""


def _salvage(filename: str, doc: Document) -> list[tuple[Loc, Any]]:
    """(location, item) of each item of a file that failed that is valid on its own.

    The cross-file rules run on these too, so that a question blocking an unknown
    milestone is reported in the same run as a typo in another question.
    """
    prefix: Loc = ()
    if filename in _ITEMS_IN:
        key, model = _ITEMS_IN[filename]
        data, prefix = (doc.data.get(key) if isinstance(doc.data, dict) else None), (key,)
    elif typing.get_origin(FILE_MODELS[filename]) is list:
        data, model = doc.data, typing.get_args(FILE_MODELS[filename])[0]
    else:
        return []
    kept: list[tuple[Loc, Any]] = []
    for i, raw in enumerate(data if isinstance(data, list) else []):
        with contextlib.suppress(ValidationError):
            kept.append(((*prefix, i), model.model_validate(raw)))
    return kept


def _load_project(pdir: ProjectDir, projects_dir: Path,
                  placeholders: bool) -> tuple[Project | None, list[Problem]]:
    values: dict[str, Any] = {}
    docs: dict[str, Document] = {}
    problems: list[Problem] = []
    salvaged: dict[str, list[tuple[Loc, Any]]] = {}
    for filename, path in pdir.files.items():
        value, doc, found = parse_file(path, display_path(path, projects_dir), filename)
        problems += found
        if doc is not None:
            docs[filename] = doc
            problems += find_placeholders(doc) if placeholders else []
            if value is not None:
                values[filename] = value
            else:
                salvaged[filename] = _salvage(filename, doc)
    problems += check_project(values, docs, list(pdir.files), salvaged)
    if PROJECT_FILE not in values or problems:
        return None, problems
    plan = values.get("plan.yml")
    milestones = plan.milestones if plan else []
    if plan is not None and plan.visibility == "internal":
        milestones = [m.model_copy(update={"visibility": "internal"}) for m in milestones]
    project = Project(
        slug=pdir.slug,
        info=values[PROJECT_FILE],
        updates=tuple(sorted(values.get("status.yml", []), key=lambda u: u.date, reverse=True)),
        milestones=tuple(milestones),
        decisions=tuple(values.get("decisions.yml", [])),
        questions=tuple(values.get("questions.yml", [])),
        changes=tuple(values.get("changes.yml", [])),
        risks=tuple(values.get("risks.yml", [])),
        feedback=tuple(values.get("feedback.yml", [])),
    )
    return project, problems


def _load_customer(
    cdir: CustomerDir, projects_dir: Path, themes_dir: Path, placeholders: bool
) -> tuple[Customer | None, list[Problem]]:
    path = cdir.path / CUSTOMER_FILE
    problems: list[Problem] = []
    info = None
    if path.is_file():
        info, doc, problems = parse_file(path, display_path(path, projects_dir), CUSTOMER_FILE)
        if info is not None and doc is not None:
            problems += check_customer(info, doc, themes_dir, cdir.path)
        problems += find_placeholders(doc) if placeholders and doc is not None else []
    projects = []
    for pdir in cdir.projects:
        project, found = _load_project(pdir, projects_dir, placeholders)
        problems += found
        if project is not None:
            projects.append(project)
    for page in cdir.pages:
        problems += check_page(page, display_path(page, projects_dir))
    if info is None or problems:
        return None, problems
    logo = cdir.path / info.logo if info.logo else None
    return Customer(cdir.slug, info, tuple(projects), tuple(cdir.pages), logo), problems


def validate_portfolio(
    projects_dir: Path, only: list[str] | None = None, site: Site | None = None, *,
    placeholders: bool = False,
) -> tuple[Portfolio | None, list[Problem]]:
    """The whole portfolio (or the customers in `only`) as a model, or every problem in it.

    `site`: the shared files, already checked, when the customers are read from elsewhere (a past
    state of them in a scratch folder); else those next to `projects_dir` are checked too. With
    `placeholders`, text a customer would read that still holds a scaffold placeholder is a
    problem too (the customer audience's rule; placeholders.py).
    """
    problems: list[Problem] = []
    if site is None:
        site, problems = scan_site(projects_dir)
        problems += [p for page in site.pages for p in check_page(page, display_path(page, projects_dir))]
    customer_dirs, found = scan_portfolio(projects_dir, only)
    problems += found
    customers = []
    for cdir in customer_dirs:
        customer, found = _load_customer(cdir, projects_dir, site.themes_dir, placeholders)
        problems += found
        if customer is not None:
            customers.append(customer)
    if problems:
        return None, sorted(set(problems))
    return Portfolio(projects_dir, site, tuple(customers)), []


def load_portfolio(projects_dir: Path, only: list[str] | None = None, *,
                   placeholders: bool = False) -> Portfolio:
    """The validated portfolio, or a PortalError carrying every problem."""
    portfolio, problems = validate_portfolio(projects_dir, only, placeholders=placeholders)
    if portfolio is None:
        raise PortalError(problems)
    return portfolio


def language_notes(portfolio: Portfolio) -> list[Problem]:
    """A note at the `language` line of each customer whose language the portal has no words in, and at
    each content page named like a language variant whose language is spelt otherwise.

    Such a portal builds (any theme language did before the portal had
    catalogs), but its reader should not be surprised by English: `portal
    validate` and `portal build` show these as warnings.
    """
    notes = []
    for customer in portfolio.customers:
        note = language_note(customer.info.language)
        path = portfolio.projects_dir / customer.slug / CUSTOMER_FILE
        doc = parse_file(path, display_path(path, portfolio.projects_dir), CUSTOMER_FILE)[1] if note else None
        if doc is not None:
            notes.append(doc.problem(("language",), note))
    pages = [*portfolio.site.pages, *(page for customer in portfolio.customers for page in customer.pages)]
    for page, written, meant in misnamed(pages):
        stem = page.stem.rpartition(".")[0]
        notes.append(Problem(  # a warning is one line: what to do goes in the message
            display_path(page, portfolio.projects_dir), 0, 0,
            f"'{written}' in its name is no language code, so every portal shows it as a page of its own; "
            f"name it {stem}.{meant}.md to show it instead of {stem}.md where the language is '{meant}'"))
    return notes
