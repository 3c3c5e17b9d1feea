"""Failures of a login, named: the manager's own errors and the kind of any Ring error (HA-free)."""

import time
from typing import Any

from .const import REFRESH_TOKEN_LIFETIME
from .health import FailureKind, LostReason
from .ringclient import (
    RingApiError,
    RingAuthError,
    RingBlockedError,
    RingConnectionError,
    RingError,
    RingInvalidClientError,
    RingInvalidGrantError,
    RingMalformedResponseError,
    RingRateLimitedError,
    RingServerError,
    RingTimeoutError,
    RingTransientError,
)


class LoginLostError(RingAuthError):
    """Ring refused the stored login; only a new login helps."""

    def __init__(self, reason: LostReason) -> None:
        """Keep the reason."""
        super().__init__(f"Ring no longer accepts the stored login ({reason})")
        self.reason = reason


class RefreshWaitingError(RingTransientError):
    """The last refresh failed; the next try is `wait` seconds away."""

    def __init__(self, kind: FailureKind, wait: float) -> None:
        """Keep the kind and the wait."""
        super().__init__(
            f"Ring token refresh failed ({kind}); next try in {wait:.0f} s"
        )
        self.kind = kind
        self.wait = wait


# Kinds that mean the stored login is gone.
LOST_KINDS = frozenset({FailureKind.LOGIN_LOST, FailureKind.INVALID_CLIENT})
# Checked in order: the first class the error is an instance of names its kind.
_KINDS: tuple[tuple[type[RingError], FailureKind], ...] = (
    (LoginLostError, FailureKind.LOGIN_LOST),
    (RingInvalidGrantError, FailureKind.LOGIN_LOST),
    (RingInvalidClientError, FailureKind.INVALID_CLIENT),
    (RingBlockedError, FailureKind.BLOCKED),
    (RingRateLimitedError, FailureKind.RATE_LIMITED),
    (RingTimeoutError, FailureKind.TIMEOUT),
    (RingConnectionError, FailureKind.CONNECTION),
    (RingServerError, FailureKind.SERVER_ERROR),
    (RingMalformedResponseError, FailureKind.MALFORMED_RESPONSE),
)


def classify(err: RingError) -> FailureKind:
    """Name the kind of a failure."""
    if isinstance(err, RefreshWaitingError):
        return err.kind
    if isinstance(err, RingApiError) and err.status == 401:
        return FailureKind.UNAUTHORIZED
    return next(
        (kind for cls, kind in _KINDS if isinstance(err, cls)), FailureKind.UNEXPECTED
    )


def lost_reason(
    kind: FailureKind, token: dict[str, Any], *, lost_response: bool
) -> LostReason:
    """Explain a lost login as well as the evidence allows."""
    if kind is FailureKind.INVALID_CLIENT:
        return LostReason.INVALID_CLIENT
    if lost_response:
        return LostReason.LOST_RESPONSE
    age = time.time() - float(token.get("received_at", 0))
    if age >= REFRESH_TOKEN_LIFETIME.total_seconds():
        return LostReason.EXPIRED
    return LostReason.REJECTED
