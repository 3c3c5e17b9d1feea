"""The web sign-in against pages the emulator does not serve: what it sends, what it tolerates."""

import base64
from collections.abc import AsyncIterator
import hashlib
import logging
import re

import aiohttp
from aiohttp import web
import pytest

from custom_components.ring_auth.ringclient import (
    RingInvalidCodeError,
    RingInvalidCredentialsError,
    RingMalformedResponseError,
    RingTooManyCodesError,
    RingWebSignIn,
    SignInStep,
    Token,
    TwoFactorRequired,
)

from .conftest import HARDWARE_ID, assert_no_secrets
from .fake_ring import (
    ACCESS,
    CALLBACK,
    CODE,
    COOKIE,
    CSRF,
    REFRESH,
    VERIFIED_COOKIE,
    FakeRing,
    answer,
    page,
    redirect,
)

EMAIL = "user@example.com"
PASSWORD = "a password with spaces & symbols"
TWO_FA = "246810"


@pytest.fixture
async def fake(
    session: aiohttp.ClientSession,
) -> AsyncIterator[tuple[RingWebSignIn, FakeRing]]:
    """Return a web sign-in on a scripted loopback Ring."""
    ring = FakeRing()
    runner = web.AppRunner(ring.app(), access_log=None)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    url = f"http://127.0.0.1:{runner.addresses[0][1]}"
    yield RingWebSignIn(session, HARDWARE_ID, oauth_url=url), ring
    await runner.cleanup()


async def test_requests_are_the_apps(fake: tuple[RingWebSignIn, FakeRing]) -> None:
    """App headers and hardware id everywhere, PKCE S256, cookies sent back, #1750's forms."""
    web_signin, ring = fake
    assert isinstance(await web_signin.async_start(EMAIL, PASSWORD), TwoFactorRequired)
    token = await web_signin.async_submit_code(TWO_FA)
    assert isinstance(token, Token)
    assert (token.access_token, token.refresh_token) == (ACCESS, REFRESH)

    for seen in ring.seen:
        assert seen.headers["User-Agent"] == "android:com.ringapp"
        assert seen.headers["hardware_id"] == HARDWARE_ID
    first = ring.seen[0]
    assert first.query | {"state": "", "code_challenge": ""} == {
        "client_id": "ring_official_android",
        "response_type": "code",
        "scope": "client",
        "redirect_uri": CALLBACK,
        "state": "",
        "code_challenge": "",
        "code_challenge_method": "S256",
        "prompt": "login",
        "hardware_id": HARDWARE_ID,
        "device_model": "Home Assistant",
        "app_brand": "ring",
        "app_version": "3.102.0",
        "dark_mode": "false",
    }
    assert "Cookie" not in first.headers
    for seen in ring.seen[1:-1]:
        assert f"sid={COOKIE}" in seen.headers["Cookie"]
    completion = ring.requests("GET", "/oauth/v2/authorize")[1]
    assert f"verified={VERIFIED_COOKIE}" in completion.headers["Cookie"]
    (signin,) = ring.requests("POST", "/oauth/v2/signin")
    assert signin.form == {"username": EMAIL, "password": PASSWORD, "csrf-token": CSRF}
    (verify,) = ring.requests("POST", "/oauth/v2/2fa/verify")
    assert verify.form == {
        "2fa_code": TWO_FA,
        "csrf-token": CSRF,
        "remember_me": "false",
    }
    for post in (signin, verify):
        assert post.headers["Origin"] == web_signin_origin(ring)
        assert post.headers["Referer"].endswith("/oauth/v2/signin")
    (exchange,) = ring.requests("POST", "/oauth/token")
    verifier = exchange.form["code_verifier"]
    assert exchange.form == {
        "grant_type": "authorization_code",
        "code": CODE,
        "code_verifier": verifier,
        "redirect_uri": CALLBACK,
        "client_id": "ring_official_android",
    }
    assert "Authorization" not in exchange.headers
    assert "Cookie" not in exchange.headers
    assert re.fullmatch(r"[A-Za-z0-9_-]{43,128}", verifier)
    digest = hashlib.sha256(verifier.encode()).digest()
    assert first.query["code_challenge"] == base64.urlsafe_b64encode(
        digest
    ).decode().rstrip("=")
    assert len(first.query["state"]) >= 22


def web_signin_origin(ring: FakeRing) -> str:
    """Return the origin the fake was reached at (from the first request's Host)."""
    return "http://" + ring.seen[0].headers["Host"]


async def test_each_attempt_has_its_own_pkce_state_and_cookies(
    fake: tuple[RingWebSignIn, FakeRing],
) -> None:
    """A new start makes a new verifier and state and forgets the old cookies."""
    web_signin, ring = fake
    await web_signin.async_start(EMAIL, PASSWORD)
    await web_signin.async_start(EMAIL, PASSWORD)
    first, second = ring.requests("GET", "/oauth/v2/authorize")
    assert first.query["state"] != second.query["state"]
    assert first.query["code_challenge"] != second.query["code_challenge"]
    assert "Cookie" not in second.headers


async def test_no_secret_reaches_a_debug_log(
    fake: tuple[RingWebSignIn, FakeRing], caplog: pytest.LogCaptureFixture
) -> None:
    """Password, code, CSRF token, cookies, verifier, state and tokens never reach a log."""
    web_signin, ring = fake
    ring.on(
        "POST /oauth/v2/2fa/verify",
        answer(400, {"error": "Verification Code is invalid"}),
    )
    with caplog.at_level(logging.DEBUG):
        await web_signin.async_start(EMAIL, PASSWORD)
        with pytest.raises(RingInvalidCodeError) as err:
            await web_signin.async_submit_code("999999")
        await web_signin.async_submit_code(TWO_FA)
    (exchange,) = ring.requests("POST", "/oauth/token")
    secrets = [
        PASSWORD,
        TWO_FA,
        "999999",
        CSRF,
        COOKIE,
        VERIFIED_COOKIE,
        CODE,
        ACCESS,
        REFRESH,
        exchange.form["code_verifier"],
        ring.state,
    ]
    assert "HTTP 412" in caplog.text  # the log does say what happened
    for secret in secrets:
        assert secret not in caplog.text
    assert_no_secrets(err.value, *secrets)


@pytest.mark.parametrize(
    "body",
    [
        page({"props": {"pageProps": {"csrfToken": "tok"}}}).text.replace(
            "oauth-args", "__NEXT_DATA__"
        ),
        '<form><input type="hidden" name="csrf-token" value="tok"></form>',
        '<head><meta name="csrf-token" content="tok"></head>',
        page("{not json").text + '<input name="_csrf" value="tok">',
        page({"data": [{"other": 1}, {"CSRF_TOKEN": "tok"}]}).text,
    ],
)
async def test_csrf_token_in_other_page_layouts(
    fake: tuple[RingWebSignIn, FakeRing], body: str
) -> None:
    """The token is found wherever Ring's pages have carried it."""
    web_signin, ring = fake
    ring.on(
        "GET /oauth/v2/signin",
        lambda _: web.Response(text=body, content_type="text/html"),
    )
    await web_signin.async_start(EMAIL, PASSWORD)
    (signin,) = ring.requests("POST", "/oauth/v2/signin")
    assert signin.form["csrf-token"] == "tok"


@pytest.mark.parametrize(
    "body",
    [
        "<html>Ring is down for maintenance</html>",
        '<input name="csrf-token" value=""><meta name="csrf" content="">',
        page({"csrf-token": ""}).text,
        page(
            {"a": {"b": {"c": {"d": {"e": {"f": {"g": {"csrf-token": "deep"}}}}}}}}
        ).text,
        "\x00\xff<script id=oauth-args",
    ],
)
async def test_page_without_a_csrf_token(
    fake: tuple[RingWebSignIn, FakeRing], body: str
) -> None:
    """No token (or an unreadable page) is malformed at the sign-in page; nothing is posted."""
    web_signin, ring = fake
    ring.on("GET /oauth/v2/signin", answer(200, body))
    with pytest.raises(RingMalformedResponseError, match=r"\(step: sign-in page\)"):
        await web_signin.async_start(EMAIL, PASSWORD)
    assert ring.requests("POST", "/oauth/v2/signin") == []
    assert web_signin.step is SignInStep.IDLE


async def test_challenge_forms(fake: tuple[RingWebSignIn, FakeRing]) -> None:
    """A 2xx carrying tsv_state is a challenge too; a 412 without tsv_state is malformed."""
    web_signin, ring = fake
    ring.on(
        "POST /oauth/v2/signin",
        answer(202, {"tsv_state": "email", "next_time_in_secs": "30"}),
    )
    challenge = await web_signin.async_start(EMAIL, PASSWORD)
    assert isinstance(challenge, TwoFactorRequired)
    assert (challenge.tsv_state, challenge.phone, challenge.next_time_in_secs) == (
        "email",
        None,
        30,
    )
    ring.on("POST /oauth/v2/signin", answer(412, {"next_time_in_secs": 60}))
    with pytest.raises(RingMalformedResponseError, match="without saying how"):
        await web_signin.async_start(EMAIL, PASSWORD)


@pytest.mark.parametrize("status", [200, 204, 303])
async def test_sign_in_without_2fa_in_any_form(
    fake: tuple[RingWebSignIn, FakeRing], status: int
) -> None:
    """Any 2xx without tsv_state, or a redirect, means signed in: straight to the code."""
    web_signin, ring = fake
    script = redirect("/oauth/v2/authorize") if status == 303 else answer(status, {})
    ring.on("POST /oauth/v2/signin", script)
    assert isinstance(await web_signin.async_start(EMAIL, PASSWORD), Token)
    assert ring.requests("POST", "/oauth/v2/2fa/verify") == []


@pytest.mark.parametrize(
    ("script", "error", "words"),
    [
        (
            answer(401, {"error": "access_denied"}),
            RingInvalidCredentialsError,
            "email or password",
        ),
        (
            answer(400, {"error": "bad"}),
            RingInvalidCredentialsError,
            "email or password",
        ),
        (
            answer(400, "<html>Bad Request</html>"),
            RingMalformedResponseError,
            "HTTP 400",
        ),
        (answer(404, {"error": "not found"}), RingMalformedResponseError, "HTTP 404"),
        (answer(400, "Invalid CSRF token"), RingMalformedResponseError, "CSRF"),
        (
            answer(
                400, {"error_description": "too many requests from dependency service"}
            ),
            RingTooManyCodesError,
            "Too many",
        ),
    ],
)
async def test_sign_in_refusals(
    fake: tuple[RingWebSignIn, FakeRing],
    script: object,
    error: type[Exception],
    words: str,
) -> None:
    """Only a JSON 400/401 is a wrong password; pages and odd statuses are malformed."""
    web_signin, ring = fake
    ring.on("POST /oauth/v2/signin", script)  # type: ignore[arg-type]
    with pytest.raises(error, match=words) as err:
        await web_signin.async_start(EMAIL, PASSWORD)
    assert_no_secrets(err.value, PASSWORD, CSRF, COOKIE)


async def test_new_code_when_ring_needs_none(
    fake: tuple[RingWebSignIn, FakeRing],
) -> None:
    """Asking for a new code when Ring signs in without one finishes the sign-in."""
    web_signin, ring = fake
    ring.on("POST /oauth/v2/signin", answer(412, {"tsv_state": "sms"}), redirect("/"))
    await web_signin.async_start(EMAIL, PASSWORD)
    assert isinstance(await web_signin.async_submit_code(""), Token)
    assert len(ring.requests("POST", "/oauth/v2/signin")) == 2
    assert ring.requests("POST", "/oauth/v2/2fa/verify") == []


async def test_verify_answers_that_lead_on(
    fake: tuple[RingWebSignIn, FakeRing],
) -> None:
    """Verify may point elsewhere on Ring's site, redirect, or end with no redirect_url."""
    web_signin, ring = fake
    origin = "http://" + "{host}"
    ring.on(
        "POST /oauth/v2/2fa/verify",
        lambda request: web.json_response(
            {"redirect_url": origin.format(host=request.host) + "/oauth/v2/next"},
            status=200,
        ),
        redirect("/oauth/v2/next"),
        answer(200, "auth-completed"),
    )
    ring.on(
        "GET /oauth/v2/next",
        redirect("/oauth/v2/authorize"),
        redirect("/oauth/v2/authorize"),
    )
    for _ in range(3):
        await web_signin.async_start(EMAIL, PASSWORD)
        assert isinstance(await web_signin.async_submit_code(TWO_FA), Token)
    assert len(ring.requests("GET", "/oauth/v2/next")) == 2


async def test_verify_straight_to_the_callback(
    fake: tuple[RingWebSignIn, FakeRing],
) -> None:
    """A redirect_url that is already the callback gives the code without another request."""
    web_signin, ring = fake
    ring.on(
        "POST /oauth/v2/2fa/verify",
        lambda _: web.json_response(
            {"redirect_url": f"{CALLBACK}?code=direct&state={ring.state}"}, status=201
        ),
    )
    await web_signin.async_start(EMAIL, PASSWORD)
    assert isinstance(await web_signin.async_submit_code(TWO_FA), Token)
    assert len(ring.requests("GET", "/oauth/v2/authorize")) == 1
    assert ring.requests("POST", "/oauth/token")[0].form["code"] == "direct"


async def test_verify_asks_again(fake: tuple[RingWebSignIn, FakeRing]) -> None:
    """A verify answer with tsv_state (412 or 2xx) is a new challenge on the same step."""
    web_signin, ring = fake
    ring.on(
        "POST /oauth/v2/2fa/verify",
        answer(412, {"tsv_state": "totp"}),
        answer(200, {"tsv_state": "sms", "phone": "+1xxx"}),
    )
    await web_signin.async_start(EMAIL, PASSWORD)
    for tsv_state in ("totp", "sms"):
        challenge = await web_signin.async_submit_code(TWO_FA)
        assert isinstance(challenge, TwoFactorRequired)
        assert challenge.tsv_state == tsv_state
        assert web_signin.step is SignInStep.CODE
    assert isinstance(await web_signin.async_submit_code(TWO_FA), Token)


@pytest.mark.parametrize(
    ("script", "words"),
    [
        (answer(200, {"redirect_url": "https://evil.example/steal"}), "another site"),
        (answer(200, {"redirect_url": "javascript:alert(1)"}), "unreadable"),
        (answer(404, "<html>gone</html>"), "HTTP 404"),
    ],
)
async def test_verify_answers_that_do_not(
    fake: tuple[RingWebSignIn, FakeRing], script: object, words: str
) -> None:
    """A redirect off Ring's site or an odd status ends the attempt as malformed."""
    web_signin, ring = fake
    ring.on("POST /oauth/v2/2fa/verify", script)  # type: ignore[arg-type]
    await web_signin.async_start(EMAIL, PASSWORD)
    with pytest.raises(RingMalformedResponseError, match=words) as err:
        await web_signin.async_submit_code(TWO_FA)
    assert "(step: code verification)" in str(err.value)
    assert web_signin.step is SignInStep.IDLE


@pytest.mark.parametrize(
    ("script", "words"),
    [
        (
            answer(200, "<html>Sign in</html>"),
            "a page instead of the authorization code",
        ),
        (answer(302, ""), "a redirect without a target"),
        (redirect("http://[::1"), "unreadable address"),
        (redirect(f"{CALLBACK}?error=access_denied&state=x"), "(access_denied)"),
        (redirect(f"{CALLBACK}?error=%3Cscript%3E"), "(error)"),
        (redirect(f"{CALLBACK}?error={'x' * 65}"), "(error)"),
    ],
)
async def test_authorization_answers_that_end_the_attempt(
    fake: tuple[RingWebSignIn, FakeRing], script: object, words: str
) -> None:
    """No code at the end of authorization is malformed, naming the step."""
    web_signin, ring = fake
    ring.on("GET /oauth/v2/authorize", script)  # type: ignore[arg-type]
    await web_signin.async_start(EMAIL, PASSWORD)
    with pytest.raises(RingMalformedResponseError) as err:
        await web_signin.async_submit_code(TWO_FA)
    assert words in str(err.value)
    assert "(step: authorization)" in str(err.value)
    assert "<script>" not in str(err.value)


async def test_redirect_back_to_the_app_before_signing_in(
    fake: tuple[RingWebSignIn, FakeRing],
) -> None:
    """Ring sending the app its callback before any sign-in is malformed."""
    web_signin, ring = fake
    ring.on("GET /oauth/v2/authorize?", redirect(f"{CALLBACK}?code=early"))
    with pytest.raises(RingMalformedResponseError, match="before signing in"):
        await web_signin.async_start(EMAIL, PASSWORD)


async def test_unreadable_cookie_is_skipped(
    fake: tuple[RingWebSignIn, FakeRing],
) -> None:
    """A Set-Cookie that cannot be read does not end the sign-in; the others are kept."""
    web_signin, ring = fake

    def odd_cookie(_: web.Request) -> web.StreamResponse:
        response = web.Response(status=302, headers={"Location": "/oauth/v2/signin"})
        response.headers.add("Set-Cookie", "a=b; $Foo=1")
        response.set_cookie("sid", COOKIE, path="/")
        return response

    ring.on("GET /oauth/v2/authorize?", odd_cookie)
    await web_signin.async_start(EMAIL, PASSWORD)
    (page_request,) = ring.requests("GET", "/oauth/v2/signin")
    assert page_request.headers["Cookie"] == f"sid={COOKIE}"
