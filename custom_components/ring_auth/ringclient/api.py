"""Authorized calls to Ring's REST API: one shared refresh on a 401, one session re-open on a 404."""

from abc import ABC, abstractmethod
import asyncio
import logging
from typing import Any

import aiohttp

from . import _http
from .const import API_PREFIX, API_TIMEOUT, API_VERSION, DEFAULT_USER_AGENT
from .exceptions import (
    RingApiError,
    RingBlockedError,
    RingMalformedResponseError,
    RingRateLimitedError,
    RingServerError,
    RingUnauthorizedError,
)

_LOGGER = logging.getLogger(__package__)

SESSION_PATH = "/session"


class AbstractAuth(ABC):
    """Supplies access tokens; implementations share one refresh among concurrent callers."""

    __slots__ = ()

    @abstractmethod
    async def async_get_access_token(self) -> str:
        """Return a valid access token, refreshing first when it is (nearly) expired."""

    @abstractmethod
    async def async_refresh_after_unauthorized(self, rejected_access_token: str) -> str:
        """Ring rejected this access token: refresh unless another caller already did."""


class RingApi:
    """Ring's clients_api, called with the tokens an AbstractAuth supplies.

    Ring keeps an API session per hardware id (`POST /clients_api/session`, which also returns
    the profile). When Ring has forgotten it, calls are answered 404 naming the session or the
    hardware id; the session is then opened again, once for all callers that saw it gone, and
    each such call is retried once.
    """

    def __init__(
        self,
        session: aiohttp.ClientSession,
        auth: AbstractAuth,
        hardware_id: str,
        *,
        api_url: str | None = None,
        user_agent: str = DEFAULT_USER_AGENT,
        timeout: float = API_TIMEOUT,
    ) -> None:
        """Use the caller's session and auth."""
        self._session = session
        self._auth = auth
        self.hardware_id = hardware_id
        self._base = _http.base_urls(None, api_url)[1] + API_PREFIX
        self._user_agent = user_agent
        self._timeout = aiohttp.ClientTimeout(total=timeout)
        self._session_lock = asyncio.Lock()
        self._session_attempts = 0

    @property
    def base_url(self) -> str:
        """Return the URL the request paths are appended to (ends in /clients_api)."""
        return self._base

    async def async_request(
        self,
        method: str,
        path: str,
        *,
        json: dict[str, Any] | None = None,
        params: dict[str, str] | None = None,
    ) -> Any:
        """Call the API and return the JSON answer (any JSON value; None for an empty 2xx)."""
        resp = await self._call(method, path, json, params)
        if not resp.raw:
            return None  # 204 No Content, or a 2xx that says nothing more
        if resp.data is _http.NOT_JSON:
            raise RingMalformedResponseError(f"Unreadable answer from Ring for {path}")
        return resp.data

    async def async_request_bytes(
        self, method: str, path: str, *, params: dict[str, str] | None = None
    ) -> bytes:
        """Call the API and return the raw body (an image)."""
        return (await self._call(method, path, None, params)).raw

    async def async_get_profile(self) -> dict[str, Any]:
        """Open an API session and return the account profile (id, email, names)."""
        self._session_attempts += 1
        body = await self.async_request(
            "POST",
            SESSION_PATH,
            json={
                "device": {
                    "hardware_id": self.hardware_id,
                    "metadata": {
                        "api_version": API_VERSION,
                        "device_model": "Home Assistant",
                    },
                    "os": "android",
                }
            },
        )
        profile = body.get("profile") if isinstance(body, dict) else None
        if not isinstance(profile, dict) or "id" not in profile:
            raise RingMalformedResponseError("Session answer without a profile")
        return profile

    async def async_get_devices(self) -> dict[str, Any]:
        """Return the account's devices grouped by kind, as Ring sends them."""
        body = await self.async_request("GET", "/ring_devices")
        if not isinstance(body, dict):
            raise RingMalformedResponseError("Device list is not a JSON object")
        return body

    async def _call(
        self,
        method: str,
        path: str,
        json: dict[str, Any] | None,
        params: dict[str, str] | None,
    ) -> _http.RawResponse:
        """One call with its recoveries (401: refresh; 404 for the session: re-open); any 2xx is success."""
        attempts = self._session_attempts
        resp = await self._authorized(method, path, json, params)
        if path != SESSION_PATH and self._session_unknown(resp):
            _LOGGER.debug(
                "Ring no longer knows this client's session; opening it again"
            )
            await self._async_reopen_session(attempts)
            resp = await self._authorized(method, path, json, params)
        if resp.ok:
            return resp
        if resp.status == 401:
            raise RingUnauthorizedError
        if resp.status == 429:
            raise RingRateLimitedError(resp.retry_after)
        if resp.status in _http.BLOCKED_STATUSES:
            raise RingBlockedError(resp.status, resp.retry_after)
        if resp.status >= 500:
            raise RingServerError(resp.status, resp.retry_after)
        raise RingApiError(resp.status, f"Ring refused {method} {path}")

    async def _authorized(
        self,
        method: str,
        path: str,
        json: dict[str, Any] | None,
        params: dict[str, str] | None,
    ) -> _http.RawResponse:
        """Send with a token; on a 401 refresh once (shared with other callers) and send again."""
        token = await self._auth.async_get_access_token()
        resp = await self._send(method, path, token, json, params)
        if resp.status == 401:
            token = await self._auth.async_refresh_after_unauthorized(token)
            resp = await self._send(method, path, token, json, params)
        return resp

    def _session_unknown(self, resp: _http.RawResponse) -> bool:
        """Return whether a 404 says Ring does not know this client's session.

        ring-client-api reads it from a 404 whose `error` names the hardware id; Ring's exact
        wording is not pinned down, so any 404 body naming the session or the id counts.
        """
        if resp.status != 404:
            return False
        text = resp.raw.decode("utf-8", "replace").casefold()
        return "session" in text or (
            bool(self.hardware_id) and self.hardware_id.casefold() in text
        )

    async def _async_reopen_session(self, attempts_seen: int) -> None:
        """Open the session again unless another caller tried since this call was sent."""
        async with self._session_lock:
            if self._session_attempts == attempts_seen:
                await self.async_get_profile()

    async def _send(
        self,
        method: str,
        path: str,
        token: str,
        json: dict[str, Any] | None,
        params: dict[str, str] | None,
    ) -> _http.RawResponse:
        """Send one authorized request."""
        headers = {
            "Authorization": f"Bearer {token}",
            "hardware_id": self.hardware_id,
            "User-Agent": self._user_agent,
        }
        body: dict[str, Any] = {"json": json}
        if json is None and method == "PUT":
            # Ring answers 422 to a PUT without a JSON body since 2024-10: send JSON null
            # (python-ring-doorbell PR #456; Home Assistant core issue #128814).
            body = {"data": b"null"}
            headers["Content-Type"] = "application/json"
        return await _http.send(
            self._session,
            method,
            self._base + path,
            limit=self._timeout,
            params=params,
            headers=headers,
            **body,
        )
