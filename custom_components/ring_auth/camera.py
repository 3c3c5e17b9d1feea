"""Cameras of Ring doorbells and cameras: the newest snapshot as a still image (no stream)."""

from dataclasses import dataclass

from homeassistant.components.camera import Camera, CameraEntityDescription
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .const import LOGGER
from .data import RingAuthConfigEntry
from .entity import (
    RingDeviceEntity,
    RingDeviceEntityDescription,
    async_add_device_entities,
)
from .ringclient import RingDevice, RingError

# Images are fetched one at a time (the snapshot cache serializes them anyway).
PARALLEL_UPDATES = 1


@dataclass(frozen=True, kw_only=True)
class RingCameraDescription(CameraEntityDescription, RingDeviceEntityDescription):
    """A camera's still image."""


SNAPSHOT = RingCameraDescription(
    key="snapshot",
    translation_key="snapshot",
    exists_fn=lambda device: device.has_camera,
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: RingAuthConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add a camera for every Ring doorbell and camera (new ones too)."""
    async_add_device_entities(
        entry,
        async_add_entities,
        (SNAPSHOT,),
        lambda device, description: RingCamera(entry, device, description),
    )


class RingCamera(RingDeviceEntity, Camera):
    """The newest snapshot Ring has of a doorbell or camera."""

    entity_description: RingCameraDescription

    def __init__(
        self,
        entry: RingAuthConfigEntry,
        device: RingDevice,
        description: RingCameraDescription,
    ) -> None:
        """Set up the entity and the camera's own state (its access tokens)."""
        super().__init__(entry, device, description)
        Camera.__init__(self)

    @property
    def motion_detection_enabled(self) -> bool:
        """Return whether Ring records motion (snapshots stop when it does not)."""
        return self.device.motion_detection is True

    async def async_camera_image(
        self, width: int | None = None, height: int | None = None
    ) -> bytes | None:
        """Return the newest snapshot; Ring is asked only when its time moved."""
        device = self.device
        snapshots = self.coordinator.snapshots
        cameras = [d for d in self.coordinator.data.devices.values() if d.has_camera]
        try:
            return await snapshots.async_image(device, cameras)
        except RingError as err:
            if (image := snapshots.cached(self.ring_id)) is not None:
                LOGGER.debug("Showing the last snapshot of %s: %s", device.name, err)
                return image
            raise self.coordinator.manager.ha_error(err, HomeAssistantError) from err
