"""The demo's children: each in its own process group, its output filtered, stopped in steps.

The terminal sends Ctrl-C's SIGINT to its foreground process group. Children in that group
would get it too, and a second SIGINT forwarded by the launcher makes Home Assistant die with
an uncaught KeyboardInterrupt (it drops its handler after the first). So each child runs in a
process group of its own, and the launcher forwards exactly one SIGINT, waits, then sends
SIGTERM, then SIGKILL.

A child still starting up has no handlers yet: Python turns SIGINT into a KeyboardInterrupt
traceback until the program installs its own, which Home Assistant does only once it runs
(homeassistant/helpers/signal.py, called from core.async_run, after its set-up). Such a child
is told by its signal mask (it does not catch SIGTERM yet) and gets SIGTERM instead, whose
default action ends it without a traceback; Home Assistant writes its files atomically.
"""

from collections.abc import Callable
import contextlib
import os
from pathlib import Path
import signal
import socket
import subprocess
import sys
import threading
import time

_SAY_LOCK = threading.Lock()


def say(text: str) -> None:
    """Write a line to the console at once (whole lines, from any thread)."""
    with _SAY_LOCK, contextlib.suppress(BrokenPipeError, ValueError):
        sys.stdout.write(text + "\n")
        sys.stdout.flush()


class Interrupts:
    """Counts SIGINT/SIGTERM/SIGHUP to the launcher; the first asks to stop, more hurry it."""

    def __init__(self) -> None:
        """Start with none seen."""
        self.count = 0
        self.event = threading.Event()

    def install(self) -> None:
        """Handle the signals that end the demo (no KeyboardInterrupt is ever raised)."""
        for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
            signal.signal(sig, self._handle)

    def _handle(self, signum: int, frame: object) -> None:
        self.count += 1
        self.event.set()

    def wait(self, seconds: float) -> bool:
        """Sleep up to `seconds`; return True at once when a signal arrived."""
        if self.count:
            return True
        self.event.wait(seconds)
        return self.count > 0


class Child:
    """A child process in its own process group whose output lines go to a callback."""

    def __init__(
        self,
        name: str,
        command: list[str],
        on_line: Callable[[str], None],
        *,
        cwd: Path,
        env: dict[str, str] | None = None,
    ) -> None:
        """Start the process; a thread hands each output line (stdout and stderr) to on_line."""
        self.name = name
        self.proc = subprocess.Popen(
            command,
            cwd=cwd,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            errors="replace",
            process_group=0,  # out of the terminal's group: Ctrl-C reaches only us
        )
        self._pump = threading.Thread(
            target=self._read, args=(on_line,), name=f"{name}-output", daemon=True
        )
        self._pump.start()

    def _read(self, on_line: Callable[[str], None]) -> None:
        assert self.proc.stdout is not None  # noqa: S101
        for line in self.proc.stdout:
            on_line(line.rstrip("\n"))

    @property
    def alive(self) -> bool:
        """Return whether the process still runs."""
        return self.proc.poll() is None

    def signal(self, sig: signal.Signals) -> None:
        """Send a signal to the child's process group (once to each of its processes)."""
        if self.alive:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.proc.pid, sig)

    def stop(
        self, interrupts: Interrupts, patience: float, term_patience: float = 5.0
    ) -> int:
        """One SIGINT, up to `patience` s, then SIGTERM, `term_patience` s, then SIGKILL.

        A child that does not catch SIGTERM yet (still starting) starts at SIGTERM. Returns
        the exit code. Another Ctrl-C while waiting skips ahead to the next step.
        """
        steps = [
            (signal.SIGINT, patience),
            (signal.SIGTERM, term_patience),
            (signal.SIGKILL, 0.0),
        ]
        if catches(self.proc.pid, signal.SIGTERM) is False:
            steps = steps[1:]  # still starting: see the module's docstring
        for number, (sig, wait) in enumerate(steps):
            if number:
                say(f"[demo] {self.name} has not stopped; sending {sig.name}")
            self.signal(sig)
            seen = interrupts.count
            deadline = time.monotonic() + wait
            while self.alive and time.monotonic() < deadline:
                if interrupts.count > seen:
                    break
                time.sleep(0.05)
            if not self.alive:
                break
        code = self.proc.wait()
        self._pump.join(2)  # the last lines it wrote
        return code


def catches(pid: int, sig: signal.Signals) -> bool | None:
    """Return whether a process has its own handler for a signal (None: cannot tell)."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return None
    for line in status.splitlines():
        if line.startswith("SigCgt:"):
            return bool(int(line.split()[1], 16) >> (sig - 1) & 1)
    return None


def port_busy(port: int, host: str = "127.0.0.1") -> bool:
    """Return whether binding host:port fails, as it would for the child (SO_REUSEADDR on)."""
    with socket.socket() as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError:
            return True
    return False


def _listening_inodes(port: int) -> set[str]:
    """Return the socket inodes listening on a TCP port (any address), from /proc/net."""
    inodes = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        with contextlib.suppress(OSError), open(table, encoding="ascii") as rows:
            next(rows, None)
            for row in rows:
                cols = row.split()
                local, state, inode = cols[1], cols[3], cols[9]
                if state == "0A" and int(local.rsplit(":", 1)[1], 16) == port:
                    inodes.add(inode)
    return inodes


def _socket_inodes(pid: int) -> set[str]:
    """Return the socket inodes a process holds open (empty when it cannot be read)."""
    inodes = set()
    with contextlib.suppress(OSError):
        for fd in os.listdir(f"/proc/{pid}/fd"):
            with contextlib.suppress(OSError):
                target = os.readlink(f"/proc/{pid}/fd/{fd}")
                if target.startswith("socket:["):
                    inodes.add(target[8:-1])
    return inodes


def listens(pid: int, port: int) -> bool | None:
    """Return whether this process holds the listening socket of the port (None: cannot tell)."""
    if not Path("/proc/net/tcp").exists():
        return None
    return bool(_listening_inodes(port) & _socket_inodes(pid))


def port_owner(port: int) -> str | None:
    """Return "pid N (command)" of the process listening on the port, when /proc tells."""
    wanted = _listening_inodes(port)
    if not wanted:
        return None
    for entry in os.listdir("/proc"):
        if entry.isdigit() and _socket_inodes(int(entry)) & wanted:
            with contextlib.suppress(OSError):
                raw = Path(f"/proc/{entry}/cmdline").read_bytes()
                command = raw.replace(b"\0", b" ").decode(errors="replace").strip()
                return f"pid {entry}: {command[:80]}"
            return f"pid {entry}"
    return None
