"""Floodlights of Ring cameras: on and off, optimistic until Ring reports the state."""

from dataclasses import dataclass
from typing import Any

from homeassistant.components.light import LightEntity, LightEntityDescription
from homeassistant.components.light.const import ColorMode
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .data import RingAuthConfigEntry
from .entity import async_add_device_entities
from .ringclient import RingDevice
from .switching import RingSwitchDescription, RingSwitchEntity

# One command to Ring at a time.
PARALLEL_UPDATES = 1


@dataclass(frozen=True, kw_only=True)
class RingLightDescription(LightEntityDescription, RingSwitchDescription):
    """A camera's floodlight."""


FLOODLIGHT = RingLightDescription(
    key="floodlight",
    translation_key="floodlight",
    exists_fn=lambda device: device.has_light,
    value_fn=lambda device: device.light_on,
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: RingAuthConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add a light for every Ring camera with a floodlight (new ones too)."""
    async_add_device_entities(
        entry,
        async_add_entities,
        (FLOODLIGHT,),
        lambda device, description: RingFloodlight(entry, device, description),
    )


class RingFloodlight(RingSwitchEntity, LightEntity):
    """A floodlight; Ring turns it off again by itself after its set time (30 s by default)."""

    entity_description: RingLightDescription
    _attr_color_mode = ColorMode.ONOFF

    def __init__(
        self,
        entry: RingAuthConfigEntry,
        device: RingDevice,
        description: RingLightDescription,
    ) -> None:
        """Set up an on/off light."""
        super().__init__(entry, device, description)
        self._attr_supported_color_modes = {ColorMode.ONOFF}

    async def _async_send(self, device: RingDevice, on: bool, **kwargs: Any) -> None:
        await self.coordinator.async_set_light(device, on)

    async def async_turn_on(self, **kwargs: Any) -> None:
        """Turn the floodlight on."""
        await self._async_switch(True)

    async def async_turn_off(self, **kwargs: Any) -> None:
        """Turn the floodlight off."""
        await self._async_switch(False)
