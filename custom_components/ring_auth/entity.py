"""The base entity: one service device per Ring account, updated when the manager changes."""

from homeassistant.helpers.device_registry import DeviceEntryType, DeviceInfo
from homeassistant.helpers.dispatcher import async_dispatcher_connect
from homeassistant.helpers.entity import Entity, EntityDescription

from .const import DOMAIN
from .data import RingAuthConfigEntry


class RingAuthEntity(Entity):
    """An entity of a Ring account's login; pushes state when the token manager notifies."""

    _attr_has_entity_name = True
    _attr_should_poll = False

    def __init__(
        self, entry: RingAuthConfigEntry, description: EntityDescription
    ) -> None:
        """Attach to the account's device."""
        self.entity_description = description
        self.manager = entry.runtime_data.manager
        profile = entry.runtime_data.profile
        account = str(entry.unique_id)
        self._attr_unique_id = f"{account}_{description.key}"
        name = " ".join(
            str(part)
            for part in (profile.get("first_name"), profile.get("last_name"))
            if part
        )
        self._attr_device_info = DeviceInfo(
            identifiers={(DOMAIN, account)},
            entry_type=DeviceEntryType.SERVICE,
            manufacturer="Ring",
            model="Ring account",
            name=f"Ring {name or entry.title}",
        )

    async def async_added_to_hass(self) -> None:
        """Follow the token manager's health figures."""
        await super().async_added_to_hass()
        self.async_on_remove(
            async_dispatcher_connect(
                self.hass, self.manager.signal, self.async_write_ha_state
            )
        )
