"""The Ring partner-app way in, against the emulator: account linking with PKCE, then refresh.

Application credentials hold the client id and secret; the config flow sends the user to the
emulator's consent page, the emulator redirects back to Home Assistant's OAuth callback with a
one-minute, single-use code, and the flow exchanges it. From then on the entry runs through the
same token manager, journal, entities, repairs and diagnostics as a password login.
"""

from datetime import timedelta
import json
import logging
from pathlib import Path
from typing import Any

import aiohttp
from freezegun.api import FrozenDateTimeFactory
from homeassistant.components.application_credentials import (
    ClientCredential,
    async_import_client_credential,
)
from homeassistant.config_entries import SOURCE_USER, ConfigEntry, ConfigEntryState
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResult, FlowResultType
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers.aiohttp_client import async_get_clientsession
from homeassistant.setup import async_setup_component
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.components.diagnostics import (
    get_diagnostics_for_config_entry,
)
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator
from yarl import URL

from custom_components.ring_auth.application_credentials import (
    RingPartnerImplementation,
)
from custom_components.ring_auth.const import DOMAIN
from custom_components.ring_auth.ringclient import (
    PartnerCredentials,
    RingAuthClient,
    RingInvalidClientError,
)
from ring_emulator import Account, EmulatorSettings, Fault, RingEmulator
from ring_emulator.linking import s256
from tests.conftest import ACCOUNT_ID, EMAIL, PASSWORD

from .helpers import configure, leave_alone, reauth_flows, refreshes, submit_code, tick
from .test_secrets_in_logs import texts_of

pytestmark = pytest.mark.usefixtures("fast_manager", "current_request_with_host")

PARTNER_ID = "partner-id"
PARTNER_SECRET = "partner-secret"
BAD_SECRET = "not-the-partner-secret"
CREDENTIAL_NAME = "My Ring partner app"
CALLBACK = "https://example.com/auth/external/callback"
OTHER_EMAIL = "other@example.com"
OTHER_ID = 777
BUTTON = "button.ring_demo_user_refresh_now"
CONSECUTIVE = "sensor.ring_demo_user_consecutive_refresh_failures"
EXPIRES = "sensor.ring_demo_user_access_token_expires"
TRANSLATIONS = Path(__file__).parents[2] / "custom_components" / DOMAIN / "translations"


@pytest.fixture
def emulator_settings(emulator_settings: EmulatorSettings) -> EmulatorSettings:
    """Add a second account, for linking the wrong one."""
    emulator_settings.accounts.append(
        Account(email=OTHER_EMAIL, password=PASSWORD, account_id=OTHER_ID)
    )
    return emulator_settings


@pytest.fixture
def client_secret() -> str:
    """Return the secret the user enters under Application credentials."""
    return PARTNER_SECRET


@pytest.fixture
async def credential(hass: HomeAssistant, client_secret: str) -> None:
    """Enter the partner app's client id and secret as application credentials."""
    assert await async_setup_component(hass, "application_credentials", {})
    await async_import_client_credential(
        hass, DOMAIN, ClientCredential(PARTNER_ID, client_secret, CREDENTIAL_NAME)
    )


@pytest.fixture
async def browser(socket_enabled: None) -> Any:
    """Return the user's browser: a session that does not follow redirects by itself."""
    async with aiohttp.ClientSession() as session:
        yield session


async def start_linking(hass: HomeAssistant) -> FlowResult:
    """Open the flow, choose the partner app; return the external step."""
    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": SOURCE_USER}
    )
    assert result["type"] is FlowResultType.MENU
    assert result["menu_options"] == ["password", "pick_implementation"]
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"next_step_id": "pick_implementation"}
    )
    return assert_external(result)


def assert_external(result: FlowResult) -> FlowResult:
    """Assert an external step that sends the user to the emulator's consent page."""
    assert result["type"] is FlowResultType.EXTERNAL_STEP, result
    assert result["step_id"] == "auth"
    return result


async def consent(
    browser: aiohttp.ClientSession, authorize_url: str, **extra: str
) -> dict[str, str]:
    """Approve on Ring's page; return the query Ring redirects back with (code, state)."""
    url = URL(authorize_url).update_query(approve="1", **extra)
    async with browser.get(url, allow_redirects=False) as resp:
        assert resp.status == 302, await resp.text()
        location = URL(resp.headers["Location"])
    assert str(location.with_query(None)) == CALLBACK
    return dict(location.query)


async def callback(
    hass: HomeAssistant,
    hass_client_no_auth: ClientSessionGenerator,
    query: dict[str, str],
) -> None:
    """Land on Home Assistant's OAuth callback, as the browser does."""
    client = await hass_client_no_auth()
    resp = await client.get("/auth/external/callback", params=query)
    assert resp.status == 200
    assert "window.close()" in await resp.text()


async def link(
    hass: HomeAssistant,
    browser: aiohttp.ClientSession,
    hass_client_no_auth: ClientSessionGenerator,
    result: FlowResult,
    **extra: str,
) -> FlowResult:
    """Consent, come back through the callback and let the flow exchange the code."""
    query = await consent(browser, result["url"], **extra)
    await callback(hass, hass_client_no_auth, query)
    return await hass.config_entries.flow.async_configure(result["flow_id"])


async def linked_entry(
    hass: HomeAssistant,
    browser: aiohttp.ClientSession,
    hass_client_no_auth: ClientSessionGenerator,
) -> ConfigEntry:
    """Link the partner app through the flow; return the created (and set-up) entry."""
    result = await link(hass, browser, hass_client_no_auth, await start_linking(hass))
    assert result["type"] is FlowResultType.CREATE_ENTRY, result
    await hass.async_block_till_done(wait_background_tasks=True)
    return result["result"]


async def press(hass: HomeAssistant) -> None:
    """Press "Refresh now"."""
    await hass.services.async_call(
        "button", "press", {"entity_id": BUTTON}, blocking=True
    )


# -- the flow ---------------------------------------------------------------------------------


@pytest.mark.usefixtures("credential")
async def test_link_partner_app(
    hass: HomeAssistant,
    emulator: RingEmulator,
    browser: aiohttp.ClientSession,
    hass_client_no_auth: ClientSessionGenerator,
) -> None:
    """Menu, consent, callback: an entry for the Ring account with a 4-hour partner token."""
    result = await start_linking(hass)
    authorize = URL(result["url"])
    assert str(authorize.with_query(None)) == f"{emulator.url}/oauth/authorize"
    query = authorize.query
    assert query["response_type"] == "code"
    assert query["client_id"] == PARTNER_ID
    assert query["redirect_uri"] == CALLBACK
    assert query["code_challenge_method"] == "S256"
    assert len(query["code_challenge"]) == 43  # base64url of SHA-256, no padding
    assert PARTNER_SECRET not in result["url"]

    async with browser.get(authorize) as resp:  # the consent page itself
        assert resp.status == 200
        page = await resp.text()
    assert EMAIL in page
    assert PARTNER_ID in page

    result = await link(hass, browser, hass_client_no_auth, result)

    assert result["type"] is FlowResultType.CREATE_ENTRY
    entry = result["result"]
    assert entry.unique_id == str(ACCOUNT_ID)
    assert entry.title == EMAIL
    data = entry.data
    assert data["auth_type"] == "partner"
    assert data["auth_implementation"] == DOMAIN
    assert data["email"] == EMAIL
    assert len(data["hardware_id"]) == 36
    assert data["token"]["expires_in"] == 14400
    assert emulator.counters.token_calls["authorization_code"] == 1
    assert PARTNER_SECRET not in json.dumps(dict(data))

    await hass.async_block_till_done(wait_background_tasks=True)
    assert entry.state is ConfigEntryState.LOADED
    assert hass.states.get(CONSECUTIVE).state == "0"
    assert hass.states.get(EXPIRES) is not None
    assert hass.states.get(BUTTON) is not None


@pytest.mark.usefixtures("credential")
async def test_refresh_rotates_with_the_partner_grant(
    hass: HomeAssistant,
    emulator: RingEmulator,
    browser: aiohttp.ClientSession,
    hass_client_no_auth: ClientSessionGenerator,
    hass_storage: dict[str, Any],
) -> None:
    """Each refresh uses the partner client and secret, and every exchange rotates the token."""
    entry = await linked_entry(hass, browser, hass_client_no_auth)
    tokens = [entry.data["token"]["refresh_token"]]

    for _ in range(3):
        await press(hass)
        token = entry.data["token"]
        tokens.append(token["refresh_token"])
        assert token["expires_in"] == 14400
        journal = hass_storage[f"{DOMAIN}.{entry.entry_id}"]["data"]
        assert journal["token"] == token

    assert len(set(tokens)) == 4
    # The emulator answers a partner's refresh only with its client id and secret; 14400 s is
    # the partner tokens' life.
    assert refreshes(emulator) == 3
    assert emulator.counters.refresh_rejected == 0
    assert emulator.counters.refresh_reuse == 0
    manager = entry.runtime_data.manager
    assert manager.health.refresh_count == 3
    assert manager.token == entry.data["token"]
    # The rotated token still works with Ring after a restart.
    await hass.config_entries.async_reload(entry.entry_id)
    await hass.async_block_till_done(wait_background_tasks=True)
    assert entry.state is ConfigEntryState.LOADED
    await entry.runtime_data.manager.async_force_refresh()
    assert refreshes(emulator) == 4


@pytest.mark.usefixtures("credential")
async def test_background_refresh(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    emulator: RingEmulator,
    browser: aiohttp.ClientSession,
    hass_client_no_auth: ClientSessionGenerator,
) -> None:
    """Left alone, a linked login is renewed in the background with the partner grant."""
    entry = await linked_entry(hass, browser, hass_client_no_auth)
    await leave_alone(hass, freezer, entry)
    first = entry.data["token"]["refresh_token"]

    await tick(hass, freezer, timedelta(hours=26, minutes=30))

    assert refreshes(emulator) == 1
    assert entry.data["token"]["expires_in"] == 14400
    assert entry.data["token"]["refresh_token"] != first
    assert hass.states.get(CONSECUTIVE).state == "0"


@pytest.mark.usefixtures("credential")
async def test_deny_on_ring(
    hass: HomeAssistant,
    emulator: RingEmulator,
    browser: aiohttp.ClientSession,
    hass_client_no_auth: ClientSessionGenerator,
) -> None:
    """Deny on Ring's page: the flow ends, nothing is exchanged."""
    result = await start_linking(hass)
    url = URL(result["url"]).update_query(approve="0")
    async with browser.get(url, allow_redirects=False) as resp:
        query = dict(URL(resp.headers["Location"]).query)
    assert query["error"] == "access_denied"
    await callback(hass, hass_client_no_auth, query)
    result = await hass.config_entries.flow.async_configure(result["flow_id"])

    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "user_rejected_authorize"
    assert emulator.counters.token_calls["authorization_code"] == 0
    for lang in ("en", "de", "fr", "es", "nl"):  # the user sees a sentence, not a key
        strings = json.loads(
            (TRANSLATIONS / f"{lang}.json").read_text(encoding="utf-8")
        )
        assert "{error}" in strings["config"]["abort"]["user_rejected_authorize"]


@pytest.mark.parametrize("client_secret", [BAD_SECRET])
@pytest.mark.usefixtures("credential")
async def test_wrong_client_secret(
    hass: HomeAssistant,
    emulator: RingEmulator,
    browser: aiohttp.ClientSession,
    hass_client_no_auth: ClientSessionGenerator,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A wrong secret in the application credentials: Ring refused the linking (HA's abort)."""
    caplog.set_level(logging.DEBUG)
    result = await link(hass, browser, hass_client_no_auth, await start_linking(hass))

    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "oauth_unauthorized"
    assert emulator.counters.token_calls["authorization_code"] == 1
    assert not hass.config_entries.async_entries(DOMAIN)
    assert BAD_SECRET not in caplog.text


@pytest.mark.usefixtures("credential")
async def test_code_used_twice(
    hass: HomeAssistant,
    emulator: RingEmulator,
    browser: aiohttp.ClientSession,
    hass_client_no_auth: ClientSessionGenerator,
) -> None:
    """A replayed code (an old callback URL in another flow): Ring refused the linking."""
    first = await start_linking(hass)
    query = await consent(browser, first["url"])
    await callback(hass, hass_client_no_auth, query)
    result = await hass.config_entries.flow.async_configure(first["flow_id"])
    assert result["type"] is FlowResultType.CREATE_ENTRY
    await hass.async_block_till_done(wait_background_tasks=True)

    second = await start_linking(hass)
    state = URL(second["url"]).query["state"]
    await callback(hass, hass_client_no_auth, {"code": query["code"], "state": state})
    result = await hass.config_entries.flow.async_configure(second["flow_id"])

    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "oauth_unauthorized"
    assert emulator.counters.token_calls["authorization_code"] == 2
    assert len(hass.config_entries.async_entries(DOMAIN)) == 1


@pytest.mark.usefixtures("credential")
async def test_code_older_than_one_minute(
    hass: HomeAssistant,
    emulator: RingEmulator,
    browser: aiohttp.ClientSession,
    hass_client_no_auth: ClientSessionGenerator,
) -> None:
    """The user came back after more than a minute: refused, then a new linking works."""
    result = await start_linking(hass)
    query = await consent(browser, result["url"])
    emulator.clock.advance(61)
    await callback(hass, hass_client_no_auth, query)
    result = await hass.config_entries.flow.async_configure(result["flow_id"])

    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "oauth_unauthorized"

    entry = await linked_entry(hass, browser, hass_client_no_auth)
    assert entry.unique_id == str(ACCOUNT_ID)


@pytest.mark.usefixtures("credential")
async def test_pkce_mismatch(
    hass: HomeAssistant,
    emulator: RingEmulator,
    browser: aiohttp.ClientSession,
    hass_client_no_auth: ClientSessionGenerator,
) -> None:
    """A challenge Ring saw that the flow's verifier does not match: Ring refuses the code."""
    result = await start_linking(hass)
    other = RingPartnerImplementation.generate_code_verifier()
    url = str(URL(result["url"]).update_query(code_challenge=s256(other)))
    query = await consent(browser, url)
    await callback(hass, hass_client_no_auth, query)
    result = await hass.config_entries.flow.async_configure(result["flow_id"])

    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "oauth_unauthorized"
    assert emulator.counters.token_calls["authorization_code"] == 1


@pytest.mark.usefixtures("credential")
async def test_ring_down_at_the_code_exchange(
    hass: HomeAssistant,
    emulator: RingEmulator,
    browser: aiohttp.ClientSession,
    hass_client_no_auth: ClientSessionGenerator,
) -> None:
    """Ring answers the code exchange with a 503: the flow ends (HA's oauth_failed)."""
    result = await start_linking(hass)
    emulator.inject(Fault.SERVER_ERROR, where="token")
    result = await link(hass, browser, hass_client_no_auth, result)

    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "oauth_failed"


@pytest.mark.usefixtures("credential")
async def test_profile_unreadable_after_linking(
    hass: HomeAssistant,
    emulator: RingEmulator,
    browser: aiohttp.ClientSession,
    hass_client_no_auth: ClientSessionGenerator,
) -> None:
    """Linked, but the profile call fails: an error on a retry step; the retry creates the entry."""
    result = await start_linking(hass)
    emulator.inject(Fault.SERVER_ERROR, where="api")
    result = await link(hass, browser, hass_client_no_auth, result)

    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "profile"
    assert result["errors"] == {"base": "cannot_connect"}
    result = await configure(hass, result, {})
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["result"].unique_id == str(ACCOUNT_ID)


@pytest.mark.usefixtures("credential")
async def test_already_configured(
    hass: HomeAssistant,
    emulator: RingEmulator,
    browser: aiohttp.ClientSession,
    hass_client_no_auth: ClientSessionGenerator,
) -> None:
    """Linking the same Ring account twice aborts."""
    await linked_entry(hass, browser, hass_client_no_auth)
    result = await link(hass, browser, hass_client_no_auth, await start_linking(hass))
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "already_configured"


async def test_without_credentials_the_password_form(
    hass: HomeAssistant, emulator: RingEmulator
) -> None:
    """No application credentials: the user step is the password form, no menu."""
    assert await async_setup_component(hass, "application_credentials", {})
    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": SOURCE_USER}
    )
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "user"


@pytest.mark.usefixtures("credential")
async def test_password_still_offered(
    hass: HomeAssistant, emulator: RingEmulator
) -> None:
    """With application credentials the menu still leads to the email + 2FA login."""
    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": SOURCE_USER}
    )
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"next_step_id": "password"}
    )
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "password"
    result = await configure(hass, result, {"email": "nope", "password": PASSWORD})
    assert result["step_id"] == "password"
    assert result["errors"] == {"email": "invalid_email"}
    result = await configure(hass, result, {"email": EMAIL, "password": PASSWORD})
    assert result["step_id"] == "2fa_sms"
    result = await submit_code(hass, emulator, result)

    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["data"]["auth_type"] == "consumer"
    assert "auth_implementation" not in result["data"]


@pytest.mark.usefixtures("credential")
async def test_pick_among_partner_apps(
    hass: HomeAssistant,
    emulator: RingEmulator,
    browser: aiohttp.ClientSession,
    hass_client_no_auth: ClientSessionGenerator,
) -> None:
    """Two sets of credentials: the user picks one by name."""
    await async_import_client_credential(
        hass, DOMAIN, ClientCredential("second-id", "second-secret"), "second"
    )
    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": SOURCE_USER}
    )
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"next_step_id": "pick_implementation"}
    )
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "pick_implementation"
    names = result["data_schema"].schema["implementation"].container
    assert names[DOMAIN] == CREDENTIAL_NAME
    assert set(names) == {DOMAIN, "second"}

    result = assert_external(
        await hass.config_entries.flow.async_configure(
            result["flow_id"], {"implementation": DOMAIN}
        )
    )
    result = await link(hass, browser, hass_client_no_auth, result)
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["data"]["auth_implementation"] == DOMAIN


async def test_implementation_name(hass: HomeAssistant) -> None:
    """A credential without a name is shown as "Ring partner app"."""
    unnamed = RingPartnerImplementation(
        hass, DOMAIN, ClientCredential(PARTNER_ID, PARTNER_SECRET)
    )
    assert unnamed.name == "Ring partner app"
    assert unnamed.domain == DOMAIN


# -- reauth, reconfigure ------------------------------------------------------------------------


async def lose_login(hass: HomeAssistant, emulator: RingEmulator) -> FlowResult:
    """Ring revokes the login; the next refresh asks for a new one. Return the reauth flow."""
    emulator.revoke(EMAIL)
    with pytest.raises(HomeAssistantError):
        await press(hass)
    await hass.async_block_till_done()
    flows = reauth_flows(hass)
    assert len(flows) == 1
    return flows[0]


@pytest.mark.usefixtures("credential")
async def test_reauth_relinks(
    hass: HomeAssistant,
    emulator: RingEmulator,
    browser: aiohttp.ClientSession,
    hass_client_no_auth: ClientSessionGenerator,
) -> None:
    """Revoked: confirm, link again on Ring; same entry and device id, new token, loaded."""
    entry = await linked_entry(hass, browser, hass_client_no_auth)
    hardware_id = entry.data["hardware_id"]
    old = dict(entry.data["token"])
    flow = await lose_login(hass, emulator)

    result = await hass.config_entries.flow.async_configure(flow["flow_id"])
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "reauth_partner"
    result = assert_external(
        await hass.config_entries.flow.async_configure(flow["flow_id"], {})
    )
    result = await link(hass, browser, hass_client_no_auth, result)

    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reauth_successful"
    await hass.async_block_till_done(wait_background_tasks=True)
    assert entry.data["hardware_id"] == hardware_id
    assert entry.data["auth_type"] == "partner"
    assert entry.data["token"]["refresh_token"] != old["refresh_token"]
    assert entry.state is ConfigEntryState.LOADED
    assert not entry.runtime_data.manager.health.login_lost
    assert reauth_flows(hass) == []
    await press(hass)  # the new login refreshes with the partner grant
    assert emulator.counters.token_calls["authorization_code"] == 2


@pytest.mark.usefixtures("credential")
async def test_reauth_wrong_account(
    hass: HomeAssistant,
    emulator: RingEmulator,
    browser: aiohttp.ClientSession,
    hass_client_no_auth: ClientSessionGenerator,
) -> None:
    """Linking another Ring account on reauth aborts and leaves the entry alone."""
    entry = await linked_entry(hass, browser, hass_client_no_auth)
    flow = await lose_login(hass, emulator)
    before = dict(entry.data)

    result = assert_external(
        await hass.config_entries.flow.async_configure(flow["flow_id"], {})
    )
    result = await link(
        hass, browser, hass_client_no_auth, result, login_hint=OTHER_EMAIL
    )

    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "wrong_account"
    assert dict(entry.data) == before


@pytest.mark.usefixtures("credential")
async def test_reconfigure_relinks(
    hass: HomeAssistant,
    emulator: RingEmulator,
    browser: aiohttp.ClientSession,
    hass_client_no_auth: ClientSessionGenerator,
) -> None:
    """Reconfigure of a partner entry links the partner app again."""
    entry = await linked_entry(hass, browser, hass_client_no_auth)
    old = entry.data["token"]["refresh_token"]

    result = assert_external(await MockConfigEntry.start_reconfigure_flow(entry, hass))
    result = await link(hass, browser, hass_client_no_auth, result)

    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reconfigure_successful"
    assert entry.data["token"]["refresh_token"] != old


# -- the client secret stays secret ---------------------------------------------------------


@pytest.mark.usefixtures("credential")
async def test_secret_never_shown(
    hass: HomeAssistant,
    emulator: RingEmulator,
    browser: aiohttp.ClientSession,
    hass_client: ClientSessionGenerator,
    hass_client_no_auth: ClientSessionGenerator,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Not in a debug log, the diagnostics, the entry, nor the text of any error."""
    caplog.set_level(logging.DEBUG)
    assert await async_setup_component(
        hass, "diagnostics", {}
    )  # before the router freezes
    entry = await linked_entry(hass, browser, hass_client_no_auth)
    await press(hass)

    diagnostics = await get_diagnostics_for_config_entry(hass, hass_client, entry)
    dump = json.dumps(diagnostics)
    assert PARTNER_SECRET not in dump
    assert entry.data["token"]["refresh_token"] not in dump
    assert PARTNER_SECRET not in repr(entry.as_dict())

    implementation = RingPartnerImplementation(
        hass, DOMAIN, ClientCredential(PARTNER_ID, PARTNER_SECRET, CREDENTIAL_NAME)
    )
    errors: list[BaseException] = []
    with pytest.raises(HomeAssistantError) as err:
        await implementation.async_resolve_external_data(
            {"code": "made-up-code", "state": {"redirect_uri": CALLBACK}}
        )
    errors.append(err.value)
    wrong = PartnerCredentials(PARTNER_ID, BAD_SECRET)
    client = RingAuthClient(async_get_clientsession(hass), "")
    with pytest.raises(RingInvalidClientError) as err2:
        await client.async_refresh(entry.data["token"]["refresh_token"], wrong)
    errors.append(err2.value)
    emulator.inject(Fault.SERVER_ERROR, where="token")
    with pytest.raises(HomeAssistantError) as err3:
        await press(hass)
    errors.append(err3.value)

    for error in errors:
        for text in texts_of(error):
            for secret in (PARTNER_SECRET, BAD_SECRET, implementation.code_verifier):
                assert secret not in text
            assert "made-up-code" not in text
    assert caplog.text  # the debug log was captured
    for secret in (PARTNER_SECRET, BAD_SECRET, implementation.code_verifier):
        assert secret not in caplog.text
    assert BAD_SECRET not in repr(wrong)


@pytest.mark.usefixtures("credential")
async def test_relink_after_credentials_were_replaced(
    hass: HomeAssistant,
    emulator: RingEmulator,
    browser: aiohttp.ClientSession,
    hass_client_no_auth: ClientSessionGenerator,
) -> None:
    """The entry's credentials are gone: it asks for a new login, which picks the ones there are."""
    entry = await linked_entry(hass, browser, hass_client_no_auth)
    await hass.config_entries.async_unload(entry.entry_id)
    hass.config_entries.async_update_entry(
        entry, data={**entry.data, "auth_implementation": "gone"}
    )
    await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    assert entry.state is ConfigEntryState.SETUP_ERROR
    flows = reauth_flows(hass)
    assert len(flows) == 1

    result = assert_external(
        await hass.config_entries.flow.async_configure(flows[0]["flow_id"], {})
    )
    result = await link(hass, browser, hass_client_no_auth, result)

    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reauth_successful"
    await hass.async_block_till_done(wait_background_tasks=True)
    assert entry.data["auth_implementation"] == DOMAIN
    assert entry.state is ConfigEntryState.LOADED
