"""Fixtures for the launcher tests: the scripts on sys.path, free ports, a demo run."""

from collections.abc import Callable, Iterator
from dataclasses import dataclass
import os
from pathlib import Path
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCRIPTS = ROOT / "scripts"
FAKE_HASS = Path(__file__).with_name("fake_hass.py")
if str(SCRIPTS) not in sys.path:
    sys.path.insert(0, str(SCRIPTS))


def free_port() -> int:
    """Return a loopback port that is free right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class DemoRun:
    """`scripts/demo.py` running in a session of its own, as a terminal would run it."""

    proc: subprocess.Popen[str]
    config: Path
    port: int
    ha_port: int
    lines: list[str]

    def output(self) -> str:
        """Return the console so far."""
        return "\n".join(self.lines)

    def wait_for(self, text: str, seconds: float = 20) -> None:
        """Wait until the console shows text (fail if the demo ends first)."""
        deadline = time.monotonic() + seconds
        while text not in self.output():
            assert self.proc.poll() is None or text in self.output(), self.output()
            assert time.monotonic() < deadline, self.output()
            time.sleep(0.05)

    def ctrl_c(self) -> None:
        """Send SIGINT to the demo's whole foreground process group, as Ctrl-C does."""
        os.killpg(self.proc.pid, signal.SIGINT)

    def finish(self, seconds: float = 15) -> int:
        """Wait for the demo to end; return its exit status."""
        code = self.proc.wait(seconds)
        time.sleep(0.1)  # the reader thread's last lines
        return code


@pytest.fixture
def demo_config(tmp_path: Path) -> Path:
    """Return a config directory like the repository's."""
    config = tmp_path / "config"
    config.mkdir()
    shutil.copy(ROOT / "config" / "configuration.yaml", config)
    return config


@pytest.fixture
def run_demo(
    demo_config: Path, socket_enabled: None
) -> Iterator[Callable[..., DemoRun]]:
    """Start demo.py with the stand-in hass; a demo still running at the end is stopped."""
    runs: list[DemoRun] = []

    def start(*extra: str, env: dict[str, str] | None = None) -> DemoRun:
        port, ha_port = free_port(), free_port()
        command = [
            sys.executable, str(SCRIPTS / "demo.py"), "--config", str(demo_config),
            "--port", str(port), "--ha-port", str(ha_port),
            "--hass-command", f"{sys.executable} {FAKE_HASS}", *extra,
        ]  # fmt: skip
        proc = subprocess.Popen(  # noqa: S603 - our own scripts
            command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
            text=True, start_new_session=True, env=os.environ | (env or {}),
        )  # fmt: skip
        run = DemoRun(proc, demo_config, port, ha_port, [])

        def read() -> None:
            assert proc.stdout is not None
            for line in proc.stdout:
                run.lines.append(line.rstrip("\n"))

        threading.Thread(target=read, daemon=True).start()
        runs.append(run)
        return run

    yield start
    for run in runs:
        if run.proc.poll() is None:
            run.proc.terminate()  # the demo stops its children on SIGTERM
            try:
                run.proc.wait(30)
            except subprocess.TimeoutExpired:
                os.killpg(run.proc.pid, signal.SIGKILL)
                run.proc.wait()
