"""The requests the emulator is serving right now, and the ones a HANG fault holds.

A simulation that moves time in jumps (the soak) must not jump while a request is being
answered, but must jump while a request hangs on purpose: these two gauges tell it which.
"""

from __future__ import annotations

import asyncio
import contextlib

from aiohttp import web
from aiohttp.typedefs import Handler


class Traffic:
    """Live gauges (not counters: they go down again, and no state file keeps them)."""

    __slots__ = ("hanging", "in_flight")

    def __init__(self) -> None:
        """Start idle."""
        self.in_flight = (
            0  # requests received and not yet answered (hung ones included)
        )
        self.hanging = 0  # requests a HANG fault holds until the client gives up

    @web.middleware
    async def middleware(
        self, request: web.Request, handler: Handler
    ) -> web.StreamResponse:
        """Count a request from its arrival until its answer is ready."""
        self.in_flight += 1
        try:
            return await handler(request)
        finally:
            self.in_flight -= 1

    async def hang(
        self, request: web.Request, stopping: asyncio.Event, poll: float
    ) -> None:
        """Hold the request until `stopping` is set or the client went away (checked every `poll` s)."""
        self.hanging += 1
        try:
            while not stopping.is_set():
                transport = request.transport
                if transport is None or transport.is_closing():
                    return
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(stopping.wait(), poll)
        finally:
            self.hanging -= 1
