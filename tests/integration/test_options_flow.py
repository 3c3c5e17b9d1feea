"""The device poll interval option: 30 to 300 seconds, applied with the reload."""

from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.ring_auth.const import (
    CONF_POLL_INTERVAL,
    CONF_REFRESH_INTERVAL,
    CONF_REFRESH_MARGIN,
)
from ring_emulator import RingEmulator

from .device_helpers import RING_DEVICES, calls
from .helpers import setup_entry, tick


async def test_poll_interval_applies(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    emulator: RingEmulator,
    device_entry: MockConfigEntry,
) -> None:
    """Polled every 2 minutes once the option says 120 s."""
    await setup_entry(hass, device_entry)
    result = await hass.config_entries.options.async_init(device_entry.entry_id)
    defaults = {
        key.schema: key.default()
        for key in result["data_schema"].schema
        if key != "advanced"  # the folded section: the sign-in method (test_signin.py)
    }
    assert defaults[CONF_POLL_INTERVAL] == 60

    result = await hass.config_entries.options.async_configure(
        result["flow_id"],
        {CONF_REFRESH_INTERVAL: 24, CONF_REFRESH_MARGIN: 5, CONF_POLL_INTERVAL: 120.0},
    )
    await hass.async_block_till_done()

    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert device_entry.options[CONF_POLL_INTERVAL] == 120
    asked = calls(emulator, RING_DEVICES)
    await tick(hass, freezer, 61)
    assert calls(emulator, RING_DEVICES) == asked
    await tick(hass, freezer, 60)
    assert calls(emulator, RING_DEVICES) == asked + 1


@pytest.mark.parametrize("seconds", [29, 301, 0])
async def test_poll_interval_out_of_range(
    hass: HomeAssistant,
    emulator: RingEmulator,
    device_entry: MockConfigEntry,
    seconds: int,
) -> None:
    """Outside 30..300 s the field says so, with its range; nothing is saved."""
    await setup_entry(hass, device_entry)
    result = await hass.config_entries.options.async_init(device_entry.entry_id)

    result = await hass.config_entries.options.async_configure(
        result["flow_id"],
        {
            CONF_REFRESH_INTERVAL: 24,
            CONF_REFRESH_MARGIN: 5,
            CONF_POLL_INTERVAL: seconds,
        },
    )

    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {CONF_POLL_INTERVAL: "poll_interval_seconds_range"}
    assert result["description_placeholders"]["poll_interval_seconds_min"] == "30"
    assert result["description_placeholders"]["poll_interval_seconds_max"] == "300"
    assert device_entry.options == {}
