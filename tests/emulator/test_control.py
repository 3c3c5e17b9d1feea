"""The HTTP control API under /_emulator/."""

from __future__ import annotations

from typing import Any

import aiohttp
import pytest

from ring_emulator import RingEmulator

from .common import (
    NOFA,
    PARTNER_ID,
    SMS,
    api_get,
    headers,
    login,
    password_form,
    post_token,
    refresh,
)


async def call(
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


async def test_settings(emulator: RingEmulator, session: aiohttp.ClientSession) -> None:
    """GET and POST settings; a POST is a partial, validated update."""
    status, body = await call(session, emulator, "GET", "settings")
    assert status == 200
    assert body["grace"] == 60
    assert body["partner_clients"] == {PARTNER_ID: "partner-secret"}
    assert body["accounts"][0]["email"] == SMS
    status, body = await call(
        session, emulator, "POST", "settings", {"grace": 0, "access_token_lifetime": 5}
    )
    assert status == 200
    assert emulator.settings.grace == 0
    assert emulator.settings.access_token_lifetime == 5
    new_accounts = [{"email": "x@example.com", "password": "p", "tsv_state": "email"}]
    status, body = await call(
        session, emulator, "POST", "settings",
        {"accounts": new_accounts, "partner_clients": {"a": "b"}, "code_limit": 3},
    )  # fmt: skip
    assert status == 200
    assert [a.email for a in emulator.settings.accounts] == ["x@example.com"]
    assert emulator.settings.partner_clients == {"a": "b"}
    assert emulator.settings.code_limit == 3


@pytest.mark.parametrize(
    "update",
    [
        {"nope": 1},
        {"grace": "soon"},
        {"grace": True},
        {"partner_clients": []},
        {"accounts": [{"email": "a", "password": "b", "tsv_state": "carrier-pigeon"}]},
        {"accounts": [{"email": "a"}]},
    ],
)
async def test_settings_rejects(
    emulator: RingEmulator, session: aiohttp.ClientSession, update: Any
) -> None:
    """Bad settings are 400 and change nothing."""
    before = emulator.settings.to_json()
    status, body = await call(session, emulator, "POST", "settings", update)
    assert status == 400
    assert "error" in body
    assert emulator.settings.to_json() == before


async def test_bad_json(emulator: RingEmulator, session: aiohttp.ClientSession) -> None:
    """A control body that is not a JSON object is a 400."""
    async with session.post(f"{emulator.url}/_emulator/settings", data=b"{") as resp:
        assert resp.status == 400
    status, _ = await call(session, emulator, "POST", "settings", [1])
    assert status == 400


async def test_faults(emulator: RingEmulator, session: aiohttp.ClientSession) -> None:
    """POST /faults queues faults; GET lists them."""
    status, body = await call(
        session,
        emulator,
        "POST",
        "faults",
        {"fault": "server_error", "count": 2, "where": "token", "status": 500},
    )
    assert (status, body) == (200, {"queued": 1})
    status, body = await call(
        session,
        emulator,
        "POST",
        "faults",
        {"fault": "rate_limit", "retry_after": 7, "expires_in": None},
    )
    assert status == 200
    status, body = await call(session, emulator, "GET", "faults")
    assert body == [
        {"fault": "server_error", "remaining": 2, "where": "token", "until": None},
        {"fault": "rate_limit", "remaining": 1, "where": "any", "until": None},
    ]
    status, _, _ = await post_token(session, emulator, password_form(NOFA), headers())
    assert status == 500
    status, _ = await call(session, emulator, "POST", "faults", {"fault": "bogus"})
    assert status == 400
    status, _ = await call(
        session, emulator, "POST", "faults", {"fault": "reset", "count": "many"}
    )
    assert status == 400


async def test_revoke_clock_codes_counters_reset(
    emulator: RingEmulator, session: aiohttp.ClientSession
) -> None:
    """revoke, clock, codes, counters and reset over HTTP."""
    tokens = await login(session, emulator)
    status, body = await call(session, emulator, "GET", f"codes/{SMS}")
    assert (status, body) == (200, {"code": emulator.last_code(SMS)})
    status, body = await call(session, emulator, "GET", f"codes/{NOFA}")
    assert (status, body) == (200, {"code": None})
    status, _ = await call(session, emulator, "GET", "codes/nobody@example.com")
    assert status == 404
    status, body = await call(session, emulator, "GET", "counters")
    assert body["token_calls"]["password"] == 2
    assert body["codes_sent"] == {SMS: 1}
    status, body = await call(session, emulator, "POST", "clock", {"advance": 3600})
    assert status == 200
    assert body["offset"] == 3600
    status, _ = await api_get(session, emulator, tokens["access_token"])
    assert status == 401
    status, _ = await call(session, emulator, "POST", "clock", {"advance": "later"})
    assert status == 400
    status, body = await call(session, emulator, "POST", "revoke", {"email": SMS})
    assert (status, body) == (200, {"revoked": 1})  # the expired access token is gone
    status, _ = await call(
        session, emulator, "POST", "revoke", {"email": "nobody@example.com"}
    )
    assert status == 404
    emulator.inject("reset")
    status, body = await call(session, emulator, "POST", "reset")
    assert (status, body) == (200, {"ok": True})
    assert emulator.faults.pending() == []
    assert emulator.counters.token_calls["password"] == 0
    assert emulator.counters.unauthorized == 0
    assert len(emulator.tokens) == 0
    assert emulator.last_code(SMS) is None


async def test_tokens(emulator: RingEmulator, session: aiohttp.ClientSession) -> None:
    """POST /tokens mints a pair, e.g. for a partner client."""
    status, body = await call(
        session, emulator, "POST", "tokens", {"email": SMS, "client_id": PARTNER_ID}
    )
    assert status == 200
    status, _ = await refresh(
        session,
        emulator,
        body["refresh_token"],
        client_id=PARTNER_ID,
        secret="partner-secret",
    )
    assert status == 200
    status, _ = await call(
        session, emulator, "POST", "tokens", {"email": "nobody@example.com"}
    )
    assert status == 404


async def test_tokens_with_chosen_values(
    emulator: RingEmulator, session: aiohttp.ClientSession
) -> None:
    """Tokens can be minted with chosen strings and lifetime (Python and HTTP); reuse is refused."""
    body = emulator.issue_tokens(
        SMS, access_token="access-1", refresh_token="refresh-1", expires_in=120
    )
    assert body["access_token"] == "access-1"
    assert body["refresh_token"] == "refresh-1"
    assert body["expires_in"] == 120
    status, _ = await api_get(session, emulator, "access-1")
    assert status == 200
    emulator.clock.advance(121)
    status, _ = await api_get(session, emulator, "access-1")
    assert status == 401
    status, body = await refresh(session, emulator, "refresh-1")
    assert status == 200
    with pytest.raises(ValueError, match="already issued"):
        emulator.issue_tokens(SMS, refresh_token="refresh-1")
    status, body = await call(
        session,
        emulator,
        "POST",
        "tokens",
        {"email": SMS, "access_token": "access-2", "expires_in": 30},
    )
    assert (status, body["access_token"], body["expires_in"]) == (200, "access-2", 30)
    status, body = await call(
        session, emulator, "POST", "tokens", {"email": SMS, "access_token": "access-2"}
    )
    assert status == 400


async def test_token_listener_hears_every_pair(
    emulator: RingEmulator, session: aiohttp.ClientSession
) -> None:
    """on_tokens hears logins, refreshes and minted pairs (for secrets-in-logs tests)."""
    heard: list[tuple[str, str, str]] = []
    emulator.tokens.listener = lambda account, pair: heard.append(
        (account, pair.access_token, pair.refresh_token)
    )
    tokens = await login(session, emulator)
    _, refreshed = await refresh(session, emulator, tokens["refresh_token"])
    minted = emulator.issue_tokens(NOFA)

    assert heard == [
        (SMS, tokens["access_token"], tokens["refresh_token"]),
        (SMS, refreshed["access_token"], refreshed["refresh_token"]),
        (NOFA, minted["access_token"], minted["refresh_token"]),
    ]
