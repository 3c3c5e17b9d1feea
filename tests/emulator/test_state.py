"""The state file: what survives a restart, written before the answer, bad files refused."""

from __future__ import annotations

import asyncio
import copy
import json
from pathlib import Path
import stat
from typing import Any

import aiohttp
import pytest

from ring_emulator import Account, EmulatorSettings, RingEmulator
from ring_emulator.state import EmulatorState, StateFileError

from .common import (
    HARDWARE_ID,
    PARTNER_ID,
    PARTNER_SECRET,
    PASSWORD,
    SMS,
    api_get,
    headers,
    login,
    password_form,
    post_token,
    refresh,
)


@pytest.fixture
def state_file(tmp_path: Path) -> Path:
    """Return where the state goes (not created yet)."""
    return tmp_path / "demo" / "ring_emulator.json"


def fresh(settings: EmulatorSettings, path: Path | None) -> RingEmulator:
    """Return an emulator with its own copy of the settings, as a new process would have."""
    return RingEmulator(copy.deepcopy(settings), state_file=path)


def on_disk(path: Path) -> dict[str, Any]:
    """Return the components as they are in the file right now."""
    return dict(json.loads(path.read_text())["components"])


async def test_restart_continues_the_login(
    emulator_settings: EmulatorSettings,
    state_file: Path,
    session: aiohttp.ClientSession,
    socket_enabled: None,
) -> None:
    """Tokens, exchanged-within-grace records, devices, counters and the clock survive a restart."""
    first = fresh(emulator_settings, state_file)
    await first.start()
    tokens = await login(session, first)
    status, rotated = await refresh(session, first, tokens["refresh_token"])
    assert status == 200
    async with session.post(
        f"{first.url}/_emulator/clock", json={"advance": 30}
    ) as resp:
        assert resp.status == 200
    counters = first.counters.as_dict()
    await first.stop()

    second = fresh(emulator_settings, state_file)
    assert second.state_summary() == {
        "file": str(state_file),
        "loaded": True,
        "live_logins": [SMS],
    }
    await second.start()
    try:
        assert second.clock.offset == 30
        assert second.counters.as_dict() == counters
        assert second.counters.authorized_devices[SMS] == [HARDWARE_ID]
        status, _ = await api_get(session, second, rotated["access_token"])
        assert status == 200
        # The first refresh token was exchanged 30 s ago: still inside the 60 s grace.
        status, _ = await refresh(session, second, tokens["refresh_token"])
        assert status == 200
        assert second.counters.refresh_reuse == 1
        status, again = await refresh(session, second, rotated["refresh_token"])
        assert status == 200
        await second.save_state()
        second.clock.advance(61)
        status, _ = await refresh(session, second, tokens["refresh_token"])
        assert status == 401
        status, _ = await refresh(session, second, again["refresh_token"])
        assert status == 200
    finally:
        await second.stop()


async def test_restart_keeps_the_household(
    emulator_settings: EmulatorSettings,
    state_file: Path,
    session: aiohttp.ClientSession,
    socket_enabled: None,
) -> None:
    """Devices added, changed and removed, and every ding, survive a restart.

    Otherwise a second `make demo` shows the doorbell's last activity jump back to the
    made-up history, and new dings reuse the ids of old ones.
    """
    first = fresh(emulator_settings, state_file)
    await first.start()
    control = f"{first.url}/_emulator"
    async with session.get(f"{control}/devices") as resp:
        doorbell, *others = [d for d in await resp.json() if d["email"] == SMS]
    async with session.post(
        f"{control}/ding", json={"device_id": doorbell["id"]}
    ) as resp:
        rang = await resp.json()
    async with session.post(
        f"{control}/devices", json={"email": SMS, "kind": "doorbell_v5", "name": "Gate"}
    ) as resp:
        assert resp.status == 201
    async with session.patch(
        f"{control}/devices/{doorbell['id']}", json={"battery": 41}
    ) as resp:
        assert resp.status == 200
    async with session.delete(f"{control}/devices/{others[0]['id']}") as resp:
        assert resp.status == 200
    async with session.get(f"{control}/devices") as resp:
        before = await resp.json()
    history = first.household.history(first.household.device(doorbell["id"]), 10)
    await first.stop()

    second = fresh(emulator_settings, state_file)
    await second.start()
    try:
        async with session.get(f"{second.url}/_emulator/devices") as resp:
            assert await resp.json() == before
        dev = second.household.device(doorbell["id"])
        assert second.household.history(dev, 10) == history
        assert history[0].id == rang["id"]
        async with session.post(
            f"{second.url}/_emulator/ding", json={"device_id": doorbell["id"]}
        ) as resp:
            assert (await resp.json())["id"] > rang["id"]
    finally:
        await second.stop()


async def test_restart_during_2fa_and_linking(
    emulator_settings: EmulatorSettings,
    state_file: Path,
    session: aiohttp.ClientSession,
    socket_enabled: None,
) -> None:
    """A code sent before a restart is accepted after it; so is an account-linking code."""
    first = fresh(emulator_settings, state_file)
    await first.start()
    status, _, _ = await post_token(session, first, password_form(SMS), headers())
    assert status == 412
    code = first.last_code(SMS)
    query = {
        "response_type": "code",
        "client_id": PARTNER_ID,
        "redirect_uri": "https://example.com/cb",
        "code_challenge": "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM",
        "code_challenge_method": "S256",
        "approve": "1",
    }
    async with session.get(
        f"{first.url}/oauth/authorize", params=query, allow_redirects=False
    ) as resp:
        link_code = resp.headers["Location"].split("code=")[1].split("&")[0]
    await first.stop()

    second = fresh(emulator_settings, state_file)
    await second.start()
    try:
        status, body, _ = await post_token(
            session, second, password_form(SMS), headers(code)
        )
        assert status == 200, body
        form = {
            "grant_type": "authorization_code",
            "code": link_code,
            "code_verifier": "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk",
            "redirect_uri": "https://example.com/cb",
            "client_id": PARTNER_ID,
            "client_secret": PARTNER_SECRET,
        }
        status, body, _ = await post_token(session, second, form)
        assert status == 200, body
    finally:
        await second.stop()


async def test_rotated_token_on_disk_before_the_answer(
    emulator_settings: EmulatorSettings,
    state_file: Path,
    session: aiohttp.ClientSession,
    socket_enabled: None,
) -> None:
    """Every refresh token a client receives is already in the file, also under concurrency."""
    emu = fresh(emulator_settings, state_file)
    await emu.start()
    try:
        tokens = await login(session, emu)
        assert tokens["refresh_token"] in on_disk(state_file)["tokens"]["refresh"]

        async def one() -> str:
            status, body = await refresh(session, emu, tokens["refresh_token"])
            assert status == 200
            saved = on_disk(state_file)["tokens"]["refresh"]
            assert body["refresh_token"] in saved
            return str(body["refresh_token"])

        new = await asyncio.gather(*(one() for _ in range(20)))
        assert len(set(new)) == 20
    finally:
        await emu.stop()
    mode = stat.S_IMODE(state_file.stat().st_mode)
    assert mode == 0o600  # passwords and live tokens
    assert [p.name for p in state_file.parent.iterdir()] == [state_file.name]


async def test_unchanged_state_is_not_rewritten(
    emulator_settings: EmulatorSettings,
    state_file: Path,
    session: aiohttp.ClientSession,
    socket_enabled: None,
) -> None:
    """Reading the control API changes nothing and writes nothing; Python changes wait for save_state()."""
    emu = fresh(emulator_settings, state_file)
    await emu.start()
    try:
        before = state_file.stat().st_mtime_ns
        async with session.get(f"{emu.url}/_emulator/settings") as resp:
            assert resp.status == 200
        async with session.get(f"{emu.url}/_emulator/state") as resp:
            assert (await resp.json())["file"] == str(state_file)
        assert state_file.stat().st_mtime_ns == before
        emu.clock.advance(5)
        assert on_disk(state_file)["clock"]["offset"] == 0
        await emu.save_state()
        assert on_disk(state_file)["clock"]["offset"] == 5
    finally:
        await emu.stop()


async def test_in_memory_without_a_path(
    emulator_settings: EmulatorSettings,
    tmp_path: Path,
    session: aiohttp.ClientSession,
    socket_enabled: None,
) -> None:
    """Without a state file nothing is read or written."""
    emu = fresh(emulator_settings, None)
    await emu.start()
    try:
        await login(session, emu)
    finally:
        await emu.stop()
    assert emu.state_summary() == {"file": None, "loaded": False, "live_logins": [SMS]}
    assert list(tmp_path.iterdir()) == []
    emu.state.save_now()
    assert list(tmp_path.iterdir()) == []


async def test_write_failure_answers_500(
    emulator_settings: EmulatorSettings,
    state_file: Path,
    session: aiohttp.ClientSession,
    socket_enabled: None,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """When the state cannot be written, the client gets a 500 and never an unsaved token."""
    emu = fresh(emulator_settings, state_file)
    await emu.start()
    try:
        tokens = await login(session, emu)
        state_file.unlink()
        state_file.parent.rmdir()
        state_file.parent.write_text("not a directory")
        status, body = await refresh(session, emu, tokens["refresh_token"])
        assert status == 500
        assert "refresh_token" not in str(body)
        assert "cannot write the emulator state" in caplog.text
    finally:
        state_file.parent.unlink()
        await emu.stop()
    assert tokens["refresh_token"] not in caplog.text


def write_state(path: Path, components: Any, **extra: Any) -> str:
    """Write a state file by hand; return its text."""
    data = {"kind": "ring_emulator state", "version": 1, "components": components}
    text = json.dumps(data | extra)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return text


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{not json", "is not JSON"),
        ('{"kind": "something else"}', "is not a Ring emulator state file"),
        ('{"kind": "ring_emulator state", "version": 99}', "has state version 99"),
        ('{"kind": "ring_emulator state", "version": 1}', "holds no components"),
    ],
)
def test_bad_file_is_refused_and_kept(
    emulator_settings: EmulatorSettings,
    state_file: Path,
    content: str,
    message: str,
) -> None:
    """A file the emulator cannot use is named in a clear error and left as it was."""
    state_file.parent.mkdir(parents=True)
    state_file.write_text(content)
    with pytest.raises(StateFileError, match=message) as err:
        fresh(emulator_settings, state_file)
    assert str(state_file) in str(err.value)
    assert state_file.read_text() == content


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("tokens", {"access": {"t": {"account": 1, "expires_at": 0}}, "refresh": {}},
         "account has the wrong type"),
        ("tokens", {"access": {}, "refresh": {}, "next_family": "1", "issued": 0},
         "next_family and issued must be integers"),
        ("accounts", [{"email": "x@example.com"}], "TypeError"),
        ("accounts", {"email": "x@example.com"}, "accounts must be a list"),
        ("clock", {"offset": "soon"}, "offset must be a number"),
        ("counters", {"api_calls": "many"}, "counter api_calls has the wrong type"),
        ("twofactor", {"codes": {"k": {"code": 5}}, "totp": {}}, "KeyError"),
        ("twofactor",
         {"codes": {"k": {"code": 5, "sent_at": 1, "used": False, "requests": []}}, "totp": {}},
         "code must be a string"),
        ("linking", {"c": {"account": "a"}}, "TypeError"),
        ("household", {"homes": [], "next_event_id": 1}, "KeyError"),
        ("household", {"homes": [], "next_event_id": 1, "devices": [{"id": 1}]},
         "KeyError"),
        ("household", {"homes": [], "next_event_id": "x", "devices": []}, "ValueError"),
    ],
)  # fmt: skip
def test_bad_component_is_refused(
    emulator_settings: EmulatorSettings,
    state_file: Path,
    name: str,
    data: Any,
    message: str,
) -> None:
    """Bad data for one component names the component and what is wrong; the file stays."""
    content = write_state(state_file, {name: data})
    with pytest.raises(StateFileError, match=f"bad '{name}' state") as err:
        fresh(emulator_settings, state_file)
    assert message in str(err.value)
    assert state_file.read_text() == content


def test_failed_write_leaves_no_temp_file(tmp_path: Path) -> None:
    """A write that cannot replace the file raises and leaves nothing behind."""
    target = tmp_path / "state.json"
    state = EmulatorState(target)
    state.register("clock", RingEmulator().clock)
    target.mkdir()
    with pytest.raises(OSError):
        state.save_now()
    assert [p.name for p in tmp_path.iterdir()] == ["state.json"]
    target.rmdir()
    state.save_now()
    assert on_disk(target) == {"clock": {"offset": 0.0}}
    before = target.stat().st_mtime_ns
    state.save_now()
    assert target.stat().st_mtime_ns == before


def test_unreadable_file(emulator_settings: EmulatorSettings, tmp_path: Path) -> None:
    """A path that cannot be read (here a directory) is a clear error."""
    with pytest.raises(StateFileError, match="cannot read"):
        fresh(emulator_settings, tmp_path)


async def test_unknown_parts_are_kept(
    emulator_settings: EmulatorSettings, state_file: Path, socket_enabled: None
) -> None:
    """Parts of the file no component claims (a newer emulator's) are written back unchanged."""
    write_state(state_file, {"alarm": {"panels": [1, 2]}, "clock": {"offset": 7}})
    emu = fresh(emulator_settings, state_file)
    assert emu.clock.offset == 7
    assert emu.tokens.live_accounts() == []
    await emu.start()
    emu.clock.advance(1)
    await emu.stop()
    assert on_disk(state_file)["alarm"] == {"panels": [1, 2]}
    assert on_disk(state_file)["clock"] == {"offset": 8}


def test_accounts_merge(state_file: Path) -> None:
    """The file's version of an account wins (a changed password); new ones on either side are kept."""
    saved = [
        Account(email="Demo@example.com", password="changed").to_json(),
        Account(email="added@example.com", password="pw").to_json(),
    ]
    write_state(state_file, {"accounts": saved})
    settings = EmulatorSettings(
        accounts=[
            Account(email="new@example.com", password=PASSWORD),
            Account(email="demo@example.com", password="demo-password"),
        ]
    )
    emu = RingEmulator(settings, state_file=state_file)
    assert [(a.email, a.password) for a in emu.settings.accounts] == [
        ("new@example.com", PASSWORD),
        ("Demo@example.com", "changed"),
        ("added@example.com", "pw"),
    ]


def test_register_twice() -> None:
    """Two components cannot share a name in the file."""
    state = EmulatorState()
    emu = RingEmulator()
    state.register("clock", emu.clock)
    with pytest.raises(ValueError, match="twice"):
        state.register("clock", emu.clock)
