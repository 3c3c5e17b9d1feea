"""Ring's two token grant flavours as Home Assistant OAuth2 implementations."""

from typing import Any

from homeassistant.components.application_credentials import ClientCredential
from homeassistant.core import HomeAssistant
from homeassistant.helpers.aiohttp_client import async_get_clientsession
from homeassistant.helpers.config_entry_oauth2_flow import (
    AbstractOAuth2Implementation,
    LocalOAuth2ImplementationWithPkce,
)

from .const import DOMAIN
from .ringclient import PartnerCredentials, RingAuthClient


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


class RingPartnerImplementation(LocalOAuth2ImplementationWithPkce):
    """A Ring partner app: account linking (code + PKCE), then the partner refresh grant."""

    def __init__(
        self, hass: HomeAssistant, auth_domain: str, credential: ClientCredential
    ) -> None:
        """Use the user's application credential; URLs follow RING_AUTH_BASE_URL."""
        self.client = RingAuthClient(async_get_clientsession(hass), "")
        super().__init__(
            hass,
            auth_domain,
            credential.client_id,
            authorize_url=self.client.authorize_url,
            token_url=self.client.token_url,
            client_secret=credential.client_secret,
        )
        self._credential_name = credential.name
        self._partner = PartnerCredentials(
            credential.client_id, credential.client_secret
        )

    @property
    def name(self) -> str:
        """Name shown when picking credentials."""
        return self._credential_name or "Ring partner app"

    async def async_resolve_external_data(self, external_data: Any) -> dict[str, Any]:
        """Exchange the linking code (within Ring's one minute) with the PKCE verifier."""
        token = await self.client.async_exchange_code(
            external_data["code"],
            self.code_verifier,
            external_data["state"]["redirect_uri"],
            self._partner,
        )
        return token.as_dict()

    async def _async_refresh_token(self, token: dict[str, Any]) -> dict[str, Any]:
        """Exchange the refresh token with the partner grant."""
        new = await self.client.async_refresh(token["refresh_token"], self._partner)
        return new.as_dict()
