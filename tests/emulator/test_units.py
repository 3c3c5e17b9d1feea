"""Small pieces: the clock, settings JSON, masking, counters, lifecycle."""

from __future__ import annotations

import time

import pytest

from ring_emulator import Account, Clock, EmulatorSettings, RingEmulator
from ring_emulator.twofactor import mask_email, mask_phone


def test_clock() -> None:
    """now() is time.time() plus the advanced offset."""
    clock = Clock()
    before = time.time()
    assert before <= clock.now() <= time.time()
    clock.advance(100)
    clock.advance(0.5)
    assert clock.offset == 100.5
    assert clock.now() >= before + 100.5


def test_masks() -> None:
    """Phones keep their first two and last two characters; emails their first letter."""
    assert mask_phone("+15555550189") == "+1xxxxxxxx89"
    assert mask_phone("123") == "xxx"
    assert mask_email("demo@example.com") == "dxxx@example.com"


def test_account_defaults() -> None:
    """Accounts get a stable id and reject unknown 2FA methods."""
    assert (
        Account("a@example.com", "pw").account_id
        == Account("A@example.com", "x").account_id
    )
    assert Account("a@example.com", "pw", account_id=7).account_id == 7
    with pytest.raises(ValueError):
        Account("a@example.com", "pw", tsv_state="fax")  # type: ignore[arg-type]


def test_settings_json_round_trip() -> None:
    """to_json/update_from_json keep every field."""
    settings = EmulatorSettings(partner_clients={"p": "s"})
    data = settings.to_json()
    other = EmulatorSettings(accounts=[])
    other.update_from_json(data)
    assert other == settings
    assert settings.find_account("DEMO@example.com") is not None


def test_counters_mapping() -> None:
    """Counters read as attributes or by name; unknown names raise KeyError."""
    emu = RingEmulator()
    assert emu.counters["api_calls"] == emu.counters.api_calls == 0
    with pytest.raises(KeyError):
        emu.counters["nope"]
    emu.counters.add_device("a", None)
    assert emu.counters.authorized_devices == {}


def test_settings_setter() -> None:
    """Assigning emu.settings rebinds every component."""
    emu = RingEmulator()
    new = EmulatorSettings(grace=0, accounts=[])
    emu.settings = new
    assert emu.tokens.settings is new
    assert emu.twofactor.settings is new
    assert emu.endpoint.settings is new
    assert emu.last_code("demo@example.com") is None


async def test_context_manager_and_double_start(socket_enabled: None) -> None:
    """Using `async with` starts on a free port; a second start() is refused."""
    async with RingEmulator() as emu:
        assert emu.url is not None
        assert emu.url.startswith("http://127.0.0.1:")
        with pytest.raises(RuntimeError):
            await emu.start()
    assert emu.url is None


async def test_start_failure_cleans_up(socket_enabled: None) -> None:
    """A port already in use raises OSError and leaves the emulator stopped."""
    async with RingEmulator() as first:
        assert first.url is not None
        port = int(first.url.rsplit(":", 1)[1])
        second = RingEmulator()
        with pytest.raises(OSError):
            await second.start(port=port)
        assert second.url is None
        await second.stop()
