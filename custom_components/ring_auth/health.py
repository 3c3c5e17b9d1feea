"""Token health figures: plain data owned by the token manager, read by entities."""

from dataclasses import asdict, dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any, Self

from homeassistant.util import dt as dt_util


class FailureKind(StrEnum):
    """Why a refresh failed."""

    CONNECTION = "connection"
    TIMEOUT = "timeout"
    SERVER_ERROR = "server_error"
    RATE_LIMITED = "rate_limited"
    MALFORMED_RESPONSE = "malformed_response"
    LOGIN_LOST = "login_lost"
    INVALID_CLIENT = "invalid_client"
    UNEXPECTED = "unexpected"


@dataclass(slots=True, kw_only=True)
class TokenHealth:
    """What the sensors, diagnostics and repairs show about one account's login."""

    refresh_token_issued_at: datetime | None = None
    access_token_expires_at: datetime | None = None
    last_refresh: datetime | None = None
    last_failure: datetime | None = None
    last_failure_kind: FailureKind | None = None
    consecutive_failures: int = 0
    total_failures: int = 0
    refresh_count: int = 0
    next_refresh_attempt: datetime | None = None
    login_lost: bool = False
    login_lost_reason: str | None = None

    def as_dict(self) -> dict[str, Any]:
        """Return JSON-safe figures (ISO times) for storage and diagnostics."""
        return {
            key: value.isoformat() if isinstance(value, datetime) else value
            for key, value in asdict(self).items()
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Self:
        """Restore figures saved by as_dict; unknown or bad fields are dropped."""
        health = cls()
        for key in (
            "refresh_token_issued_at",
            "access_token_expires_at",
            "last_refresh",
            "last_failure",
            "next_refresh_attempt",
        ):
            if isinstance(value := data.get(key), str):
                setattr(health, key, dt_util.parse_datetime(value))
        for key in ("consecutive_failures", "total_failures", "refresh_count"):
            if isinstance(value := data.get(key), int):
                setattr(health, key, value)
        if (kind := data.get("last_failure_kind")) in set(FailureKind):
            health.last_failure_kind = FailureKind(kind)
        return health
