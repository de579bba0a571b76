"""Benchmark `portal` against the targets of the "Performance and scale" issue.

    python bench/run.py                 # 50 customers x 4 projects x 52 updates (~10 min on 2 cores)
    python bench/run.py --quick         # small sizes, a smoke run (~2 min)
    python bench/run.py --keep /tmp/b   # keep portfolios and sites in /tmp/b

Every build is the real command (`portal build` as a subprocess, fresh --out)
unless a step says "in-process". Times are wall-clock; CPU is user+sys of the
whole process tree; "others" is how many cores other processes on the machine
kept busy meanwhile (a noisy neighbour makes wall times meaningless, so it is
shown next to them). See bench/README.md for what each figure means.
"""

from __future__ import annotations

import argparse
import compileall
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from synth import TODAY, append_update, customer_name, write_portfolio

if TYPE_CHECKING:  # the generator is imported once run.py has chosen which copy to use
    from generator.build.fingerprint import State

T = TypeVar("T")
CLK_TCK = os.sysconf("SC_CLK_TCK")
RESULT_RE = re.compile(r"ok: (\d+) built, (\d+) unchanged")


# --- measuring -----------------------------------------------------------------------------------


def busy_seconds() -> float:
    """CPU seconds the whole machine has spent busy since boot (all cores, incl. steal)."""
    with open("/proc/stat") as f:
        ticks = [int(v) for v in f.readline().split()[1:9]]
    return (sum(ticks) - ticks[3] - ticks[4]) / CLK_TCK


def _descendants(root: int) -> list[int]:
    """Pids of every process below `root`."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                stat = f.read()
        except OSError:
            continue
        ppid = int(stat[stat.rfind(")") + 2:].split()[1])
        children.setdefault(ppid, []).append(int(entry))
    found, todo = [], [root]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def _pss_kb(pid: int) -> int:
    """Proportional set size of one process (shared pages split between their users)."""
    try:
        with open(f"/proc/{pid}/smaps_rollup") as f:
            for line in f:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


class TreeMemory(threading.Thread):
    """Samples the summed PSS of every process below this one, ten times a second."""

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.peak_kb = 0
        self.done = threading.Event()

    def run(self) -> None:
        me = os.getpid()
        while not self.done.wait(0.1):
            self.peak_kb = max(self.peak_kb, sum(_pss_kb(p) for p in _descendants(me)))


@dataclass
class Measure:
    """One measured step."""

    wall: float
    cpu: float
    """user+sys seconds of the processes doing the work."""
    others: float
    """Average cores kept busy by unrelated processes meanwhile."""
    max_rss_mb: float = 0.0
    """Largest resident set of any single process (from wait4)."""
    peak_pss_mb: float = 0.0
    """Peak of the summed PSS of all processes of the step (sampled at 10 Hz)."""
    outputs: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        text = f"{self.wall:7.2f} s wall, {self.cpu:7.2f} s CPU"
        if self.peak_pss_mb:
            text += f", peak {self.peak_pss_mb:6.0f} MB PSS (max process RSS {self.max_rss_mb:.0f} MB)"
        return text + f"  [others busy: {self.others:.2f} cores]"


def run_commands(commands: Sequence[Sequence[str | Path]], jobs: int = 1,
                 env: dict[str, str] | None = None) -> Measure:
    """Run commands (at most `jobs` at once) as subprocesses; wall, CPU and memory of them all."""
    memory = TreeMemory()
    memory.start()
    usages: list[Any] = []
    outputs: list[str] = []
    lock = threading.Lock()

    def one(command: Sequence[str | Path]) -> None:
        with tempfile.TemporaryFile() as out:
            proc = subprocess.Popen([str(c) for c in command], stdout=out, stderr=subprocess.STDOUT,
                                    env=env)
            _, status, usage = os.wait4(proc.pid, 0)
            proc.returncode = os.waitstatus_to_exitcode(status)
            out.seek(0)
            text = out.read().decode("utf-8", "replace")
        if proc.returncode:
            raise SystemExit(f"failed ({proc.returncode}): {' '.join(map(str, command))}\n{text}")
        with lock:
            usages.append(usage)
            outputs.append(text)

    busy0, own0, start = busy_seconds(), _own_cpu(), time.perf_counter()
    if jobs <= 1 or len(commands) == 1:
        for command in commands:
            one(command)
    else:
        with ThreadPoolExecutor(jobs) as pool:
            list(pool.map(one, commands))
    wall = time.perf_counter() - start
    memory.done.set()
    memory.join()
    cpu = sum(u.ru_utime + u.ru_stime for u in usages)
    others = max(0.0, busy_seconds() - busy0 - cpu - (_own_cpu() - own0)) / wall
    return Measure(wall, cpu, others, max(u.ru_maxrss for u in usages) / 1024,
                   memory.peak_kb / 1024, outputs)


REPEATS = 3
"""Runs of the short steps (CI case, time per page); their median is reported."""


def median(measures: Sequence[Measure]) -> Measure:
    """The run with the median wall time."""
    return sorted(measures, key=lambda m: m.wall)[len(measures) // 2]


def _own_cpu() -> float:
    times = os.times()
    return times.user + times.system


@contextmanager
def in_process() -> Iterator[Measure]:
    """Measure a block of this process: wall and CPU (filled in when the block ends)."""
    measure = Measure(0.0, 0.0, 0.0)
    busy0, own0, start = busy_seconds(), _own_cpu(), time.perf_counter()
    yield measure
    measure.wall = time.perf_counter() - start
    measure.cpu = _own_cpu() - own0
    measure.others = max(0.0, busy_seconds() - busy0 - measure.cpu) / measure.wall


def counts(output: str) -> tuple[int, int]:
    """(built, unchanged) from `portal build`'s last line."""
    match = RESULT_RE.search(output)
    if not match:
        raise SystemExit(f"cannot read the result of portal build:\n{output}")
    return int(match[1]), int(match[2])


# --- the steps -----------------------------------------------------------------------------------


REPO = Path(__file__).resolve().parent.parent


def snapshot(target: Path) -> Path:
    """Copy the generator and its shared files, so edits made meanwhile do not skew the run.

    Builds fingerprint the generator's code and the theme: if either changes between the
    full build and the rebuild, every portal is rebuilt. Subprocesses and this process
    import `generator` from the copy (PYTHONPATH), whose defaults are the copied themes,
    content and mkdocs.yml. The copy is byte-compiled, as `pip install` does, since
    PYTHONDONTWRITEBYTECODE would otherwise make every `portal` process compile it again.
    """
    shutil.rmtree(target, ignore_errors=True)
    target.mkdir(parents=True)
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    for name in ("generator", "themes", "content"):
        shutil.copytree(REPO / name, target / name, ignore=ignore)
    shutil.copy2(REPO / "mkdocs.yml", target / "mkdocs.yml")
    compileall.compile_dir(target / "generator", quiet=1)
    os.environ["PYTHONPATH"] = os.pathsep.join(filter(None, [str(target), os.environ.get("PYTHONPATH")]))
    sys.path.insert(0, str(target))
    return target


def code_state() -> str:
    """Which code is measured: HEAD and how many files of it are edited or new."""
    def git(*args: str) -> str:
        done = subprocess.run(["git", "-C", str(REPO), *args], capture_output=True, text=True)
        return done.stdout.strip()

    dirty = git("status", "--porcelain", "--", "generator", "themes", "content", "mkdocs.yml")
    edits = len(dirty.splitlines())
    head = git("rev-parse", "--short", "HEAD") or "?"
    return f"HEAD {head}" + (f" + {edits} uncommitted files" if edits else "")


def portal() -> list[str]:
    """The installed console script, else the module."""
    script = Path(sys.executable).parent / "portal"
    return [str(script)] if script.exists() else [sys.executable, "-m", "generator"]


def build_cmd(projects: Path, out: Path, jobs: int, *extra: str) -> list[str]:
    return [*portal(), "build", "--projects", str(projects), "--out", str(out),
            "--today", TODAY.isoformat(), "--jobs", str(jobs), *extra]


def generate(work: Path, name: str, customers: int, projects: int, updates: int, seed: int) -> Path:
    """A fresh synthetic portfolio under work/name; returns its projects folder."""
    target = work / name
    shutil.rmtree(target, ignore_errors=True)
    start = time.perf_counter()
    root = write_portfolio(target, customers, projects, updates, seed)
    print(f"  generated {name}: {customers} x {projects} x {updates} in {time.perf_counter() - start:.1f} s")
    return root


def first_project(projects: Path) -> Path:
    """The project whose status.yml the change steps append to."""
    customer = projects / customer_name(0)[0]
    return sorted(p for p in customer.iterdir() if p.is_dir())[0]


def html_stats(site: Path) -> tuple[int, int]:
    """(HTML pages, their total bytes) of one built portal."""
    pages = [p for p in site.rglob("*.html")]
    return len(pages), sum(p.stat().st_size for p in pages)


@dataclass
class GeneratorShare:
    """In-process timing of what the generator itself does, without mkdocs."""

    load: Measure
    render: Measure
    fingerprint: Measure
    guard: Measure


def render_pages(site: Any, customer: Any, docs_root: Path) -> dict[str, Any]:
    """Render one customer's pages into docs_root/<slug>/docs: the SiteSpec arguments of its baseline."""
    from generator.build.portals import OVERRIDES_DIR
    from generator.pages.render import render_portal
    from generator.portfolio.visibility import for_audience

    docs = docs_root / customer.slug / "docs"
    shutil.rmtree(docs, ignore_errors=True)
    docs.mkdir(parents=True)
    theme = site.themes_dir / customer.info.theme
    nav = render_portal(for_audience(customer, "customer"), today=TODAY, audience="customer",
                        theme_dir=theme, shared_pages=site.pages, docs_dir=docs)
    return dict(base_config=site.mkdocs_yml, docs_dir=docs, theme_dir=theme / OVERRIDES_DIR,
                site_name=customer.info.name, nav=nav, language=customer.info.language,
                site_url=customer.info.site_url, build_date=TODAY,
                extra={"portal": {"built": TODAY.isoformat(), "audience": "customer"}})


def generator_share(
    projects: Path, docs_root: Path, site_root: Path
) -> tuple[GeneratorShare, dict[str, Any]]:
    """Validate the portfolio and render every customer's pages into docs_root/<slug>/docs.

    Returns the timings and, per customer, the SiteSpec arguments the baseline needs.
    Also times the generator's other own work in a build: fingerprints and the leak guard
    (run over the portals of the full build in site_root).
    """
    from generator.build.guard import Secrets, find_leaks, secrets_for, texts_of
    from generator.build.portals import BuildOptions, _customer_names, _fingerprints, repository
    from generator.portfolio.validate import validate_portfolio

    with in_process() as load:
        portfolio, problems = validate_portfolio(projects)
    if portfolio is None:
        raise SystemExit("\n".join(map(str, problems)))
    with in_process() as render:
        specs = {c.slug: render_pages(portfolio.site, c, docs_root) for c in portfolio.customers}
    slugs = [c.slug for c in portfolio.customers]
    with in_process() as prints:
        _fingerprints(projects, repository(projects), portfolio.site, slugs, BuildOptions(today=TODAY))
    with in_process() as guard:
        names = _customer_names(projects, {})
        secrets = Secrets([texts_of(c, c.slug, names[c.slug]) for c in portfolio.customers])
        for customer in portfolio.customers:
            find_leaks(site_root / customer.slug, secrets_for(customer, "customer", secrets))
    return GeneratorShare(load, render, prints, guard), specs


def baseline(specs: dict[str, Any], site_root: Path, jobs: int) -> Measure:
    """Plain `mkdocs build` of the same pages, one site per customer, `jobs` at a time."""
    from generator.engine.mkdocs import SHIM, SHIM_TARGET, SiteSpec, _config_file

    commands = []
    for slug, spec in specs.items():
        shim = spec["docs_dir"] / SHIM_TARGET  # as site.build_site does
        shim.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(SHIM, shim)
        config = _config_file(SiteSpec(site_dir=site_root / slug, **spec))
        commands.append([sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(config)])
    epoch = str(int(datetime(TODAY.year, TODAY.month, TODAY.day, tzinfo=UTC).timestamp()))
    env = {**os.environ, "SOURCE_DATE_EPOCH": epoch, "NO_MKDOCS_2_WARNING": "1"}
    return run_commands(commands, jobs, env)


@dataclass
class PageStats:
    projects: int
    pages: int
    bytes_per_page: float
    ms_per_page: float
    cpu_ms_per_page: float
    others: float


def page_scaling(work: Path, sizes: Sequence[int], updates: int, seed: int) -> list[PageStats]:
    """One customer with 1, 10, 40 projects, built in-process (warm, like a pool worker).

    Each size is built REPEATS times and the median build counts, so one noisy
    moment on a shared machine does not decide the verdict.
    """
    from generator.build.portals import build_portal
    from generator.portfolio.validate import load_portfolio

    def build(count: int) -> tuple[Measure, Path]:
        projects = generate(work, f"pages-{count}", 1, count, updates, seed)
        portfolio = load_portfolio(projects)
        out = work / f"pages-{count}" / "site"
        runs = []
        for _ in range(REPEATS):
            shutil.rmtree(out, ignore_errors=True)
            with in_process() as measure:
                build_portal(portfolio.site, portfolio.customers[0], out, audience="customer", today=TODAY)
            runs.append(measure)
        return median(runs), out

    build(sizes[0])  # warm-up: imports, mkdocs plugins
    stats = []
    for count in sizes:
        measure, out = build(count)
        pages, size = html_stats(out)
        stats.append(PageStats(count, pages, size / pages, 1000 * measure.wall / pages,
                               1000 * measure.cpu / pages, measure.others))
        print(f"  {count:3d} projects: {pages:4d} pages, {size / pages / 1024:6.1f} KB/page, "
              f"{stats[-1].ms_per_page:6.1f} ms/page ({stats[-1].cpu_ms_per_page:.1f} CPU)  {measure}")
    return stats


def seed_state(projects: Path, out: Path) -> State:
    """The state a full build leaves for `out`: one folder, fingerprint, name and HEAD per customer.

    Used for the 500-customer CI case, whose real full build would take ~15 minutes here;
    the 50-customer case checks that this equals what a real build writes.
    """
    from generator.build.fingerprint import State, write_state
    from generator.build.portals import BuildOptions, _customer_names, _fingerprints, repository
    from generator.portfolio.layout import find_site

    slugs = sorted(p.name for p in projects.iterdir() if p.is_dir())
    repo = repository(projects)
    state = State(_fingerprints(projects, repo, find_site(projects), slugs, BuildOptions(today=TODAY)),
                  _customer_names(projects, {}), dict.fromkeys(slugs, repo.head) if repo else {})
    for slug in slugs:
        (out / slug).mkdir(parents=True, exist_ok=True)
    write_state(out, state)
    return state


def commit(projects: Path, message: str) -> None:
    """Commit the projects folder (in a repository around it, made on first use; built sites stay out)."""
    stamp = f"{TODAY}T12:00:00+00:00"
    env = {**os.environ, "GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": os.devnull,
           "GIT_AUTHOR_DATE": stamp, "GIT_COMMITTER_DATE": stamp}
    git = ["git", "-C", str(projects.parent), "-c", "user.name=Bench",
           "-c", "user.email=bench@example.invalid", "-c", "commit.gpgsign=false"]
    if not (projects.parent / ".git").is_dir():
        subprocess.run([*git, "init", "-q", "-b", "main"], env=env, check=True)
    subprocess.run([*git, "add", "-A", "--", projects.name], env=env, check=True)
    subprocess.run([*git, "commit", "-q", "-m", message], env=env, check=True)


def ci_case(work: Path, customers: int, updates: int, jobs: int, seed: int,
            real: bool) -> tuple[Measure, Measure]:
    """After a full build (real, or its state seeded), one status update: time `portal build`.

    The portfolio is a git repository, as in CI: three merges in a row, each one
    update committed; the median is reported, with the median of three plain
    `mkdocs build` runs over that one portal's pages (in a fresh process too):
    what the machine's speed alone allows.
    """
    projects = generate(work, f"ci-{customers}", customers, 1, updates, seed)
    commit(projects, "the portfolio")
    out = work / f"ci-{customers}" / "site"
    if real:
        full = run_commands([build_cmd(projects, out, jobs)])
        print(f"  full build of {customers}: {full}")
        from generator.build.fingerprint import read_state
        real_state = read_state(out)
        seeded = seed_state(projects, work / f"ci-{customers}" / "seeded")
        print(f"  seeded state equals the real build's: {seeded == real_state}")
    else:
        seed_state(projects, out)
        print(f"  full build of {customers}: state seeded (folders + fingerprints), not built")
    status = first_project(projects) / "status.yml"
    before = status.read_text(encoding="utf-8")
    runs = []
    for run in range(1, REPEATS + 1):
        status.write_text(before, encoding="utf-8")
        append_update(status.parent, note=f"(merge {run})")
        commit(projects, f"merge {run}")
        measure = run_commands([build_cmd(projects, out, jobs)])
        built, unchanged = counts(measure.outputs[0])
        print(f"  merge {run}: one status update, {built} built, {unchanged} unchanged: {measure}")
        if (built, unchanged) != (1, customers - 1):
            raise SystemExit(f"expected 1 built, {customers - 1} unchanged")
        runs.append(measure)
    from generator.portfolio.validate import load_portfolio

    portfolio = load_portfolio(projects, [status.parent.parent.name])
    spec = render_pages(portfolio.site, portfolio.customers[0], work / f"ci-{customers}" / "baseline")
    plain = median([baseline({"plain": spec}, work / f"ci-{customers}" / "baseline-site", 1)
                    for _ in range(REPEATS)])
    print(f"  plain mkdocs build of that portal's pages: {plain}")
    return median(runs), plain


def history_case(work: Path, customers: int, weeks: int, jobs: int, seed: int) -> tuple[Measure, Measure]:
    """The CI case for a customer with `weeks` of history: one status update per weekly commit.

    After a full build, `portal build` is timed after one more merge, with the
    history walk kept from the previous build (cache.py, as in CI with the cache
    restored: median of three merges), then once more with that walk forgotten,
    so every commit is walked again.
    """
    projects = generate(work, "history", customers, 1, weeks, seed)
    status = first_project(projects) / "status.yml"
    head, *updates = re.split(r"(?m)^(?=- date:)", status.read_text(encoding="utf-8"))
    for week in range(1, len(updates) + 1):
        status.write_text(head + "".join(updates[:week]), encoding="utf-8")
        commit(projects, f"week {week}")
    out = work / "history" / "site"
    full = run_commands([build_cmd(projects, out, jobs)])
    print(f"  {len(updates)} commits; full build of {customers}: {full}")

    def merge(run: str) -> Measure:
        append_update(status.parent, note=f"(merge {run})")
        commit(projects, f"merge {run}")
        measure = run_commands([build_cmd(projects, out, jobs)])
        print(f"  merge {run}: {counts(measure.outputs[0])[0]} built: {measure}")
        return measure

    before = status.read_text(encoding="utf-8")
    kept = []
    for run in range(1, REPEATS + 1):
        status.write_text(before, encoding="utf-8")
        kept.append(merge(f"{run}, history kept"))
    from generator.cache import cache_dir

    shutil.rmtree(cache_dir("history") or work / "none", ignore_errors=True)
    status.write_text(before, encoding="utf-8")
    return median(kept), merge("4, history forgotten")


# --- the report ----------------------------------------------------------------------------------


BUSY = 0.25
"""Cores other processes may keep busy before a comparison switches from wall to CPU time."""


def basis(*measures: Measure) -> str:
    """'wall', or 'CPU' when the machine was shared during any of `measures`."""
    return "CPU" if any(m.others > BUSY for m in measures) else "wall"


def value(measure: Measure, kind: str) -> float:
    return measure.cpu if kind == "CPU" else measure.wall


def verdict(ok: bool | None) -> str:
    return "info" if ok is None else "PASS" if ok else "FAIL"


def step(title: str, action: Callable[[], T]) -> T:
    print(f"\n== {title}", flush=True)
    return action()


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--customers", type=int, default=50)
    parser.add_argument("--projects", type=int, default=4, help="projects per customer")
    parser.add_argument("--updates", type=int, default=52, help="weekly status updates per project")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1,
                        help="parallel builds, for portal and the baseline alike (default: all cores)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--quick", action="store_true", help="small sizes: a smoke run of every step")
    parser.add_argument("--keep", type=Path, metavar="DIR", help="work in DIR and keep it")
    parser.add_argument("--live", action="store_true",
                        help="use the working tree's generator as it is, not a snapshot taken at the start")
    args = parser.parse_args(argv)
    if args.quick:
        args.customers, args.projects, args.updates = 6, 2, 12
    small = max(2, args.customers // 5)
    page_sizes = (1, 3, 6) if args.quick else (1, 10, 40)
    ci_sizes = (10, 50) if args.quick else (50, 500)
    ci_updates = 8
    history_weeks = 12 if args.quick else 52
    jobs = args.jobs

    work = args.keep or Path(tempfile.mkdtemp(prefix="portal-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    os.environ["XDG_CACHE_HOME"] = str(work / "cache")  # the generator's cache.py: this run's own
    started = time.perf_counter()
    if not args.live:
        snapshot(work / "code")
    import generator

    print(f"portal {generator.__version__} from {Path(generator.__file__).parent}; {code_state()}")
    print(f"portal benchmark: {args.customers} customers x {args.projects} projects x {args.updates} "
          f"updates, --jobs {jobs}, {os.cpu_count()} cores, load {os.getloadavg()[0]:.2f}, work {work}")
    try:
        projects = step("generate", lambda: generate(work, "main", args.customers, args.projects,
                                                      args.updates, args.seed))
        out = work / "main" / "site"
        cmd = build_cmd(projects, out, jobs)
        validate = step("validate", lambda: run_commands([[*portal(), "validate", "--projects", projects]]))
        print(f"  {validate.outputs[0].strip()}\n  {validate}")
        full = step("full build", lambda: run_commands([cmd]))
        pages, size = html_stats(out / customer_name(0)[0])
        print(f"  {full}\n  {customer_name(0)[0]}: {pages} HTML pages, {size / pages / 1024:.1f} KB/page")
        noop = step("no-op rebuild", lambda: run_commands([cmd]))
        noop_counts = counts(noop.outputs[0])
        print(f"  {noop_counts[0]} built, {noop_counts[1]} unchanged: {noop}")

        def change() -> tuple[Measure, tuple[int, int]]:
            append_update(first_project(projects))
            measure = run_commands([cmd])
            return measure, counts(measure.outputs[0])

        changed, changed_counts = step("one project's status.yml changed", change)
        print(f"  {changed_counts[0]} built, {changed_counts[1]} unchanged: {changed}")

        def share() -> tuple[GeneratorShare, dict[str, Any]]:
            # The full build's sites are one update older for the changed customer; the guard
            # only reads them, so that does not matter for its timing.
            return generator_share(projects, work / "main" / "baseline", out)

        gen, specs = step("generator's own work (in-process, one process)", share)
        for name in ("load", "render", "fingerprint", "guard"):
            print(f"  {name:12s} {getattr(gen, name)}")
        base = step(f"baseline: plain mkdocs build of the same pages, {len(specs)} sites, {jobs} at once",
                    lambda: baseline(specs, work / "main" / "baseline-site", jobs))
        print(f"  {base}")

        def memory() -> Measure:
            few = generate(work, f"mem-{small}", small, args.projects, args.updates, args.seed)
            return run_commands([build_cmd(few, work / f"mem-{small}" / "site", jobs)])

        mem_small = step(f"memory: full build of the first {small} customers (same sizes)", memory)
        print(f"  {mem_small}")
        page_stats = step(f"page size and time per page: one customer with {page_sizes} projects "
                          f"(in-process)", lambda: page_scaling(work, page_sizes, args.updates, args.seed))
        ci = [step(f"CI case: {n} customers x 1 project x {ci_updates} updates",
                   lambda n=n: ci_case(work, n, ci_updates, jobs, args.seed, real=n == ci_sizes[0]))
              for n in ci_sizes]
        history = step(f"CI case: a customer with {history_weeks} weekly commits of history "
                       f"({small} customers x 1 project)",
                       lambda: history_case(work, small, history_weeks, jobs, args.seed))
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)

    gen_cpu = gen.load.cpu + gen.render.cpu
    own_cpu = gen_cpu + gen.fingerprint.cpu + gen.guard.cpu
    mem_ratio = full.peak_pss_mb / mem_small.peak_pss_mb
    rss_ratio = full.max_rss_mb / mem_small.max_rss_mb
    size_ratio = max(s.bytes_per_page for s in page_stats) / min(s.bytes_per_page for s in page_stats)
    fb = basis(full, base)
    nb = basis(noop, full)
    pb = "CPU" if any(st.others > BUSY for st in page_stats) else "wall"
    per_page = [st.cpu_ms_per_page if pb == "CPU" else st.ms_per_page for st in page_stats]
    time_ratio = per_page[-1] / per_page[1]
    rows = [
        ("generator's own work <= 10% of a full build (CPU)",
         f"{100 * gen_cpu / full.cpu:.1f}% (load+validate {gen.load.cpu:.1f} s + render "
         f"{gen.render.cpu:.1f} s of {full.cpu:.1f} s); with fingerprints and leak guard "
         f"{100 * own_cpu / full.cpu:.1f}%", gen_cpu <= 0.10 * full.cpu),
        ("full build <= 1.2 x baseline (plain mkdocs, separate sites)",
         f"{value(full, fb) / value(base, fb):.2f} x {fb} (wall {full.wall:.1f} s vs {base.wall:.1f} s, "
         f"CPU {full.cpu:.1f} s vs {base.cpu:.1f} s)", value(full, fb) <= 1.2 * value(base, fb)),
        ("no-op rebuild < 5% of a full build",
         f"{100 * value(noop, nb) / value(full, nb):.1f}% of {nb} ({noop.wall:.2f} s wall, "
         f"{noop.cpu:.2f} s CPU); {noop_counts[0]} built", value(noop, nb) < 0.05 * value(full, nb)),
        ("one project changed -> only that portal rebuilt",
         f"{changed_counts[0]} built, {changed_counts[1]} unchanged ({changed.wall:.1f} s)",
         changed_counts == (1, args.customers - 1)),
        (f"peak memory follows the largest customer ({small} vs {args.customers} customers)",
         f"{mem_small.peak_pss_mb:.0f} -> {full.peak_pss_mb:.0f} MB tree PSS ({mem_ratio:.2f} x); "
         f"max process RSS {mem_small.max_rss_mb:.0f} -> {full.max_rss_mb:.0f} MB ({rss_ratio:.2f} x)",
         mem_ratio <= 1.25 and rss_ratio <= 1.25),
        *[(f"CI case, one status update, {n} customers: < 2 s",
           f"{m.wall:.2f} s wall ({m.cpu:.2f} s CPU), median of {REPEATS} merges; plain mkdocs build "
           f"of that portal alone {b.wall:.2f} s ({m.wall / b.wall:.2f} x)", m.wall < 2.0)
          for n, (m, b) in zip(ci_sizes, ci, strict=True)],
        (f"CI case, one status update to a customer with {history_weeks} weekly commits (information)",
         f"{history[0].wall:.2f} s wall with its history walk kept from the last build; "
         f"{history[1].wall:.2f} s with every commit walked again", None),
        (f"page size flat from {page_sizes[0]} to {page_sizes[-1]} projects (max/min <= 1.25)",
         " / ".join(f"{st.bytes_per_page / 1024:.1f}" for st in page_stats)
         + f" KB per HTML page ({size_ratio:.2f} x)", size_ratio <= 1.25),
        (f"time per page flat from {page_sizes[1]} to {page_sizes[-1]} projects (<= 1.25 x)",
         " / ".join(f"{v:.0f}" for v in per_page)
         + f" ms {pb} per page, median of {REPEATS} builds ({time_ratio:.2f} x)",
         time_ratio <= 1.25),
    ]
    print(f"\n== results: {args.customers} x {args.projects} x {args.updates}, --jobs {jobs} "
          f"(benchmark took {time.perf_counter() - started:.0f} s)\n")
    print(f"validate {validate.wall:.1f} s | full build {full.wall:.1f} s | no-op {noop.wall:.2f} s | "
          f"one changed {changed.wall:.1f} s | baseline {base.wall:.1f} s\n")
    width = max(len(r[0]) for r in rows)
    print(f"| {'target':{width}} | measured | result |")
    print(f"| {'-' * width} | --- | --- |")
    for target, measured, ok in rows:
        print(f"| {target:{width}} | {measured} | {verdict(ok)} |")
    return 0 if all(ok is not False for *_, ok in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
