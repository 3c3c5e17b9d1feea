"""One refresh-token exchange, with the same token sent again when an answer is lost (HA-free).

Ring rotates the refresh token on every exchange and may kill the old one seconds later. A
timeout, a reset or an unreadable answer may come *after* Ring rotated: the only way back
without a new login is to send the same refresh token again inside Ring's grace window.
"""

import asyncio
import hashlib

from .ringclient import (
    PartnerCredentials,
    RingAuthClient,
    RingConnectionError,
    RingError,
    RingMalformedResponseError,
    Token,
)


def fingerprint(secret: str) -> str:
    """Return 6 hex digits of the secret's SHA-256: tells tokens apart in a log, reveals none."""
    return hashlib.sha256(secret.encode()).hexdigest()[:6]


class ExchangeFailedError(Exception):
    """Every send failed; `lost_response` says whether Ring may have rotated meanwhile."""

    def __init__(self, error: RingError, *, lost_response: bool) -> None:
        """Keep the last error and what it means for the old token."""
        super().__init__(str(error))
        self.error = error
        self.lost_response = lost_response


async def async_exchange(
    client: RingAuthClient,
    refresh_token: str,
    partner: PartnerCredentials | None,
    delays: tuple[float, ...],
    *,
    resumed: bool = False,
) -> Token:
    """Send the exchange after each delay until one answer is usable.

    `resumed`: this token's exchange was already cut off once (by a stop of Home Assistant).
    """
    lost_response = resumed
    error: RingError | None = None
    for delay in delays:
        await asyncio.sleep(delay)
        try:
            return await client.async_refresh(refresh_token, partner)
        except (RingConnectionError, RingMalformedResponseError) as err:
            error = err
            if isinstance(err, RingConnectionError) and not err.request_sent:
                break  # no connection was made: Ring cannot have rotated
            lost_response = True
        except RingError as err:
            error = err
            break
    assert error is not None  # noqa: S101 - delays is never empty
    raise ExchangeFailedError(error, lost_response=lost_response)
