"""Stage 1, the portfolio: YAML in; a typed model and every Problem out.

`layout` finds the customer and project folders and the shared files,
`load` reads YAML into positioned plain data, `validate` turns it into the
pydantic models of `model` (with `rules` for what spans fields and files) and
reports every mistake as a `Problem` (`errors`) at its file, line and column.
`visibility` is the one rule of what a customer may see; `schema` writes the
JSON Schemas editors use. Knows nothing of facts, git, pages or mkdocs.
"""

from generator.portfolio.errors import PortalError, Problem
from generator.portfolio.validate import load_portfolio, validate_portfolio
from generator.portfolio.visibility import Audience, for_audience

__all__ = ["Audience", "PortalError", "Problem", "for_audience", "load_portfolio", "validate_portfolio"]
