"""Fixtures for the integration tests: a config entry holding an emulator token, and managers."""

from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
import time
from typing import Any
from unittest.mock import PropertyMock, patch

from freezegun.api import FrozenDateTimeFactory
from homeassistant.config_entries import ConfigEntry
from homeassistant.core import HomeAssistant
from homeassistant.helpers.aiohttp_client import async_get_clientsession
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.ring_auth.const import DOMAIN
from custom_components.ring_auth.policy import RefreshPolicy
from custom_components.ring_auth.ringclient import PartnerCredentials, RingAuthClient
from custom_components.ring_auth.token_manager import RingTokenManager
from ring_emulator import RingEmulator
from tests.conftest import ACCOUNT_ID, EMAIL

HW = "5c0ffee0-1234-4abc-8def-00000000abcd"

type ManagerFactory = Callable[..., Awaitable[RingTokenManager]]


@pytest.fixture(autouse=True)
def auto_enable_custom_integrations(
    enable_custom_integrations: None, socket_enabled: None
) -> None:
    """Load custom_components/ and let the emulator listen on loopback."""


def stored_token(
    body: dict[str, Any], received_at: float | None = None
) -> dict[str, Any]:
    """Return a token body as the integration stores it (expires_at, received_at)."""
    received = time.time() if received_at is None else received_at
    return {
        **body,
        "received_at": received,
        "expires_at": received + body["expires_in"],
    }


@pytest.fixture
def issued_token(emulator: RingEmulator) -> dict[str, Any]:
    """Return a token pair the emulator issued for the account, in stored form."""
    return stored_token(emulator.issue_tokens(EMAIL))


@pytest.fixture
def config_entry(hass: HomeAssistant, issued_token: dict[str, Any]) -> MockConfigEntry:
    """Return a consumer config entry holding the issued token, added to hass."""
    entry = MockConfigEntry(
        domain=DOMAIN,
        title=EMAIL,
        unique_id=str(ACCOUNT_ID),
        pref_disable_polling=True,  # an idle login: the devices are read at set-up only
        data={
            "email": EMAIL,
            "hardware_id": HW,
            "auth_type": "consumer",
            "token": issued_token,
        },
    )
    entry.add_to_hass(hass)
    return entry


@pytest.fixture
async def make_manager(
    hass: HomeAssistant, config_entry: MockConfigEntry
) -> AsyncIterator[ManagerFactory]:
    """Return a factory of set-up token managers (as the integration builds them); all shut down at the end."""
    managers: list[RingTokenManager] = []

    async def factory(
        entry: ConfigEntry | None = None,
        *,
        client_timeout: float | None = None,
        client: RingAuthClient | None = None,
        partner: PartnerCredentials | None = None,
        policy: RefreshPolicy | None = None,
    ) -> RingTokenManager:
        entry = entry or config_entry
        if client is None:
            session = async_get_clientsession(hass)
            client = (
                RingAuthClient(session, HW)
                if client_timeout is None
                else RingAuthClient(session, HW, timeout=client_timeout)
            )
        manager = RingTokenManager(
            hass, entry, client, partner=partner, policy=policy or RefreshPolicy()
        )
        managers.append(manager)
        await manager.async_setup()
        return manager

    yield factory
    for manager in managers:
        manager.async_shutdown()


# -- fixtures of the Home Assistant-level tests (flows, set-up, entities, repairs) ----------

ENTRY_ID = "01JRINGAUTH0TEST0ENTRY0000"
FROZEN_AT = "2026-03-01T12:00:00+00:00"


@pytest.fixture
def fast_manager() -> None:
    """Kept while tests move off patched constants."""


@pytest.fixture
def fixed_config_entry(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, emulator: RingEmulator
) -> MockConfigEntry:
    """Return a consumer entry with a fixed entry id, its token issued at FROZEN_AT."""
    freezer.move_to(FROZEN_AT)
    entry = MockConfigEntry(
        domain=DOMAIN,
        entry_id=ENTRY_ID,
        title=EMAIL,
        unique_id=str(ACCOUNT_ID),
        pref_disable_polling=True,  # an idle login: the devices are read at set-up only
        data={
            "email": EMAIL,
            "hardware_id": HW,
            "auth_type": "consumer",
            "token": stored_token(emulator.issue_tokens(EMAIL)),
        },
    )
    entry.add_to_hass(hass)
    return entry


@pytest.fixture
def device_entry(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, emulator: RingEmulator
) -> MockConfigEntry:
    """Return a consumer entry as a user has it: its devices polled every minute."""
    freezer.move_to(FROZEN_AT)
    entry = MockConfigEntry(
        domain=DOMAIN,
        entry_id=ENTRY_ID,
        title=EMAIL,
        unique_id=str(ACCOUNT_ID),
        data={
            "email": EMAIL,
            "hardware_id": HW,
            "auth_type": "consumer",
            "token": stored_token(emulator.issue_tokens(EMAIL)),
        },
    )
    entry.add_to_hass(hass)
    return entry


@pytest.fixture
def entity_registry_enabled_by_default() -> Iterator[None]:
    """Create the entities that are disabled by default enabled (as core's tests do)."""
    with patch(
        "homeassistant.helpers.entity.Entity.entity_registry_enabled_default",
        return_value=True,
        new_callable=PropertyMock,
    ):
        yield
