"""`scripts/demo.py` as a newcomer runs it: busy ports, Ctrl-C, a child that fails.

Home Assistant is played by tests/demo/fake_hass.py: the launcher's job (ports, readiness,
signals, console filter) does not depend on what runs inside hass, while a real hass takes
about 4 s to start and 3 s to stop and needs the frontend package, which `make test` does not
install. The stand-in handles signals the way Home Assistant does (a second SIGINT raises an
uncaught KeyboardInterrupt), reads its port from .storage/http, and prints Home Assistant's
console format. The real hass is exercised by `make e2e` and by hand (README).
"""

from collections.abc import Callable
import json
import os
import socket
import time

from demo_procs import port_busy
import pytest

from .conftest import DemoRun, free_port

type RunDemo = Callable[..., DemoRun]


def test_ctrl_c_stops_everything_once(run_demo: RunDemo) -> None:
    """One Ctrl-C: one SIGINT for hass, a clean exit, no traceback, both ports free."""
    demo = run_demo()
    demo.wait_for("Ctrl-C stops everything")
    out = demo.output()
    assert "[emulator] State file" in out
    assert "a new state in config/ring_emulator_state.json" in out
    assert "1. Finish onboarding" in out
    # The console: Ring Auth's lines and Home Assistant's warnings about it, no noise.
    assert "[custom_components.ring_auth] Ring login refreshed" in out
    assert "[homeassistant.loader] We found a custom integration ring_auth" in out
    assert "debug detail" not in out
    assert "ffmpeg" not in out
    assert "FileNotFoundError" not in out
    env = json.loads((demo.config / "env.json").read_text())
    assert env == {
        "RING_AUTH_BASE_URL": f"http://127.0.0.1:{demo.port}",
        "SETUP_PORT": str(demo.ha_port),
    }
    started = time.monotonic()
    demo.ctrl_c()
    assert demo.finish() == 0
    assert time.monotonic() - started < 5
    assert (demo.config / "signals.txt").read_text() == "SIGINT\n"
    out = demo.output()
    assert "Traceback" not in out
    assert "KeyboardInterrupt" not in out
    assert out.rstrip().endswith("[demo] Stopped.")
    assert not port_busy(demo.port)
    assert not port_busy(demo.ha_port)


def test_ctrl_c_while_hass_starts(run_demo: RunDemo) -> None:
    """Ctrl-C before Home Assistant has its handlers: it is ended quietly, no traceback."""
    demo = run_demo(env={"FAKE_HASS_SLOW_START": "30"})
    demo.wait_for("[demo] Waiting for Home Assistant...")
    time.sleep(0.3)
    started = time.monotonic()
    demo.ctrl_c()
    assert demo.finish() == 0
    assert time.monotonic() - started < 3
    assert "Traceback" not in demo.output()
    assert not (demo.config / "signals.txt").exists()
    assert not port_busy(demo.port)


def test_second_ctrl_c_hurries(run_demo: RunDemo) -> None:
    """Ctrl-C twice: the second skips the wait and sends SIGTERM, still without a traceback."""
    demo = run_demo()
    demo.wait_for("Ctrl-C stops everything")
    demo.ctrl_c()
    demo.wait_for("[demo] Stopping...")
    demo.ctrl_c()
    assert demo.finish() == 0
    assert "KeyboardInterrupt" not in demo.output()
    assert (demo.config / "signals.txt").read_text() in (
        "SIGINT\n",
        "SIGINT\nSIGTERM\n",
    )


@pytest.mark.parametrize("which", ["PORT", "HA_PORT"])
def test_busy_port_stops_at_once(run_demo: RunDemo, which: str) -> None:
    """A port in use: one line naming it and the variable, in well under 2 s, nothing started."""
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        other = free_port()
        ports = (port, other) if which == "PORT" else (other, port)
        started = time.monotonic()
        demo = run_demo("--port", str(ports[0]), "--ha-port", str(ports[1]))
        assert demo.finish() == 1
        elapsed = time.monotonic() - started
    assert elapsed < 2
    [line] = demo.lines
    assert line.startswith(f"Port {port} for ")
    assert f"already in use (by pid {os.getpid()}" in line
    assert line.endswith(f"e.g. make demo {which}={port + 1}")
    assert sorted(p.name for p in demo.config.iterdir()) == ["configuration.yaml"]


def test_same_port_twice(run_demo: RunDemo) -> None:
    """PORT and HA_PORT equal: one line."""
    port = free_port()
    demo = run_demo("--port", str(port), "--ha-port", str(port))
    assert demo.finish() == 1
    assert demo.lines == [
        f"PORT and HA_PORT are both {port}: give them different ports."
    ]


def test_hass_that_dies_is_reported_at_once(run_demo: RunDemo) -> None:
    """A Home Assistant that exits during start-up ends the demo with its exit code, quickly."""
    started = time.monotonic()
    demo = run_demo(env={"FAKE_HASS_EXIT": "3"})
    assert demo.finish() == 1
    assert time.monotonic() - started < 10
    out = demo.output()
    assert "fake hass: failing on purpose" in out
    assert "[demo] Home Assistant exited with code 3; stopping." in out
    assert "Ctrl-C stops everything" not in out
    assert not port_busy(demo.port)


def test_recovery_mode_is_not_served(run_demo: RunDemo) -> None:
    """Home Assistant in recovery mode is stopped, never announced as the demo."""
    demo = run_demo(env={"FAKE_HASS_RECOVERY": "1"})
    assert demo.finish() == 1
    out = demo.output()
    assert "Home Assistant went into recovery mode" in out
    assert "Ctrl-C stops everything" not in out
    assert (demo.config / "signals.txt").read_text() == "SIGINT\n"
    assert not port_busy(demo.ha_port)
