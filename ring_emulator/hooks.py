"""The emulator's test hooks: tokens, sessions, dings and accounts, through public calls."""

from __future__ import annotations

from typing import Any

from . import api
from .dings import DING_LIFETIME, Dings
from .oauth import CONSUMER_CLIENT_ID, token_body
from .sessions import Sessions
from .settings import Account, EmulatorSettings
from .tokens import TokenStore
from .twofactor import TwoFactor


class EmulatorHooks:
    """What tests, demos and benchmarks may change or read besides settings and faults."""

    settings: EmulatorSettings
    tokens: TokenStore
    twofactor: TwoFactor
    sessions: Sessions
    dings: Dings

    def account(self, email: str) -> Account:
        """Return a configured account or raise KeyError."""
        account = self.settings.find_account(email)
        if account is None:
            raise KeyError(email)
        return account

    def revoke(self, email: str, *, new_password: str | None = None) -> int:
        """Kill every token of the account (optionally change its password); return the count."""
        account = self.account(email)
        if new_password is not None:
            account.password = new_password
        return self.tokens.revoke(account.key)

    def last_code(self, email: str) -> str | None:
        """Return the last 2FA code sent to the account (None for none or unknown)."""
        account = self.settings.find_account(email)
        return None if account is None else self.twofactor.last_code(account)

    def issue_tokens(
        self,
        email: str,
        client_id: str = CONSUMER_CLIENT_ID,
        *,
        access_token: str | None = None,
        refresh_token: str | None = None,
        expires_in: float | None = None,
    ) -> dict[str, Any]:
        """Mint a token pair directly, optionally with chosen strings and access lifetime."""
        pair = self.tokens.issue(
            self.account(email).key,
            client_id,
            access_token=access_token,
            refresh_token=refresh_token,
            lifetime=expires_in,
        )
        return token_body(pair)

    def forget_sessions(self, email: str) -> int:
        """Make Ring forget the account's API sessions (its calls get 404); return how many."""
        return self.sessions.forget(self.account(email).key)

    def session_body(self, email: str) -> dict[str, Any]:
        """Return (a copy of) the body POST /clients_api/session answers for the account."""
        return self.sessions.body(self.account(email))

    def set_session_body(self, email: str, body: dict[str, Any] | None) -> None:
        """Answer POST /clients_api/session with this body (None: the default again)."""
        self.sessions.set_body(self.account(email), body)

    def inject_ding(
        self,
        email: str,
        *,
        kind: str = "ding",
        device_id: int | None = None,
        expires_in: int = DING_LIFETIME,
    ) -> dict[str, Any]:
        """Make a doorbell (or the device with this id) ring now; return the active ding."""
        account = self.account(email)
        devices = api.devices_body(account)
        candidates = [d for group in devices.values() for d in group]
        if device_id is None:
            candidates = devices["doorbots"] or candidates
        else:
            candidates = [d for d in candidates if d["id"] == device_id]
        if not candidates:
            raise ValueError(f"no device {device_id}")
        return self.dings.add(account.key, candidates[0], kind, expires_in)
