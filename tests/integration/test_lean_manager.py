"""What the token manager's memory savings must not change (``make bench`` row 5).

Each account no longer keeps a timer, a store, a lock or a policy of its own: the accounts'
wake-ups share one Home Assistant timer, the journal builds its store per use, the refresher's
lock exists only while a refresh runs, and equal policies are one object. These tests pin
what a user would notice if any of that went wrong.
"""

import asyncio
import random
import time
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.const import EVENT_HOMEASSISTANT_FINAL_WRITE
from homeassistant.core import CoreState, HomeAssistant
from homeassistant.util.async_ import get_scheduled_timer_handles
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.ring_auth.const import DOMAIN
from custom_components.ring_auth.failures import RefreshWaitingError
from custom_components.ring_auth.health import FailureKind, LostReason, TokenHealth
from custom_components.ring_auth.journal import TokenJournal
from custom_components.ring_auth.policy import RefreshPolicy
from custom_components.ring_auth.token_manager import async_lost_reason
from ring_emulator import Fault, RingEmulator
from tests.conftest import EMAIL

from .conftest import HW, ManagerFactory, stored_token
from .helpers import refreshes, tick

HOUR = 3600.0
# Under the test clock a shared wake-up has run a plan 0.125 s before its time (1 run in 24;
# the cause is not pinned down). Accounts are hours apart, so a minute still tells them apart.
EARLY = 60.0


def live_timers(hass: HomeAssistant) -> int:
    """Return how many timers the event loop has planned."""
    return sum(not h.cancelled() for h in get_scheduled_timer_handles(hass.loop))


def add_entry(
    hass: HomeAssistant, emulator: RingEmulator, received_at: float
) -> MockConfigEntry:
    """Add one more account's entry, its token received at `received_at`."""
    entry = MockConfigEntry(
        domain=DOMAIN,
        title=EMAIL,
        data={
            "email": EMAIL,
            "hardware_id": HW,
            "auth_type": "consumer",
            "token": stored_token(emulator.issue_tokens(EMAIL), received_at),
        },
    )
    entry.add_to_hass(hass)
    return entry


async def test_accounts_keep_their_own_refresh_times_on_one_timer(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    emulator: RingEmulator,
    make_manager: ManagerFactory,
) -> None:
    """Nothing visible: each account renews at its own time; an unloaded one stops alone."""
    before = live_timers(hass)
    now = time.time()
    # Tokens 0, 8 and 16 h old: background refreshes due in about 24, 16 and 8 h.
    entries = [add_entry(hass, emulator, now - age * HOUR) for age in (0, 8, 16)]
    managers = [await make_manager(entry) for entry in entries]
    due = [m.health.next_refresh_attempt for m in managers]
    assert None not in due
    assert live_timers(hass) == before + 1  # one timer for the three plans

    managers[1].async_shutdown()  # the middle one unloads before its time
    renewed: dict[int, float] = {}
    for _ in range(27 * 6):  # 27 h, ten minutes at a time
        await tick(hass, freezer, 600)
        for i, manager in enumerate(managers):
            if manager.health.refresh_count and i not in renewed:
                renewed[i] = time.time()

    assert set(renewed) == {0, 2}
    for i in (0, 2):
        planned = due[i]
        assert planned is not None
        assert (
            -EARLY <= renewed[i] - planned.timestamp() <= 600
        )  # at its time, not another's
    assert refreshes(emulator) == 2
    for manager in managers:
        manager.async_shutdown()
    # The stand-in's aiohttp server keeps a timer per idle keep-alive connection, fired by
    # the ticks only by chance: stopping it leaves the integration's timers alone counted.
    await emulator.stop()
    assert live_timers(hass) == before  # the last plan takes the timer with it


async def test_one_account_replanning_does_not_delay_another(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    emulator: RingEmulator,
    make_manager: ManagerFactory,
) -> None:
    """Nothing visible: a refresh of one account (which plans its next) leaves the other's time."""
    now = time.time()
    early = await make_manager(add_entry(hass, emulator, now - 20 * HOUR))
    late = await make_manager(add_entry(hass, emulator, now - 10 * HOUR))
    late_due = late.health.next_refresh_attempt
    assert late_due is not None

    # `late` is due in 14 h +- 2.4 h (jitter); `early`, forced now, in 24 h +- 2.4 h.
    await early.async_force_refresh()  # replans `early` a day ahead, after `late`
    for _ in range(17 * 6):
        await tick(hass, freezer, 600)

    assert late.health.refresh_count == 1
    assert late.health.last_refresh is not None
    assert -EARLY <= late.health.last_refresh.timestamp() - late_due.timestamp() <= 600


async def test_a_wake_up_just_before_the_backoff_ends_waits_out_the_rest(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    emulator: RingEmulator,
    make_manager: ManagerFactory,
) -> None:
    """Nothing visible: a retry woken a moment early sends nothing, then comes at its time."""
    manager = await make_manager()
    emulator.inject(Fault.SERVER_ERROR, where="token")
    with pytest.raises(RefreshWaitingError):
        await manager.async_force_refresh()
    retry = manager.health.next_refresh_attempt
    assert retry is not None
    assert refreshes(emulator) == 1

    # Time-changed events fire timers due within half a second: this wakes the retry early.
    await tick(hass, freezer, retry.timestamp() - time.time() - 0.3)
    assert refreshes(emulator) == 1  # nothing sent while Ring's wait is not over
    assert manager.health.next_refresh_attempt == retry  # the same retry, planned again

    await tick(hass, freezer, 0.4)
    assert refreshes(emulator) == 2
    assert manager.health.consecutive_failures == 0


async def test_writes_while_home_assistant_stops_keep_the_newest(
    hass: HomeAssistant,
    hass_storage: dict[str, Any],
    config_entry: MockConfigEntry,
) -> None:
    """Nothing lost: while HA stops, the final write saves the last record, and readers see it first."""
    token = config_entry.data["token"]
    key = f"{DOMAIN}.{config_entry.entry_id}"
    await TokenJournal(hass, config_entry.entry_id).async_write(token, TokenHealth())
    hass.set_state(CoreState.stopping)
    try:
        failing = TokenHealth()
        failing.record_failure(FailureKind.SERVER_ERROR, time.time())
        newer = {**token, "generation": 7}
        # A journal per write, as the manager builds them.
        await TokenJournal(hass, config_entry.entry_id).async_write(
            newer, failing, in_flight=True
        )
        lost = TokenHealth()
        lost.login_lost_reason = LostReason.REJECTED
        await TokenJournal(hass, config_entry.entry_id).async_write(newer, lost)

        assert "generation" not in hass_storage[key]["data"]["token"]  # not yet written
        assert await async_lost_reason(hass, config_entry) is LostReason.REJECTED

        hass.bus.async_fire(EVENT_HOMEASSISTANT_FINAL_WRITE)
        await hass.async_block_till_done()
    finally:
        hass.set_state(CoreState.running)

    record = hass_storage[key]["data"]
    assert record["token"]["generation"] == 7
    assert record["in_flight"] is False
    assert record["health"]["login_lost_reason"] == LostReason.REJECTED


async def test_concurrent_callers_after_idle_share_one_refresh_again(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    emulator: RingEmulator,
    make_manager: ManagerFactory,
) -> None:
    """Nothing visible: the refresh lock comes back for every new burst of callers."""
    manager = await make_manager()
    for burst in (1, 2):
        await tick(hass, freezer, 2 * HOUR)  # the access token has expired
        tokens = await asyncio.gather(
            *(manager.refresher.async_get_access_token() for _ in range(20))
        )
        assert len(set(tokens)) == 1
        assert refreshes(emulator) == burst


def test_equal_policies_are_one_object() -> None:
    """Memory only: accounts with the same options share one policy; a seeded one stays apart."""
    assert RefreshPolicy().shared() is RefreshPolicy().shared()
    assert RefreshPolicy(margin=600).shared() is not RefreshPolicy().shared()
    assert RefreshPolicy(margin=600).shared() == RefreshPolicy(margin=600)
    seeded = RefreshPolicy(rng=random.Random(1))  # noqa: S311 - jitter only
    assert seeded.shared() is seeded
