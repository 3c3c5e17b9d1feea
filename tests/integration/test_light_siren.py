"""Floodlight and siren: switched at once (optimistic), then confirmed or corrected by Ring."""

from freezegun.api import FrozenDateTimeFactory
from homeassistant.const import (
    ATTR_ENTITY_ID,
    STATE_OFF,
    STATE_ON,
    STATE_UNAVAILABLE,
    Platform,
)
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
from homeassistant.helpers import entity_registry as er
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    snapshot_platform,
)
from syrupy.assertion import SnapshotAssertion

from ring_emulator import Fault, RingEmulator

from .device_helpers import API, DRIVEWAY, GARDEN, calls, only, poll, state
from .helpers import SnapshotExtension, setup_entry, tick

LIGHT = "light.driveway_floodlight"
SIREN = "siren.garden_siren"
LIGHT_ON = f"PUT {API}/doorbots/{{device_id}}/floodlight_light_on"
SIREN_ON = f"PUT {API}/doorbots/{{device_id}}/siren_on"


@pytest.fixture
def snapshot(snapshot: SnapshotAssertion) -> SnapshotAssertion:
    """Store the snapshots in snapshots/ (Home Assistant's layout)."""
    return snapshot.use_extension(SnapshotExtension)


async def switch(
    hass: HomeAssistant, domain: str, service: str, entity_id: str, **data: object
) -> None:
    """Call a light or siren service and wait for it."""
    await hass.services.async_call(
        domain, service, {ATTR_ENTITY_ID: entity_id, **data}, blocking=True
    )


@pytest.mark.parametrize("platform", [Platform.LIGHT, Platform.SIREN])
async def test_snapshot(
    hass: HomeAssistant,
    emulator: RingEmulator,
    device_entry: MockConfigEntry,
    entity_registry: er.EntityRegistry,
    snapshot: SnapshotAssertion,
    platform: Platform,
) -> None:
    """A light for the floodlight cam; a siren for it and for the stick-up cam."""
    with only(platform):
        await setup_entry(hass, device_entry)

    await snapshot_platform(hass, entity_registry, snapshot, device_entry.entry_id)


async def test_light_on_at_once_then_as_ring_reports(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    emulator: RingEmulator,
    device_entry: MockConfigEntry,
) -> None:
    """On at once; confirmed by the next poll; off when Ring turns it off after its 30 s."""
    await setup_entry(hass, device_entry)
    assert state(hass, LIGHT).state == STATE_OFF

    await switch(hass, "light", "turn_on", LIGHT)

    assert state(hass, LIGHT).state == STATE_ON  # before any poll
    assert calls(emulator, LIGHT_ON) == 1
    assert emulator.household.device(DRIVEWAY).light_on(emulator.clock.now())
    await tick(hass, freezer, 20)
    await poll(hass, freezer)  # 81 s later Ring turned it off again
    assert state(hass, LIGHT).state == STATE_OFF


async def test_an_update_begun_before_the_command_does_not_undo_it(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    emulator: RingEmulator,
    device_entry: MockConfigEntry,
) -> None:
    """A state Ring reported before the command is older than the command: the optimistic state stays."""
    await setup_entry(hass, device_entry)
    coordinator = device_entry.runtime_data.coordinator
    await switch(hass, "light", "turn_on", LIGHT)
    emulator.household.set_light(DRIVEWAY, False)  # e.g. turned off in the Ring app

    coordinator.async_update_listeners()  # the data of the poll before the command
    assert state(hass, LIGHT).state == STATE_ON

    await coordinator.async_refresh()  # a poll after the command: corrected
    assert state(hass, LIGHT).state == STATE_OFF


async def test_light_off(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    emulator: RingEmulator,
    device_entry: MockConfigEntry,
) -> None:
    """Off at once, and Ring's light is off."""
    emulator.household.set_light(DRIVEWAY, True)
    await setup_entry(hass, device_entry)
    assert state(hass, LIGHT).state == STATE_ON

    await switch(hass, "light", "turn_off", LIGHT)

    assert state(hass, LIGHT).state == STATE_OFF
    assert not emulator.household.device(DRIVEWAY).light_on(emulator.clock.now())


async def test_siren_with_and_without_duration(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    emulator: RingEmulator,
    device_entry: MockConfigEntry,
) -> None:
    """Sounds for the time asked (Ring's default without one), stops on request."""
    await setup_entry(hass, device_entry)
    assert state(hass, SIREN).state == STATE_OFF

    await switch(hass, "siren", "turn_on", SIREN, duration=90)
    assert state(hass, SIREN).state == STATE_ON
    await poll(hass, freezer)
    assert state(hass, SIREN).state == STATE_ON  # confirmed: 29 s still to go
    assert emulator.household.device(GARDEN).siren_seconds(emulator.clock.now()) > 0

    await switch(hass, "siren", "turn_off", SIREN)
    assert state(hass, SIREN).state == STATE_OFF
    await switch(hass, "siren", "turn_on", SIREN)
    await poll(hass, freezer)
    assert state(hass, SIREN).state == STATE_OFF  # Ring's default (30 s) has passed
    assert calls(emulator, SIREN_ON) == 2


@pytest.mark.parametrize("duration", [0, 121])
async def test_siren_duration_out_of_range(
    hass: HomeAssistant,
    emulator: RingEmulator,
    device_entry: MockConfigEntry,
    duration: int,
) -> None:
    """Ring sounds a siren for 1 to 120 s; anything else is refused before Ring is asked."""
    await setup_entry(hass, device_entry)

    with pytest.raises(ServiceValidationError, match="1 to 120 seconds"):
        await switch(hass, "siren", "turn_on", SIREN, duration=duration)

    assert state(hass, SIREN).state == STATE_OFF
    assert calls(emulator, SIREN_ON) == 0


async def test_a_failed_command_changes_nothing(
    hass: HomeAssistant,
    emulator: RingEmulator,
    device_entry: MockConfigEntry,
) -> None:
    """Ring failing: a translated error, the state stays what Ring last reported, no reauth."""
    await setup_entry(hass, device_entry)
    emulator.inject(Fault.SERVER_ERROR, where="api")

    with pytest.raises(
        HomeAssistantError, match="Ring's servers answered with an error"
    ):
        await switch(hass, "light", "turn_on", LIGHT)

    assert state(hass, LIGHT).state == STATE_OFF
    assert not hass.config_entries.flow.async_progress()


async def test_commands_wait_while_the_device_is_unavailable(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    emulator: RingEmulator,
    device_entry: MockConfigEntry,
) -> None:
    """A device Ring stops listing is unavailable: commands do not reach Ring."""
    await setup_entry(hass, device_entry)
    emulator.household.remove_device(DRIVEWAY)
    await poll(hass, freezer)
    assert state(hass, LIGHT).state == STATE_UNAVAILABLE

    await switch(hass, "light", "turn_on", LIGHT)

    assert calls(emulator, LIGHT_ON) == 0
