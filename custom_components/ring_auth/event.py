"""Events of Ring devices: a doorbell press and a motion, each fired once per Ring event."""

from dataclasses import dataclass

from homeassistant.components.event import (
    DoorbellEventType,
    EventDeviceClass,
    EventEntity,
    EventEntityDescription,
)
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .data import RingAuthConfigEntry
from .entity import (
    RingDeviceEntity,
    RingDeviceEntityDescription,
    async_add_device_entities,
)
from .ringclient import DeviceFamily, EventKind, RingDevice, RingEvent

# Events come from the coordinator's publications; nothing here calls Ring.
PARALLEL_UPDATES = 0

ATTR_CREATED_AT = "created_at"


@dataclass(frozen=True, kw_only=True)
class RingEventDescription(EventEntityDescription, RingDeviceEntityDescription):
    """Which Ring events an event entity fires, and as which event type."""

    ring_kind: EventKind
    event_type: str


EVENTS: tuple[RingEventDescription, ...] = (
    RingEventDescription(
        key="ding",
        translation_key="ding",
        device_class=EventDeviceClass.DOORBELL,
        event_types=[DoorbellEventType.RING],
        ring_kind=EventKind.DING,
        event_type=DoorbellEventType.RING,
        exists_fn=lambda device: device.family
        in (DeviceFamily.DOORBELL, DeviceFamily.INTERCOM),
    ),
    RingEventDescription(
        key="motion",
        translation_key="motion",
        device_class=EventDeviceClass.MOTION,
        event_types=["motion"],
        ring_kind=EventKind.MOTION,
        event_type="motion",
        exists_fn=lambda device: device.has_camera,
    ),
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: RingAuthConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the event entities of every Ring device (new ones too)."""
    async_add_device_entities(
        entry,
        async_add_entities,
        EVENTS,
        lambda device, description: RingEventEntity(entry, device, description),
    )


def _iso(event: RingEvent) -> str | None:
    """Return Ring's time of the event as ISO 8601 text (kept as it is across restarts)."""
    return None if event.created_at is None else event.created_at.isoformat()


class RingEventEntity(RingDeviceEntity, EventEntity):
    """Fires each new Ring event of its device and kind, with Ring's time of the event."""

    entity_description: RingEventDescription

    def __init__(
        self,
        entry: RingAuthConfigEntry,
        device: RingDevice,
        description: RingEventDescription,
    ) -> None:
        """Start after the current publication: what it carried is not news to a new entity."""
        super().__init__(entry, device, description)
        self._seen = self.coordinator.data.seq

    @callback
    def _handle_coordinator_update(self) -> None:
        """Fire the publication's new events of this device and kind (each publication once)."""
        data = self.coordinator.data
        if data.seq > self._seen:
            self._seen = data.seq
            for event in data.new_events:
                if self._mine(event):
                    self._trigger_event(
                        self.entity_description.event_type,
                        {ATTR_CREATED_AT: _iso(event)},
                    )
                    self.async_write_ha_state()
        super()._handle_coordinator_update()

    def _mine(self, event: RingEvent) -> bool:
        return (
            event.device_id == self.ring_id
            and event.kind is self.entity_description.ring_kind
        )
