"""Ring Auth's devices in Home Assistant's device registry: the account and its Ring devices.

The account is a service device identified by Ring's account id (the entry's unique id); each
Ring device is a device of its own, identified by `device-<Ring API id>` (a prefix, so that
an account id and a device id can never be mistaken for each other), linked to the account
through `via_device_id`.
"""

from collections.abc import Mapping
from typing import Any

from homeassistant.config_entries import ConfigEntry
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers.device_registry import DeviceEntryType, DeviceInfo

from .const import DOMAIN, LOGGER
from .ringclient import RingDevice

DEVICE_PREFIX = "device-"
MANUFACTURER = "Ring"
STALE_POLLS = 3  # answers in a row without a device before it is removed


def account_device_info(entry: ConfigEntry, profile: Mapping[str, Any]) -> DeviceInfo:
    """Return the account's service device (named after the profile's owner)."""
    name = " ".join(
        str(part)
        for part in (profile.get("first_name"), profile.get("last_name"))
        if part
    )
    return DeviceInfo(
        identifiers={(DOMAIN, str(entry.unique_id))},
        entry_type=DeviceEntryType.SERVICE,
        manufacturer=MANUFACTURER,
        model="Ring account",
        name=f"Ring {name or entry.title}",
    )


@callback
def async_account_device(
    hass: HomeAssistant, entry: ConfigEntry, profile: Mapping[str, Any]
) -> dr.DeviceEntry:
    """Register the account's device (before its Ring devices link to it) and return it."""
    return dr.async_get(hass).async_get_or_create(
        config_entry_id=entry.entry_id, **account_device_info(entry, profile)
    )


def ring_identifier(ring_id: int) -> tuple[str, str]:
    """Return the registry identifier of a Ring device."""
    return (DOMAIN, f"{DEVICE_PREFIX}{ring_id}")


def ring_id_of(device: dr.DeviceEntry) -> int | None:
    """Return the Ring API id of a registry device (None for the account's device)."""
    for domain, identifier in device.identifiers:
        if domain == DOMAIN and identifier.startswith(DEVICE_PREFIX):
            number = identifier.removeprefix(DEVICE_PREFIX)
            if number.isdigit():
                return int(number)
    return None


def ring_device_info(device: RingDevice, account_device_id: str) -> DeviceInfo:
    """Return a Ring device's registry entry: model from its kind, firmware, the account as hub."""
    return DeviceInfo(
        identifiers={ring_identifier(device.id)},
        manufacturer=MANUFACTURER,
        model=device.model,
        model_id=device.kind or None,
        name=device.name,
        sw_version=device.firmware,
        via_device_id=account_device_id,
    )


@callback
def async_ring_devices(
    hass: HomeAssistant, entry: ConfigEntry
) -> dict[int, dr.DeviceEntry]:
    """Return the entry's Ring devices in the registry, by Ring API id."""
    found: dict[int, dr.DeviceEntry] = {}
    for device in dr.async_entries_for_config_entry(dr.async_get(hass), entry.entry_id):
        if (ring_id := ring_id_of(device)) is not None:
            found[ring_id] = device
    return found


@callback
def async_follow_changes(
    hass: HomeAssistant, registered: dr.DeviceEntry, device: RingDevice
) -> None:
    """Carry a new name (given in the Ring app), model or firmware into the registry."""
    if (registered.name, registered.model, registered.sw_version) != (
        device.name,
        device.model,
        device.firmware,
    ):
        dr.async_get(hass).async_update_device(
            registered.id,
            name=device.name,
            model=device.model,
            sw_version=device.firmware,
        )


class DevicePresence:
    """Removes Ring devices from Home Assistant once Ring stops listing them.

    A device must be missing from `stale_after` answers in a row: one odd answer (an empty
    list from a Ring hiccup) must not delete the user's devices, names and areas.
    """

    def __init__(self, stale_after: int = STALE_POLLS) -> None:
        """Remove after `stale_after` answers without the device."""
        self._stale_after = stale_after
        self._missing: dict[int, int] = {}

    def missing(self, ring_id: int) -> bool:
        """Return whether the device was missing from the last answer but is still kept."""
        return ring_id in self._missing

    @callback
    def async_track(
        self, hass: HomeAssistant, entry: ConfigEntry, devices: Mapping[int, RingDevice]
    ) -> frozenset[int]:
        """Follow renamed devices, remove the stale ones; return the ids removed now."""
        removed: set[int] = set()
        for ring_id, registered in async_ring_devices(hass, entry).items():
            if (device := devices.get(ring_id)) is not None:
                self._missing.pop(ring_id, None)
                async_follow_changes(hass, registered, device)
                continue
            self._missing[ring_id] = missing = self._missing.get(ring_id, 0) + 1
            if missing >= self._stale_after:
                LOGGER.info(
                    "Ring device %s is no longer in the account", registered.name
                )
                dr.async_get(hass).async_remove_device(registered.id)
                del self._missing[ring_id]
                removed.add(ring_id)
        return frozenset(removed)
