"""The "Refresh now" button of a Ring login."""

from homeassistant.components.button import ButtonEntity, ButtonEntityDescription
from homeassistant.const import EntityCategory
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .data import RingAuthConfigEntry
from .entity import RingAuthEntity
from .ringclient import RingError

PARALLEL_UPDATES = 1

REFRESH_NOW = ButtonEntityDescription(key="refresh_now", translation_key="refresh_now")


async def async_setup_entry(
    hass: HomeAssistant,
    entry: RingAuthConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the account's button."""
    async_add_entities([RingAuthRefreshButton(entry, REFRESH_NOW)])


class RingAuthRefreshButton(RingAuthEntity, ButtonEntity):
    """Refresh the token now; failures surface as translated errors."""

    _attr_entity_category = EntityCategory.DIAGNOSTIC

    async def async_press(self) -> None:
        """Refresh now (shares any refresh already running)."""
        try:
            await self.manager.async_force_refresh()
        except RingError as err:
            raise self.manager.ha_error(err, HomeAssistantError) from err
