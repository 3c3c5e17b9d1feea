"""Write-ahead record of the newest token, durable before the config entry is, and crash recovery.

Home Assistant saves config entries about a second after ``async_update_entry``; a crash in
that second would lose a refresh token that Ring has already rotated. So:

- every token the entry holds carries a ``generation``, a per-entry counter that each new
  token (a refresh or a new login) increases;
- every new token is first written here, awaited, to a private ``Store`` (an atomic file
  write), and only then put into the entry. At set-up the higher generation wins, however
  many delayed entry saves a crash (or a series of crashes) lost;
- before an exchange the record says a refresh is *in flight* with the current refresh
  token. If Home Assistant dies before the answer is recorded (Ring may have rotated
  already), set-up finishes the exchange at once with the same refresh token, inside Ring's
  grace window.

The record is ``{"token": ..., "health": TokenHealth.as_dict(), "in_flight": bool}``.

A ``TokenJournal`` holds nothing but its names, and the ``Store`` is built for each read or
write (a few per refresh), so an account keeps no store (``make bench`` row 5). One entry's
writes never overlap (the refresher's lock; flows write while the entry is not loaded), so
nothing needs a store's own lock. While Home Assistant stops, ``Store.async_save`` only keeps
the data for its final write: that store is kept (per ``hass``, by key) until it has
written, and every journal of the entry uses it, so a later write replaces that data
instead of racing it.
"""

from dataclasses import dataclass
from typing import Any

from homeassistant.config_entries import ConfigEntry
from homeassistant.core import CoreState, HomeAssistant
from homeassistant.helpers.storage import Store
from homeassistant.util.hass_dict import HassKey

from .const import CONF_TOKEN, DOMAIN, LOGGER
from .health import LostReason, TokenHealth

STORAGE_VERSION = 1
GENERATION = "generation"
# Stores holding a save for Home Assistant's final write, by key (only while it stops).
_DEFERRED: HassKey[dict[str, Store[dict[str, Any]]]] = HassKey(f"{DOMAIN}_deferred")


def generation(token: dict[str, Any] | None) -> int:
    """Return a stored token's generation (0 for a token from before the journal)."""
    return int((token or {}).get(GENERATION, 0))


def successor(token: dict[str, Any], previous: dict[str, Any] | None) -> dict[str, Any]:
    """Return the new token stamped one generation after the token it replaces."""
    return {**token, GENERATION: generation(previous) + 1}


@dataclass(frozen=True, slots=True)
class Recovery:
    """What set-up learns from the journal."""

    newer_token: dict[str, Any] | None  # to put into the entry: its save was lost
    health: TokenHealth
    resume: bool  # an exchange of the token in use was cut off by a stop


class TokenJournal:
    """The per-entry write-ahead record."""

    __slots__ = ("_hass", "_key")

    def __init__(self, hass: HomeAssistant, entry_id: str) -> None:
        """Name the entry's private store (built on use)."""
        self._hass = hass
        self._key = f"{DOMAIN}.{entry_id}"

    def _store(self) -> Store[dict[str, Any]]:
        """Return the entry's store: the one holding a save for the final write, or a new one."""
        if (store := self._hass.data.get(_DEFERRED, {}).get(self._key)) is not None:
            return store
        return Store(
            self._hass, STORAGE_VERSION, self._key, private=True, atomic_writes=True
        )

    async def async_write(
        self, token: dict[str, Any], health: TokenHealth, *, in_flight: bool = False
    ) -> None:
        """Durably record the token (and whether an exchange of it is under way)."""
        store = self._store()
        deferred = self._hass.state is CoreState.stopping
        await store.async_save(
            {"token": token, "health": health.as_dict(), "in_flight": in_flight}
        )
        waiting = self._hass.data.setdefault(_DEFERRED, {})
        if deferred:
            waiting[self._key] = store
        else:
            waiting.pop(self._key, None)

    async def async_recover(self, entry_token: dict[str, Any]) -> Recovery:
        """Reconcile the record with the entry's token after a start."""
        record = await self._store().async_load()
        if not record or not isinstance(record.get("token"), dict):
            health = TokenHealth()
            health.record_login(entry_token)  # a new entry: its token is a login's
            await self.async_write(entry_token, health)
            return Recovery(None, health, resume=False)
        token = record["token"]
        health = TokenHealth.from_dict(record.get("health") or {})
        newer = generation(token) > generation(entry_token)
        if not newer and token.get("refresh_token") != entry_token.get("refresh_token"):
            # The entry's token is newer than the record (a new login whose journal write
            # was lost): what the record says about failures belongs to an older login.
            health.record_login(entry_token)
            await self.async_write(entry_token, health)
            return Recovery(None, health, resume=False)
        if newer:
            LOGGER.warning(
                "Recovered the newest Ring token from the journal: Home Assistant stopped"
                " before it saved the config entry"
            )
        resume = bool(record.get("in_flight"))
        if resume:
            LOGGER.warning("A Ring token refresh was cut off by a stop; finishing it")
        health.track_token(token)
        return Recovery(dict(token) if newer else None, health, resume=resume)

    async def async_record_login(
        self, token: dict[str, Any], previous: dict[str, Any] | None
    ) -> dict[str, Any]:
        """Record a new login's token; return it stamped for the entry."""
        record = await self._store().async_load() or {}
        newest = max(generation(record.get("token")), generation(previous))
        stamped = {**token, GENERATION: newest + 1}
        health = TokenHealth.from_dict(record.get("health") or {})
        health.record_login(stamped)
        await self.async_write(stamped, health)
        return stamped

    async def async_load_health(self) -> TokenHealth:
        """Return the recorded health (read by flows while the entry is not loaded)."""
        record = await self._store().async_load() or {}
        return TokenHealth.from_dict(record.get("health") or {})

    async def async_remove(self) -> None:
        """Delete the record (the entry is being removed)."""
        await self._store().async_remove()
        self._hass.data.get(_DEFERRED, {}).pop(self._key, None)


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
