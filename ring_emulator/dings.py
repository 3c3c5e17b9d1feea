"""Active dings (GET /clients_api/dings/active): empty unless a test injects one."""

from __future__ import annotations

import secrets
from typing import Any

from .settings import Clock

DING_KINDS = ("ding", "motion", "on_demand_link")
DING_LIFETIME = 180


class Dings:
    """Injected dings per account; each is active for its expires_in on the emulator clock."""

    def __init__(self, clock: Clock) -> None:
        """Bind to the emulator's clock."""
        self._clock = clock
        self._dings: dict[str, list[dict[str, Any]]] = {}

    def add(
        self,
        account: str,
        device: dict[str, Any],
        kind: str = "ding",
        expires_in: int = DING_LIFETIME,
    ) -> dict[str, Any]:
        """Make a device ring (or see motion) now; return the ding as the API lists it."""
        if kind not in DING_KINDS:
            raise ValueError(f"kind must be one of {DING_KINDS}")
        now = self._clock.now()
        ding_id = 10**15 + secrets.randbelow(9 * 10**15)
        ding = {
            "id": ding_id,
            "id_str": str(ding_id),
            "state": "ringing",
            "protocol": "sip",
            "doorbot_id": device["id"],
            "doorbot_description": device["description"],
            "device_kind": device["kind"],
            "motion": kind == "motion",
            "snapshot_url": "",
            "kind": kind,
            "sip_server_ip": "192.0.2.10",
            "sip_server_port": 15063,
            "sip_server_tls": True,
            "sip_session_id": f"r.ms.{secrets.token_hex(8)}",
            "sip_from": "sip:emulator@ring.com",
            "sip_to": "sip:emulator@192.0.2.10:15063;transport=tls",
            "sip_token": "",
            "sip_ding_id": str(ding_id),
            "audio_jitter_buffer_ms": 300,
            "video_jitter_buffer_ms": 300,
            "expires_in": expires_in,
            "optimization_level": 1,
            "ding_encrypted": False,
            "now": now,
            "requested_at": int(now * 1000),
        }
        self._dings.setdefault(account, []).append(ding)
        return dict(ding)

    def active(self, account: str) -> list[dict[str, Any]]:
        """Return the account's dings that have not expired (expired ones are dropped)."""
        now = self._clock.now()
        live = [
            d for d in self._dings.get(account, []) if now < d["now"] + d["expires_in"]
        ]
        self._dings[account] = live
        return [dict(d) for d in live]

    def clear(self) -> None:
        """Forget every ding."""
        self._dings.clear()
