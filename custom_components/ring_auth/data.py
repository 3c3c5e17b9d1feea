"""Typed runtime data of a Ring Auth config entry."""

from dataclasses import dataclass
from typing import Any

from homeassistant.config_entries import ConfigEntry

from .ringclient import RingApi
from .token_manager import RingTokenManager


@dataclass(slots=True)
class RingAuthData:
    """What set-up builds for one Ring account."""

    manager: RingTokenManager
    api: RingApi
    profile: dict[str, Any]


type RingAuthConfigEntry = ConfigEntry[RingAuthData]
