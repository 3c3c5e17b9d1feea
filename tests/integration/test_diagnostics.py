"""Diagnostics: the settings and health of a login, and not one secret or personal detail."""

import json
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.components.diagnostics import (
    get_diagnostics_for_config_entry,
)
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator
from syrupy.assertion import SnapshotAssertion
from syrupy.filters import props

from ring_emulator import Account, Fault, RingEmulator, api as ring_emulator_api
from tests.conftest import EMAIL, PASSWORD

from .conftest import HW
from .helpers import SnapshotExtension, setup_entry, tick

pytestmark = pytest.mark.usefixtures("fast_manager")

PHONE = "+15555550189"


@pytest.fixture
def snapshot(snapshot: SnapshotAssertion) -> SnapshotAssertion:
    """Store the snapshots in snapshots/ (Home Assistant's layout)."""
    return snapshot.use_extension(SnapshotExtension)


async def press(hass: HomeAssistant) -> None:
    """Press "Refresh now"."""
    await hass.services.async_call(
        "button",
        "press",
        {"entity_id": "button.ring_demo_user_refresh_now"},
        blocking=True,
    )


def assert_no_secret(
    diagnostics: dict, entry: MockConfigEntry, *tokens: dict[str, str]
) -> None:
    """Fail when the dump holds a token, the email, the password, the device id or the phone."""
    dump = json.dumps(diagnostics)
    secrets = [EMAIL, PASSWORD, HW, PHONE, PHONE[-10:]]
    for token in (entry.data["token"], *tokens):
        secrets += [token["access_token"], token["refresh_token"]]
    for secret in secrets:
        assert secret not in dump, f"diagnostics reveal {secret[:4]}…"


async def test_diagnostics(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    emulator: RingEmulator,
    fixed_config_entry: MockConfigEntry,
    hass_client: ClientSessionGenerator,  # after the clock was set: its token is valid
    snapshot: SnapshotAssertion,
) -> None:
    """A fresh login: settings, token times and health figures, everything private redacted."""
    await setup_entry(hass, fixed_config_entry)

    diagnostics = await get_diagnostics_for_config_entry(
        hass, hass_client, fixed_config_entry
    )

    # The next background refresh is jittered: checked apart from the snapshot.
    assert diagnostics["health"]["next_refresh_attempt"] is not None
    assert diagnostics == snapshot(exclude=props("next_refresh_attempt"))
    assert_no_secret(diagnostics, fixed_config_entry)


async def test_diagnostics_after_refreshes_and_failures(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    emulator: RingEmulator,
    fixed_config_entry: MockConfigEntry,
    hass_client: ClientSessionGenerator,  # after the clock was set: its token is valid
    snapshot: SnapshotAssertion,
) -> None:
    """After a refresh and two failures: the figures, and still no secret.

    (Minutes only: hass_client's own access token lives 30 minutes.)
    """
    first = dict(fixed_config_entry.data["token"])
    await setup_entry(hass, fixed_config_entry)
    freezer.tick(120)
    await press(hass)  # succeeds
    emulator.inject(Fault.SERVER_ERROR, count=2, where="token")
    freezer.tick(60)
    with pytest.raises(HomeAssistantError):
        await press(hass)
    await tick(hass, freezer, 34)  # the background retry (30 s + jitter) fails too

    diagnostics = await get_diagnostics_for_config_entry(
        hass, hass_client, fixed_config_entry
    )

    assert diagnostics["health"]["refresh_count"] == 1
    assert diagnostics["health"]["consecutive_failures"] == 2
    assert diagnostics == snapshot(
        exclude=props("next_refresh_attempt", "last_failure")
    )
    assert_no_secret(diagnostics, fixed_config_entry, first)


async def test_profile_secrets_redacted(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    emulator: RingEmulator,
    fixed_config_entry: MockConfigEntry,
    hass_client: ClientSessionGenerator,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Ring's real profile carries a legacy authentication token: it is redacted too."""
    legacy = "legacy-authentication-token-value"
    session_body = ring_emulator_api.session_body

    def with_legacy_token(account: Account) -> dict[str, Any]:
        body = session_body(account)
        body["profile"]["authentication_token"] = legacy
        return body

    monkeypatch.setattr(ring_emulator_api, "session_body", with_legacy_token)
    await setup_entry(hass, fixed_config_entry)

    diagnostics = await get_diagnostics_for_config_entry(
        hass, hass_client, fixed_config_entry
    )

    assert diagnostics["profile"]["authentication_token"] == "**REDACTED**"
    assert legacy not in json.dumps(diagnostics)
