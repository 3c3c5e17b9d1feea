"""Settings, accounts and the controllable clock of the Ring emulator."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass, field, fields
import time
from typing import Any, Literal, cast
import zlib

type TsvState = Literal["sms", "email", "totp"]

TSV_STATES: tuple[TsvState, ...] = ("sms", "email", "totp")
DEMO_EMAIL = "demo@example.com"
DEMO_PASSWORD = "demo-password"  # noqa: S105 - the documented demo login


@dataclass(slots=True)
class Account:
    """One Ring account the emulator knows."""

    email: str
    password: str
    tsv_state: TsvState | None = "sms"
    code: str | None = None
    phone: str | None = "+15555550189"
    account_id: int | None = None
    first_name: str = "Demo"
    last_name: str = "User"

    def __post_init__(self) -> None:
        """Validate the 2FA method and derive a stable account id."""
        if self.tsv_state is not None and self.tsv_state not in TSV_STATES:
            raise ValueError(f"tsv_state must be one of {TSV_STATES} or None")
        if self.account_id is None:
            self.account_id = (
                100000 + zlib.crc32(self.email.casefold().encode()) % 900000
            )

    @property
    def key(self) -> str:
        """Return the case-insensitive lookup key of the account."""
        return self.email.casefold()

    def to_json(self) -> dict[str, Any]:
        """Return the account as a JSON-ready dict."""
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Account:
        """Build an account from a JSON dict (unknown keys are rejected)."""
        return cls(**data)


def _demo_accounts() -> list[Account]:
    """Return the default account list."""
    return [Account(email=DEMO_EMAIL, password=DEMO_PASSWORD, account_id=123456)]


@dataclass(slots=True)
class EmulatorSettings:
    """Run-time settings; tests may change any field while the emulator runs."""

    access_token_lifetime: float = 3600
    partner_access_token_lifetime: float = 4 * 3600
    refresh_token_lifetime: float = 30 * 86400
    grace: float = 60
    accounts: list[Account] = field(default_factory=_demo_accounts)
    partner_clients: dict[str, str] = field(default_factory=dict)
    code_lifetime: float = 600
    resend_interval: float = 60
    code_limit: int = 10
    code_limit_window: float = 600
    code_exchange_lifetime: float = 60
    # Ring's edge since 2026-02: 406 for the password grant, or for the web sign-in's pages.
    block_password_grant: bool = False
    block_web_signin: bool = False
    # The password grant answered 400 unsupported_grant_type, as if Ring had retired it.
    retire_password_grant: bool = False
    # POST /clients_api/session: Ring's status is not known (200 or 201); 201 is the stricter test.
    session_status: int = 201
    # API calls from a hardware id without an open session get 404, as Ring does.
    require_session: bool = True
    # Seconds between checks of a HANG fault for a departed client (None: server.HANG_POLL).
    hang_poll: float | None = None

    def find_account(self, email: str) -> Account | None:
        """Return the account with this email (case-insensitive), if any."""
        key = email.casefold()
        return next((acc for acc in self.accounts if acc.key == key), None)

    def access_lifetime(self, client_id: str) -> float:
        """Return the access-token lifetime of a client (partner apps get their own)."""
        if client_id in self.partner_clients:
            return self.partner_access_token_lifetime
        return self.access_token_lifetime

    def to_json(self) -> dict[str, Any]:
        """Return the settings as a JSON-ready dict."""
        data = {f.name: getattr(self, f.name) for f in fields(self)}
        data["accounts"] = [acc.to_json() for acc in self.accounts]
        data["partner_clients"] = dict(self.partner_clients)
        return data

    def update_from_json(self, data: dict[str, Any]) -> None:
        """Apply a partial update given as JSON (validated before anything changes)."""
        known = {f.name for f in fields(self)}
        if unknown := set(data) - known:
            raise ValueError(f"unknown settings: {sorted(unknown)}")
        updates = {name: _from_json(name, value) for name, value in data.items()}
        for name, value in updates.items():
            setattr(self, name, value)


_SWITCHES = frozenset(
    {
        "require_session",
        "block_password_grant",
        "block_web_signin",
        "retire_password_grant",
    }
)


def _from_json(name: str, value: Any) -> Any:
    """Convert and check one settings field given as JSON."""
    if name == "accounts":
        return [Account.from_json(cast(dict[str, Any], a)) for a in value]
    if name == "partner_clients":
        if not isinstance(value, dict):
            raise ValueError("partner_clients must be an object")
        return {str(k): str(v) for k, v in value.items()}
    if name in _SWITCHES:
        if not isinstance(value, bool):
            raise ValueError(f"{name} must be true or false")
        return value
    if name == "hang_poll" and value is None:
        return None
    number = _number(name, value)
    if name not in ("code_limit", "session_status"):
        return number
    if number != int(number):
        raise ValueError(f"{name} must be a whole number")
    if name == "session_status" and not 200 <= number < 300:
        raise ValueError("session_status must be a 2xx status")
    return int(number)


def _number(name: str, value: Any) -> float:
    """Return a JSON number (not a bool) as a float."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise TypeError(f"{name} must be a number")
    return float(value)


class AccountsState:
    """The accounts as a state component: passwords changed by revoke() and added accounts persist.

    On load, an account in both the file and the settings takes the file's version; accounts
    only in the settings (e.g. a new --account) are kept, and accounts only in the file are added.
    """

    def __init__(self, settings: Callable[[], EmulatorSettings]) -> None:
        """Read the live settings through this getter (the emulator may swap them)."""
        self._settings = settings

    def to_state(self) -> list[dict[str, Any]]:
        """Return every account."""
        return [acc.to_json() for acc in self._settings().accounts]

    def load_state(self, data: list[dict[str, Any]]) -> None:
        """Merge the saved accounts into the settings (validated before anything changes)."""
        if not isinstance(data, list):
            raise TypeError("accounts must be a list")
        saved = {acc.key: acc for acc in (Account.from_json(item) for item in data)}
        settings = self._settings()
        merged = [saved.pop(acc.key, acc) for acc in settings.accounts]
        settings.accounts = merged + list(saved.values())


class Clock:
    """Emulator time: time.time() plus an offset that advance() grows."""

    __slots__ = ("offset",)

    def __init__(self) -> None:
        """Start with no offset."""
        self.offset = 0.0

    def now(self) -> float:
        """Return the emulator's current epoch seconds."""
        return time.time() + self.offset

    def advance(self, seconds: float) -> None:
        """Move emulator time forward by this many seconds."""
        self.offset += seconds

    def to_state(self) -> dict[str, Any]:
        """Return the offset for the state file."""
        return {"offset": self.offset}

    def load_state(self, data: dict[str, Any]) -> None:
        """Restore the offset from the state file."""
        self.offset = _number("offset", data["offset"])
