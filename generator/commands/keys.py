"""`portal keys new` and `portal links`: the keys file of encrypted portals and the link of each portal."""

from __future__ import annotations

import getpass
import sys
from pathlib import Path

from generator.portfolio.errors import PortalError
from generator.portfolio.layout import check_customer_slugs
from generator.portfolio.model import SLUG_RE
from generator.portfolio.visibility import Audience
from generator.private.keys import Keys, Link, check_outside, new_entry, portal_link, read_keys, write_keys


def _customers(projects_dir: Path) -> list[str]:
    if not projects_dir.is_dir():
        raise PortalError(f"{projects_dir}: no such projects folder", "pass --projects DIR")
    return sorted(p.name for p in projects_dir.iterdir() if p.is_dir() and SLUG_RE.match(p.name))


def _read_passphrase() -> str:
    """The passphrase, typed twice on a terminal, else the first line of stdin."""
    if not sys.stdin.isatty():
        return sys.stdin.readline().rstrip("\r\n")
    first = getpass.getpass("passphrase: ")
    if getpass.getpass("again: ") != first:
        raise PortalError("the two passphrases differ", "type the same passphrase twice")
    return first


def new_keys(projects_dir: Path, path: Path, named: list[str], *, rotate: bool, team: bool,
             passphrase: bool) -> list[str]:
    """Add (or with `rotate` replace) the keys of the named customers (default: all); what was done."""
    check_outside(path, projects_dir)
    keys = read_keys(path) if path.exists() else Keys({})
    if team:
        if named or passphrase:
            raise PortalError("--team makes the one team key", "leave out the customers and --passphrase")
        if keys.team and not rotate:
            return [f"kept the team key in {path} (--rotate replaces it)"]
        write_keys(path, Keys(keys.customers, new_entry()))
        return [f"wrote the team key to {path}"]
    known = _customers(projects_dir)
    check_customer_slugs(named)
    unknown = [slug for slug in named if slug not in known]
    if unknown:
        raise PortalError(f"no customer folder {', '.join(unknown)} in {projects_dir}",
                          f"customers: {', '.join(known) or 'none yet'}")
    if passphrase and len(named) != 1:
        raise PortalError("--passphrase sets the key of one customer", "name exactly one CUSTOMER")
    customers = dict(keys.customers)
    lines = []
    for slug in named or known:
        if slug in customers and not rotate:
            lines.append(f"kept the key of {slug} (--rotate replaces it)")
            continue
        customers[slug] = new_entry(_read_passphrase() if passphrase else None)
        lines.append(f"{'new' if slug not in keys.customers else 'rotated'} key for {slug}: "
                     f"folder {customers[slug].portal_key().folder}")
    write_keys(path, Keys(customers, keys.team))
    return [*lines, f"wrote {path} (readable by you only)"]


def portal_links(projects_dir: Path, keys: Keys, base_url: str, audience: Audience, *,
                 feeds: bool) -> list[Link]:
    """The link of every customer's encrypted portal for `audience`, customers without a key left out."""
    if not base_url.startswith(("https://", "http://", "file://")):
        raise PortalError(f"--base-url {base_url!r} is not an address", "e.g. https://portal.example.com")
    links = []
    for slug in _customers(projects_dir):
        key = keys.portal_key(slug, audience)
        if key:
            links.append(portal_link(slug, key, base_url, feeds))
    return links
