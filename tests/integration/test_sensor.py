"""The token sensors: registry entries and states, push updates, availability."""

from collections.abc import Iterator
from datetime import timedelta
from unittest.mock import patch

from freezegun.api import FrozenDateTimeFactory
from homeassistant.const import STATE_UNAVAILABLE, Platform
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers import device_registry as dr, entity_registry as er
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    snapshot_platform,
)
from syrupy.assertion import SnapshotAssertion

from custom_components.ring_auth.const import DOMAIN
from ring_emulator import Fault, RingEmulator
from tests.conftest import ACCOUNT_ID, EMAIL

from .helpers import POLICY, SnapshotExtension, refreshes, setup_entry, tick

pytestmark = pytest.mark.usefixtures("fast_manager")

PREFIX = "sensor.ring_demo_user"
AGE = f"{PREFIX}_refresh_token_age"
EXPIRES = f"{PREFIX}_access_token_expires"
LAST = f"{PREFIX}_last_successful_refresh"
CONSECUTIVE = f"{PREFIX}_consecutive_refresh_failures"
FAILURES = f"{PREFIX}_refresh_failures"
TOKEN_SENSORS = (AGE, EXPIRES, LAST)
FAILURE_SENSORS = (CONSECUTIVE, FAILURES)
BUTTON = "button.ring_demo_user_refresh_now"


@pytest.fixture
def snapshot(snapshot: SnapshotAssertion) -> SnapshotAssertion:
    """Store the snapshots in snapshots/ (Home Assistant's layout)."""
    return snapshot.use_extension(SnapshotExtension)


@pytest.fixture
def sensors_only() -> Iterator[None]:
    """Set up the sensor platform alone."""
    with patch("custom_components.ring_auth.PLATFORMS", [Platform.SENSOR]):
        yield


def state(hass: HomeAssistant, entity_id: str) -> str:
    """Return an entity's state."""
    current = hass.states.get(entity_id)
    assert current is not None, entity_id
    return current.state


async def press(hass: HomeAssistant) -> None:
    """Press "Refresh now"."""
    await hass.services.async_call(
        "button", "press", {"entity_id": BUTTON}, blocking=True
    )


@pytest.mark.usefixtures("sensors_only")
async def test_snapshot(
    hass: HomeAssistant,
    emulator: RingEmulator,
    fixed_config_entry: MockConfigEntry,
    entity_registry: er.EntityRegistry,
    device_registry: dr.DeviceRegistry,
    snapshot: SnapshotAssertion,
) -> None:
    """Six diagnostic sensors on one service device per account."""
    emulator.household.clear(
        EMAIL
    )  # the login's own sensors (test_device_sensor: the devices')
    await setup_entry(hass, fixed_config_entry)

    await snapshot_platform(
        hass, entity_registry, snapshot, fixed_config_entry.entry_id
    )

    entries = er.async_entries_for_config_entry(
        entity_registry, fixed_config_entry.entry_id
    )
    assert len(entries) == 6
    assert {entry.entity_category for entry in entries} == {"diagnostic"}
    devices = dr.async_entries_for_config_entry(
        device_registry, fixed_config_entry.entry_id
    )
    assert len(devices) == 1
    assert devices[0].entry_type is dr.DeviceEntryType.SERVICE
    assert devices[0].identifiers == {(DOMAIN, str(ACCOUNT_ID))}
    assert devices[0] == snapshot(name="device")
    assert {entry.device_id for entry in entries} == {devices[0].id}


async def test_states_follow_the_manager_at_once(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    emulator: RingEmulator,
    fixed_config_entry: MockConfigEntry,
) -> None:
    """A refresh updates the token sensors the moment it ends, without any poll."""
    await setup_entry(hass, fixed_config_entry)
    issued = dt_util.utcnow()
    assert state(hass, AGE) == "0.0"
    # The login itself counts as the last renewal until the first refresh.
    assert state(hass, LAST) == issued.isoformat()
    assert state(hass, EXPIRES) == (issued + timedelta(hours=1)).isoformat()
    assert state(hass, CONSECUTIVE) == "0"
    assert state(hass, FAILURES) == "0"

    # The age grows with time alone: the sensors tick every 15 minutes.
    await tick(hass, freezer, timedelta(minutes=15))
    assert state(hass, AGE) == "0.25"
    freezer.tick(timedelta(hours=1, minutes=45))  # no timer fired: states unchanged
    assert state(hass, AGE) == "0.25"

    await press(hass)  # returns before any 15-minute tick could have run

    now = dt_util.utcnow()
    assert now == issued + timedelta(hours=2)
    assert refreshes(emulator) == 1
    assert state(hass, AGE) == "0.0"
    assert state(hass, LAST) == now.isoformat()
    assert state(hass, EXPIRES) == (now + timedelta(hours=1)).isoformat()
    assert state(hass, CONSECUTIVE) == "0"


async def test_failure_sensors(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    emulator: RingEmulator,
    fixed_config_entry: MockConfigEntry,
) -> None:
    """Failures are counted with their kind and time; a success zeroes the consecutive count."""
    await setup_entry(hass, fixed_config_entry)
    emulator.inject(Fault.SERVER_ERROR, count=2, where="token")

    with pytest.raises(HomeAssistantError):
        await press(hass)
    failed_at = dt_util.utcnow()
    first_wait = POLICY.first * (1 + POLICY.jitter) + 1
    await tick(hass, freezer, first_wait)  # the retry fails too

    assert state(hass, CONSECUTIVE) == "2"
    assert state(hass, FAILURES) == "2"
    attrs = hass.states.get(FAILURES).attributes
    assert attrs["last_failure_kind"] == "server_error"
    assert failed_at < attrs["last_failure"] <= dt_util.utcnow()

    await tick(hass, freezer, POLICY.first * 2 * (1 + POLICY.jitter) + 1)

    assert state(hass, CONSECUTIVE) == "0"
    assert state(hass, FAILURES) == "2"
    assert state(hass, LAST) == dt_util.utcnow().isoformat()


async def test_unavailable_when_the_login_is_lost(
    hass: HomeAssistant, emulator: RingEmulator, fixed_config_entry: MockConfigEntry
) -> None:
    """A refused login makes the token sensors unavailable; failure sensors stay."""
    await setup_entry(hass, fixed_config_entry)
    emulator.revoke(EMAIL)

    with pytest.raises(HomeAssistantError):
        await press(hass)

    for entity_id in TOKEN_SENSORS:
        assert state(hass, entity_id) == STATE_UNAVAILABLE
    assert state(hass, CONSECUTIVE) == "1"
    assert state(hass, FAILURES) == "1"
    assert hass.states.get(FAILURES).attributes["last_failure_kind"] == "login_lost"


async def test_unavailable_while_expired_and_failing(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    emulator: RingEmulator,
    fixed_config_entry: MockConfigEntry,
) -> None:
    """An expired access token that cannot be renewed makes the token sensors unavailable."""
    await setup_entry(hass, fixed_config_entry)
    emulator.inject(Fault.SERVER_ERROR, count=1, where="token")

    # Failing while the access token is still valid: still available.
    with pytest.raises(HomeAssistantError):
        await press(hass)
    assert state(hass, AGE) != STATE_UNAVAILABLE

    # Ring is still down when the access token runs out.
    emulator.inject(Fault.SERVER_ERROR, count=100, where="token")
    await tick(hass, freezer, timedelta(hours=1))
    for entity_id in TOKEN_SENSORS:
        assert state(hass, entity_id) == STATE_UNAVAILABLE
    for entity_id in FAILURE_SENSORS:
        assert state(hass, entity_id) != STATE_UNAVAILABLE

    emulator.faults.clear()
    await tick(hass, freezer, timedelta(minutes=31))  # past the longest backoff

    assert state(hass, AGE) == "0.0"
    assert state(hass, LAST) == dt_util.utcnow().isoformat()
    assert state(hass, CONSECUTIVE) == "0"


async def test_unavailable_when_the_token_runs_out_during_a_block(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    emulator: RingEmulator,
    fixed_config_entry: MockConfigEntry,
) -> None:
    """The token sensors go unavailable when the token ends, with nothing calling Ring.

    A block backs off for hours; the access token runs out in the meantime, and the
    sensors must say so then, not at the next try hours later (nor at their own
    15-minute tick: set up 7 min after the token was issued, that comes 7 min late).
    """
    await tick(hass, freezer, timedelta(minutes=7))
    await setup_entry(hass, fixed_config_entry)
    emulator.inject(Fault.BLOCKED, count=100, where="token", status=406)
    for _ in range(2):  # two blocked tries: the next one waits about 2 h
        with pytest.raises(HomeAssistantError):
            await press(hass)
        await tick(hass, freezer, timedelta(minutes=20))
    calls = refreshes(emulator)
    assert state(hass, AGE) != STATE_UNAVAILABLE  # 47 min: the token lives 60 min
    await tick(hass, freezer, timedelta(minutes=12, seconds=59))
    assert state(hass, AGE) != STATE_UNAVAILABLE  # a second before it runs out

    emulator.faults.clear()
    await tick(hass, freezer, timedelta(seconds=2))

    for entity_id in TOKEN_SENSORS:
        assert state(hass, entity_id) == STATE_UNAVAILABLE
    assert refreshes(emulator) == calls  # nothing was sent to find that out
    await tick(hass, freezer, timedelta(hours=3))  # the backoff's next try renews it
    assert state(hass, AGE) == "0.0"


async def test_unavailable_when_the_token_ends_after_a_failure_just_before(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    emulator: RingEmulator,
    fixed_config_entry: MockConfigEntry,
) -> None:
    """A renewal that fails just before the token's end: unavailable at the end, not later.

    The backoff's next try is 27-33 s away; the sensors must not show the ended token as
    usable until then (the e2e outage found this: a device poll inside the refresh margin
    failed 0.6 s before the end).
    """
    await setup_entry(hass, fixed_config_entry)
    await tick(hass, freezer, timedelta(minutes=59, seconds=50))
    emulator.inject(Fault.SERVER_ERROR, count=100, where="token")
    with pytest.raises(HomeAssistantError):
        await press(hass)
    calls = refreshes(emulator)
    assert state(hass, AGE) != STATE_UNAVAILABLE  # 10 s left

    await tick(hass, freezer, 11)

    for entity_id in TOKEN_SENSORS:
        assert state(hass, entity_id) == STATE_UNAVAILABLE
    for entity_id in FAILURE_SENSORS:
        assert state(hass, entity_id) != STATE_UNAVAILABLE
    assert refreshes(emulator) == calls  # the backoff's try is still to come
    emulator.faults.clear()
    await tick(hass, freezer, POLICY.first * (1 + POLICY.jitter))
    assert state(hass, AGE) == "0.0"
