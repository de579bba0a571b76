"""The one place a customer's portal address is made, for every link a message carries.

An encrypted portal is reached through its share link (issue 15, `portal
links`): plug it in `portal_link`, and every message links there.
"""

from __future__ import annotations

from urllib.parse import urljoin

from generator.portfolio.model import Customer


def portal_link(customer: Customer, base_url: str | None) -> str | None:
    """The address of `customer`'s portal: `<base_url>/<slug>/` when given, else its `site_url`."""
    if base_url:
        return f"{base_url.rstrip('/')}/{customer.slug}/"
    return customer.info.site_url


def page_link(portal: str | None, page: str | None) -> str | None:
    """A page of the portal ('web/plan.md#m2', as history.changelog names it) as a full address."""
    if not portal or page is None:
        return None
    path, _, anchor = page.partition("#")
    if path.endswith(".md"):
        path = path[: -len(".md")] + ".html"  # use_directory_urls: false
    base = portal if portal.endswith("/") else portal + "/"
    return urljoin(base, path) + (f"#{anchor}" if anchor else "")
