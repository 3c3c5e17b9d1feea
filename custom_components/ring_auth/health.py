"""A login's health: one typed record, one stored schema (HA-free, as plain data).

The token manager owns the record and changes it only through the methods below; the journal
stores ``as_dict()`` as it is and set-up restores it with ``from_dict()``; entities, repairs
and diagnostics read it.
"""

from dataclasses import dataclass, fields
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any, Self


class FailureKind(StrEnum):
    """Why a refresh (or an API call) failed."""

    CONNECTION = "connection"
    TIMEOUT = "timeout"
    SERVER_ERROR = "server_error"
    RATE_LIMITED = "rate_limited"
    BLOCKED = "blocked"
    MALFORMED_RESPONSE = "malformed_response"
    UNAUTHORIZED = "unauthorized"
    LOGIN_LOST = "login_lost"
    INVALID_CLIENT = "invalid_client"
    UNEXPECTED = "unexpected"


class LostReason(StrEnum):
    """Why Ring no longer accepts the stored login (the evidence the manager had)."""

    REJECTED = "rejected"
    EXPIRED = "expired"
    LOST_RESPONSE = "lost_response"
    INVALID_CLIENT = "invalid_client"


def _utc(timestamp: float) -> datetime:
    return datetime.fromtimestamp(timestamp, UTC)


@dataclass(slots=True, kw_only=True)
class TokenHealth:
    """What the sensors, repairs and diagnostics show about one account's login."""

    refresh_token_issued_at: datetime | None = None
    access_token_expires_at: datetime | None = None
    last_refresh: datetime | None = None
    last_failure: datetime | None = None
    last_failure_kind: FailureKind | None = None
    consecutive_failures: int = 0
    total_failures: int = 0
    refresh_count: int = 0
    next_refresh_attempt: datetime | None = None
    login_lost_reason: LostReason | None = None

    @property
    def login_lost(self) -> bool:
        """Return whether Ring refused the stored login (a new login is needed)."""
        return self.login_lost_reason is not None

    def track_token(self, token: dict[str, Any]) -> None:
        """Follow the times of the token in use (local receipt time, never Ring's clock)."""
        expires_at = float(token["expires_at"])
        received = token.get("received_at", expires_at - float(token["expires_in"]))
        self.access_token_expires_at = _utc(expires_at)
        self.refresh_token_issued_at = _utc(float(received))

    def record_login(self, token: dict[str, Any]) -> None:
        """Start afresh after a new login (flow, reauth, reconfigure); its time is the last renewal."""
        self.track_token(token)
        self.last_refresh = self.refresh_token_issued_at
        self.consecutive_failures = 0
        self.next_refresh_attempt = None
        self.login_lost_reason = None

    def record_success(self, token: dict[str, Any], now: float) -> None:
        """Count a successful refresh."""
        self.track_token(token)
        self.refresh_count += 1
        self.last_refresh = _utc(now)
        self.consecutive_failures = 0

    def record_failure(self, kind: FailureKind, now: float) -> None:
        """Count a failed refresh."""
        self.total_failures += 1
        self.consecutive_failures += 1
        self.last_failure = _utc(now)
        self.last_failure_kind = kind

    def as_dict(self) -> dict[str, Any]:
        """Return the stored (and diagnostics) form: ISO times, enum values."""
        out: dict[str, Any] = {}
        for field in fields(self):
            value = getattr(self, field.name)
            out[field.name] = (
                value.isoformat() if isinstance(value, datetime) else value
            )
        out["login_lost"] = self.login_lost
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Self:
        """Restore what as_dict stored; a missing or unreadable field keeps its default."""
        health = cls()
        for field in fields(health):
            if (value := data.get(field.name)) is None:
                continue
            parse = _PARSERS.get(field.name, _count)
            try:
                setattr(health, field.name, parse(value))
            except TypeError, ValueError:
                continue
        return health


def _count(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(value)
    return int(value)


_PARSERS: dict[str, Any] = {
    "refresh_token_issued_at": datetime.fromisoformat,
    "access_token_expires_at": datetime.fromisoformat,
    "last_refresh": datetime.fromisoformat,
    "last_failure": datetime.fromisoformat,
    "next_refresh_attempt": datetime.fromisoformat,
    "last_failure_kind": FailureKind,
    "login_lost_reason": LostReason,
}
