"""The exchange log: one INFO line per token answer, with fingerprints and never a secret."""

from __future__ import annotations

import logging

import aiohttp
import pytest

from ring_emulator import Fault, RingEmulator, TokenExchange
from ring_emulator.exchanges import fingerprint

from .common import (
    PARTNER_ID,
    PARTNER_SECRET,
    PASSWORD,
    SMS,
    headers,
    login,
    password_form,
    post_token,
    refresh,
)


def exchange_lines(caplog: pytest.LogCaptureFixture) -> list[str]:
    """Return the exchange log's messages so far and forget them."""
    lines = [
        r.getMessage()
        for r in caplog.records
        if r.name == "ring_emulator.exchanges" and r.levelno == logging.INFO
    ]
    caplog.clear()
    return lines


async def test_each_answer_is_logged(
    emulator: RingEmulator,
    session: aiohttp.ClientSession,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Login, rotation, reuse, refusal, faults and dropped answers each give one line."""
    caplog.set_level(logging.DEBUG)
    secrets = [PASSWORD]
    status, _, _ = await post_token(session, emulator, password_form(SMS), headers())
    assert status == 412
    code = emulator.last_code(SMS)
    assert code is not None
    secrets.append(code)
    assert exchange_lines(caplog) == [f"password {SMS} -> 412 2FA code required (sms)"]

    status, _, _ = await post_token(
        session, emulator, password_form(SMS), headers("000000")
    )
    assert exchange_lines(caplog) == [
        f"password {SMS} -> 400 Verification Code is invalid or expired"
    ]

    tokens = await login(session, emulator)
    first = tokens["refresh_token"]
    secrets += [first, tokens["access_token"], emulator.last_code(SMS) or ""]
    assert exchange_lines(caplog)[-1] == (
        f"password {SMS} -> 200 logged in (new {fingerprint(first)})"
    )

    status, rotated = await refresh(session, emulator, first)
    status, reused = await refresh(session, emulator, first)
    status, _ = await refresh(session, emulator, "not-a-token")
    secrets += [rotated["refresh_token"], reused["refresh_token"]]
    assert exchange_lines(caplog) == [
        f"refresh_token -> 200 rotated (presented {fingerprint(first)}, "
        f"new {fingerprint(rotated['refresh_token'])})",
        f"refresh_token -> 200 reused within grace (presented {fingerprint(first)}, "
        f"new {fingerprint(reused['refresh_token'])})",
        f"refresh_token -> 401 invalid_grant (presented {fingerprint('not-a-token')})",
    ]

    token = rotated["refresh_token"]
    emulator.inject(Fault.SERVER_ERROR, where="token")
    await refresh(session, emulator, token)
    emulator.inject(Fault.RESET_AFTER_ROTATE, where="token")
    with pytest.raises(aiohttp.ClientError):
        await refresh(session, emulator, token)
    emulator.inject(Fault.HTML, where="token")
    await session.post(f"{emulator.url}/oauth/token", data={"grant_type": "x"})
    emulator.inject(Fault.NO_TOKEN, where="token")
    await refresh(session, emulator, token)
    lines = exchange_lines(caplog)
    fp = fingerprint(token)
    assert lines[0] == (
        f"refresh_token -> 503 server_error [fault server_error] (presented {fp})"
    )
    assert lines[1].startswith(
        "refresh_token -> no answer (connection dropped) after rotating "
        f"[fault reset_after_rotate] (presented {fp}, new "
    )
    assert lines[2] == "x -> 200 no token [fault html]"
    assert (
        lines[3] == f"refresh_token -> 200 no token [fault no_token] (presented {fp})"
    )

    async with session.post(
        f"{emulator.url}/oauth/token",
        data=b"[1]",
        headers={"Content-Type": "application/json"},
    ) as resp:
        assert resp.status == 400
    assert exchange_lines(caplog) == ["(no grant) -> 400 invalid_request"]

    for record in caplog.records:
        for secret in secrets:
            assert secret not in record.getMessage()


async def test_code_exchange_is_logged(
    emulator: RingEmulator,
    session: aiohttp.ClientSession,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A partner's code exchange shows the code's fingerprint, never the code or the secret."""
    caplog.set_level(logging.INFO)
    form = {
        "grant_type": "authorization_code",
        "code": "made-up-code",
        "client_id": PARTNER_ID,
        "client_secret": PARTNER_SECRET,
    }
    status, _, _ = await post_token(session, emulator, form)
    assert status == 400
    assert exchange_lines(caplog) == [
        f"authorization_code -> 400 invalid_grant (code {fingerprint('made-up-code')})"
    ]
    assert PARTNER_SECRET not in caplog.text


async def test_quiet_when_info_is_off(
    emulator: RingEmulator,
    session: aiohttp.ClientSession,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """With the exchange logger above INFO nothing is formatted or logged."""
    caplog.set_level(logging.WARNING, logger="ring_emulator.exchanges")
    await refresh(session, emulator, "whatever")
    assert exchange_lines(caplog) == []


async def test_exchange_listener_hears_each_answer(
    emulator: RingEmulator, session: aiohttp.ClientSession
) -> None:
    """on_exchange gets what the log line says, as data: grant, status, issued, fingerprints."""
    heard: list[TokenExchange] = []
    emulator.exchange_listener = heard.append
    tokens = await login(session, emulator)
    first = tokens["refresh_token"]
    _, rotated = await refresh(session, emulator, first)
    await refresh(session, emulator, "not-a-token")
    emulator.inject(Fault.RESET_AFTER_ROTATE, where="token")
    with pytest.raises(aiohttp.ClientError):
        await refresh(session, emulator, rotated["refresh_token"])
    emulator.clock.advance(10)
    emulator.inject(Fault.SERVER_ERROR, where="token")
    await refresh(session, emulator, rotated["refresh_token"])

    login_answer, rotation, refusal, dropped, outage = heard[-5:]
    assert heard[0].status == 412  # the login's 2FA challenge came first
    assert (login_answer.grant, login_answer.username, login_answer.status) == (
        "password",
        SMS,
        200,
    )
    assert login_answer.issued
    assert login_answer.new == fingerprint(first)
    assert (rotation.grant, rotation.status, rotation.issued) == (
        "refresh_token",
        200,
        True,
    )
    assert rotation.presented == fingerprint(first)
    assert rotation.new == fingerprint(rotated["refresh_token"])
    assert rotation.line() == (
        f"refresh_token -> 200 rotated (presented {fingerprint(first)},"
        f" new {fingerprint(rotated['refresh_token'])})"
    )
    assert (refusal.status, refusal.issued, refusal.outcome) == (
        401,
        False,
        "401 invalid_grant",
    )
    # Ring rotated, the client never heard: no status, but a pair was issued.
    assert (dropped.status, dropped.issued, dropped.fault) == (
        None,
        True,
        "reset_after_rotate",
    )
    assert (outage.status, outage.issued, outage.fault) == (503, False, "server_error")
    assert outage.at - dropped.at >= 10  # the emulator's clock
    secrets = [PASSWORD, first, tokens["access_token"], rotated["refresh_token"]]
    assert not any(secret in repr(heard) for secret in secrets)


async def test_exchange_listener_works_with_the_log_off(
    session: aiohttp.ClientSession, caplog: pytest.LogCaptureFixture
) -> None:
    """A listener passed to the constructor hears answers even when nothing is logged."""
    caplog.set_level(logging.WARNING, logger="ring_emulator.exchanges")
    heard: list[TokenExchange] = []
    async with RingEmulator(on_exchange=heard.append) as emulator:
        await refresh(session, emulator, "whatever")
    assert [(e.grant, e.status) for e in heard] == [("refresh_token", 401)]
    assert exchange_lines(caplog) == []
