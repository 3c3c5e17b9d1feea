"""The /oauth/token endpoint: password grant with 2FA, account-linking codes, refresh with rotation."""

from __future__ import annotations

import base64
import binascii
from collections.abc import Callable, Mapping
import json
import logging
import secrets
from typing import Any

from aiohttp import web

from .counters import Counters
from .linking import Linking
from .reply import Reply, error
from .settings import Account, EmulatorSettings
from .tokens import TokenPair, TokenStore
from .twofactor import TwoFactor

_LOGGER = logging.getLogger(__name__)

CONSUMER_CLIENT_ID = "ring_official_android"
BAD_CREDENTIALS = {
    "error": "access_denied",
    "error_description": "invalid user credentials",
}
BAD_CODE = {
    "err_msg": "bad request response from dependency service",
    "error": "Verification Code is invalid or expired",
}
INVALID_GRANT = {
    "error": "invalid_grant",
    "error_description": "token is invalid or does not exists",
}
INVALID_CLIENT = {"error": "invalid_client"}
CLIENT_ID_REQUIRED = {
    "error": "invalid_request",
    "error_description": "client_id is required",
}
TOO_MANY_CODES = {
    "error": "too_many_requests",
    "error_description": "too many requests from dependency service",
}

type Params = dict[str, str]
type GrantHandler = Callable[[Params, Mapping[str, str]], Reply]


async def read_params(request: web.Request) -> Params | None:
    """Read a form-encoded or JSON body into flat string params (None if malformed)."""
    if request.content_type == "application/json":
        try:
            data: Any = json.loads(await request.read() or b"{}")
        except ValueError:
            return None
        if not isinstance(data, dict):
            return None
        return {str(k): "" if v is None else str(v) for k, v in data.items()}
    form = await request.post()
    return {k: v for k, v in form.items() if isinstance(v, str)}


def basic_auth(headers: Mapping[str, str]) -> tuple[str, str] | None:
    """Return (client_id, secret) from an HTTP Basic Authorization header, if any."""
    scheme, _, value = headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "basic":
        return None
    try:
        decoded = base64.b64decode(value.strip(), validate=True).decode()
    except (binascii.Error, UnicodeDecodeError):
        return None
    client_id, _, secret = decoded.partition(":")
    return client_id, secret


def token_body(pair: TokenPair) -> dict[str, Any]:
    """Return the JSON body of a successful token response."""
    return {
        "access_token": pair.access_token,
        "refresh_token": pair.refresh_token,
        "expires_in": pair.expires_in,
        "scope": "client",
        "token_type": "Bearer",
    }


class TokenEndpoint:
    """Grant dispatch for POST /oauth/token."""

    def __init__(
        self,
        settings: EmulatorSettings,
        store: TokenStore,
        twofactor: TwoFactor,
        counters: Counters,
        linking: Linking,
    ) -> None:
        """Bind to the emulator's shared state."""
        self.settings = settings
        self.store = store
        self.twofactor = twofactor
        self.counters = counters
        self.linking = linking
        self.grants: dict[str, GrantHandler] = {
            "password": self._password,
            "refresh_token": self._refresh,
            "authorization_code": self._authorization_code,
        }

    def handle(self, params: Params, headers: Mapping[str, str]) -> Reply:
        """Answer one token request."""
        grant = params.get("grant_type", "")
        handler = self.grants.get(grant)
        if handler is None:
            return error(400, {"error": "unsupported_grant_type"})
        return handler(params, headers)

    @staticmethod
    def _client(params: Params, headers: Mapping[str, str]) -> tuple[str, str]:
        """Return (client_id, client_secret) from the body, else from HTTP Basic."""
        basic = basic_auth(headers) or ("", "")
        client_id = params.get("client_id") or basic[0]
        secret = params.get("client_secret") or basic[1]
        return client_id, secret

    def _issue(
        self, account: Account, client_id: str, headers: Mapping[str, str]
    ) -> Reply:
        """Issue a fresh pair for a successful login."""
        self.counters.add_device(account.email, headers.get("hardware_id"))
        pair = self.store.issue(account.key, client_id)
        _LOGGER.debug("login ok for %s", account.email)
        return Reply(200, token_body(pair), note="logged in")

    def _password(self, params: Params, headers: Mapping[str, str]) -> Reply:
        """Handle the consumer password grant with 2FA; client_id must be in the body."""
        client_id = params.get("client_id", "")
        if not client_id:
            # Required since 2024-09 (python-ring-doorbell PR #446); HTTP Basic is not enough.
            return error(400, CLIENT_ID_REQUIRED)
        if client_id != CONSUMER_CLIENT_ID:
            return error(401, INVALID_CLIENT)
        account = self.settings.find_account(params.get("username", ""))
        password = params.get("password", "")
        if account is None or not secrets.compare_digest(
            password.encode(), account.password.encode()
        ):
            _LOGGER.debug("bad credentials for %s", params.get("username", ""))
            return error(401, BAD_CREDENTIALS)
        if account.tsv_state is None:
            return self._issue(account, client_id, headers)
        code = headers.get("2fa-code", "").strip()
        if not code:
            return self._challenge(account)
        if not self.twofactor.verify(account, code):
            _LOGGER.debug("bad 2FA code for %s", account.email)
            return error(400, BAD_CODE)
        return self._issue(account, client_id, headers)

    def _challenge(self, account: Account) -> Reply:
        """Answer a login that needs a 2FA code."""
        challenge = self.twofactor.challenge(account)
        if challenge.retry_after is not None:
            _LOGGER.debug("2FA send limit hit for %s", account.email)
            return error(
                429, TOO_MANY_CODES, **{"Retry-After": str(challenge.retry_after)}
            )
        body: dict[str, Any] = {"next_time_in_secs": challenge.next_in}
        destination = self.twofactor.destination(account)
        if destination is not None:
            body["phone"] = destination
        body["tsv_state"] = account.tsv_state
        return error(412, body)

    def _partner_ok(self, client_id: str, secret: str) -> bool:
        """Return whether a partner client id and secret match the configured ones."""
        expected = self.settings.partner_clients.get(client_id)
        return expected is not None and secrets.compare_digest(
            secret.encode(), expected.encode()
        )

    def _authorization_code(self, params: Params, headers: Mapping[str, str]) -> Reply:
        """Handle the account-linking code exchange of a partner app (PKCE S256)."""
        client_id, secret = self._client(params, headers)
        if not self._partner_ok(client_id, secret):
            return error(401, INVALID_CLIENT)
        redemption = self.linking.redeem(params, client_id)
        account = None
        if redemption.account is not None:
            account = self.settings.find_account(redemption.account)
        if account is None:
            reason = redemption.reason or "the linked account no longer exists"
            _LOGGER.debug("code exchange refused: %s", reason)
            return error(400, {"error": "invalid_grant", "error_description": reason})
        return self._issue(account, client_id, headers)

    def _refresh(self, params: Params, headers: Mapping[str, str]) -> Reply:
        """Handle the refresh grant for consumer and partner tokens."""
        client_id, secret = self._client(params, headers)
        if client_id != CONSUMER_CLIENT_ID and not self._partner_ok(client_id, secret):
            self.counters.refresh_rejected += 1
            return error(401, INVALID_CLIENT)
        exchange = self.store.exchange(params.get("refresh_token", ""), client_id)
        if exchange.reused:
            self.counters.refresh_reuse += 1
        account = None
        if exchange.account is not None:
            account = self.settings.find_account(exchange.account)
            if account is None:
                self.store.revoke(exchange.account)
        if exchange.pair is None or account is None:
            self.counters.refresh_rejected += 1
            _LOGGER.debug("refresh rejected (reused=%s)", exchange.reused)
            return error(401, INVALID_GRANT)
        self.counters.add_device(account.email, headers.get("hardware_id"))
        _LOGGER.debug("refresh ok for %s (reused=%s)", account.email, exchange.reused)
        note = "reused within grace" if exchange.reused else "rotated"
        return Reply(200, token_body(exchange.pair), note=note)
