"""Repair issues: raised from the login's health, fixable from the repair dialog, cleared on recovery.

A lost login raises no issue: Home Assistant's own reauth prompt says it (its step names the
cause), so the user sees one prompt for one cause.
"""

from datetime import timedelta
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import HomeAssistant
from homeassistant.helpers import issue_registry as ir
from homeassistant.setup import async_setup_component
import pytest
from pytest_homeassistant_custom_component.common import (
    CLIENT_ID,
    MockConfigEntry,
    MockUser,
)
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator

from custom_components.ring_auth.const import (
    DOMAIN,
    FAILURES_BEFORE_REPAIR,
    REFRESH_TOKEN_WARN_AGE,
)
from ring_emulator import Fault, RingEmulator
from tests.conftest import EMAIL, PASSWORD

from .conftest import stored_token
from .helpers import (
    POLICY,
    configure,
    issues,
    reauth_flows,
    refreshes,
    setup_entry,
    submit_code,
    tick,
)

DAY = timedelta(hours=24)


async def fail_in_a_row(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    emulator: RingEmulator,
    n: int,
    status: int = 503,
) -> None:
    """Let the next n background refreshes fail, firing each one when it comes due."""
    for _ in range(n):
        before = refreshes(emulator)
        emulator.inject(Fault.SERVER_ERROR, where="token", status=status)
        for _minute in range(int(1.2 * DAY.total_seconds() / 60)):
            await tick(hass, freezer, 60)
            if refreshes(emulator) > before:
                break
        assert refreshes(emulator) == before + 1


async def fix(
    hass: HomeAssistant,
    client: ClientSessionGenerator,
    user: MockUser,
    issue: ir.IssueEntry,
) -> dict[str, Any]:
    """Open the issue's fix flow as the repair dialog does, and submit it."""
    assert await async_setup_component(hass, "repairs", {})
    # A fresh access token: the test moved the clock past the fixture's token's life.
    refresh = await hass.auth.async_create_refresh_token(user, CLIENT_ID)
    http = await client(hass.auth.async_create_access_token(refresh))
    resp = await http.post(
        "/api/repairs/issues/fix", json={"handler": DOMAIN, "issue_id": issue.issue_id}
    )
    assert resp.status == 200
    shown = await resp.json()
    assert shown["type"] == "form"
    assert shown["step_id"] == "confirm"
    assert shown["description_placeholders"] == issue.translation_placeholders
    resp = await http.post(f"/api/repairs/issues/fix/{shown['flow_id']}", json={})
    assert resp.status == 200
    result: dict[str, Any] = await resp.json()
    return result


async def test_refresh_failing_then_fixed_from_the_dialog(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    emulator: RingEmulator,
    config_entry: MockConfigEntry,
    hass_client: ClientSessionGenerator,
    hass_admin_user: MockUser,
) -> None:
    """Five failed refreshes raise a fixable warning; "renew now" tells a failure, then fixes it."""
    await setup_entry(hass, config_entry)
    await fail_in_a_row(hass, freezer, emulator, FAILURES_BEFORE_REPAIR - 1)
    assert issues(hass) == {}

    await fail_in_a_row(hass, freezer, emulator, 1)
    found = issues(hass)
    assert set(found) == {"refresh_failing"}
    issue = found["refresh_failing"]
    assert issue.issue_id == f"refresh_failing_{config_entry.entry_id}"
    assert issue.severity is ir.IssueSeverity.WARNING
    assert issue.is_fixable
    assert issue.translation_placeholders == {
        "account": EMAIL,
        "failures": str(FAILURES_BEFORE_REPAIR),
    }

    # Ring still fails: the fix flow says so and stays open; the count follows.
    await tick(hass, freezer, POLICY.probe_spacing)
    emulator.inject(Fault.SERVER_ERROR, where="token")
    result = await fix(hass, hass_client, hass_admin_user, issue)
    assert result["type"] == "form"
    assert result["errors"] == {"base": "unavailable"}
    assert issues(hass)["refresh_failing"].translation_placeholders["failures"] == str(
        FAILURES_BEFORE_REPAIR + 1
    )

    # Ring is back: renewing from the dialog works and the issue goes.
    await tick(hass, freezer, POLICY.probe_spacing)
    result = await fix(
        hass, hass_client, hass_admin_user, issues(hass)["refresh_failing"]
    )
    assert result["type"] == "create_entry"
    assert config_entry.runtime_data.manager.health.consecutive_failures == 0
    assert issues(hass) == {}


async def test_refresh_failing_names_a_firewall_block(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    emulator: RingEmulator,
    config_entry: MockConfigEntry,
) -> None:
    """Renewals refused by Ring's edge (406) raise the issue that names the block; no reauth."""
    await setup_entry(hass, config_entry)

    await fail_in_a_row(hass, freezer, emulator, FAILURES_BEFORE_REPAIR, status=406)

    issue = issues(hass)["refresh_failing_blocked"]
    assert issue.issue_id == f"refresh_failing_{config_entry.entry_id}"
    assert not reauth_flows(hass)
    assert config_entry.state is ConfigEntryState.LOADED


async def test_refresh_token_expiring_then_renewed_from_the_dialog(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    emulator: RingEmulator,
    config_entry: MockConfigEntry,
    hass_client: ClientSessionGenerator,
    hass_admin_user: MockUser,
) -> None:
    """25 days without a successful refresh raise an error issue; renewing from it clears it."""
    await setup_entry(hass, config_entry)
    emulator.inject(Fault.SERVER_ERROR, count=10_000, where="token")

    # A long outage: the background refresh keeps failing (fired every few hours).
    elapsed = timedelta()
    while elapsed < REFRESH_TOKEN_WARN_AGE - timedelta(hours=6):
        await tick(hass, freezer, timedelta(hours=6))
        elapsed += timedelta(hours=6)
    assert "refresh_token_expiring" not in issues(hass)

    await tick(hass, freezer, timedelta(hours=6))

    issue = issues(hass)["refresh_token_expiring"]
    assert issue.severity is ir.IssueSeverity.ERROR
    assert issue.is_fixable
    assert issue.translation_placeholders == {"account": EMAIL, "days_left": "5"}
    assert "refresh_failing" in issues(hass)  # it has failed many times by now
    assert config_entry.state is ConfigEntryState.LOADED

    emulator.faults.clear()
    await tick(hass, freezer, POLICY.probe_spacing)
    result = await fix(hass, hass_client, hass_admin_user, issue)

    assert result["type"] == "create_entry"
    assert config_entry.runtime_data.manager.health.refresh_count == 1
    assert issues(hass) == {}


async def test_expiring_issue_seen_by_the_hourly_check(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, emulator: RingEmulator
) -> None:
    """With nothing changing, the hourly check alone raises the expiring issue."""
    now = freezer.time_to_freeze.timestamp()
    received = now - (REFRESH_TOKEN_WARN_AGE - timedelta(minutes=30)).total_seconds()
    entry = MockConfigEntry(
        domain=DOMAIN,
        title=EMAIL,
        unique_id="4242",
        data={
            "email": EMAIL,
            "hardware_id": "5c0ffee0-1234-4abc-8def-00000000abcd",
            "auth_type": "consumer",
            "token": stored_token(emulator.issue_tokens(EMAIL), received),
        },
    )
    entry.add_to_hass(hass)
    # The start-up refresh is told to wait a day: no refresh, no failure after that.
    emulator.inject(Fault.RATE_LIMIT, where="token", retry_after=86_400)
    await setup_entry(hass, entry)
    await tick(hass, freezer, POLICY.startup_delay[1])
    assert refreshes(emulator) == 1
    assert issues(hass) == {}

    await tick(hass, freezer, timedelta(hours=1))

    assert set(issues(hass)) == {"refresh_token_expiring"}
    assert refreshes(emulator) == 1


async def test_lost_login_raises_no_issue_only_the_reauth_prompt(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    emulator: RingEmulator,
    config_entry: MockConfigEntry,
) -> None:
    """A revoked login: no repair issue (even with failures and an old token), one reauth flow."""
    await setup_entry(hass, config_entry)
    await fail_in_a_row(hass, freezer, emulator, FAILURES_BEFORE_REPAIR)
    assert set(issues(hass)) == {"refresh_failing"}
    freezer.tick(REFRESH_TOKEN_WARN_AGE)  # the refresh token is old too
    emulator.revoke(EMAIL)

    await tick(hass, freezer, POLICY.maximum * 1.2)
    await tick(hass, freezer, timedelta(hours=2))  # nothing more is tried

    assert issues(hass) == {}
    flows = reauth_flows(hass)
    assert len(flows) == 1
    assert flows[0]["step_id"] == "reauth_rejected"

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
    before = refreshes(emulator)

    # The new login is kept alive again.
    await tick(hass, freezer, 1.1 * DAY + timedelta(minutes=1))
    assert refreshes(emulator) == before + 1
    assert issues(hass) == {}


async def test_removing_the_entry_removes_its_issues(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    emulator: RingEmulator,
    config_entry: MockConfigEntry,
) -> None:
    """Issues of a removed entry go with it."""
    await setup_entry(hass, config_entry)
    await fail_in_a_row(hass, freezer, emulator, FAILURES_BEFORE_REPAIR)
    assert set(issues(hass)) == {"refresh_failing"}

    await hass.config_entries.async_remove(config_entry.entry_id)
    await hass.async_block_till_done()

    assert issues(hass) == {}
    assert not [
        issue for issue in ir.async_get(hass).issues.values() if issue.domain == DOMAIN
    ]


@pytest.mark.parametrize("status", [503, 406])
async def test_one_failure_raises_no_issue(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    emulator: RingEmulator,
    config_entry: MockConfigEntry,
    status: int,
) -> None:
    """A single failure raises no issue and is retried after its first wait."""
    await setup_entry(hass, config_entry)
    emulator.inject(Fault.SERVER_ERROR, where="token", status=status)
    await tick(hass, freezer, 1.1 * DAY + timedelta(seconds=1))
    assert refreshes(emulator) == 1
    assert issues(hass) == {}
    first = POLICY.blocked_first if status == 406 else POLICY.first
    await tick(hass, freezer, first * (1 + POLICY.jitter) + 1)
    assert refreshes(emulator) == 2
    assert issues(hass) == {}
