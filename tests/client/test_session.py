"""The API session: re-opened once (for all callers) when Ring has forgotten it, as Ring's apps do."""

import asyncio

from aiohttp import web
import pytest

from custom_components.ring_auth.ringclient import (
    RingApi,
    RingApiError,
    RingRateLimitedError,
)
from ring_emulator import RingEmulator
from tests.conftest import ACCOUNT_ID, EMAIL

from .conftest import HARDWARE_ID, CountingAuth, ScriptedRing

PROFILE = {"profile": {"id": 7, "email": EMAIL}}
DEVICES = {"doorbots": [], "chimes": []}
SESSION_GONE = {"error": f"Session not found for {HARDWARE_ID}"}


@pytest.mark.parametrize("status", [201, 200])
async def test_profile_with_either_success_status(
    api: RingApi, emulator: RingEmulator, status: int
) -> None:
    """Opening the session works whether Ring answers 201 Created or 200 OK."""
    emulator.settings.session_status = status

    profile = await api.async_get_profile()

    assert profile["id"] == ACCOUNT_ID
    assert (await api.async_get_devices())["doorbots"]
    assert emulator.counters.sessions_opened == 1
    assert emulator.counters.session_missing == 0


@pytest.mark.parametrize("status", [201, 200])
async def test_forgotten_session_is_reopened_and_the_call_retried(
    api: RingApi, auth: CountingAuth, emulator: RingEmulator, status: int
) -> None:
    """A call answered "session not found" opens the session again and succeeds; no refresh."""
    emulator.settings.session_status = status
    await api.async_get_profile()
    emulator.forget_sessions(EMAIL)

    devices = await api.async_get_devices()

    assert devices["doorbots"]
    assert emulator.counters.session_missing == 1
    assert emulator.counters.sessions_opened == 2
    assert emulator.counters.api_calls == 1 + 3  # the 404, the session, the retry
    assert auth.refreshes == 0


async def test_first_call_without_a_session_opens_one(
    api: RingApi, emulator: RingEmulator
) -> None:
    """A client that never opened a session (e.g. a new hardware id) gets one on the first call."""
    assert await api.async_request("GET", "/dings/active") == []
    assert emulator.counters.sessions_opened == 1


async def test_concurrent_calls_reopen_the_session_once(
    api: RingApi, emulator: RingEmulator
) -> None:
    """Ten calls that all find the session gone cause one POST session, and all succeed."""
    await api.async_get_profile()
    emulator.forget_sessions(EMAIL)

    results = await asyncio.gather(*(api.async_get_devices() for _ in range(10)))

    assert all(r["chimes"] for r in results)
    assert emulator.counters.sessions_opened == 2
    assert emulator.counters.session_missing == 10
    assert emulator.counters.api_calls == 1 + 10 + 1 + 10


async def test_expired_token_and_forgotten_session_both_recover(
    api: RingApi, auth: CountingAuth, emulator: RingEmulator
) -> None:
    """A 401 and then a missing session on one call: one refresh, one session, success."""
    await api.async_get_profile()
    emulator.forget_sessions(EMAIL)
    emulator.clock.advance(3601)

    assert (await api.async_get_devices())["stickup_cams"]
    assert auth.refreshes == 1
    assert emulator.counters.sessions_opened == 2


async def test_session_reopen_failure_reaches_the_caller(
    scripted_ring: ScriptedRing, scripted_api: RingApi
) -> None:
    """When Ring refuses to open the session again (429), the caller gets that error."""
    scripted_ring.add(404, SESSION_GONE)
    scripted_ring.add(429, {"error": "too_many_requests"}, **{"Retry-After": "90"})

    with pytest.raises(RingRateLimitedError) as err:
        await scripted_api.async_get_devices()

    assert err.value.retry_after == 90
    assert scripted_ring.paths() == [
        "GET /clients_api/ring_devices",
        "POST /clients_api/session",
    ]


async def test_still_unknown_after_reopening_is_an_api_error(
    scripted_ring: ScriptedRing, scripted_api: RingApi
) -> None:
    """If the retry finds the session gone again, the call fails: no second re-open, no loop."""
    scripted_ring.add(404, SESSION_GONE)
    scripted_ring.add(201, PROFILE)
    scripted_ring.add(404, SESSION_GONE)

    with pytest.raises(RingApiError) as err:
        await scripted_api.async_get_devices()

    assert err.value.status == 404
    assert scripted_ring.paths() == [
        "GET /clients_api/ring_devices",
        "POST /clients_api/session",
        "GET /clients_api/ring_devices",
    ]


@pytest.mark.parametrize(
    "body",
    [
        {"error": f"No such device {HARDWARE_ID}"},  # names the hardware id only
        {"message": "Session expired"},
        "session not found",  # plain text
    ],
)
async def test_session_404_in_other_words(
    scripted_ring: ScriptedRing, scripted_api: RingApi, body: object
) -> None:
    """Ring's wording is not pinned down: a 404 naming the session or the hardware id counts."""
    scripted_ring.add(404, body)
    scripted_ring.add(200, PROFILE)
    scripted_ring.add(200, DEVICES)

    assert await scripted_api.async_get_devices() == DEVICES
    assert len(scripted_ring.seen) == 3


@pytest.mark.parametrize("body", [{"error": "Not Found"}, "<html>404</html>", None])
async def test_other_404s_are_not_about_the_session(
    scripted_ring: ScriptedRing, scripted_api: RingApi, body: object
) -> None:
    """A 404 that says nothing of the session (a missing device) is an API error, sent once."""
    scripted_ring.add(404, body)

    with pytest.raises(RingApiError) as err:
        await scripted_api.async_request("GET", "/doorbots/1/history")

    assert err.value.status == 404
    assert scripted_ring.paths() == ["GET /clients_api/doorbots/1/history"]


async def test_session_call_itself_answered_404_is_not_retried(
    scripted_ring: ScriptedRing, scripted_api: RingApi
) -> None:
    """POST session answered 404 "session not found" is an error, not a reason to open it again."""
    scripted_ring.add(404, SESSION_GONE)

    with pytest.raises(RingApiError):
        await scripted_api.async_get_profile()

    assert scripted_ring.paths() == ["POST /clients_api/session"]


async def test_a_call_sent_before_a_reopen_only_retries(
    scripted_ring: ScriptedRing, scripted_api: RingApi
) -> None:
    """A 404 for a call sent before another caller re-opened the session is retried, no re-open."""
    gate = asyncio.Event()
    arrived = asyncio.Event()

    async def late_404(request: web.Request) -> web.StreamResponse:
        arrived.set()
        await gate.wait()
        return web.json_response(SESSION_GONE, status=404)

    scripted_ring.answers.append(late_404)  # type: ignore[arg-type]
    scripted_ring.add(404, SESSION_GONE)
    scripted_ring.add(201, PROFILE)
    scripted_ring.add(200, DEVICES)
    scripted_ring.add(200, DEVICES)

    slow = asyncio.create_task(scripted_api.async_get_devices())
    await arrived.wait()
    assert await scripted_api.async_get_devices() == DEVICES
    gate.set()

    assert await slow == DEVICES
    assert scripted_ring.paths().count("POST /clients_api/session") == 1
    assert len(scripted_ring.seen) == 5
