"""`make demo`: the Ring emulator and Home Assistant with Ring Auth, until Ctrl-C.

Checks both ports first, then starts `python -m ring_emulator` (short-lived demo tokens, the
demo account, its state kept in config/ring_emulator_state.json so a second start continues
the same login) and `hass -c config` with the integration linked into
`config/custom_components` and RING_AUTH_BASE_URL pointing at the emulator. The console shows
the emulator's lines (2FA codes, every token exchange) and Ring Auth's; the rest of Home
Assistant's output is in config/home-assistant.log. `--reset` (make demo-reset) starts afresh.
"""

import argparse
from datetime import UTC, datetime
import json
import os
from pathlib import Path
import re
import shlex
import shutil
import subprocess
import sys
import time
from typing import Any
import urllib.request

from demo_console import RECOVERY_MODE, HaConsole
from demo_procs import Child, Interrupts, listens, port_busy, port_owner, say

ROOT = Path(__file__).resolve().parent.parent
CONFIG = ROOT / "config"
VENV_BIN = Path(sys.executable).parent
DEMO_EMAIL = "demo@example.com"
DEMO_PASSWORD = "demo-password"  # noqa: S105 - the emulator's public demo account
STATE_FILE = "ring_emulator_state.json"
KEEP_ON_RESET = {"configuration.yaml"}
# homeassistant/components/onboarding/const.py STEPS: all done means onboarding is over.
ONBOARDING_STEPS = {"user", "core_config", "analytics", "integration"}
HASS_PATIENCE = 20.0  # seconds Home Assistant gets to stop after the SIGINT


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
    uv = VENV_BIN / "uv"
    cmd = (
        [str(uv), "pip", "install", "-q", "--python", sys.executable, pin]
        if uv.exists()
        else [sys.executable, "-m", "pip", "install", "-q", pin]
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
HTTP_STORAGE = {"key": "http", "version": 2, "minor_version": 2}
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
    """Return the demo's emulator command line (the demo account, 60 s grace)."""
    command = [
        sys.executable, "-u", "-m", "ring_emulator", "--port", str(port),
        "--access-token-lifetime", str(access_token_lifetime), "--grace", "60",
        "--account", f"{DEMO_EMAIL}:{DEMO_PASSWORD}:sms",
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


def busy_port_message(args: argparse.Namespace) -> str | None:
    """Return the one-line complaint about a port that cannot be used, or None."""
    ports = [(args.port, "PORT", "the Ring emulator")]
    if not args.emulator_only:
        if args.ha_port == args.port:
            return f"PORT and HA_PORT are both {args.port}: give them different ports."
        ports.append((args.ha_port, "HA_PORT", "Home Assistant"))
    for port, variable, user in ports:
        if port_busy(port):
            owner = port_owner(port)
            by = f" (by {owner})" if owner else ""
            return (
                f"Port {port} for {user} is already in use{by}: stop that, or pick "
                f"another port, e.g. make demo {variable}={port + 1}"
            )
    return None


def reset(config: Path) -> None:
    """Remove everything the demo made in its config directory (configuration.yaml stays)."""
    removed = []
    for path in sorted(config.iterdir()) if config.is_dir() else []:
        if path.name in KEEP_ON_RESET:
            continue
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path)
        else:
            path.unlink()
        removed.append(path.name)
    done = ", ".join(removed) if removed else "nothing to remove"
    say(f"[demo] Starting afresh: removed from {config}: {done}")


def read_storage(config: Path, key: str) -> Any:
    """Return the data of a Home Assistant storage file (None when absent or unreadable)."""
    try:
        return json.loads((config / ".storage" / key).read_text())["data"]
    except OSError, ValueError, KeyError, TypeError:
        return None


def ha_found(config: Path) -> tuple[bool, list[str]]:
    """Return whether onboarding is done and the emails of Ring Auth's entries."""
    onboarding = read_storage(config, "onboarding") or {}
    onboarded = ONBOARDING_STEPS.issubset(onboarding.get("done", []))
    entries = (read_storage(config, "core.config_entries") or {}).get("entries", [])
    emails = [
        str(e.get("data", {}).get("email") or e.get("title"))
        for e in entries
        if e.get("domain") == "ring_auth"
    ]
    return onboarded, emails


def banner(args: argparse.Namespace, emulator_url: str, state: Any) -> None:
    """Tell what was found and what to do next."""
    state = state if isinstance(state, dict) else {}
    live = [str(e).casefold() for e in state.get("live_logins", [])]
    found = "an existing state" if state.get("loaded") else "a new state"
    say("")
    say(
        f"Ring emulator:  {emulator_url}  (access tokens live "
        f"{args.access_token_lifetime} s; {found} in config/{STATE_FILE})"
    )
    login = f"Ring login: {DEMO_EMAIL} / {DEMO_PASSWORD}; the 2FA code is printed here"
    if args.emulator_only:
        say(f"  {login} as '[emulator] 2FA code for ...'.")
    else:
        say(f"Home Assistant: http://127.0.0.1:{args.ha_port}")
        onboarded, emails = ha_found(args.config)
        kept = [e for e in emails if e.casefold() in live]
        lost = [e for e in emails if e.casefold() not in live]
        if kept:
            say(f"  Ring Auth is set up for {', '.join(kept)} and the emulator kept")
            say("  its login: nothing to do. Press 'Refresh now' on its device to")
            say("  watch an exchange here.")
        if lost:
            say(f"  Ring Auth holds a login for {', '.join(lost)} that the emulator")
            say("  does not know: Home Assistant will ask to log in again.")
        if not emails:
            step = 1
            if not onboarded:
                say("  1. Finish onboarding (any name and password).")
                step = 2
            say(
                f"  {step}. Settings > Devices & services > Add integration > Ring Auth."
            )
            say(f"  {login}")
            say("  as '[emulator] 2FA code for ...'.")
    say("  Ctrl-C stops everything; make demo-reset starts afresh.")
    say("")


class Launcher:
    """Starts the children, waits for them to be ready, and stops them."""

    def __init__(self, args: argparse.Namespace, interrupts: Interrupts) -> None:
        """Prepare (nothing runs yet)."""
        self.args = args
        self.interrupts = interrupts
        self.children: list[Child] = []
        self.emulator_ready = False
        self.recovery = False
        self.console = HaConsole()

    def on_emulator_line(self, line: str) -> None:
        """Show every line of the emulator; note when it listens."""
        if line.startswith("Ring emulator listening on "):
            self.emulator_ready = True
        say(f"[emulator] {line}")

    def on_hass_line(self, line: str) -> None:
        """Show the lines about Ring Auth; note recovery mode."""
        if RECOVERY_MODE in line:
            self.recovery = True
        if self.console.wanted(line):
            say(f"[hass] {line}")

    def wait_for(self, what: str, ready: Any, child: Child, seconds: float) -> bool:
        """Wait until ready() holds; False (after saying why) if the child ends or time runs out."""
        deadline = time.monotonic() + seconds
        while not ready():
            if not child.alive:
                say(
                    f"[demo] {what} exited with code {child.proc.returncode}; stopping."
                )
                return False
            if self.in_recovery():
                return False
            if time.monotonic() > deadline:
                say(f"[demo] {what} was not ready within {seconds:.0f} s; stopping.")
                return False
            if self.interrupts.wait(0.1):
                return False
        return True

    def in_recovery(self) -> bool:
        """Return (after saying so) whether Home Assistant went into recovery mode."""
        if self.recovery:
            say(
                "[demo] Home Assistant went into recovery mode (see "
                f"{self.args.config}/home-assistant.log); stopping."
            )
        return self.recovery

    def hass_ready(self, hass: Child) -> bool:
        """Return whether *our* Home Assistant listens on its port and answers."""
        port = self.args.ha_port
        if listens(hass.proc.pid, port) is False:
            return False
        return get_json(f"http://127.0.0.1:{port}/manifest.json") is not None

    def run(self) -> int:
        """Start both, wait for Ctrl-C or a child's end; return the exit status."""
        args = self.args
        emulator_url = f"http://127.0.0.1:{args.port}"
        state_file = args.config / STATE_FILE
        args.config.mkdir(parents=True, exist_ok=True)
        emulator = Child(
            "emulator",
            emulator_command(args.port, state_file, args.access_token_lifetime),
            self.on_emulator_line,
            cwd=ROOT,
        )
        self.children.append(emulator)
        if not self.wait_for("The emulator", lambda: self.emulator_ready, emulator, 15):
            return 0 if self.interrupts.count else 1
        if not args.emulator_only:
            if args.hass_command is None:
                ensure_frontend()
            link_integration(args.config)
            write_http_config(args.config, args.ha_port)
            command = shlex.split(args.hass_command or str(VENV_BIN / "hass"))
            hass = Child(
                "hass",
                [*command, *hass_command(args.config)[1:], "--log-no-color"],
                self.on_hass_line,
                cwd=ROOT,
                env=hass_env(emulator_url, args.ha_port),
            )
            self.children.append(hass)
            say("[demo] Waiting for Home Assistant...")
            if not self.wait_for(
                "Home Assistant", lambda: self.hass_ready(hass), hass, 180
            ):
                return 0 if self.interrupts.count else 1
        banner(args, emulator_url, get_json(f"{emulator_url}/_emulator/state"))
        while all(child.alive for child in self.children):
            if self.interrupts.wait(0.5):
                return 0
            if self.in_recovery():  # its line may come after its port answered
                return 1
        ended = next(c for c in self.children if not c.alive)
        say(f"[demo] {ended.name} exited with code {ended.proc.returncode}; stopping.")
        return 1

    def stop(self) -> None:
        """Stop Home Assistant first (it may still talk to the emulator), then the emulator."""
        if any(child.alive for child in self.children):
            say("[demo] Stopping...")
        for child in reversed(self.children):
            patience = HASS_PATIENCE if child.name == "hass" else 5.0
            child.stop(self.interrupts, patience)
        say("[demo] Stopped.")


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    """Parse the command line."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, default=8765, help="emulator port")
    parser.add_argument("--ha-port", type=int, default=8123)
    parser.add_argument("--access-token-lifetime", type=int, default=300)
    parser.add_argument("--emulator-only", action="store_true")
    parser.add_argument(
        "--reset", action="store_true", help="start afresh (make demo-reset)"
    )
    parser.add_argument("--config", type=Path, default=CONFIG, help=argparse.SUPPRESS)
    parser.add_argument(
        "--hass-command",
        help="run this instead of the venv's hass (tests use a stand-in)",
    )
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    """Check the ports, run both processes until Ctrl-C, then stop them."""
    args = parse_args(argv)
    args.config = args.config.resolve()
    if problem := busy_port_message(args):
        say(problem)
        return 1
    if args.reset:
        reset(args.config)
    interrupts = Interrupts()
    interrupts.install()
    launcher = Launcher(args, interrupts)
    try:
        return launcher.run()
    finally:
        launcher.stop()


if __name__ == "__main__":
    sys.exit(main())
