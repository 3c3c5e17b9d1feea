"""HTTP helpers shared by the token and API clients: one place turns aiohttp failures into Ring errors."""

from dataclasses import dataclass
from email.utils import parsedate_to_datetime
import json
import logging
import os
import time
from typing import Any

import aiohttp

from .const import API_URL, BASE_URL_ENV, OAUTH_URL
from .exceptions import RingConnectionError, RingTimeoutError

_LOGGER = logging.getLogger(__package__)


@dataclass(frozen=True, slots=True)
class RawResponse:
    """Status, parsed JSON body (None when the body is not a JSON object) and Retry-After."""

    status: int
    body: dict[str, Any] | None
    retry_after: float | None


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
            retry_after = (
                parse_retry_after(resp.headers.get("Retry-After"))
                if status in (429, 503)
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
        body = json.loads(raw)
    except ValueError:
        body = None
    if not isinstance(body, dict):
        body = None
    if _LOGGER.isEnabledFor(logging.DEBUG):
        _LOGGER.debug("%s %s -> HTTP %s", method, url.split("?", 1)[0], status)
    return RawResponse(status, body, retry_after)
