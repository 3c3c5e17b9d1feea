"""HTTP helpers shared by the token and API clients: one place turns aiohttp failures into Ring errors."""

from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
import json
import logging
import os
import time
from typing import Any

import aiohttp
from multidict import CIMultiDict, CIMultiDictProxy

from .const import API_URL, BASE_URL_ENV, OAUTH_URL
from .exceptions import RingConnectionError, RingTimeoutError

_LOGGER = logging.getLogger(__package__)


# Statuses of Ring's edge (a firewall in front of the account service), not of the service.
BLOCKED_STATUSES = frozenset({403, 406})


class _NotJson:
    """The parsed value of a body that is not JSON (HTML, plain text, a cut answer, an image)."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "NOT_JSON"


NOT_JSON: Any = _NotJson()
NO_HEADERS: CIMultiDictProxy[str] = CIMultiDictProxy(CIMultiDict())


@dataclass(frozen=True, slots=True)
class RawResponse:
    """One answer: status, raw body, the body parsed as JSON (or NOT_JSON), Retry-After.

    ``headers`` keeps every header (Location, each Set-Cookie) for the web sign-in; it holds
    cookies, so it is left out of the repr.
    """

    status: int
    raw: bytes
    data: Any
    retry_after: float | None
    headers: CIMultiDictProxy[str] = field(
        default_factory=lambda: NO_HEADERS, repr=False
    )

    @property
    def ok(self) -> bool:
        """Return whether the status is 2xx (Ring answers 200, 201 or 204 for success)."""
        return 200 <= self.status < 300

    @property
    def body(self) -> dict[str, Any] | None:
        """Return the body when it is a JSON object, else None."""
        return self.data if isinstance(self.data, dict) else None


def base_urls(oauth_url: str | None, api_url: str | None) -> tuple[str, str]:
    """Return the OAuth and API origins: explicit, else RING_AUTH_BASE_URL, else Ring's."""
    override = os.environ.get(BASE_URL_ENV, "").strip().rstrip("/")
    return (
        (oauth_url or override or OAUTH_URL).rstrip("/"),
        (api_url or override or API_URL).rstrip("/"),
    )


def parse_retry_after(value: str | None) -> float | None:
    """Parse Retry-After given as seconds or as an HTTP date."""
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        return max(0.0, parsedate_to_datetime(value).timestamp() - time.time())
    except TypeError, ValueError:
        return None


async def send(
    session: aiohttp.ClientSession,
    method: str,
    url: str,
    *,
    limit: aiohttp.ClientTimeout,
    **kwargs: Any,
) -> RawResponse:
    """Send one request; no response at all becomes RingConnectionError or RingTimeoutError."""
    try:
        async with session.request(method, url, timeout=limit, **kwargs) as resp:
            raw = await resp.read()
            status = resp.status
            headers = resp.headers
            retry_after = (
                parse_retry_after(resp.headers.get("Retry-After"))
                if status >= 400
                else None
            )
    except aiohttp.ClientConnectorError as err:
        # No connection was made, so Ring cannot have acted on the request.
        raise RingConnectionError(
            f"Cannot reach Ring: {type(err).__name__}", request_sent=False
        ) from err
    except TimeoutError as err:
        raise RingTimeoutError(
            f"No answer from Ring within {limit.total:.0f} s"
        ) from err
    except aiohttp.ClientError as err:
        # The aiohttp message names host and reason only; no request body is in it.
        raise RingConnectionError(f"Cannot reach Ring: {type(err).__name__}") from err
    try:
        data = json.loads(raw) if raw else NOT_JSON
    except ValueError:  # also UnicodeDecodeError: an image or other binary body
        data = NOT_JSON
    if _LOGGER.isEnabledFor(logging.DEBUG):
        _LOGGER.debug("%s %s -> HTTP %s", method, url.split("?", 1)[0], status)
    return RawResponse(status, raw, data, retry_after, headers)
