"""Repair issues: raised from the login's health, driven by time and emulator faults, cleared on recovery."""

from datetime import timedelta

from freezegun.api import FrozenDateTimeFactory
from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import HomeAssistant
from homeassistant.helpers import issue_registry as ir
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.ring_auth.const import (
    DOMAIN,
    FAILURES_BEFORE_REPAIR,
    REFRESH_TOKEN_WARN_AGE,
)
from custom_components.ring_auth.token_manager import BACKOFF_FIRST, BACKOFF_MAX
from ring_emulator import Fault, RingEmulator
from tests.conftest import EMAIL, PASSWORD

from .helpers import (
    configure,
    issues,
    reauth_flows,
    refreshes,
    setup_entry,
    submit_code,
    tick,
)

pytestmark = pytest.mark.usefixtures("fast_manager")

DAY = timedelta(hours=24)


async def fail_in_a_row(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, emulator: RingEmulator, n: int
) -> None:
    """Let the next n background refreshes fail, firing each one when it comes due."""
    for _ in range(n):
        before = refreshes(emulator)
        emulator.inject(Fault.SERVER_ERROR, where="token")
        await tick(hass, freezer, BACKOFF_MAX * 1.2)
        assert refreshes(emulator) == before + 1


async def test_refresh_failing(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    emulator: RingEmulator,
    config_entry: MockConfigEntry,
) -> None:
    """Five failed refreshes in a row raise a warning; the next success clears it."""
    await setup_entry(hass, config_entry)
    await tick(hass, freezer, DAY - timedelta(seconds=BACKOFF_MAX))
    assert refreshes(emulator) == 0
    assert issues(hass) == {}

    await fail_in_a_row(hass, freezer, emulator, FAILURES_BEFORE_REPAIR - 1)
    assert issues(hass) == {}

    await fail_in_a_row(hass, freezer, emulator, 1)
    found = issues(hass)
    assert set(found) == {"refresh_failing"}
    issue = found["refresh_failing"]
    assert issue.issue_id == f"refresh_failing_{config_entry.entry_id}"
    assert issue.severity is ir.IssueSeverity.WARNING
    assert not issue.is_fixable
    assert issue.translation_placeholders == {
        "account": EMAIL,
        "failures": str(FAILURES_BEFORE_REPAIR),
        "kind": "server_error",
    }

    await fail_in_a_row(hass, freezer, emulator, 1)  # the count in the issue follows
    assert issues(hass)["refresh_failing"].translation_placeholders["failures"] == str(
        FAILURES_BEFORE_REPAIR + 1
    )

    await tick(hass, freezer, BACKOFF_MAX * 1.2)  # Ring is back

    assert config_entry.runtime_data.manager.health.consecutive_failures == 0
    assert issues(hass) == {}


async def test_refresh_token_expiring(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    emulator: RingEmulator,
    config_entry: MockConfigEntry,
) -> None:
    """25 days without a successful refresh raise an error issue; a refresh clears it."""
    await setup_entry(hass, config_entry)
    emulator.inject(Fault.SERVER_ERROR, count=10_000, where="token")

    # A long outage: the background refresh keeps failing (fired every few hours).
    elapsed = timedelta()
    while elapsed < REFRESH_TOKEN_WARN_AGE - timedelta(hours=6):
        await tick(hass, freezer, timedelta(hours=6))
        elapsed += timedelta(hours=6)
    assert "refresh_token_expiring" not in issues(hass)
    assert config_entry.runtime_data.manager.health.refresh_count == 0

    await tick(hass, freezer, timedelta(hours=6))

    issue = issues(hass)["refresh_token_expiring"]
    assert issue.severity is ir.IssueSeverity.ERROR
    assert issue.translation_placeholders == {"account": EMAIL, "days_left": "5"}
    assert "refresh_failing" in issues(hass)  # it has failed many times by now
    assert config_entry.state is ConfigEntryState.LOADED

    emulator.faults.clear()
    await tick(hass, freezer, BACKOFF_MAX * 1.2)

    assert config_entry.runtime_data.manager.health.refresh_count == 1
    assert issues(hass) == {}


async def test_expiring_issue_seen_by_the_hourly_check(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    emulator: RingEmulator,
    config_entry: MockConfigEntry,
) -> None:
    """With no refresh attempt at all, the hourly check alone raises the expiring issue."""
    await setup_entry(hass, config_entry)
    manager = config_entry.runtime_data.manager
    manager._cancel_timer()  # no background refresh: only the age grows

    freezer.tick(REFRESH_TOKEN_WARN_AGE)
    assert issues(hass) == {}
    await tick(hass, freezer, timedelta(hours=1))

    assert set(issues(hass)) == {"refresh_token_expiring"}
    assert refreshes(emulator) == 0


async def test_lost_login_issue_and_reauth(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    emulator: RingEmulator,
    config_entry: MockConfigEntry,
) -> None:
    """A revoked login: one issue, one reauth flow; a successful reauth clears both."""
    await setup_entry(hass, config_entry)
    emulator.revoke(EMAIL)

    await tick(hass, freezer, DAY + timedelta(seconds=1))
    await tick(hass, freezer, timedelta(hours=2))  # nothing more is tried

    assert refreshes(emulator) == 1
    found = issues(hass)
    assert set(found) == {"login_lost_rejected"}
    issue = found["login_lost_rejected"]
    assert issue.issue_id == f"login_lost_{config_entry.entry_id}"
    assert issue.severity is ir.IssueSeverity.ERROR
    assert issue.translation_placeholders == {"account": EMAIL}
    flows = reauth_flows(hass)
    assert len(flows) == 1

    result = await configure(hass, flows[0], {"password": PASSWORD})
    assert result["step_id"] == "2fa_sms"
    result = await submit_code(hass, emulator, result)
    assert result["reason"] == "reauth_successful"
    await hass.async_block_till_done(wait_background_tasks=True)

    assert config_entry.state is ConfigEntryState.LOADED
    assert issues(hass) == {}
    assert reauth_flows(hass) == []
    health = config_entry.runtime_data.manager.health
    assert not health.login_lost
    assert health.consecutive_failures == 0

    # The new login is kept alive again.
    await tick(hass, freezer, DAY + timedelta(minutes=1))
    assert refreshes(emulator) == 2
    assert issues(hass) == {}


async def test_removing_the_entry_removes_its_issues(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    emulator: RingEmulator,
    config_entry: MockConfigEntry,
) -> None:
    """Issues of a removed entry go with it."""
    await setup_entry(hass, config_entry)
    emulator.revoke(EMAIL)
    await tick(hass, freezer, DAY + timedelta(seconds=1))
    assert set(issues(hass)) == {"login_lost_rejected"}

    await hass.config_entries.async_remove(config_entry.entry_id)
    await hass.async_block_till_done()

    assert issues(hass) == {}
    assert not [
        issue for issue in ir.async_get(hass).issues.values() if issue.domain == DOMAIN
    ]


async def test_first_retry_is_quick(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    emulator: RingEmulator,
    config_entry: MockConfigEntry,
) -> None:
    """A single failure raises no issue and is retried after about 30 s."""
    await setup_entry(hass, config_entry)
    emulator.inject(Fault.SERVER_ERROR, where="token")
    await tick(hass, freezer, DAY + timedelta(seconds=1))
    assert issues(hass) == {}
    await tick(hass, freezer, BACKOFF_FIRST + 1)
    assert refreshes(emulator) == 2
    assert issues(hass) == {}
