"""Application credentials: a Ring partner app's client id and secret (linking with PKCE)."""

from homeassistant.components.application_credentials import ClientCredential
from homeassistant.core import HomeAssistant
from homeassistant.helpers.aiohttp_client import async_get_clientsession
from homeassistant.helpers.config_entry_oauth2_flow import (
    AbstractOAuth2Implementation,
    LocalOAuth2ImplementationWithPkce,
)

from .ringclient import RingAuthClient


async def async_get_auth_implementation(
    hass: HomeAssistant, auth_domain: str, credential: ClientCredential
) -> AbstractOAuth2Implementation:
    """Return Home Assistant's PKCE implementation on Ring's URLs (RING_AUTH_BASE_URL aware).

    Home Assistant's own class links the account and exchanges the code; every refresh
    afterwards goes through the Ring client (rotation, journal, backoff), never through it.
    """
    urls = RingAuthClient(async_get_clientsession(hass), "")
    return LocalOAuth2ImplementationWithPkce(
        hass,
        auth_domain,
        credential.client_id,
        authorize_url=urls.authorize_url,
        token_url=urls.token_url,
        client_secret=credential.client_secret,
    )
