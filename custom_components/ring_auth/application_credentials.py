"""Application credentials: a Ring partner app's client id and secret."""

from homeassistant.components.application_credentials import ClientCredential
from homeassistant.core import HomeAssistant
from homeassistant.helpers.config_entry_oauth2_flow import AbstractOAuth2Implementation

from .oauth import RingPartnerImplementation


async def async_get_auth_implementation(
    hass: HomeAssistant, auth_domain: str, credential: ClientCredential
) -> AbstractOAuth2Implementation:
    """Return the partner implementation for these credentials."""
    return RingPartnerImplementation(hass, auth_domain, credential)
