# ruff: noqa: T201 - a stand-in process: printing is its job
"""A stand-in for `hass -c CONFIG` in the launcher tests: Home Assistant's port, output and signals.

Like Home Assistant 2026.10 it reads its HTTP port from CONFIG/.storage/http, logs in its
console format, and handles the first SIGINT or SIGTERM by stopping, after removing its
handlers: a second SIGINT then raises an uncaught KeyboardInterrupt, as in
homeassistant/helpers/signal.py. Every signal it gets is appended to CONFIG/signals.txt.
FAKE_HASS_EXIT=N exits with N at once; FAKE_HASS_RECOVERY=1 logs that it enters recovery mode;
FAKE_HASS_SLOW_START=S spends S seconds "importing" before it has any signal handler.
"""

from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
import json
import os
from pathlib import Path
import signal
import sys
import threading
import time


def log(level: str, logger: str, message: str) -> None:
    """Print a record the way Home Assistant's console does."""
    stamp = datetime.now().strftime("%Y-%m-%d %H:%M:%S.%f")[:-3]
    print(f"{stamp} {level} (MainThread) [{logger}] {message}", flush=True)


class Manifest(BaseHTTPRequestHandler):
    """Answers every GET with a small JSON body."""

    def do_GET(self) -> None:
        """Answer like /manifest.json."""
        body = b'{"name": "Home Assistant"}'
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        """Stay quiet."""


def main() -> int:
    """Run until the first SIGINT/SIGTERM (then stop in 0.5 s)."""
    config = Path(sys.argv[sys.argv.index("-c") + 1])
    signals = config / "signals.txt"
    stopping = threading.Event()

    def on_signal(signum: int, frame: object) -> None:
        with signals.open("a") as out:
            out.write(signal.Signals(signum).name + "\n")
        signal.signal(signal.SIGINT, signal.default_int_handler)
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        stopping.set()

    time.sleep(float(os.environ.get("FAKE_HASS_SLOW_START", "0")))
    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)
    (config / "env.json").write_text(
        json.dumps({k: os.environ.get(k) for k in ("RING_AUTH_BASE_URL", "SETUP_PORT")})
    )
    if code := int(os.environ.get("FAKE_HASS_EXIT", "0")):
        print("fake hass: failing on purpose", flush=True)
        return code
    if os.environ.get("FAKE_HASS_RECOVERY"):
        # As in Home Assistant, recovery mode is announced before its HTTP server runs.
        log(
            "WARNING",
            "homeassistant.bootstrap",
            "Detected that frontend did not load. Activating recovery mode",
        )
        time.sleep(1)
    stable = json.loads((config / ".storage" / "http").read_text())["data"]["stable"]
    server = ThreadingHTTPServer(
        (stable["server_host"][0], stable["server_port"]), Manifest
    )
    log(
        "WARNING",
        "homeassistant.loader",
        "We found a custom integration ring_auth which has not been tested",
    )
    log(
        "ERROR",
        "haffmpeg.core",
        "FFmpeg fails [Errno 2] No such file or directory: 'ffmpeg'",
    )
    print("Traceback (most recent call last):\nFileNotFoundError: ffmpeg", flush=True)
    log("DEBUG", "custom_components.ring_auth.token_manager", "debug detail")
    log("INFO", "custom_components.ring_auth", "Ring login refreshed")
    threading.Thread(target=server.serve_forever, daemon=True).start()
    stopping.wait()
    time.sleep(
        0.5
    )  # Home Assistant takes a moment to stop; a second SIGINT here would hurt
    server.shutdown()
    server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
