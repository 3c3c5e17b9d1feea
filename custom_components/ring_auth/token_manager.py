"""The OAuth2Session-style token manager that never loses a login.

Extends Home Assistant's ``OAuth2Session`` (the lock, ``entry.data["token"]``,
``async_update_entry``) with what Ring's rotating refresh tokens need: a margin from the local
time a token arrived, one refresh shared by every caller, a write-ahead journal before the
entry is touched, quick retries of a lost response with the same refresh token, failure
classification with backoff, a jittered background refresh, and health figures.
"""

import asyncio
from collections.abc import Callable
from datetime import datetime, timedelta
import random
import time
from typing import Any, cast

from homeassistant.config_entries import ConfigEntry
from homeassistant.core import CALLBACK_TYPE, HomeAssistant, callback
from homeassistant.exceptions import ConfigEntryAuthFailed, ConfigEntryNotReady
from homeassistant.helpers.config_entry_oauth2_flow import (
    AbstractOAuth2Implementation,
    OAuth2Session,
)
from homeassistant.helpers.event import async_call_later
from homeassistant.util import dt as dt_util

from .const import CONF_TOKEN, DOMAIN, LOGGER, REFRESH_TOKEN_LIFETIME
from .health import FailureKind, TokenHealth
from .journal import TokenJournal, successor
from .ringclient import (
    AbstractAuth,
    RingConnectionError,
    RingError,
    RingInvalidClientError,
    RingInvalidGrantError,
    RingMalformedResponseError,
    RingRateLimitedError,
    RingServerError,
    RingTimeoutError,
)

# A lost response is retried with the same refresh token this soon: well inside the shortest
# grace window Ring has been seen to allow, and after a hang (the client's 10 s timeout).
LOST_RESPONSE_RETRY_DELAYS: tuple[float, ...] = (0.5, 2.0)
BACKOFF_FIRST = 30.0
BACKOFF_MAX = 1800.0
# Successful refreshes closer together than this are not repeated on a 401.
MIN_REFRESH_SPACING = 30.0
BACKGROUND_JITTER = 0.1
# A background refresh that came due while Home Assistant was down waits this long after start.
STARTUP_DELAY = (30.0, 300.0)

type HealthListener = Callable[[], None]

# Jitter only spreads load; tests and the soak seed it for reproducible runs.
JITTER = random.Random()  # noqa: S311


def classify(err: RingError) -> FailureKind:
    """Name the kind of a refresh failure."""
    match err:
        case RingInvalidGrantError():
            return FailureKind.LOGIN_LOST
        case RingInvalidClientError():
            return FailureKind.INVALID_CLIENT
        case RingRateLimitedError():
            return FailureKind.RATE_LIMITED
        case RingTimeoutError():
            return FailureKind.TIMEOUT
        case RingConnectionError():
            return FailureKind.CONNECTION
        case RingServerError():
            return FailureKind.SERVER_ERROR
        case RingMalformedResponseError():
            return FailureKind.MALFORMED_RESPONSE
    return FailureKind.UNEXPECTED


def _utc(timestamp: float) -> datetime:
    return dt_util.utc_from_timestamp(timestamp)


class RingTokenManager(OAuth2Session, AbstractAuth):
    """Keeps one Ring account's tokens valid, durable and accounted for."""

    def __init__(
        self,
        hass: HomeAssistant,
        entry: ConfigEntry,
        implementation: AbstractOAuth2Implementation,
        journal: TokenJournal,
        *,
        margin: timedelta,
        interval: timedelta,
    ) -> None:
        """Manage the entry's token."""
        super().__init__(hass, entry, implementation)
        self._journal = journal
        self._margin = margin.total_seconds()
        self._interval = interval.total_seconds()
        self.health = TokenHealth()
        self._listeners: list[HealthListener] = []
        self._not_before = 0.0
        self._wait_kind: FailureKind | None = None
        self._unsub_timer: CALLBACK_TYPE | None = None
        self._closed = False

    # -- set-up and tear-down -------------------------------------------------------------

    async def async_setup(self) -> None:
        """Reconcile the journal with the entry, restore figures, start the background refresh."""
        record = await self._journal.async_load()
        resume = False
        if record is not None:
            restored = TokenHealth.from_dict(record.get("health", {}))
            if (newer := self._journal.newer_token(record, self.token)) is not None:
                LOGGER.warning(
                    "Recovered the newest Ring token from the journal: Home Assistant stopped"
                    " before it saved the config entry"
                )
                self.hass.config_entries.async_update_entry(
                    self.config_entry,
                    data={**self.config_entry.data, CONF_TOKEN: newer},
                )
            if record["token"].get("refresh_token") == self.token.get("refresh_token"):
                restored.login_lost = bool(record.get("health", {}).get("login_lost"))
                restored.login_lost_reason = record.get("health", {}).get(
                    "login_lost_reason"
                )
                resume = bool(record.get("in_flight"))
            else:
                # The entry's token is newer than the record (its journal write was lost).
                restored.consecutive_failures = 0
                record = None
            self.health = restored
        self._sync_token_figures()
        if record is None:
            await self._journal.async_write(self.token, self.health.as_dict())
        if self.health.login_lost:
            return
        retry_at = self.health.next_refresh_attempt
        if (
            self.health.consecutive_failures
            and retry_at is not None
            and retry_at.timestamp() > time.time()
        ):
            # Set up again while backing off (a restart, or Home Assistant retrying the
            # set-up during an outage): keep waiting instead of asking Ring again at once.
            self._not_before = retry_at.timestamp()
            self._wait_kind = self.health.last_failure_kind
            self._schedule_at(self._not_before)
        else:
            self._schedule_background(startup=True)
        if resume:
            LOGGER.warning(
                "A Ring token refresh was under way when Home Assistant stopped; finishing it"
            )
            try:
                async with self._token_lock:
                    await self._async_refresh_locked(resumed=True)
            except ConfigEntryAuthFailed, ConfigEntryNotReady:
                return  # counted and shown; set-up reads health.login_lost

    @callback
    def async_shutdown(self) -> None:
        """Stop every timer; the entry's background tasks end with the entry."""
        self._closed = True
        self._cancel_timer()
        self._listeners.clear()

    # -- the public surface -----------------------------------------------------------------

    @property
    def valid_token(self) -> bool:
        """Return whether the access token outlives the margin (local time it arrived)."""
        return self._fresh()

    def _fresh(self) -> bool:
        # Never more than half the token's life: a short-lived token must not be refreshed
        # on every use.
        margin = min(self._margin, float(self.token["expires_in"]) / 2)
        return float(self.token["expires_at"]) > time.time() + margin

    @property
    def access_token_expired(self) -> bool:
        """Return whether the access token is past its lifetime."""
        return float(self.token["expires_at"]) <= time.time()

    async def async_ensure_token_valid(self) -> None:
        """Refresh when the access token is within the margin of its end (one shared refresh)."""
        if self._fresh():
            return
        async with self._token_lock:
            if self._fresh():
                return
            await self._async_refresh_locked()

    async def async_get_access_token(self) -> str:
        """Return an access token; a failed early refresh still returns the unexpired token."""
        try:
            await self.async_ensure_token_valid()
        except ConfigEntryNotReady:
            if self.access_token_expired:
                raise
        return str(self.token["access_token"])

    async def async_refresh_after_unauthorized(self, rejected_access_token: str) -> str:
        """Refresh after a 401, unless another caller already replaced the rejected token."""
        async with self._token_lock:
            current = str(self.token["access_token"])
            recent = (
                time.time() - float(self.token.get("received_at", 0))
                < MIN_REFRESH_SPACING
            )
            if current != rejected_access_token or recent:
                return current
            await self._async_refresh_locked()
            return str(self.token["access_token"])

    async def async_force_refresh(self) -> None:
        """Refresh now (the "Refresh now" button and the background refresh)."""
        async with self._token_lock:
            await self._async_refresh_locked()

    @callback
    def async_add_listener(self, listener: HealthListener) -> CALLBACK_TYPE:
        """Call listener whenever the health figures change."""
        self._listeners.append(listener)
        return lambda: self._listeners.remove(listener)

    # -- refreshing ------------------------------------------------------------------------------

    async def _async_refresh_locked(self, *, resumed: bool = False) -> None:
        """Exchange the refresh token; the caller holds the lock.

        `resumed`: the exchange of this refresh token was cut off by a stop of Home Assistant.
        """
        if self.health.login_lost:
            raise self.login_lost_error()
        if (wait := self._not_before - time.time()) > 0:
            raise ConfigEntryNotReady(
                translation_domain=DOMAIN,
                translation_key="refresh_waiting",
                translation_placeholders={
                    "kind": str(self._wait_kind or FailureKind.UNEXPECTED),
                    "seconds": str(round(wait)),
                },
            )
        previous = dict(self.token)
        # Durable before the request: a crash while Ring answers is finished at set-up.
        await self._journal.async_write(previous, self.health.as_dict(), in_flight=True)
        error: RingError | None = None
        lost_response = resumed
        # Quick same-token retries catch one lost answer. When the last try also got no
        # answer (a long outage), the backoff retry resends the same token anyway.
        quick = (
            self.health.consecutive_failures == 0
            or self.health.last_failure_kind
            not in (
                FailureKind.CONNECTION,
                FailureKind.TIMEOUT,
            )
        )
        for delay in (0.0, *LOST_RESPONSE_RETRY_DELAYS) if quick else (0.0,):
            if delay:
                await asyncio.sleep(delay)
            try:
                new_token = await self.implementation.async_refresh_token(previous)
            except (RingConnectionError, RingMalformedResponseError) as err:
                error = err
                if isinstance(err, RingConnectionError) and not err.request_sent:
                    break
                # Ring may have rotated before the answer was lost: only the same refresh
                # token, sent again inside the grace window, can still get the new one.
                lost_response = True
                continue
            except RingError as err:
                error = err
                break
            new_token.setdefault(
                "received_at", new_token["expires_at"] - new_token["expires_in"]
            )
            await self._async_save(new_token, previous)
            return
        await self._async_record_failure(
            cast(RingError, error), lost_response=lost_response
        )

    async def _async_save(
        self, token: dict[str, Any], previous: dict[str, Any]
    ) -> None:
        """Make the new token durable (journal first), then put it in the entry."""
        health = self.health
        if health.consecutive_failures:
            LOGGER.info(
                "Ring token refresh works again after %s failures",
                health.consecutive_failures,
            )
        health.refresh_count += 1
        health.last_refresh = dt_util.utcnow()
        health.consecutive_failures = 0
        self._not_before = 0.0
        self._wait_kind = None
        self._sync_token_figures(token)
        token = successor(token, previous)
        await self._journal.async_write(token, health.as_dict())
        self.hass.config_entries.async_update_entry(
            self.config_entry, data={**self.config_entry.data, CONF_TOKEN: token}
        )
        LOGGER.debug("Ring token refreshed (refresh %s)", health.refresh_count)
        self._schedule_background()
        self._notify()

    async def _async_record_failure(
        self, err: RingError, *, lost_response: bool
    ) -> None:
        """Count the failure, then either ask for a new login or wait and try again."""
        kind = classify(err)
        health = self.health
        health.total_failures += 1
        health.consecutive_failures += 1
        health.last_failure = dt_util.utcnow()
        health.last_failure_kind = kind
        if kind in (FailureKind.LOGIN_LOST, FailureKind.INVALID_CLIENT):
            health.login_lost = True
            health.login_lost_reason = self._lost_reason(
                kind, lost_response=lost_response
            )
            LOGGER.error(
                "Ring refused the stored login (%s): a new login is needed",
                health.login_lost_reason,
            )
            self._cancel_timer()
            health.next_refresh_attempt = None
            await self._journal.async_write(self.token, health.as_dict())
            self.config_entry.async_start_reauth(self.hass)
            self._notify()
            raise self.login_lost_error() from err
        wait = min(BACKOFF_FIRST * 2 ** (health.consecutive_failures - 1), BACKOFF_MAX)
        wait *= JITTER.uniform(1.0, 1.0 + BACKGROUND_JITTER)
        if isinstance(err, RingRateLimitedError) and err.retry_after:
            wait = max(wait, err.retry_after)
        self._not_before = time.time() + wait
        self._wait_kind = kind
        # Logged once when refreshing stops working, and once when it works again.
        log = LOGGER.warning if health.consecutive_failures == 1 else LOGGER.debug
        log(
            "Ring token refresh failed (%s, %s in a row); next try in %.0f s; the stored"
            " login is kept",
            kind,
            health.consecutive_failures,
            wait,
        )
        self._schedule_at(self._not_before)
        # The wait survives a restart or a set-up retry; failures are rare, so is this write.
        await self._journal.async_write(self.token, health.as_dict())
        self._notify()
        raise ConfigEntryNotReady(
            translation_domain=DOMAIN,
            translation_key="refresh_failed",
            translation_placeholders={"kind": str(kind), "seconds": str(round(wait))},
        ) from err

    def _lost_reason(self, kind: FailureKind, *, lost_response: bool) -> str:
        """Explain a lost login as well as the evidence allows."""
        if kind is FailureKind.INVALID_CLIENT:
            return "invalid_client"
        if lost_response:
            return "lost_response"
        issued = float(self.token.get("received_at", 0))
        if time.time() - issued >= REFRESH_TOKEN_LIFETIME.total_seconds():
            return "expired"
        return "rejected"

    def login_lost_error(self) -> ConfigEntryAuthFailed:
        """Return the error that asks for a new login."""
        return ConfigEntryAuthFailed(
            translation_domain=DOMAIN,
            translation_key="login_lost",
            translation_placeholders={"reason": str(self.health.login_lost_reason)},
        )

    # -- timers and figures -----------------------------------------------------------------

    def _schedule_background(self, *, startup: bool = False) -> None:
        """Plan the next background refresh: about one interval after the token arrived."""
        issued = float(self.token.get("received_at", time.time()))
        due = issued + self._interval * JITTER.uniform(
            1.0 - BACKGROUND_JITTER, 1.0 + BACKGROUND_JITTER
        )
        if startup:
            due = max(due, time.time() + JITTER.uniform(*STARTUP_DELAY))
        self._schedule_at(due)

    def _schedule_at(self, when: float) -> None:
        if self._closed:
            return
        self._cancel_timer()
        self.health.next_refresh_attempt = _utc(when)
        self._unsub_timer = async_call_later(
            self.hass, max(0.0, when - time.time()), self._async_timer_fired
        )

    @callback
    def _async_timer_fired(self, _now: datetime) -> None:
        self._unsub_timer = None
        self.config_entry.async_create_background_task(
            self.hass, self._async_background_refresh(), f"{DOMAIN} background refresh"
        )

    async def _async_background_refresh(self) -> None:
        """Refresh in the background; failures are counted and rescheduled, not raised."""
        try:
            await self.async_force_refresh()
        except ConfigEntryAuthFailed, ConfigEntryNotReady:
            return

    def _cancel_timer(self) -> None:
        if self._unsub_timer is not None:
            self._unsub_timer()
            self._unsub_timer = None

    def _sync_token_figures(self, token: dict[str, Any] | None = None) -> None:
        token = token or self.token
        expires_at = float(token["expires_at"])
        self.health.access_token_expires_at = _utc(expires_at)
        self.health.refresh_token_issued_at = _utc(
            float(token.get("received_at", expires_at - float(token["expires_in"])))
        )

    def _notify(self) -> None:
        for listener in list(self._listeners):
            listener()
