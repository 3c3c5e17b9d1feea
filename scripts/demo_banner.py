"""What the demo tells the user: a busy port, a reset, and what it found at start."""

import argparse
import json
from pathlib import Path
import shutil
from typing import Any

from demo_procs import port_busy, port_owner, say
from demo_setup import DEMO_EMAIL, DEMO_PASSWORD, STATE_FILE

KEEP_ON_RESET = {"configuration.yaml"}
# The emulator's demo account is 123456; its devices are 123456001 (Front Door) to ...005.
FRONT_DOOR = 123456001
# homeassistant/components/onboarding/const.py STEPS: all done means onboarding is over.
ONBOARDING_STEPS = {"user", "core_config", "analytics", "integration"}


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


def front_door(devices: Any) -> int:
    """Return the demo account's first doorbell from the emulator's device list.

    FRONT_DOOR unless a state file from an older demo gave the account another id.
    """
    for device in devices if isinstance(devices, list) else []:
        if (
            isinstance(device, dict)
            and str(device.get("email", "")).casefold() == DEMO_EMAIL
            and device.get("group") == "doorbots"
            and isinstance(device.get("id"), int)
        ):
            return int(device["id"])
    return FRONT_DOOR


def banner(
    args: argparse.Namespace, emulator_url: str, state: Any, devices: Any = None
) -> None:
    """Tell what was found and what to do next (`devices`: the emulator's device list)."""
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
    say("  Ring the demo doorbell (it shows within the device poll interval):")
    say(
        f"    curl -X POST {emulator_url}/_emulator/ding -d "
        f"'{{\"device_id\": {front_door(devices)}}}'"
    )
    say("  Ctrl-C stops everything; make demo-reset starts afresh.")
    say("")
