"""Authorization codes of the web sign-in: single use, short-lived, bound to a PKCE challenge."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
import secrets

from .linking import s256
from .settings import Clock, EmulatorSettings


@dataclass(slots=True)
class WebCode:
    """What the emulator keeps per code."""

    account: str
    redirect_uri: str
    challenge: str
    hardware_id: str
    issued_at: float
    used: bool = False


@dataclass(slots=True, frozen=True)
class WebRedemption:
    """The outcome of presenting a code: the code's record, or why it was refused."""

    record: WebCode | None
    reason: str = ""


class WebCodes:
    """The codes handed to the app's callback, until exchanged or expired."""

    def __init__(self, clock: Clock, settings: EmulatorSettings) -> None:
        """Bind to the emulator's clock and (mutable) settings."""
        self._clock = clock
        self.settings = settings
        self._codes: dict[str, WebCode] = {}
        self.last: str | None = None

    def __len__(self) -> int:
        """Return how many codes are held (used ones included until they expire)."""
        return len(self._codes)

    def issue(
        self, account: str, query: Mapping[str, str], *, challenge: str | None = None
    ) -> str:
        """Issue a code for the authorize query's redirect URI, challenge and hardware id."""
        self.prune()
        code = secrets.token_urlsafe(24)
        self._codes[code] = WebCode(
            account,
            query["redirect_uri"],
            query["code_challenge"] if challenge is None else challenge,
            query.get("hardware_id", ""),
            self._clock.now(),
        )
        self.last = code
        return code

    def replay(self) -> str | None:
        """Return the last code again while it is held (a misbehaving Ring)."""
        return self.last if self.last in self._codes else None

    def redeem(self, params: Mapping[str, str]) -> WebRedemption:
        """Check a presented code; any presentation uses it up."""
        record = self._codes.get(params.get("code", ""))
        if record is None:
            return WebRedemption(None, "authorization code is invalid")
        if record.used:
            return WebRedemption(None, "authorization code was already used")
        record.used = True
        if self._clock.now() >= record.issued_at + self.settings.code_exchange_lifetime:
            return WebRedemption(None, "authorization code has expired")
        if params.get("redirect_uri", "") != record.redirect_uri:
            return WebRedemption(None, "redirect_uri does not match the authorization")
        verifier = params.get("code_verifier", "")
        if not verifier or not secrets.compare_digest(
            s256(verifier).encode(), record.challenge.encode()
        ):
            return WebRedemption(
                None, "code_verifier does not match the code_challenge"
            )
        return WebRedemption(record)

    def prune(self) -> None:
        """Drop codes that can no longer be exchanged."""
        end = self._clock.now() - self.settings.code_exchange_lifetime
        for code in [c for c, r in self._codes.items() if r.issued_at <= end]:
            del self._codes[code]

    def clear(self) -> None:
        """Forget every code."""
        self._codes.clear()
        self.last = None
