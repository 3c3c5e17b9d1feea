"""Set-up, unload and removal of an entry, and the background refresh, against the emulator."""

from datetime import timedelta
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import HomeAssistant
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.ring_auth.const import DOMAIN
from custom_components.ring_auth.health import FailureKind
from custom_components.ring_auth.ringclient import RingAuthError
from ring_emulator import Fault, RingEmulator
from tests.conftest import ACCOUNT_ID, EMAIL

from .conftest import HW, stored_token
from .helpers import POLICY, reauth_flows, refreshes, setup_entry, tick

pytestmark = pytest.mark.usefixtures("fast_manager")

DAY = timedelta(hours=24)


def expire_access_token(
    hass: HomeAssistant, entry: MockConfigEntry, emulator: RingEmulator
) -> None:
    """Make the stored access token two hours old (past its one-hour life, at Ring too)."""
    emulator.clock.advance(7200)
    token = entry.data["token"]
    hass.config_entries.async_update_entry(
        entry,
        data={**entry.data, "token": stored_token(token, token["received_at"] - 7200)},
    )


async def test_setup_loads(
    hass: HomeAssistant, emulator: RingEmulator, config_entry: MockConfigEntry
) -> None:
    """A valid token sets the entry up: profile read, no refresh, entities added."""
    await setup_entry(hass, config_entry)

    assert config_entry.state is ConfigEntryState.LOADED
    data = config_entry.runtime_data
    assert data.profile["id"] == ACCOUNT_ID
    assert refreshes(emulator) == 0
    assert emulator.counters.authorized_devices[EMAIL] == [HW]
    assert hass.states.get("button.ring_demo_user_refresh_now") is not None
    assert not reauth_flows(hass)


@pytest.mark.parametrize(
    ("fault", "where", "count", "expire"),
    [
        (Fault.SERVER_ERROR, "api", 1, False),
        (Fault.RESET, "api", 1, False),
        (Fault.SERVER_ERROR, "token", 1, True),
        (Fault.RESET, "token", 3, True),
        (Fault.RATE_LIMIT, "token", 1, True),
    ],
)
async def test_outage_at_setup_retries(
    hass: HomeAssistant,
    emulator: RingEmulator,
    config_entry: MockConfigEntry,
    fault: Fault,
    where: str,
    count: int,
    expire: bool,
) -> None:
    """Ring down at start-up: set-up is retried later, the login is kept, no reauth."""
    if expire:
        expire_access_token(hass, config_entry, emulator)
    token = dict(config_entry.data["token"])
    emulator.inject(fault, count=count, where=where)

    await setup_entry(hass, config_entry)

    assert config_entry.state is ConfigEntryState.SETUP_RETRY
    assert not reauth_flows(hass)
    assert config_entry.data["token"] == token
    assert emulator.faults.pending() == []


async def test_setup_retry_recovers(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    emulator: RingEmulator,
    config_entry: MockConfigEntry,
) -> None:
    """After an outage at start-up, the retry (past the backoff) loads the entry."""
    expire_access_token(hass, config_entry, emulator)
    emulator.inject(Fault.SERVER_ERROR, where="token")
    await setup_entry(hass, config_entry)
    assert config_entry.state is ConfigEntryState.SETUP_RETRY

    await tick(hass, freezer, POLICY.first * 2)

    assert config_entry.state is ConfigEntryState.LOADED
    assert refreshes(emulator) == 2
    health = config_entry.runtime_data.manager.health
    # The failure before the retry was counted by the manager of the failed set-up.
    assert health.consecutive_failures == 0
    assert health.refresh_count == 1


async def test_revoked_login_at_setup_asks_for_reauth_once(
    hass: HomeAssistant, emulator: RingEmulator, config_entry: MockConfigEntry
) -> None:
    """Ring refused the stored login: set-up fails and exactly one reauth flow starts."""
    expire_access_token(hass, config_entry, emulator)
    emulator.revoke(EMAIL)

    await setup_entry(hass, config_entry)

    assert config_entry.state is ConfigEntryState.SETUP_ERROR
    assert len(reauth_flows(hass)) == 1
    assert reauth_flows(hass)[0]["context"]["entry_id"] == config_entry.entry_id
    assert refreshes(emulator) == 1


async def test_unload_and_remove(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    emulator: RingEmulator,
    config_entry: MockConfigEntry,
    hass_storage: dict[str, Any],
) -> None:
    """Unload stops every timer (verify_cleanup checks); removal deletes the journal."""
    key = f"{DOMAIN}.{config_entry.entry_id}"
    await setup_entry(hass, config_entry)
    assert hass_storage[key]["data"]["token"] == config_entry.data["token"]
    assert config_entry.runtime_data.manager.health.next_refresh_attempt is not None

    assert await hass.config_entries.async_unload(config_entry.entry_id)
    await hass.async_block_till_done()

    assert config_entry.state is ConfigEntryState.NOT_LOADED
    # No background refresh once unloaded, however long Home Assistant keeps running.
    await tick(hass, freezer, 3 * DAY)
    assert refreshes(emulator) == 0
    assert key in hass_storage  # kept while the entry exists

    await hass.config_entries.async_remove(config_entry.entry_id)
    await hass.async_block_till_done()

    assert key not in hass_storage
    assert not hass.config_entries.async_entries(DOMAIN)


async def test_background_refresh_about_daily(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    emulator: RingEmulator,
    config_entry: MockConfigEntry,
) -> None:
    """With nothing else using the login, it is renewed about once a day (within ±10 %)."""
    await setup_entry(hass, config_entry)
    manager = config_entry.runtime_data.manager
    issued = dt_util.utc_from_timestamp(config_entry.data["token"]["received_at"])
    planned = manager.health.next_refresh_attempt
    assert planned is not None
    assert issued + 0.9 * DAY <= planned <= issued + 1.1 * DAY

    await tick(hass, freezer, 0.9 * DAY - timedelta(minutes=1))
    assert refreshes(emulator) == 0

    await tick(hass, freezer, 0.2 * DAY + timedelta(minutes=2))
    assert refreshes(emulator) == 1
    first = config_entry.data["token"]["refresh_token"]

    await tick(hass, freezer, 1.1 * DAY)
    assert refreshes(emulator) == 2
    assert config_entry.data["token"]["refresh_token"] != first
    assert manager.health.refresh_count == 2
    assert emulator.counters.refresh_reuse == 0


async def test_background_failures_counted_then_recovered(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    emulator: RingEmulator,
    config_entry: MockConfigEntry,
) -> None:
    """Background failures are counted across ticks with a growing wait, then recover."""
    await setup_entry(hass, config_entry)
    manager = config_entry.runtime_data.manager
    emulator.inject(Fault.SERVER_ERROR, count=3, where="token")

    await tick(hass, freezer, 1.1 * DAY + timedelta(seconds=1))
    assert manager.health.consecutive_failures == 1
    assert manager.health.last_failure_kind is FailureKind.SERVER_ERROR

    # Before the 30 s backoff ends nothing is tried; the waits double (+ up to 10 %).
    await tick(hass, freezer, POLICY.first - 5)
    assert refreshes(emulator) == 1
    await tick(hass, freezer, POLICY.first * 0.1 + 6)
    assert refreshes(emulator) == 2
    assert manager.health.consecutive_failures == 2

    await tick(hass, freezer, POLICY.first * 2 * 1.1 + 1)
    assert refreshes(emulator) == 3
    assert manager.health.consecutive_failures == 3
    assert manager.health.total_failures == 3

    await tick(hass, freezer, POLICY.first * 4 * 1.1 + 1)
    assert refreshes(emulator) == 4
    assert manager.health.consecutive_failures == 0
    assert manager.health.total_failures == 3
    assert manager.health.refresh_count == 1
    assert config_entry.state is ConfigEntryState.LOADED
    assert not reauth_flows(hass)


async def test_lost_login_is_remembered_across_a_restart(
    hass: HomeAssistant, emulator: RingEmulator, config_entry: MockConfigEntry
) -> None:
    """A login lost before a restart asks again at once: one reauth prompt, no call to Ring.

    The access token may still be valid (the refresh token died, not the access token), so
    a set-up that only tried the API would load and leave the user without a prompt.
    """
    await setup_entry(hass, config_entry)
    emulator.revoke(EMAIL)
    with pytest.raises(RingAuthError):
        await config_entry.runtime_data.manager.async_force_refresh()
    assert len(reauth_flows(hass)) == 1
    for flow in reauth_flows(hass):
        hass.config_entries.flow.async_abort(flow["flow_id"])
    await hass.config_entries.async_unload(config_entry.entry_id)
    calls = sum(emulator.counters.token_calls.values()) + emulator.counters.api_calls

    assert not await hass.config_entries.async_setup(config_entry.entry_id)
    await hass.async_block_till_done()

    assert config_entry.state is ConfigEntryState.SETUP_ERROR
    assert len(reauth_flows(hass)) == 1
    assert (
        sum(emulator.counters.token_calls.values()) + emulator.counters.api_calls
        == calls
    )
