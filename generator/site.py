"""The one module that knows mkdocs exists: turn a folder of Markdown into a site.

Everything else hands over plain data (nav, names, paths), so the engine can
be replaced without touching the model, validation or rendering.
"""

from __future__ import annotations

import logging
import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")

from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import load_config
from mkdocs.exceptions import MkDocsException

SHIM = Path(__file__).parent / "vendor" / "iframe-worker.js"
SHIM_TARGET = "assets/javascripts/iframe-worker.js"
"""Where the base mkdocs.yml's `extra.polyfills` expects the file:// worker shim."""


@dataclass(frozen=True)
class SiteSpec:
    """Everything one portal needs from mkdocs, as plain data."""

    base_config: Path
    """The shared mkdocs.yml this portal inherits."""
    docs_dir: Path
    site_dir: Path
    theme_dir: Path
    """Material overrides (custom_dir)."""
    site_name: str
    nav: list[Any]
    language: str = "en"
    site_url: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)


class SiteError(Exception):
    """mkdocs refused to build; the message says why in its words."""


class _Collect(logging.Handler):
    """Keeps mkdocs' warnings so the caller can report them with the portal's name."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def _config_file(spec: SiteSpec) -> Path:
    """A per-portal mkdocs.yml next to the docs, inheriting the shared one."""
    config: dict[str, Any] = {
        "INHERIT": str(spec.base_config.resolve()),
        "site_name": spec.site_name,
        "docs_dir": str(spec.docs_dir.resolve()),
        "site_dir": str(spec.site_dir.resolve()),
        "nav": spec.nav,
        "theme": {"name": "material", "custom_dir": str(spec.theme_dir.resolve()),
                  "language": spec.language},
        "extra": spec.extra,
    }
    if spec.site_url:
        config["site_url"] = spec.site_url
    path = spec.docs_dir.parent / "mkdocs.yml"
    path.write_text(yaml.safe_dump(config, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


def build_site(spec: SiteSpec) -> list[str]:
    """Build one portal into spec.site_dir; returns mkdocs' warnings, raises SiteError on failure."""
    target = spec.docs_dir / SHIM_TARGET
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(SHIM, target)
    collect = _Collect()
    logger = logging.getLogger("mkdocs")
    logger.addHandler(collect)
    propagate, logger.propagate = logger.propagate, False
    try:
        config = load_config(str(_config_file(spec)))
        mkdocs_build(config)
    except (MkDocsException, OSError, yaml.YAMLError) as err:
        raise SiteError(str(err) or type(err).__name__) from err
    finally:
        logger.removeHandler(collect)
        logger.propagate = propagate
    return collect.messages
