"""Partner account linking: consent page, single-use PKCE codes, the code exchange, 4-hour tokens."""

from __future__ import annotations

import base64
import hashlib
import re
import secrets
from typing import Any

import aiohttp
import pytest
from yarl import URL

from ring_emulator import RingEmulator, __main__ as cli
from ring_emulator.linking import s256

from .common import EMAIL, PARTNER_ID, PARTNER_SECRET, SMS, api_get, post_token, refresh

REDIRECT = "https://ha.example.com/auth/external/callback"
STATE = "opaque-state"
# RFC 7636, appendix B.
RFC_VERIFIER = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"
RFC_CHALLENGE = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"


def challenge_of(verifier: str) -> str:
    """BASE64URL-ENCODE(SHA256(ASCII(code_verifier))) without padding (RFC 7636, 4.2)."""
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest).decode("ascii").rstrip("=")


def authorize_query(verifier: str, **overrides: str | None) -> dict[str, str]:
    """Return the authorize query a partner app sends (None drops a parameter)."""
    query: dict[str, str | None] = {
        "response_type": "code",
        "client_id": PARTNER_ID,
        "redirect_uri": REDIRECT,
        "state": STATE,
        "code_challenge": challenge_of(verifier),
        "code_challenge_method": "S256",
        **overrides,
    }
    return {k: v for k, v in query.items() if v is not None}


async def get(
    session: aiohttp.ClientSession, url: str | URL, query: dict[str, str] | None = None
) -> tuple[int, str, str]:
    """GET without following redirects; return (status, Location, body text)."""
    async with session.get(url, params=query, allow_redirects=False) as resp:
        return resp.status, resp.headers.get("Location", ""), await resp.text()


async def link(
    session: aiohttp.ClientSession, emu: RingEmulator, verifier: str, **query: str
) -> str:
    """Approve the consent and return the code from the redirect."""
    status, location, _ = await get(
        session,
        f"{emu.url}/oauth/authorize",
        authorize_query(verifier, approve="1", **query),
    )
    assert status == 302
    back = URL(location)
    assert str(back.with_query(None)) == REDIRECT
    assert back.query["state"] == STATE
    return back.query["code"]


def code_form(
    code: str,
    verifier: str,
    *,
    secret: str = PARTNER_SECRET,
    redirect_uri: str = REDIRECT,
    client_id: str = PARTNER_ID,
) -> dict[str, str]:
    """Return the authorization-code grant form."""
    return {
        "grant_type": "authorization_code",
        "code": code,
        "code_verifier": verifier,
        "redirect_uri": redirect_uri,
        "client_id": client_id,
        "client_secret": secret,
    }


async def exchange(
    session: aiohttp.ClientSession, emu: RingEmulator, form: dict[str, str]
) -> tuple[int, Any]:
    """POST the code exchange; return (status, body)."""
    status, body, _ = await post_token(session, emu, form)
    return status, body


def new_verifier() -> str:
    """Return a fresh 43..128-character verifier."""
    return secrets.token_urlsafe(64)[:96]


def test_s256_is_rfc_7636() -> None:
    """The emulator's challenge is the RFC 7636 S256 transform (appendix B vector)."""
    assert challenge_of(RFC_VERIFIER) == RFC_CHALLENGE
    assert s256(RFC_VERIFIER) == RFC_CHALLENGE


async def test_consent_page_then_allow(
    emulator: RingEmulator, session: aiohttp.ClientSession
) -> None:
    """The page names the client and the account; its Allow link redirects back with a code."""
    verifier = new_verifier()
    status, _, page = await get(
        session, f"{emulator.url}/oauth/authorize", authorize_query(verifier)
    )
    assert status == 200
    assert PARTNER_ID in page
    assert SMS in page  # no login_hint: the first account
    allow = re.search(r'id="allow" href="([^"]+)"', page)
    assert allow is not None
    status, location, _ = await get(
        session, URL(emulator.url or "").join(URL(allow.group(1).replace("&amp;", "&")))
    )
    assert status == 302
    back = URL(location)
    assert back.query["state"] == STATE
    assert back.query["code"]
    assert emulator.counters.token_calls["authorization_code"] == 0


async def test_login_hint_names_the_account(
    emulator: RingEmulator, session: aiohttp.ClientSession
) -> None:
    """login_hint picks the account; the code links that account."""
    verifier = new_verifier()
    query = authorize_query(verifier, login_hint=EMAIL)
    status, _, page = await get(session, f"{emulator.url}/oauth/authorize", query)
    assert status == 200
    assert EMAIL in page
    assert SMS not in page
    code = await link(session, emulator, verifier, login_hint=EMAIL)
    status, body = await exchange(session, emulator, code_form(code, verifier))
    assert status == 200
    status, devices = await api_get(session, emulator, body["access_token"])
    assert status == 200
    assert devices["doorbots"]


async def test_deny_redirects_with_access_denied(
    emulator: RingEmulator, session: aiohttp.ClientSession
) -> None:
    """Deny sends the user back with error=access_denied and the state, and no code."""
    query = authorize_query(new_verifier(), approve="0")
    status, location, _ = await get(session, f"{emulator.url}/oauth/authorize", query)
    assert status == 302
    back = URL(location)
    assert dict(back.query) == {"error": "access_denied", "state": STATE}
    assert len(emulator.linking) == 0


@pytest.mark.parametrize(
    "overrides",
    [
        {"client_id": "unknown-client"},
        {"client_id": None},
        {"code_challenge": None},
        {"code_challenge_method": None},
        {"code_challenge_method": "plain"},
        {"response_type": "token"},
        {"redirect_uri": None},
        {"redirect_uri": "not a url"},
        {"redirect_uri": "http://[broken"},
        {"login_hint": "nobody@example.com"},
    ],
)
async def test_bad_authorize_requests(
    emulator: RingEmulator,
    session: aiohttp.ClientSession,
    overrides: dict[str, str | None],
) -> None:
    """An unknown client, no S256 challenge or no usable redirect is a 400 page, never a redirect."""
    query = authorize_query(new_verifier(), approve="1", **overrides)
    status, location, page = await get(
        session, f"{emulator.url}/oauth/authorize", query
    )
    assert status == 400
    assert location == ""
    assert "Cannot link" in page
    assert len(emulator.linking) == 0


async def test_no_accounts_is_a_400_page(
    emulator: RingEmulator, session: aiohttp.ClientSession
) -> None:
    """Without any account there is nobody to link."""
    emulator.settings.accounts = []
    query = authorize_query(new_verifier())
    status, _, _ = await get(session, f"{emulator.url}/oauth/authorize", query)
    assert status == 400


async def test_exchange_gives_partner_tokens_that_rotate(
    emulator: RingEmulator, session: aiohttp.ClientSession
) -> None:
    """The code gives a 4-hour pair; the partner refresh grant rotates it (also 4 hours)."""
    verifier = new_verifier()
    code = await link(session, emulator, verifier)
    status, body = await exchange(session, emulator, code_form(code, verifier))
    assert status == 200
    assert body["expires_in"] == 14400
    assert body["token_type"] == "Bearer"
    assert emulator.counters.token_calls["authorization_code"] == 1
    status, _ = await api_get(session, emulator, body["access_token"])
    assert status == 200

    status, rotated = await refresh(
        session,
        emulator,
        body["refresh_token"],
        client_id=PARTNER_ID,
        secret=PARTNER_SECRET,
    )
    assert status == 200
    assert rotated["refresh_token"] != body["refresh_token"]
    assert rotated["expires_in"] == 14400
    emulator.clock.advance(14399)
    assert (await api_get(session, emulator, rotated["access_token"]))[0] == 200
    emulator.clock.advance(1)
    assert (await api_get(session, emulator, rotated["access_token"]))[0] == 401


async def test_partner_lifetime_is_a_setting(
    emulator: RingEmulator, session: aiohttp.ClientSession
) -> None:
    """partner_access_token_lifetime sets partner tokens; consumer tokens keep theirs."""
    emulator.settings.partner_access_token_lifetime = 600
    assert emulator.issue_tokens(SMS, client_id=PARTNER_ID)["expires_in"] == 600
    assert emulator.issue_tokens(SMS)["expires_in"] == 3600


async def test_rfc_vector_verifier_is_accepted(
    emulator: RingEmulator, session: aiohttp.ClientSession
) -> None:
    """A code bound to the RFC 7636 challenge is exchanged with the RFC's verifier."""
    code = await link(session, emulator, RFC_VERIFIER)
    status, _ = await exchange(session, emulator, code_form(code, RFC_VERIFIER))
    assert status == 200


async def test_wrong_client_secret_is_invalid_client(
    emulator: RingEmulator, session: aiohttp.ClientSession
) -> None:
    """A wrong secret (or an unknown client) is 401 invalid_client and leaves the code usable."""
    verifier = new_verifier()
    code = await link(session, emulator, verifier)
    for form in (
        code_form(code, verifier, secret="wrong"),
        code_form(code, verifier, client_id="someone-else"),
    ):
        assert await exchange(session, emulator, form) == (
            401,
            {"error": "invalid_client"},
        )
    status, _ = await exchange(session, emulator, code_form(code, verifier))
    assert status == 200
    assert emulator.counters.token_calls["authorization_code"] == 3


async def test_secret_in_http_basic(
    emulator: RingEmulator, session: aiohttp.ClientSession
) -> None:
    """The client may authenticate with HTTP Basic instead of the form."""
    verifier = new_verifier()
    code = await link(session, emulator, verifier)
    form = code_form(code, verifier)
    del form["client_id"], form["client_secret"]
    basic = base64.b64encode(f"{PARTNER_ID}:{PARTNER_SECRET}".encode()).decode()
    status, _, _ = await post_token(
        session, emulator, form, {"Authorization": f"Basic {basic}"}
    )
    assert status == 200


def assert_invalid_grant(status: int, body: Any, words: str) -> None:
    """Assert a 400 invalid_grant whose description says why."""
    assert status == 400
    assert body["error"] == "invalid_grant"
    assert words in body["error_description"]


async def test_code_is_single_use(
    emulator: RingEmulator, session: aiohttp.ClientSession
) -> None:
    """A second exchange of the same code is refused."""
    verifier = new_verifier()
    code = await link(session, emulator, verifier)
    status, _ = await exchange(session, emulator, code_form(code, verifier))
    assert status == 200
    assert_invalid_grant(
        *await exchange(session, emulator, code_form(code, verifier)), "already used"
    )


async def test_code_expires_after_sixty_seconds(
    emulator: RingEmulator, session: aiohttp.ClientSession
) -> None:
    """59 s after issue the code works; at 60 s it has expired (emulator clock)."""
    verifier = new_verifier()
    code = await link(session, emulator, verifier)
    emulator.clock.advance(59)
    status, _ = await exchange(session, emulator, code_form(code, verifier))
    assert status == 200

    code = await link(session, emulator, verifier)
    emulator.clock.advance(60)
    assert_invalid_grant(
        *await exchange(session, emulator, code_form(code, verifier)), "expired"
    )


async def test_code_lifetime_is_a_setting(
    emulator: RingEmulator, session: aiohttp.ClientSession
) -> None:
    """code_exchange_lifetime changes the limit; expired codes are pruned on the next issue."""
    emulator.settings.code_exchange_lifetime = 5
    verifier = new_verifier()
    code = await link(session, emulator, verifier)
    emulator.clock.advance(5)
    await link(session, emulator, verifier)
    assert len(emulator.linking) == 1
    assert_invalid_grant(
        *await exchange(session, emulator, code_form(code, verifier)), "invalid"
    )


async def test_pkce_mismatch(
    emulator: RingEmulator, session: aiohttp.ClientSession
) -> None:
    """Another verifier (or none) is refused, and uses the code up."""
    verifier = new_verifier()
    code = await link(session, emulator, verifier)
    assert_invalid_grant(
        *await exchange(session, emulator, code_form(code, new_verifier())),
        "code_verifier",
    )
    assert_invalid_grant(
        *await exchange(session, emulator, code_form(code, verifier)), "already used"
    )
    code = await link(session, emulator, verifier)
    assert_invalid_grant(
        *await exchange(session, emulator, code_form(code, "")), "code_verifier"
    )
    # A plain challenge (the verifier itself) does not pass as S256.
    code = await link(session, emulator, verifier, code_challenge=verifier)
    assert_invalid_grant(
        *await exchange(session, emulator, code_form(code, verifier)), "code_verifier"
    )


async def test_redirect_uri_must_match(
    emulator: RingEmulator, session: aiohttp.ClientSession
) -> None:
    """The exchange must name the redirect URI the code was issued for."""
    verifier = new_verifier()
    code = await link(session, emulator, verifier)
    form = code_form(code, verifier, redirect_uri="https://evil.example.com/cb")
    assert_invalid_grant(*await exchange(session, emulator, form), "redirect_uri")


async def test_unknown_code_and_other_client(
    emulator: RingEmulator, session: aiohttp.ClientSession
) -> None:
    """A made-up code, or another partner's code, is invalid (and the owner's stays usable)."""
    emulator.settings.partner_clients["other-partner"] = "other-secret"
    verifier = new_verifier()
    assert_invalid_grant(
        *await exchange(session, emulator, code_form("made-up", verifier)), "invalid"
    )
    code = await link(session, emulator, verifier)
    other = code_form(code, verifier, client_id="other-partner", secret="other-secret")
    assert_invalid_grant(*await exchange(session, emulator, other), "invalid")
    status, _ = await exchange(session, emulator, code_form(code, verifier))
    assert status == 200


async def test_account_removed_before_exchange(
    emulator: RingEmulator, session: aiohttp.ClientSession
) -> None:
    """An account deleted between consent and exchange cannot be linked."""
    verifier = new_verifier()
    code = await link(session, emulator, verifier)
    emulator.settings.accounts = [
        a for a in emulator.settings.accounts if a.email != SMS
    ]
    assert_invalid_grant(
        *await exchange(session, emulator, code_form(code, verifier)),
        "no longer exists",
    )


async def test_reset_forgets_codes(
    emulator: RingEmulator, session: aiohttp.ClientSession
) -> None:
    """reset() drops every pending code."""
    verifier = new_verifier()
    code = await link(session, emulator, verifier)
    emulator.reset()
    assert len(emulator.linking) == 0
    assert_invalid_grant(
        *await exchange(session, emulator, code_form(code, verifier)), "invalid"
    )


def test_cli_flags() -> None:
    """--partner-access-token-lifetime and --code-exchange-lifetime become settings."""
    args = cli.parse_args(
        ["--partner-access-token-lifetime", "900", "--code-exchange-lifetime", "10"]
    )
    settings = cli.build_settings(args)
    assert settings.partner_access_token_lifetime == 900
    assert settings.code_exchange_lifetime == 10
    defaults = cli.build_settings(cli.parse_args([]))
    assert defaults.partner_access_token_lifetime == 14400
    assert defaults.code_exchange_lifetime == 60
    assert defaults.access_token_lifetime == 3600


async def test_settings_over_the_control_api(
    emulator: RingEmulator, session: aiohttp.ClientSession
) -> None:
    """Both new settings can be read and changed under /_emulator/settings."""
    async with session.post(
        f"{emulator.url}/_emulator/settings",
        json={"partner_access_token_lifetime": 7200, "code_exchange_lifetime": 30},
    ) as resp:
        assert resp.status == 200
        body = await resp.json()
    assert body["partner_access_token_lifetime"] == 7200
    assert body["code_exchange_lifetime"] == 30
    assert emulator.settings.code_exchange_lifetime == 30
