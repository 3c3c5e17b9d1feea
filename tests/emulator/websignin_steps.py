"""Driving the emulator's web sign-in step by step, the way a browser (or the app) does."""

from __future__ import annotations

import base64
from dataclasses import dataclass
import hashlib
import json
import re
import secrets
from typing import Any

import aiohttp
from multidict import CIMultiDictProxy
from yarl import URL

from ring_emulator import RingEmulator

from .common import CLIENT_ID, HARDWARE_ID, PASSWORD

CALLBACK = "https://ring.com/signin/callback"
OAUTH_ARGS = re.compile(r'<script id="oauth-args"[^>]*>(.*?)</script>', re.DOTALL)


def challenge_of(verifier: str) -> str:
    """Return the S256 challenge of a verifier."""
    digest = hashlib.sha256(verifier.encode()).digest()
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


@dataclass(frozen=True, slots=True)
class Answer:
    """A GET's status, headers and body."""

    status: int
    headers: CIMultiDictProxy[str]
    body: bytes

    def text(self) -> str:
        """Return the body as text."""
        return self.body.decode()

    def json(self) -> Any:
        """Return the body as JSON."""
        return json.loads(self.body)


def _parse(text: str) -> Any:
    """Return a body as JSON, or as text when it is none."""
    try:
        return json.loads(text)
    except ValueError:
        return text


class Browser:
    """One sign-in: its own cookie jar (unsafe: the emulator is an IP host), PKCE and state."""

    def __init__(self, session: aiohttp.ClientSession, emu: RingEmulator) -> None:
        """Use a session whose jar keeps the emulator's cookies."""
        self.session = session
        self.emu = emu
        self.verifier = secrets.token_urlsafe(48)
        self.state = secrets.token_urlsafe(16)
        self.csrf = ""

    def authorize_query(self, **changes: str) -> dict[str, str]:
        """Return the app's authorization request."""
        query = {
            "client_id": CLIENT_ID,
            "response_type": "code",
            "scope": "client",
            "redirect_uri": CALLBACK,
            "state": self.state,
            "code_challenge": challenge_of(self.verifier),
            "code_challenge_method": "S256",
            "prompt": "login",
            "hardware_id": HARDWARE_ID,
        }
        return query | changes

    async def get(self, path: str, query: dict[str, str] | None = None) -> Answer:
        """GET without following redirects."""
        async with self.session.get(
            f"{self.emu.url}{path}", params=query, allow_redirects=False
        ) as resp:
            return Answer(resp.status, resp.headers, await resp.read())

    async def post(self, path: str, form: dict[str, str]) -> tuple[int, Any]:
        """POST a form; return (status, JSON body or text)."""
        async with self.session.post(
            f"{self.emu.url}{path}", data=form, allow_redirects=False
        ) as resp:
            return resp.status, _parse(await resp.text())

    async def open(self) -> str:
        """Authorize, follow to the page, keep its CSRF token; return the page."""
        resp = await self.get("/oauth/v2/authorize", self.authorize_query())
        assert resp.status == 302, resp.status
        location = resp.headers["Location"]
        for _ in range(10):
            if location == "/oauth/v2/signin":
                break
            resp = await self.get(location)
            assert resp.status == 302
            location = resp.headers["Location"]
        page = await self.get("/oauth/v2/signin")
        assert page.status == 200
        text = page.body.decode()
        found = OAUTH_ARGS.search(text)
        assert found is not None
        self.csrf = json.loads(found.group(1)).get("csrf-token", "")
        return text

    async def sign_in(self, email: str, password: str = PASSWORD) -> tuple[int, Any]:
        """Post the credentials with the page's CSRF token."""
        form = {"username": email, "password": password, "csrf-token": self.csrf}
        return await self.post("/oauth/v2/signin", form)

    async def verify(self, code: str) -> tuple[int, Any]:
        """Post a 2FA code."""
        form = {"2fa_code": code, "csrf-token": self.csrf, "remember_me": "false"}
        return await self.post("/oauth/v2/2fa/verify", form)

    async def complete(self) -> URL:
        """Ask for the code (cookies only); return where Ring sends the app."""
        resp = await self.get("/oauth/v2/authorize")
        assert resp.status == 302, resp.status
        return URL(resp.headers["Location"])

    async def code(self, email: str) -> str:
        """Do every step up to the callback; return the authorization code."""
        await self.open()
        status, _ = await self.sign_in(email)
        if status == 412:
            code = self.emu.last_code(email)
            assert code is not None
            status, _ = await self.verify(code)
            assert status == 201
        callback = await self.complete()
        assert callback.query["state"] == self.state
        return callback.query["code"]

    async def exchange(
        self, code: str, verifier: str | None = None, **changes: str
    ) -> tuple[int, Any]:
        """Exchange a code at the token endpoint, as #1750 does."""
        form = {
            "grant_type": "authorization_code",
            "code": code,
            "code_verifier": self.verifier if verifier is None else verifier,
            "redirect_uri": CALLBACK,
            "client_id": CLIENT_ID,
        } | changes
        async with self.session.post(
            f"{self.emu.url}/oauth/token",
            data=form,
            headers={"hardware_id": HARDWARE_ID, "User-Agent": "android:com.ringapp"},
        ) as resp:
            return resp.status, _parse(await resp.text())
