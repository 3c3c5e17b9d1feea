"""The launcher's parts: HTTP settings, console filter, banner, reset, ports, stopping a child."""

import argparse
import json
import os
from pathlib import Path
import signal
import socket
import sys
import time
from typing import Any

import demo
import demo_banner
from demo_console import HaConsole
from demo_procs import Child, Interrupts, listens, port_busy, port_owner
import demo_setup
from homeassistant.components.http import config as http_config
from homeassistant.core import HomeAssistant
import pytest

from tests.releases import newer_release_skip

from .conftest import ROOT

HTTP_META = ("created_at", "error", "error_message")


@newer_release_skip(
    "the demo writes the HTTP storage format of the release in .venv (version 2.2); "
    "a newer release migrates it (2026.11.0: version 3.1, versioned SSL profiles), which "
    "test_http_config_loads_in_home_assistant checks"
)
def test_http_config_matches_home_assistant(tmp_path: Path) -> None:
    """The stored HTTP settings are what Home Assistant's own schema makes of them."""
    demo.write_http_config(tmp_path, 18123)
    stored = json.loads((tmp_path / ".storage" / http_config.STORAGE_KEY).read_text())
    assert stored["version"] == http_config.STORAGE_VERSION
    assert stored["minor_version"] == http_config.STORAGE_MINOR_VERSION
    assert stored["key"] == http_config.STORAGE_KEY
    data = stored["data"]
    assert data["pending"] is None
    assert data["yaml_migration_done"] is True
    stable = {k: v for k, v in data["stable"].items() if k not in HTTP_META}
    expected = http_config.HTTP_STORAGE_SCHEMA(
        {"server_host": ["127.0.0.1"], "server_port": 18123}
    )
    assert stable == expected


async def test_http_config_loads_in_home_assistant(
    hass: HomeAssistant, hass_storage: dict[str, Any], tmp_path: Path
) -> None:
    """Home Assistant's own store loads the demo's HTTP settings (migrating them if newer).

    `make e2e-latest` writes them with .venv's demo code for the newest release's hass.
    """
    demo.write_http_config(tmp_path, 18123)
    path = tmp_path / ".storage" / http_config.STORAGE_KEY
    hass_storage[http_config.STORAGE_KEY] = json.loads(path.read_text())

    store = await http_config.async_get_and_load_store(hass)

    assert store.yaml_migration_done
    assert store.pending is None
    stable = {k: v for k, v in store.stable.items() if k not in HTTP_META}
    assert stable == http_config.HTTP_STORAGE_SCHEMA(
        {"server_host": ["127.0.0.1"], "server_port": 18123}
    )


def stamp(level: str, logger: str, message: str) -> str:
    """Return a console line in Home Assistant's format."""
    return f"2026-12-04 17:49:21.619 {level} (MainThread) [{logger}] {message}"


def test_console_filter() -> None:
    """Ring Auth at INFO+, warnings naming it, CRITICAL and early output; tracebacks follow."""
    console = HaConsole()
    lines = [
        ("Unable to find configuration. Creating default one.", True),
        (stamp("INFO", "custom_components.ring_auth", "refreshed"), True),
        (stamp("DEBUG", "custom_components.ring_auth.token_manager", "x"), False),
        (stamp("WARNING", "custom_components.ring_auth.token_manager", "slow"), True),
        (stamp("ERROR", "haffmpeg.core", "FFmpeg fails"), False),
        ("Traceback (most recent call last):", False),
        ("FileNotFoundError: ffmpeg", False),
        (stamp("WARNING", "homeassistant.loader", "custom integration ring_auth"), True),
        (stamp("ERROR", "homeassistant.config_entries", "Error setting up entry x for ring_auth"), True),
        ("Traceback (most recent call last):", True),
        (stamp("INFO", "homeassistant.core", "Ring Auth mentioned at INFO"), False),
        (stamp("CRITICAL", "homeassistant.core", "disk full"), True),
        (stamp("ERROR", "custom_components.ring_authx", "another integration"), False),
    ]  # fmt: skip
    assert [console.wanted(line) for line, _ in lines] == [want for _, want in lines]


def args(config: Path, *, emulator_only: bool = False) -> argparse.Namespace:
    """Return demo arguments for the banner."""
    return argparse.Namespace(
        config=config,
        ha_port=18123,
        access_token_lifetime=300,
        emulator_only=emulator_only,
    )


def storage(config: Path, key: str, data: object) -> None:
    """Write a Home Assistant storage file."""
    (config / ".storage").mkdir(exist_ok=True)
    (config / ".storage" / key).write_text(json.dumps({"data": data}))


def banner_text(
    capsys: pytest.CaptureFixture[str], config: Path, state: object, **kwargs: bool
) -> str:
    """Return what the banner says."""
    demo_banner.banner(args(config, **kwargs), "http://127.0.0.1:18765", state)
    return capsys.readouterr().out


def test_banner_tells_what_it_found(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """New, onboarded, an existing login the emulator kept, and one it lost."""
    new = {"loaded": False, "live_logins": []}
    text = banner_text(capsys, tmp_path, new)
    assert "a new state in config/ring_emulator_state.json" in text
    assert "1. Finish onboarding" in text
    assert "2. Settings > Devices & services > Add integration > Ring Auth." in text
    assert (
        "curl -X POST http://127.0.0.1:18765/_emulator/ding -d"
        """ '{"device_id": 123456001}'"""
    ) in text

    storage(tmp_path, "onboarding", {"done": sorted(demo_banner.ONBOARDING_STEPS)})
    text = banner_text(capsys, tmp_path, new)
    assert "Finish onboarding" not in text
    assert "1. Settings > Devices & services" in text

    entry = {"domain": "ring_auth", "title": "x", "data": {"email": "Demo@example.com"}}
    other = {"domain": "met", "title": "Home", "data": {}}
    storage(tmp_path, "core.config_entries", {"entries": [entry, other]})
    kept = banner_text(
        capsys, tmp_path, {"loaded": True, "live_logins": ["demo@example.com"]}
    )
    assert "an existing state" in kept
    assert "Ring Auth is set up for Demo@example.com and the emulator kept" in kept
    assert "Add integration" not in kept
    lost = banner_text(capsys, tmp_path, None)
    assert "holds a login for Demo@example.com that the emulator" in lost
    assert "does not know: Home Assistant will ask to log in again." in lost

    # A state file of an older demo gave the account another id: ring what is there.
    demo_banner.banner(
        args(tmp_path),
        "http://127.0.0.1:18765",
        new,
        [
            {"id": 400673004, "email": "demo@example.com", "group": "stickup_cams"},
            {"id": 400673001, "email": "demo@example.com", "group": "doorbots"},
        ],
    )
    assert """-d '{"device_id": 400673001}'""" in capsys.readouterr().out

    alone = banner_text(capsys, tmp_path, new, emulator_only=True)
    assert "Home Assistant" not in alone
    assert "Ring login: demo@example.com / demo-password" in alone


def test_reset_keeps_only_the_configuration(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """demo-reset removes storage, logs, the emulator state and the link; not the YAML."""
    (tmp_path / "configuration.yaml").write_text("homeassistant:\n")
    (tmp_path / ".storage").mkdir()
    (tmp_path / ".storage" / "core.config_entries").write_text("{}")
    (tmp_path / demo_setup.STATE_FILE).write_text("{}")
    (tmp_path / "home-assistant.log").write_text("")
    demo.link_integration(tmp_path)
    demo_banner.reset(tmp_path)
    demo_banner.reset(tmp_path)
    lines = capsys.readouterr().out.splitlines()
    assert [p.name for p in tmp_path.iterdir()] == ["configuration.yaml"]
    assert (ROOT / "custom_components" / "ring_auth" / "manifest.json").exists()
    assert lines[0].startswith(f"[demo] Starting afresh: removed from {tmp_path}: ")
    assert lines[1].endswith(": nothing to remove")


def test_ports_and_their_owner(socket_enabled: None) -> None:
    """A listening port is busy and owned by this process, not by another one."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        port = sock.getsockname()[1]
        assert port_busy(port)
        assert listens(os.getpid(), port) is True
        assert listens(1, port) is False
        owner = port_owner(port)
        assert owner is not None
        assert owner.startswith(f"pid {os.getpid()}: ")
    assert not port_busy(port)
    assert port_owner(port) is None


# Child programs: "running" ones catch SIGTERM as Home Assistant does once it runs.
ON_SIGNAL = "lambda n, f: (print(signal.Signals(n).name, flush=True), sys.exit(0))"
CHILDREN = {
    "running": f"signal.signal(2, {ON_SIGNAL}); signal.signal(15, {ON_SIGNAL})",
    "deaf to SIGINT": f"signal.signal(2, signal.SIG_IGN); signal.signal(15, {ON_SIGNAL})",
    "deaf to both": "signal.signal(2, signal.SIG_IGN); signal.signal(15, signal.SIG_IGN)",
    "starting": "pass",
}


@pytest.mark.parametrize(
    ("kind", "got", "code", "said"),
    [
        ("running", "SIGINT", 0, []),
        ("deaf to SIGINT", "SIGTERM", 0, ["SIGTERM"]),
        ("deaf to both", None, -signal.SIGKILL, ["SIGKILL"]),
        ("starting", None, -signal.SIGTERM, []),
    ],
)
def test_child_stops_in_steps(
    kind: str,
    got: str | None,
    code: int,
    said: list[str],
    capsys: pytest.CaptureFixture[str],
) -> None:
    """One SIGINT (SIGTERM while starting), then SIGTERM, then SIGKILL, each only if needed."""
    program = f"import signal, sys, time; {CHILDREN[kind]}; print('up', flush=True); time.sleep(60)"
    lines: list[str] = []
    child = Child("sleeper", [sys.executable, "-c", program], lines.append, cwd=ROOT)
    deadline = time.monotonic() + 10
    while not lines and time.monotonic() < deadline:
        time.sleep(0.02)
    assert lines == ["up"]
    assert os.getpgid(child.proc.pid) == child.proc.pid  # a group of its own
    assert child.stop(Interrupts(), 0.2, term_patience=0.2) == code
    assert lines[1:] == ([got] if got else [])
    out = capsys.readouterr().out
    assert [w for w in ("SIGTERM", "SIGKILL") if f"sending {w}" in out] == said


def test_interrupts_count() -> None:
    """The launcher's handlers count signals instead of raising KeyboardInterrupt."""
    interrupts = Interrupts()
    previous = {
        s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)
    }
    try:
        interrupts.install()
        assert not interrupts.wait(0.01)
        os.kill(os.getpid(), signal.SIGINT)
        assert interrupts.wait(1)
        os.kill(os.getpid(), signal.SIGHUP)
        time.sleep(0.05)
        assert interrupts.count == 2
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
