"""Ring Auth: keeps a Ring login alive and shows its health."""

from datetime import timedelta
from typing import cast

from homeassistant.config_entries import ConfigEntryState
from homeassistant.const import Platform
from homeassistant.core import HomeAssistant, callback
from homeassistant.exceptions import ConfigEntryNotReady
from homeassistant.helpers import device_registry as dr, entity_registry as er
from homeassistant.helpers.aiohttp_client import async_get_clientsession
from homeassistant.helpers.config_entry_oauth2_flow import (
    LocalOAuth2Implementation,
    async_get_config_entry_implementation,
)

from .const import (
    AUTH_TYPE_PARTNER,
    CONF_AUTH_TYPE,
    CONF_HARDWARE_ID,
    CONF_POLL_INTERVAL,
    CONF_REFRESH_INTERVAL,
    CONF_REFRESH_MARGIN,
    DEFAULT_POLL_INTERVAL_SECONDS,
    DEFAULT_REFRESH_INTERVAL_HOURS,
    DEFAULT_REFRESH_MARGIN_MINUTES,
    DOMAIN,
    LOGGER,
)
from .coordinator import RingDevicesCoordinator
from .data import RingAuthConfigEntry, RingAuthData
from .failures import LoginLostError
from .issues import async_remove_issues, async_track_issues
from .journal import TokenJournal
from .policy import RefreshPolicy
from .registry import async_account_device, ring_id_of
from .ringclient import (
    PartnerCredentials,
    RingApi,
    RingAuthClient,
    RingDevicesApi,
    RingError,
)
from .token_manager import RingTokenManager

PLATFORMS = [
    Platform.BUTTON,
    Platform.CAMERA,
    Platform.EVENT,
    Platform.LIGHT,
    Platform.SENSOR,
    Platform.SIREN,
]


async def async_setup_entry(hass: HomeAssistant, entry: RingAuthConfigEntry) -> bool:
    """Restore the token (journal first), check the login with Ring, add the entities."""
    session = async_get_clientsession(hass)
    hardware_id = entry.data[CONF_HARDWARE_ID]
    options = entry.options
    manager = RingTokenManager(
        hass,
        entry,
        RingAuthClient(session, hardware_id),
        partner=await _async_partner(hass, entry),
        policy=RefreshPolicy(
            margin=timedelta(
                minutes=options.get(CONF_REFRESH_MARGIN, DEFAULT_REFRESH_MARGIN_MINUTES)
            ).total_seconds(),
            background_interval=timedelta(
                hours=options.get(CONF_REFRESH_INTERVAL, DEFAULT_REFRESH_INTERVAL_HOURS)
            ).total_seconds(),
        ),
    )
    entry.async_on_unload(manager.async_shutdown)
    await manager.async_setup()
    entry.async_on_unload(async_track_issues(hass, entry, manager))
    if (reason := manager.health.login_lost_reason) is not None:
        # Remembered from before the restart: ask for the login again, call Ring for nothing.
        raise manager.ha_error(LoginLostError(reason), ConfigEntryNotReady)
    api = RingApi(session, manager.refresher, hardware_id)
    try:
        profile = await api.async_get_profile()
    except RingError as err:
        raise manager.ha_error(err, ConfigEntryNotReady) from err
    _async_adopt_account_id(hass, entry, str(profile["id"]))
    coordinator = RingDevicesCoordinator(
        hass,
        entry,
        manager,
        RingDevicesApi(api),
        timedelta(
            seconds=options.get(CONF_POLL_INTERVAL, DEFAULT_POLL_INTERVAL_SECONDS)
        ),
    )
    # Read the devices and prime the events before any entity exists (nothing is replayed).
    await coordinator.async_config_entry_first_refresh()
    entry.runtime_data = RingAuthData(
        manager=manager,
        api=api,
        profile=profile,
        coordinator=coordinator,
        account_device_id=async_account_device(hass, entry, profile).id,
    )
    await hass.config_entries.async_forward_entry_setups(entry, PLATFORMS)
    return True


async def _async_partner(
    hass: HomeAssistant, entry: RingAuthConfigEntry
) -> PartnerCredentials | None:
    """Return the partner app's client id and secret (None for the consumer login)."""
    if entry.data.get(CONF_AUTH_TYPE) != AUTH_TYPE_PARTNER:
        return None
    # Missing application credentials raise ConfigEntryNotReady / ConfigEntryAuthFailed.
    implementation = cast(
        LocalOAuth2Implementation,
        await async_get_config_entry_implementation(hass, entry),
    )
    return PartnerCredentials(implementation.client_id, implementation.client_secret)


@callback
def _async_adopt_account_id(
    hass: HomeAssistant, entry: RingAuthConfigEntry, account_id: str
) -> None:
    """Key an entry made before 0.2 (by email) by Ring's account id, as new entries are."""
    if entry.unique_id == account_id:
        return
    if hass.config_entries.async_entry_for_domain_unique_id(DOMAIN, account_id):
        LOGGER.warning(
            "The Ring account of %s is set up twice; remove one of the entries",
            entry.title,
        )
        return
    old = str(entry.unique_id)
    for entity in er.async_entries_for_config_entry(er.async_get(hass), entry.entry_id):
        if entity.unique_id.startswith(f"{old}_"):
            er.async_get(hass).async_update_entity(
                entity.entity_id,
                new_unique_id=account_id + entity.unique_id.removeprefix(old),
            )
    devices = dr.async_get(hass)
    if device := devices.async_get_device_by_identifier((DOMAIN, old), entry.entry_id):
        devices.async_update_device(device.id, new_identifiers={(DOMAIN, account_id)})
    hass.config_entries.async_update_entry(entry, unique_id=account_id)


async def async_unload_entry(hass: HomeAssistant, entry: RingAuthConfigEntry) -> bool:
    """Unload the platforms; the manager's timers end through async_on_unload."""
    return await hass.config_entries.async_unload_platforms(entry, PLATFORMS)


async def async_remove_config_entry_device(
    hass: HomeAssistant, entry: RingAuthConfigEntry, device: dr.DeviceEntry
) -> bool:
    """Let the user delete a Ring device that Ring no longer lists (never the account's).

    While the entry is not loaded nothing tells whether Ring still lists it: refused.
    """
    ring_id = ring_id_of(device)
    if ring_id is None or entry.state is not ConfigEntryState.LOADED:
        return False
    return ring_id not in entry.runtime_data.coordinator.data.devices


async def async_remove_entry(hass: HomeAssistant, entry: RingAuthConfigEntry) -> None:
    """Delete the entry's token journal and repair issues."""
    async_remove_issues(hass, entry)
    await TokenJournal(hass, entry.entry_id).async_remove()
