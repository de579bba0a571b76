"""Where the running portal came from decides what a new portfolio installs (requirements.txt, pre-commit)."""

from __future__ import annotations

import json

import pytest

from generator.commands import source
from generator.commands.source import DISTRIBUTION, Source, running_source

COMMIT = "0123456789abcdef0123456789abcdef01234567"


def recorded(monkeypatch: pytest.MonkeyPatch, record: dict[str, object] | None) -> Source:
    class Dist:
        def read_text(self, name: str) -> str | None:
            assert name == "direct_url.json"
            return None if record is None else json.dumps(record)

    monkeypatch.setattr(source.importlib.metadata, "distribution", lambda name: Dist())
    return running_source()


def test_a_git_install_is_pinned_to_its_commit(monkeypatch: pytest.MonkeyPatch) -> None:
    url = "https://github.com/acme/transparency-portal.git"
    got = recorded(monkeypatch, {"url": url, "vcs_info": {"vcs": "git", "commit_id": COMMIT,
                                                          "requested_revision": "v0.1.0"}})
    assert got.requirement == f"{DISTRIBUTION} @ git+{url}@{COMMIT}"
    assert (got.hook_repo, got.hook_rev) == (url, COMMIT), "pre-commit installs the same commit"


def test_a_wheel_from_a_url_is_pinned_to_that_url(monkeypatch: pytest.MonkeyPatch) -> None:
    url = "https://files.example.com/transparency_portal-0.1.0-py3-none-any.whl"
    got = recorded(monkeypatch, {"url": url, "archive_info": {"hashes": {}}})
    assert got.requirement == f"{DISTRIBUTION} @ {url}"


@pytest.mark.parametrize("record", [
    {"url": "file:///home/pm/transparency-portal", "dir_info": {"editable": True}},
    {"url": "file:///tmp/transparency_portal-0.1.0-py3-none-any.whl", "archive_info": {}},
])
def test_a_local_copy_is_not_pinned_and_says_why(monkeypatch: pytest.MonkeyPatch,
                                                  record: dict[str, object]) -> None:
    got = recorded(monkeypatch, record)
    assert got.requirement is None and got.hook_repo is None
    assert "CI cannot reach" in got.note and str(record["url"]).removeprefix("file://") in got.note


def test_an_index_install_pins_the_version(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(source, "__version__", "0.1.0")
    assert recorded(monkeypatch, None).requirement == f"{DISTRIBUTION}==0.1.0"
