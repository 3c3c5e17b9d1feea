"""The config flow against the emulator: log in with 2FA, every error, reauth, reconfigure, options.

Each error is followed by a successful retry in the same flow: the user never has to start over.
"""

from typing import Any
from uuid import UUID

from freezegun.api import FrozenDateTimeFactory
from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.ring_auth.const import (
    CONF_POLL_INTERVAL,
    CONF_REFRESH_INTERVAL,
    CONF_REFRESH_MARGIN,
    DOMAIN,
)
from ring_emulator import Account, EmulatorSettings, Fault, RingEmulator
from tests.conftest import ACCOUNT_ID, EMAIL, PASSWORD

from .helpers import configure, log_in, start_user_flow, submit_code

MAIL_EMAIL = "mail@example.com"
TOTP_EMAIL = "totp@example.com"
TOTP_CODE = "246810"
OTHER_EMAIL = "other@example.com"
OTHER_ID = 777

pytestmark = pytest.mark.usefixtures("fast_manager")


@pytest.fixture
def emulator_settings(emulator_settings: EmulatorSettings) -> EmulatorSettings:
    """Add an email-2FA account, an authenticator-app account and a second SMS account."""
    emulator_settings.accounts += [
        Account(
            email=MAIL_EMAIL, password=PASSWORD, tsv_state="email", account_id=5001
        ),
        Account(
            email=TOTP_EMAIL,
            password=PASSWORD,
            tsv_state="totp",
            code=TOTP_CODE,
            phone=None,
            account_id=5002,
        ),
        Account(email=OTHER_EMAIL, password=PASSWORD, account_id=OTHER_ID),
    ]
    return emulator_settings


async def credentials(hass: HomeAssistant, email: str = EMAIL) -> dict[str, Any]:
    """Open the user step and submit good credentials; return the code form."""
    result = await start_user_flow(hass)
    result = await configure(hass, result, {"email": email, "password": PASSWORD})
    assert result["type"] is FlowResultType.FORM
    return result


def wrong_code(emulator: RingEmulator, email: str = EMAIL) -> str:
    """Return a well-formed code that is not the one the emulator sent."""
    return "111111" if emulator.last_code(email) != "111111" else "222222"


def assert_created(
    hass: HomeAssistant, result: dict[str, Any], email: str = EMAIL
) -> MockConfigEntry:
    """Check the created entry: data, no password, loaded; return it."""
    assert result["type"] is FlowResultType.CREATE_ENTRY
    entry = result["result"]
    assert entry.title == email
    assert set(entry.data) == {
        "email",
        "hardware_id",
        "auth_type",
        "signin_method",
        "token",
    }
    assert entry.data["signin_method"] == "password"
    assert entry.data["email"] == email
    assert entry.data["auth_type"] == "consumer"
    assert UUID(entry.data["hardware_id"])
    assert {"access_token", "refresh_token", "expires_at"} <= set(entry.data["token"])
    assert PASSWORD not in repr(entry.as_dict())
    assert entry.state is ConfigEntryState.LOADED
    return entry


# -- log in --------------------------------------------------------------------------------


async def test_user_sms_happy_path(hass: HomeAssistant, emulator: RingEmulator) -> None:
    """The user logs in with a code sent by SMS; only a token is stored, never the password."""
    result = await start_user_flow(hass)
    assert result["errors"] == {}
    result = await configure(hass, result, {"email": EMAIL, "password": PASSWORD})
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "2fa_sms"
    assert result["errors"] == {}
    assert result["description_placeholders"]["phone"] == "+1xxxxxxxx89"
    assert emulator.counters.codes_sent == {EMAIL: 1}

    result = await submit_code(hass, emulator, result)

    entry = assert_created(hass, result)
    assert entry.unique_id == str(ACCOUNT_ID)
    assert emulator.counters.authorized_devices[EMAIL] == [entry.data["hardware_id"]]
    assert emulator.counters.token_calls["password"] == 2


@pytest.mark.parametrize(
    ("email", "step_id", "code", "placeholders"),
    [
        (
            MAIL_EMAIL,
            "2fa_email",
            None,
            {"email": MAIL_EMAIL, "phone": "mxxx@example.com"},
        ),
        (TOTP_EMAIL, "2fa_totp", TOTP_CODE, {"email": TOTP_EMAIL, "phone": ""}),
    ],
)
async def test_other_code_methods(
    hass: HomeAssistant,
    emulator: RingEmulator,
    email: str,
    step_id: str,
    code: str | None,
    placeholders: dict[str, str],
) -> None:
    """A code sent by email or read from an authenticator app has its own step."""
    result = await credentials(hass, email)
    assert result["step_id"] == step_id
    assert (
        result["description_placeholders"] | placeholders
        == result["description_placeholders"]
    )
    assert result["errors"] == {}

    result = await configure(hass, result, {"code": wrong_code(emulator, email)})
    assert result["step_id"] == step_id
    assert result["errors"] == {"base": "invalid_code"}

    result = await configure(hass, result, {"code": code or emulator.last_code(email)})

    entry = assert_created(hass, result, email)
    assert entry.unique_id == str(emulator.settings.find_account(email).account_id)


@pytest.mark.parametrize(
    ("user_input", "errors"),
    [
        ({"email": "not-an-email", "password": PASSWORD}, {"email": "invalid_email"}),
        (
            {"email": "a b@example.com", "password": PASSWORD},
            {"email": "invalid_email"},
        ),
        ({"email": EMAIL, "password": ""}, {"password": "empty_password"}),
    ],
)
async def test_form_checks_before_asking_ring(
    hass: HomeAssistant,
    emulator: RingEmulator,
    user_input: dict[str, str],
    errors: dict[str, str],
) -> None:
    """A malformed email or an empty password is caught on the form; Ring is not asked."""
    result = await start_user_flow(hass)
    result = await configure(hass, result, user_input)

    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "user"
    assert result["errors"] == errors
    assert emulator.counters.token_calls["password"] == 0

    result = await configure(
        hass, result, {"email": f" {EMAIL} ", "password": PASSWORD}
    )
    assert result["step_id"] == "2fa_sms"
    assert_created(hass, await submit_code(hass, emulator, result))


async def test_wrong_password_then_success(
    hass: HomeAssistant, emulator: RingEmulator
) -> None:
    """A wrong password says invalid_auth on the credentials form; the right one goes on."""
    result = await start_user_flow(hass)
    result = await configure(hass, result, {"email": EMAIL, "password": "wrong"})

    assert result["step_id"] == "user"
    assert result["errors"] == {"base": "invalid_auth"}
    assert emulator.counters.codes_sent == {}

    result = await configure(hass, result, {"email": EMAIL, "password": PASSWORD})
    assert result["step_id"] == "2fa_sms"
    assert_created(hass, await submit_code(hass, emulator, result))


async def test_wrong_code_stays_on_the_code_step(
    hass: HomeAssistant, emulator: RingEmulator
) -> None:
    """A wrong code keeps the user on the code step (not back to the password form)."""
    result = await credentials(hass)
    good = emulator.last_code(EMAIL)

    result = await configure(hass, result, {"code": wrong_code(emulator)})
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "2fa_sms"
    assert result["errors"] == {"base": "invalid_code"}

    result = await configure(hass, result, {"code": f" {good[:3]} {good[3:]} "})
    assert_created(hass, result)


@pytest.mark.parametrize("code", ["12ab56", "12", "123456789", "１２３４５６"])
async def test_code_format(
    hass: HomeAssistant, emulator: RingEmulator, code: str
) -> None:
    """A code that is not 4 to 8 ASCII digits is caught on the form; Ring is not asked."""
    result = await credentials(hass)
    calls = emulator.counters.token_calls["password"]

    result = await configure(hass, result, {"code": code})
    assert result["step_id"] == "2fa_sms"
    assert result["errors"] == {"code": "invalid_code_format"}
    assert emulator.counters.token_calls["password"] == calls

    assert_created(hass, await submit_code(hass, emulator, result))


async def test_empty_code_resends_after_the_wait(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, emulator: RingEmulator
) -> None:
    """An empty code asks for a new one: too soon it says how long to wait, then it is sent."""
    result = await credentials(hass)
    first = emulator.last_code(EMAIL)
    calls = emulator.counters.token_calls["password"]

    freezer.tick(20)
    result = await configure(hass, result, {})
    assert result["step_id"] == "2fa_sms"
    assert result["errors"] == {"base": "resend_too_soon"}
    assert result["description_placeholders"]["seconds"] == "40"
    assert emulator.counters.token_calls["password"] == calls
    assert emulator.counters.codes_sent == {EMAIL: 1}

    freezer.tick(41)
    result = await configure(hass, result, {"code": "  "})
    assert result["step_id"] == "2fa_sms"
    assert result["errors"] == {}
    assert emulator.counters.codes_sent == {EMAIL: 2}

    # The new code replaced the first one.
    second = emulator.last_code(EMAIL)
    if second != first:
        result = await configure(hass, result, {"code": first})
        assert result["errors"] == {"base": "invalid_code"}
    assert_created(hass, await configure(hass, result, {"code": second}))


async def test_too_many_codes(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, emulator: RingEmulator
) -> None:
    """Past Ring's code limit the user is told how long Ring wants them to wait."""
    emulator.settings.code_limit = 2
    result = await credentials(hass)  # first code request
    freezer.tick(61)
    result = await configure(hass, result, {})  # second: a new code
    assert result["errors"] == {}
    code = emulator.last_code(EMAIL)
    freezer.tick(61)

    result = await configure(hass, result, {})  # third: over the limit

    assert result["step_id"] == "2fa_sms"
    assert result["errors"] == {"base": "too_many_codes"}
    assert result["description_placeholders"]["seconds"] == str(600 - 122)
    assert emulator.counters.codes_sent == {EMAIL: 2}
    # The last code sent still works.
    assert_created(hass, await configure(hass, result, {"code": code}))


async def test_rate_limited_is_never_invalid_auth(
    hass: HomeAssistant, emulator: RingEmulator
) -> None:
    """A 429 says how long to wait, on whichever step it happened; never "wrong password"."""
    result = await start_user_flow(hass)
    emulator.inject(Fault.RATE_LIMIT, where="token", retry_after=42)
    result = await configure(hass, result, {"email": EMAIL, "password": PASSWORD})
    assert result["step_id"] == "user"
    assert result["errors"] == {"base": "rate_limited"}
    assert result["description_placeholders"]["seconds"] == "42"

    result = await configure(hass, result, {"email": EMAIL, "password": PASSWORD})
    assert result["step_id"] == "2fa_sms"

    emulator.inject(Fault.RATE_LIMIT, where="token", retry_after=7)
    result = await submit_code(hass, emulator, result)
    assert result["step_id"] == "2fa_sms"
    assert result["errors"] == {"base": "rate_limited"}
    assert result["description_placeholders"]["seconds"] == "7"

    assert_created(hass, await submit_code(hass, emulator, result))


@pytest.mark.parametrize(
    "fault",
    [
        Fault.SERVER_ERROR,
        Fault.RESET,
        Fault.HTML,
        Fault.TRUNCATED_JSON,
        Fault.NO_TOKEN,
    ],
)
async def test_outage_is_cannot_connect(
    hass: HomeAssistant, emulator: RingEmulator, fault: Fault
) -> None:
    """An outage or an unreadable answer says cannot_connect on either step, then works."""
    result = await start_user_flow(hass)
    emulator.inject(fault, where="token")
    result = await configure(hass, result, {"email": EMAIL, "password": PASSWORD})
    assert result["step_id"] == "user"
    assert result["errors"] == {"base": "cannot_connect"}

    result = await configure(hass, result, {"email": EMAIL, "password": PASSWORD})
    assert result["step_id"] == "2fa_sms"
    emulator.inject(fault, where="token")
    result = await submit_code(hass, emulator, result)
    assert result["step_id"] == "2fa_sms"
    assert result["errors"] == {"base": "cannot_connect"}

    assert_created(hass, await submit_code(hass, emulator, result))


async def test_unexpected_answer_is_unknown(
    hass: HomeAssistant, emulator: RingEmulator, caplog: pytest.LogCaptureFixture
) -> None:
    """An answer that fits no known case says unknown (and is logged), then works."""
    result = await start_user_flow(hass)
    emulator.inject(Fault.SERVER_ERROR, where="token", status=409)
    result = await configure(hass, result, {"email": EMAIL, "password": PASSWORD})

    assert result["step_id"] == "user"
    assert result["errors"] == {"base": "unknown"}
    assert "Unexpected answer from Ring during login" in caplog.text

    result = await configure(hass, result, {"email": EMAIL, "password": PASSWORD})
    assert_created(hass, await submit_code(hass, emulator, result))
    assert PASSWORD not in caplog.text


async def test_profile_failure_is_an_error_then_retried(
    hass: HomeAssistant, emulator: RingEmulator
) -> None:
    """Ring does not return the profile: an error on a retry step, nothing created; retry works."""
    result = await credentials(hass, "User@Example.com")
    emulator.inject(Fault.SERVER_ERROR, where="api")

    result = await submit_code(hass, emulator, result)

    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "profile"
    assert result["errors"] == {"base": "cannot_connect"}
    assert not hass.config_entries.async_entries(DOMAIN)

    result = await configure(hass, result, {})

    entry = assert_created(hass, result, "User@Example.com")
    assert entry.unique_id == str(ACCOUNT_ID)
    assert emulator.counters.token_calls["password"] == 2


async def test_profile_blocked_says_so(
    hass: HomeAssistant, emulator: RingEmulator
) -> None:
    """Ring's edge refusing the profile call (406) is told as a block, not as no connection."""
    result = await credentials(hass)
    emulator.inject(Fault.SERVER_ERROR, where="api", status=406)

    result = await submit_code(hass, emulator, result)

    assert result["step_id"] == "profile"
    assert result["errors"] == {"base": "blocked"}
    assert_created(hass, await configure(hass, result, {}))


async def test_profile_refused_token_is_an_error(
    hass: HomeAssistant, emulator: RingEmulator
) -> None:
    """A brand-new token the API refuses (401) is not refreshed by the flow; no email fallback."""
    result = await credentials(hass)
    emulator.settings.access_token_lifetime = 0  # every issued access token is dead
    unauthorized = emulator.counters.unauthorized

    result = await submit_code(hass, emulator, result)

    assert result["step_id"] == "profile"
    assert result["errors"] == {"base": "token_refused"}
    assert emulator.counters.unauthorized - unauthorized >= 2
    assert not hass.config_entries.async_entries(DOMAIN)


async def test_already_configured(hass: HomeAssistant, emulator: RingEmulator) -> None:
    """The same Ring account cannot be added twice (checked by account id after login)."""
    MockConfigEntry(domain=DOMAIN, unique_id=str(ACCOUNT_ID), data={}).add_to_hass(hass)

    result = await log_in(hass, emulator)

    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "already_configured"
    assert len(hass.config_entries.async_entries(DOMAIN)) == 1


async def test_code_step_shown_again_keeps_the_challenge(
    hass: HomeAssistant, emulator: RingEmulator
) -> None:
    """Showing the code step again (a page reload: the flow without input) keeps it."""
    result = await credentials(hass)

    again = await hass.config_entries.flow.async_configure(result["flow_id"])

    assert again["step_id"] == "2fa_sms"
    assert again["description_placeholders"]["phone"] == "+1xxxxxxxx89"
    assert emulator.counters.codes_sent == {EMAIL: 1}
    assert_created(hass, await submit_code(hass, emulator, again))


async def test_configured_email_is_refused_before_a_code(
    hass: HomeAssistant, emulator: RingEmulator
) -> None:
    """An email already set up is refused at once: Ring sends no code, opens no session."""
    MockConfigEntry(
        domain=DOMAIN, unique_id=str(ACCOUNT_ID), data={"email": EMAIL}
    ).add_to_hass(hass)
    result = await start_user_flow(hass)

    result = await configure(
        hass, result, {"email": EMAIL.upper(), "password": PASSWORD}
    )

    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "already_configured"
    assert emulator.counters.token_calls["password"] == 0
    assert emulator.counters.codes_sent == {}


# -- reauth --------------------------------------------------------------------------------


async def logged_in_entry(
    hass: HomeAssistant, emulator: RingEmulator
) -> MockConfigEntry:
    """Add the account through the flow (so the emulator saw the device) and return it.

    The entry is a plain ConfigEntry: its reauth and reconfigure flows are started with
    MockConfigEntry's helpers, called unbound.
    """
    return assert_created(hass, await log_in(hass, emulator))


async def test_reauth(hass: HomeAssistant, emulator: RingEmulator) -> None:
    """Logging in again keeps the device id, replaces the token and reloads the entry."""
    entry = await logged_in_entry(hass, emulator)
    hardware_id = entry.data["hardware_id"]
    old_token = dict(entry.data["token"])

    result = await MockConfigEntry.start_reauth_flow(entry, hass)
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "reauth_confirm"
    assert result["description_placeholders"]["email"] == EMAIL
    assert list(result["data_schema"].schema) == ["password"]

    result = await configure(hass, result, {"password": "wrong"})
    assert result["step_id"] == "reauth_confirm"
    assert result["errors"] == {"base": "invalid_auth"}

    result = await configure(hass, result, {"password": PASSWORD})
    assert result["step_id"] == "2fa_sms"
    result = await configure(hass, result, {"code": wrong_code(emulator)})
    assert result["errors"] == {"base": "invalid_code"}
    result = await submit_code(hass, emulator, result)

    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reauth_successful"
    await hass.async_block_till_done()
    assert entry.data["hardware_id"] == hardware_id
    assert entry.data["token"]["refresh_token"] != old_token["refresh_token"]
    assert entry.data["token"]["access_token"] != old_token["access_token"]
    assert emulator.counters.authorized_devices[EMAIL] == [hardware_id]
    assert PASSWORD not in repr(entry.as_dict())
    assert entry.state is ConfigEntryState.LOADED
    assert entry.runtime_data.manager.token == entry.data["token"]


async def test_reauth_wrong_account(
    hass: HomeAssistant, emulator: RingEmulator
) -> None:
    """Credentials that now belong to another Ring account do not overwrite the entry."""
    entry = await logged_in_entry(hass, emulator)
    old_token = dict(entry.data["token"])
    emulator.settings.find_account(EMAIL).account_id = 9999

    result = await MockConfigEntry.start_reauth_flow(entry, hass)
    result = await configure(hass, result, {"password": PASSWORD})
    result = await submit_code(hass, emulator, result)

    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "wrong_account"
    assert entry.data["token"] == old_token


# -- reconfigure ---------------------------------------------------------------------------


async def test_reconfigure_changes_the_email(
    hass: HomeAssistant, emulator: RingEmulator
) -> None:
    """A new email of the same account: new login, same device id, email and token updated."""
    entry = await logged_in_entry(hass, emulator)
    hardware_id = entry.data["hardware_id"]
    old_token = dict(entry.data["token"])
    new_email = "renamed@example.com"
    emulator.settings.find_account(EMAIL).email = new_email

    result = await MockConfigEntry.start_reconfigure_flow(entry, hass)
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "reconfigure"
    schema = result["data_schema"].schema
    assert next(key.default() for key in schema if key == "email") == EMAIL

    result = await configure(hass, result, {"email": "nope", "password": PASSWORD})
    assert result["step_id"] == "reconfigure"
    assert result["errors"] == {"email": "invalid_email"}
    result = await configure(hass, result, {"email": new_email, "password": "wrong"})
    assert result["step_id"] == "reconfigure"
    assert result["errors"] == {"base": "invalid_auth"}

    result = await configure(hass, result, {"email": new_email, "password": PASSWORD})
    assert result["step_id"] == "2fa_sms"
    result = await submit_code(hass, emulator, result, new_email)

    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reconfigure_successful"
    await hass.async_block_till_done()
    assert entry.data["email"] == new_email
    assert entry.data["hardware_id"] == hardware_id
    assert entry.data["token"]["refresh_token"] != old_token["refresh_token"]
    assert emulator.counters.authorized_devices[new_email] == [hardware_id]
    assert PASSWORD not in repr(entry.as_dict())
    assert entry.state is ConfigEntryState.LOADED


async def test_reconfigure_wrong_account(
    hass: HomeAssistant, emulator: RingEmulator
) -> None:
    """Another account's credentials abort the reconfigure; the entry is unchanged."""
    entry = await logged_in_entry(hass, emulator)
    before = dict(entry.data)

    result = await MockConfigEntry.start_reconfigure_flow(entry, hass)
    result = await configure(hass, result, {"email": OTHER_EMAIL, "password": PASSWORD})
    result = await submit_code(hass, emulator, result, OTHER_EMAIL)

    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "wrong_account"
    assert dict(entry.data) == before


# -- options -------------------------------------------------------------------------------


async def test_options_saved_and_reloaded(
    hass: HomeAssistant, emulator: RingEmulator
) -> None:
    """New options are saved and the entry reloads with them."""
    entry = await logged_in_entry(hass, emulator)
    manager = entry.runtime_data.manager
    assert manager.policy.background_interval == 24 * 3600

    result = await hass.config_entries.options.async_init(entry.entry_id)
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "init"
    defaults = {
        key.schema: key.default()
        for key in result["data_schema"].schema
        if key != "advanced"  # the folded section: the sign-in method (test_signin.py)
    }
    assert defaults == {
        CONF_REFRESH_INTERVAL: 24,
        CONF_REFRESH_MARGIN: 5,
        CONF_POLL_INTERVAL: 60,
    }

    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {CONF_REFRESH_INTERVAL: 12.0, CONF_REFRESH_MARGIN: 10}
    )
    await hass.async_block_till_done()

    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert entry.options == {
        CONF_REFRESH_INTERVAL: 12,
        CONF_REFRESH_MARGIN: 10,
        CONF_POLL_INTERVAL: 60,
    }
    assert entry.state is ConfigEntryState.LOADED
    assert entry.runtime_data.manager is not manager
    assert entry.runtime_data.manager.policy.background_interval == 12 * 3600
    assert entry.runtime_data.manager.policy.margin == 10 * 60

    result = await hass.config_entries.options.async_init(entry.entry_id)
    defaults = {
        key.schema: key.default()
        for key in result["data_schema"].schema
        if key != "advanced"  # the folded section: the sign-in method (test_signin.py)
    }
    assert defaults == {
        CONF_REFRESH_INTERVAL: 12,
        CONF_REFRESH_MARGIN: 10,
        CONF_POLL_INTERVAL: 60,
    }
    hass.config_entries.options.async_abort(result["flow_id"])


@pytest.mark.parametrize(
    ("user_input", "errors"),
    [
        ({CONF_REFRESH_INTERVAL: 0, CONF_REFRESH_MARGIN: 5}, {CONF_REFRESH_INTERVAL}),
        ({CONF_REFRESH_INTERVAL: 169, CONF_REFRESH_MARGIN: 5}, {CONF_REFRESH_INTERVAL}),
        ({CONF_REFRESH_INTERVAL: 24, CONF_REFRESH_MARGIN: 0}, {CONF_REFRESH_MARGIN}),
        (
            {CONF_REFRESH_INTERVAL: 200, CONF_REFRESH_MARGIN: 31},
            {CONF_REFRESH_INTERVAL, CONF_REFRESH_MARGIN},
        ),
    ],
)
async def test_options_bounds(
    hass: HomeAssistant,
    emulator: RingEmulator,
    user_input: dict[str, int],
    errors: set[str],
) -> None:
    """Values out of range are named with their range; the options stay unchanged."""
    entry = await logged_in_entry(hass, emulator)
    result = await hass.config_entries.options.async_init(entry.entry_id)

    result = await hass.config_entries.options.async_configure(
        result["flow_id"], user_input
    )

    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {key: f"{key}_range" for key in errors}
    assert result["description_placeholders"] == {
        "refresh_interval_hours_min": "1",
        "refresh_interval_hours_max": "168",
        "refresh_margin_minutes_min": "1",
        "refresh_margin_minutes_max": "30",
        "poll_interval_seconds_min": "30",
        "poll_interval_seconds_max": "300",
    }
    assert entry.options == {}
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {CONF_REFRESH_INTERVAL: 168, CONF_REFRESH_MARGIN: 30}
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert entry.options == {
        CONF_REFRESH_INTERVAL: 168,
        CONF_REFRESH_MARGIN: 30,
        CONF_POLL_INTERVAL: 60,
    }
    await hass.async_block_till_done()
