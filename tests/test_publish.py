"""`portal publish`: immutable versions side by side, mike's versions.json, an alias, a redirect."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from generator.commands.publish import PublishOptions, VersionInfo, add_version, publish_portfolio
from generator.portfolio.errors import PortalError
from tests.conftest import write_portfolio

FILES = {
    "acme/customer.yml": "name: Acme Corp\nsite_url: https://portal.example.com/acme/\n",
    "acme/web/project.yml": "name: Website relaunch\n",
    "acme/web/plan.yml": "milestones:\n  - {id: M1, title: Launch, baseline: 2026-12-01}\n",
    "beta/customer.yml": "name: Beta Industries\n",
}
DAY1, DAY2 = date(2026, 11, 26), date(2026, 12, 3)


def portal(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "generator", *args], capture_output=True, text=True,
                          check=False)


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, dict[str, bytes]]:
    """v1 published with the command, then v2 with alias latest; returns projects, dest, the tree after v1."""
    root = tmp_path_factory.mktemp("publish")
    projects = write_portfolio(root, FILES, base={})
    dest = root / "public"
    first = portal("publish", "--projects", str(projects), "--dest", str(dest), "--version", "v1",
                   "--alias", "latest", "--today", DAY1.isoformat())
    assert first.returncode == 0, first.stderr
    assert f"published {dest / 'acme' / 'v1'}" in first.stdout
    assert "ok: version v1 of 2 portals" in first.stdout
    after_v1 = tree(dest)
    (projects / "acme" / "web" / "plan.yml").write_text(
        "milestones:\n  - {id: M1, title: Launch, baseline: 2026-12-01, forecast: 2026-12-20}\n")
    publish_portfolio(projects, dest, PublishOptions(version="v2", today=DAY2, alias="latest"))
    return projects, dest, after_v1


def test_first_version_is_byte_for_byte_unchanged(published: tuple[Path, Path, dict[str, bytes]]) -> None:
    _, dest, after_v1 = published
    now = tree(dest)
    for customer in ("acme", "beta"):
        old = {k: v for k, v in after_v1.items() if k.startswith(f"{customer}/v1/")}
        assert old and {k: v for k, v in now.items() if k.startswith(f"{customer}/v1/")} == old


def test_versions_json_is_mikes_format_newest_first(published: tuple[Path, Path, dict[str, bytes]]) -> None:
    _, dest, _ = published
    for customer in ("acme", "beta"):
        versions = json.loads((dest / customer / "versions.json").read_text())
        assert versions == [{"version": "v2", "title": "v2", "aliases": ["latest"]},
                            {"version": "v1", "title": "v1", "aliases": []}]


def test_alias_is_a_copy_of_the_version_and_the_root_redirects_to_it(
        published: tuple[Path, Path, dict[str, bytes]]) -> None:
    _, dest, _ = published
    site = dest / "acme"
    assert tree(site / "latest") == tree(site / "v2")
    index = (site / "index.html").read_text()
    assert '<meta http-equiv="refresh" content="0; url=latest/index.html">' in index
    assert "<script" not in index
    assert sorted(p.name for p in site.iterdir()) == ["index.html", "latest", "v1", "v2", "versions.json"]


def test_every_page_says_as_of_and_which_version(published: tuple[Path, Path, dict[str, bytes]]) -> None:
    _, dest, _ = published
    for version, day in (("v1", DAY1), ("v2", DAY2)):
        pages = list((dest / "acme" / version).rglob("*.html"))
        assert len(pages) > 10
        for page in pages:
            source = page.read_text(encoding="utf-8")
            assert re.search(rf"as of {day} · version {version}\s*</div>", source), page
            assert '"provider": "mike"' in source or '"provider":"mike"' in source  # the version selector


def test_published_version_shows_its_own_state(published: tuple[Path, Path, dict[str, bytes]]) -> None:
    _, dest, _ = published
    v1 = (dest / "acme" / "v1" / "web" / "plan.html").read_text(encoding="utf-8")
    v2 = (dest / "acme" / "v2" / "web" / "plan.html").read_text(encoding="utf-8")
    assert "2026-12-20" not in v1 and "2026-12-20" in v2
    assert 'href="https://portal.example.com/acme/v2/web/plan.html"' in v2  # canonical: the version's address


def test_publishing_a_version_again_fails_and_changes_nothing(
        published: tuple[Path, Path, dict[str, bytes]]) -> None:
    projects, dest, _ = published
    before = tree(dest)
    again = portal("publish", "--projects", str(projects), "--dest", str(dest), "--version", "v1",
                   "--today", DAY2.isoformat())
    assert again.returncode == 1
    assert f"{dest / 'acme' / 'v1'}: version v1 is already published" in again.stderr
    assert "pass --force" in again.stderr and "Traceback" not in again.stderr
    assert tree(dest) == before
    assert [p.name for p in (dest.parent / ".portal").glob("*.staging.*")] == []


def test_force_replaces_only_that_version(tmp_path: Path) -> None:
    projects = write_portfolio(tmp_path, FILES, base={})
    dest = tmp_path / "public"
    publish_portfolio(projects, dest, PublishOptions(version="v1", today=DAY1, only=["acme"]))
    publish_portfolio(projects, dest, PublishOptions(version="v2", today=DAY1, alias="latest", only=["acme"]))
    before = tree(dest / "acme")
    forced = PublishOptions(version="v1", today=DAY2, force=True, only=["acme"])
    result = publish_portfolio(projects, dest, forced)
    assert result.replaced == ["acme"]
    after = tree(dest / "acme")
    assert {k: v for k, v in after.items() if not k.startswith("v1/")} == \
        {k: v for k, v in before.items() if not k.startswith("v1/")}
    assert f"as of {DAY2} · version v1".encode() in after["v1/index.html"]
    assert json.loads(after["versions.json"])[0]["version"] == "v2"  # a replaced version keeps its place


def test_a_failing_portfolio_leaves_dest_as_it_was(tmp_path: Path) -> None:
    projects = write_portfolio(tmp_path, FILES, base={})
    dest = tmp_path / "public"
    publish_portfolio(projects, dest, PublishOptions(version="v1", today=DAY1, alias="latest"))
    before = tree(dest)
    (projects / "beta" / "customer.yml").write_text("name: Beta\nlanguage: [broken\n")
    with pytest.raises(PortalError):
        publish_portfolio(projects, dest, PublishOptions(version="v2", today=DAY1, alias="latest"))
    assert tree(dest) == before
    assert [p.name for p in (tmp_path / ".portal").glob("*.staging.*")] == []


def test_without_alias_the_root_opens_the_new_version(tmp_path: Path) -> None:
    projects = write_portfolio(tmp_path, FILES, base={})
    dest = tmp_path / "public"
    publish_portfolio(projects, dest, PublishOptions(version="2026-11-26", today=DAY1, only=["beta"]))
    assert "url=2026-11-26/index.html" in (dest / "beta" / "index.html").read_text()
    assert not (dest / "acme").exists()


@pytest.mark.parametrize(("version", "alias", "message"), [
    ("../up", None, "--version '../up' cannot name a folder"),
    ("a/b", None, "--version 'a/b' cannot name a folder"),
    ("versions.json", None, "--version 'versions.json' cannot name a folder"),
    ("v1", "v1", "--alias v1 is the version itself"),
    ("v1", "bad alias", "--alias 'bad alias' cannot name a folder"),
])
def test_bad_names_are_refused(tmp_path: Path, version: str, alias: str | None, message: str) -> None:
    projects = write_portfolio(tmp_path, FILES, base={})
    with pytest.raises(PortalError, match=re.escape(message)):
        publish_portfolio(projects, tmp_path / "public",
                          PublishOptions(version=version, today=DAY1, alias=alias))
    assert not (tmp_path / "public").exists()


def test_a_build_output_is_not_a_publish_destination(tmp_path: Path) -> None:
    projects = write_portfolio(tmp_path, FILES, base={})
    (tmp_path / "site" / "acme").mkdir(parents=True)
    (tmp_path / "site" / "acme" / "index.html").write_text("a plain build")
    with pytest.raises(PortalError, match=r"holds no versions\.json"):
        publish_portfolio(projects, tmp_path / "site",
                          PublishOptions(version="v1", today=DAY1, only=["acme"]))


def test_alias_clashing_with_a_version_is_refused(tmp_path: Path) -> None:
    projects = write_portfolio(tmp_path, FILES, base={})
    dest = tmp_path / "public"
    publish_portfolio(projects, dest, PublishOptions(version="v1", today=DAY1, only=["beta"]))
    with pytest.raises(PortalError, match="--alias v1 is the name of a published version"):
        publish_portfolio(projects, dest, PublishOptions(version="v2", today=DAY1, alias="v1", only=["beta"]))
    with pytest.raises(PortalError, match="v9 exists but is no alias"):
        (dest / "beta" / "v9").mkdir()
        publish_portfolio(projects, dest, PublishOptions(version="v2", today=DAY1, alias="v9", only=["beta"]))


def test_add_version_moves_the_alias_and_keeps_order() -> None:
    versions = [VersionInfo("v2", "v2", ("latest",)), VersionInfo("v1", "v1")]
    assert add_version(versions, "v3", "latest") == [
        VersionInfo("v3", "v3", ("latest",)), VersionInfo("v2", "v2"), VersionInfo("v1", "v1")]
    assert add_version(versions, "v1", None) == versions
    assert add_version(versions, "v1", "stable") == [versions[0], VersionInfo("v1", "v1", ("stable",))]
