"""Rules that span fields and files: unique ids, references, status agreement, date order.

Each check reads already-typed values and reports at the position of the
offending value in its Document. A reference into a file that failed to
load is not checked (its own problems are already reported).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from datetime import date
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from generator.portfolio.errors import Problem, did_you_mean
from generator.portfolio.load import Document, Loc
from generator.portfolio.model import LOGO_SUFFIXES, REFERENCES, CustomerFile, Milestone, Person

THEME_PAGES = "pages"
"""The folder of a theme holding its page templates (pages/*.md.j2)."""
_LIST_FILES = ("decisions.yml", "questions.yml", "changes.yml", "risks.yml", "feedback.yml")


class _Checker:
    """Collects the problems of one project's files."""

    def __init__(self, values: dict[str, Any], docs: dict[str, Document],
                 salvaged: dict[str, list[tuple[Loc, Any]]]) -> None:
        self.values = values
        self.docs = docs
        self.salvaged = salvaged
        """Of each file that failed its model, the items valid on their own."""
        self.problems: list[Problem] = []

    def report(self, filename: str, loc: Loc, message: str, hint: str = "") -> None:
        self.problems.append(self.docs[filename].problem(loc, message, hint))

    def items(self, filename: str) -> list[tuple[Loc, Any]]:
        """(location, item) of every item in a list-like file that loaded, or valid in one that did not."""
        if filename not in self.values:
            return self.salvaged.get(filename, [])
        if filename == "plan.yml":
            return [(("milestones", i), m) for i, m in enumerate(self.values[filename].milestones)]
        if filename == "project.yml":
            return [(("expectations", i), e) for i, e in enumerate(self.values[filename].expectations)]
        return [((i,), item) for i, item in enumerate(self.values[filename])]

    def unique(self, filename: str, key: str = "id") -> None:
        seen: dict[Any, int] = {}
        for loc, item in self.items(filename):
            value = getattr(item, key)
            if value in seen:
                self.report(filename, loc + (key,),
                            f"duplicate {key} '{value}' (also used by item {seen[value] + 1})",
                            f"each {key} must be unique within {filename}")
            else:
                seen[value] = int(loc[-1])

    def references(self, filename: str, field: str, targets: set[str] | None, what: str,
                   refs: Iterable[tuple[Loc, str]]) -> None:
        """Every (location, id) in `refs` must name one of `targets` (None: target file failed)."""
        if targets is None:
            return
        for loc, ref in refs:
            if ref not in targets:
                known = ", ".join(sorted(targets)) or "none defined"
                self.report(filename, loc, f"{field} names {what} '{ref}', which does not exist",
                            f"known {what} ids: {known}")

    def order(self, filename: str, loc: Loc, field: str, later: date | None,
              earlier_field: str, earlier: date | None) -> None:
        if later and earlier and later < earlier:
            self.report(filename, loc + (field,),
                        f"{field} {later} is before {earlier_field} {earlier}",
                        "check both dates")


def _references(record: BaseModel, loc: Loc, path: tuple[str, ...]) -> Iterator[tuple[Loc, str, str, str]]:
    """(location, dotted field, target, id) of every reference in `record` (model.REFERENCES)."""
    for name in type(record).model_fields:
        value = getattr(record, name)
        target = REFERENCES.get((type(record), name))  # type: ignore[arg-type]
        if target is not None:
            refs = enumerate(value) if isinstance(value, list) else [(None, value)] if value else []
            for j, ref in refs:
                yield (*loc, name) + (() if j is None else (j,)), ".".join((*path, name)), target, ref
        elif isinstance(value, BaseModel):
            yield from _references(value, (*loc, name), (*path, name))


def _ids(checker: _Checker, files: Sequence[str], filename: str) -> set[str] | None:
    """The ids references may name; of a file that failed, every id written (None: none can be read)."""
    if filename not in files or filename in checker.values:
        return {item.id for _, item in checker.items(filename)}
    doc = checker.docs.get(filename)
    written = doc.data if doc else None
    if filename == "plan.yml":
        written = written.get("milestones") if isinstance(written, dict) else None
    if not isinstance(written, list):
        return None
    return {item["id"] for item in written if isinstance(item, dict) and isinstance(item.get("id"), str)}


def _cycles(checker: _Checker) -> None:
    """A milestone may not depend on itself, directly or through others."""
    graph = {m.id: m.depends_on for _, m in checker.items("plan.yml")}
    locs = {m.id: loc for loc, m in checker.items("plan.yml")}
    done: set[str] = set()

    def visit(mid: str, path: list[str]) -> None:
        if mid in path:
            first = path[path.index(mid)]
            checker.report("plan.yml", locs[first] + ("depends_on",),
                           "depends_on forms a cycle: " + " -> ".join(path[path.index(mid):] + [mid]),
                           "remove one dependency of the cycle")
            return
        if mid in done or mid not in graph:
            return
        for nxt in graph[mid]:
            visit(nxt, path + [mid])
        done.add(mid)

    for mid in graph:
        visit(mid, [])


def _status_agreement(c: _Checker) -> None:
    for loc, m in c.items("plan.yml"):
        assert isinstance(m, Milestone)
        if m.status == "done" and m.actual is None:
            c.report("plan.yml", loc + ("status",), "milestone is done but has no actual date",
                     "add `actual: YYYY-MM-DD`")
    for loc, q in c.items("questions.yml"):
        if q.status == "answered":
            for name in ("answer", "answered"):
                if getattr(q, name) is None:
                    c.report("questions.yml", loc + ("status",),
                             f"question is answered but has no '{name}'", f"add `{name}:`")
        if q.status == "open":
            for name in ("answer", "answered"):
                if getattr(q, name) is not None:
                    c.report("questions.yml", loc + (name,),
                             f"question is open but has '{name}'",
                             "set `status: answered`, or remove the answer")
        c.order("questions.yml", loc, "answered", q.answered, "asked", q.asked)
        c.order("questions.yml", loc, "due", q.due, "asked", q.asked)
    for loc, ch in c.items("changes.yml"):
        if ch.status in ("approved", "rejected") and ch.decided is None:
            c.report("changes.yml", loc + ("status",),
                     f"change request is {ch.status} but has no 'decided' date",
                     "add `decided: YYYY-MM-DD` (and `decided_by:`)")
        if ch.status in ("proposed", "under-review") and ch.decided is not None:
            c.report("changes.yml", loc + ("decided",),
                     f"change request is {ch.status} but has a 'decided' date",
                     "set the status to approved or rejected, or remove `decided:`")
        c.order("changes.yml", loc, "decided", ch.decided, "requested", ch.requested)
    for loc, f in c.items("feedback.yml"):
        if f.score is not None and f.scale is None:
            c.report("feedback.yml", loc + ("score",), "score needs a scale",
                     "add `scale:` (e.g. 10 for a score out of 10)")
        if f.score is not None and f.scale is not None and not 0 <= f.score <= f.scale:
            c.report("feedback.yml", loc + ("score",), f"score {f.score:g} is outside 0..{f.scale:g}")


def _no_contradictions(c: _Checker) -> None:
    """A record may not say two opposite things: a reader would be told both."""
    for loc, m in c.items("plan.yml"):
        if m.status == "cancelled" and m.forecast is not None:
            c.report("plan.yml", loc + ("forecast",), "milestone is cancelled but has a forecast",
                     "remove `forecast:` (a cancelled milestone is not expected any more)")
    for loc, d in c.items("decisions.yml"):
        if d.status == "proposed" and d.decided_by:
            c.report("decisions.yml", loc + ("decided_by",), "decision is proposed but has 'decided_by'",
                     "set `status: accepted` (or rejected), or remove `decided_by:` until it is decided")
    for loc, ch in c.items("changes.yml"):
        if ch.status in ("proposed", "under-review") and ch.decided_by is not None:
            c.report("changes.yml", loc + ("decided_by",),
                     f"change request is {ch.status} but has 'decided_by'",
                     "set the status to approved or rejected, or remove `decided_by:`")


def check_project(
    values: dict[str, Any], docs: dict[str, Document], files: Sequence[str],
    salvaged: dict[str, list[tuple[Loc, Any]]] | None = None,
) -> list[Problem]:
    """Every cross-field and cross-file rule of one project; `files` are those present, `salvaged` the
    valid items of files that failed (the rules check those too)."""
    c = _Checker(values, docs, salvaged or {})
    for filename in ("plan.yml", "project.yml", *_LIST_FILES):
        c.unique(filename)
    c.unique("status.yml", "date")
    if "project.yml" in values:
        info = values["project.yml"]
        c.order("project.yml", (), "end", info.end, "start", info.start)
    targets = {"milestones": _ids(c, files, "plan.yml"), "decisions": _ids(c, files, "decisions.yml")}
    for filename in ("plan.yml", *_LIST_FILES):
        for loc, item in c.items(filename):
            for where, field, target, ref in _references(item, loc, ()):
                c.references(filename, field, targets[target], target.removesuffix("s"), [(where, ref)])
    _cycles(c)
    for loc, d in c.items("decisions.yml"):
        if d.supersedes == d.id:
            c.report("decisions.yml", loc + ("supersedes",), "a decision cannot supersede itself")
    _status_agreement(c)
    _no_contradictions(c)
    if "project.yml" in c.values:
        c.problems += _unreachable(c.docs["project.yml"], "team", c.values["project.yml"].team)
    return c.problems


def _unreachable(doc: Document, field: str, people: Sequence[Person]) -> list[Problem]:
    """A person `portal notify` should mail needs an email address."""
    return [doc.problem((field, i, "notify"), f"{person.name} has notify but no email",
                        "add their email, or write notify: none")
            for i, person in enumerate(people) if person.notify and not person.email]


def check_customer(info: CustomerFile, doc: Document, themes_dir: Path, folder: Path) -> list[Problem]:
    """customer.yml rules beyond its own fields: the theme exists and holds pages/, mailed contacts
    have an address, the logo is a picture inside `folder`."""
    problems = [*_unreachable(doc, "contacts", info.contacts), *_theme_problems(info, doc, themes_dir)]
    if info.logo is not None:
        problem = _logo_problem(info.logo, folder)
        if problem:
            problems.append(doc.problem(("logo",), *problem))
    return problems


def _theme_problems(info: CustomerFile, doc: Document, themes_dir: Path) -> list[Problem]:
    """The theme must exist under themes/ and hold its page templates."""
    folder = themes_dir / info.theme
    if (folder / THEME_PAGES).is_dir():
        return []
    if folder.is_dir():
        hint = f"a theme holds {THEME_PAGES}/*.md.j2: start from a copy of themes/default"
        return [doc.problem(("theme",), f"theme '{info.theme}' has no {THEME_PAGES}/ folder", hint)]
    known = sorted(p.name for p in themes_dir.glob("*/"))
    hint = did_you_mean(info.theme, known) or f"known themes: {', '.join(known) or 'none'}"
    return [doc.problem(("theme",), f"theme '{info.theme}' not found in {themes_dir.name}/", hint)]


def _logo_problem(logo: str, folder: Path) -> tuple[str, str] | None:
    """Why `logo` cannot be shown (message, hint), or None when it is a picture inside `folder`."""
    kinds = ", ".join(LOGO_SUFFIXES)
    path = Path(logo)
    if path.is_absolute() or ".." in path.parts or len(path.parts) != 1:
        return (f"logo '{logo}' must be a file name in the customer's folder",
                "put the picture next to customer.yml and write its name, e.g. `logo: logo.svg`")
    if path.suffix.lower() not in LOGO_SUFFIXES:
        return f"logo '{logo}' is not a picture file", f"use one of: {kinds}"
    if not (folder / path).is_file():  # a link out of the folder is the layout scan's problem
        return f"logo file '{logo}' not found next to customer.yml", "check the file name"
    return None
