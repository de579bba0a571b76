"""The one place a customer's portal address is made, for every link a message carries.

An encrypted portal is reached only through its share link (`portal links`):
its pages have opaque names, so every link of a message opens that link.
"""

from __future__ import annotations

from urllib.parse import urljoin

from generator.portfolio.errors import PortalError
from generator.portfolio.model import Customer
from generator.private.keys import PortalKey
from generator.private.keys import portal_link as share_link


def portal_link(customer: Customer, base_url: str | None, key: PortalKey | None = None) -> str | None:
    """The address of `customer`'s portal: `<base_url>/<slug>/` when given, else its `site_url`; the
    share link (`<base_url>/<folder-id>/#key=...`) when the portal is encrypted with `key`."""
    if key is not None:
        if not base_url:
            raise PortalError("the link of an encrypted portal needs --base-url",
                              "the address the portals are published at, as given to `portal links`")
        return share_link(customer.slug, key, base_url, feeds=True).link
    if base_url:
        return f"{base_url.rstrip('/')}/{customer.slug}/"
    return customer.info.site_url


def page_link(portal: str | None, page: str | None) -> str | None:
    """A page of the portal ('web/plan.md#m2', as history.changelog names it) as a full address."""
    if not portal or page is None:
        return None
    if "#key=" in portal:  # an encrypted portal opens at its share link only
        return portal
    path, _, anchor = page.partition("#")
    if path.endswith(".md"):
        path = path[: -len(".md")] + ".html"  # use_directory_urls: false
    base = portal if portal.endswith("/") else portal + "/"
    return urljoin(base, path) + (f"#{anchor}" if anchor else "")
