"""Plain data the client returns: tokens and 2FA challenges."""

from dataclasses import dataclass, field
import time
from typing import Any, Self


@dataclass(frozen=True, slots=True, kw_only=True)
class Token:
    """An access/refresh token pair as Ring issued it; secrets are kept out of the repr."""

    access_token: str = field(repr=False)
    refresh_token: str = field(repr=False)
    expires_in: int
    scope: str = "client"
    token_type: str = "Bearer"  # noqa: S105
    received_at: float = field(default_factory=time.time)
    expires_in_trusted: bool = True

    @property
    def expires_at(self) -> float:
        """Local time the access token expires, counted from when it was received."""
        return self.received_at + self.expires_in

    def as_dict(self) -> dict[str, Any]:
        """Return the form stored in a config entry (Home Assistant's OAuth2 token shape)."""
        return {
            "access_token": self.access_token,
            "refresh_token": self.refresh_token,
            "expires_in": self.expires_in,
            "expires_at": self.expires_at,
            "scope": self.scope,
            "token_type": self.token_type,
            "received_at": self.received_at,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Self:
        """Build a token from its stored form."""
        expires_in = int(data["expires_in"])
        received_at = float(
            data.get("received_at", float(data["expires_at"]) - expires_in)
        )
        return cls(
            access_token=str(data["access_token"]),
            refresh_token=str(data["refresh_token"]),
            expires_in=expires_in,
            scope=str(data.get("scope", "client")),
            token_type=str(data.get("token_type", "Bearer")),
            received_at=received_at,
        )


@dataclass(frozen=True, slots=True, kw_only=True)
class TwoFactorRequired:
    """Ring wants a 2FA code: how it was sent and when a new one may be asked for."""

    tsv_state: str
    phone: str | None
    next_time_in_secs: int
    received_at: float = field(default_factory=time.time)

    @property
    def resend_at(self) -> float:
        """Local time from which asking again sends a new code."""
        return self.received_at + self.next_time_in_secs


@dataclass(frozen=True, slots=True)
class PartnerCredentials:
    """A Ring partner app's client id and secret."""

    client_id: str
    client_secret: str = field(repr=False)
