"""The web sign-in (OAuth2 code + PKCE behind Ring's CSRF page) against the emulator."""

import logging

import aiohttp
import pytest

from custom_components.ring_auth.ringclient import (
    RingAuthClient,
    RingAuthError,
    RingBlockedError,
    RingConnectionError,
    RingInvalidCodeError,
    RingInvalidCredentialsError,
    RingInvalidGrantError,
    RingMalformedResponseError,
    RingRateLimitedError,
    RingServerError,
    RingTimeoutError,
    RingTooManyCodesError,
    RingTransientError,
    RingWebSignIn,
    SignInStep,
    Token,
    TwoFactorRequired,
)
from ring_emulator import Account, Fault, RingEmulator, Tamper
from tests.conftest import EMAIL, PASSWORD

from .conftest import HARDWARE_ID, assert_no_secrets


@pytest.fixture
def web(emulator: RingEmulator, session: aiohttp.ClientSession) -> RingWebSignIn:
    """Return a web sign-in on the emulator, through a session whose jar drops its cookies."""
    return RingWebSignIn(session, HARDWARE_ID)


def wrong_code(emulator: RingEmulator, email: str = EMAIL) -> str:
    """Return a code that is not the one sent."""
    return "000000" if emulator.last_code(email) != "000000" else "111111"


async def sign_in(web: RingWebSignIn, emulator: RingEmulator) -> Token:
    """Do the whole sign-in with the code the emulator sent."""
    challenge = await web.async_start(EMAIL, PASSWORD)
    assert isinstance(challenge, TwoFactorRequired)
    code = emulator.last_code(EMAIL)
    assert code is not None
    token = await web.async_submit_code(code)
    assert isinstance(token, Token)
    return token


async def test_sms_sign_in_gives_a_token_that_refreshes(
    web: RingWebSignIn, emulator: RingEmulator, session: aiohttp.ClientSession
) -> None:
    """Challenge with method and masked phone, then a consumer token like the password grant's."""
    challenge = await web.async_start(EMAIL, PASSWORD)
    assert isinstance(challenge, TwoFactorRequired)
    assert (challenge.tsv_state, challenge.phone) == ("sms", "+1xxxxxxxx89")
    assert challenge.next_time_in_secs == 60
    assert web.step is SignInStep.CODE
    code = emulator.last_code(EMAIL)
    assert code is not None

    token = await web.async_submit_code(f" {code} ")

    assert isinstance(token, Token)
    assert token.expires_in == 3600
    assert web.step is SignInStep.DONE
    assert repr(web) == "<RingWebSignIn step=done>"
    assert emulator.counters.authorized_devices[EMAIL] == [HARDWARE_ID]
    assert emulator.counters.token_calls["password"] == 0
    assert emulator.counters.web_signin == {
        "authorize": 1,
        "signin_page": 1,
        "signin": 1,
        "verify": 1,
        "complete": 1,
        "exchange": 1,
        "blocked": 0,
    }
    refreshed = await RingAuthClient(session, HARDWARE_ID).async_refresh(
        token.refresh_token
    )
    assert refreshed.refresh_token != token.refresh_token


@pytest.mark.parametrize(
    ("tsv_state", "phone"), [("email", "mxxx@example.com"), ("totp", None)]
)
async def test_email_and_authenticator_app(
    web: RingWebSignIn, emulator: RingEmulator, tsv_state: str, phone: str | None
) -> None:
    """Email and authenticator-app accounts get their own challenge; the code signs in."""
    emulator.settings.accounts.append(
        Account(email="mail@example.com", password="pw-2", tsv_state=tsv_state)  # type: ignore[arg-type]
    )
    challenge = await web.async_start("mail@example.com", "pw-2")
    assert isinstance(challenge, TwoFactorRequired)
    assert (challenge.tsv_state, challenge.phone) == (tsv_state, phone)
    code = emulator.last_code("mail@example.com")
    assert code is not None
    assert isinstance(await web.async_submit_code(code), Token)


async def test_account_without_2fa_signs_in_at_once(
    web: RingWebSignIn, emulator: RingEmulator
) -> None:
    """No code step at all: start returns the token."""
    emulator.settings.accounts.append(
        Account(email="nofa@example.com", password="pw-3", tsv_state=None)
    )
    token = await web.async_start("nofa@example.com", "pw-3")
    assert isinstance(token, Token)
    assert web.step is SignInStep.DONE
    assert emulator.counters.web_signin["verify"] == 0


async def test_works_through_a_session_without_cookies(
    emulator: RingEmulator,
) -> None:
    """The sign-in carries its own cookies: a session with a DummyCookieJar is enough."""
    async with aiohttp.ClientSession(cookie_jar=aiohttp.DummyCookieJar()) as bare:
        token = await sign_in(RingWebSignIn(bare, HARDWARE_ID), emulator)
    assert token.access_token


async def test_wrong_password(web: RingWebSignIn, emulator: RingEmulator) -> None:
    """A wrong password is wrong credentials; the attempt is over."""
    with pytest.raises(RingInvalidCredentialsError) as err:
        await web.async_start(EMAIL, "not the password")
    assert web.step is SignInStep.IDLE
    assert emulator.counters.codes_sent == {}
    assert_no_secrets(err.value, "not the password", PASSWORD)


async def test_wrong_code_keeps_the_step_for_another_try(
    web: RingWebSignIn, emulator: RingEmulator
) -> None:
    """A wrong code says so; the same attempt then takes the right code."""
    await web.async_start(EMAIL, PASSWORD)
    wrong = wrong_code(emulator)
    with pytest.raises(RingInvalidCodeError) as err:
        await web.async_submit_code(wrong)
    assert not isinstance(err.value, RingInvalidCredentialsError)
    assert web.step is SignInStep.CODE
    assert_no_secrets(err.value, PASSWORD, wrong, emulator.last_code(EMAIL))
    code = emulator.last_code(EMAIL)
    assert code is not None
    assert isinstance(await web.async_submit_code(code), Token)


async def test_expired_code(web: RingWebSignIn, emulator: RingEmulator) -> None:
    """A code older than Ring keeps it (emulator clock) is refused like a wrong one."""
    await web.async_start(EMAIL, PASSWORD)
    code = emulator.last_code(EMAIL)
    assert code is not None
    emulator.clock.advance(601)
    with pytest.raises(RingInvalidCodeError):
        await web.async_submit_code(code)
    assert web.step is SignInStep.CODE


async def test_empty_code_sends_a_new_one(
    web: RingWebSignIn, emulator: RingEmulator
) -> None:
    """An empty code asks Ring again; once Ring allows, a new code is sent and works."""
    await web.async_start(EMAIL, PASSWORD)
    first = emulator.last_code(EMAIL)
    challenge = await web.async_submit_code("")
    assert isinstance(challenge, TwoFactorRequired)
    assert emulator.counters.codes_sent == {EMAIL: 1}  # too early: Ring sends none
    emulator.clock.advance(61)
    challenge = await web.async_submit_code("  ")
    assert isinstance(challenge, TwoFactorRequired)
    assert emulator.counters.codes_sent == {EMAIL: 2}
    code = emulator.last_code(EMAIL)
    assert code is not None
    if code != first:
        with pytest.raises(RingInvalidCodeError):
            await web.async_submit_code(str(first))
    assert isinstance(await web.async_submit_code(code), Token)


async def test_new_code_after_ring_forgot_the_attempt(
    web: RingWebSignIn, emulator: RingEmulator
) -> None:
    """After a long wait Ring's sign-in session is gone: a new code opens a new one."""
    await web.async_start(EMAIL, PASSWORD)
    code = emulator.last_code(EMAIL)
    assert code is not None
    emulator.clock.advance(901)  # the emulator's sign-in sessions live 15 minutes
    with pytest.raises(RingInvalidCodeError):
        await web.async_submit_code(code)
    challenge = await web.async_submit_code("")
    assert isinstance(challenge, TwoFactorRequired)
    assert emulator.counters.web_signin["authorize"] == 2
    assert emulator.counters.codes_sent == {EMAIL: 2}
    new_code = emulator.last_code(EMAIL)
    assert new_code is not None
    assert isinstance(await web.async_submit_code(new_code), Token)


async def test_password_changed_while_waiting_for_the_code(
    web: RingWebSignIn, emulator: RingEmulator
) -> None:
    """Asking for a new code with a password Ring no longer takes ends the attempt."""
    await web.async_start(EMAIL, PASSWORD)
    emulator.revoke(EMAIL, new_password="changed meanwhile")
    with pytest.raises(RingInvalidCredentialsError) as err:
        await web.async_submit_code("")
    assert web.step is SignInStep.IDLE
    assert emulator.counters.web_signin["signin"] == 3
    assert_no_secrets(err.value, PASSWORD, "changed meanwhile")


async def test_too_many_codes(web: RingWebSignIn, emulator: RingEmulator) -> None:
    """Past Ring's send limit the user is told to wait; the code step stays."""
    emulator.settings.code_limit = 1
    await web.async_start(EMAIL, PASSWORD)
    with pytest.raises(RingTooManyCodesError) as err:
        await web.async_submit_code("")
    assert err.value.retry_after is not None
    assert 0 < err.value.retry_after <= 600
    assert web.step is SignInStep.CODE
    assert_no_secrets(err.value, PASSWORD)


async def test_too_many_wrong_codes(web: RingWebSignIn, emulator: RingEmulator) -> None:
    """Ring refusing further codes is "too many codes" with its wait, not "wrong code"."""
    emulator.settings.code_limit = 2
    await web.async_start(EMAIL, PASSWORD)
    for _ in range(2):
        with pytest.raises(RingInvalidCodeError):
            await web.async_submit_code(wrong_code(emulator))
    with pytest.raises(RingTooManyCodesError) as err:
        await web.async_submit_code(str(emulator.last_code(EMAIL)))
    assert err.value.retry_after == 600
    assert web.step is SignInStep.CODE


async def test_blocked_web_flow(web: RingWebSignIn, emulator: RingEmulator) -> None:
    """Ring's edge refusing the pages is the blocked kind, never bad credentials."""
    emulator.settings.block_web_signin = True
    with pytest.raises(RingBlockedError) as err:
        await web.async_start(EMAIL, PASSWORD)
    assert err.value.status == 406
    assert not isinstance(err.value, RingAuthError)
    assert web.step is SignInStep.IDLE


async def test_signs_in_while_the_password_grant_is_blocked(
    web: RingWebSignIn, emulator: RingEmulator, session: aiohttp.ClientSession
) -> None:
    """The point of it all: with the password grant at 406, the web sign-in still works."""
    emulator.settings.block_password_grant = True
    with pytest.raises(RingBlockedError):
        await RingAuthClient(session, HARDWARE_ID).async_login(EMAIL, PASSWORD)
    assert (await sign_in(web, emulator)).access_token
    assert emulator.counters.password_blocked == 1


@pytest.mark.parametrize(
    ("tamper", "step", "words"),
    [
        ("drop_csrf", "sign-in page", "no CSRF token"),
        ("foreign_redirect", "sign-in page", "another site"),
    ],
)
async def test_changed_pages_before_sign_in(
    web: RingWebSignIn, emulator: RingEmulator, tamper: str, step: str, words: str
) -> None:
    """A page without its CSRF token or a redirect elsewhere is malformed, naming the step."""
    emulator.websignin.tampers.add(Tamper(tamper))
    with pytest.raises(RingMalformedResponseError) as err:
        await web.async_start(EMAIL, PASSWORD)
    assert f"(step: {step})" in str(err.value)
    assert words in str(err.value)
    assert web.step is SignInStep.IDLE
    assert emulator.counters.web_signin["signin"] == 0
    assert_no_secrets(err.value, PASSWORD)


async def test_redirects_are_followed_a_few_times_only(
    web: RingWebSignIn, emulator: RingEmulator
) -> None:
    """A few extra hops are fine; a chain longer than five is malformed."""
    emulator.websignin.extra_redirects = 3
    assert isinstance(await web.async_start(EMAIL, PASSWORD), TwoFactorRequired)
    emulator.websignin.extra_redirects = 10
    with pytest.raises(RingMalformedResponseError, match="too many redirects"):
        await web.async_start(EMAIL, PASSWORD)


@pytest.mark.parametrize(
    ("tamper", "words"),
    [("wrong_state", "state"), ("no_code", "no authorization code")],
)
async def test_bad_callback(
    web: RingWebSignIn, emulator: RingEmulator, tamper: str, words: str
) -> None:
    """A callback of another sign-in or without a code is malformed; the attempt ends."""
    await web.async_start(EMAIL, PASSWORD)
    emulator.websignin.tampers.add(Tamper(tamper))
    code = emulator.last_code(EMAIL)
    assert code is not None
    with pytest.raises(RingMalformedResponseError) as err:
        await web.async_submit_code(code)
    assert "(step: authorization)" in str(err.value)
    assert words in str(err.value)
    assert web.step is SignInStep.IDLE
    assert_no_secrets(err.value, PASSWORD, code)


@pytest.mark.parametrize("how", ["pkce_mismatch", "replay_code", "expired"])
async def test_refused_authorization_code(
    web: RingWebSignIn, emulator: RingEmulator, how: str
) -> None:
    """A code Ring refuses at the exchange (PKCE, replayed, expired) ends the attempt."""
    if how == "replay_code":
        await sign_in(web, emulator)  # its code is used up; Ring hands it out again
    if how == "expired":
        emulator.settings.code_exchange_lifetime = 0
    else:
        emulator.websignin.tampers.add(Tamper(how))
    with pytest.raises(RingInvalidGrantError) as err:
        await sign_in(web, emulator)
    assert "(step: code exchange)" in str(err.value)
    assert web.step is SignInStep.IDLE


async def test_ring_unavailable_at_each_step(
    web: RingWebSignIn, emulator: RingEmulator
) -> None:
    """5xx and 429 on any page are transient kinds with Ring's wait, never a refusal."""
    signin = emulator.websignin
    signin.fail("authorize", 503)
    with pytest.raises(RingServerError) as server:
        await web.async_start(EMAIL, PASSWORD)
    assert server.value.status == 503
    signin.fail("signin_page", 429, retry_after=30)
    with pytest.raises(RingRateLimitedError) as limited:
        await web.async_start(EMAIL, PASSWORD)
    assert limited.value.retry_after == 30
    assert not isinstance(limited.value, RingTooManyCodesError)
    signin.fail("signin", 502)
    with pytest.raises(RingServerError):
        await web.async_start(EMAIL, PASSWORD)
    signin.fail("signin", 403)
    with pytest.raises(RingBlockedError) as blocked:
        await web.async_start(EMAIL, PASSWORD)
    assert blocked.value.status == 403


@pytest.mark.parametrize(
    ("step", "retry_code"),
    [("verify", True), ("complete", False), ("exchange", False)],
)
async def test_passing_failure_after_the_code_step_can_be_retried(
    web: RingWebSignIn, emulator: RingEmulator, step: str, retry_code: bool
) -> None:
    """A 503 at or past verification keeps the attempt; a retry finishes it."""
    await web.async_start(EMAIL, PASSWORD)
    code = emulator.last_code(EMAIL)
    assert code is not None
    emulator.websignin.fail(step, 503)
    with pytest.raises(RingServerError):
        await web.async_submit_code(code)
    assert web.step is SignInStep.CODE
    token = await web.async_submit_code(code if retry_code else "")
    assert isinstance(token, Token)


async def test_code_expires_while_the_exchange_is_retried(
    emulator: RingEmulator, session: aiohttp.ClientSession
) -> None:
    """A retry of the exchange more than a minute later (emulator clock) ends the attempt."""
    web = RingWebSignIn(session, HARDWARE_ID, timeout=0.3)
    await web.async_start(EMAIL, PASSWORD)
    emulator.inject(Fault.HANG, where="token")
    with pytest.raises(RingTimeoutError):
        await web.async_submit_code(str(emulator.last_code(EMAIL)))
    emulator.clock.advance(61)
    with pytest.raises(RingInvalidGrantError, match="code exchange"):
        await web.async_submit_code("")
    assert web.step is SignInStep.IDLE


async def test_exchange_timeout_keeps_the_code_for_a_retry(
    emulator: RingEmulator, session: aiohttp.ClientSession
) -> None:
    """Ring not answering the exchange is a timeout; the retry exchanges the same code."""
    web = RingWebSignIn(session, HARDWARE_ID, timeout=0.3)
    await web.async_start(EMAIL, PASSWORD)
    code = emulator.last_code(EMAIL)
    assert code is not None
    emulator.inject(Fault.HANG, where="token")
    with pytest.raises(RingTimeoutError) as err:
        await web.async_submit_code(code)
    assert_no_secrets(err.value, PASSWORD, code)
    assert isinstance(await web.async_submit_code(""), Token)
    assert emulator.counters.web_signin["complete"] == 1  # the code was not asked again
    assert emulator.counters.token_calls["authorization_code"] == 2


async def test_no_connection(
    emulator: RingEmulator, session: aiohttp.ClientSession
) -> None:
    """Ring unreachable is a connection error naming no secret."""
    web = RingWebSignIn(session, HARDWARE_ID)
    await emulator.stop()
    with pytest.raises(RingConnectionError) as err:
        await web.async_start(EMAIL, PASSWORD)
    assert isinstance(err.value, RingTransientError)
    assert_no_secrets(err.value, PASSWORD)


async def test_no_secret_in_debug_logs_or_errors(
    web: RingWebSignIn, emulator: RingEmulator, caplog: pytest.LogCaptureFixture
) -> None:
    """Password, codes, CSRF token, session cookie, authorization code and tokens stay out."""
    errors: list[BaseException] = []
    with caplog.at_level(logging.DEBUG):
        await web.async_start(EMAIL, PASSWORD)
        ((cookie, session),) = emulator.websignin.sessions.items()
        wrong = wrong_code(emulator)
        with pytest.raises(RingInvalidCodeError) as err:
            await web.async_submit_code(wrong)
        errors.append(err.value)
        emulator.websignin.tampers.add(Tamper.WRONG_STATE)
        code = str(emulator.last_code(EMAIL))
        with pytest.raises(RingMalformedResponseError) as bad:
            await web.async_submit_code(code)
        errors.append(bad.value)
        emulator.websignin.tampers.clear()
        token = await sign_in(web, emulator)
    secrets = [
        PASSWORD,
        wrong,
        code,
        cookie,
        session.csrf,
        session.query["state"],
        str(emulator.websignin.codes.last),
        token.access_token,
        token.refresh_token,
    ]
    assert "/oauth/v2/2fa/verify -> HTTP 400" in caplog.text
    for secret in secrets:
        assert secret not in caplog.text
    for error in errors:
        assert_no_secrets(error, *secrets)


async def test_csrf_refusal_is_malformed_not_blocked(
    web: RingWebSignIn, emulator: RingEmulator
) -> None:
    """A 403 that says the CSRF token was refused is the page's problem, not a firewall."""
    body = {"error": "invalid_csrf_token", "error_description": "csrf token invalid"}
    emulator.websignin.fail("signin", 403, body=body)
    with pytest.raises(RingMalformedResponseError, match="CSRF"):
        await web.async_start(EMAIL, PASSWORD)


async def test_code_without_a_started_sign_in(
    web: RingWebSignIn, emulator: RingEmulator
) -> None:
    """A code before start, or after the token, is a programming error."""
    with pytest.raises(RuntimeError):
        await web.async_submit_code("123456")
    await sign_in(web, emulator)
    with pytest.raises(RuntimeError):
        await web.async_submit_code("123456")


async def test_discard_forgets_the_attempt(
    web: RingWebSignIn, emulator: RingEmulator
) -> None:
    """discard() ends a waiting attempt: no code is taken afterwards."""
    await web.async_start(EMAIL, PASSWORD)
    assert repr(web) == "<RingWebSignIn step=code>"
    web.discard()
    assert web.step is SignInStep.IDLE
    with pytest.raises(RuntimeError):
        await web.async_submit_code(str(emulator.last_code(EMAIL)))
