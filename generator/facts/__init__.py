"""Stage 2a, facts: the model and a build date in; what a reader is told, computed, out.

`derive` computes slips, overdue answers, customer delays, totals and staleness
into the frozen records of `records` and `milestones`; `clock` fixes the build
date. `timeline`, `health_strip` and `trend_chart` (on `chart_scale`) turn
dates into SVG coordinates that the theme only draws. Knows nothing of git.
"""

from generator.facts.derive import derive_portal, derive_project
from generator.facts.records import PortalFacts, ProjectFacts

__all__ = ["PortalFacts", "ProjectFacts", "derive_portal", "derive_project"]
