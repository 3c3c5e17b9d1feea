"""Each injectable fault, as a real aiohttp client observes it."""

from __future__ import annotations

import asyncio
import json

import aiohttp
import pytest

from ring_emulator import Fault, RingEmulator

from .common import (
    NOFA,
    api_get,
    headers,
    password_form,
    post_token,
    refresh,
    refresh_form,
    wait_until,
)

SHORT = aiohttp.ClientTimeout(total=0.2)


async def test_server_error(
    emulator: RingEmulator, session: aiohttp.ClientSession
) -> None:
    """SERVER_ERROR answers 503 (or the given status) for `count` requests, then stops."""
    emulator.inject(Fault.SERVER_ERROR, count=2, where="token")
    emulator.inject(Fault.SERVER_ERROR, status=502, where="token")
    statuses = []
    for _ in range(4):
        status, body, _ = await post_token(
            session, emulator, password_form(NOFA), headers()
        )
        statuses.append(status)
        if status != 200:
            assert "access_token" not in body
    assert statuses == [503, 503, 502, 200]
    assert emulator.counters.token_calls["password"] == 4
    assert len(emulator.tokens) == 2


async def test_rate_limit(
    emulator: RingEmulator, session: aiohttp.ClientSession
) -> None:
    """RATE_LIMIT answers 429 with Retry-After and no token."""
    emulator.inject(Fault.RATE_LIMIT, count=1, retry_after=30)
    status, body, hdrs = await post_token(
        session, emulator, password_form(NOFA), headers()
    )
    assert status == 429
    assert hdrs["Retry-After"] == "30"
    assert "access_token" not in body


async def test_where_api_leaves_token_alone(
    emulator: RingEmulator, session: aiohttp.ClientSession
) -> None:
    """A fault for "api" does not touch the token endpoint, and the reverse."""
    tokens = emulator.issue_tokens(NOFA)
    emulator.inject(Fault.SERVER_ERROR, where="api")
    emulator.inject(Fault.RATE_LIMIT, where="token")
    status, _ = await refresh(session, emulator, tokens["refresh_token"])
    assert status == 429
    status, _ = await api_get(session, emulator, tokens["access_token"])
    assert status == 503
    status, _ = await api_get(session, emulator, tokens["access_token"])
    assert status == 200


async def test_reset(emulator: RingEmulator, session: aiohttp.ClientSession) -> None:
    """RESET drops the connection without processing: the old refresh token is untouched."""
    tokens = emulator.issue_tokens(NOFA)
    emulator.inject(Fault.RESET, where="token")
    with pytest.raises(aiohttp.ServerDisconnectedError):
        await refresh(session, emulator, tokens["refresh_token"])
    assert emulator.counters.token_calls["refresh_token"] == 1
    emulator.settings.grace = 0
    status, _ = await refresh(session, emulator, tokens["refresh_token"])
    assert status == 200


async def test_reset_after_rotate(
    emulator: RingEmulator, session: aiohttp.ClientSession
) -> None:
    """RESET_AFTER_ROTATE rotates, then drops: the old token works inside grace only."""
    tokens = emulator.issue_tokens(NOFA)
    emulator.inject(Fault.RESET_AFTER_ROTATE, where="token")
    with pytest.raises(aiohttp.ServerDisconnectedError):
        await refresh(session, emulator, tokens["refresh_token"])
    assert len(emulator.tokens) == 4
    status, _ = await refresh(session, emulator, tokens["refresh_token"])
    assert status == 200
    assert emulator.counters.refresh_reuse == 1
    emulator.settings.grace = 0
    status, _ = await refresh(session, emulator, tokens["refresh_token"])
    assert status == 401


async def test_reset_on_api_get_is_retried_by_aiohttp(
    emulator: RingEmulator, session: aiohttp.ClientSession
) -> None:
    """An aiohttp client retries an idempotent GET once after a disconnect: two resets are needed to surface."""
    tokens = emulator.issue_tokens(NOFA)
    emulator.inject(Fault.RESET, where="api")
    status, _ = await api_get(session, emulator, tokens["access_token"])
    assert status == 200
    assert emulator.counters.api_calls == 2
    emulator.inject(Fault.RESET, count=2, where="api")
    with pytest.raises(aiohttp.ServerDisconnectedError):
        await api_get(session, emulator, tokens["access_token"])


async def test_reset_after_rotate_on_api(
    emulator: RingEmulator, session: aiohttp.ClientSession
) -> None:
    """On the API, RESET_AFTER_ROTATE processes the call and drops the answer."""
    tokens = emulator.issue_tokens(NOFA)
    emulator.inject(Fault.RESET_AFTER_ROTATE, where="api")
    hdrs = {"Authorization": f"Bearer {tokens['access_token']}"}
    with pytest.raises(aiohttp.ServerDisconnectedError):
        async with session.post(
            f"{emulator.url}/clients_api/session", json={}, headers=hdrs
        ):
            pass
    assert emulator.counters.api_calls == 1


async def test_hang_until_client_timeout(
    emulator: RingEmulator, session: aiohttp.ClientSession
) -> None:
    """HANG never answers: the client times out; the next request is served."""
    emulator.inject(Fault.HANG, where="token")
    with pytest.raises(TimeoutError):
        async with session.post(
            f"{emulator.url}/oauth/token", data=password_form(NOFA), timeout=SHORT
        ):
            pass
    status, _, _ = await post_token(session, emulator, password_form(NOFA), headers())
    assert status == 200


async def test_hang_poll_setting(
    emulator: RingEmulator, session: aiohttp.ClientSession
) -> None:
    """The hang poll interval is a setting; a departed client is noticed within it."""
    emulator.settings.hang_poll = 0.01
    emulator.inject(Fault.HANG, where="token")
    with pytest.raises(TimeoutError):
        async with session.post(
            f"{emulator.url}/oauth/token", data=password_form(NOFA), timeout=SHORT
        ):
            pass
    status, _, _ = await post_token(session, emulator, password_form(NOFA), headers())
    assert status == 200
    async with session.post(
        f"{emulator.url}/_emulator/settings", json={"hang_poll": None}
    ) as resp:
        assert (await resp.json())["hang_poll"] is None


async def test_hang_released_by_stop(
    emulator: RingEmulator, session: aiohttp.ClientSession
) -> None:
    """stop() never waits on a hanging request; the client sees a disconnect."""
    emulator.inject(Fault.HANG)
    request = asyncio.create_task(
        post_token(session, emulator, password_form(NOFA), headers())
    )
    await wait_until(lambda: emulator.counters.token_calls["password"] > 0)
    async with asyncio.timeout(3):
        await emulator.stop()
    with pytest.raises(aiohttp.ServerDisconnectedError):
        await request
    assert emulator.url is None
    await emulator.stop()


async def test_html(emulator: RingEmulator, session: aiohttp.ClientSession) -> None:
    """HTML answers 200 text/html."""
    emulator.inject(Fault.HTML)
    async with session.post(
        f"{emulator.url}/oauth/token", data=password_form(NOFA)
    ) as resp:
        assert resp.status == 200
        assert resp.content_type == "text/html"
        with pytest.raises(aiohttp.ContentTypeError):
            await resp.json()


async def test_truncated_json_token(
    emulator: RingEmulator, session: aiohttp.ClientSession
) -> None:
    """TRUNCATED_JSON on the token endpoint: 200 with cut JSON, nothing rotated."""
    tokens = emulator.issue_tokens(NOFA)
    emulator.inject(Fault.TRUNCATED_JSON, where="token")
    async with session.post(
        f"{emulator.url}/oauth/token", data=refresh_form(tokens["refresh_token"])
    ) as resp:
        assert resp.status == 200
        assert resp.content_type == "application/json"
        with pytest.raises(json.JSONDecodeError):
            await resp.json()
    emulator.settings.grace = 0
    status, _ = await refresh(session, emulator, tokens["refresh_token"])
    assert status == 200


async def test_truncated_json_api(
    emulator: RingEmulator, session: aiohttp.ClientSession
) -> None:
    """TRUNCATED_JSON on the API cuts the real body."""
    tokens = emulator.issue_tokens(NOFA)
    emulator.inject(Fault.TRUNCATED_JSON, where="api")
    hdrs = {"Authorization": f"Bearer {tokens['access_token']}"}
    async with session.get(
        f"{emulator.url}/clients_api/ring_devices", headers=hdrs
    ) as resp:
        text = await resp.text()
        assert text.startswith('{"doorbots"')
        with pytest.raises(json.JSONDecodeError):
            json.loads(text)


async def test_missing_expires_in(
    emulator: RingEmulator, session: aiohttp.ClientSession
) -> None:
    """MISSING_EXPIRES_IN returns real tokens without expires_in."""
    tokens = emulator.issue_tokens(NOFA)
    emulator.inject(Fault.MISSING_EXPIRES_IN)
    status, body = await refresh(session, emulator, tokens["refresh_token"])
    assert status == 200
    assert "expires_in" not in body
    status, _ = await api_get(session, emulator, body["access_token"])
    assert status == 200


@pytest.mark.parametrize(("value", "expected"), [(None, -5), (10**12, 10**12)])
async def test_absurd_expires_in(
    emulator: RingEmulator,
    session: aiohttp.ClientSession,
    value: int | None,
    expected: int,
) -> None:
    """ABSURD_EXPIRES_IN returns real tokens with a nonsense expires_in."""
    tokens = emulator.issue_tokens(NOFA)
    emulator.inject(Fault.ABSURD_EXPIRES_IN, expires_in=value)
    status, body = await refresh(session, emulator, tokens["refresh_token"])
    assert status == 200
    assert body["expires_in"] == expected


async def test_body_fault_passes_errors_through(
    emulator: RingEmulator, session: aiohttp.ClientSession
) -> None:
    """A body fault on a failing request leaves the error as is (and is used up)."""
    emulator.inject(Fault.MISSING_EXPIRES_IN)
    status, _ = await refresh(session, emulator, "unknown")
    assert status == 401
    assert emulator.faults.pending() == []


async def test_no_token(emulator: RingEmulator, session: aiohttp.ClientSession) -> None:
    """NO_TOKEN answers 200 JSON without tokens, and rotates nothing."""
    tokens = emulator.issue_tokens(NOFA)
    emulator.inject(Fault.NO_TOKEN)
    status, body = await refresh(session, emulator, tokens["refresh_token"])
    assert status == 200
    assert "access_token" not in body
    assert "refresh_token" not in body
    assert len(emulator.tokens) == 2


async def test_token_only_faults_skip_api(
    emulator: RingEmulator, session: aiohttp.ClientSession
) -> None:
    """Token-shaped faults with where="any" wait for a token request."""
    tokens = emulator.issue_tokens(NOFA)
    emulator.inject(Fault.NO_TOKEN)
    status, _ = await api_get(session, emulator, tokens["access_token"])
    assert status == 200
    assert len(emulator.faults.pending()) == 1


def test_inject_validation(emulator: RingEmulator) -> None:
    """Bad inject() arguments raise ValueError."""
    with pytest.raises(ValueError):
        emulator.inject(Fault.RESET, count=0)
    with pytest.raises(ValueError):
        emulator.inject(Fault.RESET, where="oauth")
    with pytest.raises(ValueError):
        emulator.inject(Fault.NO_TOKEN, where="api")
    with pytest.raises(ValueError):
        emulator.inject("explode")
    emulator.inject("reset", count=2)
    assert emulator.faults.pending()[0].fault is Fault.RESET
