"""`make demo`: the Ring emulator and Home Assistant with Ring Auth, until Ctrl-C.

Checks both ports first, then starts `python -m ring_emulator` (short-lived demo tokens, the
demo account, its state kept in config/ring_emulator_state.json so a second start continues
the same login) and `hass -c config` with the integration linked into
`config/custom_components` and RING_AUTH_BASE_URL pointing at the emulator. The console shows
the emulator's lines (2FA codes, every token exchange) and Ring Auth's; the rest of Home
Assistant's output is in config/home-assistant.log. `--reset` (make demo-reset) starts afresh.
"""

import argparse
from pathlib import Path
import shlex
import sys
import time
from typing import Any

from demo_banner import banner, busy_port_message, reset
from demo_console import RECOVERY_MODE, HaConsole
from demo_procs import Child, Interrupts, listens, say
from demo_setup import (
    CONFIG,
    DEMO_EMAIL,
    DEMO_PASSWORD,
    ROOT,
    STATE_FILE,
    VENV_BIN,
    emulator_command,
    ensure_frontend,
    get_json,
    hass_command,
    hass_env,
    link_integration,
    pip_install,
    wait_http,
    write_http_config,
)

# scripts/e2e.py uses these through `import demo`.
__all__ = [
    "CONFIG",
    "DEMO_EMAIL",
    "DEMO_PASSWORD",
    "ROOT",
    "VENV_BIN",
    "ensure_frontend",
    "hass_command",
    "hass_env",
    "link_integration",
    "main",
    "pip_install",
    "say",
    "wait_http",
    "write_http_config",
]

HASS_PATIENCE = 20.0  # seconds Home Assistant gets to stop after the SIGINT


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
        banner(
            args,
            emulator_url,
            get_json(f"{emulator_url}/_emulator/state"),
            get_json(f"{emulator_url}/_emulator/devices"),
        )
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
