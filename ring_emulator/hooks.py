"""The emulator's test hooks: tokens, sessions, dings and accounts, through public calls."""

from __future__ import annotations

from typing import Any

from .device_views import ding_entry
from .household import Household
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
    household: Household

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

    def access_token_expires_at(self, access_token: str) -> float | None:
        """Return when Ring stops accepting this access token (emulator clock; None: unknown).

        An expired token the emulator has not dropped yet still has its time (in the past).
        """
        return self.tokens.access_expires_at(access_token)

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
        self, email: str, *, kind: str = "ding", device_id: int | None = None
    ) -> dict[str, Any]:
        """Make the account's first doorbell (or this device) ring now; return the active ding."""
        devices = self.household.devices(self.account(email).email)
        if device_id is None:
            devices = [d for d in devices if d.group == "doorbots"] or devices
        else:
            devices = [d for d in devices if d.id == device_id]
        if not devices:
            raise ValueError(f"no device {device_id}")
        return ding_entry(devices[0], self.household.ding(devices[0].id, kind))
