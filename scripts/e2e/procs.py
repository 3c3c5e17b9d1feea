"""The two processes under test: the Ring emulator (in-process) and a real `hass`."""

import asyncio
from collections.abc import Callable
import contextlib
import os
from pathlib import Path
import shutil
import signal
import socket
import subprocess
import time

import demo

from ring_emulator import Account, EmulatorSettings, RingEmulator, TokenExchange
from ring_emulator.tokens import TokenPair

from .log import say

E2E_EMAIL = demo.DEMO_EMAIL
E2E_PASSWORD = demo.DEMO_PASSWORD
# What the doorbell scenario adds to the repository's configuration.yaml: the automations
# that it creates through Home Assistant's config API (written to automations.yaml), and the
# counter that their action increments (restored across restarts, read over REST).
DING_COUNTER = "counter.e2e_front_door_rings"
E2E_CONFIGURATION = """
# Added by scripts/e2e/procs.py for the doorbell scenario.
automation: !include automations.yaml
counter:
  e2e_front_door_rings:
    name: Front Door rings
"""


def free_port() -> int:
    """Return a loopback TCP port that is free right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Emulator:
    """The Ring emulator in this process, remembering every secret it hands out.

    In-process so that an outage can stop and restart its listener on the same port while its
    tokens live on, and so that every issued token is known to the log check. Both come
    from the emulator's public hooks: `on_tokens` hears every pair issued, `on_exchange`
    every token-endpoint answer before it is sent (where `on_rotate` fires).
    """

    def __init__(self, access_token_lifetime: float, grace: float) -> None:
        """Create it with the demo account (codes are random per send)."""
        self.codes: list[str] = []
        self.issued: list[str] = []
        # Called once, at the next refresh Ring processes, before its answer is sent (e.g.
        # SIGKILL hass: Ring rotated, the answer is never read).
        self.on_rotate: Callable[[], None] | None = None
        self.emu = RingEmulator(
            EmulatorSettings(
                access_token_lifetime=access_token_lifetime,
                grace=grace,
                accounts=[
                    Account(
                        email=E2E_EMAIL,
                        password=E2E_PASSWORD,
                        account_id=123456,
                        first_name="Demo",
                        last_name="User",
                    )
                ],
            ),
            on_code=lambda _email, _method, code: self.codes.append(code),
            on_tokens=self._heard_tokens,
            on_exchange=self._heard_exchange,
        )
        self.port = 0
        self.url = ""

    def _heard_tokens(self, _account: str, pair: TokenPair) -> None:
        self.issued += [pair.access_token, pair.refresh_token]

    def _heard_exchange(self, exchange: TokenExchange) -> None:
        if exchange.grant == "refresh_token" and exchange.issued and self.on_rotate:
            hook, self.on_rotate = self.on_rotate, None
            hook()

    async def start(self) -> str:
        """Listen (on the same port as before, when restarted)."""
        self.url = await self.emu.start("127.0.0.1", self.port)
        self.port = int(self.url.rsplit(":", 1)[1])
        return self.url

    async def stop(self) -> None:
        """Stop listening; tokens, codes and counters are kept."""
        await self.emu.stop()

    def secrets(self) -> list[str]:
        """Return every secret that must never reach a log."""
        return [E2E_PASSWORD, *self.codes, *self.issued]


def hass_env(emulator_url: str) -> dict[str, str]:
    """Return demo's environment with Python's deprecation warnings on.

    Python hides DeprecationWarning outside __main__; shown, Home Assistant logs each one
    under py.warnings with the file that triggered it, where the log check can see it.
    """
    env = demo.hass_env(emulator_url)
    shown = "default::DeprecationWarning,default::PendingDeprecationWarning"
    env["PYTHONWARNINGS"] = ",".join(filter(None, [env.get("PYTHONWARNINGS"), shown]))
    return env


class Hass:
    """A real Home Assistant process on a fresh config directory, in its own process group."""

    def __init__(self, config: Path, emulator_url: str) -> None:
        """Prepare the config directory: the repository's configuration, the integration linked."""
        self.config = config
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.emulator_url = emulator_url
        self.proc: asyncio.subprocess.Process | None = None
        self.runs = 0
        config.mkdir(parents=True, exist_ok=True)
        shutil.copy(demo.CONFIG / "configuration.yaml", config / "configuration.yaml")
        with (config / "configuration.yaml").open("a") as yaml:
            yaml.write(E2E_CONFIGURATION)
        (config / "automations.yaml").write_text("[]\n")
        demo.link_integration(config)
        demo.write_http_config(config, self.port)
        self.log = HaLog(config / "home-assistant.log")

    async def start(self, wait: float = 120) -> float:
        """Start hass and wait until its HTTP server answers; return the seconds it took."""
        assert self.proc is None or self.proc.returncode is not None  # noqa: S101
        self.log.harvest()  # hass rolls the log file over when it starts
        self.runs += 1
        out = (self.config / f"hass-console-{self.runs}.out").open("wb")
        started = time.monotonic()
        try:
            self.proc = await asyncio.create_subprocess_exec(
                *demo.hass_command(self.config),
                cwd=demo.ROOT,
                env=hass_env(self.emulator_url),
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # its own process group, killed as one
            )
        finally:
            out.close()
        deadline = started + wait
        while time.monotonic() < deadline:
            if self.proc.returncode is not None:
                raise RuntimeError(f"hass exited with {self.proc.returncode}")
            if await asyncio.to_thread(
                demo.wait_http, self.url + "/manifest.json", 0.3
            ):
                return time.monotonic() - started
            await asyncio.sleep(0.1)
        raise TimeoutError(f"hass did not answer within {wait} s")

    def _signal_group(self, sig: signal.Signals) -> None:
        if self.proc is not None and self.proc.returncode is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.proc.pid, sig)

    async def kill(self) -> None:
        """SIGKILL the whole process group (a crash) and reap it."""
        if self.proc is None:
            return
        self._signal_group(signal.SIGKILL)
        await self.proc.wait()

    async def stop(self, grace: float = 30) -> None:
        """Stop gracefully (SIGTERM), SIGKILL after the timeout."""
        if self.proc is None or self.proc.returncode is not None:
            return
        self._signal_group(signal.SIGTERM)
        try:
            await asyncio.wait_for(self.proc.wait(), grace)
        except TimeoutError:
            say("hass did not stop in time; killing it")
            await self.kill()

    async def wait_exit(self, within: float) -> int:
        """Wait for the process to end on its own (e.g. homeassistant.restart)."""
        assert self.proc is not None  # noqa: S101
        return await asyncio.wait_for(self.proc.wait(), within)

    def kill_now(self) -> None:
        """Last-resort synchronous kill (used from finally blocks and signal handlers)."""
        self._signal_group(signal.SIGKILL)


class HaLog:
    """Reads Home Assistant's log file incrementally across restarts (which roll it over)."""

    def __init__(self, path: Path) -> None:
        """Follow the config directory's home-assistant.log."""
        self.path = path
        self.offset = 0
        self.pending: list[str] = []
        self.archive = path.with_name("home-assistant.all-runs.log")

    def _read_new(self) -> str:
        if not self.path.exists():
            return ""
        with self.path.open("rb") as log:
            log.seek(self.offset)
            data = log.read()
        self.offset += len(data)
        return data.decode(errors="replace")

    def harvest(self) -> None:
        """Keep what the last run wrote; called before hass starts (and rolls the file)."""
        self.pending.append(self._read_new())
        self.offset = 0

    def take(self) -> str:
        """Return everything written since the last take (across restarts)."""
        text = "".join([*self.pending, self._read_new()])
        self.pending = []
        with self.archive.open("a") as archive:
            archive.write(text)
        return text
