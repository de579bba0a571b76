"""Attacks on the portal's languages (issue #18): each test is one bug an attacker found, now fixed.

Every test builds real portals in tmp_path (or runs the command line) and reads
what a reader or a PM would: the pages, the "What changed" links, the command's
output. The comment above each test names the bug.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from generator.build.portals import BuildOptions, build_portfolio
from tests.conftest import DAY, REPO, TODAY, write_portfolio
from tests.test_build import page_text, run
from tests.test_whatschanged import scripted_repo

LANGUAGES_FIXTURE = REPO / "tests" / "fixtures" / "languages"


def _about_links(page: Path) -> list[str]:
    """Every link of `page` into the portal's about/ folder, as the browser follows it."""
    return re.findall(r'href="((?:\.\./)*about/[^"#]*)', page.read_text(encoding="utf-8"))


# Was a bug (medium): "What changed" lists a customer's content pages by file name, every language variant
# included. A German portal reports "Seite steering.fr.md: hinzugefügt" for a French page it never
# shows, and links it and its own variant `steering.de.md` to about/<stem>.<lang>.md, which does not
# exist (the page is about/steering.html): dead links, and mkdocs warns "target is not found".
def test_what_changed_names_only_the_pages_the_portal_shows_and_links_them(tmp_path: Path) -> None:
    start = {"acme/customer.yml": "name: Stadtwerke Ahrtal\nlanguage: de\n",
             "acme/web/project.yml": "name: Portal\n"}
    pages = {"acme/content/steering.md": "# Lenkungskreis\nTermine.\n",
             "acme/content/steering.fr.md": "# Comité de pilotage\nDates.\n"}
    variants = {"acme/content/steering.fr.md": "# Comité de pilotage\nAutres dates.\n",
                "acme/content/steering.de.md": "# Lenkungskreis\nNeue Termine.\n"}
    projects = scripted_repo(tmp_path, [("2026-11-02T09:00", "start", start),
                                        ("2026-11-09T09:00", "pages", pages),
                                        ("2026-11-16T09:00", "variants", variants)])
    out = tmp_path / "site"
    result = build_portfolio(projects, out, BuildOptions(today=DAY))
    portal = out / "acme"
    assert (portal / "about" / "steering.html").is_file()
    changed = page_text(portal / "history.html")
    assert "steering.fr.md" not in changed  # the French page is not part of a German portal
    for link in _about_links(portal / "history.html"):
        assert (portal / link).is_file(), f"'What changed' links {link}, which the portal does not have"
    assert not [w for w in result.warnings if "not found among documentation files" in w]


# Was a bug (low): for a theme language Babel has no data for (`sh`, Serbo-Croatian), dates fall back to
# Babel's *American* English ('11/26/2026', month first), neither the portal's English form (ISO) nor
# the language's own (26.11.2026.). docs/format.md promises dates "follow" the language.
def test_a_language_babel_does_not_know_keeps_unambiguous_dates(tmp_path: Path) -> None:
    projects = write_portfolio(tmp_path, {"acme/customer.yml": "name: Acme\nlanguage: sh\n",
                                          "acme/web/project.yml": "name: Web\nstart: 2026-01-05\n"})
    out = tmp_path / "site"
    build_portfolio(projects, out, BuildOptions(today=DAY))
    text = page_text(out / "acme" / "index.html")
    assert "11/26/2026" not in text, "the build date is written month first, as in the USA"


# Was a bug (medium): a shipped language whose compiled catalog (portal.mo) is missing — the README's
# "Adding a language" with `pybabel compile` forgotten, or a packaging slip — counts as shipped
# (it has an LC_MESSAGES folder), so validate stays silent, and the build writes the German customer's
# portal entirely in English without a word. A reader gets the wrong language; nobody is told.
def test_a_shipped_language_without_its_compiled_catalog_is_not_built_silently_in_english(
        tmp_path: Path) -> None:
    package = tmp_path / "package"
    for part in ("generator", "themes", "content"):
        shutil.copytree(REPO / part, package / part, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(REPO / "mkdocs.yml", package / "mkdocs.yml")
    (package / "generator/i18n/locales/de/LC_MESSAGES/portal.mo").unlink()
    projects = tmp_path / "projects"
    shutil.copytree(LANGUAGES_FIXTURE / "stadtwerke-ahrtal", projects / "stadtwerke-ahrtal")
    env = {**os.environ, "PYTHONPATH": str(package), "NO_MKDOCS_2_WARNING": "1"}
    done = subprocess.run([sys.executable, "-m", "generator", "build", "--projects", str(projects),
                           "--out", str(tmp_path / "site"), "--today", TODAY],
                          capture_output=True, text=True, env=env, cwd=tmp_path, check=False)
    said = done.stdout + done.stderr
    # built, with a warning at the language line that the portal's words stay English for 'de'
    assert done.returncode == 0, said
    line = r"warning: projects/stadtwerke-ahrtal/customer\.yml:\d+:\d+: .*'de' they stay English"
    assert re.search(line, said), said


# Was a bug (medium, not i18n but found on the way): `--customer a --customer b` (the flag repeated, as CI
# scripts build it) silently keeps only the last customer: argparse nargs="+" without
# action="extend". `build` says "1 built", `publish` publishes one portal, `notify` notifies one.
def test_a_repeated_customer_flag_builds_every_customer_named(tmp_path: Path) -> None:
    projects = write_portfolio(tmp_path, {"beta/customer.yml": "name: Beta\nlanguage: de\n",
                                          "beta/web/project.yml": "name: Web\n"})
    out = tmp_path / "site"
    done = run("build", "--projects", str(projects), "--out", str(out), "--today", TODAY,
               "--customer", "acme", "--customer", "beta")
    assert done.returncode == 0, done.stderr
    assert (out / "acme" / "index.html").is_file() and (out / "beta" / "index.html").is_file(), done.stdout


# Was a bug (medium): a German customer with a project named "Portal" could not have a private portal:
# the prompt says "Privates Portal" on every page and the leak guard took the project's name, in plain
# there, for a leak. A project folder named `portal` (the prompt's class names) failed in every language.
def test_a_project_named_like_a_word_of_the_prompt_builds_privately(tmp_path: Path) -> None:
    projects = write_portfolio(tmp_path, {"acme/customer.yml": "name: Stadtwerke Ahrtal\nlanguage: de\n",
                                          "acme/web/project.yml": "name: Portal\n",
                                          "acme/portal/project.yml": "name: Kundenportal\n"})
    keys = tmp_path / "keys.json"
    assert run("keys", "new", "--projects", str(projects), "--keys", str(keys)).returncode == 0
    done = run("build", "--projects", str(projects), "--out", str(tmp_path / "site"), "--keys", str(keys),
               "--today", TODAY)
    assert done.returncode == 0, done.stdout + done.stderr


# Was a trap (low-medium): a content variant named with the language spelt otherwise (`glossary.de-DE.md`,
# `faq.no.md`) was silently an ordinary page: every portal, the English ones too, listed a German
# "Glossar" beside "Glossary". Now validate and build say so once, at the file, with the name to use.
def test_a_misspelt_language_variant_is_pointed_out(tmp_path: Path) -> None:
    projects = write_portfolio(tmp_path, {"acme/customer.yml": "name: Acme\n",
                                          "bravo/customer.yml": "name: Bravo\n",
                                          "acme/content/faq.no.md": "# Spørsmål\n"})
    (tmp_path / "content").mkdir()
    (tmp_path / "content" / "glossary.de-DE.md").write_text("# Glossar\n", encoding="utf-8")
    (tmp_path / "content" / "plan.2027.md").write_text("# Plan 2027\n", encoding="utf-8")
    checked = run("validate", "--projects", str(projects))
    assert checked.returncode == 0, checked.stderr
    assert "warning: content/glossary.de-DE.md: 'de-DE' in its name is no language code" in checked.stderr
    assert "; name it glossary.de.md to show it instead of glossary.md where the language is 'de'" in (
        checked.stderr)
    assert "projects/acme/content/faq.no.md: 'no' in its name" in checked.stderr
    assert "plan.2027" not in checked.stderr
    built = run("build", "--projects", str(projects), "--out", str(tmp_path / "site"), "--today", TODAY)
    assert built.returncode == 0 and built.stderr.count("glossary.de-DE.md") == 1, built.stderr
