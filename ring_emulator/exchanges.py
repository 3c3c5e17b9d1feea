"""One INFO line per token-endpoint answer, with token fingerprints and never a token."""

from __future__ import annotations

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


def log_exchange(
    params: dict[str, str] | None,
    reply: Reply | None,
    response: web.StreamResponse,
    *,
    dropped: bool,
    fault: FaultSpec | None,
) -> None:
    """Log one answer of POST /oauth/token: grant, outcome, presented and new token fingerprints."""
    if not LOGGER.isEnabledFor(logging.INFO):
        return
    params = params or {}
    grant = params.get("grant_type") or "(no grant)"
    who = f" {params['username']}" if params.get("username") else ""
    if dropped:
        outcome = "no answer (connection dropped)"
        if reply is not None and reply.status == 200:
            outcome += " after rotating"
    else:
        outcome = f"{response.status} {_result(reply, response)}"
    if fault is not None:
        outcome += f" [fault {fault.fault}]"
    tokens = []
    for label, secret in (
        ("presented", params.get("refresh_token")),
        ("code", params.get("code")),
        ("new", _new_token(reply)),
    ):
        if secret:
            tokens.append(f"{label} {fingerprint(secret)}")
    detail = f" ({', '.join(tokens)})" if tokens else ""
    LOGGER.info("%s%s -> %s%s", grant, who, outcome, detail)
