"""Transparency Portal: one static mkdocs-material site per customer, built from YAML in git."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("transparency-portal")
except PackageNotFoundError:  # running from a source tree without installing
    __version__ = "0.0.0+source"
