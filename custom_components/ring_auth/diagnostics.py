"""Diagnostics of a Ring Auth entry: settings and health, every secret redacted."""

from typing import Any

from homeassistant.components.diagnostics import async_redact_data
from homeassistant.const import CONF_EMAIL
from homeassistant.core import HomeAssistant

from .const import CONF_HARDWARE_ID, CONF_TOKEN
from .data import RingAuthConfigEntry

TO_REDACT = {
    CONF_TOKEN,
    CONF_EMAIL,
    CONF_HARDWARE_ID,
    "access_token",
    "refresh_token",
    "client_secret",
    "password",
    "email",
    "first_name",
    "last_name",
    "id",
    "unique_id",
    "title",
    "phone_number",
    "authentication_token",
}


async def async_get_config_entry_diagnostics(
    hass: HomeAssistant, entry: RingAuthConfigEntry
) -> dict[str, Any]:
    """Return the entry's diagnostics."""
    manager = entry.runtime_data.manager
    token = manager.token
    return {
        "entry": async_redact_data(entry.as_dict(), TO_REDACT),
        "token": {
            "expires_in": token.get("expires_in"),
            "expires_at": token.get("expires_at"),
            "received_at": token.get("received_at"),
            "scope": token.get("scope"),
        },
        "health": manager.health.as_dict(),
        "profile": async_redact_data(entry.runtime_data.profile, TO_REDACT),
    }
