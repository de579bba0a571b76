"""What encrypting portals (`portal build --keys`) costs, per page and against the plain build.

    python bench/private.py                      # 10 customers x 3 projects x 26 updates
    python bench/private.py --customers 4 --quick

Run from the repository root with the project's venv active (the generator must be importable).

One synthetic portfolio is built twice per round, plain and with a key per
customer (`--jobs 1`, fresh --out each time; rounds alternate the order, the
fastest of each is kept). The encryption's own share is then timed
in-process on copies of the plain portals: `seal_site` (every page, the
search index) and the leak guard's plain-text check. Target: under 10% of a
plain build. CPU time (user+sys of the subprocess) is compared, since wall
time on a shared machine is noise.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from synth import TODAY, write_portfolio

from generator.build.guard import customer_texts, find_plain
from generator.portfolio.validate import load_portfolio
from generator.private.keys import read_keys
from generator.private.seal import seal_site

TARGET = 0.10


def portal_cpu(*args: str | Path, code: Path | None = None) -> float:
    """CPU seconds (user+sys) of one `portal` command run as a subprocess; fails loudly.

    `code`: a folder holding another copy of `generator/` to run instead of the installed one.
    """
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    if code:
        env["PYTHONPATH"] = str(code)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    done = subprocess.run([sys.executable, "-m", "generator", *map(str, args)], capture_output=True,
                          text=True, check=False, env=env)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode:
        raise SystemExit(done.stderr)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def build(projects: Path, out: Path, *extra: str | Path, code: Path | None = None) -> float:
    """CPU seconds of a full one-process build of `projects` into a fresh `out`."""
    shutil.rmtree(out, ignore_errors=True)
    return portal_cpu("build", "--projects", projects, "--out", out, "--today", TODAY.isoformat(),
                      "--jobs", "1", *extra, code=code)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--customers", type=int, default=10)
    parser.add_argument("--projects", type=int, default=3)
    parser.add_argument("--updates", type=int, default=26)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--quick", action="store_true", help="one round")
    args = parser.parse_args(argv)
    rounds = 1 if args.quick else args.rounds
    with tempfile.TemporaryDirectory(prefix="portal-bench-private-") as tmp:
        work = Path(tmp)
        projects = write_portfolio(work / "portfolio", args.customers, args.projects, args.updates)
        keys = work / "keys.json"
        portal_cpu("keys", "new", "--projects", projects, "--keys", keys)
        plain, encrypted = [], []
        for i in range(rounds):
            order = [("plain", ()), ("keys", ("--keys", keys))][:: 1 if i % 2 == 0 else -1]
            for name, extra in order:
                (plain if name == "plain" else encrypted).append(build(projects, work / name, *extra))
        site = work / "plain"
        pages = sum(1 for _ in site.rglob("*.html"))
        portfolio = load_portfolio(projects)
        keyring = read_keys(keys)
        sealing = guarding = 0.0
        for customer in portfolio.customers:
            key = keyring.portal_key(customer.slug, "customer")
            assert key is not None
            copy = work / "sealed" / customer.slug
            shutil.copytree(site / customer.slug, copy)
            start = time.process_time()
            seal_site(copy, key)
            sealing += time.process_time() - start
            start = time.process_time()
            assert find_plain(copy, customer_texts(customer), skip=key.feeds) == []
            guarding += time.process_time() - start
    base, with_keys = min(plain), min(encrypted)
    share = (sealing + guarding) / base
    print(f"portfolio: {args.customers} customers x {args.projects} projects x {args.updates} updates, "
          f"{pages} pages, {rounds} round(s), --jobs 1")
    print(f"plain build:      {base:6.2f} s CPU ({base / pages * 1000:.1f} ms a page)")
    print(f"encrypted build:  {with_keys:6.2f} s CPU ({(with_keys - base) / base:+.1%} against plain)")
    print(f"seal_site:        {sealing:6.2f} s CPU ({sealing / pages * 1000:.2f} ms a page)")
    print(f"plain-text guard: {guarding:6.2f} s CPU ({guarding / pages * 1000:.2f} ms a page)")
    print(f"encryption's share of a plain build: {share:.1%} (target < {TARGET:.0%}): "
          f"{'ok' if share < TARGET else 'MISSED'}")
    return 0 if share < TARGET else 1


if __name__ == "__main__":
    sys.exit(main())
