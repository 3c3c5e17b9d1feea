"""A password login the config flow drives: the password grant or Ring's web sign-in.

Since February 2026 Ring's edge refuses the password grant from some networks for hours or days
(406), while Ring's apps sign in through a web flow (OAuth2 + PKCE). ``auto`` tries the password
grant and, when Ring blocks it or says it no longer supports it, switches to the web sign-in at
once with the same email and password: the user types nothing again. The method that worked is
stored in the entry; refreshes are the same for both.
"""

from enum import StrEnum

import aiohttp
from homeassistant.core import HomeAssistant
from homeassistant.helpers.aiohttp_client import async_create_clientsession

from .ringclient import (
    RingAuthClient,
    RingBlockedError,
    RingGrantUnsupportedError,
    RingWebSignIn,
    SignInStep,
    Token,
    TwoFactorRequired,
)


class SignInMethod(StrEnum):
    """How a password login reaches Ring (an option may force one)."""

    AUTO = "auto"
    PASSWORD = "password"  # noqa: S105 - a method's name
    WEB = "web"


class SignIn:
    """One login attempt of a flow: email and password, then the code, by either method."""

    def __init__(
        self,
        hass: HomeAssistant,
        session: aiohttp.ClientSession,
        hardware_id: str,
        method: SignInMethod,
    ) -> None:
        """Sign in with this installation's hardware id; `method` may force one way."""
        self._hass = hass
        self._client = RingAuthClient(session, hardware_id)
        self._hardware_id = hardware_id
        self._method = method
        self._web: RingWebSignIn | None = None
        self._web_session: aiohttp.ClientSession | None = None
        self._email = ""
        self._password = ""

    @property
    def used(self) -> SignInMethod:
        """Return the method in use (the password grant until the web sign-in started)."""
        return SignInMethod.WEB if self._web is not None else SignInMethod.PASSWORD

    async def async_start(self, email: str, password: str) -> Token | TwoFactorRequired:
        """Send email and password; a token, or Ring's 2FA challenge."""
        self._email, self._password = email, password
        if self._method is SignInMethod.WEB:
            return await self._async_web_start()
        return await self._async_password(None)

    async def async_submit_code(self, code: str) -> Token | TwoFactorRequired:
        """Send the code (empty: ask Ring for a new one)."""
        if self._web is not None and self._web.step is SignInStep.CODE:
            return await self._web.async_submit_code(code)
        if self._web is not None:  # the web attempt ended in an error: start it again
            return await self._async_web_start()
        return await self._async_password(code or None)

    def close(self) -> None:
        """Forget the password and the web sign-in's secrets; release its session."""
        self._password = ""
        if self._web is not None:
            self._web.discard()
        if self._web_session is not None:
            self._web_session.detach()
            self._web_session = None

    async def _async_password(self, code: str | None) -> Token | TwoFactorRequired:
        """Use the password grant; on a block or a retired grant, the web sign-in (auto)."""
        try:
            return await self._client.async_login(self._email, self._password, code)
        except (RingBlockedError, RingGrantUnsupportedError):
            if self._method is not SignInMethod.AUTO:
                raise
        return await self._async_web_start()

    async def _async_web_start(self) -> Token | TwoFactorRequired:
        """Start (or restart) the web sign-in on a session that keeps no cookies."""
        if self._web is None:
            # Never the shared session: its cookie jar would keep Ring's cookies for every
            # integration. The sign-in carries its own cookies.
            self._web_session = async_create_clientsession(
                self._hass, auto_cleanup=False, cookie_jar=aiohttp.DummyCookieJar()
            )
            self._web = RingWebSignIn(self._web_session, self._hardware_id)
        return await self._web.async_start(self._email, self._password)
