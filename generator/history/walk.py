"""Git states of one customer -> its history: what changed, commit by commit, for one audience.

Each state is materialised from git into a scratch folder with the portfolio's
layout and read by the same loader as a build (`validate_portfolio`), then
filtered for the audience before it is compared, so history can never show
what the portal itself would not. For a customer, whatever is internal today
is hidden in every state too (`visibility.internal_parts`): a budget or a
contact made internal since does not show, not even as it was while visible.
A state that does not validate is skipped with a warning: its changes are
reported with the next state that does. So is a state that cannot be read at
all (a symlink loop, a broken object): no past commit can stop today's build.

Commit subjects and authors are kept in `HistoryEntry` for the team, but a
commit message may name other customers or internal matters: templates must
not show `subject` or `author` when `History.audience` is "customer".
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from generator.cache import store, stored
from generator.digest import generator_digest
from generator.history.changes import Change, State
from generator.history.compare import diff_states
from generator.history.events import EventMoves, event_days
from generator.history.gitstates import (
    TREE_MODE,
    Checkout,
    Commit,
    GitError,
    GitFile,
    GitUnavailable,
    ObjectReader,
    Repo,
    find_repo,
    list_commits,
    resolve_commit,
)
from generator.history.names import Said
from generator.i18n.translate import N_
from generator.portfolio.errors import PortalError, Problem
from generator.portfolio.layout import find_site
from generator.portfolio.model import SLUG_RE, Customer, Project, Site
from generator.portfolio.validate import validate_portfolio
from generator.portfolio.variants import in_language
from generator.portfolio.visibility import Audience, Hidden, for_audience, internal_parts

Trend = dict[str, dict[str, list[tuple[date, date]]]]
"""Project slug -> milestone id -> (day of the state, date then expected), oldest first; the first
point is the baseline, dated when the plan was agreed."""

SHALLOW_WARNING = Said(N_(
    "The repository is a shallow clone: history before its oldest fetched commit is missing "
    "(fetch the full history, e.g. `git fetch --unshallow` or `fetch-depth: 0` in CI)."))


@dataclass(frozen=True)
class HistoryEntry:
    """One commit that changed what the audience sees, with those changes."""

    sha: str
    date: dt.date
    """Commit date (when the change landed on the branch, in the committer's time zone)."""
    authored: dt.date
    """Author date (when the change was written; differs after a rebase)."""
    subject: str
    """TEAM ONLY: commit messages may mention other customers or internal matters."""
    author: str
    """TEAM ONLY, like `subject`."""
    changes: tuple[Change, ...]
    """In reading order (`changes.sort_key`)."""


@dataclass(frozen=True)
class History:
    """A customer's history for one audience, newest first, plus why anything is missing."""

    customer: str
    audience: Audience
    entries: list[HistoryEntry]
    """Newest first; only commits whose changes the audience can see."""
    warnings: list[str]
    """For the team: skipped states and missing history (they may quote file contents)."""
    note: str | None
    """Why there is no history at all (not a git repository, nothing committed)."""
    trend: Trend
    """Each visible milestone's expected date at each state, for a slip chart."""
    commits: int = 0
    """How many commits touching the customer folder were read."""
    events: EventMoves = field(default_factory=EventMoves)
    """How often each calendar event's day moved, commit by commit (the calendar's SEQUENCE)."""


def capture(customer: Customer, audience: Audience, hidden: Hidden = frozenset()) -> State:
    """What `audience` sees of a validated customer (without the parts `hidden`): the filtered model
    and its page contents."""
    return State(for_audience(customer, audience, hidden), _page_hashes(customer))


def _page_hashes(customer: Customer) -> dict[str, str]:
    """The customer's own pages as its portal shows them: in its language, by the name shown."""
    shown = in_language(customer.pages, customer.info.language)
    return {name: hashlib.sha256(page.read_bytes()).hexdigest() for name, page in shown.items()}


class _Filter:
    """`for_audience` over successive states, reusing the result for a project that did not change.

    Filtering walks every item and most commits change one project, so only
    changed projects are filtered again (a fifth less work on a two-project
    customer). It relies on the filter treating each project on its own, which
    visibility.py does (item by item).
    """

    def __init__(self, audience: Audience, hidden: Hidden) -> None:
        self.audience = audience
        self.hidden = hidden
        self._last: dict[str, tuple[Project, Project | None]] = {}

    def capture(self, customer: Customer) -> State:
        """The same State as `capture(customer, audience, hidden)`, computed incrementally."""
        fresh = [p for p in customer.projects
                 if p.slug not in self._last or self._last[p.slug][0] != p]
        only_fresh = dataclasses.replace(customer, projects=tuple(fresh))
        public = for_audience(only_fresh, self.audience, self.hidden)
        shown = {p.slug: p for p in public.projects}
        for project in fresh:
            self._last[project.slug] = (project, shown.get(project.slug))
        projects = tuple(kept for p in customer.projects if (kept := self._last[p.slug][1]) is not None)
        return State(dataclasses.replace(public, projects=projects), _page_hashes(customer))


def _load(projects_dir: Path, slug: str, site: Site, view: _Filter) -> tuple[State | None, list[Problem]]:
    """One customer read from a (scratch) projects folder by the build's own loader, with today's
    shared files, as `view` shows it."""
    portfolio, problems = validate_portfolio(projects_dir, only=[slug], site=site)
    customer = portfolio.customer(slug) if portfolio else None
    if customer is None:
        return None, problems
    return view.capture(customer), problems


def add_trend_point(trend: Trend, day: date, customer: Customer) -> None:
    """Record every milestone's expected date (its actual once done) as of `day`.

    A milestone's first point is its baseline, dated when the plan was agreed
    (the project's `start`, or `day` when that is earlier or unknown), so its
    line starts where it was promised. A cancelled milestone gets no new
    points: its line ends where it was last planned. Several states on one
    day keep the last, so a chart has one point per day.
    """
    for project in customer.projects:
        add_project_points(trend.setdefault(project.slug, {}), day, project)


def add_project_points(milestones: dict[str, list[tuple[date, date]]], day: date, project: Project) -> None:
    """`add_trend_point` for one project; also a plan without history (its baseline, then today's)."""
    agreed = min(project.info.start or day, day)
    for milestone in project.milestones:
        points = milestones.setdefault(milestone.id, [])
        if not points:
            points.append((agreed, milestone.baseline))
        if milestone.status == "cancelled":
            continue
        point = (day, milestone.actual or milestone.expected)
        if points[-1] == point:
            continue
        if points[-1][0] == day and len(points) > 1:
            points[-1] = point
        else:
            points.append(point)


@contextmanager
def _scratch(projects_dir: Path) -> Iterator[Path]:
    """A scratch projects folder named like the real one (problems name the files as the PM knows them)."""
    with tempfile.TemporaryDirectory(prefix="portal-history-") as tmp:
        states = Path(tmp) / "portfolio" / (projects_dir.resolve().name or "projects")
        states.mkdir(parents=True)
        yield states


def _skipped(commit: Commit, problems: list[Problem]) -> Said:
    first = problems[0]
    where = f"{first.path}:{first.line}:{first.column}" if first.line else first.path
    said: dict[str, str | int | date] = {"sha": commit.sha[:10], "day": commit.committed.date(),
                                         "where": where, "problem": first.message}
    if len(problems) > 1:
        # Translators: a commit of the history was left out; "more" counts its other problems
        return Said(N_("commit %(sha)s (%(day)s) skipped: it does not validate: %(where)s: %(problem)s "
                       "(and %(more)s more)"), **said, more=len(problems) - 1)
    return Said(N_("commit %(sha)s (%(day)s) skipped: it does not validate: %(where)s: %(problem)s"), **said)


class UnreadableState(Exception):
    """A past state that could not be checked out or loaded (the cause is chained)."""

    def __init__(self, cause: Exception) -> None:
        super().__init__(str(cause) or type(cause).__name__)


def _unreadable(commit: Commit, error: UnreadableState) -> Said:
    return Said(N_("commit %(sha)s (%(day)s) skipped: it could not be read: %(error)s"),
                sha=commit.sha[:10], day=commit.committed.date(), error=str(error))


def _read_state(checkout: Checkout, files: dict[str, GitFile], site: Site,
                view: _Filter) -> tuple[State | None, list[Problem]]:
    """One past state of a customer, checked out and loaded; any error reading it raises UnreadableState.

    A past commit is what it is: whatever it holds (a symlink loop, a crafted
    tree, a broken object) must not stop the history of the commits after it.
    """
    try:
        checkout.show(files)
        return _load(checkout.folder.parent, checkout.folder.name, site, view)
    except Exception as err:  # any error at all: the state is skipped, the walk goes on
        checkout.reset()
        raise UnreadableState(err) from err


@dataclass
class _Walk:
    """A walk over a customer's commits so far, oldest first: all the next commit's step needs.

    Kept between builds (cache.py): commits never change, so a build after a
    merge walks only the new commits, however long the history.
    """

    inputs: str = ""
    """`_walk_inputs` when it was walked: a walk of other code or themes is not resumed."""
    shas: tuple[str, ...] = ()
    entries: list[HistoryEntry] = field(default_factory=list)
    """Oldest first."""
    warnings: list[str] = field(default_factory=list)
    """`Said`: kept as msgids and values, worded where they are shown."""
    trend: Trend = field(default_factory=dict)
    events: EventMoves = field(default_factory=EventMoves)
    previous: State | None = None


def _walk_inputs(projects_dir: Path, hidden: Hidden) -> str:
    """What a walk's results depend on besides its commits, folder and audience: the generator,
    which themes exist (a state naming a missing theme does not validate) and what is internal today."""
    themes = sorted(p.name for p in find_site(projects_dir).themes_dir.glob("*/"))
    internal = hashlib.sha256(repr(sorted(hidden)).encode()).hexdigest()
    return "\0".join([generator_digest(), internal, *themes])


def _walk(repo: Repo, projects_dir: Path, slug: str, audience: Audience, commits: list[Commit],
          hidden: Hidden) -> _Walk:
    """One pass over the commits not yet walked, oldest first: load each state, diff it, extend the trend."""
    oldest_first = list(reversed(commits))
    place = "\0".join([str(repo.root), repo.path_of(slug), audience])  # one entry: an upgrade replaces it
    inputs = _walk_inputs(projects_dir, hidden)
    walk = stored("history", place)
    if not isinstance(walk, _Walk) or walk.inputs != inputs \
            or tuple(c.sha for c in oldest_first[:len(walk.shas)]) != walk.shas:
        walk = _Walk(inputs)  # none kept, other code or themes, or a rewritten branch: from the start
    new = oldest_first[len(walk.shas):]
    if not new:
        return walk
    folder = repo.path_of(slug)
    site = find_site(projects_dir)
    with _scratch(projects_dir) as states, ObjectReader(repo) as reader:
        checkout = Checkout(reader, states / slug)
        public = _Filter(audience, hidden)
        for commit in new:
            files = reader.files(f"{commit.sha}:{folder}")
            state: State | None = None
            if files is None:
                checkout.show({})
            else:
                try:
                    state, problems = _read_state(checkout, files, site, public)
                except UnreadableState as err:
                    walk.warnings.append(_unreadable(commit, err))
                    continue
                if state is None:
                    walk.warnings.append(_skipped(commit, problems))
                    continue
                add_trend_point(walk.trend, commit.committed.date(), state.customer)
                walk.events.record(event_days(state.customer))
            changes = diff_states(slug, walk.previous, state)
            if changes:
                walk.entries.append(HistoryEntry(commit.sha, commit.committed.date(), commit.authored.date(),
                                                 commit.subject, commit.author, tuple(changes)))
            walk.previous = state
    walk.shas = tuple(c.sha for c in oldest_first)
    store("history", place, walk)
    return walk


def customer_history(projects_dir: Path, slug: str, audience: Audience = "customer",
                     now: Customer | None = None) -> History:
    """Every committed change of one customer that `audience` can see, newest first.

    Reads the branch checked out (HEAD), first-parent line; uncommitted edits
    are not history yet (see `diff_worktree`). A customer sees no part of it
    that is internal in `now`, the customer as the portal is built from it
    (unfiltered; read from `projects_dir` when not given). Never raises for a
    missing or unusable repository: the history is empty and `note` says why.
    """
    def empty(note: str, warnings: list[str] | None = None) -> History:
        return History(slug, audience, [], warnings or [], note, {})

    if not SLUG_RE.fullmatch(slug):
        return empty(Said(N_("History is not available: '%(slug)s' is not a customer folder name."),
                          slug=slug))
    try:
        repo = find_repo(projects_dir)
        commits = list_commits(repo, repo.path_of(slug))
        if not commits:
            return empty(Said(N_("History is not available: %(folder)s has not been committed yet."),
                              folder=repo.path_of(slug)))
        hidden = _hidden_now(projects_dir, slug, audience, now)
        walk = _walk(repo, projects_dir, slug, audience, commits, hidden)
    except GitUnavailable as err:
        return empty(err.note)
    except GitError as err:
        return empty(Said(N_("History is not available: git could not read it.")), [str(err)])
    warnings = [SHALLOW_WARNING, *walk.warnings] if repo.shallow else list(walk.warnings)
    return History(slug, audience, walk.entries[::-1], warnings, None, walk.trend, len(commits), walk.events)


def _hidden_now(projects_dir: Path, slug: str, audience: Audience, now: Customer | None) -> Hidden:
    """What the customer may no longer see of its past: the internal parts of today's state."""
    if audience == "team":
        return frozenset()
    if now is None:
        portfolio, _ = validate_portfolio(projects_dir, only=[slug])
        now = portfolio.customer(slug) if portfolio else None
    return internal_parts(now) if now else frozenset()


def _states_at(repo: Repo, sha: str, ref: str, projects_dir: Path, now: dict[str, Customer],
               audience: Audience) -> dict[str, State | None]:
    """Every customer's state at commit `sha` (None where its folder did not exist), without
    what is internal in `now` (each customer as it is today)."""
    found: dict[str, State | None] = {}
    site = find_site(projects_dir)
    with _scratch(projects_dir) as states, ObjectReader(repo) as reader:
        top = reader.entries(f"{sha}:{repo.prefix}") or []
        slugs = set(now) | {name for mode, name, _ in top if mode == TREE_MODE and SLUG_RE.fullmatch(name)}
        for slug in sorted(slugs):
            files = reader.files(f"{sha}:{repo.path_of(slug)}")
            if files is None:
                found[slug] = None
                continue
            hidden = internal_parts(now[slug]) if slug in now else frozenset()
            try:
                state, problems = _read_state(Checkout(reader, states / slug), files, site,
                                              _Filter(audience, hidden))
            except UnreadableState as err:
                raise PortalError(f"{slug} at {ref} could not be read, so there is nothing to compare with: "
                                  f"{err}", hint="compare with an older commit, e.g. HEAD~1") from None
            if state is None:
                first = f": {problems[0].path}: {problems[0].message}" if problems else ""
                raise PortalError(f"{slug} at {ref} does not validate, so there is nothing to compare "
                                  f"with{first}", hint="compare with an older commit, e.g. HEAD~1")
            found[slug] = state
    return found


def diff_worktree(projects_dir: Path, ref: str = "HEAD",
                  audience: Audience = "customer") -> dict[str, list[Change]]:
    """Per customer, what `audience` will see change when the working tree is published over `ref`.

    Raises PortalError when there is no repository, `ref` names no commit, or
    either side does not validate (the working tree's problems are all listed).
    """
    try:
        repo = find_repo(projects_dir)
    except GitUnavailable as err:
        raise PortalError(str(err).replace("History is", "A diff is")) from None
    sha = resolve_commit(repo, ref)
    if sha is None:
        raise PortalError(f"'{ref}' is not a commit of the repository at {repo.root}",
                          hint="pass a branch, tag or commit id, e.g. HEAD, main or HEAD~1")
    portfolio, problems = validate_portfolio(projects_dir)
    if portfolio is None:
        raise PortalError(problems)
    now = {c.slug: capture(c, audience) for c in portfolio.customers}
    try:
        then = _states_at(repo, sha, ref, projects_dir, {c.slug: c for c in portfolio.customers}, audience)
    except GitError as err:
        raise PortalError(f"git could not read {ref}: {err}") from None
    return {slug: diff_states(slug, then.get(slug), now.get(slug)) for slug in sorted(then)}
