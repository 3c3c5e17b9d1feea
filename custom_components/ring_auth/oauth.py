"""Ring's token grants as Home Assistant OAuth2 implementations."""

from typing import Any

from homeassistant.helpers.config_entry_oauth2_flow import AbstractOAuth2Implementation

from .const import DOMAIN
from .ringclient import RingAuthClient


class RingConsumerImplementation(AbstractOAuth2Implementation):
    """Ring's own app grant: password + 2FA to log in, then the consumer refresh grant."""

    def __init__(self, client: RingAuthClient) -> None:
        """Refresh through the given client."""
        self.client = client

    @property
    def name(self) -> str:
        """Name shown to the user."""
        return "Ring account"

    @property
    def domain(self) -> str:
        """Integration domain."""
        return DOMAIN

    async def async_generate_authorize_url(self, flow_id: str) -> str:
        """Refuse: the password grant has no authorize page (the config flow logs in)."""
        raise NotImplementedError

    async def async_resolve_external_data(self, external_data: Any) -> dict[str, Any]:
        """Refuse: the password grant has no external step."""
        raise NotImplementedError

    async def _async_refresh_token(self, token: dict[str, Any]) -> dict[str, Any]:
        """Exchange the refresh token; Ring errors reach the token manager unmapped."""
        new = await self.client.async_refresh(token["refresh_token"])
        return new.as_dict()
