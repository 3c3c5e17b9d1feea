"""The token manager against the emulator: every way Ring can fail, and what the user sees.

Each test's docstring starts with the outcome a user would see. Managers are built as set-up
builds them (public constructor, timings passed as a ``RefreshPolicy``); nothing private is
touched.
"""

import asyncio
from datetime import timedelta
import time
from typing import Any

import aiohttp
from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant, callback
from homeassistant.exceptions import ConfigEntryAuthFailed, ConfigEntryNotReady
from homeassistant.helpers.aiohttp_client import async_get_clientsession
from homeassistant.helpers.dispatcher import async_dispatcher_connect
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.ring_auth.const import DOMAIN
from custom_components.ring_auth.failures import LoginLostError, RefreshWaitingError
from custom_components.ring_auth.health import FailureKind, LostReason
from custom_components.ring_auth.journal import TokenJournal
from custom_components.ring_auth.policy import RefreshPolicy
from custom_components.ring_auth.ringclient import (
    PartnerCredentials,
    RingApi,
    RingApiError,
    RingAuthClient,
    RingError,
    RingInvalidGrantError,
)
from custom_components.ring_auth.token_manager import async_store_login
from ring_emulator import Fault, RingEmulator
from tests.conftest import EMAIL

from .conftest import HW, ManagerFactory, stored_token
from .helpers import POLICY, reauth_flows, refreshes, tick

LIFETIME = 3600
MARGIN = LIFETIME / 60  # the share of a 1 h token's life it is renewed before its end
# Lost answers resent at once: sleeps under a frozen clock end only when a test ticks.
AT_ONCE = RefreshPolicy(lost_response_retries=(0.0, 0.0))


def journal(hass_storage: dict[str, Any], entry: MockConfigEntry) -> dict[str, Any]:
    """Return the entry's write-ahead journal as stored."""
    return hass_storage[f"{DOMAIN}.{entry.entry_id}"]["data"]


def age_token(hass: HomeAssistant, entry: MockConfigEntry, seconds: float) -> None:
    """Pretend the stored token arrived `seconds` ago (so it may be inside the margin)."""
    token = entry.data["token"]
    hass.config_entries.async_update_entry(
        entry,
        data={
            **entry.data,
            "token": stored_token(token, token["received_at"] - seconds),
        },
    )


def api_of(hass: HomeAssistant, manager: Any) -> RingApi:
    """Return the API client as set-up builds it, on the manager's refresher."""
    return RingApi(async_get_clientsession(hass), manager.refresher, HW)


# -- proactive, shared and reactive refresh ---------------------------------------------


async def test_proactive_refresh_inside_margin(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    emulator: RingEmulator,
    config_entry: MockConfigEntry,
    make_manager: ManagerFactory,
    hass_storage: dict[str, Any],
) -> None:
    """Recovered silently: the token is renewed a minute before it ends, journal first."""
    manager = await make_manager()
    old = dict(config_entry.data["token"])

    freezer.tick(LIFETIME - MARGIN - 5)
    assert await manager.refresher.async_get_access_token() == old["access_token"]
    assert refreshes(emulator) == 0

    freezer.tick(10)
    access = await manager.refresher.async_get_access_token()

    new = config_entry.data["token"]
    assert refreshes(emulator) == 1
    assert access == new["access_token"] != old["access_token"]
    assert new["refresh_token"] != old["refresh_token"]
    assert new["expires_at"] == pytest.approx(time.time() + LIFETIME)
    record = journal(hass_storage, config_entry)
    assert record["token"]["refresh_token"] == new["refresh_token"]
    assert record["token"]["generation"] == new["generation"] == 1
    assert record["in_flight"] is False
    assert manager.refresher.fresh()
    assert not manager.refresher.expired()


@pytest.mark.parametrize(
    ("lifetime", "option", "margin"),
    [
        (3600, 300, 60),
        (14_400, 300, 240),
        (86_400, 300, 300),
        (3600, 30, 30),
        (60, 300, 10),
    ],
)
async def test_margin_is_a_share_of_the_token_life(
    hass: HomeAssistant,
    emulator: RingEmulator,
    config_entry: MockConfigEntry,
    make_manager: ManagerFactory,
    lifetime: int,
    option: float,
    margin: float,
) -> None:
    """A used account costs one token call per access-token life: the margin is a 60th of it."""
    token = stored_token({**config_entry.data["token"], "expires_in": lifetime})
    hass.config_entries.async_update_entry(
        config_entry, data={**config_entry.data, "token": token}
    )
    manager = await make_manager(policy=RefreshPolicy(margin=option))

    assert manager.refresher.margin == margin


async def test_hundred_concurrent_callers_share_one_refresh(
    hass: HomeAssistant,
    emulator: RingEmulator,
    config_entry: MockConfigEntry,
    make_manager: ManagerFactory,
) -> None:
    """Recovered silently: 100 callers on an expired token cause exactly one token call."""
    age_token(hass, config_entry, LIFETIME + 10)
    manager = await make_manager()

    tokens = await asyncio.gather(
        *(manager.refresher.async_get_access_token() for _ in range(100))
    )

    assert set(tokens) == {config_entry.data["token"]["access_token"]}
    assert refreshes(emulator) == 1
    assert emulator.counters.refresh_reuse == 0
    assert manager.health.refresh_count == 1


async def test_401_refreshes_once_and_retries(
    hass: HomeAssistant,
    emulator: RingEmulator,
    config_entry: MockConfigEntry,
    make_manager: ManagerFactory,
) -> None:
    """Recovered silently: Ring rejects a token we think valid; one refresh, the calls succeed."""
    age_token(hass, config_entry, 3000)  # 10 minutes left by our clock
    manager = await make_manager()
    api = api_of(hass, manager)
    await api.async_get_profile()  # the API session, as set-up opens it
    emulator.clock.advance(LIFETIME + 1)  # ...but Ring already dropped the token

    results = await asyncio.gather(*(api.async_get_devices() for _ in range(10)))

    assert all(r["doorbots"] for r in results)
    assert refreshes(emulator) == 1
    assert emulator.counters.unauthorized == 10
    assert emulator.counters.api_calls == 1 + 20
    assert manager.health.refresh_count == 1


async def test_401_on_a_fresh_token_refreshes_once_never_a_storm(
    hass: HomeAssistant,
    emulator: RingEmulator,
    make_manager: ManagerFactory,
) -> None:
    """An error that names Ring's refusal, never a refresh storm: a rejected new token is not re-refreshed."""
    manager = await make_manager()
    api = api_of(hass, manager)
    # Ring rejects every access token it issues, and the entry's has run out at Ring.
    emulator.settings.access_token_lifetime = 0
    emulator.clock.advance(LIFETIME + 1)

    with pytest.raises(RingApiError) as err:
        await api.async_get_devices()
    assert err.value.status == 401
    assert refreshes(emulator) == 1  # one refresh: the question to Ring

    with pytest.raises(RingApiError):
        await api.async_get_devices()
    assert refreshes(emulator) == 1  # not again within 30 s
    translated = manager.ha_error(err.value, ConfigEntryNotReady)
    assert translated.translation_key == "request_unauthorized"


# -- lost responses --------------------------------------------------------------------------


async def test_lost_response_inside_grace_recovers(
    hass: HomeAssistant,
    emulator: RingEmulator,
    config_entry: MockConfigEntry,
    make_manager: ManagerFactory,
) -> None:
    """Recovered silently: the answer to a rotation was lost; the same token, resent, works."""
    age_token(hass, config_entry, LIFETIME + 10)
    manager = await make_manager(policy=AT_ONCE)
    old = config_entry.data["token"]["refresh_token"]
    emulator.inject(Fault.RESET_AFTER_ROTATE, where="token")

    access = await manager.refresher.async_get_access_token()

    assert access == config_entry.data["token"]["access_token"]
    assert config_entry.data["token"]["refresh_token"] != old
    assert refreshes(emulator) == 2
    assert emulator.counters.refresh_reuse == 1
    assert manager.health.consecutive_failures == 0
    assert manager.health.login_lost is False
    await manager.async_force_refresh()  # the recovered token is live
    assert refreshes(emulator) == 3
    await hass.async_block_till_done()
    assert reauth_flows(hass) == []


async def test_lost_answers_are_resent_after_the_policy_delays(
    hass: HomeAssistant,
    emulator: RingEmulator,
    config_entry: MockConfigEntry,
    make_manager: ManagerFactory,
) -> None:
    """Recovered silently, and Ring is not hammered: lost answers are resent after a pause.

    (Real time; only lower bounds are checked, which a slow machine cannot break.)
    """
    sent: list[float] = []

    async def on_start(_s: Any, _ctx: Any, _params: Any) -> None:
        sent.append(time.monotonic())

    trace = aiohttp.TraceConfig()
    trace.on_request_start.append(on_start)
    age_token(hass, config_entry, LIFETIME + 10)
    emulator.inject(Fault.RESET, count=2, where="token")
    async with aiohttp.ClientSession(trace_configs=[trace]) as session:
        manager = await make_manager(
            client=RingAuthClient(session, HW),
            policy=RefreshPolicy(lost_response_retries=(0.2, 0.4)),
        )

        access = await manager.refresher.async_get_access_token()

    assert access == config_entry.data["token"]["access_token"]
    assert refreshes(emulator) == len(sent) == 3
    assert sent[1] - sent[0] >= 0.2
    assert sent[2] - sent[1] >= 0.4
    assert manager.health.refresh_count == 1


async def test_lost_response_without_grace_asks_for_login_once(
    hass: HomeAssistant,
    emulator: RingEmulator,
    config_entry: MockConfigEntry,
    make_manager: ManagerFactory,
) -> None:
    """One reauth prompt, reason lost_response: Ring rotated, the answer was lost, grace is 0."""
    emulator.settings.grace = 0
    age_token(hass, config_entry, LIFETIME + 10)
    manager = await make_manager(policy=AT_ONCE)
    emulator.inject(Fault.RESET_AFTER_ROTATE, where="token")

    for _ in range(4):
        with pytest.raises(LoginLostError):
            await manager.refresher.async_get_access_token()
    await hass.async_block_till_done()

    assert refreshes(emulator) == 2  # the lost one and one retry, then nothing
    assert manager.health.login_lost_reason is LostReason.LOST_RESPONSE
    assert manager.health.last_failure_kind is FailureKind.LOGIN_LOST
    assert manager.health.next_refresh_attempt is None
    flows = reauth_flows(hass)
    assert len(flows) == 1
    assert flows[0]["context"]["entry_id"] == config_entry.entry_id
    assert flows[0]["step_id"] == "reauth_lost_response"


async def test_hang_once_is_retried_with_the_same_token(
    hass: HomeAssistant,
    emulator: RingEmulator,
    config_entry: MockConfigEntry,
    make_manager: ManagerFactory,
) -> None:
    """Recovered silently: a hung refresh is given up on and resent."""
    age_token(hass, config_entry, LIFETIME + 10)
    manager = await make_manager(client_timeout=0.2, policy=AT_ONCE)
    emulator.inject(Fault.HANG, where="token")

    await manager.refresher.async_get_access_token()

    assert refreshes(emulator) == 2
    assert manager.health.refresh_count == 1
    assert manager.health.total_failures == 0


async def test_hangs_are_lost_responses_then_transient(
    hass: HomeAssistant,
    emulator: RingEmulator,
    config_entry: MockConfigEntry,
    make_manager: ManagerFactory,
) -> None:
    """Not ready, retried later, no reauth: Ring hangs on every try; a long outage costs one call a try.

    (Real time: a frozen clock would stop the client's timeout. The user's "Refresh now"
    may probe the backoff at any time here.)
    """
    age_token(hass, config_entry, LIFETIME + 10)
    before = dict(config_entry.data["token"])
    policy = RefreshPolicy(probe_spacing=0.0, lost_response_retries=(0.0, 0.0))
    manager = await make_manager(client_timeout=0.2, policy=policy)
    emulator.inject(Fault.HANG, count=3, where="token")

    with pytest.raises(RefreshWaitingError):
        await manager.async_force_refresh()
    await hass.async_block_till_done()

    assert refreshes(emulator) == 3  # first try and both quick retries
    assert config_entry.data["token"] == before
    assert manager.health.last_failure_kind is FailureKind.TIMEOUT
    assert manager.health.login_lost is False
    assert reauth_flows(hass) == []

    # A long outage: the next try sends once; no quick retries again.
    emulator.inject(Fault.HANG, count=3, where="token")
    with pytest.raises(RefreshWaitingError):
        await manager.async_force_refresh()
    assert refreshes(emulator) == 4
    assert manager.health.consecutive_failures == 2
    emulator.faults.clear()

    # Ring answers again: the same (never rotated) refresh token still works.
    await manager.async_force_refresh()
    assert refreshes(emulator) == 5
    assert config_entry.data["token"]["refresh_token"] != before["refresh_token"]
    assert reauth_flows(hass) == []


@pytest.mark.parametrize(
    ("fault", "kind"),
    [
        (Fault.HTML, FailureKind.MALFORMED_RESPONSE),
        (Fault.TRUNCATED_JSON, FailureKind.MALFORMED_RESPONSE),
        (Fault.NO_TOKEN, FailureKind.MALFORMED_RESPONSE),
        (Fault.RESET, FailureKind.CONNECTION),
    ],
)
async def test_junk_and_resets_are_retried_then_transient(
    hass: HomeAssistant,
    emulator: RingEmulator,
    config_entry: MockConfigEntry,
    make_manager: ManagerFactory,
    fault: Fault,
    kind: FailureKind,
) -> None:
    """Not ready, no reauth, stored login kept: Ring keeps answering junk or dropping the line."""
    age_token(hass, config_entry, LIFETIME + 10)
    before = dict(config_entry.data["token"])
    manager = await make_manager(policy=AT_ONCE)
    emulator.inject(fault, count=3, where="token")

    with pytest.raises(RefreshWaitingError) as err:
        await manager.async_force_refresh()
    await hass.async_block_till_done()

    assert refreshes(emulator) == 3
    assert config_entry.data["token"] == before
    assert manager.health.last_failure_kind is kind
    assert manager.health.login_lost is False
    assert reauth_flows(hass) == []
    translated = manager.ha_error(err.value, ConfigEntryNotReady)
    assert translated.translation_key == f"refresh_{kind}"
    assert 30 <= int(translated.translation_placeholders["seconds"]) <= 33


@pytest.mark.parametrize(
    "fault", [Fault.HTML, Fault.TRUNCATED_JSON, Fault.NO_TOKEN, Fault.RESET]
)
async def test_one_bad_answer_is_retried(
    hass: HomeAssistant,
    emulator: RingEmulator,
    config_entry: MockConfigEntry,
    make_manager: ManagerFactory,
    fault: Fault,
) -> None:
    """Recovered silently: one junk answer or dropped line, then a good answer."""
    age_token(hass, config_entry, LIFETIME + 10)
    manager = await make_manager(policy=AT_ONCE)
    emulator.inject(fault, where="token")

    await manager.refresher.async_get_access_token()

    assert refreshes(emulator) == 2
    assert manager.health.refresh_count == 1


# -- outages, rate limits and backoff ---------------------------------------------------------


async def test_server_errors_back_off_and_recover_in_background(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    emulator: RingEmulator,
    config_entry: MockConfigEntry,
    make_manager: ManagerFactory,
) -> None:
    """Not ready for a while, then recovered silently in the background; no reauth."""
    manager = await make_manager(policy=AT_ONCE)
    freezer.tick(LIFETIME + 10)
    before = dict(config_entry.data["token"])
    emulator.inject(Fault.SERVER_ERROR, count=3, where="token")

    with pytest.raises(RefreshWaitingError):
        await manager.async_force_refresh()
    assert refreshes(emulator) == 1
    assert config_entry.data["token"] == before
    assert manager.health.last_failure_kind is FailureKind.SERVER_ERROR

    # Right away again: the manager rate-limits itself (callers get the expired token and
    # Ring's answer decides; the user's button waits too).
    assert await manager.refresher.async_get_access_token() == before["access_token"]
    with pytest.raises(RefreshWaitingError):
        await manager.async_force_refresh()
    assert refreshes(emulator) == 1

    # Background retries after 30 s, 60 s, 120 s (plus jitter): two more 503s, then success.
    for attempt, backoff in enumerate(
        (POLICY.first, 2 * POLICY.first, 4 * POLICY.first)
    ):
        await tick(hass, freezer, backoff * (1 + POLICY.jitter) + 1)
        assert refreshes(emulator) == attempt + 2

    assert config_entry.data["token"]["refresh_token"] != before["refresh_token"]
    assert manager.health.consecutive_failures == 0
    assert manager.health.total_failures == 3
    assert manager.health.refresh_count == 1
    await manager.refresher.async_get_access_token()
    assert refreshes(emulator) == 4
    assert reauth_flows(hass) == []


async def test_a_503_retry_after_is_honoured(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    emulator: RingEmulator,
    config_entry: MockConfigEntry,
    make_manager: ManagerFactory,
) -> None:
    """Not ready for as long as Ring's 503 asked (Retry-After), then recovered; no earlier call."""
    manager = await make_manager(policy=AT_ONCE)
    emulator.inject(Fault.SERVER_ERROR, where="token", retry_after=900)

    with pytest.raises(RefreshWaitingError) as err:
        await manager.async_force_refresh()

    assert err.value.wait >= 900
    await tick(hass, freezer, 890)
    assert refreshes(emulator) == 1
    await tick(hass, freezer, 15)
    assert refreshes(emulator) == 2
    assert manager.health.consecutive_failures == 0


async def test_backoff_survives_a_new_setup(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    emulator: RingEmulator,
    config_entry: MockConfigEntry,
    make_manager: ManagerFactory,
) -> None:
    """An outage over a restart or set-up retries: Ring is not asked again before the wait ends.

    Home Assistant retries a failed set-up after 5 s, 10 s, 20 s...; each retry builds a new
    manager, which must keep the previous one's wait instead of calling Ring at once.
    """
    manager = await make_manager(policy=AT_ONCE)
    freezer.tick(LIFETIME + 10)
    emulator.inject(Fault.SERVER_ERROR, count=1, where="token")
    with pytest.raises(RefreshWaitingError):
        await manager.async_force_refresh()
    assert refreshes(emulator) == 1
    manager.async_shutdown()

    for _ in range(3):  # three set-up retries inside the 30 s wait
        await tick(hass, freezer, 5)
        retry = await make_manager(policy=AT_ONCE)
        with pytest.raises(RefreshWaitingError):
            await retry.async_force_refresh()
        retry.async_shutdown()
    assert refreshes(emulator) == 1

    await tick(hass, freezer, POLICY.first * (1 + POLICY.jitter))
    recovered = await make_manager(policy=AT_ONCE)
    await recovered.refresher.async_get_access_token()
    assert refreshes(emulator) == 2
    assert recovered.health.consecutive_failures == 0
    assert reauth_flows(hass) == []


async def test_no_connection_is_not_retried_as_a_lost_response(
    hass: HomeAssistant,
    emulator: RingEmulator,
    config_entry: MockConfigEntry,
    make_manager: ManagerFactory,
) -> None:
    """Ring unreachable (no connection made): one attempt, then back off; nothing to resend.

    A request that never left cannot have rotated the token, so the quick same-token retries
    meant for lost answers would only triple the calls during a network loss.
    """
    attempts: list[str] = []

    async def on_start(
        _s: Any, _ctx: Any, params: aiohttp.TraceRequestStartParams
    ) -> None:
        attempts.append(str(params.url))

    trace = aiohttp.TraceConfig()
    trace.on_request_start.append(on_start)
    age_token(hass, config_entry, LIFETIME + 10)
    async with aiohttp.ClientSession(trace_configs=[trace]) as session:
        manager = await make_manager(client=RingAuthClient(session, HW), policy=AT_ONCE)
        await emulator.stop()  # the port now refuses connections

        with pytest.raises(RefreshWaitingError):
            await manager.async_force_refresh()

    assert len(attempts) == 1
    assert manager.health.last_failure_kind is FailureKind.CONNECTION
    assert reauth_flows(hass) == []


async def test_rate_limit_is_respected(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    emulator: RingEmulator,
    config_entry: MockConfigEntry,
    make_manager: ManagerFactory,
) -> None:
    """Not ready for ten minutes as Ring asked, then recovered silently; no reauth, no probe."""
    manager = await make_manager(policy=AT_ONCE)
    freezer.tick(LIFETIME + 10)
    emulator.inject(Fault.RATE_LIMIT, where="token", retry_after=600)

    with pytest.raises(RefreshWaitingError):
        await manager.async_force_refresh()
    assert manager.health.last_failure_kind is FailureKind.RATE_LIMITED
    assert manager.health.next_refresh_attempt is not None
    assert manager.health.next_refresh_attempt >= dt_util.utcnow() + timedelta(
        seconds=599
    )

    await tick(hass, freezer, 590)
    with pytest.raises(RefreshWaitingError):  # even the user waits for Ring's time
        await manager.async_force_refresh()
    assert refreshes(emulator) == 1

    await tick(hass, freezer, 15)
    assert refreshes(emulator) == 2
    assert manager.health.consecutive_failures == 0
    assert reauth_flows(hass) == []


async def test_a_firewall_block_waits_long_and_lifts_by_itself(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    emulator: RingEmulator,
    config_entry: MockConfigEntry,
    make_manager: ManagerFactory,
) -> None:
    """No reauth, the login kept: Ring's edge refuses renewals for 3 h; tries an hour apart."""
    manager = await make_manager(policy=AT_ONCE)
    freezer.tick(LIFETIME + 10)
    emulator.inject(Fault.BLOCKED, where="token", for_seconds=3 * 3600)

    with pytest.raises(RefreshWaitingError) as err:
        await manager.async_force_refresh()
    assert err.value.kind is FailureKind.BLOCKED
    assert POLICY.blocked_first <= err.value.wait <= POLICY.blocked_first * 1.1
    assert manager.ha_error(err.value, ConfigEntryNotReady).translation_key == (
        "refresh_blocked"
    )

    await tick(hass, freezer, 1.2 * POLICY.blocked_first)  # the hourly try: blocked
    assert refreshes(emulator) == 2
    await tick(hass, freezer, 2.2 * POLICY.blocked_first)  # two hours later: lifted
    assert refreshes(emulator) == 3
    assert manager.health.consecutive_failures == 0
    await hass.async_block_till_done()
    assert reauth_flows(hass) == []


async def test_a_block_probed_by_calls_at_most_every_15_minutes(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    emulator: RingEmulator,
    config_entry: MockConfigEntry,
    make_manager: ManagerFactory,
) -> None:
    """Calls answered 401 during a block renew at most every 15 min; the first after it lifts works.

    Not the hours-long backoff timer brings the login back: the first call that proves Ring
    answers (a 401) after the block lifted does.
    """
    manager = await make_manager(policy=AT_ONCE)
    api = api_of(hass, manager)
    await api.async_get_profile()  # the API session, as set-up opens it
    freezer.tick(LIFETIME + 10)
    emulator.inject(Fault.BLOCKED, where="token", for_seconds=3600)
    with pytest.raises(RefreshWaitingError):
        await manager.async_force_refresh()

    for _ in range(5):  # 50 minutes of calls every 10 minutes, blocked throughout
        await tick(hass, freezer, 600)
        with pytest.raises(RingError):
            await api.async_get_devices()
    # Probes at 20 and 40 minutes (15 min apart at least), both refused.
    assert refreshes(emulator) == 3

    await tick(
        hass, freezer, 900
    )  # the block lifted 5 minutes ago; the timer is hours off
    assert (await api.async_get_devices())["doorbots"]
    assert refreshes(emulator) == 4
    assert manager.health.consecutive_failures == 0
    assert reauth_flows(hass) == []


async def test_ring_back_serves_the_next_call_at_once(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    emulator: RingEmulator,
    config_entry: MockConfigEntry,
    make_manager: ManagerFactory,
) -> None:
    """A call after an outage works as soon as Ring answers, not when the backoff timer fires.

    During the outage calls cost no extra token requests (no answer proves nothing); the first
    401 from Ring proves it is back and lets one refresh through the wait.
    """
    manager = await make_manager(policy=AT_ONCE)
    api = api_of(hass, manager)
    for _ in range(4):  # an outage of several tries: the wait grows to minutes
        emulator.inject(Fault.SERVER_ERROR, where="any")
        freezer.tick(LIFETIME if refreshes(emulator) == 0 else 300)
        with pytest.raises(RefreshWaitingError):
            await manager.async_force_refresh()
    assert refreshes(emulator) == 4
    assert manager.health.next_refresh_attempt is not None
    assert manager.health.next_refresh_attempt > dt_util.utcnow() + timedelta(minutes=3)

    emulator.inject(Fault.SERVER_ERROR, count=5, where="api")  # still down: no probe
    for _ in range(5):
        with pytest.raises(RingError):
            await api.async_get_devices()
    assert refreshes(emulator) == 4

    freezer.tick(POLICY.probe_spacing)  # Ring is back
    assert (await api.async_get_devices())["doorbots"]

    assert refreshes(emulator) == 5
    assert manager.health.consecutive_failures == 0


async def test_failed_early_refresh_keeps_serving_the_unexpired_token(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    emulator: RingEmulator,
    config_entry: MockConfigEntry,
    make_manager: ManagerFactory,
) -> None:
    """Nothing visible: an outage inside the margin does not stop API calls while the token lasts."""
    manager = await make_manager(policy=AT_ONCE)
    old_access = config_entry.data["token"]["access_token"]
    freezer.tick(LIFETIME - MARGIN + 10)
    emulator.inject(Fault.SERVER_ERROR, where="token")

    assert await manager.refresher.async_get_access_token() == old_access
    assert await manager.refresher.async_get_access_token() == old_access
    assert refreshes(emulator) == 1
    assert manager.health.consecutive_failures == 1


async def test_unexpected_status_is_transient(
    hass: HomeAssistant,
    emulator: RingEmulator,
    config_entry: MockConfigEntry,
    make_manager: ManagerFactory,
) -> None:
    """Not ready, no reauth: an odd status from Ring is not a lost login."""
    age_token(hass, config_entry, LIFETIME + 10)
    manager = await make_manager(policy=AT_ONCE)
    emulator.inject(Fault.SERVER_ERROR, where="token", status=409)

    with pytest.raises(RefreshWaitingError):
        await manager.async_force_refresh()
    await hass.async_block_till_done()

    assert manager.health.last_failure_kind is FailureKind.UNEXPECTED
    assert manager.health.login_lost is False
    assert reauth_flows(hass) == []


@pytest.mark.parametrize(("sent", "stored"), [(10**12, 86_400), (-5, 60)])
async def test_absurd_expires_in_is_clamped(
    hass: HomeAssistant,
    emulator: RingEmulator,
    config_entry: MockConfigEntry,
    make_manager: ManagerFactory,
    sent: int,
    stored: int,
) -> None:
    """Recovered silently: a rotated token with a nonsense lifetime is kept, clamped."""
    age_token(hass, config_entry, LIFETIME + 10)
    manager = await make_manager(policy=AT_ONCE)
    emulator.inject(Fault.ABSURD_EXPIRES_IN, where="token", expires_in=sent)

    await manager.refresher.async_get_access_token()

    token = config_entry.data["token"]
    assert token["expires_in"] == stored
    assert token["expires_at"] == pytest.approx(time.time() + stored, abs=5)
    assert manager.health.refresh_count == 1
    # A short-lived token is not refreshed again on every use (margin <= half its life).
    await manager.refresher.async_get_access_token()
    assert refreshes(emulator) == 1
    # The stored token is the live one: the next refresh with it works.
    await manager.async_force_refresh()
    assert config_entry.data["token"]["expires_in"] == LIFETIME


# -- lost logins -------------------------------------------------------------------------------


async def test_revoked_login_asks_once_and_stops_calling(
    hass: HomeAssistant,
    emulator: RingEmulator,
    config_entry: MockConfigEntry,
    make_manager: ManagerFactory,
) -> None:
    """One reauth prompt, reason rejected: the password was changed at Ring."""
    age_token(hass, config_entry, LIFETIME + 10)
    manager = await make_manager()
    emulator.revoke(EMAIL)

    for _ in range(4):
        with pytest.raises(LoginLostError) as err:
            await manager.refresher.async_get_access_token()
    with pytest.raises(LoginLostError):
        await manager.async_force_refresh()
    await hass.async_block_till_done()

    assert refreshes(emulator) == 1
    assert manager.health.login_lost_reason is LostReason.REJECTED
    assert manager.health.last_failure_kind is FailureKind.LOGIN_LOST
    assert len(reauth_flows(hass)) == 1
    translated = manager.ha_error(err.value, ConfigEntryNotReady)
    assert isinstance(translated, ConfigEntryAuthFailed)
    assert translated.translation_key == "login_lost_rejected"

    # After a restart the lost login is remembered: no token call, no background timer.
    manager.async_shutdown()
    again = await make_manager()
    assert again.health.login_lost_reason is LostReason.REJECTED
    assert again.health.next_refresh_attempt is None
    with pytest.raises(LoginLostError):
        await again.refresher.async_get_access_token()
    assert refreshes(emulator) == 1


async def test_expired_refresh_token_asks_for_login(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    emulator: RingEmulator,
    config_entry: MockConfigEntry,
    make_manager: ManagerFactory,
) -> None:
    """One reauth prompt, reason expired: Home Assistant was off for 31 days."""
    manager = await make_manager()
    manager.async_shutdown()  # HA is off: nothing refreshes in the background
    freezer.tick(timedelta(days=31))
    manager = await make_manager()

    with pytest.raises(LoginLostError):
        await manager.refresher.async_get_access_token()
    await hass.async_block_till_done()

    assert manager.health.login_lost_reason is LostReason.EXPIRED
    assert refreshes(emulator) == 1
    assert [flow["step_id"] for flow in reauth_flows(hass)] == ["reauth_expired"]


async def test_refused_partner_secret_asks_for_login(
    hass: HomeAssistant,
    emulator: RingEmulator,
    config_entry: MockConfigEntry,
    make_manager: ManagerFactory,
) -> None:
    """One reauth prompt, reason invalid_client: the partner secret Ring knows changed."""
    issued = emulator.issue_tokens(EMAIL, client_id="partner-id")  # a 4-hour token
    partner = stored_token(issued, time.time() - issued["expires_in"] - 10)
    hass.config_entries.async_update_entry(
        config_entry, data={**config_entry.data, "token": partner}
    )
    manager = await make_manager(partner=PartnerCredentials("partner-id", "old-secret"))

    with pytest.raises(LoginLostError):
        await manager.refresher.async_get_access_token()
    await hass.async_block_till_done()

    assert manager.health.login_lost_reason is LostReason.INVALID_CLIENT
    assert manager.health.last_failure_kind is FailureKind.INVALID_CLIENT
    assert len(reauth_flows(hass)) == 1


# -- clocks, crashes, background refresh ---------------------------------------------------------


@pytest.mark.parametrize("skew", [300, -300, 1800])
async def test_clock_skew_causes_no_401_storm(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    emulator: RingEmulator,
    make_manager: ManagerFactory,
    skew: int,
) -> None:
    """Nothing visible: Ring's clock is off by minutes; tokens are timed from when they arrive."""
    emulator.clock.advance(skew)
    manager = await make_manager(policy=AT_ONCE)
    api = api_of(hass, manager)
    await manager.async_force_refresh()  # a token issued under Ring's skewed clock

    for _ in range(18):  # three hours of calls every ten minutes
        await tick(hass, freezer, 600)
        assert (await api.async_get_devices())["doorbots"]

    assert emulator.counters.unauthorized == 0
    assert 3 <= refreshes(emulator) <= 4  # the forced one plus about one an hour


async def test_crash_before_entry_save_recovers_newest_token(
    hass: HomeAssistant,
    emulator: RingEmulator,
    config_entry: MockConfigEntry,
    make_manager: ManagerFactory,
) -> None:
    """Recovered silently: HA died before saving the rotated token; the journal still has it."""
    emulator.settings.grace = 0
    old = dict(config_entry.data["token"])
    manager = await make_manager()
    await manager.async_force_refresh()
    newest = dict(config_entry.data["token"])
    manager.async_shutdown()

    # What HA reads from disk after the crash: the entry as it was before the refresh.
    hass.config_entries.async_update_entry(
        config_entry, data={**config_entry.data, "token": old}
    )
    client = RingAuthClient(async_get_clientsession(hass), HW)
    with pytest.raises(RingInvalidGrantError):  # the old token alone: a lost login
        await client.async_refresh(old["refresh_token"])

    restarted = await make_manager()

    assert config_entry.data["token"]["refresh_token"] == newest["refresh_token"]
    assert restarted.health.refresh_count == 1
    await restarted.async_force_refresh()
    assert restarted.health.login_lost is False
    assert restarted.health.refresh_count == 2


async def test_new_login_wins_over_the_journal_even_after_a_crash(
    hass: HomeAssistant,
    emulator: RingEmulator,
    config_entry: MockConfigEntry,
    make_manager: ManagerFactory,
    hass_storage: dict[str, Any],
) -> None:
    """Recovered silently: a reauth's token is used, even if HA died before saving the entry."""
    manager = await make_manager()
    await manager.async_force_refresh()
    manager.async_shutdown()
    refreshed = dict(config_entry.data["token"])

    # What the reauth flow does first; then HA dies before it saves the entry.
    fresh = stored_token(emulator.issue_tokens(EMAIL))
    stamped = await async_store_login(hass, config_entry, fresh)
    assert stamped["generation"] == refreshed["generation"] + 1

    restarted = await make_manager()

    assert config_entry.data["token"]["refresh_token"] == fresh["refresh_token"]
    record = journal(hass_storage, config_entry)
    assert record["token"]["refresh_token"] == fresh["refresh_token"]
    assert restarted.health.consecutive_failures == 0
    await restarted.async_force_refresh()
    assert restarted.health.login_lost is False


@pytest.mark.parametrize(("grace", "lost"), [(60, False), (0, True)])
async def test_crash_during_the_exchange_is_finished_at_setup(
    hass: HomeAssistant,
    emulator: RingEmulator,
    config_entry: MockConfigEntry,
    make_manager: ManagerFactory,
    hass_storage: dict[str, Any],
    grace: int,
    lost: bool,
) -> None:
    """Recovered silently inside Ring's grace (else one prompt): HA was killed while Ring rotated.

    The answer died with the process, so only the old refresh token is on disk, and Ring
    accepts it for a short grace window only: set-up must resend it at once, not wait until
    the access token runs out (by then the window is long closed).
    """
    emulator.settings.grace = grace
    manager = await make_manager()
    await manager.async_force_refresh()
    manager.async_shutdown()
    before = dict(config_entry.data["token"])
    # What a killed process leaves: the journal marks the exchange in flight...
    await TokenJournal(hass, config_entry.entry_id).async_write(
        before, manager.health, in_flight=True
    )
    # ...and Ring rotated the token; the answer died with the process.
    client = RingAuthClient(async_get_clientsession(hass), HW)
    await client.async_refresh(before["refresh_token"])
    assert refreshes(emulator) == 2

    restarted = await make_manager()
    await hass.async_block_till_done()

    assert refreshes(emulator) == 3  # the same refresh token, resent at once
    assert emulator.counters.refresh_reuse == 1
    assert journal(hass_storage, config_entry)["in_flight"] is False
    if lost:
        assert restarted.health.login_lost_reason is LostReason.LOST_RESPONSE
        assert len(reauth_flows(hass)) == 1
        return
    token = config_entry.data["token"]
    assert token["refresh_token"] != before["refresh_token"]
    assert token["generation"] == before["generation"] + 1
    assert restarted.health.login_lost is False
    assert reauth_flows(hass) == []


async def test_repeated_crashes_before_entry_saves_keep_the_login(
    hass: HomeAssistant,
    emulator: RingEmulator,
    config_entry: MockConfigEntry,
    make_manager: ManagerFactory,
) -> None:
    """Recovered silently: twenty crashes in a row, each before HA saved the entry.

    The entry on disk keeps the very first token; the journal's generation still wins.
    """
    emulator.settings.grace = 0
    on_disk = dict(config_entry.data["token"])
    for _ in range(20):
        manager = await make_manager()
        await manager.async_force_refresh()
        manager.async_shutdown()
        hass.config_entries.async_update_entry(
            config_entry, data={**config_entry.data, "token": on_disk}
        )

    restarted = await make_manager()

    assert config_entry.data["token"]["generation"] == 20
    await restarted.async_force_refresh()
    assert restarted.health.login_lost is False
    assert emulator.counters.refresh_rejected == 0
    assert reauth_flows(hass) == []


async def test_background_refresh_about_daily(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    emulator: RingEmulator,
    make_manager: ManagerFactory,
) -> None:
    """Nothing visible: the refresh token is renewed about every 24 h so it never reaches 30 days."""
    manager = await make_manager(policy=AT_ONCE)
    times: list[float] = []
    async_dispatcher_connect(
        hass, manager.signal, callback(lambda: times.append(time.time()))
    )
    start = time.time()

    for _ in range(80):  # 80 hours, one hour at a time
        await tick(hass, freezer, 3600)

    assert 3 <= refreshes(emulator) <= 4
    assert manager.health.refresh_count == refreshes(emulator)
    gaps = [b - a for a, b in zip([start, *times], times, strict=False)]
    day, jitter = 24 * 3600, POLICY.background_jitter
    assert all(
        day * (1 - jitter) - 3600 <= gap <= day * (1 + jitter) + 3600 for gap in gaps
    )


async def test_overdue_background_refresh_waits_for_startup(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    emulator: RingEmulator,
    config_entry: MockConfigEntry,
    make_manager: ManagerFactory,
) -> None:
    """Nothing visible: a refresh missed while HA was off runs within minutes of start."""
    age_token(hass, config_entry, 30 * 3600)  # past 24 h even with +10 % jitter
    manager = await make_manager(policy=AT_ONCE)

    due = manager.health.next_refresh_attempt
    assert due is not None
    assert dt_util.utcnow() + timedelta(seconds=29) <= due
    assert due <= dt_util.utcnow() + timedelta(seconds=301)
    assert refreshes(emulator) == 0

    await tick(hass, freezer, 301)
    assert refreshes(emulator) == 1


async def test_hardware_id_stays_the_same_across_setups(
    hass: HomeAssistant,
    emulator: RingEmulator,
    make_manager: ManagerFactory,
) -> None:
    """Nothing visible: Ring's Control Center lists one device, however often HA restarts."""
    for _ in range(3):
        manager = await make_manager()
        await manager.async_force_refresh()
        manager.async_shutdown()

    assert emulator.counters.authorized_devices == {EMAIL: [HW]}


async def test_a_new_login_clears_the_lost_login_for_good(
    hass: HomeAssistant,
    emulator: RingEmulator,
    config_entry: MockConfigEntry,
    make_manager: ManagerFactory,
) -> None:
    """Recovered after the one reauth: the new login is kept and refreshed after a restart."""
    age_token(hass, config_entry, LIFETIME + 10)
    manager = await make_manager()
    emulator.revoke(EMAIL)
    with pytest.raises(LoginLostError):
        await manager.refresher.async_get_access_token()
    manager.async_shutdown()

    # What the reauth flow does: the manager's store first, then the entry.
    fresh = stored_token(emulator.issue_tokens(EMAIL), time.time() - LIFETIME - 10)
    hass.config_entries.async_update_entry(
        config_entry,
        data={
            **config_entry.data,
            "token": await async_store_login(hass, config_entry, fresh),
        },
    )

    restarted = await make_manager()
    assert restarted.health.login_lost is False
    assert restarted.health.next_refresh_attempt is not None
    assert config_entry.data["token"]["refresh_token"] == fresh["refresh_token"]
    await restarted.refresher.async_get_access_token()
    assert refreshes(emulator) == 2
    assert restarted.health.refresh_count == 1


# -- health and lifecycle ------------------------------------------------------------------------


async def test_health_figures_and_signal(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    emulator: RingEmulator,
    config_entry: MockConfigEntry,
    make_manager: ManagerFactory,
) -> None:
    """The token sensors show refreshes, failures and times, and update when they change."""
    manager = await make_manager(policy=AT_ONCE)
    calls: list[None] = []
    unsub = async_dispatcher_connect(
        hass, manager.signal, callback(lambda: calls.append(None))
    )
    health = manager.health
    assert health.refresh_count == 0
    assert health.last_refresh == health.refresh_token_issued_at  # the login itself
    assert health.access_token_expires_at == dt_util.utc_from_timestamp(
        config_entry.data["token"]["expires_at"]
    )

    await manager.async_force_refresh()
    token = config_entry.data["token"]
    assert len(calls) == 1
    assert health.refresh_count == 1
    assert health.last_refresh == dt_util.utcnow()
    assert health.access_token_expires_at == dt_util.utc_from_timestamp(
        token["expires_at"]
    )
    assert health.refresh_token_issued_at == dt_util.utc_from_timestamp(
        token["received_at"]
    )

    freezer.tick(60)
    emulator.inject(Fault.SERVER_ERROR, where="token")
    with pytest.raises(RefreshWaitingError):
        await manager.async_force_refresh()
    assert len(calls) == 2
    assert health.consecutive_failures == 1
    assert health.total_failures == 1
    assert health.last_failure == dt_util.utcnow()
    assert health.last_failure_kind is FailureKind.SERVER_ERROR
    assert health.next_refresh_attempt is not None
    assert health.next_refresh_attempt > dt_util.utcnow()

    unsub()
    await tick(hass, freezer, POLICY.first * (1 + POLICY.jitter) + 1)
    assert len(calls) == 2
    assert health.refresh_count == 2
    assert health.consecutive_failures == 0
    assert health.total_failures == 1

    # The figures survive a restart (restored from the journal, one schema).
    manager.async_shutdown()
    restarted = await make_manager()
    assert restarted.health.as_dict() == {
        **health.as_dict(),
        "next_refresh_attempt": restarted.health.as_dict()["next_refresh_attempt"],
    }


async def test_shutdown_stops_background_refresh(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    emulator: RingEmulator,
    config_entry: MockConfigEntry,
    make_manager: ManagerFactory,
) -> None:
    """Nothing runs after the entry is unloaded: no refresh, and a late failure plans nothing."""
    manager = await make_manager(policy=AT_ONCE)
    assert manager.health.next_refresh_attempt is not None

    manager.async_shutdown()
    await tick(hass, freezer, 3 * 86400)

    assert refreshes(emulator) == 0
    # A refresh after shutdown (a straggling caller) schedules nothing.
    emulator.inject(Fault.SERVER_ERROR, where="token")
    with pytest.raises(RefreshWaitingError):
        await manager.async_force_refresh()
    await tick(hass, freezer, 3600)
    assert refreshes(emulator) == 1


async def test_entry_newer_than_the_journal_wins(
    hass: HomeAssistant,
    emulator: RingEmulator,
    config_entry: MockConfigEntry,
    make_manager: ManagerFactory,
    hass_storage: dict[str, Any],
) -> None:
    """Recovered silently: a journal left behind (its newer write lost) never replaces the entry."""
    manager = await make_manager()
    await manager.async_force_refresh()
    manager.async_shutdown()
    stale = journal(hass_storage, config_entry)["token"]
    newer = {**stored_token(emulator.issue_tokens(EMAIL)), "generation": 5}
    hass.config_entries.async_update_entry(
        config_entry, data={**config_entry.data, "token": newer}
    )

    restarted = await make_manager()

    assert stale["generation"] < newer["generation"]
    assert config_entry.data["token"]["refresh_token"] == newer["refresh_token"]
    assert (
        journal(hass_storage, config_entry)["token"]["refresh_token"]
        == newer["refresh_token"]
    )
    await restarted.async_force_refresh()
    assert restarted.health.login_lost is False
