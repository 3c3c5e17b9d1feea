"""Sirens of Ring cameras: sound (for a chosen time) and stop, optimistic until Ring reports."""

from dataclasses import dataclass
from typing import Any

from homeassistant.components.siren import SirenEntity, SirenEntityDescription
from homeassistant.components.siren.const import ATTR_DURATION, SirenEntityFeature
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .const import DOMAIN
from .data import RingAuthConfigEntry
from .entity import async_add_device_entities
from .ringclient import RingDevice
from .ringclient.devices_api import SIREN_MAX
from .switching import RingSwitchDescription, RingSwitchEntity

# One command to Ring at a time.
PARALLEL_UPDATES = 1


@dataclass(frozen=True, kw_only=True)
class RingSirenDescription(SirenEntityDescription, RingSwitchDescription):
    """A camera's siren."""


SIREN = RingSirenDescription(
    key="siren",
    translation_key="siren",
    exists_fn=lambda device: device.has_siren,
    value_fn=lambda device: device.siren_on,
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: RingAuthConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add a siren for every Ring camera that has one (new ones too)."""
    async_add_device_entities(
        entry,
        async_add_entities,
        (SIREN,),
        lambda device, description: RingSiren(entry, device, description),
    )


class RingSiren(RingSwitchEntity, SirenEntity):
    """A siren; without a duration it sounds as long as Ring's default."""

    entity_description: RingSirenDescription
    _attr_supported_features = (
        SirenEntityFeature.TURN_ON
        | SirenEntityFeature.TURN_OFF
        | SirenEntityFeature.DURATION
    )

    async def _async_send(self, device: RingDevice, on: bool, **kwargs: Any) -> None:
        await self.coordinator.async_set_siren(device, on, kwargs.get(ATTR_DURATION))

    async def async_turn_on(self, **kwargs: Any) -> None:
        """Sound the siren, for `duration` seconds (1 to 120) when given."""
        duration = kwargs.get(ATTR_DURATION)
        if duration is not None and not 1 <= duration <= SIREN_MAX:
            raise ServiceValidationError(
                translation_domain=DOMAIN,
                translation_key="siren_duration",
                translation_placeholders={"max": str(SIREN_MAX)},
            )
        await self._async_switch(
            True, **({} if duration is None else {ATTR_DURATION: int(duration)})
        )

    async def async_turn_off(self, **kwargs: Any) -> None:
        """Stop the siren."""
        await self._async_switch(False)
