"""Write-ahead record of the newest token, durable before the config entry is.

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
"""

from typing import Any

from homeassistant.core import HomeAssistant
from homeassistant.helpers.storage import Store

from .const import DOMAIN

STORAGE_VERSION = 1
GENERATION = "generation"


def generation(token: dict[str, Any] | None) -> int:
    """Return a stored token's generation (0 for a token from before the journal)."""
    return int((token or {}).get(GENERATION, 0))


def successor(token: dict[str, Any], previous: dict[str, Any] | None) -> dict[str, Any]:
    """Return the new token stamped one generation after the token it replaces."""
    return {**token, GENERATION: generation(previous) + 1}


class TokenJournal:
    """The per-entry write-ahead record."""

    def __init__(self, hass: HomeAssistant, entry_id: str) -> None:
        """Open the entry's private store."""
        self._store: Store[dict[str, Any]] = Store(
            hass,
            STORAGE_VERSION,
            f"{DOMAIN}.{entry_id}",
            private=True,
            atomic_writes=True,
        )

    async def async_load(self) -> dict[str, Any] | None:
        """Load the record, if any."""
        return await self._store.async_load()

    async def async_write(
        self, token: dict[str, Any], health: dict[str, Any], *, in_flight: bool = False
    ) -> None:
        """Durably record the token (and whether an exchange of it is under way)."""
        await self._store.async_save(
            {"token": token, "health": health, "in_flight": in_flight}
        )

    async def async_record_login(
        self, token: dict[str, Any], previous: dict[str, Any] | None
    ) -> dict[str, Any]:
        """Record a new login's token (reauth, reconfigure); return it stamped for the entry."""
        record = await self._store.async_load() or {}
        newest = max(generation(record.get("token")), generation(previous))
        stamped = {**token, GENERATION: newest + 1}
        health = dict(record.get("health", {}))
        health |= {
            "login_lost": False,
            "login_lost_reason": None,
            "consecutive_failures": 0,
            "next_refresh_attempt": None,
        }
        await self.async_write(stamped, health)
        return stamped

    @staticmethod
    def newer_token(
        record: dict[str, Any] | None, entry_token: dict[str, Any]
    ) -> dict[str, Any] | None:
        """Return the record's token when it is newer than the entry's."""
        if not record or "token" not in record:
            return None
        if generation(record["token"]) > generation(entry_token):
            return dict(record["token"])
        return None

    async def async_remove(self) -> None:
        """Delete the record (the entry is being removed)."""
        await self._store.async_remove()
