"""Each token-endpoint answer: one INFO line and a record for listeners, fingerprints only."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
import hashlib
import json
import logging
from typing import Any

from aiohttp import web

from .faults import FaultSpec
from .reply import Reply

LOGGER = logging.getLogger("ring_emulator.exchanges")


def fingerprint(secret: str) -> str:
    """Return the first 6 hex digits of the SHA-256 of a token (enough to tell tokens apart)."""
    return hashlib.sha256(secret.encode()).hexdigest()[:6]


def _new_token(reply: Reply | None) -> str | None:
    """Return the refresh token a processed reply carries, if any."""
    if reply is None or not isinstance(reply.body, dict):
        return None
    token = reply.body.get("refresh_token")
    return token if isinstance(token, str) else None


def _result(reply: Reply | None, response: web.StreamResponse) -> str:
    """Describe what the client was told."""
    body: Any = None
    if isinstance(response, web.Response) and isinstance(response.body, bytes):
        try:
            body = json.loads(response.body)
        except ValueError:
            body = None
    if response.status == 200:
        if reply is not None and reply.note:
            return reply.note
        return "ok" if isinstance(body, dict) and "access_token" in body else "no token"
    if response.status == 412 and isinstance(body, dict):
        return f"2FA code required ({body.get('tsv_state')})"
    if isinstance(body, dict) and isinstance(body.get("error"), str):
        return str(body["error"])
    return response.content_type or "no body"


@dataclass(frozen=True, slots=True)
class TokenExchange:
    """One answer of POST /oauth/token, as the exchange log tells it: fingerprints, no secret."""

    at: float  # emulator clock
    grant: str  # "password", "refresh_token", "authorization_code", "(no grant)", ...
    username: str | None  # the password grant's account
    status: int | None  # None: the connection was dropped, the client got no answer
    outcome: str  # as logged: "200 rotated", "401 invalid_grant", "no answer ...", ...
    issued: bool  # a token pair was issued (login, code, rotation), answered or not
    fault: str | None  # the injected fault that shaped the answer
    presented: str | None  # fingerprint of the presented refresh token
    code: str | None  # fingerprint of the presented code
    new: str | None  # fingerprint of the new refresh token

    def line(self) -> str:
        """Return the exchange log's line for this answer."""
        who = f" {self.username}" if self.username else ""
        fault = f" [fault {self.fault}]" if self.fault is not None else ""
        tokens = [
            f"{label} {value}"
            for label, value in (
                ("presented", self.presented),
                ("code", self.code),
                ("new", self.new),
            )
            if value
        ]
        detail = f" ({', '.join(tokens)})" if tokens else ""
        return f"{self.grant}{who} -> {self.outcome}{fault}{detail}"


type ExchangeListener = Callable[[TokenExchange], None]


def describe_exchange(
    params: dict[str, str] | None,
    reply: Reply | None,
    response: web.StreamResponse,
    *,
    at: float,
    dropped: bool,
    fault: FaultSpec | None,
) -> TokenExchange:
    """Describe one answer of POST /oauth/token: grant, outcome, token fingerprints."""
    params = params or {}
    new = _new_token(reply)
    if dropped:
        outcome = "no answer (connection dropped)"
        if reply is not None and reply.status == 200:
            outcome += " after rotating"
    else:
        outcome = f"{response.status} {_result(reply, response)}"

    def mark(secret: str | None) -> str | None:
        return fingerprint(secret) if secret else None

    return TokenExchange(
        at=at,
        grant=params.get("grant_type") or "(no grant)",
        username=params.get("username") or None,
        status=None if dropped else response.status,
        outcome=outcome,
        issued=new is not None,
        fault=None if fault is None else str(fault.fault),
        presented=mark(params.get("refresh_token")),
        code=mark(params.get("code")),
        new=mark(new),
    )


def report_exchange(
    listener: ExchangeListener | None,
    params: dict[str, str] | None,
    reply: Reply | None,
    response: web.StreamResponse,
    *,
    at: float,
    dropped: bool,
    fault: FaultSpec | None,
) -> None:
    """Log one answer of POST /oauth/token (one INFO line) and tell the listener."""
    if listener is None and not LOGGER.isEnabledFor(logging.INFO):
        return
    exchange = describe_exchange(
        params, reply, response, at=at, dropped=dropped, fault=fault
    )
    LOGGER.info("%s", exchange.line())
    if listener is not None:
        listener(exchange)
