"""Ring's 2026 web sign-in: OAuth2 authorization code with PKCE behind a CSRF-protected page.

The steps (docs/ring-protocol.md, section 1b): GET /oauth/v2/authorize with the PKCE challenge
(redirects to the sign-in page, whose JSON holds the CSRF token) → POST /oauth/v2/signin (412:
a 2FA code is needed) → POST /oauth/v2/2fa/verify → GET /oauth/v2/authorize (302 to the app's
callback with code and state) → POST /oauth/token (authorization_code + code_verifier).
"""

from dataclasses import dataclass, field
from enum import StrEnum
import logging
import secrets

import aiohttp
from yarl import URL

from . import _http
from ._webhttp import WebPages
from ._webpage import (
    AUTHORIZE,
    EXCHANGE,
    PAGE,
    SIGNIN,
    VERIFY,
    callback_code,
    challenge_of,
    failure,
    find_csrf_token,
    is_redirect,
    malformed,
    resolve,
)
from .auth import RingAuthClient
from .const import (
    TOKEN_TIMEOUT,
    WEB_AUTHORIZE_PATH,
    WEB_DEVICE_MODEL,
    WEB_REDIRECT_URI,
    WEB_SIGNIN_PATH,
    WEB_USER_AGENT,
    WEB_VERIFY_PATH,
)
from .exceptions import (
    RingInvalidCodeError,
    RingInvalidCredentialsError,
    RingInvalidGrantError,
    RingMalformedResponseError,
    RingTransientError,
)
from .models import Token, TwoFactorRequired

_LOGGER = logging.getLogger(__package__)


class SignInStep(StrEnum):
    """Where a web sign-in stands."""

    IDLE = "idle"  # nothing started, or the last attempt ended in an error
    CODE = "code"  # Ring asked for a 2FA code: async_submit_code next
    DONE = "done"  # the token was returned


@dataclass(slots=True, repr=False)
class _Flow:
    """One attempt's secrets and progress; never logged, never in a repr."""

    username: str
    password: str  # kept for an empty code, which asks Ring for a new one
    pages: WebPages  # the attempt's requests and cookies
    verifier: str = field(default_factory=lambda: secrets.token_urlsafe(48))
    state: str = field(default_factory=lambda: secrets.token_urlsafe(24))
    csrf: str = ""
    verified: bool = False  # password (and code) accepted: only authorization is left
    code: str | None = None  # Ring's authorization code, once the callback held it


class RingWebSignIn:
    """One user's web sign-in, held between the form submissions of a config flow.

    Give it a session that keeps no cookies of its own, e.g. Home Assistant's
    ``async_create_clientsession(hass, auto_cleanup=False, cookie_jar=aiohttp.DummyCookieJar())``
    (``detach()`` it when done), never the shared ``async_get_clientsession(hass)``, whose jar
    would keep Ring's cookies for every integration. The sign-in carries its own cookies (one
    jar per attempt), so a plain session or one with ``aiohttp.CookieJar(unsafe=True)`` works
    too. It runs no task and holds no connection: drop it, or ``discard()`` its secrets early.
    """

    def __init__(
        self,
        session: aiohttp.ClientSession,
        hardware_id: str,
        *,
        oauth_url: str | None = None,
        user_agent: str = WEB_USER_AGENT,
        device_model: str = WEB_DEVICE_MODEL,
        timeout: float = TOKEN_TIMEOUT,
    ) -> None:
        """Use the installation's stable hardware id, as the password grant does."""
        self._session = session
        self.hardware_id = hardware_id
        self._base = _http.base_urls(oauth_url, None)[0]
        self._headers = {"User-Agent": user_agent, "hardware_id": hardware_id}
        self._device_model = device_model
        self._timeout = aiohttp.ClientTimeout(total=timeout)
        self._tokens = RingAuthClient(
            session,
            hardware_id,
            oauth_url=self._base,
            user_agent=user_agent,
            timeout=timeout,
        )
        self._flow: _Flow | None = None
        self._step = SignInStep.IDLE

    def __repr__(self) -> str:
        """Show the step only."""
        return f"<RingWebSignIn step={self._step}>"

    @property
    def step(self) -> SignInStep:
        """Return where the sign-in stands."""
        return self._step

    async def async_start(
        self, username: str, password: str
    ) -> Token | TwoFactorRequired:
        """Sign in afresh: a token, or the 2FA challenge (then ``async_submit_code``)."""
        self.discard()
        flow = self._new_flow(username, password)
        try:
            await self._open(flow)
            challenge = await self._sign_in(flow)
            if challenge is not None:
                self._step = SignInStep.CODE
                return challenge
            return await self._finish(flow, flow.pages.url(WEB_AUTHORIZE_PATH))
        except BaseException:
            self.discard()
            raise

    async def async_submit_code(self, code: str) -> Token | TwoFactorRequired:
        """Send the 2FA code; an empty one asks Ring for a new code (a new challenge).

        A wrong code or a passing failure keeps the sign-in on this step for another try;
        after a passing failure past the code, a retry finishes without it.
        """
        flow = self._flow
        if flow is None or self._step is not SignInStep.CODE:
            raise RuntimeError("No sign-in waits for a code; call async_start first")
        try:
            if flow.verified:
                return await self._finish(flow, flow.pages.url(WEB_AUTHORIZE_PATH))
            if not code.strip():
                flow, challenge = await self._resend(flow)
                if challenge is not None:
                    return challenge
                return await self._finish(flow, flow.pages.url(WEB_AUTHORIZE_PATH))
            after = await self._verify(flow, code.strip())
            if isinstance(after, TwoFactorRequired):
                return after
            return await self._finish(flow, after)
        except RingMalformedResponseError:
            self.discard()
            raise
        except RingInvalidCodeError, RingTransientError:
            raise
        except BaseException:
            self.discard()
            raise

    def discard(self) -> None:
        """Forget the attempt: password, cookies, CSRF token and PKCE verifier."""
        if self._flow is not None:
            self._flow.pages.cookies.clear()
            self._flow = None
        self._step = SignInStep.IDLE

    def _new_flow(self, username: str, password: str) -> _Flow:
        """Begin an attempt: new cookies, PKCE verifier and state."""
        pages = WebPages(self._session, self._base, self._headers, self._timeout)
        self._flow = _Flow(username, password, pages)
        return self._flow

    async def _resend(self, flow: _Flow) -> tuple[_Flow, TwoFactorRequired | None]:
        """Post the credentials again, which sends a new code when Ring allows.

        A sign-in session Ring has forgotten (a long wait on the code step) refuses the post;
        then a new attempt opens with the same credentials. A changed password fails there.
        """
        try:
            return flow, await self._sign_in(flow)
        except RingInvalidCredentialsError, RingMalformedResponseError:
            _LOGGER.debug("Web sign-in: Ring forgot the attempt; opening a new one")
        flow.pages.cookies.clear()
        fresh = self._new_flow(flow.username, flow.password)
        await self._open(fresh)
        return fresh, await self._sign_in(fresh)

    async def _open(self, flow: _Flow) -> None:
        """Ask for the app's authorization; keep the sign-in page's CSRF token."""
        _, page = await flow.pages.walk(
            flow.pages.authorize_url(flow.verifier, flow.state, self._device_model),
            PAGE,
        )
        if page is None:
            raise malformed(PAGE, "a redirect back to the app before signing in")
        flow.csrf = find_csrf_token(page.raw) or ""
        if not flow.csrf:
            raise malformed(PAGE, "the page holds no CSRF token")

    async def _sign_in(self, flow: _Flow) -> TwoFactorRequired | None:
        """Post the credentials: a challenge, or None when Ring signed in without a code."""
        form = {"username": flow.username, "password": flow.password}
        resp = await flow.pages.post(WEB_SIGNIN_PATH, form | {"csrf-token": flow.csrf})
        challenge = challenge_of(resp, SIGNIN)
        if challenge is not None:
            _LOGGER.debug("Web sign-in: Ring asks for a code (%s)", challenge.tsv_state)
            return challenge
        if resp.ok or is_redirect(resp):
            flow.verified = True
            return None
        refusal = RingInvalidCredentialsError("Ring refused the email or password")
        raise failure(resp, SIGNIN, refusal)

    async def _verify(self, flow: _Flow, code: str) -> TwoFactorRequired | URL:
        """Post the code: where authorization goes on, or a new challenge."""
        form = {"2fa_code": code, "csrf-token": flow.csrf, "remember_me": "false"}
        resp = await flow.pages.post(WEB_VERIFY_PATH, form)
        challenge = challenge_of(resp, VERIFY)
        if challenge is not None:
            return challenge
        target: object = None
        if resp.ok:
            target = (resp.body or {}).get("redirect_url")
        elif is_redirect(resp):
            target = resp.headers.get("Location")
        else:
            refusal = RingInvalidCodeError(
                "The verification code is invalid or expired"
            )
            raise failure(resp, VERIFY, refusal)
        flow.verified = True
        if not isinstance(target, str) or not target:
            return flow.pages.url(WEB_AUTHORIZE_PATH)
        return flow.pages.check(
            resolve(flow.pages.url(WEB_VERIFY_PATH), target), VERIFY
        )

    async def _finish(self, flow: _Flow, url: URL) -> Token:
        """Get the authorization code (once) and exchange it with the PKCE verifier."""
        if flow.code is None:
            callback, page = await flow.pages.walk(url, AUTHORIZE)
            if page is not None:
                raise malformed(AUTHORIZE, "a page instead of the authorization code")
            flow.code = callback_code(callback, flow.state)
        try:
            token = await self._tokens.async_exchange_code(
                flow.code, flow.verifier, WEB_REDIRECT_URI
            )
        except RingInvalidGrantError:
            self.discard()
            raise RingInvalidGrantError(
                f"Ring refused the sign-in's authorization code (step: {EXCHANGE})"
            ) from None
        self.discard()
        self._step = SignInStep.DONE
        _LOGGER.debug("Web sign-in: signed in")
        return token
