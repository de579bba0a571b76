"""`portal` command line: argument parsing only, one error handler for every command."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from generator import __version__
from generator.errors import PortalError
from generator.model import Portfolio
from generator.validate import load_portfolio
from generator.visibility import AUDIENCES


def _count_items(portfolio: Portfolio) -> int:
    return sum(
        len(p.updates) + len(p.milestones) + len(p.decisions) + len(p.questions)
        + len(p.changes) + len(p.risks) + len(p.feedback) + len(p.info.expectations)
        for c in portfolio.customers for p in c.projects
    )


def cmd_validate(args: argparse.Namespace) -> int:
    portfolio = load_portfolio(args.projects)
    projects = sum(len(c.projects) for c in portfolio.customers)
    print(f"ok: {len(portfolio.customers)} customers, {projects} projects, "
          f"{_count_items(portfolio)} items")
    return 0


def cmd_build(args: argparse.Namespace) -> int:
    from generator.build import build_date, build_portfolio  # mkdocs loads only when building

    today = build_date(args.today)
    result = build_portfolio(
        args.projects, args.out, only=args.customer, audience=args.audience, today=today,
        progress=lambda slug: print(f"built {args.out / slug}", flush=True),
    )
    for warning in result.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    print(f"ok: {len(result.built)} portals in {args.out} (as of {today.isoformat()}, "
          f"audience {args.audience})")
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="portal", description="Build one transparency portal per customer from YAML.")
    parser.add_argument("--version", action="version", version=f"portal {__version__}")
    parser.add_argument("--debug", action="store_true", help="show tracebacks")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def command(name: str, help_text: str) -> argparse.ArgumentParser:
        sub = commands.add_parser(name, help=help_text, description=help_text)
        sub.add_argument("--projects", type=Path, default=Path("projects"), metavar="DIR",
                         help="the portfolio folder (default: projects)")
        return sub

    validate = command("validate", "check the portfolio and report every problem")
    validate.set_defaults(run=cmd_validate)

    build = command("build", "build one static site per customer")
    build.add_argument("--out", type=Path, default=Path("site"), metavar="DIR",
                       help="where the portals go, one folder per customer (default: site)")
    build.add_argument("--customer", nargs="+", metavar="SLUG",
                       help="build only these customers")
    build.add_argument("--audience", choices=AUDIENCES, default="customer",
                       help="customer (default) or team: team also shows internal items")
    build.add_argument("--today", metavar="YYYY-MM-DD",
                       help="the build date for overdue/stale facts (default: SOURCE_DATE_EPOCH or today)")
    build.set_defaults(run=cmd_build)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; every user mistake becomes `error:` lines and exit 1."""
    args = _parser().parse_args(argv)
    try:
        return int(args.run(args))
    except PortalError as err:
        if args.debug:
            raise
        for problem in err.problems:
            print(problem, file=sys.stderr)
        print(f"error: {len(err.problems)} problem{'s' * (len(err.problems) != 1)} found",
              file=sys.stderr)
        return 1
    except OSError as err:
        if args.debug:
            raise
        print(f"error: {err.strerror or err}: {err.filename or ''}".rstrip(": "), file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("error: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
