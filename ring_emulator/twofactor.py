"""Two-factor codes: sending, re-send timing, expiry, verification and the send limit."""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
import math
import secrets
from typing import Any

from .counters import Counters
from .settings import Account, Clock, EmulatorSettings

type CodeListener = Callable[[str, str, str], None]


@dataclass(slots=True)
class _CodeState:
    """Per-account 2FA state."""

    code: str | None = None
    sent_at: float | None = None
    used: bool = False
    requests: deque[float] = field(default_factory=deque)


@dataclass(slots=True, frozen=True)
class Challenge:
    """Answer to a login without a code: a 412 (next_in) or a 429 (retry_after)."""

    next_in: int = 0
    retry_after: int | None = None


def mask_phone(phone: str) -> str:
    """Mask a phone number the way Ring does: "+15555550189" -> "+1xxxxxxxx89"."""
    if len(phone) <= 4:
        return "x" * len(phone)
    return phone[:2] + "x" * (len(phone) - 4) + phone[-2:]


def mask_email(email: str) -> str:
    """Mask an email address: "demo@example.com" -> "dxxx@example.com"."""
    local, _, domain = email.partition("@")
    return local[:1] + "x" * max(len(local) - 1, 0) + "@" + domain


def new_code() -> str:
    """Return a random 6-digit code."""
    return f"{secrets.randbelow(1_000_000):06d}"


class TwoFactor:
    """All accounts' 2FA state."""

    def __init__(
        self,
        clock: Clock,
        settings: EmulatorSettings,
        counters: Counters,
        listener: CodeListener | None = None,
    ) -> None:
        """Bind to the emulator's clock, settings and counters."""
        self._clock = clock
        self.settings = settings
        self.counters = counters
        self.listener = listener
        self._state: dict[str, _CodeState] = {}
        self._totp: dict[str, str] = {}

    def _totp_code(self, account: Account) -> str:
        """Return the account's fixed authenticator code."""
        if account.code is not None:
            return account.code
        return self._totp.setdefault(account.key, new_code())

    def destination(self, account: Account) -> str | None:
        """Return the masked destination shown in the 412 (None for totp)."""
        if account.tsv_state == "sms" and account.phone:
            return mask_phone(account.phone)
        if account.tsv_state == "totp":
            return None
        return mask_email(account.email)

    def challenge(self, account: Account) -> Challenge:
        """Handle a login without a code: maybe send one, or refuse past the limit."""
        settings = self.settings
        method = account.tsv_state or "sms"
        if method == "totp":
            self._announce(account, method, self._totp_code(account))
            return Challenge(next_in=math.ceil(settings.resend_interval))
        now = self._clock.now()
        state = self._state.setdefault(account.key, _CodeState())
        window = settings.code_limit_window
        while state.requests and now - state.requests[0] > window:
            state.requests.popleft()
        if len(state.requests) >= settings.code_limit:
            wait = state.requests[0] + window - now
            return Challenge(retry_after=max(1, math.ceil(wait)))
        state.requests.append(now)
        resend_at = (
            None if state.sent_at is None else state.sent_at + settings.resend_interval
        )
        if resend_at is not None and not state.used and now < resend_at:
            return Challenge(next_in=math.ceil(resend_at - now))
        state.code = account.code or new_code()
        state.sent_at = now
        state.used = False
        sent = self.counters.codes_sent
        sent[account.email] = sent.get(account.email, 0) + 1
        self._announce(account, method, state.code)
        return Challenge(next_in=math.ceil(settings.resend_interval))

    def verify(self, account: Account, code: str) -> bool:
        """Check a submitted code; a correct sms/email code is used up."""
        if account.tsv_state == "totp":
            return secrets.compare_digest(code, self._totp_code(account))
        state = self._state.get(account.key)
        if state is None or state.code is None or state.sent_at is None or state.used:
            return False
        if self._clock.now() >= state.sent_at + self.settings.code_lifetime:
            return False
        if not secrets.compare_digest(code, state.code):
            return False
        state.used = True
        return True

    def last_code(self, account: Account) -> str | None:
        """Return the last code sent to the account (the fixed code for totp)."""
        if account.tsv_state == "totp":
            return self._totp_code(account)
        state = self._state.get(account.key)
        return None if state is None else state.code

    def clear(self) -> None:
        """Forget every pending code and send history."""
        self._state.clear()

    def to_state(self) -> dict[str, Any]:
        """Return pending codes, send history and authenticator codes (a restart mid-login works)."""
        codes = {
            key: {
                "code": st.code,
                "sent_at": st.sent_at,
                "used": st.used,
                "requests": list(st.requests),
            }
            for key, st in self._state.items()
        }
        return {"codes": codes, "totp": dict(self._totp)}

    def load_state(self, data: dict[str, Any]) -> None:
        """Replace the 2FA state with the saved one (validated first)."""
        states = {}
        for key, item in data["codes"].items():
            code, sent_at, used = item["code"], item["sent_at"], item["used"]
            requests = [float(t) for t in item["requests"]]
            if not isinstance(code, str | None) or not isinstance(used, bool):
                raise TypeError("code must be a string and used a boolean")
            if sent_at is not None:
                sent_at = float(sent_at)
            states[str(key)] = _CodeState(code, sent_at, used, deque(requests))
        totp = {str(k): str(v) for k, v in data["totp"].items()}
        self._state, self._totp = states, totp

    def _announce(self, account: Account, method: str, code: str) -> None:
        """Tell the listener (the CLI prints it) that a code was sent."""
        if self.listener is not None:
            self.listener(account.email, method, code)
