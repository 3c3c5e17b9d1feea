"""API sessions: Ring serves a hardware id only after it opened a session, and can forget it."""

from __future__ import annotations

from typing import Any

import aiohttp
import pytest

from ring_emulator import RingEmulator

from .common import EMAIL, HARDWARE_ID, NOFA, api_get, open_session


@pytest.fixture(autouse=True)
def _sessions_required(emulator: RingEmulator) -> None:
    """Ring's behaviour (the default; the other emulator tests switch it off)."""
    emulator.settings.require_session = True


async def control(
    session: aiohttp.ClientSession,
    emu: RingEmulator,
    method: str,
    path: str,
    body: Any = None,
) -> tuple[int, Any]:
    """Call the control API; return (status, JSON body)."""
    async with session.request(
        method, f"{emu.url}/_emulator/{path}", json=body
    ) as resp:
        return resp.status, await resp.json()


async def test_no_session_is_a_404_naming_the_hardware_id(
    emulator: RingEmulator, session: aiohttp.ClientSession
) -> None:
    """Without a session the API answers 404 naming the hardware id, as ring-client-api expects."""
    token = emulator.issue_tokens(NOFA)["access_token"]

    status, body = await api_get(session, emulator, token)
    assert status == 404
    assert body == {"error": f"Session not found for {HARDWARE_ID}"}
    status, _ = await api_get(session, emulator, token, "/clients_api/dings/active")
    assert status == 404
    assert emulator.counters.session_missing == 2

    assert (await open_session(session, emulator, token))[0] == 201
    assert (await api_get(session, emulator, token))[0] == 200
    assert (await api_get(session, emulator, token, "/clients_api/dings/active")) == (
        200,
        [],
    )


async def test_sessions_are_per_hardware_id_and_account(
    emulator: RingEmulator, session: aiohttp.ClientSession
) -> None:
    """A session serves its own hardware id of its own account only."""
    nofa = emulator.issue_tokens(NOFA)["access_token"]
    other = emulator.issue_tokens(EMAIL)["access_token"]
    await open_session(session, emulator, nofa)

    assert (await api_get(session, emulator, nofa))[0] == 200
    assert (await api_get(session, emulator, nofa, hardware_id="another-hw"))[0] == 404
    assert (await api_get(session, emulator, other))[0] == 404
    assert len(emulator.sessions) == 1


async def test_a_session_outlives_its_access_token(
    emulator: RingEmulator, session: aiohttp.ClientSession
) -> None:
    """The session belongs to the hardware id: a refreshed token uses it as is."""
    first = emulator.issue_tokens(NOFA)["access_token"]
    await open_session(session, emulator, first)
    emulator.clock.advance(3601)
    assert (await api_get(session, emulator, first))[0] == 401

    second = emulator.issue_tokens(NOFA)["access_token"]
    assert (await api_get(session, emulator, second))[0] == 200


async def test_forget_sessions(
    emulator: RingEmulator, session: aiohttp.ClientSession
) -> None:
    """forget_sessions (Python or HTTP) makes the account's calls 404 until it opens again."""
    token = emulator.issue_tokens(NOFA)["access_token"]
    await open_session(session, emulator, token)
    await open_session(session, emulator, token, "second-hw")

    assert emulator.forget_sessions(NOFA) == 2
    assert (await api_get(session, emulator, token))[0] == 404
    await open_session(session, emulator, token)
    assert await control(
        session, emulator, "POST", "sessions/forget", {"email": NOFA}
    ) == (
        200,
        {"forgotten": 1},
    )
    assert (await api_get(session, emulator, token))[0] == 404
    assert emulator.forget_sessions(NOFA) == 0
    with pytest.raises(KeyError):
        emulator.forget_sessions("nobody@example.com")
    status, _ = await control(
        session, emulator, "POST", "sessions/forget", {"email": "nobody@example.com"}
    )
    assert status == 404


async def test_reset_forgets_sessions(
    emulator: RingEmulator, session: aiohttp.ClientSession
) -> None:
    """reset() forgets sessions, shaped bodies and dings with everything else."""
    token = emulator.issue_tokens(NOFA)["access_token"]
    await open_session(session, emulator, token)
    emulator.set_session_body(NOFA, {"profile": {}})
    emulator.inject_ding(NOFA)

    emulator.reset()

    token = emulator.issue_tokens(NOFA)["access_token"]
    assert (await api_get(session, emulator, token))[0] == 404
    assert emulator.session_body(NOFA)["profile"]["email"] == NOFA
    await open_session(session, emulator, token)
    assert await api_get(session, emulator, token, "/clients_api/dings/active") == (
        200,
        [],
    )


async def test_sessions_not_required(
    emulator: RingEmulator, session: aiohttp.ClientSession
) -> None:
    """With require_session off, any hardware id is served (a lax Ring, for old tests)."""
    emulator.settings.require_session = False
    token = emulator.issue_tokens(NOFA)["access_token"]
    assert (await api_get(session, emulator, token))[0] == 200


async def test_session_body_hook(
    emulator: RingEmulator, session: aiohttp.ClientSession
) -> None:
    """The session answer can be reshaped per account (Python or HTTP) and restored."""
    token = emulator.issue_tokens(NOFA)["access_token"]
    shaped = emulator.session_body(NOFA)
    shaped["profile"]["authentication_token"] = "legacy-token"
    emulator.set_session_body(NOFA, shaped)
    shaped["profile"]["id"] = "changed after setting: not seen"

    status, body = await open_session(session, emulator, token)
    assert status == 201
    assert body["profile"]["authentication_token"] == "legacy-token"
    assert isinstance(body["profile"]["id"], int)

    status, _ = await control(
        session,
        emulator,
        "POST",
        "session_body",
        {"email": NOFA, "body": {"profile": {}}},
    )
    assert status == 200
    assert await control(session, emulator, "GET", f"session_body/{NOFA}") == (
        200,
        {"profile": {}},
    )
    assert (await open_session(session, emulator, token))[1] == {"profile": {}}
    assert (await api_get(session, emulator, token))[0] == 200  # the session is open

    await control(
        session, emulator, "POST", "session_body", {"email": NOFA, "body": None}
    )
    assert (await open_session(session, emulator, token))[1]["profile"]["email"] == NOFA
    status, _ = await control(
        session, emulator, "POST", "session_body", {"email": NOFA, "body": [1]}
    )
    assert status == 400
    status, _ = await control(
        session, emulator, "GET", "session_body/nobody@example.com"
    )
    assert status == 404


async def test_session_status_setting(
    emulator: RingEmulator, session: aiohttp.ClientSession
) -> None:
    """The session status is any 2xx, set over HTTP; anything else is refused."""
    token = emulator.issue_tokens(NOFA)["access_token"]
    status, _ = await control(
        session, emulator, "POST", "settings", {"session_status": 200}
    )
    assert status == 200
    assert (await open_session(session, emulator, token))[0] == 200
    for bad in (302, 200.5, "201", True):
        status, _ = await control(
            session, emulator, "POST", "settings", {"session_status": bad}
        )
        assert status == 400
    assert emulator.settings.session_status == 200
    for flag in (False, "no"):
        status, _ = await control(
            session, emulator, "POST", "settings", {"require_session": flag}
        )
        assert status == (200 if flag is False else 400)
    assert emulator.settings.require_session is False
