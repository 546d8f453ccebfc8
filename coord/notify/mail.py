"""Build multipart e-mails from templates in the recipient's language and deliver them.

With MAIL_SERVER set, messages go over SMTP; otherwise each is written to the outbox directory
(instance/outbox/ by default) as an .eml file.
"""

from __future__ import annotations

import smtplib
import ssl
import uuid
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from pathlib import Path

from flask import current_app, render_template
from flask_babel import force_locale

from coord.i18n import babel_locale


def build_message(to: str, template: str, language: str, **context) -> EmailMessage:
    """Render templates/email/<template>.{subject,txt,html} in `language` into a text+HTML message."""
    with force_locale(babel_locale(language)):
        subject = render_template(f"email/{template}.subject.txt", **context).strip()
        text = render_template(f"email/{template}.txt", **context)
        html = render_template(f"email/{template}.html", language=language, **context)
    message = EmailMessage()
    message["Subject"] = subject
    message["From"] = current_app.config["MAIL_DEFAULT_SENDER"]
    message["To"] = to
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = make_msgid(domain="coord.local")
    message["Content-Language"] = language
    message["Auto-Submitted"] = "auto-generated"
    message.set_content(text)
    message.add_alternative(html, subtype="html")
    return message


class DeliveryError(RuntimeError):
    """The message could not be handed to the SMTP server or written to the outbox."""


def deliver(message: EmailMessage) -> None:
    try:
        _deliver(message)
    except (OSError, smtplib.SMTPException) as error:
        raise DeliveryError(str(error)) from error


def _deliver(message: EmailMessage) -> None:
    config = current_app.config
    if not config.get("MAIL_SERVER"):
        outbox = Path(config["MAIL_OUTBOX_DIR"])
        outbox.mkdir(parents=True, exist_ok=True)
        (outbox / f"{uuid.uuid4().hex}.eml").write_bytes(bytes(message))
        return
    smtp_class = smtplib.SMTP_SSL if config["MAIL_USE_SSL"] else smtplib.SMTP
    with smtp_class(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=config["MAIL_TIMEOUT"]) as smtp:
        if config["MAIL_USE_STARTTLS"]:
            smtp.starttls(context=ssl.create_default_context())
        if config.get("MAIL_USERNAME"):
            smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"])
        smtp.send_message(message)


def send(to: str, template: str, language: str, **context) -> None:
    """Build and deliver now. Call only after the commit that made the message necessary."""
    deliver(build_message(to, template, language, **context))
