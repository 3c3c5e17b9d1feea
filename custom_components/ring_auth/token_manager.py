"""The token manager: orchestrates one account's login; the one place Ring errors become HA errors.

It composes, inheriting nothing of Home Assistant's: ``TokenRefresher`` (lock, margin, single
flight; the client's ``AbstractAuth``), ``TokenJournal`` (write-ahead record, crash recovery),
``Backoff`` and ``RefreshPolicy`` (when to ask), ``TokenHealth`` (figures), ``RefreshTimer``.
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
from .journal import TokenJournal, successor
from .policy import Backoff, RefreshPolicy
from .refresher import PROBING, Cause, TokenRefresher
from .ringclient import PartnerCredentials, RingAuthClient, RingError
from .timer import RefreshTimer


class RingTokenManager:
    """Keeps one Ring account's tokens valid, durable and accounted for."""

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
        self._journal = TokenJournal(hass, entry.entry_id)
        self.policy = policy = policy or RefreshPolicy()
        self._backoff = Backoff(policy)
        self.health = TokenHealth()
        self.refresher = TokenRefresher(
            lambda: self.token, self._async_exchange, max_margin=policy.margin
        )
        # Entities and repairs follow the figures through this dispatcher signal.
        self.signal = f"{DOMAIN}_health_{entry.entry_id}"
        self._timer = RefreshTimer(hass, entry, self._async_background_refresh)

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
        if self._backoff.restore(self.health, time.time()):
            self._schedule_at(self._backoff.not_before)
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

    async def _async_exchange(self, cause: Cause) -> None:
        """Exchange the refresh token, or say why not now (the refresher's lock is held)."""
        if self.health.login_lost_reason is not None:
            raise LoginLostError(self.health.login_lost_reason)
        now = time.time()
        if wait := self._backoff.refusal(now, probe=cause in PROBING):
            raise RefreshWaitingError(
                self._backoff.kind or FailureKind.UNEXPECTED, wait
            )
        self._backoff.tried(now)
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
        self._backoff.clear()
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
            wait = self._backoff.failed(self.health, retry_after, time.time())
            failures = self.health.consecutive_failures
            # Logged once when refreshing stops working, and once when it works again.
            (LOGGER.warning if failures == 1 else LOGGER.debug)(
                "Ring token refresh failed (%s, %s in a row); next try in %.0f s; the"
                " stored login is kept",
                kind,
                failures,
                wait,
            )
            self._schedule_at(self._backoff.not_before)
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

    async def _async_background_refresh(self) -> None:
        """Refresh in the background; failures are counted and rescheduled, not raised."""
        try:
            await self.refresher.async_refresh(Cause.BACKGROUND)
        except RefreshWaitingError:
            if not self._timer.pending:  # woke a moment early: wait out the rest
                self._schedule_at(self._backoff.not_before)
        except RingError:
            return


async def async_store_login(
    hass: HomeAssistant, entry: ConfigEntry, token: dict[str, Any]
) -> dict[str, Any]:
    """Record a new login of an existing entry (reauth, reconfigure); return the token to save."""
    return await TokenJournal(hass, entry.entry_id).async_record_login(
        token, entry.data.get(CONF_TOKEN)
    )


async def async_lost_reason(
    hass: HomeAssistant, entry: ConfigEntry
) -> LostReason | None:
    """Return why Ring refused the entry's login, as recorded (the entry may not be loaded)."""
    return (
        await TokenJournal(hass, entry.entry_id).async_load_health()
    ).login_lost_reason
