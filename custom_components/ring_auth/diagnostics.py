"""Diagnostics of a Ring Auth entry: settings, login health, devices; secrets and personal data redacted."""

from typing import Any

from homeassistant.components.diagnostics import async_redact_data
from homeassistant.const import CONF_EMAIL
from homeassistant.core import HomeAssistant

from .const import CONF_HARDWARE_ID, CONF_TOKEN
from .coordinator import RingDevicesCoordinator
from .data import RingAuthConfigEntry
from .ringclient import RingDevice

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
# Ring's device entries also say whose device it is, where it is, and the names given to it.
DEVICE_REDACT = TO_REDACT | {
    "owner",
    "description",
    "device_id",
    "address",
    "latitude",
    "longitude",
    "location_id",
    "time_zone",
    "wifi_name",
    "ring_id",
    "ring_net_id",
    "doorbot_description",
}


async def async_get_config_entry_diagnostics(
    hass: HomeAssistant, entry: RingAuthConfigEntry
) -> dict[str, Any]:
    """Return the entry's diagnostics."""
    manager = entry.runtime_data.manager
    token = manager.token
    coordinator = entry.runtime_data.coordinator
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
        "coordinator": {
            "poll_interval": coordinator.plan.interval.total_seconds(),
            "last_update_success": coordinator.last_update_success,
            "polls_started": coordinator.polls_started,
            **coordinator.stats.as_dict(),
        },
        "devices": [
            _device(coordinator, device)
            for device in sorted(
                coordinator.data.devices.values(), key=lambda d: (d.kind, d.id)
            )
        ],
    }


def _device(coordinator: RingDevicesCoordinator, device: RingDevice) -> dict[str, Any]:
    """Return what is known of a device, without whose or where it is."""
    data = coordinator.data
    health = data.health.get(device.id)
    event = data.last_events.get(device.id)
    return {
        "kind": device.kind,
        "family": device.family,
        "model": device.model,
        "group": device.group,
        "shared": device.shared,
        "firmware": device.firmware,
        "battery_level": device.battery_level,
        "connection_status": device.connection_status,
        "has_light": device.has_light,
        "has_siren": device.has_siren,
        "light_on": device.light_on,
        "siren_seconds_remaining": device.siren_seconds_remaining,
        "motion_detection": device.motion_detection,
        "health": None
        if health is None
        else {
            "signal_strength": health.signal_strength,
            "signal_category": health.signal_category,
            "battery_level": health.battery_level,
            "firmware": health.firmware,
            "updated_at": health.updated_at,
        },
        "last_event": None
        if event is None
        else {
            "kind": event.kind,
            "ring_kind": event.ring_kind,
            "created_at": event.created_at,
            "answered": event.answered,
        },
        "raw": async_redact_data(dict(device.raw), DEVICE_REDACT),
    }
