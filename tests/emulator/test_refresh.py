"""Refresh grant: rotation, grace window, expiry, partner clients, revocation."""

from __future__ import annotations

import base64

import aiohttp
import pytest

from ring_emulator import RingEmulator

from .common import (
    NOFA,
    PARTNER_ID,
    PARTNER_SECRET,
    SMS,
    api_get,
    headers,
    login,
    password_form,
    post_token,
    refresh,
)

INVALID_GRANT = {
    "error": "invalid_grant",
    "error_description": "token is invalid or does not exists",
}


async def test_consumer_rotation(
    emulator: RingEmulator, session: aiohttp.ClientSession
) -> None:
    """Each exchange returns a new pair; the new refresh token works."""
    tokens = await login(session, emulator)
    status, body = await refresh(session, emulator, tokens["refresh_token"])
    assert status == 200
    assert body["refresh_token"] != tokens["refresh_token"]
    assert body["access_token"] != tokens["access_token"]
    assert body["expires_in"] == 3600
    status, again = await refresh(session, emulator, body["refresh_token"])
    assert status == 200
    assert again["refresh_token"] not in (
        body["refresh_token"],
        tokens["refresh_token"],
    )
    assert emulator.counters.token_calls["refresh_token"] == 2
    assert emulator.counters.refresh_reuse == 0


async def test_reuse_inside_grace(
    emulator: RingEmulator, session: aiohttp.ClientSession
) -> None:
    """The old token works for `grace` seconds after its first exchange, then dies."""
    tokens = await login(session, emulator)
    old = tokens["refresh_token"]
    status, first = await refresh(session, emulator, old)
    assert status == 200
    family = emulator.tokens.family_of(old)
    emulator.clock.advance(59)
    status, second = await refresh(session, emulator, old)
    assert status == 200
    assert second["refresh_token"] != first["refresh_token"]
    assert emulator.tokens.family_of(second["refresh_token"]) == family
    assert emulator.tokens.family_of(first["refresh_token"]) == family
    emulator.clock.advance(2)
    status, body = await refresh(session, emulator, old)
    assert (status, body) == (401, INVALID_GRANT)
    assert emulator.counters.refresh_reuse == 2
    assert emulator.counters.refresh_rejected == 1
    status, _ = await refresh(session, emulator, first["refresh_token"])
    assert status == 200


async def test_grace_zero_strict(
    emulator: RingEmulator, session: aiohttp.ClientSession
) -> None:
    """With grace 0 a second presentation is rejected at once."""
    emulator.settings.grace = 0
    tokens = await login(session, emulator)
    status, _ = await refresh(session, emulator, tokens["refresh_token"])
    assert status == 200
    status, body = await refresh(session, emulator, tokens["refresh_token"])
    assert (status, body) == (401, INVALID_GRANT)
    assert emulator.counters.refresh_reuse == 1


async def test_unknown_refresh_token(
    emulator: RingEmulator, session: aiohttp.ClientSession
) -> None:
    """An unknown token is invalid_grant."""
    status, body = await refresh(session, emulator, "not-a-token")
    assert (status, body) == (401, INVALID_GRANT)
    assert emulator.counters.refresh_rejected == 1


async def test_unused_refresh_token_expires(
    emulator: RingEmulator, session: aiohttp.ClientSession
) -> None:
    """An unused refresh token dies after refresh_token_lifetime."""
    tokens = await login(session, emulator)
    emulator.clock.advance(30 * 86400 - 10)
    status, body = await refresh(session, emulator, tokens["refresh_token"])
    assert status == 200
    emulator.clock.advance(30 * 86400)
    status, result = await refresh(session, emulator, body["refresh_token"])
    assert (status, result) == (401, INVALID_GRANT)


async def test_access_token_expiry(
    emulator: RingEmulator, session: aiohttp.ClientSession
) -> None:
    """An access token dies after access_token_lifetime: the API answers 401."""
    emulator.settings.access_token_lifetime = 120
    tokens = await login(session, emulator)
    assert tokens["expires_in"] == 120
    status, _ = await api_get(session, emulator, tokens["access_token"])
    assert status == 200
    emulator.clock.advance(120)
    status, _ = await api_get(session, emulator, tokens["access_token"])
    assert status == 401
    status, _ = await api_get(session, emulator, tokens["access_token"])
    assert status == 401
    assert emulator.counters.unauthorized == 2
    assert emulator.counters.api_calls == 3


async def test_partner_refresh(
    emulator: RingEmulator, session: aiohttp.ClientSession
) -> None:
    """Partner tokens rotate with client_id + client_secret; a wrong secret is invalid_client."""
    seeded = emulator.issue_tokens(SMS, client_id=PARTNER_ID)
    status, body = await refresh(
        session, emulator, seeded["refresh_token"], client_id=PARTNER_ID, secret="nope"
    )
    assert (status, body) == (401, {"error": "invalid_client"})
    status, body = await refresh(
        session, emulator, seeded["refresh_token"], client_id="who", secret="x"
    )
    assert (status, body) == (401, {"error": "invalid_client"})
    status, body = await refresh(
        session,
        emulator,
        seeded["refresh_token"],
        client_id=PARTNER_ID,
        secret=PARTNER_SECRET,
    )
    assert status == 200
    assert body["refresh_token"] != seeded["refresh_token"]
    status, _ = await api_get(session, emulator, body["access_token"])
    assert status == 200
    assert emulator.counters.refresh_rejected == 2


async def test_client_mismatch(
    emulator: RingEmulator, session: aiohttp.ClientSession
) -> None:
    """A consumer token cannot be refreshed by a partner client, nor the reverse."""
    consumer = await login(session, emulator)
    partner = emulator.issue_tokens(SMS, client_id=PARTNER_ID)
    status, _ = await refresh(
        session,
        emulator,
        consumer["refresh_token"],
        client_id=PARTNER_ID,
        secret=PARTNER_SECRET,
    )
    assert status == 401
    status, _ = await refresh(session, emulator, partner["refresh_token"])
    assert status == 401


async def test_revoke(emulator: RingEmulator, session: aiohttp.ClientSession) -> None:
    """revoke() kills every token of the account and may change its password."""
    tokens = await login(session, emulator)
    other = emulator.issue_tokens(NOFA)
    assert emulator.revoke(SMS, new_password="new-password") == 2
    status, body = await refresh(session, emulator, tokens["refresh_token"])
    assert (status, body) == (401, INVALID_GRANT)
    status, _ = await api_get(session, emulator, tokens["access_token"])
    assert status == 401
    status, _ = await api_get(session, emulator, other["access_token"])
    assert status == 200
    status, _, _ = await post_token(session, emulator, password_form(SMS), headers())
    assert status == 401
    status, _, _ = await post_token(
        session, emulator, password_form(SMS, "new-password"), headers()
    )
    assert status == 412
    with pytest.raises(KeyError):
        emulator.revoke("nobody@example.com")


async def test_removed_account(
    emulator: RingEmulator, session: aiohttp.ClientSession
) -> None:
    """Tokens of an account removed from the settings stop working."""
    tokens = emulator.issue_tokens(NOFA)
    emulator.settings.accounts = [
        a for a in emulator.settings.accounts if a.email != NOFA
    ]
    status, _ = await api_get(session, emulator, tokens["access_token"])
    assert status == 401
    status, body = await refresh(session, emulator, tokens["refresh_token"])
    assert (status, body) == (401, INVALID_GRANT)
    assert len(emulator.tokens) == 0


async def test_refresh_records_hardware_id(
    emulator: RingEmulator, session: aiohttp.ClientSession
) -> None:
    """A refresh with a new hardware id shows up as a new authorized device."""
    tokens = emulator.issue_tokens(NOFA)
    status, _, _ = await post_token(
        session,
        emulator,
        {
            "grant_type": "refresh_token",
            "client_id": "ring_official_android",
            "refresh_token": tokens["refresh_token"],
        },
        headers(hardware_id="other-id"),
    )
    assert status == 200
    assert emulator.counters.authorized_devices[NOFA] == ["other-id"]


async def test_prune(emulator: RingEmulator) -> None:
    """Dead tokens are pruned lazily; exchanged ones stay as tombstones until their lifetime."""
    emulator.settings.refresh_token_lifetime = 100
    emulator.settings.access_token_lifetime = 10
    first = emulator.issue_tokens(NOFA)
    exchanged = emulator.tokens.exchange(
        first["refresh_token"], "ring_official_android"
    )
    assert exchanged.pair is not None
    assert len(emulator.tokens) == 4
    emulator.clock.advance(50)
    emulator.tokens.prune()
    assert len(emulator.tokens) == 2
    emulator.clock.advance(60)
    for _ in range(64):
        emulator.issue_tokens(NOFA)
    assert len(emulator.tokens) == 2 * 63 + 2
    assert emulator.tokens.check_access(exchanged.pair.access_token) is None


async def test_refresh_with_http_basic_client(
    emulator: RingEmulator, session: aiohttp.ClientSession
) -> None:
    """The refresh grant takes the client id from HTTP Basic alone, as python-ring-doorbell sends it."""
    tokens = emulator.issue_tokens(NOFA)
    form = {"grant_type": "refresh_token", "refresh_token": tokens["refresh_token"]}
    basic = base64.b64encode(b"ring_official_android:").decode()
    status, body, _ = await post_token(
        session, emulator, form, {"Authorization": f"Basic {basic}"}
    )
    assert status == 200
    assert body["refresh_token"] != tokens["refresh_token"]


@pytest.mark.parametrize(
    "authorization", ["Basic !!!notbase64", "Basic /w==", "Bearer x"]
)
async def test_refresh_without_a_readable_client(
    emulator: RingEmulator, session: aiohttp.ClientSession, authorization: str
) -> None:
    """No client_id in the body and no readable HTTP Basic client: invalid_client."""
    tokens = emulator.issue_tokens(NOFA)
    form = {"grant_type": "refresh_token", "refresh_token": tokens["refresh_token"]}
    status, body, _ = await post_token(
        session, emulator, form, {"Authorization": authorization}
    )
    assert (status, body) == (401, {"error": "invalid_client"})
