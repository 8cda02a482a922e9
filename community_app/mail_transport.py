"""Turning an outbox row into a MIME message and handing it to an SMTP server.

``build_message`` makes the bytes (multipart text + HTML, an optional iMIP part, the
headers of docs/mail.md, an optional DKIM signature). ``SmtpSession`` sends several
messages over one connection with smtplib (run it in a thread), STARTTLS or implicit
TLS, and login; each outcome says whether to retry, give up, or mark the address
undeliverable (a permanent 5xx refusal of the recipient).
"""

from __future__ import annotations

import ipaddress
import smtplib
import ssl
from dataclasses import dataclass
from datetime import datetime
from email import policy
from email.message import EmailMessage
from email.utils import format_datetime, formataddr, parseaddr
from pathlib import Path
from types import TracebackType

from community_app.domain.mail_render import one_line
from community_app.settings import SmtpSettings

TIMEOUT_SECONDS = 30
DKIM_HEADERS = (b"from", b"to", b"subject", b"date", b"message-id", b"list-unsubscribe")


@dataclass(frozen=True)
class OutgoingMail:
    """What the delivery needs of a ``MailMessage`` row (read in a short transaction)."""

    mail_id: int
    member_id: int | None
    to_address: str
    to_name: str
    subject: str
    text_body: str
    html_body: str
    calendar_method: str
    calendar_ics: str
    list_unsubscribe_url: str
    message_id: str
    created_at: datetime


@dataclass(frozen=True)
class Dkim:
    selector: str
    domain: str
    private_key: bytes

    @classmethod
    def load(cls, *, key_file: Path, selector: str, mail_from: str) -> Dkim:
        domain = parseaddr(mail_from)[1].rsplit("@", 1)[-1]
        return cls(selector, domain, key_file.read_bytes())


@dataclass(frozen=True)
class SendOutcome:
    mail_id: int
    sent: bool
    permanent: bool = False  # give up now instead of retrying
    recipient_refused: bool = False  # the address itself was refused for good (5xx)
    error: str = ""
    attempted: bool = True  # False: not tried (the round ran out of time)


def envelope_address(mail_from: str) -> str:
    return parseaddr(mail_from)[1]


def build_message(mail: OutgoingMail, *, mail_from: str, dkim: Dkim | None = None) -> bytes:
    """The message as sent. Header values from user input are one line already (the
    row was written with ``one_line``); the ``email`` package refuses CR/LF anyway."""
    message = EmailMessage()
    message["From"] = mail_from
    message["To"] = formataddr((one_line(mail.to_name), mail.to_address))
    message["Subject"] = one_line(mail.subject)
    message["Date"] = format_datetime(mail.created_at)
    message["Message-ID"] = mail.message_id
    message["Auto-Submitted"] = "auto-generated"
    message["X-Auto-Response-Suppress"] = "All"  # no out-of-office replies (Exchange)
    if mail.list_unsubscribe_url:
        message["List-Unsubscribe"] = f"<{mail.list_unsubscribe_url}>"
        message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    message.set_content(mail.text_body, charset="utf-8")
    message.add_alternative(mail.html_body, subtype="html", charset="utf-8")
    if mail.calendar_ics:
        message.add_alternative(
            mail.calendar_ics,
            subtype="calendar",
            charset="utf-8",
            params={"method": mail.calendar_method},
        )
    data = message.as_bytes(policy=policy.SMTP)  # CRLF line ends, as SMTP wants
    if dkim is None:
        return data
    import dkim as dkimpy  # imported only by sites that sign

    signature = dkimpy.sign(
        data,
        dkim.selector.encode(),
        dkim.domain.encode(),
        dkim.private_key,
        include_headers=[name for name in DKIM_HEADERS if name != b"list-unsubscribe"]
        + ([b"list-unsubscribe"] if mail.list_unsubscribe_url else []),
    )
    return bytes(signature) + data


class SmtpConfigurationError(RuntimeError):
    """The server cannot be used as configured (no TLS for a password, bad login)."""


def _is_loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host == "localhost"


def tls_context() -> ssl.SSLContext:
    """Certificates are verified against the system's trust store, host name included."""
    return ssl.create_default_context()


def connect(settings: SmtpSettings, timeout: float) -> smtplib.SMTP:
    """An open, greeted (and logged-in) connection; raises on any failure."""
    context = tls_context()
    if settings.implicit_tls:
        smtp: smtplib.SMTP = smtplib.SMTP_SSL(
            settings.host, settings.port, timeout=timeout, context=context
        )
    else:
        smtp = smtplib.SMTP(settings.host, settings.port, timeout=timeout)
        smtp.ehlo()
        if smtp.has_extn("starttls"):
            smtp.starttls(context=context)
            smtp.ehlo()
        elif settings.username and not _is_loopback(settings.host):
            smtp.close()
            raise SmtpConfigurationError(
                "the SMTP server offers no STARTTLS: the password is not sent in clear "
                "(use smtps:// or a server with STARTTLS)"
            )
    if settings.username:
        try:
            smtp.login(settings.username, settings.password)
        except smtplib.SMTPException as error:
            smtp.close()
            raise SmtpConfigurationError(f"SMTP login refused: {_describe(error)}") from error
    return smtp


def _describe(error: BaseException) -> str:
    code = getattr(error, "smtp_code", None)
    text = getattr(error, "smtp_error", b"")
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    detail = f"{code} {text}" if code else str(error) or type(error).__name__
    return one_line(f"{type(error).__name__}: {detail}")[:480]


class SmtpSession:
    """One connection for a round of sending: ``with SmtpSession(...) as smtp:
    smtp.send(mail)``. Opening raises ``OSError``/``smtplib.SMTPException``/
    ``SmtpConfigurationError``; ``send`` never raises."""

    def __init__(
        self,
        settings: SmtpSettings,
        *,
        mail_from: str,
        dkim: Dkim | None = None,
        timeout: float = TIMEOUT_SECONDS,
    ) -> None:
        self._settings, self._mail_from, self._dkim = settings, mail_from, dkim
        self._timeout = timeout
        self._smtp: smtplib.SMTP | None = None

    def __enter__(self) -> SmtpSession:
        self._smtp = connect(self._settings, self._timeout)
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if self._smtp is not None:
            try:
                self._smtp.quit()
            except (OSError, smtplib.SMTPException):
                self._smtp.close()

    def send(self, mail: OutgoingMail) -> SendOutcome:
        assert self._smtp is not None, "use SmtpSession as a context manager"
        try:
            data = build_message(mail, mail_from=self._mail_from, dkim=self._dkim)
            options = [] if mail.to_address.isascii() else ["SMTPUTF8"]
            self._smtp.sendmail(
                envelope_address(self._mail_from), [mail.to_address], data, mail_options=options
            )
        except smtplib.SMTPRecipientsRefused as error:
            code, text = next(iter(error.recipients.values()), (0, b""))
            permanent = 500 <= code < 600
            reason = _describe(smtplib.SMTPResponseException(code, text))
            return SendOutcome(mail.mail_id, False, permanent, permanent, reason)
        except smtplib.SMTPResponseException as error:
            # The sender or the message refused (not the address): a 5xx will not change
            # on retry for this message; a 4xx may.
            permanent = 500 <= error.smtp_code < 600 and not isinstance(
                error, smtplib.SMTPSenderRefused
            )
            return SendOutcome(mail.mail_id, False, permanent, False, _describe(error))
        except (OSError, smtplib.SMTPException, ValueError) as error:
            self._reset()
            return SendOutcome(mail.mail_id, False, False, False, _describe(error))
        return SendOutcome(mail.mail_id, True)

    def _reset(self) -> None:
        """After a broken connection the rest of the round fails fast with the same
        error and is retried later."""
        if self._smtp is not None:
            self._smtp.close()
