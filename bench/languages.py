"""What the portal's languages cost: the English build against the code before them, German against English.

    python bench/languages.py                  # 10 customers x 3 projects x 26 updates, 3 rounds
    python bench/languages.py --quick          # 4 customers, one round: only checks that it runs
    python bench/languages.py --baseline REF   # compare with another commit

Run from the repository root with the project's venv active. The baseline is
the last commit before `generator/i18n/` existed (unless --baseline names
another), taken with `git archive`; today's code is copied too, so edits made
meanwhile do not count. Each copy is byte-compiled and warmed up once (its
compiled templates cached), then every round builds the same synthetic
portfolio with each (`--jobs 1`, fresh --out, the order alternating between
rounds) and keeps the fastest CPU time (user+sys) of each. Target: English
no more than 5% slower than the baseline.
"""

from __future__ import annotations

import argparse
import compileall
import io
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

from private import build
from synth import write_portfolio

REPO = Path(__file__).resolve().parent.parent
CODE = ("generator", "themes", "content", "mkdocs.yml")
TARGET = 1.05


def git(*args: str) -> bytes:
    return subprocess.run(["git", "-C", str(REPO), *args], capture_output=True, check=True).stdout


def before_languages() -> str:
    """The commit before the one that added generator/i18n/."""
    added = git("log", "--format=%H", "--diff-filter=A", "--", "generator/i18n/translate.py").split()
    if not added:
        raise SystemExit("no commit adds generator/i18n/: name the baseline with --baseline REF")
    return added[-1].decode() + "^"


def code_at(ref: str, target: Path) -> Path:
    """The generator and its shared files as they were at `ref`, byte-compiled."""
    target.mkdir(parents=True)
    archive = git("archive", "--format=tar", ref, *CODE)
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(target, filter="data")
    compileall.compile_dir(target / "generator", quiet=1)
    return target


def code_now(target: Path) -> Path:
    """The working tree's generator and shared files, byte-compiled."""
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    for name in CODE:
        source = REPO / name
        if source.is_dir():
            shutil.copytree(source, target / name, ignore=ignore)
        else:
            target.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)
    compileall.compile_dir(target / "generator", quiet=1)
    return target


def in_language(projects: Path, language: str, target: Path) -> Path:
    """A copy of the portfolio whose customers all read `language`."""
    shutil.copytree(projects, target)
    for customer in target.glob("*/customer.yml"):
        text = customer.read_text(encoding="utf-8")
        customer.write_text(text.replace("\nlanguage: en\n", f"\nlanguage: {language}\n"), encoding="utf-8")
    return target


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--customers", type=int, default=10)
    parser.add_argument("--projects", type=int, default=3)
    parser.add_argument("--updates", type=int, default=26)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--baseline", help="the commit to compare with (default: the last before i18n)")
    parser.add_argument("--quick", action="store_true", help="4 customers, one round")
    args = parser.parse_args(argv)
    customers, rounds = (4, 1) if args.quick else (args.customers, args.rounds)
    ref = args.baseline or before_languages()
    with tempfile.TemporaryDirectory(prefix="portal-bench-languages-") as tmp:
        work = Path(tmp)
        english = write_portfolio(work / "portfolio", customers, args.projects, args.updates)
        german = in_language(english, "de", work / "portfolio-de" / "projects")
        runs = {"baseline, en": (code_at(ref, work / "base"), english),
                "today, en": (code_now(work / "now"), english)}
        runs["today, de"] = (runs["today, en"][0], german)
        times: dict[str, list[float]] = {name: [] for name in runs}
        for code, projects in runs.values():  # warm up: compiled templates, Python's bytecode
            build(projects, work / "site", code=code)
        for i in range(rounds):
            for name in list(runs)[:: 1 if i % 2 == 0 else -1]:
                code, projects = runs[name]
                times[name].append(build(projects, work / "site", code=code))
        best = {name: min(found) for name, found in times.items()}
    ratio = best["today, en"] / best["baseline, en"]
    print(f"portfolio: {customers} customers x {args.projects} projects x {args.updates} updates, "
          f"{rounds} round(s), --jobs 1, baseline {ref}")
    for name, seconds in best.items():
        print(f"{name:13} {seconds:6.2f} s CPU")
    print(f"English today against the baseline: {ratio - 1:+.1%} (target <= +{TARGET - 1:.0%}): "
          f"{'ok' if ratio <= TARGET else 'MISSED'}")
    print(f"German against English today: {best['today, de'] / best['today, en'] - 1:+.1%}")
    return 0 if ratio <= TARGET else 1


if __name__ == "__main__":
    sys.exit(main())
