"""The emulator's state file: one registry of components, saved atomically on every change.

Each persistent component offers `to_state()` (JSON-ready data) and `load_state(data)`.
`EmulatorState` owns the file: it loads every registered component at start and, as an
aiohttp middleware, writes the whole state after each request that changed it and *before*
the answer is sent, so a rotated refresh token is on disk before any client can see it.
Without a path nothing is read or written.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
import contextlib
import json
import logging
import os
from pathlib import Path
from typing import Any, Protocol

from aiohttp import web

_LOGGER = logging.getLogger(__name__)

STATE_VERSION = 1
STATE_KIND = "ring_emulator state"

NOT_SAVED = {
    "error": "server_error",
    "error_description": "the emulator could not save its state",
}

type Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


class Persistent(Protocol):
    """A component whose state survives a restart."""

    def to_state(self) -> Any:
        """Return the component's state as JSON-ready data."""

    def load_state(self, data: Any) -> None:
        """Replace the component's state with data from to_state() (raise on bad data)."""


class StateFileError(Exception):
    """The state file cannot be read, is not the emulator's, or holds bad data."""


class EmulatorState:
    """The registry of persistent components and the file that holds them."""

    def __init__(self, path: str | os.PathLike[str] | None = None) -> None:
        """Keep the state in this file; None keeps everything in memory only."""
        self.path = None if path is None else Path(path)
        self.loaded = False
        self._components: dict[str, Persistent] = {}
        self._foreign: dict[str, Any] = {}
        self._written: str | None = None
        self._lock = asyncio.Lock()

    def register(self, name: str, component: Persistent) -> None:
        """Add a component under a unique name (the key in the file)."""
        if name in self._components:
            raise ValueError(f"state component {name!r} registered twice")
        self._components[name] = component

    def load(self) -> bool:
        """Load every registered component found in the file; return whether a file was found.

        Components the file does not hold keep their fresh state; parts of the file no
        registered component claims are kept and written back unchanged.
        """
        found = self._read()
        if found is None:
            return False
        text, parts = found
        for name, component in self._components.items():
            if name not in parts:
                continue
            try:
                component.load_state(parts[name])
            except (KeyError, TypeError, ValueError, AttributeError) as err:
                raise StateFileError(
                    f"{self.path}: bad {name!r} state ({type(err).__name__}: {err})"
                ) from err
        self._foreign = {k: v for k, v in parts.items() if k not in self._components}
        self.loaded = True
        self._written = text
        return True

    def _read(self) -> tuple[str, dict[str, Any]] | None:
        """Return the file's text and its components (None when there is no file)."""
        if self.path is None:
            return None
        try:
            text = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return None
        except (OSError, UnicodeDecodeError) as err:
            raise StateFileError(f"cannot read {self.path}: {err}") from err
        try:
            data: Any = json.loads(text)
        except ValueError as err:
            raise StateFileError(f"{self.path} is not JSON: {err}") from err
        if not isinstance(data, dict) or data.get("kind") != STATE_KIND:
            raise StateFileError(f"{self.path} is not a Ring emulator state file")
        if data.get("version") != STATE_VERSION:
            raise StateFileError(
                f"{self.path} has state version {data.get('version')!r}, "
                f"this emulator reads {STATE_VERSION}"
            )
        parts = data.get("components")
        if not isinstance(parts, dict):
            raise StateFileError(f"{self.path} holds no components")
        return text, parts

    def render(self) -> str:
        """Return the file's text for the current state of every component."""
        parts = dict(self._foreign)
        for name, component in self._components.items():
            parts[name] = component.to_state()
        data = {"kind": STATE_KIND, "version": STATE_VERSION, "components": parts}
        return json.dumps(data, indent=1, sort_keys=True)

    async def save(self) -> None:
        """Write the state if it changed; return once it is on disk (the write runs in a thread)."""
        if self.path is None:
            return
        async with self._lock:
            # Rendered inside the lock: whoever waited gets every change made so far.
            text = self.render()
            if text == self._written:
                return
            await asyncio.to_thread(self._write, text)

    def save_now(self) -> None:
        """Write the state at once from synchronous code (blocks for the write)."""
        if self.path is None:
            return
        text = self.render()
        if text != self._written:
            self._write(text)

    def _write(self, text: str) -> None:
        """Replace the file atomically: a private temp file, fsync, then os.replace."""
        assert self.path is not None  # noqa: S101 - callers checked
        path = self.path
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        try:
            # 0600: the file holds passwords and live tokens.
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(fd, "w", encoding="utf-8") as out:
                out.write(text)
                out.flush()
                os.fsync(out.fileno())
            os.replace(tmp, path)
        except OSError:
            with contextlib.suppress(OSError):
                tmp.unlink()
            raise
        self._written = text

    @web.middleware
    async def middleware(
        self, request: web.Request, handler: Handler
    ) -> web.StreamResponse:
        """Save after every request, before its answer goes out; a failed save answers 500."""
        try:
            response = await handler(request)
        finally:
            saved = await self._try_save()
        if not saved:
            return web.json_response(NOT_SAVED, status=500)
        return response

    async def _try_save(self) -> bool:
        """Save; on failure log why and return False (the answer must not go out)."""
        try:
            await self.save()
        except OSError as err:
            _LOGGER.error(
                "cannot write the emulator state to %s (%s): answering 500 instead",
                self.path,
                err,
            )
            return False
        return True
