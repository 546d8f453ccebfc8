"""Build multipart e-mails from templates in the recipient's language and deliver them.

With MAIL_SERVER set, messages go over SMTP; otherwise each is written to the outbox directory
(instance/outbox/ by default) as an .eml file.
"""

from __future__ import annotations

import contextlib
import os
import smtplib
import ssl
import uuid
from collections.abc import Mapping, Sequence
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from pathlib import Path

from flask import current_app, render_template
from flask_babel import force_locale

from coord.core.text import one_line
from coord.i18n import babel_locale


def build_message(
    to: str,
    template: str,
    language: str,
    *,
    message_id: str | None = None,
    attachments: Sequence[Mapping[str, str]] = (),
    **context,
) -> EmailMessage:
    """Render templates/email/<template>.{subject,txt,html} in `language` into a text+HTML message.

    Each attachment is {filename, content_type, text}, e.g. an iTIP invitation with content_type
    "text/calendar; method=REQUEST"; with attachments the message becomes multipart/mixed.
    """
    with force_locale(babel_locale(language)):
        subject = one_line(render_template(f"email/{template}.subject.txt", **context))
        text = render_template(f"email/{template}.txt", **context)
        html = render_template(f"email/{template}.html", language=language, **context)
    message = EmailMessage()
    message["Subject"] = subject
    message["From"] = current_app.config["MAIL_DEFAULT_SENDER"]
    message["To"] = to
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = message_id or make_msgid(domain="coord.local")
    message["Auto-Submitted"] = "auto-generated"
    message.set_content(text)
    message.add_alternative(html, subtype="html")
    for attachment in attachments:
        if attachment["content_type"].lower().startswith("text/calendar"):
            _add_calendar_alternative(message, attachment)
    for attachment in attachments:
        _attach(message, attachment)
    # Last: set_content() and the switch to multipart/mixed move Content-* headers into the parts.
    message["Content-Language"] = language
    return message


def _add_calendar_alternative(message: EmailMessage, attachment: Mapping[str, str]) -> None:
    """An iTIP invitation also as a text/calendar alternative: what Outlook and Gmail read as a meeting."""
    _, params = _split_content_type(attachment["content_type"])
    message.add_alternative(attachment["text"], subtype="calendar", params=params, charset="utf-8")


def _attach(message: EmailMessage, attachment: Mapping[str, str]) -> None:
    """Add a text attachment; parameters of its content type (e.g. method=REQUEST) are kept."""
    content_type, params = _split_content_type(attachment["content_type"])
    maintype, _, subtype = content_type.partition("/")
    if maintype != "text" or not subtype:
        raise ValueError(f"only text attachments are supported, not {content_type!r}")
    message.add_attachment(
        attachment["text"], subtype=subtype, filename=attachment["filename"], params=params, charset="utf-8"
    )


def _split_content_type(value: str) -> tuple[str, dict[str, str]]:
    """("text/calendar", {"method": "REQUEST"}) from "text/calendar; method=REQUEST; charset=utf-8"."""
    content_type, *parameters = (part.strip() for part in value.split(";"))
    params = {}
    for parameter in parameters:
        name, _, raw = parameter.partition("=")
        if name.strip().lower() != "charset":
            params[name.strip().lower()] = raw.strip().strip('"')
    return content_type.lower(), params


class DeliveryError(RuntimeError):
    """The message could not be handed to the SMTP server or written to the outbox.

    `str(error)` is a short summary (SMTP code and reply, or the network error), never the message's
    content; `permanent` is True when the server refused for good (a 5xx reply): retrying will not help.
    """

    def __init__(self, summary: str, permanent: bool = False) -> None:
        super().__init__(summary[:300])
        self.permanent = permanent


def deliver(message: EmailMessage) -> None:
    try:
        _deliver(message)
    except (OSError, smtplib.SMTPException) as error:
        raise DeliveryError(*_describe(error)) from error


def _describe(error: Exception) -> tuple[str, bool]:
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = sorted({code for code, _reply in error.recipients.values()})
        return f"SMTP recipient refused ({', '.join(map(str, codes))})", bool(codes) and min(codes) >= 500
    if isinstance(error, smtplib.SMTPResponseException):
        reply = error.smtp_error
        reply = reply.decode(errors="replace") if isinstance(reply, bytes) else str(reply)
        return f"SMTP {error.smtp_code} {reply}", error.smtp_code >= 500
    return f"{type(error).__name__}: {error}", False


def _write_to_outbox(outbox: Path, data: bytes) -> None:
    """An .eml file only its owner reads (reset links are in it), in a folder only its owner opens."""
    outbox.mkdir(mode=0o700, parents=True, exist_ok=True)
    outbox.chmod(0o700)
    name = uuid.uuid4().hex
    temporary = outbox / f"{name}.tmp"
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(data)
    temporary.replace(outbox / f"{name}.eml")  # readers never see half a file


def _deliver(message: EmailMessage) -> None:
    config = current_app.config
    if not config.get("MAIL_SERVER"):
        _write_to_outbox(Path(config["MAIL_OUTBOX_DIR"]), bytes(message))
        return
    smtp_class = smtplib.SMTP_SSL if config["MAIL_USE_SSL"] else smtplib.SMTP
    smtp = smtp_class(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=config["MAIL_TIMEOUT"])
    try:
        if config["MAIL_USE_STARTTLS"]:
            smtp.starttls(context=ssl.create_default_context())
        if config.get("MAIL_USERNAME"):
            smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"])
        smtp.send_message(message)
    finally:
        # Once the server has accepted the message, a failed QUIT must not turn it into a failure.
        with contextlib.suppress(OSError, smtplib.SMTPException):
            smtp.quit()
        smtp.close()
