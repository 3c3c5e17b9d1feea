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
"""

from dataclasses import dataclass
from typing import Any

from homeassistant.core import HomeAssistant
from homeassistant.helpers.storage import Store

from .const import DOMAIN, LOGGER
from .health import TokenHealth

STORAGE_VERSION = 1
GENERATION = "generation"


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

    __slots__ = ("_store",)

    def __init__(self, hass: HomeAssistant, entry_id: str) -> None:
        """Open the entry's private store."""
        self._store: Store[dict[str, Any]] = Store(
            hass,
            STORAGE_VERSION,
            f"{DOMAIN}.{entry_id}",
            private=True,
            atomic_writes=True,
        )

    async def async_write(
        self, token: dict[str, Any], health: TokenHealth, *, in_flight: bool = False
    ) -> None:
        """Durably record the token (and whether an exchange of it is under way)."""
        await self._store.async_save(
            {"token": token, "health": health.as_dict(), "in_flight": in_flight}
        )

    async def async_recover(self, entry_token: dict[str, Any]) -> Recovery:
        """Reconcile the record with the entry's token after a start."""
        record = await self._store.async_load()
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
        record = await self._store.async_load() or {}
        newest = max(generation(record.get("token")), generation(previous))
        stamped = {**token, GENERATION: newest + 1}
        health = TokenHealth.from_dict(record.get("health") or {})
        health.record_login(stamped)
        await self.async_write(stamped, health)
        return stamped

    async def async_load_health(self) -> TokenHealth:
        """Return the recorded health (read by flows while the entry is not loaded)."""
        record = await self._store.async_load() or {}
        return TokenHealth.from_dict(record.get("health") or {})

    async def async_remove(self) -> None:
        """Delete the record (the entry is being removed)."""
        await self._store.async_remove()
