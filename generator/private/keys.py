"""The keys file: one key per customer (random, or derived from a passphrase), kept outside the repository.

    {"format": 1,
     "customers": {"<slug>": {"key": "<base64url, 32 bytes>", "feeds": "<token>"}
                            | {"passphrase": "...", "salt": "<base64url>", "feeds": "<token>"}},
     "team": {"key": ..., "feeds": ...}}

A portal's folder id, its link and its feeds' capability token follow from
the entry alone, so a rebuild is stable while the key is and moves when it
rotates. Team portals use keys derived from the one team key, one per customer.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import secrets
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from generator.pages.feeds import CALENDAR_FILE, FEED_FILE
from generator.portfolio.errors import PortalError
from generator.portfolio.visibility import Audience

FORMAT = 1
KEY_BYTES = 32
"""AES-256."""
ITERATIONS = 600_000
"""PBKDF2-HMAC-SHA256 iterations of a passphrase: OWASP's current recommendation (Password Storage)."""
MIN_PASSPHRASE = 12
FOLDER_CHARS = 20
"""Base32 characters of a folder id: 100 bits, nothing to enumerate."""
ENV = "PORTAL_KEYS"


def b64(data: bytes) -> str:
    """URL-safe base64 without padding: fits a URL fragment and a JSON string."""
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def unb64(text: str) -> bytes:
    """The bytes of `b64` text (padding optional)."""
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def opaque(key: bytes, label: str, chars: int = FOLDER_CHARS) -> str:
    """A name derived from the key (HMAC-SHA256) that says nothing about `label` without it."""
    mac = hmac.new(key, label.encode("utf-8"), hashlib.sha256).digest()
    return base64.b32encode(mac).decode("ascii").lower()[:chars]


@lru_cache(maxsize=64)
def derive(passphrase: str, salt: bytes) -> bytes:
    """The AES key of a passphrase (PBKDF2-HMAC-SHA256, as WebCrypto computes it in the browser)."""
    return hashlib.pbkdf2_hmac("sha256", passphrase.encode("utf-8"), salt, ITERATIONS, KEY_BYTES)


@dataclass(frozen=True)
class PortalKey:
    """What one encrypted portal is built and linked with."""

    key: bytes
    """The AES-256-GCM key of every page, the search index and every JSON."""
    feeds: str
    """Capability token: the feeds are published in plain under `<folder>/<feeds>/`."""
    salt: bytes | None = None
    """Set when the key comes from a passphrase: the prompt derives it from what the customer types."""

    @property
    def folder(self) -> str:
        """The portal's folder: opaque, stable while the key is."""
        return opaque(self.key, "folder")


@dataclass(frozen=True)
class Entry:
    """One entry of the keys file, as written there."""

    feeds: str
    key: bytes | None = None
    passphrase: str | None = None
    salt: bytes | None = None

    def portal_key(self) -> PortalKey:
        if self.passphrase is not None and self.salt is not None:
            return PortalKey(derive(self.passphrase, self.salt), self.feeds, self.salt)
        assert self.key is not None
        return PortalKey(self.key, self.feeds)

    def to_json(self) -> dict[str, str]:
        if self.passphrase is not None and self.salt is not None:
            return {"passphrase": self.passphrase, "salt": b64(self.salt), "feeds": self.feeds}
        assert self.key is not None
        return {"key": b64(self.key), "feeds": self.feeds}


def new_entry(passphrase: str | None = None) -> Entry:
    """A fresh random key (or passphrase with a fresh salt) and a fresh feeds token."""
    feeds = base64.b32encode(secrets.token_bytes(20)).decode("ascii").lower()
    if passphrase is not None:
        if len(passphrase) < MIN_PASSPHRASE:
            raise PortalError(f"the passphrase has {len(passphrase)} characters, fewer than {MIN_PASSPHRASE}",
                              "use a longer passphrase (a few unrelated words), or a random key")
        return Entry(feeds, passphrase=passphrase, salt=secrets.token_bytes(16))
    return Entry(feeds, key=secrets.token_bytes(KEY_BYTES))


@dataclass(frozen=True)
class Keys:
    """The keys file's content: customer slug -> entry, and the team key."""

    customers: dict[str, Entry]
    team: Entry | None = None

    def portal_key(self, slug: str, audience: Audience) -> PortalKey | None:
        """The key of `slug`'s portal for `audience` (None: that portal is built in plain)."""
        if audience == "customer":
            entry = self.customers.get(slug)
            return entry.portal_key() if entry else None
        if self.team is None:
            return None
        team = self.team.portal_key().key
        key = HKDF(hashes.SHA256(), KEY_BYTES, salt=None, info=f"team portal {slug}".encode()).derive(team)
        return PortalKey(key, opaque(team, f"team feeds {slug}", 32))


@dataclass(frozen=True)
class Private:
    """How a build encrypts: the keys, and whether the feeds are published (under their token)."""

    keys: Keys
    feeds: bool = True

    def folder(self, slug: str, audience: Audience) -> str:
        """Where `slug`'s portal goes in the output: its folder id, or its slug if it has no key."""
        key = self.keys.portal_key(slug, audience)
        return key.folder if key else slug


def keys_path(given: Path | None) -> Path:
    """--keys, else $PORTAL_KEYS; a PortalError when neither is set."""
    if given is not None:
        return given
    if os.environ.get(ENV):
        return Path(os.environ[ENV])
    raise PortalError("no keys file: pass --keys FILE or set PORTAL_KEYS",
                      "create one with `portal keys new --keys FILE`, outside the repository")


def check_outside(path: Path, projects_dir: Path) -> None:
    """Refuse a keys file inside the portfolio: it would be committed and published with it."""
    if path.resolve().is_relative_to(projects_dir.resolve()):
        raise PortalError(f"the keys file {path} is inside {projects_dir}",
                          "keep it outside the repository (e.g. ~/.config/portal/keys.json); "
                          "CI reads it from a secret")


def _entry(data: Any, where: str) -> Entry:
    try:
        feeds = data["feeds"]
        if not isinstance(feeds, str) or not feeds.isalnum():
            raise ValueError("feeds is not a token")
        if "passphrase" in data:
            return Entry(feeds, passphrase=str(data["passphrase"]), salt=unb64(data["salt"]))
        key = unb64(data["key"])
        if len(key) != KEY_BYTES:
            raise ValueError(f"key has {len(key)} bytes, not {KEY_BYTES}")
        return Entry(feeds, key=key)
    except (KeyError, TypeError, ValueError) as err:
        raise PortalError(f"{where} is not a key entry: {err}",
                          "restore the keys file from its backup, or create a key with `portal keys new`") \
            from None


def read_keys(path: Path) -> Keys:
    """The keys file at `path`; a PortalError saying what is wrong with it."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise PortalError(f"{path}: no such keys file",
                          f"create it with `portal keys new --keys {path}`") from None
    except ValueError as err:
        raise PortalError(f"{path}: not a keys file ({err})", "restore it from its backup") from None
    entries = data.get("customers") if isinstance(data, dict) else None
    if not isinstance(entries, dict) or data.get("format") != FORMAT:
        raise PortalError(f"{path}: not a keys file of format {FORMAT}", "restore it from its backup")
    customers = {slug: _entry(entry, f"{path}: customers.{slug}") for slug, entry in entries.items()}
    team = _entry(data["team"], f"{path}: team") if data.get("team") is not None else None
    return Keys(customers, team)


def write_keys(path: Path, keys: Keys) -> None:
    """Write the keys file whole, readable by its owner only (mode 0600) from its first byte."""
    data = {"format": FORMAT, "customers": {s: e.to_json() for s, e in sorted(keys.customers.items())},
            "team": keys.team.to_json() if keys.team else None}
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(json.dumps(data, indent=1) + "\n")
        os.chmod(tmp, 0o600)
        tmp.replace(path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


@dataclass(frozen=True)
class Link:
    """What `portal links` prints for one portal."""

    slug: str
    folder: str
    link: str
    feed: str | None
    calendar: str | None


def portal_link(slug: str, key: PortalKey, base_url: str, feeds: bool) -> Link:
    """The link that opens `slug`'s portal (the key in the fragment, which browsers never send)."""
    root = f"{base_url.rstrip('/')}/{key.folder}/"
    feed_root = f"{root}{key.feeds}/"
    page = "index.html" if base_url.startswith("file:") else ""  # a file:// folder address lists files
    feed, calendar = (f"{feed_root}{FEED_FILE}", f"{feed_root}{CALENDAR_FILE}") if feeds else (None, None)
    return Link(slug, key.folder, f"{root}{page}#key={b64(key.key)}", feed, calendar)
