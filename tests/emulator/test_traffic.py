"""The live gauges (requests being served, requests held by HANG) and the access-token expiry query."""

from __future__ import annotations

import asyncio

import aiohttp
import pytest

from ring_emulator import Fault, RingEmulator
from ring_emulator.tokens import TokenPair

from .common import NOFA, headers, password_form, post_token, wait_until


async def test_a_request_is_in_flight_while_it_is_served(
    emulator: RingEmulator, session: aiohttp.ClientSession
) -> None:
    """A request counts as in flight while the emulator answers it, and not after."""
    seen: list[tuple[int, int]] = []

    def on_tokens(_account: str, _pair: TokenPair) -> None:
        seen.append((emulator.traffic.in_flight, emulator.traffic.hanging))

    emulator.tokens.listener = on_tokens
    assert (emulator.traffic.in_flight, emulator.traffic.hanging) == (0, 0)

    status, _, _ = await post_token(session, emulator, password_form(NOFA), headers())

    assert status == 200
    assert seen == [(1, 0)]
    assert (emulator.traffic.in_flight, emulator.traffic.hanging) == (0, 0)


async def test_a_hung_request_is_counted_until_its_client_gives_up(
    emulator: RingEmulator, session: aiohttp.ClientSession
) -> None:
    """A HANG fault's request is in flight and hanging until the client leaves."""
    emulator.settings.hang_poll = 0.01
    emulator.inject(Fault.HANG, where="token")

    async def hung_request() -> None:
        async with session.post(
            f"{emulator.url}/oauth/token", data=password_form(NOFA)
        ):
            pass

    request = asyncio.create_task(hung_request())
    await wait_until(lambda: emulator.traffic.hanging == 1)
    assert emulator.traffic.in_flight == 1
    # A normal request meanwhile is served; the hung one stays hanging.
    status, _, _ = await post_token(session, emulator, password_form(NOFA), headers())
    assert status == 200
    assert (emulator.traffic.in_flight, emulator.traffic.hanging) == (1, 1)

    request.cancel()  # the client gives up
    with pytest.raises(asyncio.CancelledError):
        await request
    await wait_until(lambda: emulator.traffic.in_flight == 0)
    assert emulator.traffic.hanging == 0


async def test_stop_releases_the_hanging_gauge(
    emulator: RingEmulator, session: aiohttp.ClientSession
) -> None:
    """Stopping the emulator ends hung requests, and the gauges go back to zero."""
    emulator.inject(Fault.HANG)
    request = asyncio.create_task(
        post_token(session, emulator, password_form(NOFA), headers())
    )
    await wait_until(lambda: emulator.traffic.hanging == 1)

    await emulator.stop()

    with pytest.raises(aiohttp.ServerDisconnectedError):
        await request
    assert (emulator.traffic.in_flight, emulator.traffic.hanging) == (0, 0)


def test_access_token_expires_at(emulator: RingEmulator) -> None:
    """The expiry of an access token as Ring keeps it: known, past, or unknown."""
    body = emulator.issue_tokens(NOFA, expires_in=100)
    now = emulator.clock.now()
    expires_at = emulator.access_token_expires_at(body["access_token"])
    assert expires_at is not None
    assert now + 99 <= expires_at <= now + 100

    emulator.clock.advance(3600)  # expired, still on record: its time is in the past
    assert emulator.access_token_expires_at(body["access_token"]) == expires_at

    assert emulator.access_token_expires_at("not a token") is None
    emulator.revoke(NOFA)
    assert emulator.access_token_expires_at(body["access_token"]) is None
