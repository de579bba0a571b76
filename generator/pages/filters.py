"""How templates write values for a reader: contract codes as words, days, dates and money.

Each filter answers in the customer's language (`generator.i18n`): words
through gettext, dates and amounts through `formats`, so English keeps the
portal's own forms (ISO dates, `EUR 120,000`) and German writes `04.12.2026`
and `120.000 €`. Counts choose their plural form with ngettext.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from markupsafe import Markup

from generator.i18n import formats
from generator.i18n.translate import N_, _, ngettext

LABELS: dict[str, str] = {
    # Translators: a project's phase.
    "discovery": N_("Discovery"), "design": N_("Design"), "build": N_("Build"),
    # Translators: a project's phase.
    "test": N_("Test"), "launch": N_("Launch"), "support": N_("Support"),
    # Translators: a project's phase, or a question or risk that needs nothing any more.
    "closed": N_("Closed"),
    # Translators: a status update's health rating (a traffic light).
    "green": N_("Green"), "amber": N_("Amber"), "red": N_("Red"),
    # Translators: the dimensions a status update rates.
    "health": N_("Overall"), "scope": N_("Scope"), "schedule": N_("Schedule"), "budget": N_("Budget"),
    # Translators: the side that must act (a milestone's or question's owner); also who sees an item.
    "customer": N_("Customer"), "vendor": N_("Vendor"), "internal": N_("Internal"),
    # Translators: a risk's likelihood or impact.
    "low": N_("Low"), "medium": N_("Medium"), "high": N_("High"),
    # Translators: a milestone's status.
    "planned": N_("Planned"), "in-progress": N_("In progress"), "at-risk": N_("At risk"),
    # Translators: a milestone's or change request's status.
    "done": N_("Done"), "cancelled": N_("Cancelled"),
    # Translators: how an expectation the customer has stands.
    "on-track": N_("On track"), "met": N_("Met"), "missed": N_("Missed"),
    # Translators: a decision's or change request's status.
    "proposed": N_("Proposed"), "accepted": N_("Accepted"), "rejected": N_("Rejected"),
    # Translators: a decision's status: replaced by a later decision.
    "superseded": N_("Superseded"),
    # Translators: a question's or risk's status (an adjective, not the verb).
    "open": N_("Open"), "answered": N_("Answered"),
    # Translators: a change request's status.
    "under-review": N_("Under review"), "approved": N_("Approved"), "withdrawn": N_("Withdrawn"),
    # Translators: what a contact is mailed.
    "none": N_("None"), "digest": N_("Digest"), "reminders": N_("Reminders"),
}
"""Every enum value of the contract (docs/format.md) as the word a reader sees."""

ESTIMATE_LABELS: dict[str, str] = {
    # Translators: how a change request's impact was estimated.
    "gut": N_("rough estimate"), "discovery": N_("estimated after discovery"),
}
"""How an impact was estimated, in words a customer understands."""


def label(value: object) -> str:
    """A contract value as a word: 'in-progress' -> 'In progress'; an unknown one capitalized."""
    if value is None:
        return ""
    text = str(value)
    known = LABELS.get(text)
    return _(known) if known else text.replace("-", " ").capitalize()


def estimate_label(value: object) -> str:
    """How an impact was estimated, or '' for no known way."""
    known = ESTIMATE_LABELS.get(str(value))
    return _(known) if known else ""


def number(value: object) -> str:
    """A number without a pointless '.0', in the reader's digits."""
    if value is None:
        return ""
    return formats.decimal(value) if isinstance(value, int | float) else str(value)


def money(amount: float | None, currency: str, signed: bool = False) -> Markup:
    """'EUR 120,000' or 'EUR 1,234.50' ('120.000 €' in German), kept on one line."""
    if amount is None:
        return Markup("")
    return Markup('<span class="portal-nowrap">{}</span>').format(formats.money(amount, currency, signed))


def signed_money(amount: float, currency: str) -> Markup:
    """A difference in money: '+EUR 12,000', '−EUR 3,000', 'EUR 0'."""
    return money(amount, currency, signed=True)


def percent(value: float) -> str:
    """A signed percentage to one decimal: '+8.3%', '−2%', '0%'."""
    return formats.percent(value)


def short_date(value: date) -> str:
    """A day as plain text ('2026-11-22', '22.11.2026'), where markup cannot go (a chart's text)."""
    return formats.short_date(value)


def day(value: date) -> Markup:
    """A date kept on one line: 'YYYY-MM-DD' never wraps at its hyphens."""
    return Markup('<span class="portal-date">{}</span>').format(formats.short_date(value))


def when(value: date, today: date) -> Markup:
    """A date a reader can place: 'Fri 2026-12-04, in 3 days', 'Mon 2026-11-23, 3 days ago'."""
    count = (value - today).days
    shown = Markup('<span class="portal-date">{}</span>').format(formats.weekday_date(value))
    if count == 0:
        # Translators: %(date)s is a weekday and date.
        text = _("%(date)s, today")
    elif count > 0:
        # Translators: %(date)s is a weekday and date, %(num)s the days from today until then.
        text = ngettext("%(date)s, in %(num)s day", "%(date)s, in %(num)s days", count)
    else:
        # Translators: %(date)s is a weekday and date, %(num)s the days since then.
        text = ngettext("%(date)s, %(num)s day ago", "%(date)s, %(num)s days ago", -count)
    return Markup(text) % {"date": shown, "num": formats.decimal(abs(count))}


def _num(count: int, signed: bool = False) -> dict[str, str]:
    """A count's number in the reader's digits (signed: '+5', '−3'), for `%(num)s`."""
    return {"num": formats.decimal(count, signed)}


def days(count: int) -> str:
    """'1 day', '5 days'."""
    return ngettext("%(num)s day", "%(num)s days", abs(count)) % _num(count)


def delta_days(count: int) -> str:
    """A signed number of days: '+10 days', '0 days', '−3 days'."""
    return ngettext("%(num)s day", "%(num)s days", abs(count)) % _num(count, signed=True)


def working_days(count: int) -> str:
    """A change request's schedule impact, which the contract counts in working days: '+5 working days'."""
    # Translators: %(num)s is signed: +5 (more time) or −3 (less time).
    return ngettext("%(num)s working day", "%(num)s working days", abs(count)) % _num(count, signed=True)


def slip(count: int | None, unit: str = "calendar ") -> str:
    """'+14 calendar days', 'on baseline' or '−3 calendar days' (ahead of the baseline).

    Charts pass unit="" for '+14 days': their legend says which days, and labels must stay short.
    """
    if count is None:
        return ""
    if count == 0:
        # Translators: a milestone's date equals the date agreed originally.
        return _("on baseline")
    if not unit:
        return delta_days(count)
    # Translators: how far a milestone moved from the date agreed originally: +14 (later) or −3 (earlier).
    return ngettext("%(num)s calendar day", "%(num)s calendar days", abs(count)) % _num(count, signed=True)


FILTERS: dict[str, Any] = {
    "day": day,
    "days": days,
    "delta_days": delta_days,
    "estimate_label": estimate_label,
    "label": label,
    "money": money,
    "number": number,
    "percent": percent,
    "short_date": short_date,
    "signed_money": signed_money,
    "slip": slip,
    "when": when,
    "working_days": working_days,
}
"""The filters of this module, by the names templates use."""
