"""A response under construction, so faults can rewrite it before it is sent."""

from __future__ import annotations

from dataclasses import dataclass, field
import json
from typing import Any

from aiohttp import web


@dataclass(slots=True)
class Reply:
    """Status, body (JSON, or bytes with a content type) and headers; a note for the log."""

    status: int
    body: Any
    headers: dict[str, str] = field(default_factory=dict)
    content_type: str = "application/json"
    note: str = ""

    def to_response(self) -> web.Response:
        """Render as an aiohttp response (204: no body at all)."""
        if self.status == 204:
            return web.Response(status=204, headers=self.headers)
        if isinstance(self.body, bytes):
            return web.Response(
                body=self.body,
                status=self.status,
                headers=self.headers,
                content_type=self.content_type,
            )
        return web.json_response(self.body, status=self.status, headers=self.headers)

    def raw(self) -> bytes:
        """Return the body as bytes."""
        return (
            self.body
            if isinstance(self.body, bytes)
            else json.dumps(self.body).encode()
        )


def error(status: int, body: dict[str, Any], **headers: str) -> Reply:
    """Build an error reply."""
    return Reply(status, body, dict(headers))
