"""The one module that knows mkdocs exists: turn a folder of Markdown into a site.

Everything else hands over plain data (nav, names, paths), so the engine can
be replaced without touching the model, validation or rendering.
"""

from __future__ import annotations

import logging
import os
import shutil
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import yaml

os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")

from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import load_config
from mkdocs.exceptions import MkDocsException
from mkdocs.livereload import LiveReloadServer

HOOKS = Path(__file__).parent / "site_hooks.py"
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
    build_date: date | None = None
    """Dates mkdocs writes (sitemap) follow the portal's build date, for reproducible output."""


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
        "hooks": [str(HOOKS)],
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
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if spec.build_date:
        moment = datetime(spec.build_date.year, spec.build_date.month, spec.build_date.day, tzinfo=UTC)
        os.environ["SOURCE_DATE_EPOCH"] = str(int(moment.timestamp()))
    try:
        config = load_config(str(_config_file(spec)))
        mkdocs_build(config)
    except (MkDocsException, OSError, yaml.YAMLError) as err:
        raise SiteError(str(err) or type(err).__name__) from err
    finally:
        logger.removeHandler(collect)
        logger.propagate = propagate
        if epoch is None:
            os.environ.pop("SOURCE_DATE_EPOCH", None)
        else:
            os.environ["SOURCE_DATE_EPOCH"] = epoch
    return collect.messages


def serve_site(root: Path, rebuild: Callable[[], None], watch: Sequence[Path], *, host: str,
               port: int) -> None:
    """Serve `root` with live reload, calling `rebuild` whenever a watched path changes."""
    server = LiveReloadServer(builder=rebuild, host=host, port=port, root=str(root))

    def error_page(code: int) -> bytes | None:
        page = root / "404.html"
        return page.read_bytes() if code == 404 and page.is_file() else None

    server.error_handler = error_page
    for path in watch:
        server.watch(str(path))
    try:
        server.serve()  # type: ignore[no-untyped-call]
    except KeyboardInterrupt:
        pass
    finally:
        server.shutdown()
