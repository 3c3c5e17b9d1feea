"""The cameras: Ring's newest snapshot as still image, asked of Ring only when someone looks."""

from unittest.mock import patch

from freezegun.api import FrozenDateTimeFactory
from homeassistant.components.camera import async_get_image
from homeassistant.const import Platform
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers import entity_registry as er
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    snapshot_platform,
)
from syrupy.assertion import SnapshotAssertion

from ring_emulator import Fault, RingEmulator

from .device_helpers import (
    DRIVEWAY,
    GARDEN,
    SNAPSHOT_IMAGE,
    SNAPSHOT_TIMES,
    calls,
    only,
    poll,
    state,
)
from .helpers import SnapshotExtension, setup_entry, tick

JPEG = b"\xff\xd8\xff"


@pytest.fixture
def snapshot(snapshot: SnapshotAssertion) -> SnapshotAssertion:
    """Store the snapshots in snapshots/ (Home Assistant's layout)."""
    return snapshot.use_extension(SnapshotExtension)


async def test_snapshot(
    hass: HomeAssistant,
    emulator: RingEmulator,
    device_entry: MockConfigEntry,
    entity_registry: er.EntityRegistry,
    snapshot: SnapshotAssertion,
) -> None:
    """A camera for each doorbell and camera (not the chime), still images only."""
    # The camera's access token is random: fixed here so the snapshot holds.
    with (
        only(Platform.CAMERA),
        patch("random.SystemRandom.getrandbits", return_value=1),
    ):
        await setup_entry(hass, device_entry)

    await snapshot_platform(hass, entity_registry, snapshot, device_entry.entry_id)
    assert state(hass, "camera.driveway_snapshot").attributes["supported_features"] == 0


async def test_images_are_fetched_only_when_ring_has_a_newer_one(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    emulator: RingEmulator,
    device_entry: MockConfigEntry,
) -> None:
    """Nothing is asked while nobody looks; one times call for all cameras; images on change."""
    await setup_entry(hass, device_entry)
    await poll(hass, freezer, 3)
    assert calls(emulator, SNAPSHOT_TIMES) == calls(emulator, SNAPSHOT_IMAGE) == 0

    garden = await async_get_image(hass, "camera.garden_snapshot")
    driveway = await async_get_image(hass, "camera.driveway_snapshot")

    assert garden.content.startswith(JPEG)
    assert garden.content_type == "image/jpeg"
    assert driveway.content.startswith(JPEG)
    assert garden.content != driveway.content  # each image shows its camera's name
    assert calls(emulator, SNAPSHOT_TIMES) == 1
    assert calls(emulator, SNAPSHOT_IMAGE) == 2

    # Looked at again within the poll interval: Ring is not asked at all.
    again = await async_get_image(hass, "camera.garden_snapshot")
    assert again.content == garden.content
    assert calls(emulator, SNAPSHOT_TIMES) == 1

    # A minute later the wired Driveway has a new snapshot (every 30 s), the battery
    # Garden camera not (every 10 minutes): only the Driveway's image is fetched again.
    await tick(hass, freezer, 61)
    assert (
        await async_get_image(hass, "camera.garden_snapshot")
    ).content == garden.content
    newer = await async_get_image(hass, "camera.driveway_snapshot")
    assert newer.content != driveway.content
    assert calls(emulator, SNAPSHOT_TIMES) == 2
    assert calls(emulator, SNAPSHOT_IMAGE) == 3


async def test_a_motion_brings_a_new_image(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    emulator: RingEmulator,
    device_entry: MockConfigEntry,
) -> None:
    """Ring takes a snapshot at each event: the battery camera's image changes with it."""
    await setup_entry(hass, device_entry)
    before = await async_get_image(hass, "camera.garden_snapshot")
    await tick(hass, freezer, 61)
    emulator.household.ding(GARDEN, "motion")

    after = await async_get_image(hass, "camera.garden_snapshot")

    assert after.content != before.content


async def test_without_a_snapshot_and_when_ring_fails(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    emulator: RingEmulator,
    device_entry: MockConfigEntry,
) -> None:
    """No snapshot at Ring: no image. Ring failing: the last image, or a clear error."""
    emulator.household.update(GARDEN, snapshots=False)
    await setup_entry(hass, device_entry)
    with pytest.raises(HomeAssistantError):
        await async_get_image(hass, "camera.garden_snapshot")

    image = await async_get_image(hass, "camera.driveway_snapshot")
    await tick(hass, freezer, 61)
    emulator.inject(Fault.SERVER_ERROR, where="api", count=2)
    assert (
        await async_get_image(hass, "camera.driveway_snapshot")
    ).content == image.content

    await tick(hass, freezer, 61)
    emulator.inject(Fault.SERVER_ERROR, where="api", count=2)
    with pytest.raises(
        HomeAssistantError, match="Ring's servers answered with an error"
    ):
        await async_get_image(hass, "camera.front_door_snapshot")


async def test_motion_detection_is_shown(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    emulator: RingEmulator,
    device_entry: MockConfigEntry,
) -> None:
    """The camera says whether Ring records motion (its snapshots depend on it)."""
    await setup_entry(hass, device_entry)
    assert (
        state(hass, "camera.driveway_snapshot").attributes["motion_detection"] is True
    )

    emulator.household.update(DRIVEWAY, motion_detection=False)
    await poll(hass, freezer)

    assert "motion_detection" not in state(hass, "camera.driveway_snapshot").attributes


async def test_the_last_image_of_a_camera_ring_no_longer_lists(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    emulator: RingEmulator,
    device_entry: MockConfigEntry,
) -> None:
    """Until it is removed, a dropped camera still shows the last image it had."""
    await setup_entry(hass, device_entry)
    image = await async_get_image(hass, "camera.driveway_snapshot")
    emulator.household.remove_device(DRIVEWAY)
    await poll(hass, freezer)

    assert (
        await async_get_image(hass, "camera.driveway_snapshot")
    ).content == image.content
