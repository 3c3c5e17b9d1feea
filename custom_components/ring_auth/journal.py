"""Write-ahead record of the newest token, durable before the config entry is.

Home Assistant saves config entries about a second after ``async_update_entry``; a crash in
that second would lose a refresh token that Ring has already rotated. Every new token is
first written here, awaited, to a private ``Store`` (an atomic file write), together with
SHA-256 digests of the refresh tokens it supersedes. At set-up the entry is reconciled:
if its refresh token is one the record supersedes, the record's newer token wins.
"""

import hashlib
from typing import Any

from homeassistant.core import HomeAssistant
from homeassistant.helpers.storage import Store

from .const import DOMAIN

STORAGE_VERSION = 1
# Digests kept per record: more refreshes than this inside one entry-save delay are not expected.
MAX_SUPERSEDED = 8


def digest(refresh_token: str) -> str:
    """Return a digest that identifies a refresh token without revealing it."""
    return hashlib.sha256(refresh_token.encode()).hexdigest()


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
        self._superseded: list[str] = []

    async def async_load(self) -> dict[str, Any] | None:
        """Load the record, if any."""
        data = await self._store.async_load()
        if data:
            self._superseded = list(data.get("supersedes", []))
        return data

    async def async_write(
        self,
        token: dict[str, Any],
        previous: dict[str, Any] | None,
        health: dict[str, Any],
    ) -> None:
        """Durably record a new token (and what it replaces) before anything uses it."""
        if (
            previous is not None
            and previous.get("refresh_token") != token["refresh_token"]
        ):
            self._superseded = [digest(previous["refresh_token"]), *self._superseded][
                :MAX_SUPERSEDED
            ]
        await self._store.async_save(
            {"token": token, "supersedes": self._superseded, "health": health}
        )

    async def async_record_login(
        self, token: dict[str, Any], previous: dict[str, Any] | None
    ) -> None:
        """Record the token of a new login (reauth, reconfigure) before the entry is updated."""
        record = await self._store.async_load() or {}
        health = dict(record.get("health", {}))
        health |= {
            "login_lost": False,
            "login_lost_reason": None,
            "consecutive_failures": 0,
        }
        self._superseded = []
        await self.async_write(token, previous, health)

    def reconcile(
        self, record: dict[str, Any] | None, entry_token: dict[str, Any]
    ) -> bool:
        """Return True when the record holds a newer token than the entry."""
        if not record or "token" not in record:
            return False
        newer = record["token"]
        if newer.get("refresh_token") == entry_token.get("refresh_token"):
            return False
        return digest(str(entry_token.get("refresh_token"))) in record.get(
            "supersedes", []
        )

    def restart_lineage(self) -> None:
        """Forget superseded digests: the entry's token came from a new login."""
        self._superseded = []

    async def async_remove(self) -> None:
        """Delete the record (the entry is being removed)."""
        await self._store.async_remove()
