"""An aiohttp session stand-in that sends requests for Ring's hosts to the emulator.

Third-party clients (python-ring-doorbell) hard-code https://oauth.ring.com and
https://api.ring.com; handing them this as their session aims them at the emulator without
patching their modules. Their float timeouts become aiohttp ClientTimeouts.
"""

from typing import Any

import aiohttp

RING_ORIGINS = ("https://oauth.ring.com", "https://api.ring.com")


class RingRedirect:
    """Wraps a ClientSession; only request() is used by python-ring-doorbell's Auth."""

    def __init__(self, session: aiohttp.ClientSession, base: str) -> None:
        """Send Ring's origins to base (the emulator's URL)."""
        self.session = session
        self.base = base.rstrip("/")
        self.urls: list[str] = []

    def request(self, method: str, url: Any, **kwargs: Any) -> Any:
        """Rewrite the origin, then call the real session (returns its context manager)."""
        url = str(url)
        for origin in RING_ORIGINS:
            if url.startswith(origin):
                url = self.base + url[len(origin) :]
        self.urls.append(f"{method} {url.removeprefix(self.base)}")
        if isinstance(kwargs.get("timeout"), int | float):
            kwargs["timeout"] = aiohttp.ClientTimeout(total=kwargs["timeout"])
        return self.session.request(method, url, **kwargs)
