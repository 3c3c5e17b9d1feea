"""Account linking for partner apps: the consent page and single-use PKCE codes."""

from __future__ import annotations

import base64
from collections.abc import Mapping
from dataclasses import asdict, dataclass
import hashlib
import html
import logging
import secrets
from typing import Any

from aiohttp import web
from yarl import URL

from .settings import Account, Clock, EmulatorSettings

_LOGGER = logging.getLogger(__name__)

PAGE = """<!doctype html>
<html><head><title>Ring - link {client}</title></head>
<body>
<h1>Link {client} to your Ring account</h1>
<p>{client} asks to use the Ring account <b>{email}</b>.</p>
<p><a id="allow" href="{allow}">Allow</a> <a id="deny" href="{deny}">Deny</a></p>
</body></html>
"""
BAD_REQUEST = """<!doctype html>
<html><head><title>Ring - cannot link</title></head>
<body><h1>Cannot link</h1><p>{reason}</p></body></html>
"""


def s256(verifier: str) -> str:
    """Return the RFC 7636 S256 challenge of a verifier: BASE64URL(SHA256(ASCII)), no padding."""
    digest = hashlib.sha256(verifier.encode("ascii", "replace")).digest()
    return base64.urlsafe_b64encode(digest).decode("ascii").rstrip("=")


@dataclass(slots=True)
class LinkCode:
    """What the emulator keeps per authorization code."""

    account: str
    client_id: str
    redirect_uri: str
    challenge: str
    issued_at: float
    used: bool = False


@dataclass(slots=True, frozen=True)
class Redemption:
    """The outcome of presenting a code: the account key, or why it was refused."""

    account: str | None
    reason: str = ""


class Linking:
    """GET /oauth/authorize (consent page, redirect with a code) and code redemption."""

    def __init__(self, clock: Clock, settings: EmulatorSettings) -> None:
        """Bind to the emulator's clock and (mutable) settings."""
        self._clock = clock
        self.settings = settings
        self._codes: dict[str, LinkCode] = {}

    def __len__(self) -> int:
        """Return how many codes are held (used ones included until they expire)."""
        return len(self._codes)

    def authorize(self, query: Mapping[str, str]) -> web.Response:
        """Answer the authorize URL: a consent page, or with approve=1/0 a redirect back."""
        client_id = query.get("client_id", "")
        redirect_uri = query.get("redirect_uri", "")
        challenge = query.get("code_challenge", "")
        problem = None
        if query.get("response_type") != "code":
            problem = "response_type must be code"
        elif client_id not in self.settings.partner_clients:
            problem = "unknown client_id"
        elif not _redirectable(redirect_uri):
            problem = "redirect_uri must be an absolute http(s) URL"
        elif not challenge or query.get("code_challenge_method") != "S256":
            problem = "a code_challenge with code_challenge_method S256 is required"
        account = self._account(query.get("login_hint", ""))
        if problem is None and account is None:
            problem = "unknown account"
        if problem is not None or account is None:
            _LOGGER.debug("authorize refused: %s", problem)
            reason = html.escape(problem or "")
            return web.Response(
                status=400,
                text=BAD_REQUEST.format(reason=reason),
                content_type="text/html",
            )
        back = URL(redirect_uri)
        extra = {"state": query["state"]} if "state" in query else {}
        approve = query.get("approve")
        if approve == "1":
            code = self.issue(account, client_id, redirect_uri, challenge)
            raise web.HTTPFound(back.update_query({"code": code, **extra}))
        if approve is not None:
            raise web.HTTPFound(back.update_query({"error": "access_denied", **extra}))
        here = URL.build(path="/oauth/authorize").with_query(dict(query))
        return web.Response(
            text=PAGE.format(
                client=html.escape(client_id),
                email=html.escape(account.email),
                allow=html.escape(str(here.update_query(approve="1"))),
                deny=html.escape(str(here.update_query(approve="0"))),
            ),
            content_type="text/html",
        )

    def issue(
        self, account: Account, client_id: str, redirect_uri: str, challenge: str
    ) -> str:
        """Issue a single-use code bound to the client, redirect URI and challenge."""
        self.prune()
        code = secrets.token_urlsafe(24)
        self._codes[code] = LinkCode(
            account.key, client_id, redirect_uri, challenge, self._clock.now()
        )
        return code

    def redeem(self, params: Mapping[str, str], client_id: str) -> Redemption:
        """Check a code for an authenticated client; any presentation uses the code up."""
        record = self._codes.get(params.get("code", ""))
        if record is None or record.client_id != client_id:
            return Redemption(None, "authorization code is invalid")
        if record.used:
            return Redemption(None, "authorization code was already used")
        record.used = True
        if self._clock.now() >= record.issued_at + self.settings.code_exchange_lifetime:
            return Redemption(None, "authorization code has expired")
        if params.get("redirect_uri", "") != record.redirect_uri:
            return Redemption(None, "redirect_uri does not match the authorization")
        verifier = params.get("code_verifier", "")
        if not verifier or not secrets.compare_digest(
            s256(verifier).encode(), record.challenge.encode()
        ):
            return Redemption(None, "code_verifier does not match the code_challenge")
        return Redemption(record.account)

    def prune(self) -> None:
        """Drop codes that can no longer be exchanged."""
        end = self._clock.now() - self.settings.code_exchange_lifetime
        for code in [c for c, r in self._codes.items() if r.issued_at <= end]:
            del self._codes[code]

    def clear(self) -> None:
        """Forget every code."""
        self._codes.clear()

    def to_state(self) -> dict[str, Any]:
        """Return the codes not yet expired (they live about a minute)."""
        self.prune()
        return {code: asdict(record) for code, record in self._codes.items()}

    def load_state(self, data: dict[str, Any]) -> None:
        """Replace the codes with the saved ones (validated first)."""
        codes = {str(code): LinkCode(**record) for code, record in data.items()}
        for record in codes.values():
            if not isinstance(record.issued_at, int | float) or not isinstance(
                record.used, bool
            ):
                raise TypeError("issued_at must be a number and used a boolean")
        self._codes = codes

    def _account(self, hint: str) -> Account | None:
        """Return the hinted account, else the first one."""
        if hint:
            return self.settings.find_account(hint)
        return self.settings.accounts[0] if self.settings.accounts else None


def _redirectable(uri: str) -> bool:
    """Return whether a redirect URI is an absolute http(s) URL."""
    try:
        url = URL(uri)
    except ValueError:
        return False
    return url.scheme in ("http", "https") and bool(url.host)
