"""The switchable parts of Ring cameras (floodlight, siren): optimistic, then as Ring reports.

Ring shows a change in `ring_devices` a little later (core's ring ignores updates for 5 s
after a command). A switched entity shows the state it asked for until a poll that started
after Ring accepted the command reports the real one: confirmed, or corrected (a light Ring
turned off again after its 30 s, a command Ring accepted but did not carry out).
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from homeassistant.core import callback

from .entity import RingDeviceEntity, RingDeviceEntityDescription
from .ringclient import RingDevice


@dataclass(frozen=True, kw_only=True)
class RingSwitchDescription(RingDeviceEntityDescription):
    """An on/off part: which devices have it, and the state Ring reports for it."""

    value_fn: Callable[[RingDevice], bool | None]


class RingSwitchEntity(RingDeviceEntity):
    """An on/off part of a Ring device, switched through the coordinator."""

    entity_description: RingSwitchDescription
    # The state asked for, and how many polls had started when Ring accepted it.
    _assumed: tuple[bool, int] | None = None

    async def _async_send(self, device: RingDevice, on: bool, **kwargs: Any) -> None:
        """Ask Ring to switch the part (raises a translated HomeAssistantError)."""
        raise NotImplementedError

    @property
    def is_on(self) -> bool | None:
        """Return the state asked for until a later poll reports Ring's."""
        if self._assumed is not None and self.coordinator.data.poll <= self._assumed[1]:
            return self._assumed[0]
        return self.entity_description.value_fn(self.device)

    async def _async_switch(self, on: bool, **kwargs: Any) -> None:
        """Switch the part, then show the new state at once."""
        await self._async_send(self.device, on, **kwargs)
        self._assumed = (on, self.coordinator.polls_started)
        self.async_write_ha_state()

    @callback
    def _handle_coordinator_update(self) -> None:
        """Drop the assumed state once a poll after the command reported Ring's."""
        if self._assumed is not None and self.coordinator.data.poll > self._assumed[1]:
            self._assumed = None
        super()._handle_coordinator_update()
