"""Base entities: the account's login entities, and the entities of its Ring devices."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from homeassistant.core import callback
from homeassistant.helpers.dispatcher import async_dispatcher_connect
from homeassistant.helpers.entity import Entity, EntityDescription
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback
from homeassistant.helpers.update_coordinator import CoordinatorEntity

from .coordinator import RingDevicesCoordinator
from .data import RingAuthConfigEntry
from .registry import account_device_info, ring_device_info
from .ringclient import RingDevice


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
        self._attr_unique_id = f"{entry.unique_id}_{description.key}"
        self._attr_device_info = account_device_info(entry, entry.runtime_data.profile)

    async def async_added_to_hass(self) -> None:
        """Follow the token manager's health figures."""
        await super().async_added_to_hass()
        self.async_on_remove(
            async_dispatcher_connect(
                self.hass, self.manager.signal, self.async_write_ha_state
            )
        )


class RingDeviceEntity(CoordinatorEntity[RingDevicesCoordinator]):
    """An entity of one Ring device, drawn from the coordinator's data.

    Unavailable while the login is unusable, after a failed poll, and while Ring does not
    list the device; back by itself with the next good poll or login.
    """

    _attr_has_entity_name = True

    def __init__(
        self,
        entry: RingAuthConfigEntry,
        device: RingDevice,
        description: EntityDescription,
        context: object = None,
    ) -> None:
        """Attach to the Ring device's own device, linked to the account's."""
        data = entry.runtime_data
        super().__init__(data.coordinator, context)
        self.entity_description = description
        self.ring_id = device.id
        self._first_seen = device
        self._attr_unique_id = f"{entry.unique_id}_{device.id}_{description.key}"
        self._attr_device_info = ring_device_info(device, data.account_device_id)

    @property
    def device(self) -> RingDevice:
        """Return the device as Ring lists it (while it is not listed: as first seen)."""
        return self.coordinator.data.devices.get(self.ring_id, self._first_seen)

    @property
    def available(self) -> bool:
        """Return whether the login works, the last poll did and Ring lists the device."""
        return (
            super().available
            and self.coordinator.manager.login_usable
            and self.ring_id in self.coordinator.data.devices
        )

    async def async_added_to_hass(self) -> None:
        """Also follow the login: unusable and usable again show at once."""
        await super().async_added_to_hass()
        self.async_on_remove(
            async_dispatcher_connect(
                self.hass, self.coordinator.manager.signal, self.async_write_ha_state
            )
        )


@dataclass(frozen=True, kw_only=True)
class RingDeviceEntityDescription(EntityDescription):
    """What an entity of a Ring device shows, and which devices have it."""

    exists_fn: Callable[[RingDevice], bool] = lambda _device: True


@callback
def async_add_device_entities[D: RingDeviceEntityDescription](
    entry: RingAuthConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
    descriptions: Iterable[D],
    make: Callable[[RingDevice, D], RingDeviceEntity],
) -> None:
    """Add a platform's entities for every Ring device now, and for new ones after each poll.

    An entity is added once per device and description (when its `exists_fn` first holds),
    and again only after its device was removed from Home Assistant and came back.
    """
    coordinator = entry.runtime_data.coordinator
    descriptions = tuple(descriptions)
    added: set[tuple[int, str]] = set()

    @callback
    def add_new() -> None:
        data = coordinator.data
        added.difference_update([key for key in added if key[0] in data.removed])
        new: list[RingDeviceEntity] = []
        for device in data.devices.values():
            for description in descriptions:
                key = (device.id, description.key)
                if key not in added and description.exists_fn(device):
                    added.add(key)
                    new.append(make(device, description))
        if new:
            async_add_entities(new)

    add_new()
    entry.async_on_unload(coordinator.async_add_listener(add_new))
