"""Firewall blocks, error body styles, time-window faults and cut bodies after rotation."""

from __future__ import annotations

import json
from typing import Any

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
)


async def raw_token(
    session: aiohttp.ClientSession, emu: RingEmulator, form: dict[str, str]
) -> tuple[int, str, str, dict[str, str]]:
    """POST /oauth/token; return (status, content type, text, headers)."""
    async with session.post(
        f"{emu.url}/oauth/token", data=form, headers=headers()
    ) as resp:
        return resp.status, resp.content_type, await resp.text(), dict(resp.headers)


async def test_block_is_406_plain_text(
    emulator: RingEmulator, session: aiohttp.ClientSession
) -> None:
    """A block answers 406 text/plain "406 Not Acceptable" (as seen in 2026), nothing processed."""
    emulator.inject(Fault.BLOCKED)
    status, ctype, text, hdrs = await raw_token(session, emulator, password_form(NOFA))
    assert (status, ctype, text) == (406, "text/plain", "406 Not Acceptable")
    assert "Retry-After" not in hdrs
    assert len(emulator.tokens) == 0
    status, _, _, _ = await raw_token(session, emulator, password_form(NOFA))
    assert status == 200


@pytest.mark.parametrize(
    ("body", "ctype", "check"),
    [
        ("html", "text/html", lambda t: "<center><h1>403 Forbidden</h1></center>" in t),
        ("oauth", "application/json", lambda t: json.loads(t)["status_code"] == 403),
        (
            "message",
            "application/json",
            lambda t: json.loads(t) == {"message": "Forbidden"},
        ),
        ("text", "text/plain", lambda t: t == "403 Forbidden"),
    ],
)
async def test_block_403_in_every_body_style(
    emulator: RingEmulator,
    session: aiohttp.ClientSession,
    body: str,
    ctype: str,
    check: Any,
) -> None:
    """The 403 variant, with the body styles Ring's edge has used, and a Retry-After if asked."""
    emulator.inject(Fault.BLOCKED, status=403, body=body, retry_after=3600)
    status, got_ctype, text, hdrs = await raw_token(
        session, emulator, password_form(NOFA)
    )
    assert (status, got_ctype) == (403, ctype)
    assert check(text)
    assert hdrs["Retry-After"] == "3600"


async def test_block_where(
    emulator: RingEmulator, session: aiohttp.ClientSession
) -> None:
    """A block can hit the password grant only, the refresh grant only, the API, or all."""
    tokens = emulator.issue_tokens(NOFA)
    emulator.inject(Fault.BLOCKED, where="password", count=5)
    assert (await refresh(session, emulator, tokens["refresh_token"]))[0] == 200
    assert (await raw_token(session, emulator, password_form(NOFA)))[0] == 406
    emulator.reset()

    tokens = emulator.issue_tokens(NOFA)
    emulator.inject(Fault.BLOCKED, where="refresh", count=5)
    assert (await raw_token(session, emulator, password_form(NOFA)))[0] == 200
    assert (await refresh(session, emulator, tokens["refresh_token"]))[0] == 406
    assert (await api_get(session, emulator, tokens["access_token"]))[0] == 200
    emulator.reset()

    tokens = emulator.issue_tokens(NOFA)
    emulator.inject(Fault.BLOCKED, where="api", count=5)
    assert (await api_get(session, emulator, tokens["access_token"]))[0] == 406
    assert (await refresh(session, emulator, tokens["refresh_token"]))[0] == 200


async def test_block_for_a_time_window(
    emulator: RingEmulator, session: aiohttp.ClientSession
) -> None:
    """A block for N seconds refuses every request until the emulator's clock passes it."""
    tokens = emulator.issue_tokens(NOFA, expires_in=10 * 3600)
    emulator.inject(Fault.BLOCKED, count=1, for_seconds=3600)
    emulator.inject(Fault.SERVER_ERROR, where="token")

    for _ in range(3):
        assert (await refresh(session, emulator, tokens["refresh_token"]))[0] == 406
        assert (await api_get(session, emulator, tokens["access_token"]))[0] == 406
        emulator.clock.advance(1000)
    emulator.clock.advance(600)

    # The block has lifted; the fault queued behind it now has its turn.
    assert (await refresh(session, emulator, tokens["refresh_token"]))[0] == 503
    assert (await refresh(session, emulator, tokens["refresh_token"]))[0] == 200
    assert emulator.faults.pending() == []


@pytest.mark.parametrize(
    ("fault", "status"), [(Fault.SERVER_ERROR, 503), (Fault.RATE_LIMIT, 429)]
)
@pytest.mark.parametrize("style", ["oauth", "message", "html", "text"])
async def test_error_body_styles(
    emulator: RingEmulator,
    session: aiohttp.ClientSession,
    fault: Fault,
    status: int,
    style: str,
) -> None:
    """429 and 5xx answers come as OAuth JSON, {"message": ...} JSON, HTML or plain text."""
    emulator.inject(fault, body=style)
    got, ctype, text, hdrs = await raw_token(session, emulator, password_form(NOFA))
    assert got == status
    match style:
        case "oauth":
            assert "error" in json.loads(text)
        case "message":
            assert set(json.loads(text)) == {"message"}
        case "html":
            assert ctype == "text/html"
            assert text.startswith("<html>")
        case _:
            assert ctype == "text/plain"
    assert ("Retry-After" in hdrs) is (fault is Fault.RATE_LIMIT)


async def test_server_error_retry_after(
    emulator: RingEmulator, session: aiohttp.ClientSession
) -> None:
    """A 503 may carry Retry-After when asked to."""
    emulator.inject(Fault.SERVER_ERROR, retry_after=120)
    _, _, _, hdrs = await raw_token(session, emulator, password_form(NOFA))
    assert hdrs["Retry-After"] == "120"


async def test_truncated_after_rotate(
    emulator: RingEmulator, session: aiohttp.ClientSession
) -> None:
    """The exchange happens (old token used, new one recorded), but the answer is cut."""
    tokens = emulator.issue_tokens(NOFA)
    emulator.inject(Fault.TRUNCATED_AFTER_ROTATE, where="refresh")
    status, ctype, text, _ = await raw_token(
        session, emulator, refresh_form(tokens["refresh_token"])
    )
    assert (status, ctype) == (200, "application/json")
    assert text.startswith('{"access_token": "')
    with pytest.raises(json.JSONDecodeError):
        json.loads(text)
    assert len(emulator.tokens) == 4
    emulator.settings.grace = 0
    assert (await refresh(session, emulator, tokens["refresh_token"]))[0] == 401
    assert emulator.counters.refresh_reuse == 1


async def test_truncated_after_rotate_leaves_errors_alone(
    emulator: RingEmulator, session: aiohttp.ClientSession
) -> None:
    """A refused exchange is answered in full; on the API the real body is cut."""
    emulator.inject(Fault.TRUNCATED_AFTER_ROTATE, where="token")
    status, body = await refresh(session, emulator, "unknown")
    assert (status, body["error"]) == (401, "invalid_grant")

    tokens = emulator.issue_tokens(NOFA)
    emulator.inject(Fault.TRUNCATED_AFTER_ROTATE, where="api")
    hdrs = {"Authorization": f"Bearer {tokens['access_token']}"}
    async with session.get(
        f"{emulator.url}/clients_api/ring_devices", headers=hdrs
    ) as resp:
        assert resp.status == 200
        assert (await resp.text()).startswith('{"doorbots"')


async def test_text_expires_in(
    emulator: RingEmulator, session: aiohttp.ClientSession
) -> None:
    """ABSURD_EXPIRES_IN can send a word instead of a number; the tokens are real."""
    tokens = emulator.issue_tokens(NOFA)
    emulator.inject(Fault.ABSURD_EXPIRES_IN, expires_in="soon")
    status, body = await refresh(session, emulator, tokens["refresh_token"])
    assert (status, body["expires_in"]) == (200, "soon")
    assert (await api_get(session, emulator, body["access_token"]))[0] == 200


def test_new_fault_arguments_validated(emulator: RingEmulator) -> None:
    """Body styles, block statuses and windows are checked."""
    with pytest.raises(ValueError, match="body"):
        emulator.inject(Fault.SERVER_ERROR, body="xml")
    with pytest.raises(ValueError, match="403 or 406"):
        emulator.inject(Fault.BLOCKED, status=503)
    with pytest.raises(ValueError, match="for_seconds"):
        emulator.inject(Fault.BLOCKED, for_seconds=0)
    emulator.inject(Fault.BLOCKED, where="refresh")
    spec = emulator.faults.pending()[0]
    assert (spec.status, spec.body, spec.where) == (406, "text", "refresh")


async def test_control_route_takes_the_new_arguments(
    emulator: RingEmulator, session: aiohttp.ClientSession
) -> None:
    """POST /_emulator/faults queues a timed 403 block and a text expires_in."""
    for fault in (
        {"fault": "blocked", "status": 403, "where": "password", "for_seconds": 60},
        {"fault": "absurd_expires_in", "expires_in": "soon", "where": "refresh"},
        {"fault": "server_error", "body": "html"},
    ):
        async with session.post(f"{emulator.url}/_emulator/faults", json=fault) as resp:
            assert resp.status == 200
    async with session.get(f"{emulator.url}/_emulator/faults") as resp:
        pending = await resp.json()
    assert pending[0]["until"] == pytest.approx(emulator.clock.now() + 60, abs=5)
    assert [p["where"] for p in pending] == ["password", "refresh", "any"]
    status, _, _ = await post_token(session, emulator, password_form(NOFA), headers())
    assert status == 403
    async with session.post(
        f"{emulator.url}/_emulator/faults", json={"fault": "blocked", "body": "pdf"}
    ) as resp:
        assert resp.status == 400
