"""The token manager against the emulator: every way Ring can fail, and what the user sees.

Each test's docstring starts with the outcome a user would see.
"""

import asyncio
from datetime import timedelta
import random
import time
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.components.application_credentials import ClientCredential
from homeassistant.config_entries import SOURCE_REAUTH
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import ConfigEntryAuthFailed, ConfigEntryNotReady
from homeassistant.helpers.aiohttp_client import async_get_clientsession
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_fire_time_changed,
)

from custom_components.ring_auth import token_manager
from custom_components.ring_auth.const import DOMAIN
from custom_components.ring_auth.health import FailureKind, TokenHealth
from custom_components.ring_auth.journal import TokenJournal
from custom_components.ring_auth.oauth import RingPartnerImplementation
from custom_components.ring_auth.ringclient import (
    RingApi,
    RingApiError,
    RingAuthClient,
    RingInvalidClientError,
    RingInvalidGrantError,
    RingServerError,
)
from custom_components.ring_auth.token_manager import (
    BACKGROUND_JITTER,
    BACKOFF_FIRST,
    classify,
)
from ring_emulator import Fault, RingEmulator
from tests.conftest import EMAIL

from .conftest import HW, ManagerFactory, stored_token

MARGIN = 300
LIFETIME = 3600


@pytest.fixture(autouse=True)
def quick_lost_response_retries(monkeypatch: pytest.MonkeyPatch) -> None:
    """Retry a lost response after 10 ms and 20 ms instead of 0.5 s and 2 s."""
    monkeypatch.setattr(token_manager, "LOST_RESPONSE_RETRY_DELAYS", (0.01, 0.02))


@pytest.fixture
def no_retry_sleep(monkeypatch: pytest.MonkeyPatch) -> None:
    """Under a frozen clock asyncio.sleep never ends: retry a lost response at once."""
    monkeypatch.setattr(token_manager, "LOST_RESPONSE_RETRY_DELAYS", (0.0, 0.0))


def refreshes(emulator: RingEmulator) -> int:
    """Return how many refresh-grant calls reached the emulator."""
    return emulator.counters.token_calls["refresh_token"]


def reauth_flows(hass: HomeAssistant) -> list[dict[str, Any]]:
    """Return the reauth flows in progress for the integration."""
    return [
        flow
        for flow in hass.config_entries.flow.async_progress()
        if flow["handler"] == DOMAIN and flow["context"]["source"] == SOURCE_REAUTH
    ]


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


async def tick(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, seconds: float
) -> None:
    """Move time, fire due timers and wait for the background refreshes they start."""
    freezer.tick(timedelta(seconds=seconds))
    async_fire_time_changed(hass)
    await hass.async_block_till_done(wait_background_tasks=True)


# -- proactive, shared and reactive refresh ---------------------------------------------


async def test_proactive_refresh_inside_margin(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    emulator: RingEmulator,
    config_entry: MockConfigEntry,
    make_manager: ManagerFactory,
    hass_storage: dict[str, Any],
) -> None:
    """Recovered silently: the token is renewed five minutes before it ends, journal first."""
    manager = await make_manager()
    old = dict(config_entry.data["token"])

    freezer.tick(LIFETIME - MARGIN - 5)
    assert await manager.async_get_access_token() == old["access_token"]
    assert refreshes(emulator) == 0

    freezer.tick(10)
    access = await manager.async_get_access_token()

    new = config_entry.data["token"]
    assert refreshes(emulator) == 1
    assert access == new["access_token"] != old["access_token"]
    assert new["refresh_token"] != old["refresh_token"]
    assert new["expires_at"] == pytest.approx(time.time() + LIFETIME)
    record = journal(hass_storage, config_entry)
    assert record["token"]["refresh_token"] == new["refresh_token"]
    assert record["token"]["generation"] == new["generation"] == 1
    assert record["in_flight"] is False
    assert manager.valid_token
    assert not manager.access_token_expired


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
        *(manager.async_get_access_token() for _ in range(100))
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
    api = RingApi(async_get_clientsession(hass), manager, HW)
    emulator.clock.advance(LIFETIME + 1)  # ...but Ring already dropped it

    results = await asyncio.gather(*(api.async_get_devices() for _ in range(10)))

    assert all(r["doorbots"] for r in results)
    assert refreshes(emulator) == 1
    assert emulator.counters.unauthorized == 10
    assert emulator.counters.api_calls == 20
    assert manager.health.refresh_count == 1


async def test_401_right_after_a_refresh_does_not_refresh_again(
    hass: HomeAssistant,
    emulator: RingEmulator,
    make_manager: ManagerFactory,
) -> None:
    """Recovered silently or an API error, but never a refresh storm: a brand-new token is not re-refreshed."""
    manager = await make_manager()
    api = RingApi(async_get_clientsession(hass), manager, HW)
    emulator.clock.advance(LIFETIME + 1)

    with pytest.raises(RingApiError) as err:
        await api.async_get_devices()

    assert err.value.status == 401
    assert refreshes(emulator) == 0


# -- lost responses --------------------------------------------------------------------------


async def test_lost_response_inside_grace_recovers(
    hass: HomeAssistant,
    emulator: RingEmulator,
    config_entry: MockConfigEntry,
    make_manager: ManagerFactory,
) -> None:
    """Recovered silently: the answer to a rotation was lost; the same token, resent, works."""
    age_token(hass, config_entry, LIFETIME + 10)
    manager = await make_manager()
    old = config_entry.data["token"]["refresh_token"]
    emulator.inject(Fault.RESET_AFTER_ROTATE, where="token")

    access = await manager.async_get_access_token()

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


async def test_lost_response_without_grace_asks_for_login_once(
    hass: HomeAssistant,
    emulator: RingEmulator,
    config_entry: MockConfigEntry,
    make_manager: ManagerFactory,
) -> None:
    """One reauth prompt, reason lost_response: Ring rotated, the answer was lost, grace is 0."""
    emulator.settings.grace = 0
    age_token(hass, config_entry, LIFETIME + 10)
    manager = await make_manager()
    emulator.inject(Fault.RESET_AFTER_ROTATE, where="token")

    with pytest.raises(ConfigEntryAuthFailed):
        await manager.async_get_access_token()
    for _ in range(3):
        with pytest.raises(ConfigEntryAuthFailed):
            await manager.async_get_access_token()
    await hass.async_block_till_done()

    assert refreshes(emulator) == 2  # the lost one and one retry, then nothing
    assert manager.health.login_lost is True
    assert manager.health.login_lost_reason == "lost_response"
    assert manager.health.last_failure_kind is FailureKind.LOGIN_LOST
    assert manager.health.next_refresh_attempt is None
    flows = reauth_flows(hass)
    assert len(flows) == 1
    assert flows[0]["context"]["entry_id"] == config_entry.entry_id


async def test_hang_once_is_retried_with_the_same_token(
    hass: HomeAssistant,
    emulator: RingEmulator,
    config_entry: MockConfigEntry,
    make_manager: ManagerFactory,
) -> None:
    """Recovered silently: a hung refresh is given up on and resent."""
    age_token(hass, config_entry, LIFETIME + 10)
    manager = await make_manager(client_timeout=0.2)
    emulator.inject(Fault.HANG, where="token")

    await manager.async_get_access_token()

    assert refreshes(emulator) == 2
    assert manager.health.refresh_count == 1
    assert manager.health.total_failures == 0


async def test_hangs_are_lost_responses_then_transient(
    hass: HomeAssistant,
    emulator: RingEmulator,
    config_entry: MockConfigEntry,
    make_manager: ManagerFactory,
) -> None:
    """Not ready, retried later, no reauth: Ring hangs on every try; a long outage costs one call a try."""
    age_token(hass, config_entry, LIFETIME + 10)
    before = dict(config_entry.data["token"])
    manager = await make_manager(client_timeout=0.2)
    emulator.inject(Fault.HANG, count=3, where="token")

    with pytest.raises(ConfigEntryNotReady):
        await manager.async_get_access_token()
    await hass.async_block_till_done()

    assert refreshes(emulator) == 3  # first try and both quick retries
    assert config_entry.data["token"] == before
    assert manager.health.last_failure_kind is FailureKind.TIMEOUT
    assert manager.health.login_lost is False
    assert reauth_flows(hass) == []

    # A long outage: the next try (after the backoff) sends once; no quick retries again.
    manager._not_before = 0  # the backoff is over
    emulator.inject(Fault.HANG, count=3, where="token")
    with pytest.raises(ConfigEntryNotReady):
        await manager.async_get_access_token()
    await hass.async_block_till_done()
    assert refreshes(emulator) == 4
    assert manager.health.consecutive_failures == 2
    emulator.faults.clear()

    # Ring answers again: the same (never rotated) refresh token still works.
    manager._not_before = 0
    await manager.async_get_access_token()
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
    manager = await make_manager()
    emulator.inject(fault, count=3, where="token")

    with pytest.raises(ConfigEntryNotReady):
        await manager.async_get_access_token()
    await hass.async_block_till_done()

    assert refreshes(emulator) == 3
    assert config_entry.data["token"] == before
    assert manager.health.last_failure_kind is kind
    assert manager.health.login_lost is False
    assert reauth_flows(hass) == []


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
    manager = await make_manager()
    emulator.inject(fault, where="token")

    await manager.async_get_access_token()

    assert refreshes(emulator) == 2
    assert manager.health.refresh_count == 1


# -- outages, rate limits and backoff ---------------------------------------------------------


async def test_server_errors_back_off_and_recover_in_background(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    emulator: RingEmulator,
    config_entry: MockConfigEntry,
    make_manager: ManagerFactory,
    no_retry_sleep: None,
) -> None:
    """Not ready for a while, then recovered silently in the background; no reauth."""
    manager = await make_manager()
    freezer.tick(LIFETIME + 10)
    before = dict(config_entry.data["token"])
    emulator.inject(Fault.SERVER_ERROR, count=3, where="token")

    with pytest.raises(ConfigEntryNotReady):
        await manager.async_get_access_token()
    assert refreshes(emulator) == 1
    assert config_entry.data["token"] == before
    assert manager.health.last_failure_kind is FailureKind.SERVER_ERROR

    # Right away again: the manager rate-limits itself.
    with pytest.raises(ConfigEntryNotReady):
        await manager.async_get_access_token()
    with pytest.raises(ConfigEntryNotReady):
        await manager.async_force_refresh()
    assert refreshes(emulator) == 1

    # Background retries after 30 s, 60 s, 120 s (plus jitter): two more 503s, then success.
    for attempt, backoff in enumerate(
        (BACKOFF_FIRST, 2 * BACKOFF_FIRST, 4 * BACKOFF_FIRST)
    ):
        await tick(hass, freezer, backoff * (1 + BACKGROUND_JITTER) + 1)
        assert refreshes(emulator) == attempt + 2

    assert config_entry.data["token"]["refresh_token"] != before["refresh_token"]
    assert manager.health.consecutive_failures == 0
    assert manager.health.total_failures == 3
    assert manager.health.refresh_count == 1
    await manager.async_get_access_token()
    assert refreshes(emulator) == 4
    assert reauth_flows(hass) == []


async def test_backoff_survives_a_new_setup(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    emulator: RingEmulator,
    config_entry: MockConfigEntry,
    make_manager: ManagerFactory,
    no_retry_sleep: None,
) -> None:
    """An outage over a restart or set-up retries: Ring is not asked again before the wait ends.

    Home Assistant retries a failed set-up after 5 s, 10 s, 20 s...; each retry builds a new
    manager, which must keep the previous one's wait instead of calling Ring at once.
    """
    manager = await make_manager()
    freezer.tick(LIFETIME + 10)
    emulator.inject(Fault.SERVER_ERROR, count=1, where="token")
    with pytest.raises(ConfigEntryNotReady):
        await manager.async_get_access_token()
    assert refreshes(emulator) == 1
    manager.async_shutdown()

    for _ in range(3):  # three set-up retries inside the 30 s wait
        await tick(hass, freezer, 5)
        retry = await make_manager()
        with pytest.raises(ConfigEntryNotReady):
            await retry.async_get_access_token()
        retry.async_shutdown()
    assert refreshes(emulator) == 1

    await tick(hass, freezer, BACKOFF_FIRST * (1 + BACKGROUND_JITTER))
    recovered = await make_manager()
    await recovered.async_get_access_token()
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
    manager = await make_manager()
    age_token(hass, config_entry, LIFETIME + 10)
    attempts = 0
    refresh = manager.implementation.async_refresh_token

    async def counting_refresh(token: dict[str, Any]) -> dict[str, Any]:
        nonlocal attempts
        attempts += 1
        return await refresh(token)

    manager.implementation.async_refresh_token = counting_refresh  # type: ignore[method-assign]
    await emulator.stop()  # the port now refuses connections

    with pytest.raises(ConfigEntryNotReady):
        await manager.async_get_access_token()
    assert attempts == 1
    assert manager.health.last_failure_kind is FailureKind.CONNECTION
    assert reauth_flows(hass) == []


async def test_rate_limit_is_respected(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    emulator: RingEmulator,
    config_entry: MockConfigEntry,
    make_manager: ManagerFactory,
    no_retry_sleep: None,
) -> None:
    """Not ready for ten minutes as Ring asked, then recovered silently; no reauth."""
    manager = await make_manager()
    freezer.tick(LIFETIME + 10)
    emulator.inject(Fault.RATE_LIMIT, where="token", retry_after=600)

    with pytest.raises(ConfigEntryNotReady):
        await manager.async_get_access_token()
    assert manager.health.last_failure_kind is FailureKind.RATE_LIMITED
    assert manager.health.next_refresh_attempt is not None
    assert manager.health.next_refresh_attempt >= dt_util.utcnow() + timedelta(
        seconds=599
    )

    await tick(hass, freezer, 590)
    with pytest.raises(ConfigEntryNotReady):
        await manager.async_get_access_token()
    assert refreshes(emulator) == 1

    await tick(hass, freezer, 15)
    assert refreshes(emulator) == 2
    assert manager.health.consecutive_failures == 0
    assert reauth_flows(hass) == []


async def test_failed_early_refresh_keeps_serving_the_unexpired_token(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    emulator: RingEmulator,
    config_entry: MockConfigEntry,
    make_manager: ManagerFactory,
) -> None:
    """Nothing visible: an outage inside the margin does not stop API calls while the token lasts."""
    manager = await make_manager()
    old_access = config_entry.data["token"]["access_token"]
    freezer.tick(LIFETIME - MARGIN + 10)
    emulator.inject(Fault.SERVER_ERROR, where="token")

    assert await manager.async_get_access_token() == old_access
    assert await manager.async_get_access_token() == old_access
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
    manager = await make_manager()
    emulator.inject(Fault.SERVER_ERROR, where="token", status=404)

    with pytest.raises(ConfigEntryNotReady):
        await manager.async_get_access_token()
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
    manager = await make_manager()
    emulator.inject(Fault.ABSURD_EXPIRES_IN, where="token", expires_in=sent)

    await manager.async_get_access_token()

    token = config_entry.data["token"]
    assert token["expires_in"] == stored
    assert token["expires_at"] == pytest.approx(time.time() + stored, abs=5)
    assert manager.health.refresh_count == 1
    # A short-lived token is not refreshed again on every use (margin <= half its life).
    await manager.async_get_access_token()
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

    with pytest.raises(ConfigEntryAuthFailed):
        await manager.async_get_access_token()
    for _ in range(3):
        with pytest.raises(ConfigEntryAuthFailed):
            await manager.async_get_access_token()
    with pytest.raises(ConfigEntryAuthFailed):
        await manager.async_force_refresh()
    await hass.async_block_till_done()

    assert refreshes(emulator) == 1
    assert manager.health.login_lost is True
    assert manager.health.login_lost_reason == "rejected"
    assert manager.health.last_failure_kind is FailureKind.LOGIN_LOST
    assert len(reauth_flows(hass)) == 1

    # After a restart the lost login is remembered: no token call, no background timer.
    manager.async_shutdown()
    again = await make_manager()
    assert again.health.login_lost is True
    assert again.health.login_lost_reason == "rejected"
    assert again.health.next_refresh_attempt is None
    with pytest.raises(ConfigEntryAuthFailed):
        await again.async_get_access_token()
    assert refreshes(emulator) == 1


async def test_expired_refresh_token_asks_for_login(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    emulator: RingEmulator,
    config_entry: MockConfigEntry,
    make_manager: ManagerFactory,
    no_retry_sleep: None,
) -> None:
    """One reauth prompt, reason expired: Home Assistant was off for 31 days."""
    manager = await make_manager()
    manager.async_shutdown()  # HA is off: nothing refreshes in the background
    freezer.tick(timedelta(days=31))
    manager = await make_manager()

    with pytest.raises(ConfigEntryAuthFailed):
        await manager.async_get_access_token()
    await hass.async_block_till_done()

    assert manager.health.login_lost_reason == "expired"
    assert refreshes(emulator) == 1
    assert len(reauth_flows(hass)) == 1


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
    implementation = RingPartnerImplementation(
        hass, DOMAIN, ClientCredential("partner-id", "old-secret", "Partner app")
    )
    manager = await make_manager(implementation=implementation)

    with pytest.raises(ConfigEntryAuthFailed):
        await manager.async_get_access_token()
    await hass.async_block_till_done()

    assert manager.health.login_lost_reason == "invalid_client"
    assert manager.health.last_failure_kind is FailureKind.INVALID_CLIENT
    assert len(reauth_flows(hass)) == 1


def test_failure_classification() -> None:
    """Every client error maps to the kind the sensors and repairs show."""
    assert classify(RingInvalidGrantError()) is FailureKind.LOGIN_LOST
    assert classify(RingInvalidClientError()) is FailureKind.INVALID_CLIENT
    assert classify(RingServerError(503)) is FailureKind.SERVER_ERROR
    assert classify(RingApiError(418)) is FailureKind.UNEXPECTED


# -- clocks, crashes, background refresh ---------------------------------------------------------


@pytest.mark.parametrize("skew", [300, -300, 1800])
async def test_clock_skew_causes_no_401_storm(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    emulator: RingEmulator,
    make_manager: ManagerFactory,
    no_retry_sleep: None,
    skew: int,
) -> None:
    """Nothing visible: Ring's clock is off by minutes; tokens are timed from when they arrive."""
    emulator.clock.advance(skew)
    manager = await make_manager()
    api = RingApi(async_get_clientsession(hass), manager, HW)
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
    with pytest.raises(
        RingInvalidGrantError
    ):  # the old token alone would be a lost login
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
    stamped = await TokenJournal(hass, config_entry.entry_id).async_record_login(
        fresh, refreshed
    )
    assert stamped["generation"] == refreshed["generation"] + 1

    restarted = await make_manager()

    assert config_entry.data["token"]["refresh_token"] == fresh["refresh_token"]
    record = journal(hass_storage, config_entry)
    assert record["token"]["refresh_token"] == fresh["refresh_token"]
    assert restarted.health.consecutive_failures == 0
    await restarted.async_force_refresh()
    assert restarted.health.login_lost is False


async def test_crash_during_the_exchange_is_finished_at_setup(
    hass: HomeAssistant,
    emulator: RingEmulator,
    config_entry: MockConfigEntry,
    make_manager: ManagerFactory,
    hass_storage: dict[str, Any],
) -> None:
    """Recovered silently: HA was killed while Ring rotated the token; set-up finishes it.

    The answer died with the process, so only the old refresh token is on disk, and Ring
    accepts it for a short grace window only: set-up must resend it at once, not wait until
    the access token runs out (by then the window is long closed).
    """
    manager = await make_manager()
    await manager.async_force_refresh()
    before = dict(config_entry.data["token"])

    # The refresh starts (journal marks it in flight), Ring rotates, the process dies.
    started = asyncio.Event()

    async def die_mid_exchange(token: dict[str, Any]) -> dict[str, Any]:
        client = RingAuthClient(async_get_clientsession(hass), HW)
        await client.async_refresh(token["refresh_token"])  # Ring rotates; answer lost
        started.set()
        await asyncio.Event().wait()  # killed here
        raise AssertionError

    manager.implementation.async_refresh_token = die_mid_exchange  # type: ignore[method-assign]
    task = hass.async_create_task(manager.async_force_refresh())
    await started.wait()
    assert journal(hass_storage, config_entry)["in_flight"] is True
    task.cancel()
    manager.async_shutdown()
    assert refreshes(emulator) == 2

    restarted = await make_manager()

    assert refreshes(emulator) == 3  # the same refresh token, resent inside the grace
    assert emulator.counters.refresh_reuse == 1
    token = config_entry.data["token"]
    assert token["refresh_token"] != before["refresh_token"]
    assert token["generation"] == before["generation"] + 1
    assert journal(hass_storage, config_entry)["in_flight"] is False
    assert restarted.health.login_lost is False
    assert reauth_flows(hass) == []


async def test_crash_during_the_exchange_without_grace_asks_once(
    hass: HomeAssistant,
    emulator: RingEmulator,
    config_entry: MockConfigEntry,
    make_manager: ManagerFactory,
) -> None:
    """One reauth prompt, reason lost_response: strictly single-use tokens cannot be resent."""
    emulator.settings.grace = 0
    manager = await make_manager()
    journal_store = TokenJournal(hass, config_entry.entry_id)
    # The journal as a killed process leaves it: exchange in flight, Ring already rotated.
    await journal_store.async_write(
        dict(config_entry.data["token"]), manager.health.as_dict(), in_flight=True
    )
    manager.async_shutdown()
    client = RingAuthClient(async_get_clientsession(hass), HW)
    await client.async_refresh(config_entry.data["token"]["refresh_token"])

    restarted = await make_manager()
    await hass.async_block_till_done()

    assert restarted.health.login_lost is True
    assert restarted.health.login_lost_reason == "lost_response"
    assert len(reauth_flows(hass)) == 1


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
    no_retry_sleep: None,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Nothing visible: the refresh token is renewed about every 24 h so it never reaches 30 days."""
    monkeypatch.setattr(token_manager, "JITTER", random.Random(7))  # noqa: S311
    manager = await make_manager()
    times: list[float] = []
    manager.async_add_listener(lambda: times.append(time.time()))
    start = time.time()

    for _ in range(80):  # 80 hours, one hour at a time
        await tick(hass, freezer, 3600)

    assert refreshes(emulator) == 3
    assert manager.health.refresh_count == 3
    gaps = [b - a for a, b in zip([start, *times], times, strict=False)]
    low, high = 24 * 3600 * (1 - BACKGROUND_JITTER), 24 * 3600 * (1 + BACKGROUND_JITTER)
    assert all(low - 3600 <= gap <= high + 3600 for gap in gaps), gaps


async def test_overdue_background_refresh_waits_for_startup(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    emulator: RingEmulator,
    config_entry: MockConfigEntry,
    make_manager: ManagerFactory,
    no_retry_sleep: None,
) -> None:
    """Nothing visible: a refresh missed while HA was off runs within minutes of start."""
    age_token(hass, config_entry, 30 * 3600)  # past 24 h even with +10 % jitter
    manager = await make_manager()

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


async def test_reauth_clears_the_lost_login_for_good(
    hass: HomeAssistant,
    emulator: RingEmulator,
    config_entry: MockConfigEntry,
    make_manager: ManagerFactory,
) -> None:
    """Recovered after the one reauth: the new login is kept and refreshed after a restart."""
    age_token(hass, config_entry, LIFETIME + 10)
    manager = await make_manager()
    emulator.revoke(EMAIL)
    with pytest.raises(ConfigEntryAuthFailed):
        await manager.async_get_access_token()
    manager.async_shutdown()

    # What the reauth flow does: journal first, then the entry.
    old = config_entry.data["token"]
    fresh = stored_token(emulator.issue_tokens(EMAIL), time.time() - LIFETIME - 10)
    await TokenJournal(hass, config_entry.entry_id).async_record_login(fresh, old)
    hass.config_entries.async_update_entry(
        config_entry, data={**config_entry.data, "token": fresh}
    )

    restarted = await make_manager()
    assert restarted.health.login_lost is False
    assert restarted.health.next_refresh_attempt is not None
    assert config_entry.data["token"]["refresh_token"] == fresh["refresh_token"]
    await restarted.async_get_access_token()
    assert refreshes(emulator) == 2
    assert restarted.health.refresh_count == 1


async def test_removed_entry_leaves_no_journal(
    hass: HomeAssistant,
    config_entry: MockConfigEntry,
    make_manager: ManagerFactory,
    hass_storage: dict[str, Any],
) -> None:
    """Removing the account deletes its private token journal."""
    await make_manager()
    key = f"{DOMAIN}.{config_entry.entry_id}"
    assert key in hass_storage
    journal_store = TokenJournal(hass, config_entry.entry_id)

    assert journal_store.newer_token(None, config_entry.data["token"]) is None
    assert journal_store.newer_token({}, config_entry.data["token"]) is None
    await journal_store.async_remove()
    assert key not in hass_storage


# -- health and lifecycle ------------------------------------------------------------------------


async def test_health_figures_and_listeners(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    emulator: RingEmulator,
    config_entry: MockConfigEntry,
    make_manager: ManagerFactory,
    hass_storage: dict[str, Any],
) -> None:
    """The token sensors show refreshes, failures and times, and update when they change."""
    manager = await make_manager()
    calls: list[TokenHealth] = []
    unsub = manager.async_add_listener(lambda: calls.append(manager.health))
    health = manager.health
    assert health.refresh_count == 0
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
    with pytest.raises(ConfigEntryNotReady):
        await manager.async_force_refresh()
    assert len(calls) == 2
    assert health.consecutive_failures == 1
    assert health.total_failures == 1
    assert health.last_failure == dt_util.utcnow()
    assert health.last_failure_kind is FailureKind.SERVER_ERROR
    assert health.next_refresh_attempt is not None
    assert health.next_refresh_attempt > dt_util.utcnow()

    unsub()
    await tick(hass, freezer, BACKOFF_FIRST * (1 + BACKGROUND_JITTER) + 1)
    assert len(calls) == 2
    assert health.refresh_count == 2
    assert health.consecutive_failures == 0
    assert health.total_failures == 1

    # The figures survive a restart (restored from the journal).
    stored = journal(hass_storage, config_entry)["health"]
    assert stored["refresh_count"] == 2
    manager.async_shutdown()
    restarted = await make_manager()
    assert restarted.health.refresh_count == 2
    assert restarted.health.total_failures == 1
    assert restarted.health.last_failure_kind is FailureKind.SERVER_ERROR
    assert restarted.health.last_refresh == health.last_refresh


def test_health_round_trip_drops_bad_fields() -> None:
    """Figures saved by as_dict come back; junk in storage is ignored."""
    health = TokenHealth(
        last_refresh=dt_util.utcnow(),
        refresh_count=4,
        total_failures=2,
        last_failure_kind=FailureKind.TIMEOUT,
    )
    assert TokenHealth.from_dict(health.as_dict()).as_dict() == health.as_dict()
    junk = TokenHealth.from_dict(
        {"refresh_count": "many", "last_failure_kind": "gremlins", "last_refresh": 5}
    )
    assert junk == TokenHealth()


async def test_shutdown_stops_background_refresh(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    emulator: RingEmulator,
    config_entry: MockConfigEntry,
    make_manager: ManagerFactory,
) -> None:
    """Nothing runs after the entry is unloaded: no refresh, no listener calls."""
    manager = await make_manager()
    calls: list[None] = []
    manager.async_add_listener(lambda: calls.append(None))
    assert manager.health.next_refresh_attempt is not None

    manager.async_shutdown()
    await tick(hass, freezer, 3 * 86400)

    assert refreshes(emulator) == 0
    assert calls == []
    # A refresh after shutdown (a straggling caller) schedules nothing.
    emulator.inject(Fault.SERVER_ERROR, where="token")
    freezer.tick(0)
    with pytest.raises(ConfigEntryNotReady):
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
