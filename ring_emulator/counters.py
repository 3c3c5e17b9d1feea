"""What the emulator has seen, for assertions in tests and benchmarks."""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any

GRANTS = ("password", "refresh_token", "authorization_code")
# The web sign-in's steps ("complete" is the authorize call that hands out the code).
WEB_STEPS = ("authorize", "signin_page", "signin", "verify", "complete", "exchange")


def _grant_counts() -> dict[str, int]:
    """Return a zeroed per-grant counter."""
    return dict.fromkeys(GRANTS, 0)


def _web_counts() -> dict[str, int]:
    """Return a zeroed per-step counter of the web sign-in (and its edge blocks)."""
    return dict.fromkeys((*WEB_STEPS, "blocked"), 0)


@dataclass(slots=True)
class Counters:
    """Request counters; also readable as a mapping (counters["api_calls"])."""

    token_calls: dict[str, int] = field(default_factory=_grant_counts)
    refresh_reuse: int = 0
    refresh_rejected: int = 0
    unauthorized: int = 0
    api_calls: int = 0
    sessions_opened: int = 0
    session_missing: int = 0
    authorized_devices: dict[str, list[str]] = field(default_factory=dict)
    codes_sent: dict[str, int] = field(default_factory=dict)
    web_signin: dict[str, int] = field(default_factory=_web_counts)
    password_blocked: int = 0
    # "GET /clients_api/..." -> calls
    endpoints: dict[str, int] = field(default_factory=dict)

    def __getitem__(self, name: str) -> Any:
        """Return a counter by name."""
        if name not in self.__dataclass_fields__:
            raise KeyError(name)
        return getattr(self, name)

    def add_device(self, email: str, hardware_id: str | None) -> None:
        """Record a hardware id as an authorized device of the account (set, order kept)."""
        if not hardware_id:
            return
        devices = self.authorized_devices.setdefault(email, [])
        if hardware_id not in devices:
            devices.append(hardware_id)

    def count_endpoint(self, endpoint: str) -> None:
        """Count one request to an endpoint ("METHOD /route/{template}")."""
        self.endpoints[endpoint] = self.endpoints.get(endpoint, 0) + 1

    def count_grant(self, grant: str) -> None:
        """Count one call to the token endpoint for this grant type."""
        self.token_calls[grant] = self.token_calls.get(grant, 0) + 1

    def as_dict(self) -> dict[str, Any]:
        """Return a deep-copied JSON-ready snapshot."""
        out: dict[str, Any] = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if f.name == "authorized_devices":
                value = {k: list(v) for k, v in value.items()}
            elif isinstance(value, dict):
                value = dict(value)
            out[f.name] = value
        return out

    def to_state(self) -> dict[str, Any]:
        """Return every counter (authorized devices are what the Ring app would list)."""
        return self.as_dict()

    def load_state(self, data: dict[str, Any]) -> None:
        """Restore the saved counters; unknown names are ignored, missing ones stay zero."""
        fresh = Counters()
        for f in fields(self):
            if f.name not in data:
                continue
            value, default = data[f.name], getattr(fresh, f.name)
            if type(value) is not type(default):
                raise TypeError(f"counter {f.name} has the wrong type")
            setattr(fresh, f.name, value)
        for f in fields(self):
            setattr(self, f.name, getattr(fresh, f.name))

    def clear(self) -> None:
        """Zero every counter in place (holders of this object see the change)."""
        fresh = Counters()
        for f in fields(self):
            setattr(self, f.name, getattr(fresh, f.name))
