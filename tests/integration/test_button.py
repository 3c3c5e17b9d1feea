"""The "Refresh now" button: registry entry, a refresh per press, translated failures."""

from collections.abc import Iterator
from unittest.mock import patch

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

from custom_components.ring_auth.const import DOMAIN
from ring_emulator import Fault, RingEmulator
from tests.conftest import EMAIL

from .helpers import SnapshotExtension, reauth_flows, refreshes, setup_entry

pytestmark = pytest.mark.usefixtures("fast_manager")

BUTTON = "button.ring_demo_user_refresh_now"
CONSECUTIVE = "sensor.ring_demo_user_consecutive_refresh_failures"
FAILURES = "sensor.ring_demo_user_refresh_failures"


@pytest.fixture
def snapshot(snapshot: SnapshotAssertion) -> SnapshotAssertion:
    """Store the snapshots in snapshots/ (Home Assistant's layout)."""
    return snapshot.use_extension(SnapshotExtension)


@pytest.fixture
def button_only() -> Iterator[None]:
    """Set up the button platform alone."""
    with patch("custom_components.ring_auth.PLATFORMS", [Platform.BUTTON]):
        yield


async def press(hass: HomeAssistant) -> None:
    """Press "Refresh now"."""
    await hass.services.async_call(
        "button", "press", {"entity_id": BUTTON}, blocking=True
    )


@pytest.mark.usefixtures("button_only")
async def test_snapshot(
    hass: HomeAssistant,
    emulator: RingEmulator,
    fixed_config_entry: MockConfigEntry,
    entity_registry: er.EntityRegistry,
    snapshot: SnapshotAssertion,
) -> None:
    """One diagnostic button per account."""
    await setup_entry(hass, fixed_config_entry)

    await snapshot_platform(
        hass, entity_registry, snapshot, fixed_config_entry.entry_id
    )


async def test_press_refreshes(
    hass: HomeAssistant, emulator: RingEmulator, config_entry: MockConfigEntry
) -> None:
    """Each press renews the token once, even with a valid access token."""
    await setup_entry(hass, config_entry)
    old = dict(config_entry.data["token"])

    await press(hass)

    assert refreshes(emulator) == 1
    assert config_entry.data["token"]["refresh_token"] != old["refresh_token"]

    await press(hass)
    assert refreshes(emulator) == 2
    assert emulator.counters.refresh_reuse == 0


async def test_press_failure_is_translated(
    hass: HomeAssistant, emulator: RingEmulator, config_entry: MockConfigEntry
) -> None:
    """A failed press raises a translated error and counts the failure; the login is kept."""
    await setup_entry(hass, config_entry)
    token = dict(config_entry.data["token"])
    emulator.inject(Fault.SERVER_ERROR, where="token")

    with pytest.raises(HomeAssistantError) as err:
        await press(hass)

    assert err.value.translation_domain == DOMAIN
    assert err.value.translation_key == "refresh_server_error"
    # The first wait: 30 s, plus up to 10 % jitter.
    assert 30 <= int(err.value.translation_placeholders["seconds"]) <= 33
    assert str(err.value).startswith(
        "The Ring login could not be renewed: Ring's servers answered with an error."
    )
    assert hass.states.get(CONSECUTIVE).state == "1"
    assert hass.states.get(FAILURES).state == "1"
    assert config_entry.data["token"] == token

    # Pressed again during the backoff: Ring is not called, nothing more is counted.
    with pytest.raises(HomeAssistantError) as err:
        await press(hass)

    assert err.value.translation_key == "refresh_server_error"
    assert refreshes(emulator) == 1
    assert hass.states.get(FAILURES).state == "1"
    assert not reauth_flows(hass)


async def test_press_with_a_lost_login(
    hass: HomeAssistant, emulator: RingEmulator, config_entry: MockConfigEntry
) -> None:
    """A press on a refused login asks for a new login once; later presses do not call Ring."""
    await setup_entry(hass, config_entry)
    emulator.revoke(EMAIL)

    with pytest.raises(HomeAssistantError) as err:
        await press(hass)
    await hass.async_block_till_done()

    assert err.value.translation_key == "login_lost_rejected"
    assert "Log in again" in str(err.value)
    assert len(reauth_flows(hass)) == 1

    with pytest.raises(HomeAssistantError) as err:
        await press(hass)
    await hass.async_block_till_done()

    assert err.value.translation_key == "login_lost_rejected"
    assert refreshes(emulator) == 1
    assert len(reauth_flows(hass)) == 1
    assert hass.states.get(FAILURES).state == "1"
