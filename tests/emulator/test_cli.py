"""The command line: argument parsing, in-process serving and a real subprocess."""

from __future__ import annotations

import argparse
import asyncio
import io
import os
from pathlib import Path
import signal
import socket
import sys

import aiohttp
import pytest

from ring_emulator import __main__ as cli

from .common import wait_until

ROOT = Path(__file__).resolve().parents[2]


def test_parse_account() -> None:
    """EMAIL:PASSWORD:METHOD[:CODE], passwords may contain colons."""
    acc = cli.parse_account("a@example.com:pw:sms")
    assert (acc.email, acc.password, acc.tsv_state, acc.code) == (
        "a@example.com",
        "pw",
        "sms",
        None,
    )
    acc = cli.parse_account("b@example.com:p:w:totp:123456")
    assert (acc.password, acc.tsv_state, acc.code) == ("p:w", "totp", "123456")
    acc = cli.parse_account("c@example.com:pw:email:")
    assert (acc.tsv_state, acc.code) == ("email", None)
    acc = cli.parse_account("n@example.com:pw:none")
    assert (acc.password, acc.tsv_state, acc.code) == ("pw", None, None)
    with pytest.raises(argparse.ArgumentTypeError):
        cli.parse_account("d@example.com:pw")
    with pytest.raises(argparse.ArgumentTypeError):
        cli.parse_account("d@example.com:pw:fax")


def test_session_flags() -> None:
    """POST session answers 201 and sessions are required unless the flags say otherwise."""
    settings = cli.build_settings(cli.parse_args([]))
    assert (settings.session_status, settings.require_session) == (201, True)
    args = cli.parse_args(["--session-status", "200", "--no-require-session"])
    settings = cli.build_settings(args)
    assert (settings.session_status, settings.require_session) == (200, False)
    with pytest.raises(SystemExit):
        cli.parse_args(["--session-status", "204"])


async def test_account_without_2fa(socket_enabled: None) -> None:
    """An account given as EMAIL:PASSWORD:none logs in with the password alone."""
    out = io.StringIO()
    stop = asyncio.Event()
    args = cli.parse_args(["--port", "0", "--account", "plain@example.com:pw:none"])
    task = asyncio.create_task(cli.serve(args, out, stop))
    await wait_until(lambda: "listening" in out.getvalue())
    url = out.getvalue().split()[-1]
    form = {
        "grant_type": "password",
        "client_id": "ring_official_android",
        "username": "plain@example.com",
        "password": "pw",
    }
    async with (
        aiohttp.ClientSession() as session,
        session.post(f"{url}/oauth/token", data=form) as resp,
    ):
        assert resp.status == 200
        assert "refresh_token" in await resp.json()
    assert "2FA code" not in out.getvalue()
    stop.set()
    await asyncio.wait_for(task, 3)


def test_parse_partner_and_settings() -> None:
    """Flags become settings; no --account means the demo account."""
    args = cli.parse_args(
        [
            "--grace",
            "0",
            "--access-token-lifetime",
            "120",
            "--partner-client",
            "id:secret",
        ]
    )
    settings = cli.build_settings(args)
    assert settings.grace == 0
    assert settings.access_token_lifetime == 120
    assert settings.partner_clients == {"id": "secret"}
    assert [a.email for a in settings.accounts] == ["demo@example.com"]
    assert settings.accounts[0].password == "demo-password"
    assert settings.accounts[0].tsv_state == "sms"
    args = cli.parse_args(["--account", "x@example.com:pw:email"])
    assert [a.email for a in cli.build_settings(args).accounts] == ["x@example.com"]
    with pytest.raises(argparse.ArgumentTypeError):
        cli.parse_partner("no-secret")


async def test_serve_in_process(socket_enabled: None) -> None:
    """serve() prints the listening line and each code, and stops on the event."""
    out = io.StringIO()
    stop = asyncio.Event()
    args = cli.parse_args(["--port", "0"])
    task = asyncio.create_task(cli.serve(args, out, stop))
    await wait_until(lambda: "listening" in out.getvalue())
    url = out.getvalue().split()[-1]
    form = {
        "grant_type": "password",
        "client_id": "ring_official_android",
        "username": "demo@example.com",
        "password": "demo-password",
    }
    async with (
        aiohttp.ClientSession() as session,
        session.post(f"{url}/oauth/token", data=form) as resp,
    ):
        assert resp.status == 412
    lines = out.getvalue().splitlines()
    assert lines[0] == f"Ring emulator listening on {url}"
    assert lines[1].startswith("2FA code for demo@example.com (sms): ")
    assert len(lines[1].rsplit(" ", 1)[1]) == 6
    stop.set()
    await asyncio.wait_for(task, 3)


async def test_serve_signal(socket_enabled: None) -> None:
    """Without a stop event, serve() stops on SIGINT and restores the handler."""
    out = io.StringIO()
    task = asyncio.create_task(cli.serve(cli.parse_args(["--port", "0"]), out))
    await wait_until(lambda: "listening" in out.getvalue())
    os.kill(os.getpid(), signal.SIGINT)
    await asyncio.wait_for(task, 3)
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler


def test_main(monkeypatch: pytest.MonkeyPatch) -> None:
    """main() runs serve() and returns 0, also after a KeyboardInterrupt."""
    seen: list[argparse.Namespace] = []

    async def fake_serve(args: argparse.Namespace, out: object) -> None:
        seen.append(args)
        raise KeyboardInterrupt

    monkeypatch.setattr(cli, "serve", fake_serve)
    assert cli.main(["--port", "0", "--log-level", "debug"]) == 0
    assert seen[0].port == 0


async def test_subprocess_sigint(socket_enabled: None) -> None:
    """Running `python -m ring_emulator --port 0` prints its URL, serves, and exits 0 on SIGINT."""
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "ring_emulator", "--port", "0", "--account", "cli@example.com:pw:totp:654321",
        cwd=ROOT, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    try:
        assert proc.stdout is not None
        line = (await asyncio.wait_for(proc.stdout.readline(), 10)).decode().strip()
        assert line.startswith("Ring emulator listening on http://127.0.0.1:")
        url = line.rsplit(" ", 1)[1]
        assert not url.endswith(":0")
        form = {
            "grant_type": "password",
            "client_id": "ring_official_android",
            "username": "cli@example.com",
            "password": "pw",
        }
        async with aiohttp.ClientSession() as session:
            async with session.post(f"{url}/oauth/token", data=form) as resp:
                assert resp.status == 412
            code_line = (
                (await asyncio.wait_for(proc.stdout.readline(), 5)).decode().strip()
            )
            assert code_line == "2FA code for cli@example.com (totp): 654321"
            async with session.post(
                f"{url}/oauth/token", data=form, headers={"2fa-code": "654321"}
            ) as resp:
                assert resp.status == 200
        proc.send_signal(signal.SIGINT)
        assert await asyncio.wait_for(proc.wait(), 5) == 0
        assert proc.stderr is not None
        assert b"Traceback" not in await proc.stderr.read()
    finally:
        if proc.returncode is None:
            proc.kill()
            await proc.wait()


def test_main_refuses_a_bad_state_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A state file the emulator cannot use stops it with one line naming the file."""
    bad = tmp_path / "state.json"
    bad.write_text("{broken")
    assert cli.main(["--port", "0", "--state-file", str(bad)]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"Ring emulator: {bad} is not JSON")
    assert len(err.splitlines()) == 1
    assert bad.read_text() == "{broken"


async def test_serve_reports_the_state_file(
    tmp_path: Path, socket_enabled: None
) -> None:
    """With --state-file the first line says whether the state is new or loaded, and what it holds."""
    path = tmp_path / "state.json"
    for expected in ("new", "loaded; live logins: none"):
        out = io.StringIO()
        stop = asyncio.Event()
        args = cli.parse_args(["--port", "0", "--state-file", str(path)])
        task = asyncio.create_task(cli.serve(args, out, stop))
        await wait_until(lambda out=out: "listening" in out.getvalue())
        stop.set()
        await asyncio.wait_for(task, 3)
        assert out.getvalue().splitlines()[0] == f"State file {path}: {expected}"


async def test_serve_busy_port(socket_enabled: None) -> None:
    """In-process: a port in use is a StartError naming the address and the reason."""
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        args = cli.parse_args(["--port", str(port)])
        with pytest.raises(cli.StartError, match=f"127.0.0.1:{port}: Address already"):
            await cli.serve(args, io.StringIO(), asyncio.Event())


async def test_subprocess_busy_port(socket_enabled: None) -> None:
    """A port in use gives one line on stderr and exit status 1 at once, no traceback."""
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        proc = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "ring_emulator", "--port", str(port),
            cwd=ROOT, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
        )  # fmt: skip
        out, err = await asyncio.wait_for(proc.communicate(), 10)
    assert proc.returncode == 1
    assert out == b""
    assert err.decode().splitlines() == [
        f"Ring emulator: cannot listen on 127.0.0.1:{port}: Address already in use"
    ]
