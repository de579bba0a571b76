"""`portal` command line: argument parsing only, one error handler for every command."""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn

from generator import __version__
from generator.build.audiences import DEFAULT_OUT
from generator.build.shard import parse_shard
from generator.commands.report import counted, emit_json
from generator.commands.staged import staged_projects
from generator.facts.clock import build_date
from generator.notify.reminders import DAYS_BEFORE
from generator.portfolio.errors import PortalError, Problem, UnexpectedError, summarize
from generator.portfolio.model import Portfolio
from generator.portfolio.validate import language_notes, load_portfolio
from generator.portfolio.visibility import AUDIENCES
from generator.private.keys import ENV, Keys, Private, check_outside, keys_path, read_keys


def _count_items(portfolio: Portfolio) -> int:
    return sum(
        len(p.updates) + len(p.milestones) + len(p.decisions) + len(p.questions)
        + len(p.changes) + len(p.risks) + len(p.feedback) + len(p.info.expectations)
        for c in portfolio.customers for p in c.projects
    )


def cmd_validate(args: argparse.Namespace) -> int:
    where = staged_projects(args.projects) if args.staged else contextlib.nullcontext(args.projects)
    with where as projects:
        portfolio = load_portfolio(projects, placeholders=True)  # what a customer build checks
        warnings = [note.one_line() for note in language_notes(portfolio)]
    counts = {"customers": len(portfolio.customers),
              "projects": sum(len(c.projects) for c in portfolio.customers),
              "items": _count_items(portfolio)}
    if args.format == "json":
        emit_json("validate", counts, warnings=warnings)
    else:
        for warning in warnings:
            print(f"warning: {warning}", file=sys.stderr)
        print(f"ok: {counted(counts['customers'], 'customer')}, {counted(counts['projects'], 'project')}, "
              f"{counted(counts['items'], 'item')}")
    return 0


def cmd_build(args: argparse.Namespace) -> int:
    from generator.build.portals import BuildOptions, build_portfolio  # mkdocs loads here

    options = BuildOptions(
        today=build_date(args.today), audience=args.audience, only=args.customer,
        shard=parse_shard(args.shard) if args.shard else None, jobs=args.jobs, force=args.force,
        private=_private(args))
    args.out = args.out or DEFAULT_OUT[args.audience]
    text = args.format == "text"
    result = build_portfolio(
        args.projects, args.out, options,
        progress=lambda slug: print(f"built {args.out / options.folder(slug)}", flush=True) if text else None)
    folders = {slug: options.folder(slug) for slug in result.built + result.unchanged}
    if options.private:
        result.warnings += [f"{slug}: no key in the keys file, so its portal is built in plain"
                            for slug, folder in folders.items() if folder == slug]
    if not text:
        private = {"folders": folders} if options.private else {}  # slug -> the folder its portal is in
        emit_json("build", {"out": str(args.out), "today": options.today.isoformat(),
                            "audience": args.audience, "built": result.built, "unchanged": result.unchanged,
                            **private}, warnings=result.warnings)
        return 0
    for warning in result.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    print(f"ok: {len(result.built)} built, {len(result.unchanged)} unchanged in {args.out} "
          f"(as of {options.today.isoformat()}, audience {args.audience})")
    return 0


def cmd_publish(args: argparse.Namespace) -> int:
    from generator.commands.publish import PublishOptions, publish_portfolio  # mkdocs loads here

    options = PublishOptions(version=args.version, today=build_date(args.today), alias=args.alias,
                             force=args.force, only=args.customer, jobs=args.jobs, private=_private(args))
    text = args.format == "text"
    result = publish_portfolio(
        args.projects, args.dest, options,
        progress=lambda folder: print(f"published {args.dest / folder / args.version}", flush=True)
        if text else None)
    if not text:
        emit_json("publish", {"version": args.version, "dest": str(args.dest), "alias": args.alias,
                              "today": options.today.isoformat(), "published": result.published,
                              "replaced": result.replaced}, warnings=result.warnings)
        return 0
    for warning in result.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    alias = f", {args.alias} -> {args.version}" if args.alias else ""
    replaced = f" ({len(result.replaced)} replaced)" if result.replaced else ""
    portals = counted(len(result.published), "portal")
    print(f"ok: version {args.version} of {portals} in {args.dest}{replaced}{alias} "
          f"(as of {options.today.isoformat()})")
    return 0


def _keys(args: argparse.Namespace) -> Keys | None:
    """The keys of encrypted portals (--keys, else $PORTAL_KEYS), None when there are none."""
    if args.keys is None and not os.environ.get(ENV):
        return None
    path = keys_path(args.keys)
    check_outside(path, args.projects)
    return read_keys(path)


def _private(args: argparse.Namespace) -> Private | None:
    """What an encrypted build needs (its keys and whether feeds are published), None for a plain one."""
    keys = _keys(args)
    if keys is None:
        if args.no_feeds:
            raise PortalError("--no-feeds is for encrypted builds", "add --keys FILE")
        return None
    return Private(keys, feeds=not args.no_feeds)


def cmd_keys(args: argparse.Namespace) -> int:
    from generator.commands.keys import new_keys

    for line in new_keys(args.projects, keys_path(args.keys), args.customers, rotate=args.rotate,
                         team=args.team, passphrase=args.passphrase):
        print(line)
    return 0


def cmd_links(args: argparse.Namespace) -> int:
    from generator.commands.keys import portal_links

    path = keys_path(args.keys)
    check_outside(path, args.projects)
    links = portal_links(args.projects, read_keys(path), args.base_url, args.audience,
                         feeds=not args.no_feeds)
    if args.format == "json":
        emit_json("links", {"links": [dataclasses.asdict(link) for link in links]})
        return 0
    for link in links:
        print(f"{link.slug}\t{link.folder}\t{link.link}")
        if link.feed and link.calendar:
            print(f"  feed: {link.feed}\n  calendar: {link.calendar}")
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    from generator.commands.serve import serve_portal

    serve_portal(args.projects, args.customer, audience=args.audience, host=args.host, port=args.port,
                 today=args.today)
    return 0


def cmd_diff(args: argparse.Namespace) -> int:
    from generator.commands.difflines import diff_lines

    found = diff_lines(args.projects, args.ref, args.audience)
    if args.format == "json":
        emit_json("diff", {"ref": args.ref, "audience": args.audience,
                           "changes": [line.as_json() for line in found]})
        return 0
    for customer in sorted({line.customer for line in found}):
        lines = [line for line in found if line.customer == customer]
        print(f"## {customer}: {counted(len(lines), 'change')} since {args.ref}")
        print("\n".join(f"- {line}" for line in lines))
    if not found:
        print(f"no change a {args.audience} would see since {args.ref}")
    return 0


def cmd_init(args: argparse.Namespace) -> int:
    from generator.commands.scaffold import init_portfolio

    written, notes = init_portfolio(args.dir, today=build_date(args.today))
    for note in notes:
        print(f"note: {note}", file=sys.stderr)
    print(f"ok: new portfolio in {args.dir} ({counted(len(written), 'file')}, committed); "
          f"next: cd {args.dir}, replace the placeholders `portal validate` lists (lines marked EDIT), "
          "then portal build")
    return 0


def cmd_notify(args: argparse.Namespace) -> int:
    from generator.notify.run import NotifyOptions, notify_portfolio

    options = NotifyOptions(today=build_date(args.today), state=args.state, smtp=args.smtp,
                            sender=args.sender, webhook=args.webhook, dry_run=args.dry_run,
                            base_url=args.base_url, days_before=args.remind_days, only=args.customer,
                            keys=_keys(args))
    verb = "wrote" if args.dry_run else "sent"
    result = notify_portfolio(args.projects, options,
                              progress=lambda line: print(f"{verb} {line}", flush=True))
    for line in result.failed:
        print(f"error: {line}", file=sys.stderr)
    where = f"written to {args.dry_run}" if args.dry_run else "sent"
    unsent = f", {counted(result.unsent, 'email recipient')} passed over (no --smtp)" if result.unsent else ""
    print(f"{'ok' if not result.failed else 'error'}: {counted(len(result.sent), 'message')} {where}, "
          f"{len(result.failed)} failed{unsent} (as of {options.today.isoformat()})")
    if result.failed:
        print("  hint: failed messages were not recorded as sent: the next run retries them", file=sys.stderr)
    return 1 if result.failed else 0


def cmd_demo(args: argparse.Namespace) -> int:
    from generator.build.portals import BuildOptions, build_portfolio  # mkdocs loads here
    from generator.commands.demo import write_demo

    today = build_date(args.today)
    demo = write_demo(args.dir, today)
    result = build_portfolio(demo.projects, args.dir / "site", BuildOptions(today=today))
    print(f"ok: demo portfolio in {args.dir} ({demo.commits} weekly commits), its portal in "
          f"{args.dir / 'site' / result.built[0]}/index.html; change it and run "
          f"`portal build --projects {demo.projects} --out {args.dir / 'site'}`")
    return 0


def _split(value: str, what: str) -> tuple[str, str]:
    """`customer/project` -> its two parts, or a PortalError showing the form."""
    left, sep, right = value.strip("/").partition("/")
    if not sep or not left or not right or "/" in right:
        raise PortalError(f"{value!r} is not CUSTOMER/{what}", "e.g. acme/website-relaunch")
    return left, right


def cmd_new(args: argparse.Namespace) -> int:
    from generator.commands.scaffold import new_customer, new_project

    if args.kind == "customer":
        written = new_customer(args.projects, args.slug, args.name)
    else:
        customer, slug = _split(args.slug, "PROJECT")
        written = new_project(args.projects, customer, slug, args.name, today=build_date(args.today))
    for path in written:
        print(f"wrote {path}")
    return 0


def cmd_status_add(args: argparse.Namespace) -> int:
    from generator.commands.scaffold import add_status

    customer, project = _split(args.project, "PROJECT")
    path = add_status(args.projects, customer, project, build_date(args.today))
    print(f"added a status update dated {build_date(args.today).isoformat()} to {path}: edit it, then commit")
    return 0


def cmd_schema(args: argparse.Namespace) -> int:
    from generator.portfolio.schema import write_schemas

    out = args.out or args.projects.parent / ".schemas"
    for path in write_schemas(out):
        print(f"wrote {path}")
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
    _format_option(validate)
    validate.add_argument("--staged", action="store_true",
                          help="check the files as staged for the next commit (the pre-commit hook)")
    validate.set_defaults(run=cmd_validate)

    build = command("build", "build one static site per customer")
    build.add_argument("--out", type=Path, metavar="DIR",
                       help="where the portals go, one folder per customer (default: site, "
                            "or site-team for --audience team)")
    build.add_argument("--customer", nargs="+", action="extend", metavar="SLUG",
                       help="build only these customers")
    _portal_options(build)
    _jobs_option(build)
    build.add_argument("--shard", metavar="I/N",
                       help="build only the I-th of N even shards of the customers (for CI matrices)")
    build.add_argument("--force", action="store_true",
                       help="rebuild every portal even if its inputs did not change")
    _keys_options(build)
    _format_option(build)
    build.set_defaults(run=cmd_build)
    publish = command("publish", "publish an immutable version of each portal, with a version selector")
    publish.add_argument("--version", required=True, metavar="V",
                         help="the version to publish, e.g. 2026-11-26 or v3; never changed once published")
    publish.add_argument("--dest", type=Path, required=True, metavar="DIR",
                         help="where the versions go: DIR/<customer>/<V>/ with versions.json beside")
    publish.add_argument("--alias", metavar="NAME",
                         help="also publish the version as NAME (e.g. latest), moving NAME from an older one")
    publish.add_argument("--force", action="store_true",
                         help="replace version V where it is already published")
    publish.add_argument("--customer", nargs="+", action="extend", metavar="SLUG",
                         help="publish only these customers")
    _build_date_option(publish)
    _jobs_option(publish)
    _keys_options(publish)
    _format_option(publish)
    publish.set_defaults(run=cmd_publish)

    notify = command("notify", "tell customers what changed and what they owe (run after publish)")
    notify.add_argument("--state", type=Path, required=True, metavar="FILE",
                        help="the record of what was sent (keep it with the site between runs)")
    notify.add_argument("--smtp", metavar="HOST:PORT",
                        help="send email through this server (login: PORTAL_SMTP_USER, PORTAL_SMTP_PASSWORD)")
    notify.add_argument("--from", dest="sender", metavar="ADDRESS", help="the From: of every email")
    notify.add_argument("--webhook", metavar="URL",
                        help="also post a short summary to this Slack or Microsoft Teams incoming webhook")
    notify.add_argument("--dry-run", type=Path, metavar="DIR",
                        help="write each message to DIR (.eml, webhook .json): send and record nothing")
    notify.add_argument("--base-url", metavar="URL",
                        help="portals live at URL/<customer>/ (default: each customer's site_url)")
    notify.add_argument("--keys", type=Path, metavar="FILE",
                        help=f"encrypted portals: messages link to each share link (default: ${ENV} if set)")
    notify.add_argument("--remind-days", type=int, default=DAYS_BEFORE, metavar="N",
                        help=f"remind of an answer N days before it is due (default: {DAYS_BEFORE})")
    notify.add_argument("--customer", nargs="+", action="extend", metavar="SLUG",
                        help="notify only these customers")
    _build_date_option(notify)
    notify.set_defaults(run=cmd_notify)

    keys = command("keys", "create or rotate the keys of encrypted portals (a file outside the repository)")
    keys.add_argument("action", choices=["new"])
    keys.add_argument("customers", nargs="*", metavar="CUSTOMER", help="these customers (default: all)")
    keys.add_argument("--keys", type=Path, metavar="FILE", help=f"the keys file (default: ${ENV})")
    keys.add_argument("--rotate", action="store_true",
                      help="replace existing keys: new folders and links; old links stop at the next publish")
    keys.add_argument("--team", action="store_true", help="the team key, for --audience team portals")
    keys.add_argument("--passphrase", action="store_true",
                      help="the key of the one CUSTOMER is a passphrase, read from the terminal or stdin")
    keys.set_defaults(run=cmd_keys)

    links = command("links", "print the link of each encrypted portal, and its feed and calendar addresses")
    links.add_argument("--keys", type=Path, metavar="FILE", help=f"the keys file (default: ${ENV})")
    links.add_argument("--base-url", required=True, metavar="URL", help="where the portals are published")
    links.add_argument("--audience", choices=AUDIENCES, default="customer",
                       help="customer (default) or team: the links of the team portals")
    links.add_argument("--no-feeds", action="store_true", help="the portals were built without feeds")
    _format_option(links)
    links.set_defaults(run=cmd_links)

    serve = command("serve", "live preview of one portal, rebuilt on every change")
    serve.add_argument("customer", metavar="CUSTOMER", help="the customer's folder name")
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)")
    serve.add_argument("--port", type=int, default=8000, help="port (default: 8000)")
    _portal_options(serve)
    serve.set_defaults(run=cmd_serve)

    diff = command("diff", "what each customer will see change between REF and the working tree")
    diff.add_argument("ref", nargs="?", default="HEAD", metavar="REF", help="git revision (default: HEAD)")
    diff.add_argument("--audience", choices=AUDIENCES, default="customer",
                      help="customer (default) or team: team also shows internal changes, marked [internal]")
    _format_option(diff)
    diff.set_defaults(run=cmd_diff)

    init = commands.add_parser("init", help="start a new portfolio repository that builds at once")
    init.add_argument("dir", type=Path, metavar="DIR")
    init.add_argument("--today", metavar="YYYY-MM-DD", help="start date of the example project")
    init.set_defaults(run=cmd_init)

    demo = commands.add_parser("demo", help="write and build a demo portfolio with twelve weeks of history")
    demo.add_argument("dir", type=Path, metavar="DIR", help="a new folder: the git repository and its site/")
    demo.add_argument("--today", metavar="YYYY-MM-DD",
                      help="the day of the last weekly commit (default: today)")
    demo.set_defaults(run=cmd_demo)

    new = command("new", "add a customer or a project, valid as written")
    new.add_argument("kind", choices=["customer", "project"])
    new.add_argument("slug", metavar="SLUG", help="customer slug, or CUSTOMER/PROJECT for a project")
    new.add_argument("--name", help="the display name (default: made from the slug)")
    new.add_argument("--today", metavar="YYYY-MM-DD", help="start date of a new project")
    new.set_defaults(run=cmd_new)

    status = command("status", "work with status updates")
    status.add_argument("action", choices=["add"])
    status.add_argument("project", metavar="CUSTOMER/PROJECT")
    status.add_argument("--today", metavar="YYYY-MM-DD", help="date of the new update (default: today)")
    status.set_defaults(run=cmd_status_add)

    schema = command("schema", "write the JSON Schema of every file type (for editors)")
    schema.add_argument("--out", type=Path, metavar="DIR",
                        help="where to write them (default: .schemas next to the projects folder)")
    schema.set_defaults(run=cmd_schema)
    return parser


def _keys_options(sub: argparse.ArgumentParser) -> None:
    sub.add_argument("--keys", type=Path, metavar="FILE",
                     help=f"encrypt the portal of every customer with a key in FILE (default: ${ENV} if set)")
    sub.add_argument("--no-feeds", action="store_true",
                     help="encrypted portals leave out feed.xml and calendar.ics (else under a secret token)")


def _format_option(sub: argparse.ArgumentParser) -> None:
    sub.add_argument("--format", choices=["text", "json"], default="text",
                     help="text (default) or json: one JSON document on stdout, problems included")


def _portal_options(sub: argparse.ArgumentParser) -> None:
    """Options shared by every command that renders a portal."""
    sub.add_argument("--audience", choices=AUDIENCES, default="customer",
                     help="customer (default) or team: team also shows internal items")
    _build_date_option(sub)


def _build_date_option(sub: argparse.ArgumentParser) -> None:
    sub.add_argument("--today", metavar="YYYY-MM-DD",
                     help="the build date for overdue/stale facts (default: SOURCE_DATE_EPOCH or today)")


def _jobs_option(sub: argparse.ArgumentParser) -> None:
    sub.add_argument("--jobs", type=int, default=os.cpu_count() or 1, metavar="N",
                     help="portals built at once (default: all cores)")


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; every user mistake, and any unexpected error, becomes `error:` lines and exit 1."""
    args = _parser().parse_args(argv)
    try:
        return int(args.run(args))
    except PortalError as err:
        if args.debug:
            raise
        if getattr(args, "format", "text") == "json":
            emit_json(args.command, None, problems=err.problems)
            return 1
        for problem in err.problems:
            print(problem, file=sys.stderr)
        print(f"error: {counted(len(err.problems), 'problem')} found", file=sys.stderr)
        return 1
    except OSError as err:
        if args.debug:
            raise
        if getattr(args, "format", "text") == "json":
            emit_json(args.command, None, problems=[Problem(str(err.filename or "portal"), 0, 0,
                                                            str(err.strerror or err))])
            return 1
        print(f"error: {err.strerror or err}: {err.filename or ''}".rstrip(": "), file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("error: interrupted", file=sys.stderr)
        return 130
    except Exception as err:  # a bug, not a mistake in the files: one line, the traceback with --debug
        if args.debug:
            raise
        where, summary = ("portal", summarize(err))
        if isinstance(err, UnexpectedError):
            where, summary = err.where, err.summary
        problem = Problem(where, 0, 0, f"unexpected error while running `portal {args.command}`: {summary}",
                          "this is a bug in portal, not a mistake in your files: "
                          "rerun with --debug for the traceback, and report it")
        if getattr(args, "format", "text") == "json":
            emit_json(args.command, None, problems=[problem])
        else:
            print(f"error: {problem}", file=sys.stderr)
        return 1


def _observed() -> bool:
    """Whether a profiler, debugger or coverage tool watches this process (3.12+: sys.monitoring)."""
    monitoring = getattr(sys, "monitoring", None)
    watched = monitoring is not None and any(monitoring.get_tool(i) for i in range(6))  # its tool ids
    return bool(sys.getprofile() or sys.gettrace() or watched)


def run() -> NoReturn:
    """The console script: main(), then leave without tearing the interpreter down.

    Freeing every object of mkdocs, jinja and pydantic one by one at exit costs
    0.1-0.3 s, as much as building a small portal (mypy's fast exit does the
    same). By then every file and worker pool is closed by its `with` block;
    only the output streams are flushed here. Under a profiler, debugger or
    coverage tool the exit is the normal one, so that it can write its results.
    """
    code = main()
    if _observed():
        sys.exit(code)
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):  # a closed pipe has nothing left to say
            stream.flush()
    os._exit(code)


if __name__ == "__main__":
    run()
