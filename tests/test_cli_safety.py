"""The command line holds its ground: bounded build dates, exact names, team portals apart, no tracebacks."""

from __future__ import annotations

import json
import os
import traceback
from pathlib import Path

import pytest

from generator.commands import cli
from generator.portfolio.errors import UnexpectedError
from tests.conftest import TODAY, write_portfolio
from tests.test_build import run


@pytest.mark.parametrize("today", ["9999-12-01", "0001-01-01", "2100-01-01", "1969-12-31"])
def test_a_build_date_outside_the_contract_is_a_clear_error(tmp_path: Path, today: str) -> None:
    projects = write_portfolio(tmp_path, {})
    result = run("build", "--projects", str(projects), "--out", str(tmp_path / "site"), "--today", today)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stderr.splitlines()[:2] == [
        f"portal: --today {today} is outside the dates the portal works with",
        "    hint: use a build date from 1970-01-01 to 2099-12-31"]
    assert not (tmp_path / "site").exists()


def test_a_build_date_from_source_date_epoch_is_bounded_too(tmp_path: Path) -> None:
    result = run("status", "add", "acme/web", "--projects", str(write_portfolio(tmp_path, {})),
                 env={**os.environ, "SOURCE_DATE_EPOCH": "99999999999"})
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "SOURCE_DATE_EPOCH=99999999999 (5138-11-16) is outside the dates" in result.stderr


@pytest.mark.parametrize("option", ["--version", "--alias"])
def test_a_version_name_with_a_final_newline_is_refused(tmp_path: Path, option: str) -> None:
    projects = write_portfolio(tmp_path, {})
    names = {"--version": "v1\n", "--alias": "latest\n"}
    args = ["--version", "v1"] if option == "--alias" else []
    result = run("publish", "--projects", str(projects), "--dest", str(tmp_path / "pub"), "--today", TODAY,
                 *args, option, names[option])
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert f"{option} {names[option]!r} cannot name a folder of the published site" in result.stderr
    assert not (tmp_path / "pub").exists()


def test_a_customer_slug_with_a_final_newline_is_refused(tmp_path: Path) -> None:
    projects = write_portfolio(tmp_path, {})
    result = run("build", "--projects", str(projects), "--out", str(tmp_path / "site"), "--today", TODAY,
                 "--customer", "acme\n")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "customer 'acme\\n': not a customer folder name" in result.stderr
    assert not (tmp_path / "site").exists()


def test_team_portals_go_to_their_own_folder_and_never_mix_with_customer_portals(tmp_path: Path) -> None:
    write_portfolio(tmp_path, {})
    team = run("build", "--audience", "team", "--today", TODAY, cwd=tmp_path)
    assert team.returncode == 0, team.stderr
    assert (tmp_path / "site-team/acme/index.html").is_file() and not (tmp_path / "site").exists()
    assert "in site-team (as of" in team.stdout

    into_team = run("build", "--out", "site-team", "--today", TODAY, cwd=tmp_path)
    assert into_team.returncode == 1 and "Traceback" not in into_team.stderr
    assert ("site-team holds team portals (acme), which show internal items: "
            "a customer portal must not be built there") in into_team.stderr

    customer = run("build", "--today", TODAY, cwd=tmp_path)
    assert customer.returncode == 0, customer.stderr
    before = (tmp_path / "site/acme/index.html").read_bytes()
    into_site = run("build", "--audience", "team", "--out", "site", "--today", TODAY, cwd=tmp_path)
    assert into_site.returncode == 1 and "Traceback" not in into_site.stderr
    assert ("site holds customer portals (acme): a team portal, which shows internal items, "
            "must not be built there") in into_site.stderr
    assert "--out site-team" in into_site.stderr
    assert (tmp_path / "site/acme/index.html").read_bytes() == before


def test_a_folder_of_portals_built_before_they_were_marked_counts_as_customer_portals(tmp_path: Path) -> None:
    write_portfolio(tmp_path, {})
    (tmp_path / "site/acme").mkdir(parents=True)
    (tmp_path / "site/acme/index.html").write_text("<html>an older build</html>")
    result = run("build", "--audience", "team", "--out", "site", "--today", TODAY, cwd=tmp_path)
    assert result.returncode == 1 and "holds customer portals (acme)" in result.stderr


def _crash_while_rendering(monkeypatch: pytest.MonkeyPatch, slug: str) -> None:
    """An unexpected error deep inside one customer's build (a bug, not a mistake in the files)."""
    import generator.pages.render as render

    derive = render.derive_portal

    def broken(customer, today):  # type: ignore[no-untyped-def]
        if customer.slug == slug:
            raise ValueError("year 10000 is out of range")
        return derive(customer, today)

    monkeypatch.setattr(render, "derive_portal", broken)


TWO = {"globex/customer.yml": "name: Globex\n", "globex/app/project.yml": "name: App\n"}


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_an_unexpected_error_is_one_line_naming_the_customer(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], jobs: str,
) -> None:
    """In this process (--jobs 1) and from a forked build worker (--jobs 2) alike."""
    projects = write_portfolio(tmp_path, TWO)
    _crash_while_rendering(monkeypatch, "globex")
    code = cli.main(["build", "--projects", str(projects), "--out", str(tmp_path / "site"), "--today", TODAY,
                     "--jobs", jobs])
    err = capsys.readouterr().err
    assert code == 1
    assert err.splitlines() == [
        "error: projects/globex: unexpected error while running `portal build`: "
        "ValueError: year 10000 is out of range",
        "    hint: this is a bug in portal, not a mistake in your files: "
        "rerun with --debug for the traceback, and report it"]
    assert not (tmp_path / "site").exists()


def test_an_unexpected_error_in_json_output_is_a_problem(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
) -> None:
    projects = write_portfolio(tmp_path, {})
    _crash_while_rendering(monkeypatch, "acme")
    code = cli.main(["build", "--projects", str(projects), "--out", str(tmp_path / "site"), "--today", TODAY,
                     "--format", "json"])
    report = json.loads(capsys.readouterr().out)
    assert code == 1 and report["ok"] is False
    message = "unexpected error while running `portal build`: ValueError: year 10000 is out of range"
    assert [(p["path"], p["message"]) for p in report["problems"]] == [("projects/acme", message)]


def test_debug_shows_the_traceback_of_an_unexpected_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    projects = write_portfolio(tmp_path, {})
    _crash_while_rendering(monkeypatch, "acme")
    with pytest.raises(UnexpectedError) as raised:
        cli.main(["--debug", "build", "--projects", str(projects), "--out", str(tmp_path / "site"),
                  "--today", TODAY, "--jobs", "1"])
    assert raised.value.where == "projects/acme"
    shown = "".join(traceback.format_exception(raised.value))
    assert "in broken" in shown and "ValueError: year 10000 is out of range" in shown


def test_an_unexpected_error_while_reading_a_file_names_the_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
) -> None:
    import generator.portfolio.validate as validate

    projects = write_portfolio(tmp_path, {"acme/web/project.yml": f"name: Web {tmp_path.name}\n"})
    parse = validate._parse

    def broken(raw: bytes, display: str, filename: str):  # type: ignore[no-untyped-def]
        if filename == "project.yml":
            raise RecursionError("maximum recursion depth exceeded")
        return parse(raw, display, filename)

    monkeypatch.setattr(validate, "_parse", broken)
    assert cli.main(["validate", "--projects", str(projects)]) == 1
    assert capsys.readouterr().err.splitlines()[0] == (
        "error: projects/acme/web/project.yml: unexpected error while running `portal validate`: "
        "RecursionError: maximum recursion depth exceeded")
