"""Signing in when Ring blocks the password grant: the web sign-in, chosen for the user.

The user sees the same two steps (email and password, then the code) whichever way the login
reaches Ring; the method that worked is stored and shown; an option can force one.
"""

import logging
from typing import Any

from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.helpers import entity_registry as er
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.ring_auth.const import DOMAIN
from ring_emulator import Fault, RingEmulator
from tests.conftest import ACCOUNT_ID, EMAIL, PASSWORD

from .helpers import (
    configure,
    log_in,
    reauth_flows,
    refreshes,
    start_user_flow,
    submit_code,
)

SIGNIN_SENSOR = "sensor.ring_demo_user_sign_in_method"


async def credentials(hass: HomeAssistant) -> dict[str, Any]:
    """Open the user step and submit the email and password."""
    result = await start_user_flow(hass)
    return await configure(hass, result, {"email": EMAIL, "password": PASSWORD})


def web_steps(emulator: RingEmulator) -> dict[str, int]:
    """Return the emulator's counts of the web sign-in's steps."""
    return dict(emulator.counters.web_signin)


@pytest.mark.parametrize("refusal", ["block_password_grant", "retire_password_grant"])
async def test_blocked_password_grant_signs_in_through_the_web(
    hass: HomeAssistant, emulator: RingEmulator, refusal: str
) -> None:
    """Ring refuses the password grant: the same two steps work through the web sign-in."""
    setattr(emulator.settings, refusal, True)

    result = await credentials(hass)
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "2fa_sms"  # the user sees nothing different
    assert result["errors"] == {}
    result = await submit_code(hass, emulator, result)

    assert result["type"] is FlowResultType.CREATE_ENTRY
    entry = result["result"]
    assert entry.unique_id == str(ACCOUNT_ID)
    assert entry.data["signin_method"] == "web"
    assert entry.state is ConfigEntryState.LOADED
    assert web_steps(emulator)["exchange"] == 1
    assert hass.states.get(SIGNIN_SENSOR).state == "web"
    # Refreshes are the same for both ways in.
    await entry.runtime_data.manager.async_force_refresh()
    assert refreshes(emulator) == 1


async def test_both_ways_blocked_says_so(
    hass: HomeAssistant, emulator: RingEmulator
) -> None:
    """Both ways refused by Ring's edge: a message that names the block; retry works later."""
    emulator.settings.block_password_grant = True
    emulator.settings.block_web_signin = True

    result = await credentials(hass)

    assert result["step_id"] == "user"
    assert result["errors"] == {"base": "blocked"}
    emulator.settings.block_web_signin = False
    result = await configure(hass, result, {"email": EMAIL, "password": PASSWORD})
    assert result["step_id"] == "2fa_sms"
    result = await submit_code(hass, emulator, result)
    assert result["type"] is FlowResultType.CREATE_ENTRY


async def test_block_at_the_code_step_sends_a_new_code_through_the_web(
    hass: HomeAssistant, emulator: RingEmulator
) -> None:
    """Blocked after the code was sent: the web sign-in sends a new code; the user is told."""
    result = await credentials(hass)
    assert result["step_id"] == "2fa_sms"
    emulator.settings.block_password_grant = True

    result = await submit_code(hass, emulator, result)

    assert result["step_id"] == "2fa_sms"
    assert result["errors"] == {"base": "switched_to_web"}
    result = await submit_code(hass, emulator, result)
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["result"].data["signin_method"] == "web"


async def test_web_sign_in_wrong_code_then_a_new_one(
    hass: HomeAssistant, emulator: RingEmulator
) -> None:
    """Through the web sign-in a wrong code stays on the step; an empty one asks for another."""
    emulator.settings.block_password_grant = True
    emulator.settings.resend_interval = 0
    result = await credentials(hass)
    sent = emulator.counters.codes_sent[EMAIL]

    wrong = "111111" if emulator.last_code(EMAIL) != "111111" else "222222"
    result = await configure(hass, result, {"code": wrong})
    assert result["step_id"] == "2fa_sms"
    assert result["errors"] == {"base": "invalid_code"}
    result = await configure(hass, result, {"code": ""})
    assert result["step_id"] == "2fa_sms"
    assert emulator.counters.codes_sent[EMAIL] == sent + 1

    result = await submit_code(hass, emulator, result)
    assert result["type"] is FlowResultType.CREATE_ENTRY


async def test_first_token_of_a_web_sign_in_refused_is_renewed_once(
    hass: HomeAssistant, emulator: RingEmulator
) -> None:
    """Ring refusing a web sign-in's first access token: renewed once, the account is read."""
    emulator.settings.block_password_grant = True
    result = await credentials(hass)
    emulator.inject(Fault.SERVER_ERROR, where="api", status=401)

    result = await submit_code(hass, emulator, result)

    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert refreshes(emulator) == 1
    assert result["result"].data["token"]["refresh_token"] != ""


async def test_no_secret_of_the_web_sign_in_in_the_log(
    hass: HomeAssistant, emulator: RingEmulator, caplog: pytest.LogCaptureFixture
) -> None:
    """The password, the code and the tokens never reach the debug log."""
    caplog.set_level(logging.DEBUG)
    emulator.settings.block_password_grant = True
    result = await credentials(hass)
    code = emulator.last_code(EMAIL)
    result = await submit_code(hass, emulator, result)
    token = result["result"].data["token"]

    # The test harness's mock Store logs what it saves; the real Store does not.
    log = "\n".join(
        caplog.handler.format(r)
        for r in caplog.records
        if r.name != "pytest_homeassistant_custom_component.common"
    )
    for secret in (PASSWORD, code, token["access_token"], token["refresh_token"]):
        assert secret
        assert secret not in log


# -- reauth and reconfigure through the web; the option that forces a method ----------------


async def logged_in(hass: HomeAssistant, emulator: RingEmulator) -> MockConfigEntry:
    """Add the account through the flow and return its entry."""
    result = await log_in(hass, emulator)
    assert result["type"] is FlowResultType.CREATE_ENTRY
    entry: MockConfigEntry = result["result"]
    return entry


async def test_reauth_through_the_web(
    hass: HomeAssistant, emulator: RingEmulator
) -> None:
    """The login is lost while the password grant is blocked: reauth signs in on the web."""
    entry = await logged_in(hass, emulator)
    emulator.revoke(EMAIL)
    emulator.settings.block_password_grant = True
    with pytest.raises(Exception):  # noqa: B017 - any error: the login is lost
        await entry.runtime_data.manager.async_force_refresh()
    await hass.async_block_till_done()
    [flow] = reauth_flows(hass)

    result = await configure(hass, flow, {"password": PASSWORD})
    assert result["step_id"] == "2fa_sms"
    result = await submit_code(hass, emulator, result)

    assert result["reason"] == "reauth_successful"
    await hass.async_block_till_done()
    assert entry.data["signin_method"] == "web"
    assert entry.state is ConfigEntryState.LOADED


async def test_reconfigure_through_the_web(
    hass: HomeAssistant, emulator: RingEmulator
) -> None:
    """Reconfigure with the password grant retired: the new login comes through the web."""
    entry = await logged_in(hass, emulator)
    emulator.settings.retire_password_grant = True

    result = await MockConfigEntry.start_reconfigure_flow(entry, hass)
    result = await configure(hass, result, {"email": EMAIL, "password": PASSWORD})
    result = await submit_code(hass, emulator, result)

    assert result["reason"] == "reconfigure_successful"
    assert entry.data["signin_method"] == "web"


@pytest.mark.parametrize(
    ("forced", "blocked", "outcome"),
    [
        ("password", True, "blocked"),  # forced: no fallback, the block is told
        ("web", False, "web"),  # forced: the web even though the grant works
    ],
)
async def test_option_forces_a_method(
    hass: HomeAssistant,
    emulator: RingEmulator,
    forced: str,
    blocked: bool,
    outcome: str,
) -> None:
    """The advanced option forces how a new login reaches Ring."""
    entry = await logged_in(hass, emulator)
    result = await hass.config_entries.options.async_init(entry.entry_id)
    result = await hass.config_entries.options.async_configure(
        result["flow_id"],
        {
            "refresh_interval_hours": 24,
            "refresh_margin_minutes": 5,
            "advanced": {"signin_method": forced},
        },
    )
    assert entry.options["signin_method"] == forced
    await hass.async_block_till_done()
    emulator.settings.block_password_grant = blocked
    password_grants = emulator.counters.token_calls["password"]

    result = await MockConfigEntry.start_reconfigure_flow(entry, hass)
    result = await configure(hass, result, {"email": EMAIL, "password": PASSWORD})

    if outcome == "blocked":
        assert result["errors"] == {"base": "blocked"}
        assert "exchange" not in {k for k, v in web_steps(emulator).items() if v}
        return
    result = await submit_code(hass, emulator, result)
    assert result["reason"] == "reconfigure_successful"
    assert entry.data["signin_method"] == "web"
    assert emulator.counters.token_calls["password"] == password_grants


async def test_option_folded_and_auto_by_default(
    hass: HomeAssistant, emulator: RingEmulator
) -> None:
    """The sign-in method sits in a folded "Advanced" section; auto is not stored."""
    entry = await logged_in(hass, emulator)
    result = await hass.config_entries.options.async_init(entry.entry_id)
    fields = {key.schema for key in result["data_schema"].schema}
    assert fields == {
        "refresh_interval_hours",
        "refresh_margin_minutes",
        "poll_interval_seconds",
        "advanced",
    }
    result = await hass.config_entries.options.async_configure(
        result["flow_id"],
        {
            "refresh_interval_hours": 24,
            "refresh_margin_minutes": 5,
            "poll_interval_seconds": 60,
            "advanced": {"signin_method": "auto"},
        },
    )
    assert "signin_method" not in entry.options


# -- issue #10: the account id, Ring's 200 or 201, old entries ------------------------------


@pytest.mark.parametrize("status", [200, 201])
async def test_session_answered_200_or_201_loads(
    hass: HomeAssistant, emulator: RingEmulator, status: int
) -> None:
    """Whether Ring answers POST session 200 or 201, the entry is keyed and loads."""
    emulator.settings.session_status = status

    entry = await logged_in(hass, emulator)

    assert entry.unique_id == str(ACCOUNT_ID)
    assert entry.state is ConfigEntryState.LOADED


async def test_entry_keyed_by_email_moves_to_the_account_id(
    hass: HomeAssistant,
    emulator: RingEmulator,
    entity_registry: er.EntityRegistry,
) -> None:
    """An entry made before 0.2 (keyed by email) is re-keyed at set-up; reauth works again."""
    entry = await logged_in(hass, emulator)
    entities = er.async_entries_for_config_entry(entity_registry, entry.entry_id)
    before = {e.entity_id for e in entities}
    await hass.config_entries.async_unload(entry.entry_id)
    # What an old version stored: the email as unique id, and so in the entities' ids.
    hass.config_entries.async_update_entry(entry, unique_id=EMAIL)
    for entity in entities:
        entity_registry.async_update_entity(
            entity.entity_id,
            new_unique_id=EMAIL + entity.unique_id.removeprefix(str(ACCOUNT_ID)),
        )

    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()

    assert entry.unique_id == str(ACCOUNT_ID)
    moved = er.async_entries_for_config_entry(entity_registry, entry.entry_id)
    assert {e.entity_id for e in moved} == before  # the same entities, not new ones
    assert all(e.unique_id.startswith(f"{ACCOUNT_ID}_") for e in moved)
    # The same account cannot be added twice any more.
    result = await start_user_flow(hass)
    result = await configure(hass, result, {"email": "x" + EMAIL, "password": PASSWORD})
    assert result["type"] is FlowResultType.FORM  # another email goes on to Ring
    hass.config_entries.flow.async_abort(result["flow_id"])
    # And reauth finds the account instead of aborting with wrong_account.
    result = await MockConfigEntry.start_reauth_flow(entry, hass)
    result = await configure(hass, result, {"password": PASSWORD})
    result = await submit_code(hass, emulator, result)
    assert result["reason"] == "reauth_successful"


async def test_unauthorized_at_setup_is_not_called_a_connection_problem(
    hass: HomeAssistant, emulator: RingEmulator
) -> None:
    """Ring refusing the access token at set-up is told as such, and set-up retries."""
    entry = await logged_in(hass, emulator)
    await hass.config_entries.async_unload(entry.entry_id)
    emulator.settings.access_token_lifetime = (
        0  # every token Ring issues is dead at once
    )
    emulator.clock.advance(4000)  # ...and the stored one ran out at Ring

    await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()

    assert entry.state is ConfigEntryState.SETUP_RETRY
    assert entry.reason is not None
    assert "refused the access token" in entry.reason
    assert "reach" not in entry.reason
    assert not reauth_flows(hass)
    assert DOMAIN
