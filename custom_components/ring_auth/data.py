"""Typed runtime data of a Ring Auth config entry."""

from dataclasses import dataclass
from typing import Any

from homeassistant.config_entries import ConfigEntry

from .coordinator import RingDevicesCoordinator
from .ringclient import RingApi
from .token_manager import RingTokenManager


@dataclass(slots=True)
class RingAuthData:
    """What set-up builds for one Ring account."""

    manager: RingTokenManager
    api: RingApi
    profile: dict[str, Any]
    coordinator: RingDevicesCoordinator
    account_device_id: (
        str  # the account's device in the registry (its Ring devices' hub)
    )


type RingAuthConfigEntry = ConfigEntry[RingAuthData]
