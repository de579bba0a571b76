"""Encrypt a portal mkdocs has built, in place: shells with ciphertext, opaque names, no plain text.

Runs after mkdocs and before the leak guard. Every page moves to the portal's
root under a name derived from the key (so every link is rewritten once
here), its whole HTML is encrypted with AES-256-GCM and wrapped in a shell
page: a generic title, the prompt, and `unlock.js`, which decrypts the page
and writes it over the shell. The search index is encrypted the same way;
the sitemap goes (it lists every page); the feeds move under their
capability token, or go with `feeds=False`. Theme assets stay as they are.
"""

from __future__ import annotations

import base64
import json
import os
import posixpath
import re
import shutil
from pathlib import Path

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup

from generator.cache import bytecode_cache
from generator.i18n.jinja import install_gettext
from generator.i18n.languages import SOURCE
from generator.i18n.translate import current, speaking
from generator.pages.feeds import CALENDAR_FILE, FEED_FILE
from generator.pages.identity import drop_logo
from generator.private.keys import ITERATIONS, PortalKey, b64, opaque

HERE = Path(__file__).parent
ASSETS = "assets/"
UNLOCK_JS = "assets/javascripts/portal-unlock.js"
UNLOCK_CSS = "assets/stylesheets/portal-unlock.css"
INDEX_JSON = "search/search_index.json"
INDEX_JS = "search/search_index.js"
"""The offline plugin's copy of the index: the shell loads it with a script tag (works from file://)."""
KEPT = frozenset({"index.html", "404.html", INDEX_JSON, INDEX_JS})
DROPPED = frozenset({"sitemap.xml", "sitemap.xml.gz"})
MARK = "data-portal-sealed"
"""On the <html> of every shell page: how a sealed portal folder is recognised."""

_TEMPLATES = Environment(loader=FileSystemLoader(HERE), autoescape=select_autoescape(["html"]),
                         bytecode_cache=bytecode_cache())
install_gettext(_TEMPLATES)
_URL_ATTR = re.compile(r'(\s(?:href|src)=")([^"]*)(")')
_DROPPED_ITEM = re.compile(r'<li><a href="(?P<url>[^"]*)"[^>]*>.*?</li>', re.S)
_DROPPED_LINK = re.compile(r'<a href="(?P<url>[^"]*)"[^>]*>(?P<text>.*?)</a>', re.S)
_CONFIG = re.compile(r'(<script id="__config" type="application/json">)(.*?)(</script>)', re.S)
_EXTERNAL = re.compile(r"^(?:[a-zA-Z][a-zA-Z0-9+.-]*:|//|/|#)")
_BODY = re.compile(r"<body([^>]*)>")
_BODY_ATTR = re.compile(r'\s(dir|data-md-color-[a-z]+)="([^"]*)"')
_STYLESHEET = re.compile(r'<link rel="(?:stylesheet|icon)" href="([^"]*)"')
_LANG = re.compile(r'<html lang="([^"]*)"')
_HEADER_SEARCH = '<label class="md-header__button md-icon" for="__search">'


def encrypt(box: AESGCM, data: bytes) -> str:
    """base64(nonce || ciphertext || tag), a fresh random 96-bit nonce each time (WebCrypto's layout)."""
    nonce = os.urandom(12)
    return base64.b64encode(nonce + box.encrypt(nonce, data, None)).decode("ascii")


def new_names(files: list[str], key: PortalKey, feeds: bool) -> dict[str, str | None]:
    """Where each file of the built portal goes (None: it is left out); theme assets stay."""
    moves: dict[str, str | None] = {}
    for rel in files:
        if rel.startswith(ASSETS) or rel in KEPT:
            moves[rel] = rel
        elif rel in DROPPED:
            moves[rel] = None
        elif rel in (FEED_FILE, CALENDAR_FILE):
            moves[rel] = f"{key.feeds}/{rel}" if feeds else None
        else:
            moves[rel] = opaque(key.key, f"file {rel}", 16) + posixpath.splitext(rel)[1]
    return moves


class _Linker:
    """Rewrites the links of one page (or the search index) from the old layout to the sealed one."""

    def __init__(self, moves: dict[str, str | None], page: str) -> None:
        self.moves = moves
        self.folder = posixpath.dirname(page)
        self.feeds = {m.split("/")[0] for r, m in moves.items() if m and r in (FEED_FILE, CALENDAR_FILE)}
        self.dropped = {posixpath.basename(r) for r, m in moves.items() if m is None}
        self.attrs: dict[str, str] = {}
        """Each link's new form, worked out once: the navigation repeats the same links on every page."""

    def target(self, url: str) -> str | None:
        """The link from the portal's root (every page's new home); None when its target was left out."""
        if not url or _EXTERNAL.match(url):
            return url
        path, sep, fragment = url.partition("#")
        resolved = posixpath.normpath(posixpath.join(self.folder, path))
        moved = self.moves.get(resolved, resolved)
        return None if moved is None else moved + sep + fragment

    def page(self, html: str) -> str:
        if any(name in html for name in self.dropped):  # links to what is left out: their text stays
            html = _DROPPED_ITEM.sub(lambda m: "" if self.target(m["url"]) is None else m[0], html)
            html = _DROPPED_LINK.sub(lambda m: m["text"] if self.target(m["url"]) is None else m[0], html)
        html = _URL_ATTR.sub(lambda m: m[1] + self._attr(m[2]) + m[3], html)
        return _CONFIG.sub(lambda m: m[1] + self._config(m[2]) + m[3], html)

    def _attr(self, url: str) -> str:
        if url not in self.attrs:
            self.attrs[url] = self._new_attr(url)
        return self.attrs[url]

    def _new_attr(self, url: str) -> str:
        moved = self.target(url)
        if moved is None:
            return "#"
        return moved + ('" data-portal-feed="' if moved.split("/")[0] in self.feeds else "")

    def _config(self, text: str) -> str:
        """Material's page config: `base` is now the root, the search worker's path follows; no
        instant navigation (it would fetch the next page's shell and show it without opening it)."""
        config = json.loads(text)
        config["base"] = "."
        features = config.get("features") or []
        config["features"] = [f for f in features if not f.startswith("navigation.instant")]
        config["search"] = self.target(config["search"]) if config.get("search") else config.get("search")
        return json.dumps(config)


def _shell(original: str, sealed: str, key: PortalKey) -> str:
    """What a visitor without the key gets: the prompt in the portal's look and language, the ciphertext."""
    head = original.split("</head>", 1)[0]
    body = _BODY.search(original)
    return _TEMPLATES.get_template("prompt.html").render(
        lang=current(),
        body=dict(_BODY_ATTR.findall(body[1])) if body else {},
        links=[href for href in _STYLESHEET.findall(head) if href.startswith(ASSETS)],
        unlock_js=UNLOCK_JS, unlock_css=UNLOCK_CSS, index=INDEX_JS, folder=key.folder,
        sealed=Markup(sealed),  # base64: nothing to escape in 100 kB
        salt=b64(key.salt) if key.salt else "", iterations=ITERATIONS if key.salt else "", mark=MARK)


def shown_without_key(language: str) -> str:
    """The prompt and the lock button in `language`, as a visitor without the key reads them: the
    generator's own words, so a customer's text that is one of them (a project named 'Portal' beside
    'Privates Portal') is no text in plain."""
    with speaking(language):
        prompt = _TEMPLATES.get_template("prompt.html").render(
            lang=language, body={}, links=[], unlock_js="", unlock_css="", index="", folder="", sealed="",
            salt="", iterations="", mark=MARK)
        return prompt + _TEMPLATES.get_template("lock.html").render()


def _language(html: str) -> str:
    """The language a built page is written in: its `<html lang>`, as mkdocs-material writes the portal's."""
    found = _LANG.search(html)
    return found[1] if found else SOURCE


def _unlocked(html: str) -> str:
    """The decrypted page as shown: the lock button in the header, its stylesheet, no referrer sent."""
    button = _TEMPLATES.get_template("lock.html").render()
    head = _TEMPLATES.get_template("head.html").render(unlock_css=UNLOCK_CSS)
    html = html.replace("</head>", head + "</head>", 1)
    if _HEADER_SEARCH in html:
        return html.replace(_HEADER_SEARCH, button + _HEADER_SEARCH, 1)
    return _BODY.sub(lambda m: m[0] + button, html, count=1)


def _seal_index(site_dir: Path, box: AESGCM, moves: dict[str, str | None]) -> None:
    """The search index, its links moved, encrypted into both files material may read."""
    index = json.loads((site_dir / INDEX_JSON).read_text(encoding="utf-8"))
    linker = _Linker(moves, "")
    for doc in index.get("docs", []):
        doc["location"] = linker.target(doc["location"]) or ""
    sealed = encrypt(box, json.dumps(index, ensure_ascii=False).encode("utf-8"))
    (site_dir / INDEX_JSON).write_text(json.dumps({"sealed": sealed}), encoding="utf-8")
    (site_dir / INDEX_JS).write_text(f"var __portalSealedIndex = {json.dumps(sealed)};\n", encoding="utf-8")


def seal_site(site_dir: Path, key: PortalKey, *, feeds: bool = True) -> None:
    """Encrypt the portal built in site_dir in place (see the module's docstring)."""
    drop_logo(site_dir)
    files = sorted(p.relative_to(site_dir).as_posix() for p in site_dir.rglob("*") if p.is_file())
    moves = new_names(files, key, feeds)
    box = AESGCM(key.key)
    for rel in files:
        path, target = site_dir / rel, moves[rel]
        if rel in (INDEX_JSON, INDEX_JS) or (rel.startswith(ASSETS) and target == rel):
            continue
        if target is None:
            path.unlink()
            continue
        destination = site_dir / target
        destination.parent.mkdir(parents=True, exist_ok=True)
        if rel.endswith(".html"):
            original = path.read_text(encoding="utf-8")
            with speaking(_language(original)):  # the prompt and the lock button speak the page's language
                page = _unlocked(_Linker(moves, rel).page(original))
                shell = _shell(original, encrypt(box, page.encode("utf-8")), key)
            destination.write_text(shell, encoding="utf-8")
        elif rel.endswith(".json"):
            destination.write_text(json.dumps({"sealed": encrypt(box, path.read_bytes())}), encoding="utf-8")
        else:
            shutil.copyfile(path, destination)
        if destination != path:
            path.unlink()
    if (site_dir / INDEX_JSON).is_file():
        _seal_index(site_dir, box, moves)
    for name in (UNLOCK_JS, UNLOCK_CSS):
        (site_dir / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(HERE / posixpath.basename(name).removeprefix("portal-"), site_dir / name)
    for folder in sorted((p for p in site_dir.rglob("*") if p.is_dir()), reverse=True):
        if not any(folder.iterdir()):
            folder.rmdir()


def is_sealed(folder: Path) -> bool:
    """Whether `folder` holds a sealed portal (built: its index.html; published: a version's)."""
    for page in [folder / "index.html", *sorted(folder.glob("*/index.html"))]:
        if page.is_file():
            with page.open("rb") as handle:
                if MARK.encode() in handle.read(512):
                    return True
    return False
