"""python-ring-doorbell 0.9.14 (Home Assistant core's Ring client) against the emulator.

Nobody here wrote it: when the emulator drifts from what real clients send and expect, these
tests fail. Each test drives the library's public API only.
"""

import time
from typing import Any

import pytest
from ring_doorbell import AuthenticationError, Requires2FAError, Ring, RingError

from ring_emulator import Fault, RingEmulator
from tests.conftest import ACCOUNT_ID, EMAIL, PASSWORD
from tests.redirect import RingRedirect

from .conftest import HARDWARE_ID, AuthFactory

# python-ring-doorbell 0.9.14 still uses aiohttp's BasicAuth; not ours to fix.
pytestmark = [
    pytest.mark.filterwarnings("ignore:The 'auth' parameter is deprecated"),
    pytest.mark.filterwarnings("ignore:BasicAuth is deprecated"),
]


def stored(body: dict[str, Any], expires_at: float) -> dict[str, Any]:
    """Return a token as python-ring-doorbell stores it (oauthlib's form, with expires_at)."""
    return {**body, "expires_at": expires_at}


async def test_password_grant_meets_the_2fa_challenge(
    make_auth: AuthFactory, emulator: RingEmulator, updates: list[dict[str, Any]]
) -> None:
    """A login without a code is Requires2FAError, and Ring "sends" a code."""
    with pytest.raises(Requires2FAError):
        await make_auth(None).async_fetch_token(EMAIL, PASSWORD)

    assert emulator.counters.codes_sent == {EMAIL: 1}
    assert updates == []


async def test_login_with_the_code(
    make_auth: AuthFactory, emulator: RingEmulator, updates: list[dict[str, Any]]
) -> None:
    """The code from the challenge logs in; the token updater gets a usable token."""
    auth = make_auth(None)
    with pytest.raises(Requires2FAError):
        await auth.async_fetch_token(EMAIL, PASSWORD)

    token = await auth.async_fetch_token(EMAIL, PASSWORD, emulator.last_code(EMAIL))

    assert updates == [token]
    assert token["access_token"] and token["refresh_token"]
    assert token["expires_in"] == 3600
    assert token["expires_at"] == pytest.approx(time.time() + 3600, abs=10)
    assert emulator.counters.authorized_devices == {EMAIL: [HARDWARE_ID]}
    ring = Ring(auth)
    await ring.async_create_session()
    assert ring.session is not None
    assert ring.session["profile"]["id"] == ACCOUNT_ID


async def test_wrong_password(make_auth: AuthFactory, emulator: RingEmulator) -> None:
    """A wrong password is an AuthenticationError, not a 2FA challenge, and sends no code."""
    with pytest.raises(AuthenticationError) as err:
        await make_auth(None).async_fetch_token(EMAIL, "not the password")

    assert not isinstance(err.value, Requires2FAError)
    assert "access_denied" in str(err.value)
    assert emulator.counters.codes_sent == {}


async def test_wrong_code(make_auth: AuthFactory, emulator: RingEmulator) -> None:
    """A wrong code is an AuthenticationError; the right one still works afterwards."""
    auth = make_auth(None)
    with pytest.raises(Requires2FAError):
        await auth.async_fetch_token(EMAIL, PASSWORD)
    right = emulator.last_code(EMAIL)
    wrong = "000000" if right != "000000" else "111111"

    with pytest.raises(AuthenticationError) as err:
        await auth.async_fetch_token(EMAIL, PASSWORD, wrong)

    assert not isinstance(err.value, Requires2FAError)
    assert "Verification Code" in str(err.value)
    assert (await auth.async_fetch_token(EMAIL, PASSWORD, right))["access_token"]


async def test_refresh_on_an_expired_access_token_rotates(
    make_auth: AuthFactory,
    emulator: RingEmulator,
    updates: list[dict[str, Any]],
    redirect: RingRedirect,
) -> None:
    """Past expires_at the library refreshes first, and its updater gets the rotated token.

    Its refresh names the client by HTTP Basic only (no client_id in the body).
    """
    body = emulator.issue_tokens(EMAIL)
    ring = Ring(make_auth(stored(body, time.time() - 10)))

    await ring.async_update_data()

    assert len(updates) == 1
    new = updates[0]
    assert new["refresh_token"] != body["refresh_token"]
    assert new["access_token"] != body["access_token"]
    assert redirect.urls[0] == "POST /oauth/token"
    assert emulator.counters.token_calls["refresh_token"] == 1
    assert emulator.counters.refresh_reuse == 0
    assert emulator.counters.unauthorized == 0
    # The rotated refresh token refreshes again; the old one is spent (grace aside).
    second = Ring(make_auth(stored(new, time.time() - 10)))
    await second.async_update_data()
    assert updates[1]["refresh_token"] not in (
        new["refresh_token"],
        body["refresh_token"],
    )


async def test_401_refreshes_and_the_next_update_works(
    make_auth: AuthFactory,
    emulator: RingEmulator,
    updates: list[dict[str, Any]],
) -> None:
    """A 401 on a token the library thinks valid makes it refresh; the next update works.

    python-ring-doorbell does not retry the refused call: that one fails.
    """
    body = emulator.issue_tokens(EMAIL, expires_in=60)
    ring = Ring(make_auth(stored(body, time.time() + 3600)))
    emulator.clock.advance(61)

    with pytest.raises(RingError) as err:
        await ring.async_update_data()

    assert not isinstance(err.value, AuthenticationError)
    assert "401" in str(err.value)
    assert len(updates) == 1
    assert emulator.counters.unauthorized == 1
    await ring.async_update_data()
    assert ring.devices_data["doorbots"]
    assert emulator.counters.unauthorized == 1


async def test_revoked_login_is_an_authentication_error(
    make_auth: AuthFactory, emulator: RingEmulator
) -> None:
    """After a password change every token is dead: the refresh's invalid_grant surfaces."""
    body = emulator.issue_tokens(EMAIL)
    ring = Ring(make_auth(stored(body, time.time() + 3600)))
    await ring.async_update_data()
    emulator.revoke(EMAIL)

    with pytest.raises(AuthenticationError) as err:
        await ring.async_update_data()

    assert "invalid_grant" in str(err.value)
    assert emulator.counters.refresh_rejected == 1


@pytest.mark.parametrize("session_status", [201, 200])
async def test_full_update_parses_every_device(
    make_auth: AuthFactory,
    emulator: RingEmulator,
    redirect: RingRedirect,
    session_status: int,
) -> None:
    """async_update_data() visits every URL it knows and reads every device without error."""
    emulator.settings.session_status = session_status
    ding = emulator.inject_ding(EMAIL)
    body = emulator.issue_tokens(EMAIL)
    ring = Ring(make_auth(stored(body, time.time() + 3600)))

    await ring.async_update_data()

    location = f"loc-{ACCOUNT_ID}"
    assert redirect.urls == [
        "POST /clients_api/session",
        "GET /clients_api/ring_devices",
        "GET /clients_api/dings/active",
        f"GET /groups/v1/locations/{location}/groups",
    ]
    # devices_data is the emulator's answer as received, indexed by id per family.
    expected = {
        device_id: (kind, raw)
        for kind, devices in ring.devices_data.items()
        for device_id, raw in devices.items()
    }
    assert len(expected) == 5  # the emulator's household
    parsed = ring.get_device_list()
    assert sorted(d.id for d in parsed) == sorted(expected)
    for device in parsed:
        kind, raw = expected[device.id]
        assert device.family == kind
        assert device.name == raw["description"]
        assert device.kind == raw["kind"]
        assert not device.model.startswith("Unknown")
        assert device.firmware == raw["firmware_version"]
        assert device.device_id == raw["device_id"]
        assert device.location_id == location
        assert device.timezone == raw["time_zone"]
        assert device.address == raw["address"]
        if kind != "chimes":  # python-ring-doorbell reads batteries of cameras only
            # Wired doorbells report numbers above 100 (4081); it caps them at 100.
            battery = raw["battery_life"]
            want = None if battery is None else min(100, int(battery))
            assert device.battery_life == want
    assert ring.groups() == {}
    alerts = ring.active_alerts()
    assert [(a.id, a.doorbot_id, a.kind) for a in alerts] == [
        (ding["id"], ding["doorbot_id"], "ding")
    ]


async def test_a_forgotten_session_is_a_404_it_does_not_recover_from(
    make_auth: AuthFactory, emulator: RingEmulator
) -> None:
    """A forgotten session reaches python-ring-doorbell as an HTTP 404 error.

    It keeps its session object and never re-opens it on a 404, unlike ring-client-api and
    this project's client; opening a session by hand recovers.
    """
    body = emulator.issue_tokens(EMAIL)
    ring = Ring(make_auth(stored(body, time.time() + 3600)))
    await ring.async_update_data()
    emulator.forget_sessions(EMAIL)

    with pytest.raises(RingError, match="404"):
        await ring.async_update_devices()

    await ring.async_create_session()
    await ring.async_update_devices()


async def test_a_firewall_block_at_login_reads_as_2fa_to_it(
    make_auth: AuthFactory, emulator: RingEmulator
) -> None:
    """Ring's 2026 block (406 text/plain) at login reads as a 2FA challenge to it.

    oauthlib finds no token and no error in the text. The project's client raises
    RingBlockedError instead.
    """
    emulator.inject(Fault.BLOCKED, where="password")

    with pytest.raises(Requires2FAError):
        await make_auth(None).async_fetch_token(EMAIL, PASSWORD)

    assert emulator.counters.codes_sent == {}
