"""`portal notify`: for each customer, compose, check and deliver each recipient's message, once.

Reads the portfolio as a build does (validated, then filtered for the
customer), the customer's history as its "What changed" page shows it, and
the state file; records each delivered message at once, so a crash or a
failed send never loses or fakes a record.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from generator.build.guard import Secrets, secrets_for, texts_of
from generator.history.walk import customer_history
from generator.i18n.translate import speaking
from generator.notify.compose import compose_message, customer_view
from generator.notify.deliver import DeliveryError, DryRun, Sender, SmtpSender, WebhookSender
from generator.notify.recipients import Recipient, Route, recipients_of, webhook_recipient
from generator.notify.reminders import DAYS_BEFORE
from generator.notify.render import leaks_in, render_message
from generator.notify.state import NotifyState
from generator.portfolio.errors import PortalError
from generator.portfolio.model import Customer
from generator.portfolio.validate import load_portfolio
from generator.portfolio.visibility import for_audience
from generator.private.keys import Keys

DRY_RUN_SENDER = "Project portal <portal@example.invalid>"
"""From: of previews written with --dry-run and no --from."""


@dataclass(frozen=True)
class NotifyOptions:
    """What `portal notify` was asked to do."""

    today: date
    state: Path
    smtp: str | None = None
    """HOST:PORT of the mail server; without it (and without dry_run) no email goes out."""
    sender: str | None = None
    webhook: str | None = None
    dry_run: Path | None = None
    """Write messages here instead of sending them, and record nothing."""
    base_url: str | None = None
    """Portals live at `<base_url>/<customer>/` (else each customer's `site_url`)."""
    days_before: int = DAYS_BEFORE
    only: list[str] | None = None
    keys: Keys | None = None
    """The keys of encrypted portals: their messages link to the share link."""


@dataclass
class NotifyResult:
    """What happened, one line per message."""

    sent: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    """Not delivered (or stopped by the leak guard): not recorded, so retried at the next run."""
    unsent: int = 0
    """Email recipients passed over because there is no --smtp."""


def _senders(options: NotifyOptions, stack: contextlib.ExitStack) -> dict[Route, Sender]:
    if options.dry_run is not None:
        preview = DryRun(options.dry_run, options.sender or DRY_RUN_SENDER)
        return {"email": preview, "webhook": preview}
    if options.smtp is None and options.webhook is None:
        raise PortalError("nowhere to send: no --smtp, --webhook or --dry-run",
                          "preview with --dry-run DIR, or send with --smtp HOST:PORT --from ADDRESS")
    senders: dict[Route, Sender] = {}
    if options.smtp is not None:
        if not options.sender:
            raise PortalError("--smtp needs --from ADDRESS",
                              'e.g. --from "Project portal <portal@example.com>"')
        senders["email"] = stack.enter_context(SmtpSender(options.smtp, options.sender))
    if options.webhook is not None:
        senders["webhook"] = WebhookSender(options.webhook)
    return senders


def _customers(projects_dir: Path, only: list[str] | None) -> tuple[list[Customer], Secrets]:
    """The customers to notify, and every customer's texts for the leak guard."""
    portfolio = load_portfolio(projects_dir, placeholders=True)  # customers read what is sent
    unknown = sorted(set(only or ()) - {c.slug for c in portfolio.customers})
    if unknown:
        raise PortalError(f"no customer folder named {', '.join(unknown)}",
                          f"customers: {', '.join(c.slug for c in portfolio.customers)}")
    everyone = Secrets(texts_of(c, c.slug, c.info.name) for c in portfolio.customers)
    return [c for c in portfolio.customers if only is None or c.slug in only], everyone


def notify_portfolio(projects_dir: Path, options: NotifyOptions,
                     progress: Callable[[str], None] | None = None) -> NotifyResult:
    """Send every message due now; record each one delivered (nothing with --dry-run)."""
    customers, others = _customers(projects_dir, options.only)
    state = NotifyState.load(options.state)
    result = NotifyResult()
    with contextlib.ExitStack() as stack:
        senders = _senders(options, stack)
        for customer in customers:
            visible = for_audience(customer, "customer")
            history = customer_history(projects_dir, customer.slug, now=customer)
            key = options.keys.portal_key(customer.slug, "customer") if options.keys else None
            view = customer_view(visible, history, options.today, options.base_url, key)
            shown = [change for entry in history.entries for change in entry.changes]
            secrets = secrets_for(customer, "customer", others, published=shown)
            recipients: list[Recipient] = recipients_of(visible)
            if options.webhook is not None:
                recipients.append(webhook_recipient(options.webhook))
            for recipient in recipients:
                sender = senders.get(recipient.route)
                if sender is None:
                    result.unsent += 1
                    continue
                with speaking(customer.info.language):  # a message about a portal: its language
                    message = compose_message(view, recipient, state.last(customer.slug, recipient.key),
                                              options.today, options.days_before)
                    rendered = render_message(message) if message else None
                if message is None or rendered is None:
                    continue
                who = f"{customer.slug}: {recipient.name if recipient.route == 'email' else 'webhook'}"
                leaks = leaks_in(rendered, secrets)
                if leaks:
                    result.failed.append(f"{who}: not sent, the leak guard found " + "; ".join(leaks))
                    continue
                try:
                    sender.send(message, rendered)
                except DeliveryError as err:
                    result.failed.append(f"{who}: not sent: {err}")
                    continue
                if options.dry_run is None:
                    state.record(customer.slug, recipient.key, message.record)
                line = f"{who}: {rendered.subject}"
                result.sent.append(line)
                if progress:
                    progress(line)
    return result
