"""Rate limits of the account mails (reset, resend, change of address) and the unlock
path of a login lock-out. Counted in ``login_attempts`` like the log-in limits, so
every worker shares them.
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session

from community_app.domain import rate_limits

RESET_LIMIT_PER_ACCOUNT = 3  # reset mails per address per window
RESET_LIMIT_PER_IP = 10
RESEND_LIMIT_PER_MEMBER = 3  # verification mails a member may ask for per window
EMAIL_CHANGE_LIMIT_PER_MEMBER = 5


def _reset_keys(*, ip: object, email: object) -> list[tuple[str, int]]:
    ip_key, account_key = rate_limits.login_keys(ip=ip, email=email)[:2]
    return [
        (ip_key.replace("login:", "reset:", 1), RESET_LIMIT_PER_IP),
        (account_key.replace("login:", "reset:", 1), RESET_LIMIT_PER_ACCOUNT),
    ]


def guard_password_reset(session: Session, *, ip: object, email: object, now: datetime) -> None:
    """Refuse a busy address or IP, else count this request against both. Counted for
    unknown addresses alike, so the limit says nothing about who has an account."""
    keys = _reset_keys(ip=ip, email=email)
    rate_limits.check_allowed(session, keys_and_limits=keys, now=now)
    rate_limits.record_attempt(session, keys=[key for key, _limit in keys], now=now)


def _member_key(kind: str, member_id: int) -> str:
    return f"{kind}:member:{member_id}"


def guard_member_action(session: Session, *, kind: str, member_id: int, now: datetime) -> None:
    """Refuse a member who asked for ``kind`` ("resend", "email-change") too often in the
    window, else count this request."""
    limit = RESEND_LIMIT_PER_MEMBER if kind == "resend" else EMAIL_CHANGE_LIMIT_PER_MEMBER
    key = _member_key(kind, member_id)
    rate_limits.check_allowed(session, keys_and_limits=[(key, limit)], now=now)
    rate_limits.record_attempt(session, keys=[key], now=now)


def lift_login_lockout(session: Session, *, ip: object, email: object) -> None:
    """A password reset proved the member reads the address: forget the failed log-ins
    counted against the account (from this network, and in total), so the owner gets in
    with the new password. The IP's own count stays (it is not about this account)."""
    keys = [key for key in rate_limits.login_keys(ip=ip, email=email) if ":ip:" not in key]
    rate_limits.clear_attempts(session, keys=keys)
