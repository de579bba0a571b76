"""Stage 4, the engine: Markdown pages in; a finished static site out.

The only package that knows mkdocs exists: `mkdocs` writes a portal's config
on top of the base `mkdocs.yml`, builds and serves it; `mkdocs_hooks` is
loaded by mkdocs itself to put charts back into the finished pages. Swapping
the engine means replacing this package alone.
"""
