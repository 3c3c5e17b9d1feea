"""Access and refresh tokens: issuance, rotation with a grace window, expiry, revocation."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass
import secrets
from typing import Any

from .settings import Clock, EmulatorSettings

PRUNE_EVERY = 64


@dataclass(slots=True, frozen=True)
class TokenPair:
    """A freshly issued access and refresh token."""

    access_token: str
    refresh_token: str
    expires_in: int


@dataclass(slots=True)
class AccessRecord:
    """What the emulator keeps per access token."""

    account: str
    expires_at: float

    def check(self) -> None:
        """Raise TypeError when loaded data has the wrong types."""
        _check_types(self, account=str, expires_at=(int, float))


@dataclass(slots=True)
class RefreshRecord:
    """What the emulator keeps per refresh token."""

    account: str
    client_id: str
    issued_at: float
    family: int
    exchanged_at: float | None = None

    def check(self) -> None:
        """Raise TypeError when loaded data has the wrong types."""
        _check_types(
            self,
            account=str,
            client_id=str,
            issued_at=(int, float),
            family=int,
            exchanged_at=(int, float, type(None)),
        )


def _check_types(record: object, **expected: type | tuple[type, ...]) -> None:
    """Raise TypeError naming the first field whose value is not of the expected type."""
    for name, kind in expected.items():
        value = getattr(record, name)
        if isinstance(value, bool) or not isinstance(value, kind):
            raise TypeError(f"{name} has the wrong type ({type(value).__name__})")


@dataclass(slots=True, frozen=True)
class Exchange:
    """The outcome of presenting a refresh token: a new pair, or None when rejected."""

    pair: TokenPair | None
    reused: bool
    account: str | None = None


type TokenListener = Callable[[str, TokenPair], None]


class TokenStore:
    """All live tokens, keyed by the token string; dead ones are pruned lazily.

    `listener(account_key, pair)` hears every pair issued (logins, refreshes, issue_tokens).
    """

    def __init__(
        self,
        clock: Clock,
        settings: EmulatorSettings,
        listener: TokenListener | None = None,
    ) -> None:
        """Bind the store to the emulator's clock and (mutable) settings."""
        self._clock = clock
        self.settings = settings
        self.listener = listener
        self._access: dict[str, AccessRecord] = {}
        self._refresh: dict[str, RefreshRecord] = {}
        self._next_family = 1
        self._issued = 0

    def __len__(self) -> int:
        """Return how many token records are held."""
        return len(self._access) + len(self._refresh)

    def issue(
        self,
        account: str,
        client_id: str,
        family: int | None = None,
        *,
        access_token: str | None = None,
        refresh_token: str | None = None,
        lifetime: float | None = None,
    ) -> TokenPair:
        """Issue a new access/refresh pair for an account key and OAuth client.

        Chosen token strings must not be in use; `lifetime` overrides the access lifetime.
        """
        if access_token in self._access or refresh_token in self._refresh:
            raise ValueError("that token is already issued")
        self._issued += 1
        if self._issued % PRUNE_EVERY == 0:
            self.prune()
        now = self._clock.now()
        if lifetime is None:
            lifetime = self.settings.access_lifetime(client_id)
        access = access_token or secrets.token_urlsafe(32)
        refresh = refresh_token or secrets.token_urlsafe(48)
        self._access[access] = AccessRecord(account, now + lifetime)
        if family is None:
            family, self._next_family = self._next_family, self._next_family + 1
        self._refresh[refresh] = RefreshRecord(account, client_id, now, family)
        pair = TokenPair(access, refresh, int(lifetime))
        if self.listener is not None:
            self.listener(account, pair)
        return pair

    def check_access(self, token: str) -> str | None:
        """Return the account key of a live access token, or None."""
        record = self._access.get(token)
        if record is None:
            return None
        if self._clock.now() >= record.expires_at:
            del self._access[token]
            return None
        return record.account

    def access_expires_at(self, token: str) -> float | None:
        """Return when an access token stops working (emulator clock), None when unknown."""
        record = self._access.get(token)
        return None if record is None else record.expires_at

    def exchange(self, token: str, client_id: str) -> Exchange:
        """Rotate a refresh token: a new pair, or a rejection (unknown, expired, reused late)."""
        record = self._refresh.get(token)
        if record is None or record.client_id != client_id:
            return Exchange(None, reused=False)
        now = self._clock.now()
        if record.exchanged_at is None:
            if now >= record.issued_at + self.settings.refresh_token_lifetime:
                del self._refresh[token]
                return Exchange(None, reused=False)
            record.exchanged_at = now
            pair = self.issue(record.account, client_id, record.family)
            return Exchange(pair, reused=False, account=record.account)
        grace = self.settings.grace
        if grace <= 0 or now >= record.exchanged_at + grace:
            return Exchange(None, reused=True)
        pair = self.issue(record.account, client_id, record.family)
        return Exchange(pair, reused=True, account=record.account)

    def family_of(self, token: str) -> int | None:
        """Return the family id of a refresh token (None when unknown)."""
        record = self._refresh.get(token)
        return None if record is None else record.family

    def revoke(self, account: str) -> int:
        """Kill every token of an account; return how many records were dropped."""
        access = [t for t, r in self._access.items() if r.account == account]
        refresh = [t for t, r in self._refresh.items() if r.account == account]
        for token in access:
            del self._access[token]
        for token in refresh:
            del self._refresh[token]
        return len(access) + len(refresh)

    def clear(self) -> None:
        """Forget every token."""
        self._access.clear()
        self._refresh.clear()

    def live_accounts(self) -> list[str]:
        """Return the account keys holding a refresh token that can still be exchanged."""
        end = self._clock.now() - self.settings.refresh_token_lifetime
        live = {
            r.account
            for r in self._refresh.values()
            if r.exchanged_at is None and r.issued_at > end
        }
        return sorted(live)

    def to_state(self) -> dict[str, Any]:
        """Return every usable token record (expired access tokens are left out)."""
        now = self._clock.now()
        return {
            "access": {
                t: asdict(r) for t, r in self._access.items() if now < r.expires_at
            },
            "refresh": {t: asdict(r) for t, r in self._refresh.items()},
            "next_family": self._next_family,
            "issued": self._issued,
        }

    def load_state(self, data: dict[str, Any]) -> None:
        """Replace every token record with the saved ones (validated first)."""
        access = {str(t): AccessRecord(**r) for t, r in data["access"].items()}
        refresh = {str(t): RefreshRecord(**r) for t, r in data["refresh"].items()}
        for a_record in access.values():
            a_record.check()
        for r_record in refresh.values():
            r_record.check()
        next_family, issued = data["next_family"], data["issued"]
        if not isinstance(next_family, int) or not isinstance(issued, int):
            raise TypeError("next_family and issued must be integers")
        self._access, self._refresh = access, refresh
        self._next_family, self._issued = next_family, issued

    def prune(self) -> None:
        """Drop records that can no longer be used (exchanged ones stay until their lifetime for reuse counting)."""
        now = self._clock.now()
        lifetime = self.settings.refresh_token_lifetime
        grace = self.settings.grace
        for token in [t for t, r in self._access.items() if now >= r.expires_at]:
            del self._access[token]
        dead = []
        for token, rec in self._refresh.items():
            end = rec.issued_at + lifetime
            if rec.exchanged_at is not None:
                end = max(end, rec.exchanged_at + grace)
            if now >= end:
                dead.append(token)
        for token in dead:
            del self._refresh[token]
