"""Encrypted portals (`--keys`): nothing of a customer readable without the key, one link per customer.

The example portfolio is built with a key per customer; every byte of every
output file and every path is searched for the customers' names, slugs,
project names and every text of their YAML. Rotation and removal are
published for real. What the browser does with the link: test_private_browser.py.
"""

from __future__ import annotations

import base64
import gzip
import hashlib
import html
import json
import os
import re
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import material  # type: ignore[import-untyped]
import pytest
import yaml
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from generator.build.audiences import MARK
from generator.build.guard import customer_texts as customer_texts_of
from generator.build.guard import find_plain
from generator.portfolio.validate import load_portfolio
from tests.conftest import EXAMPLE, REPO, TODAY, write_portfolio

MIN_TEXT = 8
SEALED = re.compile(r'<script type="application/octet-stream" id="portal-sealed"[^>]*>([^<]*)</script>')


def portal(*args: str | Path, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "generator", *map(str, args)], capture_output=True,
                          text=True, check=False, input=stdin)


def ok(*args: str | Path, stdin: str | None = None) -> str:
    done = portal(*args, stdin=stdin)
    assert done.returncode == 0, done.stderr
    return done.stdout


def links(projects: Path, keys: Path, *extra: str) -> dict[str, dict[str, str]]:
    out = ok("links", "--projects", projects, "--keys", keys, "--base-url", "https://portal.example.com",
             "--format", "json", *extra)
    return {link["slug"]: link for link in json.loads(out)["result"]["links"]}


def key_of(link: dict[str, str]) -> bytes:
    text = link["link"].split("#key=")[1]
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def open_sealed(key: bytes, text: str) -> str:
    """What unlock.js does with the key: AES-256-GCM, nonce first."""
    data = base64.b64decode(text)
    return AESGCM(key).decrypt(data[:12], data[12:], None).decode("utf-8")


def open_page(key: bytes, page: Path) -> str:
    found = SEALED.search(page.read_text(encoding="utf-8"))
    assert found, f"{page} is not a sealed page"
    return open_sealed(key, found[1])


def customer_names(customer: Path) -> set[str]:
    """The customer's name and slug, its projects' names and slugs."""
    folders = [customer, *(p for p in customer.iterdir() if (p / "project.yml").is_file())]
    files = [customer / "customer.yml", *(p / "project.yml" for p in folders[1:])]
    return {f.name for f in folders} | {yaml.safe_load(f.read_text(encoding="utf-8"))["name"] for f in files}


def customer_texts(customer: Path) -> set[str]:
    """Its names and every string of its YAML of 8 or more characters."""
    texts = customer_names(customer)
    todo: list[object] = [yaml.safe_load(f.read_text(encoding="utf-8")) for f in customer.rglob("*.yml")]
    while todo:
        value = todo.pop()
        if isinstance(value, str):
            texts.add(" ".join(value.split()))
        elif isinstance(value, dict):
            todo += value.values()
        elif isinstance(value, list):
            todo += value
    # one lowercase word is the contract's vocabulary or a file name (`owner: customer`, `logo: logo.svg`),
    # which the theme says too; the customer's own words are names or phrases
    words = {t for t in texts if len(t) >= MIN_TEXT and not re.fullmatch(r"[a-z0-9._-]+", t)}
    return words | customer_names(customer)


def theme_files() -> set[str]:
    """sha256 of every file the theme ships (material, the portal's theme, the generator's own assets)."""
    roots = [Path(material.__file__).parent, REPO / "themes", REPO / "generator"]
    files = [p for root in roots for p in root.rglob("*") if p.is_file()]
    return {hashlib.sha256(p.read_bytes()).hexdigest() for p in files}


def readable(path: Path) -> str:
    data = path.read_bytes()
    if path.suffix == ".gz":
        data = gzip.decompress(data)
    text = data.decode("utf-8", errors="replace")
    return " ".join(html.unescape(text).split())


@pytest.fixture(scope="module")
def encrypted(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Path]:
    """The example portfolio built with a key per customer: (projects, keys file, out)."""
    root = tmp_path_factory.mktemp("private")
    projects = root / "projects"
    shutil.copytree(EXAMPLE, projects)
    keys = root / "secrets" / "keys.json"
    ok("keys", "new", "--projects", projects, "--keys", keys)
    out = root / "site"
    ok("build", "--projects", projects, "--out", out, "--keys", keys, "--today", TODAY)
    return projects, keys, out


def test_no_customer_text_in_any_file_or_path_of_an_encrypted_build(
    encrypted: tuple[Path, Path, Path],
) -> None:
    projects, keys, out = encrypted
    portals = links(projects, keys)
    feeds = {link["feed"].split("/")[-2] for link in portals.values()}
    customers = [c for c in projects.iterdir() if c.is_dir()]
    texts = {t for c in customers for t in customer_texts(c)}
    names = {t for c in customers for t in customer_names(c)}
    theme = theme_files()
    found, files = [], 0
    for path in sorted(out.rglob("*")):
        rel = path.relative_to(out)
        found += [f"path {rel}: {t!r}" for t in texts if t.casefold() in str(rel).casefold()]
        if not path.is_file() or (len(rel.parts) > 1 and rel.parts[1] in feeds) or path.name == MARK:
            continue  # the audience mark says 'customer' or 'team', as the keys file does
        files += 1
        # a file the theme ships as it is holds its own words ("schedule", "cancelled"), no YAML's
        theirs = hashlib.sha256(path.read_bytes()).hexdigest() in theme and rel.parts[1:2] == ("assets",)
        text = readable(path)
        found += [f"{rel}: {t!r}" for t in (names if theirs else texts) if t in text]
    assert files > 40 and found == [], found
    folders = sorted(link["folder"] for link in portals.values())
    assert sorted(p.name for p in out.iterdir() if p.is_dir()) == folders
    assert not list(out.rglob("sitemap.xml*"))
    assert not list(out.rglob("customer-logo*")), "a logo says whose portal it is: private portals drop it"
    assert json.loads((out.parent / ".portal" / "site.state.json").read_text())["names"] == {}


def test_the_key_opens_every_page_the_search_index_and_the_feeds_under_their_token(
    encrypted: tuple[Path, Path, Path],
) -> None:
    projects, keys, out = encrypted
    link = links(projects, keys)["northwind"]
    key, folder = key_of(link), out / link["folder"]
    assert link["link"] == f"https://portal.example.com/{link['folder']}/#key={link['link'].split('#key=')[1]}"
    home = open_page(key, folder / "index.html")
    assert "<title>Northwind Outfitters" in home and "data-portal-lock" in home
    token = link["feed"].split("/")[-2]
    assert f'href="{token}/feed.xml" data-portal-feed' in home  # shown on the unlocked home page
    assert link["feed"] == f"https://portal.example.com/{link['folder']}/{token}/feed.xml"
    assert b"Northwind" in (folder / token / "feed.xml").read_bytes()
    assert (folder / token / "calendar.ics").is_file()
    pages = [p for p in folder.glob("*.html") if p.name not in ("index.html", "404.html")]
    assert len(pages) >= 20 and all(re.fullmatch(r"[a-z2-7]{16}\.html", p.name) for p in pages)
    for page in pages:
        opened = open_page(key, page)
        for href in re.findall(r'href="([^"#:]+\.html)', opened):
            assert (folder / href).is_file(), f"{page.name} links to {href}, which is missing"
    sealed_index = json.loads((folder / "search/search_index.json").read_text())["sealed"]
    index = json.loads(open_sealed(key, sealed_index))
    decision = next(d for d in index["docs"] if "Klarna" in d["text"])
    assert (folder / decision["location"].split("#")[0]).is_file()
    with pytest.raises(InvalidTag):  # another customer's key opens nothing
        open_page(key_of(links(projects, keys)["harbor-health"]), folder / "index.html")


def test_keys_file_is_private_kept_outside_projects_and_keys_are_kept_unless_rotated(
    encrypted: tuple[Path, Path, Path], tmp_path: Path,
) -> None:
    projects, keys, _ = encrypted
    assert stat.S_IMODE(keys.stat().st_mode) == 0o600
    before = keys.read_text()
    assert "kept the key of northwind" in ok("keys", "new", "--projects", projects, "--keys", keys)
    assert keys.read_text() == before
    inside = portal("keys", "new", "--projects", projects, "--keys", projects / "keys.json")
    assert inside.returncode == 1 and "is inside" in inside.stderr and not (projects / "keys.json").exists()
    env_keys = portal("links", "--projects", projects, "--base-url", "https://x.example")
    assert env_keys.returncode == 1 and "no keys file: pass --keys FILE or set PORTAL_KEYS" in env_keys.stderr
    unknown = portal("keys", "new", "nobody", "--projects", projects, "--keys", tmp_path / "k.json")
    assert unknown.returncode == 1 and "no customer folder nobody" in unknown.stderr
    (tmp_path / "bad.json").write_text("{}")
    bad = portal("build", "--projects", projects, "--out", tmp_path / "o", "--keys", tmp_path / "bad.json")
    assert bad.returncode == 1 and "not a keys file" in bad.stderr and "Traceback" not in bad.stderr


def test_keys_default_to_portal_keys_and_a_passphrase_key_opens_with_the_passphrase(tmp_path: Path) -> None:
    projects = write_portfolio(tmp_path, {})
    keys = tmp_path / "keys.json"
    env = {**os.environ, "PORTAL_KEYS": str(keys)}
    done = subprocess.run([sys.executable, "-m", "generator", "keys", "new", "acme", "--passphrase",
                           "--projects", str(projects)], input="correct horse battery staple\n",
                          capture_output=True, text=True, env=env, check=False)
    assert done.returncode == 0, done.stderr
    entry = json.loads(keys.read_text())["customers"]["acme"]
    salt = base64.urlsafe_b64decode(entry["salt"] + "==")
    key = hashlib.pbkdf2_hmac("sha256", b"correct horse battery staple", salt, 600_000, 32)
    short = portal("keys", "new", "acme", "--passphrase", "--rotate", "--projects", projects, "--keys", keys,
                   stdin="short\n")
    assert short.returncode == 1 and "fewer than 12" in short.stderr
    out = tmp_path / "site"
    built = subprocess.run([sys.executable, "-m", "generator", "build", "--projects", str(projects), "--out",
                            str(out), "--today", TODAY], capture_output=True, text=True, env=env, check=False)
    assert built.returncode == 0, built.stderr
    (folder,) = [p for p in out.iterdir() if p.is_dir()]
    shell = (folder / "index.html").read_text()
    assert f'data-salt="{entry["salt"]}"' in shell and 'data-iterations="600000"' in shell
    assert "Acme Corp" in open_page(key, folder / "index.html")


def test_no_feeds_leaves_feeds_and_their_links_out(
    encrypted: tuple[Path, Path, Path], tmp_path: Path,
) -> None:
    projects, keys, _ = encrypted
    out = tmp_path / "site"
    ok("build", "--projects", projects, "--out", out, "--keys", keys, "--no-feeds", "--customer", "northwind",
       "--today", TODAY)
    link = links(projects, keys, "--no-feeds")["northwind"]
    folder = out / link["folder"]
    assert link["feed"] is None and link["calendar"] is None
    assert not list(folder.rglob("feed.xml")) and not list(folder.rglob("*.ics"))
    home = open_page(key_of(link), folder / "index.html")
    assert "News feed" not in home and "feed.xml" not in home and "Follow along" in home
    plain = portal("build", "--projects", projects, "--out", tmp_path / "plain", "--no-feeds")
    assert plain.returncode == 1 and "--no-feeds is for encrypted builds" in plain.stderr


def test_team_portals_are_encrypted_with_keys_from_the_team_key(
    encrypted: tuple[Path, Path, Path], tmp_path: Path,
) -> None:
    projects, _, _ = encrypted
    keys = tmp_path / "team-keys.json"
    assert "wrote the team key" in ok("keys", "new", "--team", "--projects", projects, "--keys", keys)
    out = tmp_path / "team"
    ok("build", "--projects", projects, "--out", out, "--keys", keys, "--audience", "team",
       "--customer", "northwind", "--today", TODAY)
    team = links(projects, keys, "--audience", "team")
    assert links(projects, keys) == {} and set(team) == {"harbor-health", "northwind"}
    folder = out / team["northwind"]["folder"]
    assert "Internal" in open_page(key_of(team["northwind"]), folder / "index.html")
    assert team["northwind"]["folder"] != team["harbor-health"]["folder"]


def test_rotating_a_key_or_removing_a_customer_removes_the_old_folder_at_the_next_publish(
    encrypted: tuple[Path, Path, Path], tmp_path: Path,
) -> None:
    projects, _, _ = encrypted
    projects = Path(shutil.copytree(projects, tmp_path / "projects"))
    keys, dest = tmp_path / "keys.json", tmp_path / "public"
    ok("keys", "new", "--projects", projects, "--keys", keys)
    publish = ("publish", "--projects", projects, "--dest", dest, "--keys", keys, "--alias", "latest",
               "--today", TODAY)
    ok(*publish, "--version", "v1")
    old = links(projects, keys)
    assert sorted(p.name for p in dest.iterdir()) == sorted(link["folder"] for link in old.values())
    versions = json.loads((dest / old["northwind"]["folder"] / "versions.json").read_text())
    assert versions == [{"version": "v1", "title": "v1", "aliases": ["latest"]}]
    old_folder = dest / old["northwind"]["folder"]
    assert "Northwind" in open_page(key_of(old["northwind"]), old_folder / "latest/index.html")

    assert "rotated key for northwind" in ok("keys", "new", "northwind", "--rotate", "--projects", projects,
                                             "--keys", keys)
    shutil.rmtree(projects / "harbor-health")
    ok(*publish, "--version", "v2")
    new = links(projects, keys)["northwind"]
    assert new["folder"] != old["northwind"]["folder"]
    assert sorted(p.name for p in dest.iterdir()) == [new["folder"]]  # old key's and removed customer's gone
    assert "Northwind" in open_page(key_of(new), dest / new["folder"] / "v2/index.html")


def test_a_build_with_keys_replaces_the_plain_folder_and_a_rotated_key_moves_the_portal(
    encrypted: tuple[Path, Path, Path], tmp_path: Path,
) -> None:
    projects, _, _ = encrypted
    keys, out = tmp_path / "keys.json", tmp_path / "site"
    build = ("build", "--projects", projects, "--out", out, "--today", TODAY)
    ok(*build)
    ok("keys", "new", "northwind", "--projects", projects, "--keys", keys)
    done = portal(*build, "--keys", keys, "--format", "json")
    old = links(projects, keys)["northwind"]["folder"]
    report = json.loads(done.stdout)
    assert report["result"]["folders"] == {"harbor-health": "harbor-health", "northwind": old}
    assert "harbor-health: no key in the keys file, so its portal is built in plain" in report["warnings"]
    assert sorted(p.name for p in out.iterdir() if p.is_dir()) == sorted(["harbor-health", old])
    ok("keys", "new", "northwind", "--rotate", "--projects", projects, "--keys", keys)
    again = json.loads(ok(*build, "--keys", keys, "--format", "json"))
    new = links(projects, keys)["northwind"]["folder"]
    assert again["result"]["built"] == ["northwind"] and again["result"]["unchanged"] == ["harbor-health"]
    assert sorted(p.name for p in out.iterdir() if p.is_dir()) == sorted(["harbor-health", new]) != [old]


def test_the_plain_text_guard_finds_customer_text_outside_the_ciphertext_only(
    encrypted: tuple[Path, Path, Path], tmp_path: Path,
) -> None:
    projects, keys, out = encrypted
    link = links(projects, keys)["northwind"]
    northwind = next(c for c in load_portfolio(projects).customers if c.slug == "northwind")
    texts = customer_texts_of(northwind)
    site = Path(shutil.copytree(out / link["folder"], tmp_path / "site"))
    (site / MARK).unlink()  # written after the guard ran: the build's word 'customer', no text of theirs
    token = link["feed"].split("/")[-2]
    assert find_plain(site, texts, skip=token) == []
    assert find_plain(site, texts) != []  # the feeds are plain text, on purpose, under their token
    (site / "a.html").write_text("<p>" + "QUJD" * 30 + "NorthwindQUJD" + "</p>")  # inside base64: chance
    assert find_plain(site, texts, skip=token) == []
    (site / "b.html").write_text("<p>Northwind Outfitters &amp; co</p>")
    with gzip.open(site / "c.xml.gz", "wt") as handle:
        handle.write("<loc>website-relaunch/plan.html</loc>")
    assert find_plain(site, texts, skip=token) == [
        "b.html: customer text 'Northwind Outfitters' in plain",
        "c.xml.gz: customer text 'website-relaunch' in plain",
    ]
