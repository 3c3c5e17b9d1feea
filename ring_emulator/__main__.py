"""Command line: python -m ring_emulator --port 8765 --account EMAIL:PASSWORD:sms|none."""

from __future__ import annotations

import argparse
import asyncio
from collections.abc import Sequence
import contextlib
import logging
import os
import signal
import sys
from typing import TextIO, cast

from .exchanges import LOGGER as EXCHANGE_LOGGER
from .server import RingEmulator
from .settings import TSV_STATES, Account, EmulatorSettings, TsvState
from .state import StateFileError

LOG_FORMAT = "%(asctime)s %(levelname)s [%(name)s] %(message)s"

NO_2FA = "none"


def parse_account(text: str) -> Account:
    """Parse EMAIL:PASSWORD:sms|email|totp|none[:CODE] (the password may contain colons)."""
    methods = (*TSV_STATES, NO_2FA)
    parts = text.split(":")
    if len(parts) >= 4 and parts[-2] in methods:
        method, code, middle = parts[-2], parts[-1] or None, parts[1:-2]
    elif len(parts) >= 3 and parts[-1] in methods:
        method, code, middle = parts[-1], None, parts[1:-1]
    else:
        raise argparse.ArgumentTypeError(
            f"expected EMAIL:PASSWORD:{'|'.join(methods)}[:CODE]"
        )
    return Account(
        email=parts[0],
        password=":".join(middle),
        tsv_state=None if method == NO_2FA else cast(TsvState, method),
        code=code,
    )


def parse_partner(text: str) -> tuple[str, str]:
    """Parse CLIENT_ID:CLIENT_SECRET."""
    client_id, sep, secret = text.partition(":")
    if not sep or not client_id:
        raise argparse.ArgumentTypeError("expected CLIENT_ID:CLIENT_SECRET")
    return client_id, secret


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    """Parse the command line."""
    parser = argparse.ArgumentParser(
        prog="python -m ring_emulator", description=__doc__
    )
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8765, help="0 picks a free port")
    parser.add_argument("--access-token-lifetime", type=float, default=3600)
    parser.add_argument("--partner-access-token-lifetime", type=float, default=4 * 3600)
    parser.add_argument("--refresh-token-lifetime", type=float, default=30 * 86400)
    parser.add_argument(
        "--code-exchange-lifetime",
        type=float,
        default=60,
        help="seconds a partner account-linking code can be exchanged",
    )
    parser.add_argument("--grace", type=float, default=60)
    parser.add_argument(
        "--block-password-grant",
        action="store_true",
        help="answer the password grant with 406, as Ring's edge has since 2026-02",
    )
    parser.add_argument(
        "--block-web-signin",
        action="store_true",
        help="answer the web sign-in's pages (/oauth/v2/...) with 406",
    )
    parser.add_argument(
        "--session-status",
        type=int,
        choices=(200, 201),
        default=201,
        help="status of a successful POST /clients_api/session",
    )
    parser.add_argument(
        "--no-require-session",
        dest="require_session",
        action="store_false",
        help="serve API calls of hardware ids that opened no session",
    )
    parser.add_argument("--account", type=parse_account, action="append", default=[])
    parser.add_argument(
        "--partner-client", type=parse_partner, action="append", default=[]
    )
    parser.add_argument(
        "--state-file",
        help="keep accounts, tokens, 2FA state, clock and counters in this JSON file "
        "(loaded at start, written before every answer that changes them)",
    )
    parser.add_argument(
        "--log-level",
        default="WARNING",
        help="level of the emulator's other logs; every token exchange is logged at INFO",
    )
    return parser.parse_args(argv)


def build_settings(args: argparse.Namespace) -> EmulatorSettings:
    """Turn parsed arguments into emulator settings."""
    settings = EmulatorSettings(
        access_token_lifetime=args.access_token_lifetime,
        partner_access_token_lifetime=args.partner_access_token_lifetime,
        code_exchange_lifetime=args.code_exchange_lifetime,
        refresh_token_lifetime=args.refresh_token_lifetime,
        grace=args.grace,
        partner_clients=dict(args.partner_client),
        block_password_grant=args.block_password_grant,
        block_web_signin=args.block_web_signin,
        session_status=args.session_status,
        require_session=args.require_session,
    )
    if args.account:
        settings.accounts = list(args.account)
    return settings


class StartError(Exception):
    """The emulator cannot start (the port is taken, the state file is bad)."""


def describe_state(emu: RingEmulator) -> str:
    """Return the one-line start-up note about the state file."""
    summary = emu.state_summary()
    if not summary["loaded"]:
        return f"State file {summary['file']}: new"
    logins = ", ".join(summary["live_logins"]) or "none"
    return f"State file {summary['file']}: loaded; live logins: {logins}"


async def serve(
    args: argparse.Namespace, out: TextIO, stop: asyncio.Event | None = None
) -> None:
    """Run until `stop` is set, or until SIGINT/SIGTERM when no event is given."""
    signals: list[signal.Signals] = []
    loop = asyncio.get_running_loop()
    if stop is None:
        stop = asyncio.Event()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, stop.set)
            signals.append(sig)

    def announce(email: str, method: str, code: str) -> None:
        print(f"2FA code for {email} ({method}): {code}", file=out, flush=True)

    try:
        emu = RingEmulator(
            build_settings(args), on_code=announce, state_file=args.state_file
        )
        if args.state_file:
            print(describe_state(emu), file=out, flush=True)
        try:
            url = await emu.start(args.host, args.port)
        except OSError as err:
            reason = os.strerror(err.errno) if err.errno else str(err)
            raise StartError(
                f"cannot listen on {args.host}:{args.port}: {reason}"
            ) from err
        try:
            print(f"Ring emulator listening on {url}", file=out, flush=True)
            await stop.wait()
        finally:
            await emu.stop()
    finally:
        for sig in signals:
            loop.remove_signal_handler(sig)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point; returns the process exit status."""
    args = parse_args(argv)
    logging.basicConfig(
        level=args.log_level.upper(), format=LOG_FORMAT, datefmt="%Y-%m-%d %H:%M:%S"
    )
    EXCHANGE_LOGGER.setLevel(logging.INFO)
    try:
        with contextlib.suppress(KeyboardInterrupt):
            asyncio.run(serve(args, sys.stdout))
    except (StartError, StateFileError) as err:
        print(f"Ring emulator: {err}", file=sys.stderr, flush=True)
        return 1
    return 0


if __name__ == "__main__":  # pragma: no cover - run as a subprocess in the tests
    sys.exit(main())
