"""No password, 2FA code, access token or refresh token ever reaches a log or an error message."""

import logging
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import ConfigEntryNotReady
from homeassistant.helpers.aiohttp_client import async_get_clientsession
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.ring_auth.policy import RefreshPolicy
from custom_components.ring_auth.ringclient import (
    RingApi,
    RingAuthClient,
    RingError,
    RingInvalidCodeError,
    RingInvalidCredentialsError,
    RingRateLimitedError,
    Token,
    TwoFactorRequired,
)
from ring_emulator import Fault, RingEmulator
from ring_emulator.tokens import TokenPair
from tests.conftest import EMAIL, PASSWORD

from .conftest import HW, ManagerFactory, stored_token
from .helpers import POLICY


def texts_of(err: BaseException) -> list[str]:
    """Return str and repr of an exception and of everything it was raised from."""
    texts: list[str] = []
    seen: set[int] = set()
    current: BaseException | None = err
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        texts += [str(current), repr(current), repr(current.args)]
        current = current.__cause__ or current.__context__
    return texts


def assert_hidden(secrets: set[str], texts: list[str]) -> None:
    """Fail when any text shows any secret."""
    for secret in secrets:
        for text in texts:
            assert secret not in text, f"a secret leaked into {text[:80]!r}"


async def test_no_secret_in_logs_or_errors(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    emulator: RingEmulator,
    config_entry: MockConfigEntry,
    make_manager: ManagerFactory,
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A debug log shared in a bug report gives nobody access to the Ring account."""
    caplog.set_level(logging.DEBUG)
    issued: list[TokenPair] = []
    codes: list[str] = []
    errors: list[BaseException] = []
    real_issue = emulator.tokens.issue

    def recording_issue(*args: Any, **kwargs: Any) -> TokenPair:
        pair = real_issue(*args, **kwargs)
        issued.append(pair)
        return pair

    monkeypatch.setattr(emulator.tokens, "issue", recording_issue)
    emulator.twofactor.listener = lambda _email, _method, code: codes.append(code)
    session = async_get_clientsession(hass)
    client = RingAuthClient(session, HW)

    # The config flow's part: a wrong password, the 2FA challenge, a wrong code, the right code.
    for password, code, expected in (
        ("wrong password 123", None, RingInvalidCredentialsError),
        (PASSWORD, "999999", RingInvalidCodeError),
    ):
        if code is not None:
            assert isinstance(
                await client.async_login(EMAIL, PASSWORD), TwoFactorRequired
            )
            if codes[-1] == code:
                code = "888888"
        with pytest.raises(expected) as err:
            await client.async_login(EMAIL, password, code)
        errors.append(err.value)
    emulator.inject(Fault.RATE_LIMIT, where="token")
    with pytest.raises(RingRateLimitedError) as err:
        await client.async_login(EMAIL, PASSWORD, codes[-1])
    errors.append(err.value)
    token = await client.async_login(EMAIL, PASSWORD, codes[-1])
    assert isinstance(token, Token)
    logging.getLogger("test").debug("logged in: %s", token)
    hass.config_entries.async_update_entry(
        config_entry,
        data={**config_entry.data, "token": stored_token(token.as_dict())},
    )

    # The token manager's part: refreshes, a lost response, an outage, API calls, a 401.
    # Under a frozen clock asyncio.sleep never ends: retry a lost response at once.
    manager = await make_manager(policy=RefreshPolicy(lost_response_retries=(0.0, 0.0)))
    api = RingApi(session, manager.refresher, HW)
    for _ in range(3):
        await manager.async_force_refresh()
    emulator.inject(Fault.RESET_AFTER_ROTATE, where="token")
    await manager.async_force_refresh()
    await api.async_get_profile()
    await api.async_get_devices()
    emulator.inject(Fault.TRUNCATED_JSON, count=3, where="token")
    emulator.revoke(EMAIL)
    freezer.tick(POLICY.probe_spacing)
    for _ in range(3):  # unreadable answers, then a wait without a call, then refused
        with pytest.raises(RingError) as failed:
            await manager.async_force_refresh()
        errors += [failed.value, manager.ha_error(failed.value, ConfigEntryNotReady)]
        freezer.tick(POLICY.first * 2)
    await hass.async_block_till_done()

    secrets = {PASSWORD, "wrong password 123", *codes}
    for pair in issued:
        secrets |= {pair.access_token, pair.refresh_token}
    assert len(codes) >= 1
    assert len(issued) >= 6  # login, 3 refreshes, the lost one and its retry
    assert errors
    # The test harness's mock Store logs whatever it is asked to save; Home Assistant's real
    # Store does not, and the journal on disk is private (0600) by design.
    records = [
        r
        for r in caplog.records
        if r.name != "pytest_homeassistant_custom_component.common"
    ]
    log_text = "\n".join(caplog.handler.format(r) for r in records)
    assert len(records) > 20
    assert_hidden(secrets, [log_text, *(t for e in errors for t in texts_of(e))])
    assert "Ring token refresh failed" in log_text  # the failures were logged at all
