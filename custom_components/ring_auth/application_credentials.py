"""Application credentials: a Ring partner app's client id and secret (linking with PKCE)."""

from homeassistant.components.application_credentials import ClientCredential
from homeassistant.core import HomeAssistant
from homeassistant.helpers.aiohttp_client import async_get_clientsession
from homeassistant.helpers.config_entry_oauth2_flow import (
    AbstractOAuth2Implementation,
    LocalOAuth2ImplementationWithPkce,
)

from .ringclient import RingAuthClient


class RingPartnerImplementation(LocalOAuth2ImplementationWithPkce):
    """Home Assistant's PKCE implementation, named after the user's credential.

    Only the abstract ``name`` is implemented (as application_credentials' own
    ``AuthImplementation`` does); linking and the code exchange are Home Assistant's. Every
    refresh afterwards goes through the Ring client (rotation, journal, backoff), never here.
    """

    def __init__(
        self, hass: HomeAssistant, auth_domain: str, credential: ClientCredential
    ) -> None:
        """Use the credential on Ring's URLs (RING_AUTH_BASE_URL aware)."""
        urls = RingAuthClient(async_get_clientsession(hass), "")
        super().__init__(
            hass,
            auth_domain,
            credential.client_id,
            authorize_url=urls.authorize_url,
            token_url=urls.token_url,
            client_secret=credential.client_secret,
        )
        self._title = credential.name or "Ring partner app"

    @property
    def name(self) -> str:
        """Name shown when picking among partner apps."""
        return self._title


async def async_get_auth_implementation(
    hass: HomeAssistant, auth_domain: str, credential: ClientCredential
) -> AbstractOAuth2Implementation:
    """Return the partner implementation for these credentials."""
    return RingPartnerImplementation(hass, auth_domain, credential)
