"""Transparency Portal: one static mkdocs-material site per customer, built from YAML in git."""

from importlib.metadata import PackageNotFoundError, version

DISTRIBUTION = "transparency-portal"
"""The name the generator is installed under (pyproject.toml)."""

try:
    __version__ = version(DISTRIBUTION)
except PackageNotFoundError:  # running from a source tree without installing
    __version__ = "0.0.0+source"
