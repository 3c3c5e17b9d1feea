"""Fixtures shared by every test: the Ring emulator on a free loopback port, a deprecation check."""

from collections.abc import AsyncIterator, Iterator
import logging
import re

import pytest

from custom_components.ring_auth.ringclient import BASE_URL_ENV
from ring_emulator import Account, EmulatorSettings, RingEmulator

EMAIL = "user@example.com"
PASSWORD = "correct horse battery staple"
ACCOUNT_ID = 4242


@pytest.fixture
def emulator_settings() -> EmulatorSettings:
    """Return the emulator's settings: one SMS account, a 60 s grace window."""
    return EmulatorSettings(
        accounts=[
            Account(
                email=EMAIL,
                password=PASSWORD,
                tsv_state="sms",
                phone="+15555550189",
                account_id=ACCOUNT_ID,
            )
        ],
        grace=60,
        partner_clients={"partner-id": "partner-secret"},
    )


@pytest.fixture
async def emulator(
    emulator_settings: EmulatorSettings,
    monkeypatch: pytest.MonkeyPatch,
    socket_enabled: None,
) -> AsyncIterator[RingEmulator]:
    """Run the emulator on loopback and point the client at it (RING_AUTH_BASE_URL).

    The Home Assistant test plugin blocks sockets unless a test asks for them.
    """
    emu = RingEmulator(emulator_settings)
    url = await emu.start("127.0.0.1", 0)
    monkeypatch.setenv(BASE_URL_ENV, url)
    yield emu
    await emu.stop()


# How Home Assistant words a deprecation or an incorrect use it reports (the same pattern as the
# e2e's log check, scripts/e2e/logscan.py): the frame helper's report_usage ("Detected that
# custom integration 'ring_auth' ... This will stop working in Home Assistant 2027.5"), the
# deprecated-constant, -function and -class helpers ("The deprecated constant X was used from
# ring_auth"). Home Assistant logs these (a custom integration's are never raised), so
# pyproject.toml's `error::DeprecationWarning:custom_components\.ring_auth` cannot see them.
DEPRECATION = re.compile(
    r"deprecat|will stop working|stop working in Home Assistant|report_usage"
    r"|Detected that custom integration|Detected code that",
    re.IGNORECASE,
)


@pytest.fixture(autouse=True)
def no_ring_auth_deprecation(caplog: pytest.LogCaptureFixture) -> Iterator[None]:
    """Fail a test in which Home Assistant reports a deprecation by ring_auth (any release).

    Set up before, so torn down after, the test's `hass`: its unload is checked too.
    """
    yield
    reports = [
        record.getMessage()
        for when in ("setup", "call", "teardown")
        for record in caplog.get_records(when)
        if record.levelno >= logging.WARNING
        and "ring_auth" in record.getMessage()
        and DEPRECATION.search(record.getMessage())
    ]
    if reports:
        pytest.fail(
            "Home Assistant reports a deprecation by ring_auth:\n" + "\n".join(reports),
            pytrace=False,
        )
