"""The demo's emulator started twice on one state file continues the same login."""

from collections.abc import Iterator
import contextlib
import json
from pathlib import Path
import signal
import subprocess
from typing import Any
import urllib.error
import urllib.parse
import urllib.request

import demo_banner
import demo_setup as demo
import pytest

from .conftest import ROOT, free_port

CLIENT = {"client_id": "ring_official_android", "scope": "client"}
HEADERS = {"hardware_id": "9d3b1c9e-0000-4000-8000-00000000d3m0"}


@contextlib.contextmanager
def demo_emulator(state_file: Path) -> Iterator[str]:
    """Run the demo's emulator command until the block ends (then SIGINT, as the demo does)."""
    port = free_port()
    proc = subprocess.Popen(  # noqa: S603 - our own command line
        demo.emulator_command(port, state_file),
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        assert proc.stdout is not None
        for line in proc.stdout:
            if "listening on" in line:
                break
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.send_signal(signal.SIGINT)
        assert proc.wait(10) == 0


def call(
    url: str, form: dict[str, str] | None = None, headers: dict[str, str] | None = None
) -> tuple[int, Any]:
    """GET (or POST a form); return status and JSON body."""
    data = None if form is None else urllib.parse.urlencode(form).encode()
    request = urllib.request.Request(  # noqa: S310 - loopback http only
        url, data=data, headers=HEADERS | (headers or {})
    )
    try:
        with urllib.request.urlopen(request, timeout=5) as resp:  # noqa: S310
            return resp.status, json.loads(resp.read())
    except urllib.error.HTTPError as err:
        return err.code, json.loads(err.read())


def test_second_start_continues_the_login(tmp_path: Path, socket_enabled: None) -> None:
    """Tokens issued by the first run work against the second; the rotated one is accepted."""
    state_file = tmp_path / demo.STATE_FILE
    login = CLIENT | {
        "grant_type": "password",
        "username": demo.DEMO_EMAIL,
        "password": demo.DEMO_PASSWORD,
    }
    with demo_emulator(state_file) as url:
        status, _ = call(f"{url}/oauth/token", login)
        assert status == 412
        _, code = call(f"{url}/_emulator/codes/{demo.DEMO_EMAIL}")
        status, first = call(f"{url}/oauth/token", login, {"2fa-code": code["code"]})
        assert status == 200
        refresh = CLIENT | {"grant_type": "refresh_token"}
        status, rotated = call(
            f"{url}/oauth/token", refresh | {"refresh_token": first["refresh_token"]}
        )
        assert status == 200
        # The integration opens its API session once; Ring keeps it over restarts.
        session = urllib.request.Request(  # noqa: S310 - loopback http only
            f"{url}/clients_api/session",
            data=json.dumps({"device": HEADERS}).encode(),
            headers=HEADERS
            | {
                "Authorization": f"Bearer {rotated['access_token']}",
                "Content-Type": "application/json",
            },
        )
        with urllib.request.urlopen(session, timeout=5) as resp:  # noqa: S310
            assert resp.status == 201
    with demo_emulator(state_file) as url:
        _, state = call(f"{url}/_emulator/state")
        assert state == {
            "file": str(state_file),
            "loaded": True,
            "live_logins": [demo.DEMO_EMAIL],
        }
        bearer = {"Authorization": f"Bearer {rotated['access_token']}"}
        status, _ = call(f"{url}/clients_api/ring_devices", headers=bearer)
        assert status == 200
        status, again = call(
            f"{url}/oauth/token", refresh | {"refresh_token": rotated["refresh_token"]}
        )
        assert status == 200
        assert again["refresh_token"] != rotated["refresh_token"]
        _, counters = call(f"{url}/_emulator/counters")
        assert counters["token_calls"]["refresh_token"] == 2
        assert counters["refresh_reuse"] == 0
        assert counters["authorized_devices"] == {
            demo.DEMO_EMAIL: [HEADERS["hardware_id"]]
        }


def test_the_banner_rings_the_demo_doorbell(
    tmp_path: Path, socket_enabled: None
) -> None:
    """The doorbell the banner and the README ring is the demo account's Front Door."""
    with demo_emulator(tmp_path / demo.STATE_FILE) as url:
        _, devices = call(f"{url}/_emulator/devices")
        front_door = next(d for d in devices if d["id"] == demo_banner.FRONT_DOOR)
        assert (front_door["email"], front_door["name"]) == (
            demo.DEMO_EMAIL,
            "Front Door",
        )
        ding = urllib.request.Request(  # noqa: S310 - loopback http only
            f"{url}/_emulator/ding",
            data=json.dumps({"device_id": demo_banner.FRONT_DOOR}).encode(),
        )
        with urllib.request.urlopen(ding, timeout=5) as resp:  # noqa: S310
            assert resp.status in (200, 201)
    readme = (ROOT / "README.md").read_text()
    assert f'"device_id": {demo_banner.FRONT_DOOR}' in readme


@pytest.mark.parametrize(
    "content", ["{", '{"kind": "ring_emulator state", "version": 7}']
)
def test_bad_state_file_stops_the_emulator(
    tmp_path: Path, content: str, socket_enabled: None
) -> None:
    """A state file it cannot use: one line, exit status 1, the file left for the user."""
    state_file = tmp_path / demo.STATE_FILE
    state_file.write_text(content)
    result = subprocess.run(  # noqa: S603 - our own command line
        demo.emulator_command(free_port(), state_file),
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=20,
        check=False,
    )
    assert result.returncode == 1
    assert result.stdout == ""
    [line] = result.stderr.splitlines()
    assert line.startswith(f"Ring emulator: {state_file}")
    assert state_file.read_text() == content
