"""The token manager: orchestrates one account's login; the one place Ring errors become HA errors.

It composes, inheriting nothing of Home Assistant's: ``TokenRefresher`` (lock, margin, single
flight; the client's ``AbstractAuth``), ``TokenJournal`` (write-ahead record, crash recovery),
``Backoff`` and ``RefreshPolicy`` (when to ask), ``TokenHealth`` (figures), ``RefreshTimer``.
One per account, so lean (``make bench`` row 5): slots, no closures, a backoff only in force.
"""

import time
from typing import Any, cast

from homeassistant.config_entries import ConfigEntry
from homeassistant.core import HomeAssistant, callback
from homeassistant.exceptions import ConfigEntryAuthFailed, HomeAssistantError
from homeassistant.helpers.dispatcher import async_dispatcher_send

from .const import CONF_TOKEN, DOMAIN, LOGGER
from .exchange import ExchangeFailedError, async_exchange, fingerprint
from .failures import (
    LOST_KINDS,
    LoginLostError,
    RefreshWaitingError,
    classify,
    lost_reason,
)
from .health import FailureKind, LostReason, TokenHealth
from .journal import TokenJournal, async_lost_reason, async_store_login, successor
from .policy import Backoff, RefreshPolicy
from .refresher import PROBING, Cause, TokenRefresher
from .ringclient import PartnerCredentials, RingAuthClient, RingError
from .timer import RefreshTimer

# The flows record logins and read a lost login's reason through these (see journal.py).
__all__ = ["RingTokenManager", "async_lost_reason", "async_store_login"]


class RingTokenManager:
    """Keeps one Ring account's tokens valid, durable and accounted for."""

    __slots__ = ("_backoff", "_client", "_partner", "_timer", "entry", "hass", "health",
                 "policy", "refresher")  # fmt: skip

    def __init__(
        self,
        hass: HomeAssistant,
        entry: ConfigEntry,
        client: RingAuthClient,
        *,
        partner: PartnerCredentials | None = None,
        policy: RefreshPolicy | None = None,
    ) -> None:
        """Manage the entry's token, refreshing through `client` (with `partner`'s secret)."""
        self.hass = hass
        self.entry = entry
        self._client = client
        self._partner = partner
        self.policy = policy = (policy or RefreshPolicy()).shared()
        self._backoff: Backoff | None = None
        self.health = TokenHealth()
        self.refresher = TokenRefresher(self, max_margin=policy.margin)
        self._timer = RefreshTimer(self)

    @property
    def signal(self) -> str:
        """Return the dispatcher signal entities and repairs follow the figures through."""
        return f"{DOMAIN}_health_{self.entry.entry_id}"

    @property
    def _journal(self) -> TokenJournal:
        """Return the entry's journal (it holds only names; built per use)."""
        return TokenJournal(self.hass, self.entry.entry_id)

    @property
    def token(self) -> dict[str, Any]:
        """Return the token in use (the entry's)."""
        return cast(dict[str, Any], self.entry.data[CONF_TOKEN])

    @property
    def login_usable(self) -> bool:
        """Return whether the login works: not lost, and not expired while refreshes fail."""
        return not self.health.login_lost and not (
            self.refresher.expired() and self.health.consecutive_failures
        )

    async def async_setup(self) -> None:
        """Recover from the journal, then plan the next refresh (or finish a cut-off one)."""
        recovery = await self._journal.async_recover(self.token)
        self.health = recovery.health
        if recovery.newer_token is not None:
            self._store_in_entry(recovery.newer_token)
        if self.health.login_lost:
            return
        # Set up again while backing off (a restart or a set-up retry): keep waiting.
        backoff = Backoff(self.policy)
        if backoff.restore(self.health, time.time()):
            self._backoff = backoff
            self._schedule_at(backoff.not_before)
        else:
            self._schedule_background(startup=True)
        if recovery.resume:
            try:
                await self.refresher.async_refresh(Cause.RESUME)
            except RingError:
                return  # counted and shown; set-up reads health.login_lost

    @callback
    def async_shutdown(self) -> None:
        """Stop every timer; nothing runs after the entry unloads."""
        self._timer.close()

    async def async_force_refresh(self) -> None:
        """Refresh now (the button, the repair's fix); raises Ring errors."""
        await self.refresher.async_refresh(Cause.USER)

    def ha_error(
        self, err: RingError, error: type[HomeAssistantError]
    ) -> HomeAssistantError:
        """Return the translated HA error for a Ring error (the one place they are mapped).

        A lost login is ``ConfigEntryAuthFailed`` (set-up and coordinators start reauth),
        except for an action (`error` is HomeAssistantError), which reports it.
        """
        kind = classify(err)
        key, placeholders = f"request_{kind}", None
        if kind in LOST_KINDS:
            key = f"login_lost_{self.health.login_lost_reason or LostReason.REJECTED}"
            error = error if error is HomeAssistantError else ConfigEntryAuthFailed
        elif isinstance(err, RefreshWaitingError):
            key, placeholders = f"refresh_{kind}", {"seconds": str(round(err.wait))}
        return error(
            translation_domain=DOMAIN,
            translation_key=key,
            translation_placeholders=placeholders,
        )

    async def async_exchange_locked(self, cause: Cause) -> None:
        """Exchange the refresh token, or say why not (only the refresher calls it, locked)."""
        if self.health.login_lost_reason is not None:
            raise LoginLostError(self.health.login_lost_reason)
        now = time.time()
        backoff = self._backoff or Backoff(self.policy)
        if wait := backoff.refusal(now, probe=cause in PROBING):
            raise RefreshWaitingError(backoff.kind or FailureKind.UNEXPECTED, wait)
        backoff.tried(now)
        self._backoff = backoff
        previous = dict(self.token)
        # Durable before the request: a crash while Ring answers is finished at set-up.
        await self._journal.async_write(previous, self.health, in_flight=True)
        try:
            new = await async_exchange(
                self._client,
                previous["refresh_token"],
                self._partner,
                self.policy.tries(self.health),
                resumed=cause is Cause.RESUME,
            )
        except ExchangeFailedError as failed:
            await self._async_record_failure(
                failed.error, lost_response=failed.lost_response
            )
        else:
            await self._async_save(successor(new.as_dict(), previous), previous)

    async def _async_save(self, token: dict[str, Any], old: dict[str, Any]) -> None:
        """Make the new token durable (journal first), then put it in the entry."""
        if failures := self.health.consecutive_failures:
            LOGGER.info("Ring token refresh works again after %s failures", failures)
        self.health.record_success(token, time.time())
        self._backoff = None  # no wait in force, nothing to keep
        await self._journal.async_write(token, self.health)
        self._store_in_entry(token)
        LOGGER.info(  # fingerprints (6 hex of a SHA-256) match the emulator's log
            "Ring login renewed: refresh token %s replaced by %s",
            fingerprint(old["refresh_token"]),
            fingerprint(token["refresh_token"]),
        )
        self._schedule_background()
        async_dispatcher_send(self.hass, self.signal)

    async def _async_record_failure(
        self, err: RingError, *, lost_response: bool
    ) -> None:
        """Count the failure, then either ask for a new login or wait and try again."""
        kind = classify(err)
        self.health.record_failure(kind, time.time())
        failure: RingError
        if kind in LOST_KINDS:
            reason = lost_reason(kind, self.token, lost_response=lost_response)
            self.health.login_lost_reason = reason
            self.health.next_refresh_attempt = None
            self._timer.cancel()
            LOGGER.error(
                "Ring refused the stored login (%s): a new login is needed", reason
            )
            failure = LoginLostError(reason)
        else:
            retry_after = getattr(err, "retry_after", None)
            self._backoff = backoff = self._backoff or Backoff(self.policy)
            wait = backoff.failed(self.health, retry_after, time.time())
            failures = self.health.consecutive_failures
            # Logged once when refreshing stops working, and once when it works again.
            (LOGGER.warning if failures == 1 else LOGGER.debug)(
                "Ring token refresh failed (%s, %s in a row); next try in %.0f s; the"
                " stored login is kept", kind, failures, wait,
            )  # fmt: skip
            self._schedule_at(backoff.not_before)
            # The login turns unusable when the access token runs out during the wait: wake
            # then too (async_wake plans the wait's end again), so entities show it then.
            expires = float(self.token["expires_at"])
            if time.time() < expires < backoff.not_before:
                self._timer.at(expires)
            failure = RefreshWaitingError(kind, wait)
        # The outcome survives a restart (failures are rare, so is this write).
        await self._journal.async_write(self.token, self.health)
        if isinstance(failure, LoginLostError):
            self.entry.async_start_reauth(self.hass)  # its step reads the reason
        async_dispatcher_send(self.hass, self.signal)
        raise failure from err

    def _store_in_entry(self, token: dict[str, Any]) -> None:
        """Put a token into the entry (Home Assistant saves it about a second later)."""
        self.hass.config_entries.async_update_entry(
            self.entry, data={**self.entry.data, CONF_TOKEN: token}
        )
        self.health.track_token(token)

    def _schedule_background(self, *, startup: bool = False) -> None:
        """Plan the next background refresh: about one interval after the token arrived."""
        issued = float(self.token.get("received_at", time.time()))
        self._schedule_at(
            self.policy.background_due(issued, time.time(), startup=startup)
        )

    def _schedule_at(self, when: float) -> None:
        if (planned := self._timer.at(when)) is not None:
            self.health.next_refresh_attempt = planned

    async def async_wake(self) -> None:
        """Refresh in the background (the timer calls it); failures are counted, not raised."""
        try:
            await self.refresher.async_refresh(Cause.BACKGROUND)
        except RefreshWaitingError:
            # Woke early (the access token ran out, or a moment early): wait out the rest,
            # and let entities and repairs read the login's state again.
            if not self._timer.pending and self._backoff is not None:
                self._schedule_at(self._backoff.not_before)
            async_dispatcher_send(self.hass, self.signal)
        except RingError:
            return
