"""Password grant with 2FA over real loopback HTTP."""

from __future__ import annotations

import base64

import aiohttp
import pytest

from ring_emulator import RingEmulator

from .common import (
    CLIENT_ID,
    EMAIL,
    HARDWARE_ID,
    NOFA,
    SMS,
    TOTP,
    TOTP_CODE,
    headers,
    login,
    password_form,
    post_token,
)

BAD_CODE = {
    "err_msg": "bad request response from dependency service",
    "error": "Verification Code is invalid or expired",
}


@pytest.mark.parametrize(
    ("email", "expected"),
    [
        (SMS, {"next_time_in_secs": 60, "phone": "+1xxxxxxxx89", "tsv_state": "sms"}),
        (
            EMAIL,
            {
                "next_time_in_secs": 60,
                "phone": "mxxx@example.com",
                "tsv_state": "email",
            },
        ),
        (TOTP, {"next_time_in_secs": 60, "tsv_state": "totp"}),
    ],
)
async def test_challenge_per_tsv_state(
    emulator: RingEmulator,
    session: aiohttp.ClientSession,
    email: str,
    expected: dict[str, object],
) -> None:
    """A login without a code gets the 412 challenge of the account's 2FA method."""
    status, body, _ = await post_token(
        session, emulator, password_form(email), headers()
    )
    assert status == 412
    assert body == expected


async def test_empty_code_is_a_challenge(
    emulator: RingEmulator, session: aiohttp.ClientSession
) -> None:
    """An empty 2fa-code header counts as no code."""
    status, _, _ = await post_token(session, emulator, password_form(SMS), headers(""))
    assert status == 412


async def test_login_success_and_hardware_id(
    emulator: RingEmulator, session: aiohttp.ClientSession
) -> None:
    """The right code returns a token pair; the hardware id becomes an authorized device."""
    body = await login(session, emulator)
    assert set(body) == {
        "access_token",
        "refresh_token",
        "expires_in",
        "scope",
        "token_type",
    }
    assert body["expires_in"] == 3600
    assert body["scope"] == "client"
    assert body["token_type"] == "Bearer"
    assert body["access_token"] != body["refresh_token"]
    await login(session, emulator, hardware_id="second-id")
    await login(session, emulator)
    assert emulator.counters.authorized_devices == {SMS: [HARDWARE_ID, "second-id"]}
    assert emulator.counters.token_calls["password"] == 6
    assert emulator.counters["codes_sent"] == {SMS: 3}


async def test_tokens_distinct_per_issuance(
    emulator: RingEmulator, session: aiohttp.ClientSession
) -> None:
    """Every login issues new random tokens."""
    first = await login(session, emulator)
    emulator.clock.advance(61)
    second = await login(session, emulator)
    assert first["access_token"] != second["access_token"]
    assert first["refresh_token"] != second["refresh_token"]
    assert len(first["refresh_token"]) >= 40


async def test_code_is_single_use(
    emulator: RingEmulator, session: aiohttp.ClientSession
) -> None:
    """A code that has logged in once is spent."""
    await login(session, emulator)
    code = emulator.last_code(SMS)
    assert code is not None
    status, body, _ = await post_token(
        session, emulator, password_form(SMS), headers(code)
    )
    assert (status, body) == (400, BAD_CODE)


async def test_resend_only_after_interval(
    emulator: RingEmulator, session: aiohttp.ClientSession
) -> None:
    """A repeat request inside next_time_in_secs sends no new code; after it, it does."""
    await post_token(session, emulator, password_form(SMS), headers())
    first = emulator.last_code(SMS)
    emulator.clock.advance(30)
    status, body, _ = await post_token(session, emulator, password_form(SMS), headers())
    assert status == 412
    assert 29 <= body["next_time_in_secs"] <= 30
    assert emulator.last_code(SMS) == first
    assert emulator.counters.codes_sent[SMS] == 1
    emulator.clock.advance(31)
    status, body, _ = await post_token(session, emulator, password_form(SMS), headers())
    assert status == 412
    assert body["next_time_in_secs"] == 60
    assert emulator.counters.codes_sent[SMS] == 2
    assert emulator.last_code(SMS) is not None


async def test_old_code_replaced_by_resend(
    emulator: RingEmulator, session: aiohttp.ClientSession
) -> None:
    """Only the latest code sent is valid."""
    account = emulator.settings.find_account(SMS)
    assert account is not None
    account.code = "111111"
    await post_token(session, emulator, password_form(SMS), headers())
    emulator.clock.advance(60)
    account.code = "222222"
    await post_token(session, emulator, password_form(SMS), headers())
    status, _, _ = await post_token(
        session, emulator, password_form(SMS), headers("111111")
    )
    assert status == 400
    status, _, _ = await post_token(
        session, emulator, password_form(SMS), headers("222222")
    )
    assert status == 200


async def test_wrong_code(
    emulator: RingEmulator, session: aiohttp.ClientSession
) -> None:
    """A wrong code gets Ring's 400 body, and the right one still works afterwards."""
    await post_token(session, emulator, password_form(SMS), headers())
    code = emulator.last_code(SMS)
    assert code is not None
    wrong = "000000" if code != "000000" else "999999"
    status, body, _ = await post_token(
        session, emulator, password_form(SMS), headers(wrong)
    )
    assert (status, body) == (400, BAD_CODE)
    status, _, _ = await post_token(
        session, emulator, password_form(SMS), headers(code)
    )
    assert status == 200


async def test_code_without_challenge(
    emulator: RingEmulator, session: aiohttp.ClientSession
) -> None:
    """A code before any was sent is invalid."""
    status, body, _ = await post_token(
        session, emulator, password_form(EMAIL), headers("123456")
    )
    assert (status, body) == (400, BAD_CODE)


async def test_expired_code(
    emulator: RingEmulator, session: aiohttp.ClientSession
) -> None:
    """Codes expire after 10 minutes."""
    await post_token(session, emulator, password_form(EMAIL), headers())
    code = emulator.last_code(EMAIL)
    assert code is not None
    emulator.clock.advance(600)
    status, body, _ = await post_token(
        session, emulator, password_form(EMAIL), headers(code)
    )
    assert (status, body) == (400, BAD_CODE)


async def test_totp_fixed_code(
    emulator: RingEmulator, session: aiohttp.ClientSession
) -> None:
    """A totp account accepts its fixed code, sends nothing, and rejects others."""
    assert emulator.last_code(TOTP) == TOTP_CODE
    status, _, _ = await post_token(session, emulator, password_form(TOTP), headers())
    assert status == 412
    status, body, _ = await post_token(
        session, emulator, password_form(TOTP), headers("000001")
    )
    assert (status, body) == (400, BAD_CODE)
    status, _, _ = await post_token(
        session, emulator, password_form(TOTP), headers(TOTP_CODE)
    )
    assert status == 200
    assert TOTP not in emulator.counters.codes_sent


async def test_totp_random_fixed_code(
    emulator: RingEmulator, session: aiohttp.ClientSession
) -> None:
    """A totp account without a configured code gets one stable random code."""
    account = emulator.settings.find_account(TOTP)
    assert account is not None
    account.code = None
    code = emulator.last_code(TOTP)
    assert code is not None
    assert code == emulator.last_code(TOTP)
    status, _, _ = await post_token(
        session, emulator, password_form(TOTP), headers(code)
    )
    assert status == 200


async def test_account_without_2fa(
    emulator: RingEmulator, session: aiohttp.ClientSession
) -> None:
    """An account with tsv_state None logs in directly."""
    status, body, _ = await post_token(
        session, emulator, password_form(NOFA), headers()
    )
    assert status == 200
    assert "access_token" in body
    assert emulator.last_code(NOFA) is None
    assert emulator.last_code("nobody@example.com") is None


@pytest.mark.parametrize(
    ("email", "password"),
    [(SMS, "wrong"), ("nobody@example.com", "secret-password"), (SMS, "")],
)
async def test_bad_credentials(
    emulator: RingEmulator, session: aiohttp.ClientSession, email: str, password: str
) -> None:
    """A wrong email or password gets 401 access_denied (never a 412)."""
    status, body, _ = await post_token(
        session, emulator, password_form(email, password), headers()
    )
    assert status == 401
    assert body == {
        "error": "access_denied",
        "error_description": "invalid user credentials",
    }
    assert emulator.counters.codes_sent == {}


async def test_email_is_case_insensitive(
    emulator: RingEmulator, session: aiohttp.ClientSession
) -> None:
    """The username matches the account email whatever its case."""
    status, _, _ = await post_token(
        session, emulator, password_form(SMS.upper()), headers()
    )
    assert status == 412


async def test_code_limit(
    emulator: RingEmulator, session: aiohttp.ClientSession
) -> None:
    """The 11th code request within 10 minutes gets 429 with Retry-After."""
    for _ in range(10):
        status, _, _ = await post_token(
            session, emulator, password_form(SMS), headers()
        )
        assert status == 412
        emulator.clock.advance(30)
    status, body, hdrs = await post_token(
        session, emulator, password_form(SMS), headers()
    )
    assert status == 429
    assert body["error_description"] == "too many requests from dependency service"
    assert 1 <= int(hdrs["Retry-After"]) <= 300
    assert emulator.counters.codes_sent[SMS] == 5
    emulator.clock.advance(int(hdrs["Retry-After"]) + 1)
    status, _, _ = await post_token(session, emulator, password_form(SMS), headers())
    assert status == 412


async def test_json_body(
    emulator: RingEmulator, session: aiohttp.ClientSession
) -> None:
    """The password grant also accepts a JSON body (ring-client-api)."""
    status, _, _ = await post_token(
        session, emulator, password_form(SMS), headers(), as_json=True
    )
    assert status == 412
    code = emulator.last_code(SMS)
    assert code is not None
    status, body, _ = await post_token(
        session, emulator, password_form(SMS), headers(code), as_json=True
    )
    assert status == 200
    assert "refresh_token" in body


async def test_basic_auth_alone_is_not_enough(
    emulator: RingEmulator, session: aiohttp.ClientSession
) -> None:
    """HTTP Basic ring_official_android: without client_id in the body is a 400 (since 2024-09)."""
    form = password_form(SMS)
    del form["client_id"]
    basic = base64.b64encode(f"{CLIENT_ID}:".encode()).decode()
    status, body, _ = await post_token(
        session, emulator, form, {**headers(), "Authorization": f"Basic {basic}"}
    )
    assert status == 400
    assert body["error"] == "invalid_request"
    assert emulator.counters.codes_sent == {}


@pytest.mark.parametrize("authorization", [None, "Basic !!!notbase64", "Bearer abc"])
async def test_client_id_required(
    emulator: RingEmulator, session: aiohttp.ClientSession, authorization: str | None
) -> None:
    """Without client_id in the body the password grant is refused, whatever the header."""
    form = password_form(SMS)
    del form["client_id"]
    hdrs = headers()
    if authorization:
        hdrs["Authorization"] = authorization
    status, body, _ = await post_token(session, emulator, form, hdrs)
    assert (status, body["error"]) == (400, "invalid_request")


async def test_wrong_client_id_is_invalid_client(
    emulator: RingEmulator, session: aiohttp.ClientSession
) -> None:
    """A client_id Ring does not know is an invalid client, before the password is looked at."""
    form = password_form(SMS) | {"client_id": "someone_else"}
    status, body, _ = await post_token(session, emulator, form, headers())
    assert (status, body) == (401, {"error": "invalid_client"})


async def test_malformed_and_unknown_grants(
    emulator: RingEmulator, session: aiohttp.ClientSession
) -> None:
    """Broken JSON, a JSON list and an unknown grant are 400s and are counted."""
    url = f"{emulator.url}/oauth/token"
    for raw in (b"{not json", b"[1, 2]"):
        async with session.post(
            url, data=raw, headers={"Content-Type": "application/json"}
        ) as resp:
            assert resp.status == 400
            assert await resp.json() == {"error": "invalid_request"}
    status, body, _ = await post_token(
        session, emulator, {"grant_type": "magic"}, headers(), as_json=True
    )
    assert (status, body) == (400, {"error": "unsupported_grant_type"})
    assert emulator.counters.token_calls["invalid_request"] == 2
    assert emulator.counters.token_calls["magic"] == 1
