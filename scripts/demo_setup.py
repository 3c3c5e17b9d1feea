"""What `make demo` sets up and runs: paths, the demo account, commands, HTTP settings.

scripts/e2e.py builds its Home Assistant from these too.
"""

from datetime import UTC, datetime
import json
import os
from pathlib import Path
import re
import subprocess
import sys
import time
from typing import Any
import urllib.request

from demo_procs import say

ROOT = Path(__file__).resolve().parent.parent
CONFIG = ROOT / "config"
VENV_BIN = Path(sys.executable).parent
DEMO_EMAIL = "demo@example.com"
DEMO_PASSWORD = "demo-password"  # noqa: S105 - the emulator's public demo account
STATE_FILE = "ring_emulator_state.json"


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


# What homeassistant/components/http/config.py's HTTP_STORAGE_SCHEMA makes of a loopback
# host and a port, and its storage version: written without importing Home Assistant (2 s),
# checked against it by tests/demo/test_units.py.
HTTP_STORAGE: dict[str, Any] = {"key": "http", "version": 2, "minor_version": 2}
HTTP_DEFAULTS: dict[str, Any] = {
    "cors_allowed_origins": ["https://cast.home-assistant.io"],
    "login_attempts_threshold": -1,
    "ip_ban_enabled": True,
    "ssl_profile": "modern",
    "use_x_frame_options": True,
}


def write_http_config(config: Path, port: int) -> None:
    """Store Home Assistant's HTTP settings (loopback, this port) as confirmed.

    Since 2026.10 Home Assistant keeps them in .storage/http; `http:` in YAML is only a
    trial that it reverts after five minutes (restarting on port 8123) unless confirmed.
    """
    stable = {"server_host": ["127.0.0.1"], "server_port": port} | HTTP_DEFAULTS
    stable |= {
        "created_at": datetime.now(UTC).isoformat(),
        "error": None,
        "error_message": None,
    }
    path = config / ".storage" / HTTP_STORAGE["key"]
    path.parent.mkdir(parents=True, exist_ok=True)
    data = {"stable": stable, "pending": None, "yaml_migration_done": True}
    path.write_text(json.dumps(HTTP_STORAGE | {"data": data}, indent=2))


def hass_command(config: Path) -> list[str]:
    """Return the command line that runs Home Assistant on a config directory."""
    return [
        str(VENV_BIN / "hass"),
        "-c",
        str(config),
        "--skip-pip-packages",
        "home-assistant-frontend",
    ]


def hass_env(emulator_url: str, port: int | None = None) -> dict[str, str]:
    """Return the environment that points the integration at the emulator.

    With a port, SETUP_PORT makes it the port of Home Assistant's last-resort HTTP config
    too: recovery mode falls back to that default (all interfaces) when the stored config
    cannot be bound, and on the same port that bind fails for the same reason, so Home
    Assistant never ends up listening on every interface (homeassistant/components/http/
    config.py, async_get_fallback_config).
    """
    env = os.environ | {"RING_AUTH_BASE_URL": emulator_url}
    if port is not None:
        env["SETUP_PORT"] = str(port)
    return env


def emulator_command(
    port: int, state_file: Path | None, access_token_lifetime: int = 300
) -> list[str]:
    """Return the demo's emulator command line (60 s grace).

    No --account: the emulator's default is the demo account (DEMO_EMAIL, SMS codes) with
    the account id 123456 that the banner's and README's doorbell ids (123456001...) use;
    an --account line would derive another id from the email.
    """
    command = [
        sys.executable, "-u", "-m", "ring_emulator", "--port", str(port),
        "--access-token-lifetime", str(access_token_lifetime), "--grace", "60",
    ]  # fmt: skip
    if state_file is not None:
        command += ["--state-file", str(state_file)]
    return command


def wait_http(url: str, seconds: float) -> bool:
    """Wait until url answers."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if get_json(url) is not None:
            return True
        time.sleep(0.5)
    return False


def get_json(url: str) -> Any:
    """Return url's JSON answer, None when it does not answer (or not with JSON)."""
    try:
        with urllib.request.urlopen(url, timeout=2) as resp:  # noqa: S310 - loopback
            return json.loads(resp.read() or b"null")
    except OSError, ValueError:
        return None
