"""Ring's token endpoint: the password grant with 2FA, and both refresh grant flavours."""

import base64
import logging
import time
from typing import Any

import aiohttp

from . import _http
from .const import (
    AUTHORIZE_PATH,
    CONSUMER_CLIENT_ID,
    CONSUMER_SCOPE,
    DEFAULT_EXPIRES_IN,
    DEFAULT_USER_AGENT,
    MAX_EXPIRES_IN,
    MIN_EXPIRES_IN,
    TOKEN_PATH,
    TOKEN_TIMEOUT,
    TSV_EMAIL,
    TSV_SMS,
    TSV_TOTP,
)
from .exceptions import (
    RingApiError,
    RingBlockedError,
    RingGrantUnsupportedError,
    RingInvalidClientError,
    RingInvalidCodeError,
    RingInvalidCredentialsError,
    RingInvalidGrantError,
    RingMalformedResponseError,
    RingRateLimitedError,
    RingServerError,
    RingTooManyCodesError,
)
from .models import PartnerCredentials, Token, TwoFactorRequired

_LOGGER = logging.getLogger(__package__)

# HTTP Basic "ring_official_android:" (empty password), built by hand: aiohttp deprecates
# BasicAuth and the auth= parameter (removed in aiohttp 4).
_CONSUMER_BASIC = {
    "Authorization": "Basic "
    + base64.b64encode(f"{CONSUMER_CLIENT_ID}:".encode()).decode()
}

_TOO_MANY_CODES = "too many requests"
_BAD_CODE = "verification code"
# OAuth 2.0 (RFC 6749 5.2): the server does not support this grant type (any more).
_UNSUPPORTED = "unsupported_grant_type"
_LOST_GRANT = frozenset({"invalid_grant", "access_denied"})


class RingAuthClient:
    """Talks to Ring's OAuth token endpoint; holds no token itself."""

    __slots__ = (
        "_session",
        "_timeout",
        "_user_agent",
        "authorize_url",
        "hardware_id",
        "token_url",
    )

    def __init__(
        self,
        session: aiohttp.ClientSession,
        hardware_id: str,
        *,
        oauth_url: str | None = None,
        user_agent: str = DEFAULT_USER_AGENT,
        timeout: float = TOKEN_TIMEOUT,
    ) -> None:
        """Use the caller's session; the hardware id must stay the same for an installation.

        Partner apps send no hardware id: pass an empty string.
        """
        self._session = session
        self.hardware_id = hardware_id
        origin = _http.base_urls(oauth_url, None)[0]
        self.token_url = origin + TOKEN_PATH
        self.authorize_url = origin + AUTHORIZE_PATH
        self._user_agent = user_agent
        self._timeout = aiohttp.ClientTimeout(total=timeout)

    async def async_login(
        self, username: str, password: str, code: str | None = None
    ) -> Token | TwoFactorRequired:
        """Log in with the password grant; a 2FA challenge is returned, not raised."""
        headers = {"2fa-support": "true"}
        if code:
            headers["2fa-code"] = code
        resp = await self._post(
            {
                "grant_type": "password",
                "client_id": CONSUMER_CLIENT_ID,
                "scope": CONSUMER_SCOPE,
                "username": username,
                "password": password,
            },
            headers,
            basic=True,
        )
        body = resp.body
        if resp.ok:
            return _parse_token(body, None)
        if resp.status == 412:
            if body is None:
                raise RingMalformedResponseError("2FA challenge without a JSON body")
            phone = body.get("phone")
            destination = phone if isinstance(phone, str) and phone else None
            return TwoFactorRequired(
                tsv_state=_tsv_state(body.get("tsv_state"), destination),
                phone=destination,
                next_time_in_secs=_int_or(body.get("next_time_in_secs"), 60),
            )
        text = _error_text(body)
        if resp.status in (400, 401) and (body or {}).get("error") == _UNSUPPORTED:
            raise RingGrantUnsupportedError("Ring no longer accepts the password grant")
        if _TOO_MANY_CODES in text and resp.status in (400, 429):
            raise RingTooManyCodesError(resp.retry_after)
        if resp.status == 400 and _BAD_CODE in text:
            raise RingInvalidCodeError("The verification code is invalid or expired")
        if resp.status == 401 and body is not None and "error" in body:
            raise RingInvalidCredentialsError("Ring refused the email or password")
        raise _transient_or_api_error(resp)

    async def async_refresh(
        self, refresh_token: str, partner: PartnerCredentials | None = None
    ) -> Token:
        """Exchange a refresh token (consumer grant, or partner grant with a client secret)."""
        data = {"grant_type": "refresh_token", "refresh_token": refresh_token}
        if partner is None:
            data |= {"client_id": CONSUMER_CLIENT_ID, "scope": CONSUMER_SCOPE}
        else:
            data |= {
                "client_id": partner.client_id,
                "client_secret": partner.client_secret,
            }
        resp = await self._post(data, {}, basic=partner is None)
        if resp.ok:
            return _parse_token(resp.body, refresh_token)
        raise _grant_error(resp)

    async def async_exchange_code(
        self,
        code: str,
        code_verifier: str,
        redirect_uri: str,
        partner: PartnerCredentials | None = None,
    ) -> Token:
        """Exchange an authorization code (PKCE): a partner's, or the web sign-in's (no partner).

        The web sign-in's code is Ring's own app's (``ring_official_android``, no secret, no
        Basic header, as ring-client-api #1750 sends it).
        """
        data = {
            "grant_type": "authorization_code",
            "code": code,
            "code_verifier": code_verifier,
            "redirect_uri": redirect_uri,
        }
        if partner is None:
            data["client_id"] = CONSUMER_CLIENT_ID
        else:
            data |= {
                "client_id": partner.client_id,
                "client_secret": partner.client_secret,
            }
        resp = await self._post(data, {}, basic=False)
        if resp.ok:
            return _parse_token(resp.body, None)
        raise _grant_error(resp)

    def _headers(self) -> dict[str, str]:
        """Headers of every token request."""
        headers = {"User-Agent": self._user_agent}
        if self.hardware_id:
            headers["hardware_id"] = self.hardware_id
        return headers

    async def _post(
        self, data: dict[str, str], headers: dict[str, str], *, basic: bool
    ) -> _http.RawResponse:
        """POST a form to the token endpoint with the installation's headers."""
        return await _http.send(
            self._session,
            "POST",
            self.token_url,
            limit=self._timeout,
            data=data,
            headers=self._headers() | headers | (_CONSUMER_BASIC if basic else {}),
        )


def _parse_token(
    body: dict[str, Any] | None, previous_refresh_token: str | None
) -> Token:
    """Build a Token from a 200 body; keep a rotated token even when expires_in is odd."""
    if body is None:
        raise RingMalformedResponseError("Ring answered without a JSON body")
    access = body.get("access_token")
    refresh = body.get("refresh_token") or previous_refresh_token
    if (
        not isinstance(access, str)
        or not access
        or not isinstance(refresh, str)
        or not refresh
    ):
        raise RingMalformedResponseError("Ring answered without a token")
    raw = body.get("expires_in")
    expires_in = _int_or(raw, None)
    trusted = expires_in is not None and MIN_EXPIRES_IN <= expires_in <= MAX_EXPIRES_IN
    if expires_in is None:
        expires_in = DEFAULT_EXPIRES_IN
    expires_in = min(max(expires_in, MIN_EXPIRES_IN), MAX_EXPIRES_IN)
    if not trusted:
        _LOGGER.warning(
            "Ring sent an unusable expires_in (%r); using %s s", raw, expires_in
        )
    return Token(
        access_token=access,
        refresh_token=refresh,
        expires_in=expires_in,
        scope=str(body.get("scope") or CONSUMER_SCOPE),
        token_type=str(body.get("token_type") or "Bearer"),
        received_at=time.time(),
        expires_in_trusted=trusted,
    )


def _grant_error(resp: _http.RawResponse) -> Exception:
    """Classify a failed refresh or code exchange."""
    error = str((resp.body or {}).get("error", ""))
    if resp.status in (400, 401) and error in _LOST_GRANT:
        return RingInvalidGrantError(
            "Ring refused the token: the login is no longer valid"
        )
    if resp.status in (400, 401) and error == "invalid_client":
        return RingInvalidClientError("Ring refused the partner client id or secret")
    return _transient_or_api_error(resp)


def _transient_or_api_error(resp: _http.RawResponse) -> Exception:
    """Blocks, 429, 5xx and unreadable bodies are transient; anything else is unexpected."""
    if resp.status in _http.BLOCKED_STATUSES:
        return RingBlockedError(resp.status, resp.retry_after)
    if resp.status == 429:
        return RingRateLimitedError(resp.retry_after)
    if resp.status >= 500:
        return RingServerError(resp.status, resp.retry_after)
    if resp.body is None:
        return RingMalformedResponseError(
            f"Unreadable answer from Ring (HTTP {resp.status})"
        )
    return RingApiError(resp.status)


def _tsv_state(value: Any, destination: str | None) -> str:
    """Return how the code was sent: Ring's tsv_state, else a guess from the destination.

    Ring's 412 has been seen without tsv_state (eigenein/my-iot-rs issue #61, 2020); an
    unknown or missing method is read from the masked destination (an email has an "@").
    """
    if value in (TSV_SMS, TSV_EMAIL, TSV_TOTP):
        return str(value)
    if value is not None:
        _LOGGER.debug("Unknown 2FA method %r from Ring", value)
    return TSV_EMAIL if destination and "@" in destination else TSV_SMS


def _error_text(body: dict[str, Any] | None) -> str:
    """Ring's error fields in lower case, for matching."""
    if body is None:
        return ""
    return " ".join(
        str(body.get(k, "")) for k in ("error", "error_description", "err_msg")
    ).lower()


def _int_or[T](value: Any, default: T) -> int | T:
    """Return value as an int when it is a whole number, else default."""
    if isinstance(value, bool):
        return default
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str):
        try:
            return int(value)
        except ValueError:
            return default
    return default
