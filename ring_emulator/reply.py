"""A response under construction, so faults can rewrite it before it is sent."""

from __future__ import annotations

from dataclasses import dataclass, field
import json
from typing import Any

from aiohttp import web


@dataclass(slots=True)
class Reply:
    """Status, JSON body and extra headers of a response (note: a word for the exchange log)."""

    status: int
    body: Any
    headers: dict[str, str] = field(default_factory=dict)
    note: str = ""

    def to_response(self) -> web.Response:
        """Render as an aiohttp JSON response."""
        return web.json_response(self.body, status=self.status, headers=self.headers)

    def raw(self) -> bytes:
        """Return the JSON body as bytes."""
        return json.dumps(self.body).encode()


def error(status: int, body: dict[str, Any], **headers: str) -> Reply:
    """Build an error reply."""
    return Reply(status, body, dict(headers))
