"""API sessions: the (account, hardware id) pairs Ring knows, and the session answer's body."""

from __future__ import annotations

import copy
from typing import Any

from . import api
from .settings import Account


class Sessions:
    """Which hardware ids have an open session per account; shaped session bodies."""

    def __init__(self) -> None:
        """Start with no session and the default bodies."""
        self._open: dict[str, set[str]] = {}
        self._bodies: dict[str, dict[str, Any]] = {}

    def __len__(self) -> int:
        """Return how many sessions are open."""
        return sum(len(ids) for ids in self._open.values())

    def open(self, account: str, hardware_id: str) -> None:
        """Record a session for an account key and hardware id."""
        self._open.setdefault(account, set()).add(hardware_id)

    def knows(self, account: str, hardware_id: str) -> bool:
        """Return whether Ring knows a session for this account and hardware id."""
        return hardware_id in self._open.get(account, ())

    def forget(self, account: str) -> int:
        """Forget every session of an account; return how many there were."""
        return len(self._open.pop(account, ()))

    def body(self, account: Account) -> dict[str, Any]:
        """Return the body POST /clients_api/session answers for this account (a copy)."""
        shaped = self._bodies.get(account.key)
        return (
            copy.deepcopy(shaped) if shaped is not None else api.session_body(account)
        )

    def set_body(self, account: Account, body: dict[str, Any] | None) -> None:
        """Answer POST session with this body from now on (None: the default again)."""
        if body is None:
            self._bodies.pop(account.key, None)
        elif not isinstance(body, dict):
            raise TypeError("the session body must be a JSON object")
        else:
            self._bodies[account.key] = copy.deepcopy(body)

    def to_state(self) -> dict[str, list[str]]:
        """Return the open sessions for the state file (Ring keeps them over our restarts)."""
        return {account: sorted(ids) for account, ids in self._open.items()}

    def load_state(self, data: dict[str, list[str]]) -> None:
        """Restore the open sessions from the state file."""
        if not isinstance(data, dict):
            raise TypeError("sessions must be an object")
        self._open = {str(k): {str(h) for h in v} for k, v in data.items()}

    def clear(self) -> None:
        """Forget every session and shaped body."""
        self._open.clear()
        self._bodies.clear()
