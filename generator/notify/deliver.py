"""Rendered messages out: as email over SMTP, as chat webhook posts, or as files for review.

Each sender raises DeliveryError when a message did not go out, so the
caller records only what was delivered. SMTP login and STARTTLS come from
the environment (CI secrets), never from the command line:
PORTAL_SMTP_USER, PORTAL_SMTP_PASSWORD, PORTAL_SMTP_STARTTLS (`yes`, the
default once a user is set, or `no`).
"""

from __future__ import annotations

import json
import os
import re
import smtplib
import ssl
import urllib.error
import urllib.request
from email.message import EmailMessage
from email.utils import formataddr, formatdate, make_msgid, parseaddr
from pathlib import Path
from types import TracebackType
from typing import Protocol

from generator.files import write_bytes
from generator.notify.compose import Message
from generator.notify.render import Rendered
from generator.portfolio.errors import PortalError

TIMEOUT = 30
"""Seconds to wait for a mail server or a webhook before the message counts as not sent."""


class DeliveryError(Exception):
    """A message did not go out; it is retried at the next run."""


class Sender(Protocol):
    """Something that delivers a message or raises DeliveryError."""

    def send(self, message: Message, rendered: Rendered) -> None: ...


def email_of(message: Message, rendered: Rendered, sender: str) -> EmailMessage:
    """The multipart email (plain text, then HTML) with a List-Unsubscribe header to the channel."""
    email = EmailMessage()
    email["Subject"] = rendered.subject
    email["From"] = sender
    email["To"] = formataddr((message.recipient.name, message.recipient.address))
    email["Date"] = formatdate(usegmt=True)
    email["Message-ID"] = make_msgid(domain=parseaddr(sender)[1].rpartition("@")[2] or None)
    unsubscribe = [f"<mailto:{parseaddr(sender)[1]}?subject=unsubscribe>"]
    if message.channel:
        unsubscribe.insert(0, f"<{message.channel}>")
    email["List-Unsubscribe"] = ", ".join(unsubscribe)
    email.set_content(rendered.text)
    email.add_alternative(rendered.html, subtype="html")
    return email


def chat_body(rendered: Rendered) -> dict[str, str]:
    """A webhook body both Slack and Microsoft Teams incoming webhooks accept."""
    return {"text": rendered.chat}


def parse_smtp(value: str) -> tuple[str, int]:
    """`HOST:PORT` -> (host, port), or a PortalError showing the form."""
    host, _, port = value.rpartition(":")
    if not host or not port.isdigit():
        raise PortalError(f"--smtp {value!r} is not HOST:PORT", "e.g. --smtp smtp.example.com:587")
    return host.strip("[]"), int(port)


class SmtpSender:
    """Mail over one SMTP connection, opened at the first message and again after a failure."""

    def __init__(self, server: str, sender: str) -> None:
        self.host, self.port = parse_smtp(server)
        self.sender = sender
        self.user = os.environ.get("PORTAL_SMTP_USER")
        self.password = os.environ.get("PORTAL_SMTP_PASSWORD", "")
        starttls = os.environ.get("PORTAL_SMTP_STARTTLS", "yes" if self.user else "no").lower()
        self.starttls = starttls in ("yes", "true", "1")
        self._smtp: smtplib.SMTP | None = None

    def __enter__(self) -> SmtpSender:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 tb: TracebackType | None) -> None:
        if self._smtp is not None:
            try:
                self._smtp.quit()
            except (smtplib.SMTPException, OSError):
                self._smtp.close()

    def _connection(self) -> smtplib.SMTP:
        if self._smtp is None:
            smtp = smtplib.SMTP(self.host, self.port, timeout=TIMEOUT)
            try:
                if self.starttls:
                    smtp.starttls(context=ssl.create_default_context())
                if self.user:
                    smtp.login(self.user, self.password)
            except BaseException:
                smtp.close()
                raise
            self._smtp = smtp
        return self._smtp

    def send(self, message: Message, rendered: Rendered) -> None:
        try:
            self._connection().send_message(email_of(message, rendered, self.sender))
        except (smtplib.SMTPException, OSError) as err:
            if isinstance(err, (smtplib.SMTPServerDisconnected, OSError)) and self._smtp is not None:
                self._smtp.close()
                self._smtp = None
            raise DeliveryError(f"{self.host}:{self.port}: {err}") from None


class WebhookSender:
    """Chat summaries posted as JSON to one incoming-webhook URL."""

    def __init__(self, url: str) -> None:
        self.url = url

    def send(self, message: Message, rendered: Rendered) -> None:
        data = json.dumps(chat_body(rendered), ensure_ascii=False).encode("utf-8")
        request = urllib.request.Request(self.url, data=data, method="POST",
                                         headers={"Content-Type": "application/json; charset=utf-8"})
        try:
            with urllib.request.urlopen(request, timeout=TIMEOUT):
                pass
        except (urllib.error.URLError, OSError, ValueError) as err:
            raise DeliveryError(f"webhook: {err}") from None  # not the URL: it carries a token


class DryRun:
    """Every message as a file instead: `<DIR>/<customer>/<address>.eml`, `<DIR>/<customer>/webhook.json`."""

    def __init__(self, folder: Path, sender: str) -> None:
        self.folder = folder
        self.sender = sender

    def path_of(self, message: Message) -> Path:
        """Where `message` is written."""
        if message.recipient.route == "webhook":
            name = "webhook.json"
        else:
            name = re.sub(r"[^A-Za-z0-9@._+-]", "_", message.recipient.address) + ".eml"
        return self.folder / message.customer / name

    def send(self, message: Message, rendered: Rendered) -> None:
        path = self.path_of(message)
        path.parent.mkdir(parents=True, exist_ok=True)
        if message.recipient.route == "webhook":
            data = json.dumps(chat_body(rendered), ensure_ascii=False, indent=2).encode("utf-8") + b"\n"
        else:
            data = email_of(message, rendered, self.sender).as_bytes()
        write_bytes(path, data)
