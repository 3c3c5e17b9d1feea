"""Ring's answers where they are not pinned down: any 2xx, firewall blocks, bodies of every kind."""

import logging
from typing import Any

import aiohttp
import pytest

from custom_components.ring_auth.ringclient import (
    PartnerCredentials,
    RingApi,
    RingAuthClient,
    RingAuthError,
    RingBlockedError,
    RingConnectionError,
    RingMalformedResponseError,
    RingRateLimitedError,
    RingServerError,
    RingTransientError,
    Token,
    TwoFactorRequired,
    _http,
)
from ring_emulator import Fault, RingEmulator
from tests.conftest import EMAIL, PASSWORD

from .conftest import ScriptedRing, assert_no_secrets

PARTNER = PartnerCredentials("partner-id", "partner-secret")
TOKEN = {"access_token": "a-1", "refresh_token": "r-1", "expires_in": 3600}
# What Ring's edge has sent with a block: Cloudflare's text (2026, ring-client-api #1717),
# an openresty page (ring-client-api #1337, #1580), JSON (ring-client-api #1571).
BLOCK_BODIES: list[Any] = [
    "406 Not Acceptable",
    "<html><head><title>406 Not Acceptable</title></head><body>"
    "<center><h1>406 Not Acceptable</h1></center><hr><center>openresty</center></body></html>",
    {"error": "Not Acceptable", "status_code": 406},
    {"error": "access_denied", "error_description": "invalid user credentials"},
    None,
]


async def login(client: RingAuthClient, emulator: RingEmulator) -> Token:
    """Do the whole password + 2FA login and return the token."""
    assert isinstance(await client.async_login(EMAIL, PASSWORD), TwoFactorRequired)
    token = await client.async_login(EMAIL, PASSWORD, emulator.last_code(EMAIL))
    assert isinstance(token, Token)
    return token


# -- any 2xx is success -----------------------------------------------------------------------


@pytest.mark.parametrize("status", [200, 201, 202])
async def test_token_endpoint_success_is_any_2xx(
    scripted: tuple[RingAuthClient, list[Any]], scripted_ring: ScriptedRing, status: int
) -> None:
    """Login, refresh and the code exchange take a token from 200, 201 or any other 2xx."""
    client, _ = scripted
    for _ in range(4):
        scripted_ring.add(status, TOKEN)

    login_token = await client.async_login(EMAIL, PASSWORD, "123456")
    refreshed = await client.async_refresh("r-0")
    partner = await client.async_refresh("r-0", PARTNER)
    linked = await client.async_exchange_code(
        "code", "verifier", "https://x/cb", PARTNER
    )

    for token in (login_token, refreshed, partner, linked):
        assert isinstance(token, Token)
        assert (token.access_token, token.refresh_token) == ("a-1", "r-1")


async def test_2xx_login_without_json_is_malformed(
    scripted: tuple[RingAuthClient, list[Any]], scripted_ring: ScriptedRing
) -> None:
    """A 201 whose body is not a token is malformed (transient), never a login."""
    client, _ = scripted
    scripted_ring.add(201, "<html>Welcome</html>")
    scripted_ring.add(204)

    for _ in range(2):
        with pytest.raises(RingMalformedResponseError):
            await client.async_login(EMAIL, PASSWORD, "123456")


async def test_put_answered_204_returns_none(
    scripted_ring: ScriptedRing, scripted_api: RingApi
) -> None:
    """A PUT answered 204 No Content (no body) succeeds with None; the JSON and params go out."""
    scripted_ring.add(204)

    result = await scripted_api.async_request(
        "PUT", "/doorbots/1", json={"doorbot": {"settings": {}}}, params={"a": "1"}
    )

    assert result is None
    method, path, headers, body = scripted_ring.seen[0]
    assert (method, path) == ("PUT", "/clients_api/doorbots/1?a=1")
    assert headers["Authorization"] == "Bearer access-1"
    assert body == b'{"doorbot": {"settings": {}}}'


async def test_put_without_a_body_says_json(
    scripted_ring: ScriptedRing, scripted_api: RingApi
) -> None:
    """A PUT without a body sends JSON null as application/json (Ring's 422 otherwise)."""
    scripted_ring.add(204)
    scripted_ring.add(200, {"ok": True})

    assert (
        await scripted_api.async_request("PUT", "/doorbots/1/floodlight_light_on")
        is None
    )
    assert await scripted_api.async_request("GET", "/doorbots/1") == {"ok": True}

    (_, _, put_headers, put_body), (_, _, get_headers, _) = scripted_ring.seen
    assert (put_headers["Content-Type"], put_body) == ("application/json", b"null")
    assert "Content-Type" not in get_headers


@pytest.mark.parametrize(
    ("status", "body", "expected"),
    [
        (200, [{"id": 1}], [{"id": 1}]),
        (201, {"ok": True}, {"ok": True}),
        (202, "null", None),
        (200, "42", 42),
    ],
)
async def test_any_json_value_from_any_2xx(
    scripted_ring: ScriptedRing,
    scripted_api: RingApi,
    status: int,
    body: Any,
    expected: Any,
) -> None:
    """async_request returns whatever JSON value Ring sends with any 2xx."""
    headers = {"Content-Type": "application/json"} if isinstance(body, str) else {}
    scripted_ring.add(status, body, **headers)
    assert await scripted_api.async_request("GET", "/anything") == expected


@pytest.mark.parametrize("body", ["<html>ok</html>", b"\xff\xd8\xff\xe0 a jpeg"])
async def test_2xx_body_that_must_be_json_and_is_not(
    scripted_ring: ScriptedRing, scripted_api: RingApi, body: str | bytes
) -> None:
    """A 200 with HTML or binary where JSON was expected is malformed; as bytes it is the body."""
    scripted_ring.add(200, body)
    scripted_ring.add(200, body)

    with pytest.raises(RingMalformedResponseError):
        await scripted_api.async_request("GET", "/snapshots/image/1")
    raw = await scripted_api.async_request_bytes(
        "GET", "/snapshots/image/1", params={"t": "5"}
    )

    assert raw == (body if isinstance(body, bytes) else body.encode())
    assert scripted_ring.seen[1][1] == "/clients_api/snapshots/image/1?t=5"


async def test_json_list_answers_from_the_emulator(
    emulator: RingEmulator, api: RingApi
) -> None:
    """The active dings come as a JSON list: empty, then with the injected ding."""
    await api.async_get_profile()
    assert await api.async_request("GET", "/dings/active") == []
    ding = emulator.inject_ding(EMAIL)
    dings = await api.async_request("GET", "/dings/active")
    assert [d["id"] for d in dings] == [ding["id"]]


# -- firewall blocks: 403 and 406 with any body -----------------------------------------------


@pytest.mark.parametrize("status", [403, 406])
@pytest.mark.parametrize("body", BLOCK_BODIES)
async def test_block_is_never_a_credentials_or_body_problem(
    scripted: tuple[RingAuthClient, list[Any]],
    scripted_ring: ScriptedRing,
    scripted_api: RingApi,
    status: int,
    body: Any,
) -> None:
    """403/406 at login, refresh, code exchange and API calls is RingBlockedError, whatever the body."""
    client, _ = scripted
    for _ in range(5):
        scripted_ring.add(status, body, **{"Retry-After": "7200"})
    calls = [
        client.async_login(EMAIL, PASSWORD),
        client.async_login(EMAIL, PASSWORD, "123456"),
        client.async_refresh("old-refresh"),
        client.async_exchange_code("code", "verifier", "https://x/cb", PARTNER),
        scripted_api.async_get_profile(),
    ]
    for call in calls:
        with pytest.raises(RingBlockedError) as err:
            await call
        assert err.value.status == status
        assert err.value.retry_after == 7200
        assert isinstance(err.value, RingTransientError)
        assert not isinstance(err.value, RingAuthError | RingMalformedResponseError)
        assert_no_secrets(err.value, PASSWORD, "old-refresh", PARTNER.client_secret)


@pytest.mark.parametrize("where", ["password", "refresh", "api"])
async def test_emulator_block_everywhere(
    client: RingAuthClient, api: RingApi, emulator: RingEmulator, where: str
) -> None:
    """The emulator's 406 text block reaches the caller as RingBlockedError; the login survives."""
    token = await login(client, emulator)
    await api.async_get_profile()
    emulator.inject(Fault.BLOCKED, where=where, for_seconds=3600)
    calls = {
        "password": lambda: client.async_login(EMAIL, PASSWORD),
        "refresh": lambda: client.async_refresh(token.refresh_token),
        "api": api.async_get_devices,
    }

    with pytest.raises(RingBlockedError) as err:
        await calls[where]()
    assert (err.value.status, err.value.retry_after) == (406, None)

    emulator.clock.advance(3600)
    assert await calls[where]()


async def test_emulator_block_403_with_html(
    client: RingAuthClient, emulator: RingEmulator
) -> None:
    """The 403 variant with an HTML page at the token endpoint is a block too."""
    emulator.inject(Fault.BLOCKED, where="token", status=403, body="html")
    with pytest.raises(RingBlockedError) as err:
        await client.async_login(EMAIL, PASSWORD)
    assert err.value.status == 403


# -- 429 and 5xx in every body style; odd token answers ---------------------------------------


@pytest.mark.parametrize("style", ["oauth", "message", "html", "text"])
async def test_rate_limit_and_outage_bodies(
    client: RingAuthClient, api: RingApi, emulator: RingEmulator, style: str
) -> None:
    """429 and 5xx are rate limiting and outages whatever their body; Retry-After is kept."""
    token = await login(client, emulator)
    await api.async_get_profile()
    emulator.inject(Fault.RATE_LIMIT, where="token", body=style, retry_after=60)
    emulator.inject(Fault.SERVER_ERROR, where="password", body=style, retry_after=30)
    emulator.inject(Fault.SERVER_ERROR, where="api", body=style, status=502)

    with pytest.raises(RingRateLimitedError) as limited:
        await client.async_refresh(token.refresh_token)
    with pytest.raises(RingServerError) as outage:
        await client.async_login(EMAIL, PASSWORD)
    with pytest.raises(RingServerError) as gateway:
        await api.async_get_devices()

    assert limited.value.retry_after == 60
    assert (outage.value.status, outage.value.retry_after) == (503, 30)
    assert (gateway.value.status, gateway.value.retry_after) == (502, None)


async def test_cut_answer_after_rotation_is_transient_and_recoverable(
    client: RingAuthClient, emulator: RingEmulator
) -> None:
    """Ring rotated but the answer was cut: malformed (transient); the old token still works in grace."""
    token = await login(client, emulator)
    emulator.inject(Fault.TRUNCATED_AFTER_ROTATE, where="refresh")

    with pytest.raises(RingMalformedResponseError) as err:
        await client.async_refresh(token.refresh_token)
    assert_no_secrets(err.value, token.refresh_token)

    again = await client.async_refresh(token.refresh_token)
    assert again.refresh_token != token.refresh_token
    assert emulator.counters.refresh_reuse == 1


async def test_word_for_expires_in_keeps_the_token(
    client: RingAuthClient, emulator: RingEmulator
) -> None:
    """expires_in "soon": the rotated token is kept, with the default lifetime, marked untrusted."""
    token = await login(client, emulator)
    emulator.inject(Fault.ABSURD_EXPIRES_IN, where="refresh", expires_in="soon")

    new = await client.async_refresh(token.refresh_token)

    assert (new.expires_in, new.expires_in_trusted) == (3600, False)
    assert (await client.async_refresh(new.refresh_token)).expires_in_trusted


async def test_blocked_session_open_keeps_profile_unread(
    session: aiohttp.ClientSession, api: RingApi, emulator: RingEmulator
) -> None:
    """A block on POST session is RingBlockedError (not "cannot connect", not malformed)."""
    emulator.inject(Fault.BLOCKED, where="api", count=2)
    for _ in range(2):
        with pytest.raises(RingBlockedError):
            await api.async_get_profile()
    assert (await api.async_get_profile())["email"] == EMAIL


# -- the remaining corners of the transport ---------------------------------------------------


async def test_device_list_that_is_not_an_object(
    scripted_ring: ScriptedRing, scripted_api: RingApi
) -> None:
    """A device list sent as a JSON list is malformed, not an empty household."""
    scripted_ring.add(200, [])
    with pytest.raises(RingMalformedResponseError):
        await scripted_api.async_get_devices()


async def test_nothing_listening_is_a_connection_error_before_sending(
    session: aiohttp.ClientSession, unused_tcp_port: int
) -> None:
    """No connection at all: a connection error that says Ring cannot have seen the request."""
    client = RingAuthClient(
        session, "hw", oauth_url=f"http://127.0.0.1:{unused_tcp_port}"
    )
    with pytest.raises(RingConnectionError) as err:
        await client.async_refresh("a-refresh-token")
    assert err.value.request_sent is False
    assert_no_secrets(err.value, "a-refresh-token")


async def test_partner_requests_carry_no_hardware_id(
    session: aiohttp.ClientSession, scripted_ring: ScriptedRing
) -> None:
    """A partner app has no hardware id: none is sent."""
    client = RingAuthClient(session, "", oauth_url=scripted_ring.url)
    scripted_ring.add(200, TOKEN)
    await client.async_refresh("r-0", PARTNER)
    assert "hardware_id" not in scripted_ring.seen[0][2]


async def test_debug_log_names_the_path_only(
    scripted_ring: ScriptedRing,
    scripted_api: RingApi,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """The debug line shows method, path and status; no query string, no token, no body."""
    caplog.set_level(logging.DEBUG, logger="custom_components.ring_auth.ringclient")
    scripted_ring.add(200, "not json")
    raw = await scripted_api.async_request_bytes("GET", "/x", params={"code": "123"})
    assert raw == b"not json"
    messages = "\n".join(record.getMessage() for record in caplog.records)
    assert f"GET {scripted_ring.url}/clients_api/x -> HTTP 200" in messages
    assert "123" not in messages
    assert "access-1" not in messages
    assert repr(_http.NOT_JSON) == "NOT_JSON"
