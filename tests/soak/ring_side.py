"""One column's Ring: an emulator and the windows of trouble the schedule opens on it."""

import time
from typing import Any

from ring_emulator import Account, EmulatorSettings, Fault, RingEmulator

from .engine import Engine

EMAIL = "soak@example.com"
PASSWORD = "soak password"
ACCOUNT_ID = 777
PARTNER_ID = "partner-id"
PARTNER_SECRET = "partner-secret"
FOREVER = 10**9  # a fault "count" that outlasts any window
# How often a hung request looks whether its client gave up: the default 50 ms would cost
# 200 clock jumps per hung request.
HANG_POLL = 1.0
TOKEN_ENDPOINT = "POST /oauth/token"


class RingSide:
    """One emulator and the windows of trouble the schedule puts on it."""

    def __init__(self, engine: Engine, lifetime: int, grace: int) -> None:
        """Create the emulator with the run's lifetime and grace."""
        self.engine = engine
        self.emu = RingEmulator(
            EmulatorSettings(
                access_token_lifetime=lifetime,
                grace=grace,
                accounts=[
                    Account(
                        email=EMAIL,
                        password=PASSWORD,
                        tsv_state="sms",
                        account_id=ACCOUNT_ID,
                    )
                ],
                partner_clients={PARTNER_ID: PARTNER_SECRET},
                hang_poll=HANG_POLL,
            )
        )
        engine.emulators.append(self.emu)
        self.windows: dict[str, int] = {"network": 0, "outage_5xx": 0, "outage_hang": 0}
        self.storm_retry_after: list[int] = []
        self.blocks: list[tuple[str, str]] = []  # (where, body) of the blocks in force
        self.token_calls: list[float] = []
        self._booked = 0
        engine.observers.append(self._book_token_calls)

    def _book_token_calls(self, before: float, _after: float) -> None:
        """Date the token-endpoint calls since the last jump: the clock stood at `before`."""
        self.book_token_calls(before)

    def book_token_calls(self, at: float) -> None:
        """Record the token-endpoint calls the emulator counted since the last booking."""
        seen = self.emu.counters.endpoints.get(TOKEN_ENDPOINT, 0)
        self.token_calls += [self.engine.rel(at)] * (seen - self._booked)
        self._booked = seen

    @property
    def healthy(self) -> bool:
        """Return whether Ring answers normally right now (no window open, no block)."""
        return (
            not any(self.windows.values())
            and not self.storm_retry_after
            and not self.blocks
        )

    @property
    def blocked(self) -> bool:
        """Return whether Ring's edge is blocking this hub right now."""
        return bool(self.blocks)

    @property
    def quiet(self) -> bool:
        """Return whether the next request surely gets a normal answer."""
        return self.healthy and not self.emu.faults.pending()

    def open(self, kind: str, **args: Any) -> None:
        """Open a window of trouble."""
        match kind:
            case "storm":
                self.storm_retry_after.append(args["retry_after"])
            case "block":
                self.blocks.append((args["where"], args["body"]))
            case _:
                self.windows[kind] += 1
        self._apply()

    def close(self, kind: str, **args: Any) -> None:
        """Close a window of trouble."""
        match kind:
            case "storm":
                self.storm_retry_after.remove(args["retry_after"])
            case "block":
                self.blocks.remove((args["where"], args["body"]))
            case _:
                self.windows[kind] -= 1
        self._apply()

    def singles(self) -> frozenset[int]:
        """Return the identities of the single bad replies still queued."""
        return frozenset(
            id(s) for s in self.emu.faults.pending() if s.remaining < FOREVER // 2
        )

    def single(self, fault: str, where: str) -> None:
        """Queue one malformed or lost reply for the next matching request."""
        self.emu.inject(fault, count=1, where=where)

    def _apply(self) -> None:
        """Make the fault queue match the open windows (single faults kept, behind).

        A network loss reaches nothing; a block is Ring's edge answering before Ring's
        servers could (so it comes first); an outage hides a storm.
        """
        singles = [s for s in self.emu.faults.pending() if s.remaining < FOREVER // 2]
        self.emu.faults.clear()
        if self.windows["network"]:
            self.emu.inject(Fault.RESET, count=FOREVER)
        else:
            for where, body in self.blocks:
                self.emu.inject(Fault.BLOCKED, count=FOREVER, where=where, body=body)
            if self.windows["outage_hang"]:
                self.emu.inject(Fault.HANG, count=FOREVER)
            elif self.windows["outage_5xx"]:
                self.emu.inject(Fault.SERVER_ERROR, count=FOREVER, status=503)
            elif self.storm_retry_after:
                self.emu.inject(
                    Fault.RATE_LIMIT,
                    count=FOREVER,
                    retry_after=max(self.storm_retry_after),
                )
        for spec in singles:
            self.emu.faults.add(spec)

    def server_expiry(self, access_token: str) -> float | None:
        """Return when Ring stops accepting this access token, in the hub's clock."""
        expires_at = self.emu.access_token_expires_at(access_token)
        if expires_at is None:
            return None
        return expires_at - self.emu.clock.offset


def stored(body: dict[str, Any]) -> dict[str, Any]:
    """Return a token body as this integration stores it."""
    now = time.time()
    return {**body, "received_at": now, "expires_at": now + body["expires_in"]}
