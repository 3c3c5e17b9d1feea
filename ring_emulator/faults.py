"""Injectable faults: what they are and the FIFO queue that hands them out."""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from enum import StrEnum
from typing import Literal, cast

type Area = Literal["token", "api"]
type Where = Literal["token", "password", "refresh", "api", "any"]
type BodyStyle = Literal["oauth", "message", "html", "text"]

WHERES: tuple[Where, ...] = ("token", "password", "refresh", "api", "any")
BODY_STYLES: tuple[BodyStyle, ...] = ("oauth", "message", "html", "text")
# The token requests a grant-specific `where` matches.
GRANT_OF_WHERE = {"password": "password", "refresh": "refresh_token"}


class Fault(StrEnum):
    """The kinds of misbehaviour the emulator can inject."""

    SERVER_ERROR = "server_error"
    RATE_LIMIT = "rate_limit"
    BLOCKED = "blocked"
    HANG = "hang"
    RESET = "reset"
    RESET_AFTER_ROTATE = "reset_after_rotate"
    HTML = "html"
    TRUNCATED_JSON = "truncated_json"
    TRUNCATED_AFTER_ROTATE = "truncated_after_rotate"
    MISSING_EXPIRES_IN = "missing_expires_in"
    ABSURD_EXPIRES_IN = "absurd_expires_in"
    NO_TOKEN = "no_token"  # noqa: S105 - a fault name, not a secret


# Faults that only make sense for a token response: "any" never matches an API call.
TOKEN_ONLY = frozenset(
    {Fault.MISSING_EXPIRES_IN, Fault.ABSURD_EXPIRES_IN, Fault.NO_TOKEN}
)
# The body each answering fault sends unless told otherwise.
DEFAULT_BODY: dict[Fault, BodyStyle] = {Fault.BLOCKED: "text"}


@dataclass(slots=True)
class FaultSpec:
    """One queued fault: for how many more requests, or until when (emulator clock)."""

    fault: Fault
    remaining: int
    where: Where = "any"
    status: int = 503
    retry_after: int | None = None
    expires_in: int | str = -5
    body: BodyStyle = "oauth"
    until: float | None = None

    def matches(self, area: Area, grant: str | None = None) -> bool:
        """Return whether this fault applies to a request of this area (and grant)."""
        if area == "api" and self.fault in TOKEN_ONLY:
            return False
        if self.where in GRANT_OF_WHERE:
            return area == "token" and grant == GRANT_OF_WHERE[self.where]
        return self.where in ("any", area)


def make_spec(
    fault: Fault | str,
    count: int = 1,
    where: str = "any",
    *,
    status: int | None = None,
    retry_after: int | None = None,
    expires_in: int | str | None = None,
    body: str | None = None,
    until: float | None = None,
) -> FaultSpec:
    """Validate the arguments of inject() and build the queue entry."""
    kind = Fault(fault)
    if count < 1:
        raise ValueError("count must be at least 1")
    if where not in WHERES:
        raise ValueError(f"where must be one of {WHERES}")
    if where == "api" and kind in TOKEN_ONLY:
        raise ValueError(f"{kind} only applies to the token endpoint")
    if body is not None and body not in BODY_STYLES:
        raise ValueError(f"body must be one of {BODY_STYLES}")
    spec = FaultSpec(kind, count, cast(Where, where), until=until)
    spec.status = 406 if kind is Fault.BLOCKED else 503
    if status is not None:
        if kind is Fault.BLOCKED and status not in (403, 406):
            raise ValueError("a block answers 403 or 406")
        spec.status = status
    spec.retry_after = retry_after
    if expires_in is not None:
        spec.expires_in = expires_in
    spec.body = cast(BodyStyle, body) if body else DEFAULT_BODY.get(kind, "oauth")
    return spec


class FaultQueue:
    """FIFO of pending faults; the oldest matching entry is used first.

    A fault with a time window (`until`) answers every matching request until the emulator's
    clock reaches it, and shadows younger faults for the same requests meanwhile.
    """

    __slots__ = ("_queue",)

    def __init__(self) -> None:
        """Start empty."""
        self._queue: deque[FaultSpec] = deque()

    def add(self, spec: FaultSpec) -> None:
        """Append a fault to the queue."""
        self._queue.append(spec)

    def take(
        self, area: Area, grant: str | None = None, now: float = 0.0
    ) -> FaultSpec | None:
        """Consume one use of the oldest live fault matching this request, if any."""
        for spec in [s for s in self._queue if s.until is not None and now >= s.until]:
            self._queue.remove(spec)
        for spec in self._queue:
            if spec.matches(area, grant):
                if spec.until is None:
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
