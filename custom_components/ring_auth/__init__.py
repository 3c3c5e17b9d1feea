"""Ring Auth: keeps a Ring login alive and shows its health."""

from datetime import timedelta

from homeassistant.const import Platform
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import ConfigEntryNotReady
from homeassistant.helpers.aiohttp_client import async_get_clientsession
from homeassistant.helpers.config_entry_oauth2_flow import (
    AbstractOAuth2Implementation,
    async_get_config_entry_implementation,
)

from .const import (
    AUTH_TYPE_PARTNER,
    CONF_AUTH_TYPE,
    CONF_HARDWARE_ID,
    CONF_REFRESH_INTERVAL,
    CONF_REFRESH_MARGIN,
    DEFAULT_REFRESH_INTERVAL_HOURS,
    DEFAULT_REFRESH_MARGIN_MINUTES,
    DOMAIN,
)
from .data import RingAuthConfigEntry, RingAuthData
from .journal import TokenJournal
from .oauth import RingConsumerImplementation
from .repairs import async_remove_issues, async_track_issues
from .ringclient import RingApi, RingAuthClient, RingError
from .token_manager import RingTokenManager

PLATFORMS = [Platform.BUTTON, Platform.SENSOR]


async def async_setup_entry(hass: HomeAssistant, entry: RingAuthConfigEntry) -> bool:
    """Restore the token (journal first), check the login with Ring, add the entities."""
    session = async_get_clientsession(hass)
    hardware_id = entry.data[CONF_HARDWARE_ID]
    manager = RingTokenManager(
        hass,
        entry,
        await _async_implementation(hass, entry, RingAuthClient(session, hardware_id)),
        TokenJournal(hass, entry.entry_id),
        margin=timedelta(
            minutes=entry.options.get(
                CONF_REFRESH_MARGIN, DEFAULT_REFRESH_MARGIN_MINUTES
            )
        ),
        interval=timedelta(
            hours=entry.options.get(
                CONF_REFRESH_INTERVAL, DEFAULT_REFRESH_INTERVAL_HOURS
            )
        ),
    )
    entry.async_on_unload(manager.async_shutdown)
    await manager.async_setup()
    entry.async_on_unload(async_track_issues(hass, entry, manager))
    if manager.health.login_lost:
        # Remembered from before the restart: ask for the login again, call Ring for nothing.
        raise manager.login_lost_error()
    api = RingApi(session, manager, hardware_id)
    try:
        profile = await api.async_get_profile()
    except RingError as err:
        raise ConfigEntryNotReady(
            translation_domain=DOMAIN, translation_key="cannot_connect"
        ) from err
    entry.runtime_data = RingAuthData(manager=manager, api=api, profile=profile)
    await hass.config_entries.async_forward_entry_setups(entry, PLATFORMS)
    return True


async def _async_implementation(
    hass: HomeAssistant, entry: RingAuthConfigEntry, client: RingAuthClient
) -> AbstractOAuth2Implementation:
    """Return the entry's grant flavour: the consumer app's, or the user's partner app's."""
    if entry.data.get(CONF_AUTH_TYPE) == AUTH_TYPE_PARTNER:
        # Missing application credentials raise ConfigEntryNotReady / ConfigEntryAuthFailed.
        return await async_get_config_entry_implementation(hass, entry)
    return RingConsumerImplementation(client)


async def async_unload_entry(hass: HomeAssistant, entry: RingAuthConfigEntry) -> bool:
    """Unload the platforms; the manager's timers end through async_on_unload."""
    return await hass.config_entries.async_unload_platforms(entry, PLATFORMS)


async def async_remove_entry(hass: HomeAssistant, entry: RingAuthConfigEntry) -> None:
    """Delete the entry's token journal and repair issues."""
    async_remove_issues(hass, entry)
    await TokenJournal(hass, entry.entry_id).async_remove()
