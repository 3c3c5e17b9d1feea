"""RingApi against the emulator: profile, devices, the shared refresh on 401, and failures."""

import asyncio

import aiohttp
import pytest

from custom_components.ring_auth.ringclient import (
    AbstractAuth,
    RingApi,
    RingApiError,
    RingAuthClient,
    RingAuthError,
    RingConnectionError,
    RingMalformedResponseError,
    RingRateLimitedError,
    RingServerError,
    RingTimeoutError,
    RingTransientError,
    RingUnauthorizedError,
    Token,
)
from ring_emulator import Fault, RingEmulator
from tests.conftest import ACCOUNT_ID, EMAIL

from .conftest import HARDWARE_ID, CountingAuth, FixedAuth, assert_no_secrets


async def test_profile_and_devices(
    api: RingApi, auth: CountingAuth, emulator: RingEmulator
) -> None:
    """The profile names the account and the devices come grouped by kind."""
    profile = await api.async_get_profile()
    devices = await api.async_get_devices()

    assert profile["id"] == ACCOUNT_ID
    assert profile["email"] == EMAIL
    assert [d["kind"] for d in devices["doorbots"]] == ["lpd_v2", "doorbell_v5"]
    assert [d["kind"] for d in devices["stickup_cams"]] == [
        "stickup_cam_lunar",
        "floodlight_v2",
    ]
    assert [d["kind"] for d in devices["chimes"]] == ["chime_pro"]
    assert auth.refreshes == 0
    assert emulator.counters.api_calls == 2
    assert emulator.counters.unauthorized == 0


async def test_hardware_id_is_the_only_authorized_device(
    api: RingApi, auth: CountingAuth, client: RingAuthClient, emulator: RingEmulator
) -> None:
    """Login, refresh and API calls all present one stable hardware id (one Control Center entry)."""
    await api.async_get_profile()
    auth.token = await client.async_refresh(auth.token.refresh_token)
    await api.async_get_devices()

    assert emulator.counters.authorized_devices == {EMAIL: [HARDWARE_ID]}


async def test_concurrent_401s_share_one_refresh_and_retry_once(
    api: RingApi, auth: CountingAuth, emulator: RingEmulator
) -> None:
    """Ten callers hitting an expired access token cause one refresh, and all succeed."""
    await api.async_get_profile()  # the session, as set-up opens it
    emulator.clock.advance(3601)  # the access token has expired at Ring

    results = await asyncio.gather(*(api.async_get_devices() for _ in range(10)))

    assert all(r["doorbots"] for r in results)
    assert auth.refreshes == 1
    assert emulator.counters.token_calls["refresh_token"] == 1
    assert emulator.counters.unauthorized == 10
    assert emulator.counters.api_calls == 1 + 20  # each call: one 401, one retry
    assert emulator.counters.refresh_reuse == 0
    assert emulator.counters.sessions_opened == 1


async def test_second_401_is_unauthorized_not_a_lost_login(
    session: aiohttp.ClientSession, token: Token, emulator: RingEmulator
) -> None:
    """If the retry is refused too, the caller gets RingUnauthorizedError, not a refresh loop."""

    class Useless(AbstractAuth):
        refreshes = 0

        async def async_get_access_token(self) -> str:
            return "expired-access"

        async def async_refresh_after_unauthorized(self, rejected: str) -> str:
            self.refreshes += 1
            return "still-bad-access"

    auth = Useless()
    api = RingApi(session, auth, HARDWARE_ID)

    with pytest.raises(RingUnauthorizedError) as err:
        await api.async_get_devices()

    assert err.value.status == 401
    assert isinstance(err.value, RingApiError)
    assert not isinstance(err.value, RingAuthError | RingTransientError)
    assert auth.refreshes == 1
    assert emulator.counters.api_calls == 2
    assert_no_secrets(err.value, "expired-access", "still-bad-access")


async def test_401_when_the_auth_declines_to_refresh(
    session: aiohttp.ClientSession, emulator: RingEmulator
) -> None:
    """A token the auth will not refresh (just refreshed) and Ring refuses: RingUnauthorizedError."""
    tokens = emulator.issue_tokens(EMAIL, expires_in=60)
    auth = FixedAuth(tokens["access_token"])
    api = RingApi(session, auth, HARDWARE_ID)
    await api.async_get_profile()
    emulator.clock.advance(61)

    with pytest.raises(RingUnauthorizedError) as err:
        await api.async_get_devices()

    assert auth.declined == 1
    assert emulator.counters.unauthorized == 2
    assert_no_secrets(err.value, tokens["access_token"])


async def test_api_rate_limit(api: RingApi, emulator: RingEmulator) -> None:
    """A 429 from the API is rate limiting with Ring's wait."""
    emulator.inject(Fault.RATE_LIMIT, where="api", retry_after=45)

    with pytest.raises(RingRateLimitedError) as err:
        await api.async_get_profile()

    assert err.value.retry_after == 45


async def test_api_server_error(api: RingApi, emulator: RingEmulator) -> None:
    """A 5xx from the API is a server error; the next call works."""
    emulator.inject(Fault.SERVER_ERROR, where="api", status=502)

    with pytest.raises(RingServerError) as err:
        await api.async_get_devices()

    assert err.value.status == 502
    assert (await api.async_get_devices())["chimes"]


async def test_api_unexpected_status(
    api: RingApi, auth: CountingAuth, emulator: RingEmulator
) -> None:
    """A status that fits nothing is an API error, not data."""
    emulator.inject(Fault.SERVER_ERROR, where="api", status=404)

    with pytest.raises(RingApiError) as err:
        await api.async_get_devices()

    assert err.value.status == 404
    assert_no_secrets(err.value, auth.token.access_token)


@pytest.mark.parametrize("fault", [Fault.HTML, Fault.TRUNCATED_JSON])
async def test_api_unreadable_answer(
    api: RingApi, emulator: RingEmulator, fault: Fault
) -> None:
    """An HTML page or cut JSON from the API is malformed, not an empty device list."""
    emulator.inject(fault, where="api")

    with pytest.raises(RingMalformedResponseError):
        await api.async_get_devices()


async def test_api_reset(api: RingApi, emulator: RingEmulator) -> None:
    """A dropped API connection is a connection error."""
    emulator.inject(Fault.RESET, where="api")

    with pytest.raises(RingConnectionError):
        await api.async_get_profile()


async def test_api_hang_times_out(
    session: aiohttp.ClientSession, auth: CountingAuth, emulator: RingEmulator
) -> None:
    """A hung API call ends after the API timeout."""
    api = RingApi(session, auth, HARDWARE_ID, timeout=0.3)
    emulator.inject(Fault.HANG, where="api")

    with pytest.raises(RingTimeoutError) as err:
        await api.async_get_devices()

    assert_no_secrets(err.value, auth.token.access_token)


async def test_session_answer_without_profile_is_malformed(
    api: RingApi, emulator: RingEmulator
) -> None:
    """A session answer without a profile id is not taken as an account."""
    emulator.set_session_body(EMAIL, {"profile": {}})

    with pytest.raises(RingMalformedResponseError):
        await api.async_get_profile()

    emulator.set_session_body(EMAIL, {"profile": []})
    with pytest.raises(RingMalformedResponseError):
        await api.async_get_profile()
