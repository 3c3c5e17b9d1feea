"""Sensors of Ring devices: battery level, Wi-Fi signal, last activity."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from homeassistant.components.sensor import (
    SensorDeviceClass,
    SensorEntity,
    SensorEntityDescription,
    SensorStateClass,
)
from homeassistant.const import (
    PERCENTAGE,
    SIGNAL_STRENGTH_DECIBELS_MILLIWATT,
    EntityCategory,
)

from .coordinator import NeedsHealth
from .data import RingAuthConfigEntry
from .device_data import RingDevicesData
from .entity import RingDeviceEntity, RingDeviceEntityDescription
from .ringclient import RingDevice


@dataclass(frozen=True, kw_only=True)
class RingDeviceSensorDescription(SensorEntityDescription, RingDeviceEntityDescription):
    """A sensor read from the coordinator's data about one device."""

    value_fn: Callable[[RingDevicesData, RingDevice], int | datetime | None]
    needs_health: bool = False


def _last_activity(data: RingDevicesData, device: RingDevice) -> datetime | None:
    event = data.last_events.get(device.id)
    return None if event is None else event.created_at


def _signal(data: RingDevicesData, device: RingDevice) -> int | None:
    health = data.health.get(device.id)
    return None if health is None else health.signal_strength


DEVICE_SENSORS: tuple[RingDeviceSensorDescription, ...] = (
    RingDeviceSensorDescription(
        key="battery",
        device_class=SensorDeviceClass.BATTERY,
        native_unit_of_measurement=PERCENTAGE,
        state_class=SensorStateClass.MEASUREMENT,
        exists_fn=lambda device: device.battery_level is not None,
        value_fn=lambda _data, device: device.battery_level,
    ),
    RingDeviceSensorDescription(
        key="wifi_signal",
        translation_key="wifi_signal",
        device_class=SensorDeviceClass.SIGNAL_STRENGTH,
        native_unit_of_measurement=SIGNAL_STRENGTH_DECIBELS_MILLIWATT,
        state_class=SensorStateClass.MEASUREMENT,
        entity_category=EntityCategory.DIAGNOSTIC,
        entity_registry_enabled_default=False,
        needs_health=True,
        value_fn=_signal,
    ),
    RingDeviceSensorDescription(
        key="last_activity",
        translation_key="last_activity",
        device_class=SensorDeviceClass.TIMESTAMP,
        exists_fn=lambda device: device.has_history,
        value_fn=_last_activity,
    ),
)


class RingDeviceSensor(RingDeviceEntity, SensorEntity):
    """A figure of one Ring device."""

    entity_description: RingDeviceSensorDescription

    def __init__(
        self,
        entry: RingAuthConfigEntry,
        device: RingDevice,
        description: RingDeviceSensorDescription,
    ) -> None:
        """Ask the coordinator for the device's health when the sensor shows it."""
        context = NeedsHealth(device.id) if description.needs_health else None
        super().__init__(entry, device, description, context)

    @property
    def native_value(self) -> int | datetime | None:
        """Return the figure."""
        return self.entity_description.value_fn(self.coordinator.data, self.device)
