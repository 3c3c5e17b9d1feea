"""`make demo`: the Ring emulator and Home Assistant with Ring Auth, until Ctrl-C.

Starts `python -m ring_emulator` (short-lived demo tokens, the demo account) and
`hass -c config` with the integration linked into `config/custom_components` and
RING_AUTH_BASE_URL pointing at the emulator. The emulator's 2FA codes are shown here.
"""

import argparse
import contextlib
from datetime import UTC, datetime
import json
import os
from pathlib import Path
import re
import signal
import subprocess
import sys
import threading
import time
import urllib.request

ROOT = Path(__file__).resolve().parent.parent
CONFIG = ROOT / "config"
VENV_BIN = Path(sys.executable).parent
DEMO_EMAIL = "demo@example.com"
DEMO_PASSWORD = "demo-password"  # noqa: S105 - the emulator's public demo account


def say(text: str) -> None:
    """Write a line to the console at once."""
    sys.stdout.write(text + "\n")
    sys.stdout.flush()


def frontend_pin() -> str:
    """Return the home-assistant-frontend requirement this Home Assistant pins."""
    import homeassistant

    constraints = Path(homeassistant.__file__).parent / "package_constraints.txt"
    match = re.search(
        r"^home-assistant-frontend==\S+$", constraints.read_text(), re.MULTILINE
    )
    if match is None:
        raise SystemExit("cannot find the frontend pin in package_constraints.txt")
    return match.group(0)


def ensure_frontend() -> None:
    """Install the pinned frontend into the venv once (Home Assistant needs it for the UI)."""
    pin = frontend_pin()
    try:
        from importlib.metadata import version

        if version("home-assistant-frontend") == pin.split("==")[1]:
            return
    except ImportError:
        pass
    say(f"Installing {pin} (once)...")
    pip_install(pin)


def pip_install(*requirements: str) -> None:
    """Install into this venv, with its uv when there is one (about three times faster)."""
    uv = VENV_BIN / "uv"
    cmd = (
        [str(uv), "pip", "install", "-q", "--python", sys.executable, *requirements]
        if uv.exists()
        else [sys.executable, "-m", "pip", "install", "-q", *requirements]
    )
    subprocess.run(cmd, check=True)


def link_integration(config: Path = CONFIG) -> None:
    """Make <config>/custom_components/ring_auth point at the repository's integration."""
    target = config / "custom_components" / "ring_auth"
    target.parent.mkdir(parents=True, exist_ok=True)
    if target.is_symlink() or target.exists():
        return
    target.symlink_to(
        ROOT / "custom_components" / "ring_auth", target_is_directory=True
    )


def write_http_config(config: Path, port: int) -> None:
    """Store Home Assistant's HTTP settings (loopback, this port) as confirmed.

    Since 2026.10 Home Assistant keeps them in .storage/http; `http:` in YAML is only a
    trial that it reverts after five minutes (restarting on port 8123) unless confirmed.
    """
    from homeassistant.components.http import config as http_config

    stable = http_config.HTTP_STORAGE_SCHEMA(
        {"server_host": ["127.0.0.1"], "server_port": port}
    ) | {
        "created_at": datetime.now(UTC).isoformat(),
        "error": None,
        "error_message": None,
    }
    path = config / ".storage" / http_config.STORAGE_KEY
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        json.dumps(
            {
                "version": http_config.STORAGE_VERSION,
                "minor_version": http_config.STORAGE_MINOR_VERSION,
                "key": http_config.STORAGE_KEY,
                "data": {
                    "stable": stable,
                    "pending": None,
                    "yaml_migration_done": True,
                },
            },
            indent=2,
        )
    )


def hass_command(config: Path) -> list[str]:
    """Return the command line that runs Home Assistant on a config directory."""
    return [
        str(VENV_BIN / "hass"),
        "-c",
        str(config),
        "--skip-pip-packages",
        "home-assistant-frontend",
    ]


def hass_env(emulator_url: str) -> dict[str, str]:
    """Return the environment that points the integration at the emulator."""
    return os.environ | {"RING_AUTH_BASE_URL": emulator_url}


def pump(
    proc: subprocess.Popen[str], prefix: str, ready: threading.Event, marker: str
) -> None:
    """Copy a child's output to the console; set `ready` when `marker` appears."""
    assert proc.stdout is not None  # noqa: S101
    for line in proc.stdout:
        if marker in line:
            ready.set()
        if prefix == "emulator" or "ring_auth" in line or "ERROR" in line:
            say(f"[{prefix}] {line.rstrip()}")


def wait_http(url: str, seconds: float) -> bool:
    """Wait until url answers."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError), urllib.request.urlopen(url, timeout=2):  # noqa: S310
            return True
        time.sleep(0.5)
    return False


def main() -> int:
    """Run both processes until Ctrl-C, then stop them."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, default=8765, help="emulator port")
    parser.add_argument("--ha-port", type=int, default=8123)
    parser.add_argument("--access-token-lifetime", type=int, default=300)
    parser.add_argument("--emulator-only", action="store_true")
    args = parser.parse_args()

    emulator_url = f"http://127.0.0.1:{args.port}"
    procs: list[subprocess.Popen[str]] = []

    def stop(*_: object) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)
    try:
        emu = subprocess.Popen(
            [sys.executable, "-u", "-m", "ring_emulator", "--port", str(args.port),
             "--access-token-lifetime", str(args.access_token_lifetime), "--grace", "60",
             "--account", f"{DEMO_EMAIL}:{DEMO_PASSWORD}:sms"],
            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        )  # fmt: skip
        procs.append(emu)
        emu_ready = threading.Event()
        threading.Thread(
            target=pump, args=(emu, "emulator", emu_ready, "listening"), daemon=True
        ).start()
        if not emu_ready.wait(15):
            say("The emulator did not start.")
            return 1
        if not args.emulator_only:
            ensure_frontend()
            link_integration()
            write_http_config(CONFIG, args.ha_port)
            hass = subprocess.Popen(
                hass_command(CONFIG), cwd=ROOT, env=hass_env(emulator_url),
                stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
            )  # fmt: skip
            procs.append(hass)
            threading.Thread(
                target=pump, args=(hass, "hass", threading.Event(), ""), daemon=True
            ).start()
            ha_url = f"http://127.0.0.1:{args.ha_port}"
            if not wait_http(ha_url + "/manifest.json", 180):
                say("Home Assistant did not start; see config/home-assistant.log")
                return 1
        say("")
        say(
            f"Ring emulator:  {emulator_url}  (access tokens live {args.access_token_lifetime} s)"
        )
        if not args.emulator_only:
            say(f"Home Assistant: http://127.0.0.1:{args.ha_port}")
            say("  1. Finish onboarding (any name and password).")
            say("  2. Settings > Devices & services > Add integration > Ring Auth.")
        say(
            f"  Ring login: {DEMO_EMAIL} / {DEMO_PASSWORD}; the 2FA code is printed here"
        )
        say("  as '[emulator] 2FA code for ...'. Ctrl-C stops everything.")
        say("")
        while all(p.poll() is None for p in procs):
            time.sleep(0.5)
        say("A process ended on its own; stopping the rest.")
        return 1
    except KeyboardInterrupt:
        say("\nStopping...")
        return 0
    finally:
        for proc in reversed(procs):
            if proc.poll() is None:
                proc.send_signal(signal.SIGINT)
        for proc in reversed(procs):
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()


if __name__ == "__main__":
    sys.exit(main())
