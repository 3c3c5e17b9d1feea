"""Requests of one web sign-in attempt: the app's headers, its own cookies, redirects by hand."""

import base64
from collections.abc import Iterable
import hashlib
from http.cookies import CookieError, SimpleCookie
from typing import Any

import aiohttp
from yarl import URL

from . import _http
from ._webpage import failure, is_callback, is_redirect, malformed, resolve
from .const import (
    CONSUMER_CLIENT_ID,
    CONSUMER_SCOPE,
    WEB_APP_VERSION,
    WEB_AUTHORIZE_PATH,
    WEB_MAX_REDIRECTS,
    WEB_REDIRECT_URI,
    WEB_SIGNIN_PATH,
)

_HTML_ACCEPT = {"Accept": "text/html,application/xhtml+xml,application/json"}
_JSON_ACCEPT = "application/json, text/plain, */*"


class CookieCarrier:
    """The cookies of one sign-in: kept here and sent by hand, never in a session's jar.

    An unsafe jar, because aiohttp's default one drops cookies of IP-address hosts (the
    emulator's 127.0.0.1). Cookie values never reach a log line or an exception.
    """

    __slots__ = ("_jar",)

    def __init__(self) -> None:
        """Start empty (must run inside the event loop)."""
        self._jar = aiohttp.CookieJar(unsafe=True)

    def store(self, url: URL, set_cookies: Iterable[str]) -> None:
        """Keep the cookies of one answer's Set-Cookie headers."""
        for header in set_cookies:
            cookie: SimpleCookie = SimpleCookie()
            try:
                cookie.load(header)
            except CookieError:
                continue  # one unreadable cookie must not end the sign-in
            self._jar.update_cookies(cookie, url)

    def header(self, url: URL) -> dict[str, str]:
        """Return the Cookie header for a request to url (empty when none applies)."""
        found = self._jar.filter_cookies(url)
        if not found:
            return {}
        return {"Cookie": "; ".join(f"{m.key}={m.coded_value}" for m in found.values())}

    def clear(self) -> None:
        """Forget every cookie."""
        self._jar.clear()


class WebPages:
    """Talks to Ring's sign-in pages for one attempt; the attempt's cookies live here."""

    def __init__(
        self,
        session: aiohttp.ClientSession,
        base: str,
        headers: dict[str, str],
        timeout: aiohttp.ClientTimeout,
    ) -> None:
        """Send every request to base's origin with these headers (app and hardware id)."""
        self._session = session
        self._base = base
        self.origin = URL(base).origin()
        self._headers = headers
        self._timeout = timeout
        self.cookies = CookieCarrier()

    def url(self, path: str) -> URL:
        """Return the address of one of Ring's OAuth paths."""
        return URL(self._base + path)

    async def walk(self, url: URL, step: str) -> tuple[URL, _http.RawResponse | None]:
        """Follow Ring's redirects by hand: to a page (2xx), or to the app's callback."""
        for _ in range(WEB_MAX_REDIRECTS + 1):
            if is_callback(url):
                return url, None
            resp = await self._send("GET", url, _HTML_ACCEPT)
            if resp.ok:
                return url, resp
            if not is_redirect(resp):
                raise failure(resp, step, None)
            location = resp.headers.get("Location")
            if not location:
                raise malformed(step, "a redirect without a target")
            url = self.check(resolve(url, location), step)
        raise malformed(step, "too many redirects")

    def check(self, url: URL | None, step: str) -> URL:
        """Allow Ring's own pages and the app's callback; refuse anything else."""
        if url is None:
            raise malformed(step, "a redirect to an unreadable address")
        if url.origin() != self.origin and not is_callback(url):
            raise malformed(step, "a redirect to another site")
        return url

    async def post(self, path: str, form: dict[str, str]) -> _http.RawResponse:
        """Post a form the way the sign-in page's script does."""
        headers = {
            "Accept": _JSON_ACCEPT,
            "Origin": str(self.origin),
            "Referer": str(self.url(WEB_SIGNIN_PATH)),
        }
        return await self._send("POST", self.url(path), headers, data=form)

    async def _send(
        self, method: str, url: URL, headers: dict[str, str], **kwargs: Any
    ) -> _http.RawResponse:
        """Send one request with the app's headers and this attempt's cookies."""
        resp = await _http.send(
            self._session,
            method,
            str(url),
            limit=self._timeout,
            allow_redirects=False,
            headers=self._headers | headers | self.cookies.header(url),
            **kwargs,
        )
        self.cookies.store(url, resp.headers.getall("Set-Cookie", ()))
        return resp

    def authorize_url(self, verifier: str, state: str, device_model: str) -> URL:
        """Return the first address: the app's authorization request with PKCE S256."""
        digest = hashlib.sha256(verifier.encode("ascii")).digest()
        challenge = base64.urlsafe_b64encode(digest).decode("ascii").rstrip("=")
        return self.url(WEB_AUTHORIZE_PATH).with_query(
            client_id=CONSUMER_CLIENT_ID,
            response_type="code",
            scope=CONSUMER_SCOPE,
            redirect_uri=WEB_REDIRECT_URI,
            state=state,
            code_challenge=challenge,
            code_challenge_method="S256",
            prompt="login",
            hardware_id=self._headers["hardware_id"],
            device_model=device_model,
            app_brand="ring",
            app_version=WEB_APP_VERSION,
            dark_mode="false",
        )
