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

from jinja2 import Environment
from material import __version__ as material_version  # type: ignore[import-untyped]
from mkdocs import __version__ as mkdocs_version
from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import load_config
from mkdocs.exceptions import MkDocsException
from mkdocs.structure.files import File, Files
from mkdocs.theme import Theme

from generator.cache import bytecode_cache, remembered

HOOKS = Path(__file__).parent / "mkdocs_hooks.py"
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


# --- theme start-up, once per machine --------------------------------------------------------
# mkdocs 1.6 (pinned: 1.x gets no more releases) redoes two things on every build
# that give the same answer each time: listing every file of the theme
# (material ships ~14,000 icons: 0.2 s a portal) and compiling its templates
# (also in the search plugin's own environments). Both are kept in the
# generator's cache (generator/cache.py), keyed so that an edited theme is seen.

_add_theme_files = Files.add_files_from_theme
_theme_env = Theme.get_env


def _cached_env(theme: Theme) -> Environment:
    """The theme's template environment, compiling each template once per machine, not per build."""
    env = _theme_env(theme)
    env.bytecode_cache = bytecode_cache()
    return env


def _files(folder: str | None) -> list[tuple[str, list[str]]]:
    """Every file below folder (a portal theme's overrides: a few dozen), so a change gives a new key."""
    if not folder:
        return []
    return [(root, sorted(names)) for root, _, names in sorted(os.walk(folder))]


def _remembered_theme_files(files: Files, env: Environment, config: Any) -> None:
    """Files.add_files_from_theme, listing the theme's folders once per version and overrides."""
    theme = config.theme

    def listing() -> list[tuple[str, str | None]]:
        found = Files([])
        _add_theme_files(found, env, config)
        return [(file.src_uri, file.src_dir) for file in found]

    key = repr((mkdocs_version, material_version, theme.dirs, sorted(theme.static_templates),
                _files(theme.custom_dir)))
    for path, folder in remembered("theme-files", key, listing):
        if files.get_file_from_path(path) is None:  # as mkdocs: the docs' own files win
            files.append(File(path, folder, config.site_dir, config.use_directory_urls))


Theme.get_env = _cached_env  # type: ignore[method-assign,assignment]
Files.add_files_from_theme = _remembered_theme_files  # type: ignore[method-assign,assignment]


def serve_site(root: Path, rebuild: Callable[[], None], watch: Sequence[Path], *, host: str,
               port: int) -> None:
    """Serve `root` with live reload, calling `rebuild` whenever a watched path changes."""
    from mkdocs.livereload import LiveReloadServer  # here: its http server costs every build 50 ms

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
