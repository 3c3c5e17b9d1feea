"""The emulator's web sign-in (OAuth2 code + PKCE behind a CSRF page) over real HTTP."""

from __future__ import annotations

import json
from typing import Any

import aiohttp
import pytest

from ring_emulator import RingEmulator, Tamper
from ring_emulator.__main__ import build_settings, parse_args

from .common import (
    EMAIL,
    HARDWARE_ID,
    NOFA,
    PASSWORD,
    SMS,
    TOTP,
    TOTP_CODE,
    api_get,
    headers,
    password_form,
    post_token,
    refresh,
)
from .websignin_steps import CALLBACK, OAUTH_ARGS, Browser


async def test_whole_flow_with_sms_code(
    browser: Browser, emulator: RingEmulator
) -> None:
    """Authorize → page → 412 → verify → code → consumer tokens that refresh and work."""
    resp = await browser.get("/oauth/v2/authorize", browser.authorize_query())
    assert resp.status == 302
    assert resp.headers["Location"] == "/oauth/v2/signin"
    cookie = resp.headers["Set-Cookie"]
    assert "HttpOnly" in cookie
    assert "Path=/" in cookie

    page = await browser.open()
    assert '<script id="oauth-args" type="application/json">' in page
    assert browser.csrf

    status, body = await browser.sign_in(SMS)
    assert status == 412
    assert body == {
        "next_time_in_secs": 60,
        "phone": "+1xxxxxxxx89",
        "tsv_state": "sms",
    }
    code = emulator.last_code(SMS)
    assert code is not None

    status, body = await browser.verify(code)
    assert status == 201
    assert body == {"redirect_url": "/oauth/v2/authorize", "status": "auth-completed"}

    callback = await browser.complete()
    assert str(callback.with_query(None)) == CALLBACK
    assert callback.query["state"] == browser.state

    status, tokens = await browser.exchange(callback.query["code"])
    assert status == 200
    assert set(tokens) >= {"access_token", "refresh_token", "expires_in"}
    assert tokens["expires_in"] == 3600
    assert emulator.counters.authorized_devices[SMS] == [HARDWARE_ID]
    status, _ = await api_get(browser.session, emulator, tokens["access_token"])
    assert status == 200
    status, again = await refresh(browser.session, emulator, tokens["refresh_token"])
    assert status == 200
    assert again["refresh_token"] != tokens["refresh_token"]
    steps = emulator.counters.web_signin
    assert steps == {
        "authorize": 2,
        "signin_page": 1,
        "signin": 1,
        "verify": 1,
        "complete": 1,
        "exchange": 1,
        "blocked": 0,
    }
    assert emulator.counters.token_calls["authorization_code"] == 1


@pytest.mark.parametrize(
    ("email", "tsv_state", "phone"),
    [(EMAIL, "email", "mxxx@example.com"), (TOTP, "totp", None)],
)
async def test_email_and_authenticator_accounts(
    browser: Browser, emulator: RingEmulator, email: str, tsv_state: str, phone: str
) -> None:
    """Each 2FA method answers with its own tsv_state; its code signs in."""
    await browser.open()
    status, body = await browser.sign_in(email)
    assert status == 412
    assert body["tsv_state"] == tsv_state
    assert body.get("phone") == phone
    if tsv_state == "totp":
        assert emulator.last_code(email) == TOTP_CODE
    code = await browser.code(email)
    status, _ = await browser.exchange(code)
    assert status == 200


async def test_account_without_2fa_is_redirected_to_authorize(
    browser: Browser, emulator: RingEmulator
) -> None:
    """Without 2FA the sign-in answers 302 to authorize, which hands out the code."""
    await browser.open()
    form = {"username": NOFA, "password": PASSWORD, "csrf-token": browser.csrf}
    async with browser.session.post(
        f"{emulator.url}/oauth/v2/signin", data=form, allow_redirects=False
    ) as resp:
        assert resp.status == 302
        assert resp.headers["Location"] == "/oauth/v2/authorize"
    callback = await browser.complete()
    status, _ = await browser.exchange(callback.query["code"])
    assert status == 200
    assert emulator.counters.codes_sent == {}


async def test_wrong_password_and_unknown_account(
    browser: Browser, emulator: RingEmulator
) -> None:
    """Both are 401 access_denied; the session is not signed in (authorize shows the page)."""
    await browser.open()
    for email, password in ((SMS, "wrong"), ("nobody@example.com", PASSWORD)):
        status, body = await browser.sign_in(email, password)
        assert status == 401
        assert body["error"] == "access_denied"
    resp = await browser.get("/oauth/v2/authorize")
    assert resp.status == 302
    assert resp.headers["Location"] == "/oauth/v2/signin"


async def test_csrf_token_and_session_are_required(
    browser: Browser, emulator: RingEmulator, session: aiohttp.ClientSession
) -> None:
    """A missing or wrong CSRF token is 403; no session cookie is 400 (page and posts)."""
    await browser.open()
    good = browser.csrf
    for token in ("", "forged"):
        browser.csrf = token
        status, body = await browser.sign_in(SMS)
        assert status == 403
        assert body["error"] == "invalid_csrf_token"
        status, _ = await browser.verify("123456")
        assert status == 403
    browser.csrf = good
    # A client without the session cookie (a plain session drops IP-host cookies).
    stranger = Browser(session, emulator)
    stranger.csrf = good
    status, body = await stranger.sign_in(SMS)
    assert status == 400
    assert body["error"] == "invalid_request"
    page = await stranger.get("/oauth/v2/signin")
    assert page.status == 400
    resp = await stranger.get("/oauth/v2/authorize")
    assert resp.status == 400


async def test_verify_needs_an_accepted_password(browser: Browser) -> None:
    """A code posted before the password was accepted is refused."""
    await browser.open()
    status, body = await browser.verify("123456")
    assert status == 400
    assert body["error"] == "invalid_request"


async def test_wrong_empty_and_expired_codes(
    browser: Browser, emulator: RingEmulator
) -> None:
    """Wrong, empty and expired codes are 400 as on the password grant; the right one works."""
    await browser.open()
    await browser.sign_in(SMS)
    code = emulator.last_code(SMS)
    assert code is not None
    for wrong in ("000000" if code != "000000" else "111111", "  "):
        status, body = await browser.verify(wrong)
        assert status == 400
        assert body["error"] == "Verification Code is invalid or expired"
    emulator.clock.advance(601)
    status, _ = await browser.verify(code)
    assert status == 400
    # Signing in again sends a new code, which works.
    status, _ = await browser.sign_in(SMS)
    assert status == 412
    new_code = emulator.last_code(SMS)
    assert new_code is not None
    status, _ = await browser.verify(new_code)
    assert status == 201


async def test_too_many_codes(browser: Browser, emulator: RingEmulator) -> None:
    """Past the send limit, the sign-in answers the too-many-codes 429 with Retry-After."""
    emulator.settings.code_limit = 2
    await browser.open()
    for _ in range(2):
        status, _ = await browser.sign_in(SMS)
        assert status == 412
    async with browser.session.post(
        f"{emulator.url}/oauth/v2/signin",
        data={"username": SMS, "password": PASSWORD, "csrf-token": browser.csrf},
    ) as resp:
        assert resp.status == 429
        assert int(resp.headers["Retry-After"]) > 0
        body = await resp.json()
    assert body["error_description"] == "too many requests from dependency service"


async def test_too_many_wrong_codes_in_one_session(
    browser: Browser, emulator: RingEmulator
) -> None:
    """After code_limit wrong codes the session takes none (429 too many); a new one does."""
    emulator.settings.code_limit = 3
    await browser.open()
    await browser.sign_in(SMS)
    code = emulator.last_code(SMS)
    assert code is not None
    wrong = "000000" if code != "000000" else "111111"
    for _ in range(3):
        assert (await browser.verify(wrong))[0] == 400
    async with browser.session.post(
        f"{emulator.url}/oauth/v2/2fa/verify",
        data={"2fa_code": code, "csrf-token": browser.csrf, "remember_me": "false"},
    ) as resp:
        assert resp.status == 429
        assert resp.headers["Retry-After"] == "600"
        body = await resp.json()
    assert body["error_description"] == "too many requests from dependency service"
    await browser.open()
    await browser.sign_in(SMS)
    code = emulator.last_code(SMS)
    assert code is not None
    assert (await browser.verify(code))[0] == 201


async def test_code_is_single_use_and_short_lived(
    browser: Browser, emulator: RingEmulator, jar_session: aiohttp.ClientSession
) -> None:
    """A replayed, expired, unknown or misdirected code is invalid_grant."""
    code = await browser.code(SMS)
    assert (await browser.exchange(code))[0] == 200
    status, body = await browser.exchange(code)
    assert status == 400
    assert body == {
        "error": "invalid_grant",
        "error_description": "authorization code was already used",
    }
    jar_session.cookie_jar.clear()
    late = Browser(jar_session, emulator)
    code = await late.code(SMS)
    emulator.clock.advance(60)
    status, body = await late.exchange(code)
    assert (status, body["error_description"]) == (
        400,
        "authorization code has expired",
    )
    status, body = await late.exchange("no-such-code")
    assert (status, body["error_description"]) == (400, "authorization code is invalid")
    jar_session.cookie_jar.clear()
    other = Browser(jar_session, emulator)
    code = await other.code(SMS)
    status, body = await other.exchange(code, redirect_uri="https://example.com/cb")
    assert status == 400
    assert body["error_description"] == "redirect_uri does not match the authorization"


async def test_pkce_is_checked(browser: Browser, emulator: RingEmulator) -> None:
    """A verifier that does not hash to the challenge is refused, and uses the code up."""
    code = await browser.code(SMS)
    status, body = await browser.exchange(code, verifier="not-the-verifier")
    assert status == 400
    assert (
        body["error_description"] == "code_verifier does not match the code_challenge"
    )
    status, _ = await browser.exchange(code)
    assert status == 400


async def test_deleted_account_cannot_exchange(
    browser: Browser, emulator: RingEmulator
) -> None:
    """A code of an account removed meanwhile is refused."""
    code = await browser.code(SMS)
    emulator.settings.accounts = [
        a for a in emulator.settings.accounts if a.email != SMS
    ]
    status, body = await browser.exchange(code)
    assert status == 400
    assert body["error_description"] == "the account no longer exists"


async def test_partner_codes_still_go_to_linking(
    emulator: RingEmulator, session: aiohttp.ClientSession
) -> None:
    """The code grant of another client id stays the partner's (invalid client here)."""
    form = {
        "grant_type": "authorization_code",
        "code": "x",
        "code_verifier": "y",
        "redirect_uri": CALLBACK,
        "client_id": "partner-client-id",
        "client_secret": "wrong",
    }
    status, body, _ = await post_token(session, emulator, form)
    assert status == 401
    assert body == {"error": "invalid_client"}
    assert emulator.counters.web_signin["exchange"] == 0


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        ({"client_id": "someone"}, "unknown client_id"),
        ({"response_type": "token"}, "response_type must be code"),
        ({"redirect_uri": "/relative"}, "redirect_uri must be an absolute URL"),
        ({"redirect_uri": "http://[::1"}, "redirect_uri must be an absolute URL"),
        ({"code_challenge_method": "plain"}, "code_challenge_method S256"),
    ],
)
async def test_bad_authorization_requests(
    browser: Browser, change: dict[str, str], problem: str
) -> None:
    """An authorization request the app would not send is a 400 page saying why."""
    resp = await browser.get("/oauth/v2/authorize", browser.authorize_query(**change))
    assert resp.status == 400
    assert problem in resp.text()
    assert "Set-Cookie" not in resp.headers


async def test_session_expires(browser: Browser, emulator: RingEmulator) -> None:
    """A sign-in left for 15 minutes is gone; new ones prune it."""
    await browser.open()
    emulator.clock.advance(900)
    page = await browser.get("/oauth/v2/signin")
    assert page.status == 400
    Browser(browser.session, emulator)
    await Browser(browser.session, emulator).open()
    assert len(emulator.websignin.sessions) == 1


async def test_block_password_grant(
    emulator: RingEmulator, session: aiohttp.ClientSession
) -> None:
    """The 2026 edge: the password grant is 406 text/plain; refresh and the web flow work."""
    tokens = emulator.issue_tokens(SMS)
    emulator.settings.block_password_grant = True
    async with session.post(
        f"{emulator.url}/oauth/token", data=password_form(SMS), headers=headers()
    ) as resp:
        assert resp.status == 406
        assert resp.content_type == "text/plain"
        assert await resp.text() == "406 Not Acceptable"
    assert emulator.counters.password_blocked == 1
    status, _ = await refresh(session, emulator, tokens["refresh_token"])
    assert status == 200
    emulator.settings.block_password_grant = False
    status, _, _ = await post_token(session, emulator, password_form(SMS), headers())
    assert status == 412


async def test_block_web_signin(
    browser: Browser, emulator: RingEmulator, session: aiohttp.ClientSession
) -> None:
    """Every page of the web flow is 406 text/plain; the password grant is untouched."""
    emulator.settings.block_web_signin = True
    resp = await browser.get("/oauth/v2/authorize", browser.authorize_query())
    assert resp.status == 406
    assert resp.body == b"406 Not Acceptable"
    status, _ = await browser.sign_in(SMS)
    assert status == 406
    assert emulator.counters.web_signin["blocked"] == 2
    assert emulator.counters.web_signin["authorize"] == 0
    status, _, _ = await post_token(session, emulator, password_form(SMS), headers())
    assert status == 412


async def test_blocks_toggle_over_http(
    emulator: RingEmulator, session: aiohttp.ClientSession
) -> None:
    """Both blocks are settings of the control API; they take booleans only."""
    url = f"{emulator.url}/_emulator/settings"
    async with session.post(url, json={"block_password_grant": True}) as resp:
        assert resp.status == 200
        assert (await resp.json())["block_password_grant"] is True
    assert emulator.settings.block_password_grant is True
    async with session.post(url, json={"block_web_signin": "yes"}) as resp:
        assert resp.status == 400
    async with session.post(url, json={"grace": True}) as resp:
        assert resp.status == 400
    assert emulator.settings.block_web_signin is False


def test_block_flags_on_the_command_line() -> None:
    """--block-password-grant and --block-web-signin become settings."""
    settings = build_settings(parse_args(["--block-password-grant"]))
    assert (settings.block_password_grant, settings.block_web_signin) == (True, False)
    settings = build_settings(parse_args(["--block-web-signin"]))
    assert (settings.block_password_grant, settings.block_web_signin) == (False, True)


async def test_extra_redirects_lead_to_the_page(
    browser: Browser, emulator: RingEmulator
) -> None:
    """extra_redirects adds hops through /oauth/v2/continue before the page."""
    emulator.websignin.extra_redirects = 3
    resp = await browser.get("/oauth/v2/authorize", browser.authorize_query())
    hops = []
    location = resp.headers["Location"]
    while location != "/oauth/v2/signin":
        hops.append(location)
        location = (await browser.get(location)).headers["Location"]
    assert hops == [f"/oauth/v2/continue?left={n}" for n in (3, 2, 1)]
    odd = await browser.get("/oauth/v2/continue?left=x")
    assert odd.headers["Location"] == "/oauth/v2/signin"


async def test_tampered_pages(browser: Browser, emulator: RingEmulator) -> None:
    """Each tamper changes what the client sees, until cleared."""
    signin = emulator.websignin
    signin.tampers.add(Tamper.DROP_CSRF)
    page = await browser.open()
    found = OAUTH_ARGS.search(page)
    assert found is not None
    assert "csrf-token" not in json.loads(found.group(1))
    signin.tampers = {Tamper.FOREIGN_REDIRECT}
    resp = await browser.get("/oauth/v2/authorize", browser.authorize_query())
    assert resp.headers["Location"] == "https://example.invalid/elsewhere"
    signin.tampers = {Tamper.WRONG_STATE, Tamper.NO_CODE}
    await browser.open()
    await browser.sign_in(NOFA)
    callback = await browser.complete()
    assert "code" not in callback.query
    assert callback.query["state"] == "not-" + browser.state


async def test_tampered_codes(browser: Browser, emulator: RingEmulator) -> None:
    """pkce_mismatch binds the code to another challenge; replay_code hands it out again."""
    signin = emulator.websignin
    signin.tampers = {Tamper.PKCE_MISMATCH}
    code = await browser.code(NOFA)
    _, body = await browser.exchange(code)
    assert (
        body["error_description"] == "code_verifier does not match the code_challenge"
    )
    signin.tampers = {Tamper.REPLAY_CODE}
    assert await browser.code(NOFA) == code
    signin.clear()
    assert await browser.code(NOFA) != code


async def test_scripted_step_failures(browser: Browser, emulator: RingEmulator) -> None:
    """fail(step, status) answers the next request(s) of that step, then stops."""
    signin = emulator.websignin
    signin.fail("signin_page", 503, count=2)
    signin.fail("signin", 429, retry_after=30)
    signin.fail("verify", 500, body="<html>oops</html>")
    signin.fail("exchange", 406, body="406 Not Acceptable")
    signin.fail("complete", 401)
    signin.fail("complete", 400, body={"error": "invalid_request"})
    await browser.get("/oauth/v2/authorize", browser.authorize_query())
    for _ in range(2):
        page = await browser.get("/oauth/v2/signin")
        assert page.status == 503
        assert page.json()["error"] == "service unavailable"
    await browser.open()
    async with browser.session.post(
        f"{emulator.url}/oauth/v2/signin",
        data={"username": SMS, "password": PASSWORD, "csrf-token": browser.csrf},
    ) as resp:
        assert resp.status == 429
        assert resp.headers["Retry-After"] == "30"
        assert (await resp.json())["error"] == "too_many_requests"
    await browser.sign_in(SMS)
    status, text = await browser.verify("123456")
    assert (status, text) == (500, "<html>oops</html>")
    code = emulator.last_code(SMS)
    assert code is not None
    assert (await browser.verify(code))[0] == 201
    refused = await browser.get("/oauth/v2/authorize")
    assert (refused.status, refused.json()) == (401, {"error": "error"})
    refused = await browser.get("/oauth/v2/authorize")
    assert (refused.status, refused.json()) == (400, {"error": "invalid_request"})
    callback = await browser.complete()
    status, text = await browser.exchange(callback.query["code"])
    assert status == 406
    assert signin.faults.pending == []
    status, _ = await browser.exchange(callback.query["code"])
    assert status == 200


@pytest.mark.parametrize(
    "options",
    [
        {"step": "nowhere", "status": 500},
        {"step": "signin", "status": 302},
        {"step": "signin", "status": True},
        {"step": "signin", "status": 500, "count": 0},
        {"step": "signin", "status": 500, "retry_after": "soon"},
    ],
)
def test_bad_scripted_failures_are_refused(
    emulator: RingEmulator, options: dict[str, Any]
) -> None:
    """A failure that cannot be played is refused when asked for."""
    step = options.pop("step")
    status = options.pop("status")
    with pytest.raises(ValueError):
        emulator.websignin.fail(step, status, **options)


async def test_control_api(
    emulator: RingEmulator, session: aiohttp.ClientSession
) -> None:
    """GET/POST /_emulator/websignin steer tampering, hops and failures; reset clears."""
    url = f"{emulator.url}/_emulator/websignin"
    body = {
        "tamper": ["drop_csrf", "wrong_state"],
        "extra_redirects": 2,
        "fail": {"step": "verify", "status": 503, "count": 2},
    }
    async with session.post(url, json=body) as resp:
        assert resp.status == 200
        state = await resp.json()
    assert state == {
        "tamper": ["drop_csrf", "wrong_state"],
        "extra_redirects": 2,
        "faults": [{"step": "verify", "status": 503, "remaining": 2}],
        "sessions": 0,
        "codes": 0,
    }
    for bad in (
        [1],
        {"tamper": ["nonsense"]},
        {"tamper": "drop_csrf"},
        {"extra_redirects": -1},
        {"fail": "verify"},
        {"fail": {"step": "verify"}},
        {"other": 1},
    ):
        async with session.post(url, json=bad) as resp:
            assert resp.status == 400, bad
    async with session.post(url, data=b"not json") as resp:
        assert resp.status == 400
    async with session.get(url) as resp:
        assert (await resp.json())["extra_redirects"] == 2
    async with session.post(url, json={"extra_redirects": 0}) as resp:
        state = await resp.json()
    assert state["extra_redirects"] == 0
    assert state["tamper"] == ["drop_csrf", "wrong_state"]
    async with session.post(f"{emulator.url}/_emulator/reset") as resp:
        assert resp.status == 200
    async with session.get(url) as resp:
        assert (await resp.json())["tamper"] == []
    assert emulator.counters.web_signin["verify"] == 0


async def test_settings_swap_reaches_the_web_flow(
    browser: Browser, emulator: RingEmulator
) -> None:
    """Replacing the settings object applies to the blocks and the code lifetime."""
    replaced = type(emulator.settings)(accounts=list(emulator.settings.accounts))
    replaced.code_exchange_lifetime = 0
    emulator.settings = replaced
    code = await browser.code(NOFA)
    status, body = await browser.exchange(code)
    assert (status, body["error_description"]) == (
        400,
        "authorization code has expired",
    )
    replaced.block_web_signin = True
    resp = await browser.get("/oauth/v2/signin")
    assert resp.status == 406
