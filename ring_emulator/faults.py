"""Injectable faults: what they are and the FIFO queue that hands them out."""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from enum import StrEnum
from typing import Literal, cast

type Where = Literal["token", "api", "any"]

WHERES: tuple[Where, ...] = ("token", "api", "any")


class Fault(StrEnum):
    """The kinds of misbehaviour the emulator can inject."""

    SERVER_ERROR = "server_error"
    RATE_LIMIT = "rate_limit"
    HANG = "hang"
    RESET = "reset"
    RESET_AFTER_ROTATE = "reset_after_rotate"
    HTML = "html"
    TRUNCATED_JSON = "truncated_json"
    MISSING_EXPIRES_IN = "missing_expires_in"
    ABSURD_EXPIRES_IN = "absurd_expires_in"
    NO_TOKEN = "no_token"  # noqa: S105 - a fault name, not a secret


# Faults that only make sense for a token response: "any" never matches an API call.
TOKEN_ONLY = frozenset(
    {Fault.MISSING_EXPIRES_IN, Fault.ABSURD_EXPIRES_IN, Fault.NO_TOKEN}
)


@dataclass(slots=True)
class FaultSpec:
    """One queued fault and how many more requests it applies to."""

    fault: Fault
    remaining: int
    where: Where = "any"
    status: int = 503
    retry_after: int = 30
    expires_in: int = -5

    def matches(self, area: Literal["token", "api"]) -> bool:
        """Return whether this fault applies to a request of this area."""
        if area == "api" and self.fault in TOKEN_ONLY:
            return False
        return self.where in ("any", area)


def make_spec(
    fault: Fault | str,
    count: int = 1,
    where: str = "any",
    *,
    status: int | None = None,
    retry_after: int | None = None,
    expires_in: int | None = None,
) -> FaultSpec:
    """Validate the arguments of inject() and build the queue entry."""
    kind = Fault(fault)
    if count < 1:
        raise ValueError("count must be at least 1")
    if where not in WHERES:
        raise ValueError(f"where must be one of {WHERES}")
    if where == "api" and kind in TOKEN_ONLY:
        raise ValueError(f"{kind} only applies to the token endpoint")
    spec = FaultSpec(kind, count, cast(Where, where))
    if status is not None:
        spec.status = status
    if retry_after is not None:
        spec.retry_after = retry_after
    if expires_in is not None:
        spec.expires_in = expires_in
    return spec


class FaultQueue:
    """FIFO of pending faults; the oldest matching entry is used first."""

    __slots__ = ("_queue",)

    def __init__(self) -> None:
        """Start empty."""
        self._queue: deque[FaultSpec] = deque()

    def add(self, spec: FaultSpec) -> None:
        """Append a fault to the queue."""
        self._queue.append(spec)

    def take(self, area: Literal["token", "api"]) -> FaultSpec | None:
        """Consume one use of the oldest fault matching this area, if any."""
        for spec in self._queue:
            if spec.matches(area):
                spec.remaining -= 1
                if spec.remaining <= 0:
                    self._queue.remove(spec)
                return spec
        return None

    def pending(self) -> list[FaultSpec]:
        """Return a snapshot of the queued faults."""
        return list(self._queue)

    def clear(self) -> None:
        """Drop every queued fault."""
        self._queue.clear()
