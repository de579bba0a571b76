"""The folder layout is the pipeline: imports point down the stages, and the README's map matches the code."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from importlinter.cli import lint_imports

REPO = Path(__file__).resolve().parent.parent


def test_the_stages_import_only_down_the_pipeline_and_only_the_engine_knows_mkdocs() -> None:
    """pyproject.toml's import-linter contracts: layers, mkdocs in one package, git in one."""
    assert lint_imports(config_filename=str(REPO / "pyproject.toml"), no_cache=True) == 0


def test_the_readme_map_names_every_module_of_the_generator_and_no_other() -> None:
    """A newcomer reads the map, not the code: it must be complete and true."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    tree = readme.split("<!-- module map -->", 2)[1]
    named, package = set(), ""
    for line in tree.splitlines():
        folder = re.match(r"^  ([a-z0-9_]+)/", line)
        module = re.match(r"^( *)([a-z_]+\.py)\b", line)
        if folder:
            package = folder[1]
        elif module:
            named.add(f"{package}/{module[2]}" if len(module[1]) == 4 else module[2])
    present = {
        str(path.relative_to(REPO / "generator")) for path in (REPO / "generator").rglob("*.py")
        if path.name != "__init__.py"
    }
    assert len(named) > 30, "the README has no module map between <!-- module map --> markers"
    assert named == present


def test_python_dash_m_generator_runs_the_portal_command() -> None:
    """`python -m generator` is the console script by another name (for a venv without its bin/ on PATH)."""
    done = subprocess.run([sys.executable, "-m", "generator", "--version"], capture_output=True, text=True,
                          check=False)
    assert done.returncode == 0 and done.stdout.startswith("portal ")
