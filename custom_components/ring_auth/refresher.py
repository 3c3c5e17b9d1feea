"""The refresher: one lock, a margin from the token's own lifetime, one refresh for all callers.

It is the ``AbstractAuth`` the Ring client's ``RingApi`` calls for tokens. It knows when a
refresh is due and makes sure only one runs at a time; *how* a refresh is done (journal,
retries, backoff, figures) is its owner's ``async_exchange_locked`` (the token manager), always
called with the lock held. HA-free: it reads the token from its owner.

Memory (one refresher per account, measured in ``make bench``): it keeps a reference to its
owner rather than closures, and its lock exists only while a refresh runs or is waited for.
"""

import asyncio
from collections.abc import AsyncIterator, Mapping
import contextlib
from enum import StrEnum
import time
from typing import Any, Protocol

from .ringclient import AbstractAuth, RingTransientError

# The proactive margin is this share of the access token's life (60 s of a 1 h token, 4 min
# of a partner's 4 h token), capped by the user's option. Expiry is measured from the local
# time the token arrived, so Ring's clock never matters; the margin only covers the time a
# request takes. A fixed 5 min would cost a twelfth more refreshes on 1 h tokens.
MARGIN_SHARE = 1 / 60
MIN_MARGIN = 10.0
# A 401 right after a 401-triggered refresh is not refreshed again (no refresh storm when
# Ring rejects even fresh tokens); the call fails and the next one asks again.
UNAUTHORIZED_SPACING = 30.0


class Cause(StrEnum):
    """Why a refresh is wanted (the manager's policy differs)."""

    PROACTIVE = (
        "proactive"  # a caller needs a token and this one ends within the margin
    )
    UNAUTHORIZED = (
        "unauthorized"  # Ring answered 401: Ring is reachable, the token is not
    )
    USER = "user"  # the user asked (the button, a repair's fix)
    BACKGROUND = "background"  # the timer that keeps the 30-day window open
    RESUME = "resume"  # finishing an exchange that a stop of Home Assistant cut off


# Causes that may probe a backoff (policy.py): Ring answered, or the user asked.
PROBING = frozenset({Cause.UNAUTHORIZED, Cause.USER})


class TokenOwner(Protocol):
    """What a refresher serves: the token in use, and how to exchange it."""

    @property
    def token(self) -> Mapping[str, Any]:
        """Return the token in use."""

    async def async_exchange_locked(self, cause: Cause) -> None:
        """Exchange the refresh token now (called only with the refresher's lock held)."""


class TokenRefresher(AbstractAuth):
    """Hands out access tokens; refreshes proactively and after a 401, one at a time."""

    __slots__ = ("_last_unauthorized", "_lock", "_owner", "_users", "max_margin")

    def __init__(self, owner: TokenOwner, *, max_margin: float) -> None:
        """Serve `owner`'s token; refresh through its `async_exchange_locked`."""
        self._owner = owner
        self._lock: asyncio.Lock | None = None
        self._users = 0
        self._last_unauthorized = 0.0
        self.max_margin = max_margin

    @property
    def margin(self) -> float:
        """Return how long before its end the access token is renewed."""
        life = float(self._owner.token["expires_in"])
        return min(self.max_margin, max(MIN_MARGIN, life * MARGIN_SHARE), life / 2)

    def fresh(self) -> bool:
        """Return whether the access token outlives the margin."""
        return float(self._owner.token["expires_at"]) > time.time() + self.margin

    def expired(self) -> bool:
        """Return whether the access token is past its lifetime."""
        return float(self._owner.token["expires_at"]) <= time.time()

    @contextlib.asynccontextmanager
    async def _exclusive(self) -> AsyncIterator[None]:
        """Hold the lock; it is built for the first caller and dropped after the last."""
        if self._lock is None:
            self._lock = asyncio.Lock()
        lock = self._lock
        self._users += 1
        try:
            async with lock:
                yield
        finally:
            self._users -= 1
            if not self._users:
                self._lock = None

    async def async_get_access_token(self) -> str:
        """Return an access token, renewed first when it ends within the margin.

        When renewing fails for now (or must wait), the token in use is returned all the
        same, even expired: Ring's answer to the call decides. A 401 proves Ring reachable
        and lets the refresh after it probe a backoff (policy.py); anything else fails the
        call as the refresh would have.
        """
        if not self.fresh():
            async with self._exclusive():
                if not self.fresh():
                    with contextlib.suppress(RingTransientError):
                        await self._owner.async_exchange_locked(Cause.PROACTIVE)
        return str(self._owner.token["access_token"])

    async def async_refresh_after_unauthorized(self, rejected_access_token: str) -> str:
        """Ring rejected this access token: refresh, unless another caller already did."""
        async with self._exclusive():
            current = str(self._owner.token["access_token"])
            now = time.time()
            if (
                current != rejected_access_token
                or now - self._last_unauthorized < UNAUTHORIZED_SPACING
            ):
                return current
            self._last_unauthorized = now
            await self._owner.async_exchange_locked(Cause.UNAUTHORIZED)
            return str(self._owner.token["access_token"])

    async def async_refresh(self, cause: Cause) -> None:
        """Refresh now, after any refresh already running."""
        async with self._exclusive():
            await self._owner.async_exchange_locked(cause)
