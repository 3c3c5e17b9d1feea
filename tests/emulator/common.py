"""Helpers shared by the emulator tests."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
import json
from typing import Any

import aiohttp

from ring_emulator import RingEmulator

CLIENT_ID = "ring_official_android"
SMS = "sms@example.com"
EMAIL = "mail@example.com"
TOTP = "totp@example.com"
NOFA = "nofa@example.com"
PASSWORD = "secret-password"
TOTP_CODE = "424242"
PARTNER_ID = "partner-client-id"
PARTNER_SECRET = "partner-secret"
HARDWARE_ID = "3f1d2c4e-0000-4000-8000-000000000001"


async def post_token(
    session: aiohttp.ClientSession,
    emu: RingEmulator,
    data: dict[str, str],
    headers: dict[str, str] | None = None,
    *,
    as_json: bool = False,
) -> tuple[int, Any, aiohttp.typedefs.LooseHeaders]:
    """POST /oauth/token; return (status, parsed JSON body, headers)."""
    kwargs: dict[str, Any] = {"json": data} if as_json else {"data": data}
    async with session.post(
        f"{emu.url}/oauth/token", headers=headers or {}, **kwargs
    ) as resp:
        return resp.status, parsed(await resp.read()), resp.headers


def parsed(raw: bytes) -> Any:
    """Return a body parsed as JSON, or as text when it is not JSON (a block, an HTML page)."""
    try:
        return json.loads(raw)
    except ValueError:
        return raw.decode(errors="replace")


def password_form(email: str, password: str = PASSWORD) -> dict[str, str]:
    """Return the password-grant form."""
    return {
        "grant_type": "password",
        "client_id": CLIENT_ID,
        "scope": "client",
        "username": email,
        "password": password,
    }


def refresh_form(
    token: str, client_id: str = CLIENT_ID, secret: str | None = None
) -> dict[str, str]:
    """Return the refresh-grant form."""
    form = {
        "grant_type": "refresh_token",
        "client_id": client_id,
        "refresh_token": token,
    }
    if client_id == CLIENT_ID:
        form["scope"] = "client"
    if secret is not None:
        form["client_secret"] = secret
    return form


def headers(code: str | None = None, hardware_id: str = HARDWARE_ID) -> dict[str, str]:
    """Return the headers a Ring client sends."""
    out = {
        "hardware_id": hardware_id,
        "User-Agent": "ring-auth-test",
        "2fa-support": "true",
    }
    if code is not None:
        out["2fa-code"] = code
    return out


async def login(
    session: aiohttp.ClientSession,
    emu: RingEmulator,
    email: str = SMS,
    hardware_id: str = HARDWARE_ID,
) -> dict[str, Any]:
    """Do the whole 2FA login and return the token body."""
    status, body, _ = await post_token(
        session, emu, password_form(email), headers(hardware_id=hardware_id)
    )
    assert status == 412, body
    code = emu.last_code(email)
    assert code is not None
    status, body, _ = await post_token(
        session, emu, password_form(email), headers(code, hardware_id=hardware_id)
    )
    assert status == 200, body
    return dict(body)


async def refresh(
    session: aiohttp.ClientSession, emu: RingEmulator, token: str, **kwargs: Any
) -> tuple[int, Any]:
    """Present a refresh token; return (status, body)."""
    status, body, _ = await post_token(
        session, emu, refresh_form(token, **kwargs), headers()
    )
    return status, body


async def api_get(
    session: aiohttp.ClientSession,
    emu: RingEmulator,
    access_token: str,
    path: str = "/clients_api/ring_devices",
    hardware_id: str = HARDWARE_ID,
) -> tuple[int, Any]:
    """GET an API path (the device list by default) with a bearer token."""
    hdrs = {
        "Authorization": f"Bearer {access_token}",
        **headers(hardware_id=hardware_id),
    }
    async with session.get(f"{emu.url}{path}", headers=hdrs) as resp:
        return resp.status, parsed(await resp.read())


async def open_session(
    session: aiohttp.ClientSession,
    emu: RingEmulator,
    access_token: str,
    hardware_id: str = HARDWARE_ID,
) -> tuple[int, Any]:
    """POST /clients_api/session for this hardware id, as Ring's apps do."""
    hdrs = {
        "Authorization": f"Bearer {access_token}",
        **headers(hardware_id=hardware_id),
    }
    body = {
        "device": {
            "hardware_id": hardware_id,
            "metadata": {"api_version": "11", "device_model": "ring-auth-test"},
            "os": "android",
        }
    }
    async with session.post(
        f"{emu.url}/clients_api/session", json=body, headers=hdrs
    ) as resp:
        return resp.status, await resp.json(content_type=None)


async def wait_until(predicate: Callable[[], bool], tries: int = 300) -> None:
    """Poll a condition every 10 ms until it holds (fail after `tries` polls)."""
    for _ in range(tries):
        if predicate():
            return
        await asyncio.sleep(0.01)
    raise AssertionError("condition not reached")
