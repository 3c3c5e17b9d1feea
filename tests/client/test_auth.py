"""The Ring token client against the emulator over real loopback HTTP."""

import base64
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import aiohttp
from aiohttp import web
import pytest

from custom_components.ring_auth.ringclient import (
    BASE_URL_ENV,
    PartnerCredentials,
    RingApi,
    RingApiError,
    RingAuthClient,
    RingAuthError,
    RingConnectionError,
    RingInvalidClientError,
    RingInvalidCodeError,
    RingInvalidCredentialsError,
    RingInvalidGrantError,
    RingMalformedResponseError,
    RingRateLimitedError,
    RingServerError,
    RingTimeoutError,
    RingTooManyCodesError,
    RingTransientError,
    Token,
    TwoFactorRequired,
)
from custom_components.ring_auth.ringclient._http import parse_retry_after
from custom_components.ring_auth.ringclient.const import (
    DEFAULT_EXPIRES_IN,
    MAX_EXPIRES_IN,
    MIN_EXPIRES_IN,
)
from ring_emulator import Account, Fault, RingEmulator
from tests.conftest import EMAIL, PASSWORD

from .conftest import HARDWARE_ID, Script, answer, assert_no_secrets

PARTNER = PartnerCredentials("partner-id", "partner-secret")


async def login(client: RingAuthClient, emulator: RingEmulator) -> Token:
    """Do the whole password + 2FA login and return the token."""
    challenge = await client.async_login(EMAIL, PASSWORD)
    assert isinstance(challenge, TwoFactorRequired)
    code = emulator.last_code(EMAIL)
    assert code is not None
    token = await client.async_login(EMAIL, PASSWORD, code)
    assert isinstance(token, Token)
    return token


# -- login and 2FA -------------------------------------------------------------------------


async def test_login_without_code_asks_for_sms_code(
    client: RingAuthClient, emulator: RingEmulator
) -> None:
    """The first login answers with the 2FA challenge and a masked phone, not a token."""
    result = await client.async_login(EMAIL, PASSWORD)

    assert isinstance(result, TwoFactorRequired)
    assert result.tsv_state == "sms"
    assert result.phone == "+1xxxxxxxx89"
    assert result.next_time_in_secs == 60
    assert result.resend_at == pytest.approx(result.received_at + 60)
    assert emulator.counters.codes_sent == {EMAIL: 1}
    assert emulator.counters.token_calls["password"] == 1


@pytest.mark.parametrize(
    ("tsv_state", "destination"),
    [("email", "mxxx@example.com"), ("totp", None)],
)
async def test_login_challenge_for_email_and_authenticator_app(
    client: RingAuthClient,
    emulator: RingEmulator,
    tsv_state: str,
    destination: str | None,
) -> None:
    """Email and authenticator-app accounts get their own tsv_state; a code logs them in."""
    emulator.settings.accounts.append(
        Account(email="mail@example.com", password="pw-2", tsv_state=tsv_state)  # type: ignore[arg-type]
    )
    result = await client.async_login("mail@example.com", "pw-2")

    assert isinstance(result, TwoFactorRequired)
    assert result.tsv_state == tsv_state
    assert result.phone == destination
    code = emulator.last_code("mail@example.com")
    assert code is not None
    token = await client.async_login("mail@example.com", "pw-2", code)
    assert isinstance(token, Token)


async def test_login_with_right_code_returns_token_without_secrets_in_repr(
    client: RingAuthClient, emulator: RingEmulator
) -> None:
    """The right code yields a usable token whose repr hides both secrets."""
    token = await login(client, emulator)

    assert token.access_token
    assert token.refresh_token
    assert token.access_token != token.refresh_token
    assert token.expires_in == 3600
    assert token.expires_in_trusted is True
    assert token.expires_at == pytest.approx(token.received_at + 3600)
    assert token.access_token not in repr(token)
    assert token.refresh_token not in repr(token)
    assert emulator.counters.authorized_devices[EMAIL] == [HARDWARE_ID]
    assert Token.from_dict(token.as_dict()) == token


async def test_stored_token_round_trips_without_received_at(
    client: RingAuthClient, emulator: RingEmulator
) -> None:
    """A token stored by an older version (no received_at) is read back from expires_at."""
    token = await login(client, emulator)
    stored = token.as_dict()
    del stored["received_at"]
    del stored["scope"]

    restored = Token.from_dict(stored)

    assert restored.received_at == pytest.approx(token.received_at)
    assert restored.refresh_token == token.refresh_token
    assert restored.scope == "client"


async def test_wrong_code_is_invalid_code_not_wrong_password(
    client: RingAuthClient, emulator: RingEmulator
) -> None:
    """A wrong code says so (the user retypes the code, not the password)."""
    await client.async_login(EMAIL, PASSWORD)
    right = emulator.last_code(EMAIL)
    wrong = "000000" if right != "000000" else "111111"

    with pytest.raises(RingInvalidCodeError) as err:
        await client.async_login(EMAIL, PASSWORD, wrong)

    assert not isinstance(err.value, RingInvalidCredentialsError)
    assert_no_secrets(err.value, PASSWORD, wrong, right)


async def test_wrong_password_is_invalid_credentials(
    client: RingAuthClient, emulator: RingEmulator
) -> None:
    """A wrong password is reported as wrong credentials, and the message hides it."""
    with pytest.raises(RingInvalidCredentialsError) as err:
        await client.async_login(EMAIL, "not the password")

    assert_no_secrets(err.value, "not the password", PASSWORD)
    assert emulator.counters.codes_sent == {}


async def test_too_many_codes_is_reported_with_retry_after(
    client: RingAuthClient, emulator: RingEmulator
) -> None:
    """Past Ring's code limit the user is told to wait, not that the password is wrong."""
    emulator.settings.code_limit = 2
    for _ in range(2):
        assert isinstance(await client.async_login(EMAIL, PASSWORD), TwoFactorRequired)

    with pytest.raises(RingTooManyCodesError) as err:
        await client.async_login(EMAIL, PASSWORD)

    assert isinstance(err.value, RingRateLimitedError)
    assert err.value.retry_after is not None
    assert 0 < err.value.retry_after <= 600
    assert_no_secrets(err.value, PASSWORD)


@pytest.mark.parametrize("with_code", [False, True])
async def test_rate_limited_login_is_never_credentials_nor_2fa(
    client: RingAuthClient, emulator: RingEmulator, with_code: bool
) -> None:
    """A 429 on login is "try later" with Ring's wait, never "wrong password" or "enter code"."""
    code = None
    if with_code:
        await client.async_login(EMAIL, PASSWORD)
        code = emulator.last_code(EMAIL)
    emulator.inject(Fault.RATE_LIMIT, where="token", retry_after=120)

    with pytest.raises(RingRateLimitedError) as err:
        await client.async_login(EMAIL, PASSWORD, code)

    assert err.value.retry_after == 120
    assert not isinstance(err.value, RingTooManyCodesError | RingAuthError)
    assert isinstance(err.value, RingTransientError)
    assert_no_secrets(err.value, PASSWORD, code)


@pytest.mark.parametrize("status", [500, 502, 503])
async def test_server_error_on_login(
    client: RingAuthClient, emulator: RingEmulator, status: int
) -> None:
    """A Ring outage during login is a server error, not a refused login."""
    emulator.inject(Fault.SERVER_ERROR, where="token", status=status)

    with pytest.raises(RingServerError) as err:
        await client.async_login(EMAIL, PASSWORD)

    assert err.value.status == status
    assert not isinstance(err.value, RingAuthError)


@pytest.mark.parametrize("fault", [Fault.HTML, Fault.TRUNCATED_JSON, Fault.NO_TOKEN])
async def test_malformed_login_answer(
    client: RingAuthClient, emulator: RingEmulator, fault: Fault
) -> None:
    """An HTML page, cut JSON or a body without a token is malformed, never a success."""
    await client.async_login(EMAIL, PASSWORD)
    code = emulator.last_code(EMAIL)
    emulator.inject(fault, where="token")

    with pytest.raises(RingMalformedResponseError) as err:
        await client.async_login(EMAIL, PASSWORD, code)

    assert_no_secrets(err.value, PASSWORD, code)


async def test_login_hang_times_out(
    emulator: RingEmulator, session: aiohttp.ClientSession
) -> None:
    """A Ring that never answers is given up on after the client's timeout."""
    client = RingAuthClient(session, HARDWARE_ID, timeout=0.3)
    emulator.inject(Fault.HANG, where="token")

    with pytest.raises(RingTimeoutError) as err:
        await client.async_login(EMAIL, PASSWORD)

    assert isinstance(err.value, RingConnectionError)
    assert_no_secrets(err.value, PASSWORD)


async def test_login_reset_is_connection_error(
    client: RingAuthClient, emulator: RingEmulator
) -> None:
    """A connection closed without an answer is a connection error."""
    emulator.inject(Fault.RESET, where="token")

    with pytest.raises(RingConnectionError) as err:
        await client.async_login(EMAIL, PASSWORD)

    assert not isinstance(err.value, RingTimeoutError)
    assert_no_secrets(err.value, PASSWORD)


# -- refresh ----------------------------------------------------------------------------------


async def test_consumer_refresh_rotates_every_time(
    client: RingAuthClient, emulator: RingEmulator, session: aiohttp.ClientSession
) -> None:
    """Each refresh returns a new refresh token and an access token the API accepts."""
    token = await login(client, emulator)
    seen = {token.refresh_token}
    for _ in range(3):
        token = await client.async_refresh(token.refresh_token)
        assert token.refresh_token not in seen
        seen.add(token.refresh_token)
        assert token.expires_in_trusted

    assert emulator.counters.token_calls["refresh_token"] == 3
    assert emulator.counters.refresh_reuse == 0

    class Fixed:
        async def async_get_access_token(self) -> str:
            return token.access_token

        async def async_refresh_after_unauthorized(self, rejected: str) -> str:
            raise AssertionError("the fresh access token was refused")

    api = RingApi(session, Fixed(), HARDWARE_ID)  # type: ignore[arg-type]
    assert (await api.async_get_profile())["email"] == EMAIL


async def test_partner_refresh_rotates(
    client: RingAuthClient, emulator: RingEmulator
) -> None:
    """Partner tokens refresh with the client secret, and rotate too."""
    first = emulator.issue_tokens(EMAIL, client_id=PARTNER.client_id)

    second = await client.async_refresh(first["refresh_token"], PARTNER)
    third = await client.async_refresh(second.refresh_token, PARTNER)

    assert len({first["refresh_token"], second.refresh_token, third.refresh_token}) == 3
    assert PARTNER.client_secret not in repr(PARTNER)


async def test_wrong_partner_secret_is_invalid_client(
    client: RingAuthClient, emulator: RingEmulator
) -> None:
    """A wrong partner secret is an invalid client, told apart from a dead token."""
    first = emulator.issue_tokens(EMAIL, client_id=PARTNER.client_id)
    wrong = PartnerCredentials(PARTNER.client_id, "wrong-secret")

    with pytest.raises(RingInvalidClientError) as err:
        await client.async_refresh(first["refresh_token"], wrong)

    assert not isinstance(err.value, RingInvalidGrantError)
    assert_no_secrets(err.value, "wrong-secret", first["refresh_token"])


async def test_revoked_refresh_token_is_invalid_grant(
    client: RingAuthClient, emulator: RingEmulator
) -> None:
    """After a password change (revocation) the refresh token is a lost login."""
    token = await login(client, emulator)
    emulator.revoke(EMAIL)

    with pytest.raises(RingInvalidGrantError) as err:
        await client.async_refresh(token.refresh_token)

    assert_no_secrets(err.value, token.refresh_token, token.access_token)


async def test_unknown_refresh_token_is_invalid_grant(
    client: RingAuthClient, emulator: RingEmulator
) -> None:
    """A refresh token Ring never issued is a lost login."""
    with pytest.raises(RingInvalidGrantError) as err:
        await client.async_refresh("never-issued-token")

    assert_no_secrets(err.value, "never-issued-token")


async def test_reused_refresh_token_without_grace_is_invalid_grant(
    client: RingAuthClient, emulator: RingEmulator
) -> None:
    """With strictly single-use tokens (grace 0), a second use of the old token is refused."""
    emulator.settings.grace = 0
    token = await login(client, emulator)
    await client.async_refresh(token.refresh_token)

    with pytest.raises(RingInvalidGrantError):
        await client.async_refresh(token.refresh_token)

    assert emulator.counters.refresh_reuse == 1


async def test_lost_refresh_response_can_be_retried_inside_grace(
    client: RingAuthClient, emulator: RingEmulator
) -> None:
    """A refresh whose answer was lost after rotation is a connection error; retrying works."""
    token = await login(client, emulator)
    emulator.inject(Fault.RESET_AFTER_ROTATE, where="token")

    with pytest.raises(RingConnectionError) as err:
        await client.async_refresh(token.refresh_token)
    assert_no_secrets(err.value, token.refresh_token)

    again = await client.async_refresh(token.refresh_token)
    assert again.refresh_token != token.refresh_token
    assert emulator.counters.refresh_reuse == 1


@pytest.mark.parametrize(
    ("fault", "error"),
    [
        (Fault.RATE_LIMIT, RingRateLimitedError),
        (Fault.SERVER_ERROR, RingServerError),
        (Fault.HTML, RingMalformedResponseError),
        (Fault.TRUNCATED_JSON, RingMalformedResponseError),
        (Fault.NO_TOKEN, RingMalformedResponseError),
        (Fault.RESET, RingConnectionError),
    ],
)
async def test_refresh_failures_are_transient_and_keep_the_token(
    client: RingAuthClient,
    emulator: RingEmulator,
    fault: Fault,
    error: type[Exception],
) -> None:
    """Outages and junk during a refresh are transient, and the refresh token still works."""
    token = await login(client, emulator)
    emulator.inject(fault, where="token")

    with pytest.raises(error) as err:
        await client.async_refresh(token.refresh_token)

    assert isinstance(err.value, RingTransientError)
    assert not isinstance(err.value, RingAuthError)
    assert_no_secrets(err.value, token.refresh_token, token.access_token)
    assert (await client.async_refresh(token.refresh_token)).refresh_token


async def test_rate_limited_refresh_carries_retry_after(
    client: RingAuthClient, emulator: RingEmulator
) -> None:
    """Ring's Retry-After reaches the caller."""
    token = await login(client, emulator)
    emulator.inject(Fault.RATE_LIMIT, where="token", retry_after=600)

    with pytest.raises(RingRateLimitedError) as err:
        await client.async_refresh(token.refresh_token)

    assert err.value.retry_after == 600
    assert "600" in str(err.value)


async def test_refresh_hang_times_out(
    emulator: RingEmulator, session: aiohttp.ClientSession
) -> None:
    """A hung refresh ends with a timeout after the client's limit."""
    client = RingAuthClient(session, HARDWARE_ID, timeout=0.3)
    token = await login(client, emulator)
    emulator.inject(Fault.HANG, where="token")

    with pytest.raises(RingTimeoutError) as err:
        await client.async_refresh(token.refresh_token)

    assert_no_secrets(err.value, token.refresh_token)


@pytest.mark.parametrize(
    ("fault", "expires_in", "expected"),
    [
        (Fault.MISSING_EXPIRES_IN, None, DEFAULT_EXPIRES_IN),
        (Fault.ABSURD_EXPIRES_IN, -5, MIN_EXPIRES_IN),
        (Fault.ABSURD_EXPIRES_IN, 0, MIN_EXPIRES_IN),
        (Fault.ABSURD_EXPIRES_IN, 10**12, MAX_EXPIRES_IN),
    ],
)
async def test_odd_expires_in_is_clamped_and_token_kept(
    client: RingAuthClient,
    emulator: RingEmulator,
    fault: Fault,
    expires_in: int | None,
    expected: int,
) -> None:
    """A rotated token with an unusable lifetime is kept (clamped), so the login survives."""
    token = await login(client, emulator)
    emulator.inject(fault, where="token", expires_in=expires_in)

    new = await client.async_refresh(token.refresh_token)

    assert new.expires_in == expected
    assert new.expires_in_trusted is False
    # The rotated token is the live one: it refreshes again.
    assert (await client.async_refresh(new.refresh_token)).expires_in_trusted


async def test_code_exchange_refused_is_an_invalid_grant(
    client: RingAuthClient, emulator: RingEmulator
) -> None:
    """An authorization code Ring will not take is an invalid grant that hides the code."""
    with pytest.raises(RingInvalidGrantError) as err:
        await client.async_exchange_code(
            "the-code", "the-verifier", "https://example.com/cb", PARTNER
        )

    assert emulator.counters.token_calls["authorization_code"] == 1
    assert_no_secrets(err.value, "the-code", "the-verifier", PARTNER.client_secret)


# -- base URL ---------------------------------------------------------------------------------


def test_base_url_defaults_to_ring(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Without RING_AUTH_BASE_URL the client talks to Ring itself."""
    monkeypatch.delenv(BASE_URL_ENV, raising=False)
    client = RingAuthClient(None, HARDWARE_ID)  # type: ignore[arg-type]
    api = RingApi(None, None, HARDWARE_ID)  # type: ignore[arg-type]

    assert client.token_url == "https://oauth.ring.com/oauth/token"
    assert api.base_url == "https://api.ring.com/clients_api"


def test_base_url_from_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """RING_AUTH_BASE_URL (trailing slash and spaces tolerated) points both at the emulator."""
    monkeypatch.setenv(BASE_URL_ENV, " http://127.0.0.1:8765/ ")
    client = RingAuthClient(None, HARDWARE_ID)  # type: ignore[arg-type]
    api = RingApi(None, None, HARDWARE_ID)  # type: ignore[arg-type]

    assert client.token_url == "http://127.0.0.1:8765/oauth/token"
    assert api.base_url == "http://127.0.0.1:8765/clients_api"


def test_explicit_url_wins_over_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """An explicit URL beats the environment variable."""
    monkeypatch.setenv(BASE_URL_ENV, "http://127.0.0.1:8765")
    client = RingAuthClient(None, HARDWARE_ID, oauth_url="http://localhost:1/")  # type: ignore[arg-type]
    api = RingApi(None, None, HARDWARE_ID, api_url="http://localhost:2/")  # type: ignore[arg-type]

    assert client.token_url == "http://localhost:1/oauth/token"
    assert api.base_url == "http://localhost:2/clients_api"


def test_retry_after_forms() -> None:
    """Retry-After as seconds or as an HTTP date; junk and negatives are safe."""
    assert parse_retry_after("30") == 30
    assert parse_retry_after("-4") == 0
    assert parse_retry_after(None) is None
    assert parse_retry_after("") is None
    assert parse_retry_after("soon") is None
    in_ten_minutes = format_datetime(
        datetime.now(UTC) + timedelta(minutes=10), usegmt=True
    )
    assert parse_retry_after(in_ten_minutes) == pytest.approx(600, abs=2)


# -- answers the emulator does not give: a scripted server -------------------------------


@pytest.mark.parametrize(
    ("body", "tsv_state", "phone"),
    [
        ({"next_time_in_secs": 60, "phone": "+3xxxxxxxx44"}, "sms", "+3xxxxxxxx44"),
        (
            {"next_time_in_secs": 60, "phone": "mxxx@example.com"},
            "email",
            "mxxx@example.com",
        ),
        ({"tsv_state": "push", "next_time_in_secs": 60}, "sms", None),
        ({"tsv_state": None}, "sms", None),
    ],
)
async def test_challenge_without_a_known_tsv_state(
    scripted: tuple[RingAuthClient, list[Script]],
    body: dict[str, object],
    tsv_state: str,
    phone: str | None,
) -> None:
    """A 412 without (or with an unknown) tsv_state is still a challenge; the way is guessed."""
    client, answers = scripted
    answers.append(answer(412, body))

    result = await client.async_login(EMAIL, PASSWORD)

    assert isinstance(result, TwoFactorRequired)
    assert (result.tsv_state, result.phone) == (tsv_state, phone)


async def test_challenge_without_json_is_malformed(
    scripted: tuple[RingAuthClient, list[Script]],
) -> None:
    """A 412 page that is not JSON is malformed, not a challenge."""
    client, answers = scripted
    answers.append(answer(412, "<html>Precondition Failed</html>"))

    with pytest.raises(RingMalformedResponseError):
        await client.async_login(EMAIL, PASSWORD)


async def test_challenge_with_odd_fields(
    scripted: tuple[RingAuthClient, list[Script]],
) -> None:
    """A challenge with an empty phone and a text resend time is still a challenge."""
    client, answers = scripted
    answers.append(
        answer(412, {"tsv_state": "sms", "phone": "", "next_time_in_secs": "45"})
    )
    answers.append(answer(412, {"tsv_state": "sms", "next_time_in_secs": "soon"}))
    answers.append(answer(412, {"tsv_state": "sms", "next_time_in_secs": 30.0}))
    answers.append(answer(412, {"tsv_state": "sms", "next_time_in_secs": True}))
    answers.append(answer(412, {"tsv_state": "sms", "next_time_in_secs": [1]}))

    results = [await client.async_login(EMAIL, PASSWORD) for _ in range(5)]

    assert [r.next_time_in_secs for r in results] == [45, 60, 30, 60, 60]  # type: ignore[union-attr]
    assert results[0].phone is None  # type: ignore[union-attr]


async def test_401_without_json_is_not_wrong_password(
    scripted: tuple[RingAuthClient, list[Script]],
) -> None:
    """A 401 from a proxy (HTML) is not read as a wrong password."""
    client, answers = scripted
    answers.append(answer(401, "<html>Unauthorized</html>"))

    with pytest.raises(RingMalformedResponseError):
        await client.async_login(EMAIL, PASSWORD)


async def test_unexpected_status_is_api_error(
    scripted: tuple[RingAuthClient, list[Script]],
) -> None:
    """A status that fits nothing (409 with JSON) is an API error, not a lost login."""
    client, answers = scripted
    answers.append(answer(409, {"error": "conflict"}))
    answers.append(answer(409, {"error": "conflict"}))

    with pytest.raises(RingApiError) as login_err:
        await client.async_login(EMAIL, PASSWORD)
    with pytest.raises(RingApiError) as refresh_err:
        await client.async_refresh("some-token")

    assert login_err.value.status == refresh_err.value.status == 409
    assert not isinstance(refresh_err.value, RingAuthError)


async def test_refresh_without_new_refresh_token_keeps_the_old_one(
    scripted: tuple[RingAuthClient, list[Script]],
) -> None:
    """Ring may omit refresh_token (no rotation): the old one stays in use."""
    client, answers = scripted
    answers.append(answer(200, {"access_token": "new-access", "expires_in": "7200"}))

    token = await client.async_refresh("old-refresh")

    assert token.refresh_token == "old-refresh"
    assert token.expires_in == 7200
    assert token.expires_in_trusted
    assert token.scope == "client"
    assert token.token_type == "Bearer"


async def test_json_that_is_not_an_object_is_malformed(
    scripted: tuple[RingAuthClient, list[Script]],
) -> None:
    """A JSON list or string is not a token answer."""
    client, answers = scripted
    answers.append(answer(200, ["access_token"]))

    with pytest.raises(RingMalformedResponseError):
        await client.async_refresh("old-refresh")


async def test_retry_after_as_http_date(
    scripted: tuple[RingAuthClient, list[Script]],
) -> None:
    """A Retry-After given as a date is turned into seconds."""
    client, answers = scripted
    when = format_datetime(datetime.now(UTC) + timedelta(seconds=300), usegmt=True)
    answers.append(answer(429, {"error": "slow down"}, **{"Retry-After": when}))

    with pytest.raises(RingRateLimitedError) as err:
        await client.async_refresh("old-refresh")

    assert err.value.retry_after == pytest.approx(300, abs=2)


async def test_too_many_codes_as_400(
    scripted: tuple[RingAuthClient, list[Script]],
) -> None:
    """Ring sometimes refuses extra codes with a 400: still too many codes, not a bad code."""
    client, answers = scripted
    answers.append(
        answer(400, {"error_description": "too many requests from dependency service"})
    )

    with pytest.raises(RingTooManyCodesError) as err:
        await client.async_login(EMAIL, PASSWORD)

    assert err.value.retry_after is None
    assert str(err.value) == "Too many verification codes requested"


async def test_code_exchange_returns_token(
    scripted: tuple[RingAuthClient, list[Script]],
) -> None:
    """Account linking: a good code (with its PKCE verifier) becomes a token."""
    client, answers = scripted
    seen: list[dict[str, str]] = []

    async def record(request: web.Request) -> web.StreamResponse:
        seen.append(dict(await request.post()))  # type: ignore[arg-type]
        return web.json_response(
            {"access_token": "a", "refresh_token": "r", "expires_in": 14400}
        )

    answers.append(record)  # type: ignore[arg-type]

    token = await client.async_exchange_code(
        "the-code", "the-verifier", "https://example.com/cb", PARTNER
    )

    assert token.expires_in == 14400
    assert token.refresh_token == "r"
    assert seen[0]["code_verifier"] == "the-verifier"
    assert seen[0]["client_secret"] == PARTNER.client_secret


async def test_requests_carry_ring_headers_and_client(
    scripted: tuple[RingAuthClient, list[Script]],
) -> None:
    """Ring sees the headers real apps send: hardware id, 2FA support, Basic client, form body."""
    client, answers = scripted
    seen: list[tuple[dict[str, str], dict[str, str]]] = []

    async def record(request: web.Request) -> web.StreamResponse:
        form = {k: str(v) for k, v in (await request.post()).items()}
        seen.append((dict(request.headers), form))
        return web.json_response(
            {"access_token": "a", "refresh_token": "r", "expires_in": 3600}
        )

    answers.extend([record, record, record])  # type: ignore[list-item]

    await client.async_login(EMAIL, PASSWORD, "123456")
    await client.async_refresh("consumer-refresh")
    await client.async_refresh("partner-refresh", PARTNER)

    (login_h, login_f), (refresh_h, refresh_f), (partner_h, partner_f) = seen
    basic = "Basic " + base64.b64encode(b"ring_official_android:").decode()
    assert login_h["Authorization"] == refresh_h["Authorization"] == basic
    assert "Authorization" not in partner_h
    assert {login_h["hardware_id"], refresh_h["hardware_id"]} == {HARDWARE_ID}
    assert login_h["2fa-support"] == "true"
    assert login_h["2fa-code"] == "123456"
    assert login_h["Content-Type"] == "application/x-www-form-urlencoded"
    assert login_f["client_id"] == refresh_f["client_id"] == "ring_official_android"
    assert login_f["grant_type"] == "password"
    assert login_f["scope"] == refresh_f["scope"] == "client"
    assert refresh_f["refresh_token"] == "consumer-refresh"
    assert partner_f == {
        "grant_type": "refresh_token",
        "refresh_token": "partner-refresh",
        "client_id": "partner-id",
        "client_secret": "partner-secret",
    }
