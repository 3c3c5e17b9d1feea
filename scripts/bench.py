"""`make bench`: Ring Auth's token handling next to python-ring-doorbell, on one emulator.

Everything runs in this one process against the in-process Ring emulator (`ring_emulator`):

- ours: `RingTokenManager` (the integration's token manager, composed of a refresher, a
  journal, a policy and health figures) on a real `HomeAssistant` from
  `pytest_homeassistant_custom_component.common.async_test_home_assistant`, with a
  `MockConfigEntry`, a `RingAuthClient` and `RingApi` (with the manager's refresher as its
  `AbstractAuth`) for the API calls; the client is pointed at the emulator with `oauth_url=` /
  `api_url=` (the same as setting RING_AUTH_BASE_URL).
- theirs: python-ring-doorbell's `Auth` (and `Ring(auth)` for polling), built the way Home
  Assistant core's `ring` integration builds it (token_updater saving into the config entry).
  Its URLs are module constants, so they are patched in this process only (see
  `point_ring_doorbell_at`): `ring_doorbell.const.OAuth.ENDPOINT` (read by `Auth` at call time),
  `ring_doorbell.const.API_URI`, and the `base_uri=API_URI` defaults of
  `Ring.async_query` / `Ring._async_query`, which Python bound when the functions were defined;
  and OAUTHLIB_INSECURE_TRANSPORT=1, without which oauthlib refuses a token on http://.

Simulated days (row 4) run under freezegun with `tick=True` and the asyncio loop on fake
monotonic time: moving the clock moves Home Assistant's timers, the token manager's
`time.time()` and the emulator's clock together; `async_fire_time_changed` is fired after each
move. The machine is shared and noisy: timings are printed, never asserted.

Rows 6-9 (the Ring devices: API calls, event latency, staleness, token calls with devices)
are scripts/bench_devices.py's, run last in simulated time with this module's machinery.
"""

import asyncio
from collections import Counter
from collections.abc import Awaitable, Callable, Iterator
import contextlib
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
import gc
import importlib.metadata
import itertools
import json
import logging
import os
from pathlib import Path
import platform
import statistics
import sys
import tempfile
import time
import tracemalloc
from typing import Any

STARTED = time.monotonic()

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import aiohttp  # noqa: E402
import freezegun  # noqa: E402
from homeassistant.core import HomeAssistant  # noqa: E402
from pytest_homeassistant_custom_component import patch_time  # noqa: E402
from pytest_homeassistant_custom_component.common import (  # noqa: E402
    MockConfigEntry,
    async_fire_time_changed,
    async_test_home_assistant,
)
from ring_doorbell import Auth, AuthenticationError, Ring, RingError  # noqa: E402
import ring_doorbell.const as rd_const  # noqa: E402
import ring_doorbell.ring as rd_ring  # noqa: E402

from custom_components.ring_auth.const import CONF_TOKEN, DOMAIN  # noqa: E402
from custom_components.ring_auth.policy import RefreshPolicy  # noqa: E402
from custom_components.ring_auth.ringclient import RingApi, RingAuthClient  # noqa: E402
from custom_components.ring_auth.token_manager import RingTokenManager  # noqa: E402
from ring_emulator import (  # noqa: E402
    Account,
    EmulatorSettings,
    Fault,
    RingEmulator,
    TokenExchange,
)

EMAIL = "bench@example.com"
PASSWORD = "bench-password"  # noqa: S105 - an emulator account
HW = "b3nc4000-0000-4000-8000-000000000001"
HA_UA = "Home Assistant/ring-integration"  # what HA core's ring integration sends
ACCESS_LIFETIME = 3600
CONCURRENT = 100
ACCOUNTS = 50
IDLE_DAYS = 10
POLL = 60.0  # HA core ring's SCAN_INTERVAL
MEMORY_ACCOUNTS = (
    200  # row 5: with more accounts, a registry table that doubles weighs less
)
OVERHEAD_CALLS = 2000
OVERHEAD_ROUND = 20

type Row = tuple[str, str, str, str]
type Token = dict[str, Any]


def say(text: str = "") -> None:
    """Write a line to stdout at once."""
    sys.stdout.write(text + "\n")
    sys.stdout.flush()


def progress(text: str) -> None:
    """Note progress on stderr (kept out of the table on stdout)."""
    sys.stderr.write(f"  .. {text}\n")
    sys.stderr.flush()


_patched_bases: list[str] = []


def point_ring_doorbell_at(url: str) -> None:
    """Patch python-ring-doorbell's URL constants (this process only) to the emulator."""
    # oauthlib refuses to put a token on a plain-http URL unless told this is a test.
    os.environ["OAUTHLIB_INSECURE_TRANSPORT"] = "1"
    rd_const.OAuth.ENDPOINT = url + "/oauth/token"
    real_api = "https://api.ring.com"
    rd_const.API_URI = url
    rd_ring.API_URI = url
    for func in (rd_ring.Ring.async_query, rd_ring.Ring._async_query):  # noqa: SLF001
        defaults = func.__defaults__ or ()
        func.__defaults__ = tuple(
            url if d in (real_api, *_patched_bases) else d for d in defaults
        )
    _patched_bases.append(url)


def accounts(count: int) -> list[Account]:
    """Return the bench account and `count` more, none with 2FA (logins are not measured)."""
    extra = [
        Account(email=f"user{i}@example.com", password=PASSWORD, tsv_state=None)
        for i in range(count)
    ]
    return [Account(email=EMAIL, password=PASSWORD, tsv_state=None), *extra]


def stored(body: dict[str, Any], received_at: float) -> dict[str, Any]:
    """Return a token as both integrations store it (HA OAuth2 shape, plus received_at)."""
    return {
        **body,
        "received_at": received_at,
        "expires_at": received_at + body["expires_in"],
    }


def grant_log(emu: RingEmulator) -> list[float]:
    """Record the emulator-clock time of every refresh-grant answer (the public hook)."""
    times: list[float] = []

    def heard(exchange: TokenExchange) -> None:
        if exchange.grant == "refresh_token":
            times.append(exchange.at)

    emu.exchange_listener = heard
    return times


def refreshes(emu: RingEmulator) -> int:
    """Refresh-grant calls the emulator has seen."""
    return emu.counters.token_calls.get("refresh_token", 0)


def plural(n: int, word: str) -> str:
    """'1 call', '2 calls'."""
    return f"{n} {word}{'' if n == 1 else 's'}"


def outcome_text(results: list[BaseException | None]) -> str:
    """'100/100 OK' or '1/100 OK, 99 AuthenticationError'."""
    ok = sum(1 for r in results if r is None)
    errors = Counter(type(r).__name__ for r in results if r is not None)
    parts = [f"{ok}/{len(results)} OK"]
    parts += [f"{n} {name}" for name, n in errors.most_common()]
    return ", ".join(parts)


async def settle(coros: list[Awaitable[Any]]) -> list[BaseException | None]:
    """Run calls concurrently; None for success, else the exception."""
    done = await asyncio.gather(*coros, return_exceptions=True)
    return [r if isinstance(r, BaseException) else None for r in done]


@dataclass(slots=True)
class Ours:
    """One account handled by the integration's token manager."""

    manager: RingTokenManager
    api: RingApi
    entry: MockConfigEntry
    reauth: list[str] = field(default_factory=list)


class Bench:
    """Shared state of one phase: hass, emulator, session."""

    def __init__(
        self, hass: HomeAssistant, emu: RingEmulator, session: aiohttp.ClientSession
    ) -> None:
        """Hold the phase's fixtures."""
        self.hass = hass
        self.emu = emu
        self.session = session
        self.managers: list[RingTokenManager] = []

    @property
    def url(self) -> str:
        """The emulator's base URL."""
        assert self.emu.url is not None  # noqa: S101
        return self.emu.url

    def ours_entry(
        self, email: str, received_at: float, *, hw: str = HW, body: Token | None = None
    ) -> MockConfigEntry:
        """Add a config entry as the integration's flow makes it, holding an emulator token."""
        body = body if body is not None else self.emu.issue_tokens(email)
        entry = MockConfigEntry(
            domain=DOMAIN,
            title=email,
            data={
                "email": email,
                "hardware_id": hw,
                "auth_type": "consumer",
                CONF_TOKEN: stored(body, received_at),
            },
        )
        entry.add_to_hass(self.hass)
        return entry

    async def ours(
        self,
        email: str,
        received_at: float,
        *,
        hw: str = HW,
        lifetime: int = 0,
        body: Token | None = None,
        count_reauth: bool = True,
    ) -> Ours:
        """Add a config entry holding a fresh emulator token; return a set-up manager for it.

        `count_reauth`: replace the entry's reauth start by a counter (the reauth flow needs the
        integration loaded); off where only memory is measured, as that scaffolding is not
        part of the integration.
        """
        if body is None:
            body = self.emu.issue_tokens(email)
        if lifetime:
            body["expires_in"] = lifetime
        entry = self.ours_entry(email, received_at, hw=hw, body=body)
        reauth: list[str] = []
        if count_reauth:

            def start_reauth(*_args: Any, **_kwargs: Any) -> None:
                reauth.append(entry.entry_id)

            entry.async_start_reauth = start_reauth  # type: ignore[method-assign]
        client = RingAuthClient(self.session, hw, oauth_url=self.url)
        manager = RingTokenManager(
            self.hass,
            entry,
            client,
            policy=RefreshPolicy(),  # the defaults, as set-up builds them from options
        )
        await manager.async_setup()
        self.managers.append(manager)
        api = RingApi(self.session, manager.refresher, hw, api_url=self.url)
        return Ours(manager, api, entry, reauth)

    def theirs_entry(
        self, email: str, received_at: float, *, hw: str = HW, body: Token | None = None
    ) -> MockConfigEntry:
        """Add a config entry as HA core's ring flow makes it (device id, username, token)."""
        body = body if body is not None else self.emu.issue_tokens(email)
        token = stored(body, received_at)
        token.pop("received_at")
        entry = MockConfigEntry(
            domain="ring",
            title=email,
            data={"device_id": hw, "username": email, "token": token},
        )
        entry.add_to_hass(self.hass)
        return entry

    def theirs(
        self, email: str, received_at: float, *, hw: str = HW, body: Token | None = None
    ) -> tuple[Auth, MockConfigEntry]:
        """python-ring-doorbell's Auth as HA core's ring integration builds it."""
        entry = self.theirs_entry(email, received_at, hw=hw, body=body)

        def token_updater(new: dict[str, Any]) -> None:
            self.hass.config_entries.async_update_entry(
                entry, data={**entry.data, "token": new}
            )

        auth = Auth(
            HA_UA,
            entry.data["token"],
            token_updater,
            hardware_id=hw,
            http_client_session=self.session,
        )
        return auth, entry

    def reset(self, grace: float) -> None:
        """Zero counters and faults; set the grace window."""
        self.emu.faults.clear()
        self.emu.counters.clear()
        self.emu.settings.grace = grace

    async def close(self) -> None:
        """Stop every manager's timers."""
        for manager in self.managers:
            manager.async_shutdown()
        self.managers.clear()


# -- row 1: 100 concurrent calls on an expired access token --------------------------------


async def storm_ours(b: Bench, *, grace: float, server_side: bool) -> tuple[int, str]:
    """100 concurrent RingApi calls; the token is expired locally or only at Ring."""
    b.reset(grace)
    now = time.time()
    # Locally expired: received 1 h 40 s ago. Server-side: the client thinks 40 min are left,
    # Ring has already expired it (the emulator clock is moved past the token's lifetime).
    received = now - 600 if server_side else now - ACCESS_LIFETIME - 40
    ours = await b.ours(EMAIL, received)
    if server_side:
        b.emu.clock.advance(ACCESS_LIFETIME + 1)
    b.emu.counters.clear()
    results = await settle([ours.api.async_get_devices() for _ in range(CONCURRENT)])
    calls = refreshes(b.emu)
    after = await settle([ours.api.async_get_devices()])
    text = f"{plural(calls, 'token call')}; {outcome_text(results)}"
    if b.emu.counters.refresh_reuse:
        text += f"; {plural(b.emu.counters.refresh_reuse, 'token reuse')}"
    text += "; login kept" if after[0] is None else "; login LOST"
    ours.manager.async_shutdown()
    return calls, text


async def storm_theirs(b: Bench, *, grace: float, server_side: bool) -> tuple[int, str]:
    """100 concurrent Auth.async_query calls (as Ring(auth) makes them) on the same token."""
    b.reset(grace)
    now = time.time()
    received = now - 600 if server_side else now - ACCESS_LIFETIME - 40
    auth, _entry = b.theirs(EMAIL, received)
    if server_side:
        b.emu.clock.advance(ACCESS_LIFETIME + 1)
    b.emu.counters.clear()
    url = b.url + rd_const.DEVICES_ENDPOINT
    results = await settle([auth.async_query(url) for _ in range(CONCURRENT)])
    calls = refreshes(b.emu)
    reuse = b.emu.counters.refresh_reuse
    after = await settle([auth.async_query(url)])
    text = f"{plural(calls, 'token call')}; {outcome_text(results)}"
    if reuse:
        text += f"; {plural(reuse, 'token reuse')}"
    text += "; login kept" if after[0] is None else "; login LOST"
    if any(isinstance(r, AuthenticationError) for r in results):
        text += (
            " (but HA core maps AuthenticationError to ConfigEntryAuthFailed: reauth)"
        )
    return calls, text


# -- row 2: the lost response ----------------------------------------------------------------


async def lost_ours(b: Bench, *, grace: float) -> str:
    """Lose the refresh answer after Ring rotated, under one API call."""
    b.reset(grace)
    ours = await b.ours(EMAIL, time.time() - ACCESS_LIFETIME - 40)
    b.emu.counters.clear()
    b.emu.inject(Fault.RESET_AFTER_ROTATE, where="token")
    result = (await settle([ours.api.async_get_devices()]))[0]
    calls = refreshes(b.emu)
    health = ours.manager.health
    if result is None:
        text = f"{plural(calls, 'token call')}; call OK: recovered (same token resent)"
    elif health.login_lost:
        text = (
            f"{plural(calls, 'token call')}; {type(result).__name__}: login lost"
            f" (reason {health.login_lost_reason})"
        )
        if ours.reauth:
            text += "; reauth started"
    else:
        text = f"{plural(calls, 'token call')}; {type(result).__name__}"
    ours.manager.async_shutdown()
    return text


async def lost_theirs(b: Bench, *, grace: float) -> str:
    """Inject the same fault; then make HA core's next poll 60 s later (coordinator interval)."""
    b.reset(grace)
    auth, _entry = b.theirs(EMAIL, time.time() - ACCESS_LIFETIME - 40)
    b.emu.counters.clear()
    b.emu.inject(Fault.RESET_AFTER_ROTATE, where="token")
    url = b.url + rd_const.DEVICES_ENDPOINT
    first = (await settle([auth.async_query(url)]))[0]
    b.emu.clock.advance(POLL)
    second = (await settle([auth.async_query(url)]))[0]
    calls = refreshes(b.emu)

    def name(r: BaseException | None) -> str:
        return "OK" if r is None else type(r).__name__

    text = f"{plural(calls, 'token call')}; {name(first)}, next poll (+60 s): {name(second)}"
    if isinstance(second, AuthenticationError):
        text += " -> HA reauth: login lost"
    elif second is None:
        text += ": recovered"
    return text


# -- row 3: overhead of an authorized call ---------------------------------------------------


async def overhead(b: Bench) -> tuple[Row, Row, str]:
    """Median/p95 of bare aiohttp, RingApi+manager and ring_doorbell Auth, interleaved."""
    b.reset(60)
    ours = await b.ours(EMAIL, time.time())
    auth, _entry = b.theirs(EMAIL, time.time())
    token = ours.manager.token["access_token"]
    url = b.url + "/clients_api/ring_devices"
    headers = {
        "Authorization": f"Bearer {token}",
        "hardware_id": HW,
        "User-Agent": "bench",
    }

    async def bare() -> None:
        async with b.session.get(url, headers=headers) as resp:
            json.loads(await resp.read())
            if resp.status != 200:
                raise RuntimeError(resp.status)

    async def ours_call() -> None:
        await ours.api.async_get_devices()

    async def theirs_call() -> None:
        (await auth.async_query(url)).json()

    methods: dict[str, Callable[[], Awaitable[None]]] = {
        "bare": bare,
        "bare2": bare,  # the same call again: the A/A noise floor
        "ours": ours_call,
        "theirs": theirs_call,
    }
    samples: dict[str, list[int]] = {k: [] for k in methods}
    rounds: dict[str, list[float]] = {k: [] for k in methods}
    for func in methods.values():  # warm-up: connections, caches
        for _ in range(100):
            await func()
    gc.collect()
    gc.disable()
    try:
        order = list(methods)
        for rnd in range(OVERHEAD_CALLS // OVERHEAD_ROUND):
            shift = rnd % len(order)
            for key in order[shift:] + order[:shift]:
                func, out = methods[key], samples[key]
                for _ in range(OVERHEAD_ROUND):
                    start = time.perf_counter_ns()
                    await func()
                    out.append(time.perf_counter_ns() - start)
                rounds[key].append(statistics.median(out[-OVERHEAD_ROUND:]))
        # The handler's own work without the network: a token lookup on a fresh token.
        start = time.perf_counter_ns()
        for _ in range(10_000):
            await ours.manager.refresher.async_get_access_token()
        lookup = (time.perf_counter_ns() - start) / 10_000 / 1000
    finally:
        gc.enable()
    ours.manager.async_shutdown()

    def med(key: str) -> float:
        return statistics.median(samples[key]) / 1000

    def p95(key: str) -> float:
        return statistics.quantiles(samples[key], n=20)[-1] / 1000

    def pct(key: str) -> str:
        """Overhead of the medians, and the median of per-round (paired) overheads."""
        whole = (med(key) - med("bare")) / med("bare") * 100
        paired = statistics.median(
            (k - b) / b * 100 for k, b in zip(rounds[key], rounds["bare"], strict=True)
        )
        return (
            f"{whole:+.1f} % ({med(key) - med('bare'):+.0f} µs); paired {paired:+.1f} %"
        )

    timing = (
        "median / p95 of one call (bare aiohttp: "
        f"{med('bare'):.0f} / {p95('bare'):.0f} µs)"
    )
    rows = (
        (
            timing,
            f"{med('ours'):.0f} / {p95('ours'):.0f} µs",
            f"{med('theirs'):.0f} / {p95('theirs'):.0f} µs",
            "",
        ),
        (
            "overhead over bare aiohttp (medians)",
            pct("ours"),
            pct("theirs"),
            "< 5 %",
        ),
    )
    note = (
        f"{len(samples['bare'])} sequential calls each, interleaved in rounds of"
        f" {OVERHEAD_ROUND}; A/A noise floor (bare vs bare): {pct('bare2')};"
        f" the manager's token lookup alone: {lookup:.1f} µs/call"
    )
    return rows[0], rows[1], note


# -- row 5: memory per account ---------------------------------------------------------------


type Build = Callable[[str, str, Token], Awaitable[Any]]


async def grown_per_account(b: Bench, side: str, build: Build, count: int) -> float:
    """Return the bytes per account still allocated after `build` made `count` of them.

    One warm-up account is built first (first-use caches are not per account). The tokens
    are issued before tracing starts (the emulator's records are Ring's memory, not the
    client's) and handed over as a client receives them, parsed from JSON.
    """
    emails = [f"user{i}@example.com" for i in range(count)]
    bodies = [json.dumps(b.emu.issue_tokens(email)) for email in [EMAIL, *emails]]
    keep = [await build(EMAIL, f"hw-{side}-warm-up", json.loads(bodies[0]))]
    await b.hass.async_block_till_done()
    gc.collect()
    tracemalloc.start()
    base = tracemalloc.get_traced_memory()[0]
    for i, email in enumerate(emails):
        keep.append(await build(email, f"hw-{side}-{i}", json.loads(bodies[i + 1])))
    await b.hass.async_block_till_done()
    gc.collect()
    grown = tracemalloc.get_traced_memory()[0] - base
    tracemalloc.stop()
    del keep
    return grown / count


def builder(b: Bench, side: str) -> Build:
    """Return how one account of a side is built: whole (as set-up leaves it) or its entry."""
    now = time.time()

    async def ours(email: str, hw: str, body: Token) -> Any:
        return await b.ours(email, now, hw=hw, body=body, count_reauth=False)

    async def theirs(email: str, hw: str, body: Token) -> Any:
        auth, entry = b.theirs(email, now, hw=hw, body=body)
        return Ring(auth), entry

    async def ours_entry(email: str, hw: str, body: Token) -> Any:
        return b.ours_entry(email, now, hw=hw, body=body)

    async def theirs_entry(email: str, hw: str, body: Token) -> Any:
        return b.theirs_entry(email, now, hw=hw, body=body)

    builds: dict[str, Build] = {
        "ours": ours,
        "theirs": theirs,
        "ours-entry": ours_entry,
        "theirs-entry": theirs_entry,
    }
    return builds[side]


async def phase_memory(config_dir: str) -> list[Row | str]:
    """Row 5: memory per account after set-up, the whole account and its config entry alone.

    Each of the four measurements runs on a fresh Home Assistant, so that both sides grow
    Home Assistant's registries from the same size (a table that doubles lands in one run).
    """
    emu = RingEmulator(
        EmulatorSettings(
            access_token_lifetime=ACCESS_LIFETIME,
            grace=60,
            accounts=accounts(MEMORY_ACCOUNTS),
            require_session=False,
        )
    )
    url = await emu.start()
    point_ring_doorbell_at(url)
    size: dict[str, float] = {}
    try:
        for n, side in enumerate(("ours", "theirs", "ours-entry", "theirs-entry")):
            side_dir = Path(config_dir, str(n))
            side_dir.mkdir()
            async with async_test_home_assistant(config_dir=str(side_dir)) as hass:
                session = aiohttp.ClientSession()
                b = Bench(hass, emu, session)
                try:
                    build = builder(b, side)
                    grown = await grown_per_account(b, side, build, MEMORY_ACCOUNTS)
                    size[side] = grown / 1024
                finally:
                    await b.close()
                    await session.close()
                    await hass.async_stop(force=True)
    finally:
        await emu.stop()

    def cell(side: str) -> str:
        whole, entry = size[side], size[f"{side}-entry"]
        return f"{whole:.1f} KiB ({entry:.1f} entry + {whole - entry:.1f} the rest)"

    return [
        (
            f"5  memory per account after set-up (tracemalloc, {MEMORY_ACCOUNTS} accounts)",
            cell("ours"),
            cell("theirs"),
            "<= theirs",
        ),
        "5: counted: the config entry with its token (Home Assistant's; both keep one),"
        " ours: RingAuthClient, RingTokenManager (refresher, journal, health, timer plan)"
        " after async_setup, RingApi; theirs: Auth (with its token_updater) and Ring(auth)."
        " Not counted: the emulator's token records, HA core's coordinators.",
    ]


# -- phase 1: rows 1, 2, 3 in real time ---------------------------------------------------


async def phase_real(config_dir: str) -> list[Row | str]:
    """Concurrency, lost responses and overhead on one hass and one emulator."""
    rows: list[Row | str] = []
    emu = RingEmulator(
        EmulatorSettings(
            access_token_lifetime=ACCESS_LIFETIME,
            grace=60,
            accounts=accounts(ACCOUNTS),
            require_session=False,  # both sides call the API without opening a session
        )
    )
    url = await emu.start()
    os.environ["RING_AUTH_BASE_URL"] = url
    point_ring_doorbell_at(url)
    async with async_test_home_assistant(config_dir=config_dir) as hass:
        session = aiohttp.ClientSession()
        b = Bench(hass, emu, session)
        try:
            progress("row 1: 100 concurrent calls on an expired token")
            for label, grace, server_side in (
                ("1a token calls, 100 concurrent calls, token expired (grace 60 s)", 60, False),
                ("1b same, strict single-use refresh tokens (grace 0)", 0, False),
                ("1c same, token expired at Ring only: 100 x 401 (grace 60 s)", 60, True),
            ):  # fmt: skip
                _, ours_text = await storm_ours(b, grace=grace, server_side=server_side)
                _, theirs_text = await storm_theirs(
                    b, grace=grace, server_side=server_side
                )
                target = "1 (ours)" if label.startswith("1a") else "1"
                rows.append((label, ours_text, theirs_text, target))
            progress("row 2: lost response")
            for label, grace in (
                ("2a lost refresh response (reset after rotate), grace 60 s", 60),
                ("2b lost refresh response, strict single-use (grace 0)", 0),
            ):
                rows.append(
                    (
                        label,
                        await lost_ours(b, grace=grace),
                        await lost_theirs(b, grace=grace),
                        "recovered" if grace else "-",
                    )
                )
            progress("row 3: overhead of an authorized call")
            timing, pct, note = await overhead(b)
            rows += [("3a " + timing[0], *timing[1:]), ("3b " + pct[0], *pct[1:])]  # type: ignore[list-item]
            rows.append(f"3: {note}")
        finally:
            await b.close()
            await session.close()
            await emu.stop()
            await hass.async_stop(force=True)
    return rows


# -- phase 2: row 4 in simulated days (freezegun) --------------------------------------------


def use_ha_freezegun() -> None:
    """Apply the freezegun fixes Home Assistant's test plugin applies (faster module scan)."""
    api: Any = freezegun.api
    api.FakeDate = patch_time.HAFakeDate
    api.datetime_to_fakedatetime = patch_time.ha_datetime_to_fakedatetime
    api.FakeDatetime = patch_time.HAFakeDatetime
    api._get_module_attributes = patch_time.ha_get_module_attributes  # noqa: SLF001
    api._get_module_attributes_hash = patch_time.ha_get_module_attributes_hash  # noqa: SLF001
    api._should_use_real_time = patch_time.ha_should_use_real_time  # noqa: SLF001
    api.get_current_time = patch_time.ha_get_current_time


@contextlib.contextmanager
def simulated_time() -> Iterator[Any]:
    """Freeze at the real now, ticking; the asyncio loop sees the fake monotonic clock."""
    use_ha_freezegun()
    with freezegun.freeze_time(datetime.now(UTC), tick=True) as frozen:
        yield frozen


async def move(
    hass: HomeAssistant, frozen: Any, seconds: float, *, settle_all: bool = True
) -> None:
    """Move simulated time; let due timers and their background tasks finish."""
    frozen.tick(timedelta(seconds=seconds))
    async_fire_time_changed(hass, datetime.fromtimestamp(time.time(), UTC))
    await asyncio.sleep(0)
    if settle_all:
        await hass.async_block_till_done(wait_background_tasks=True)


def peak_per_minute(times: list[float]) -> int:
    """Most refresh calls inside any sliding 60 s window."""
    times = sorted(times)
    best, lo = 0, 0
    for hi, t in enumerate(times):
        while t - times[lo] >= 60:
            lo += 1
        best = max(best, hi - lo + 1)
    return best


async def idle_ours(b: Bench, frozen: Any) -> tuple[str, str, str]:
    """50 accounts, no API calls, background refresh only, 10 simulated days."""
    b.reset(60)
    times = grant_log(b.emu)
    start = time.time()
    fleet = [
        await b.ours(f"user{i}@example.com", start, hw=f"hw-idle-{i}")
        for i in range(ACCOUNTS)
    ]
    end = start + IDLE_DAYS * 86400
    while True:
        due = [
            m.manager.health.next_refresh_attempt.timestamp()
            for m in fleet
            if m.manager.health.next_refresh_attempt is not None
        ]
        if not due or min(due) > end:
            break
        await move(b.hass, frozen, max(0.0, min(due) - time.time()) + 0.5)
    await move(b.hass, frozen, max(0.0, end - time.time()))
    per_account = [m.manager.health.refresh_count for m in fleet]
    failures = sum(m.manager.health.total_failures for m in fleet)
    lost = sum(m.manager.health.login_lost for m in fleet)
    await b.close()
    total = refreshes(b.emu)
    per_day = total / ACCOUNTS / IDLE_DAYS
    idle = (
        f"{per_day:.2f}/day/account ({total} calls, {ACCOUNTS} accounts x {IDLE_DAYS} days;"
        f" {min(per_account)}-{max(per_account)} per account; {failures} failures, {lost} lost)"
    )
    peak = f"{peak_per_minute(times)} (background refresh, 24 h +/- 10 % jitter)"
    return idle, peak, f"{per_day:.2f}"


def per_day(times: list[float]) -> str:
    """'24.0/day (every 60.0 min; 23 calls in the day)': the steady rate, from the spacing.

    The first refresh comes when the login's token runs out, so a day that starts with a
    fresh token holds one call fewer than the steady rate.
    """
    gaps = [b - a for a, b in itertools.pairwise(times)]
    if not gaps:
        return f"{len(times)} calls in the day"
    spacing = statistics.median(gaps)
    return (
        f"{86400 / spacing:.1f}/day (every {spacing / 60:.1f} min;"
        f" {len(times)} calls in the day)"
    )


async def poll_day_ours(b: Bench, frozen: Any) -> str:
    """Our manager under HA's 1-minute polling for one simulated day (1-h tokens)."""
    b.reset(60)
    times = grant_log(b.emu)
    ours = await b.ours(EMAIL, time.time(), hw="hw-poll-ours")
    life = float(ours.manager.token["expires_in"])
    margin = ours.manager.refresher.margin
    errors: Counter[str] = Counter()
    for _ in range(int(86400 / POLL)):
        try:
            await ours.api.async_get_devices()
        except Exception as err:  # noqa: BLE001 - counted and reported
            errors[type(err).__name__] += 1
        await move(b.hass, frozen, POLL, settle_all=False)
    ours.manager.async_shutdown()
    return (
        f"{per_day(times)}: renewed at the first call with under {margin:.0f} s left"
        f" (a {life / margin:.0f}th of its {life:.0f} s life);"
        f" {b.emu.counters.unauthorized} x 401, {sum(errors.values())} failed polls"
    )


async def poll_day_theirs(b: Bench, frozen: Any) -> str:
    """Ring(auth).async_update_devices every minute for one simulated day (HA core's coordinator)."""
    b.reset(60)
    times = grant_log(b.emu)
    auth, _entry = b.theirs(EMAIL, time.time(), hw="hw-poll-theirs")
    ring = Ring(auth)
    errors: Counter[str] = Counter()
    for _ in range(int(86400 / POLL)):
        try:
            await ring.async_update_devices()
        except (RingError, AuthenticationError) as err:
            errors[type(err).__name__] += 1
        await move(b.hass, frozen, POLL, settle_all=False)
    failed = ", ".join(f"{n} {k}" for k, n in errors.items()) or "0 failed polls"
    return (
        f"{per_day(times)}: renewed at the first poll after local expiry;"
        f" {b.emu.counters.unauthorized} x 401, {failed}"
    )


async def peak_theirs(b: Bench, frozen: Any) -> str:
    """50 Ring(auth) polling every minute, all logged in at once, for 125 simulated minutes."""
    b.reset(60)
    times = grant_log(b.emu)
    rings = [
        Ring(b.theirs(f"user{i}@example.com", time.time(), hw=f"hw-peak-{i}")[0])
        for i in range(ACCOUNTS)
    ]
    errors = 0
    minutes = 125
    for _ in range(minutes):
        results = await settle([r.async_update_devices() for r in rings])
        errors += sum(r is not None for r in results)
        await move(b.hass, frozen, POLL, settle_all=False)
    return (
        f"{peak_per_minute(times)} (1-min polling, {minutes} min: "
        f"{refreshes(b.emu)} calls, {errors} failed polls)"
    )


async def phase_simulated(config_dir: str) -> list[Row | str]:
    """Row 4: token calls per simulated day and the busiest minute."""
    rows: list[Row | str] = []
    with simulated_time() as frozen:
        emu = RingEmulator(
            EmulatorSettings(
                access_token_lifetime=ACCESS_LIFETIME,
                grace=60,
                accounts=accounts(ACCOUNTS),
                require_session=False,  # the benchmarks time tokens, not sessions
            )
        )
        url = await emu.start()
        point_ring_doorbell_at(url)
        async with async_test_home_assistant(config_dir=config_dir) as hass:
            session = aiohttp.ClientSession()
            b = Bench(hass, emu, session)
            try:
                progress(f"row 4: {ACCOUNTS} idle accounts, {IDLE_DAYS} simulated days")
                idle, peak, _ = await idle_ours(b, frozen)
                progress("row 4: one simulated day of 1-minute polling, each client")
                theirs_day = await poll_day_theirs(b, frozen)
                ours_day = await poll_day_ours(b, frozen)
                progress(f"row 4: {ACCOUNTS} accounts polling (python-ring-doorbell)")
                theirs_peak = await peak_theirs(b, frozen)
                rows += [
                    ("4a token calls per day: ours idle (no API calls); theirs under HA's 1-min polling",
                     idle, theirs_day, "1/day (ours)"),
                    ("4b token calls per day, both under HA's 1-min polling (1-h access token)",
                     ours_day, theirs_day, "24/day (1 per token life)"),
                    (f"4c peak token calls in any minute, {ACCOUNTS} accounts set up together",
                     peak, theirs_peak, "low (jitter)"),
                ]  # fmt: skip
            finally:
                await b.close()
                await session.close()
                await emu.stop()
                await hass.async_stop(force=True)
    return rows


# -- output -----------------------------------------------------------------------------------


def header() -> list[str]:
    """Machine, versions and date."""
    cpu = platform.processor() or platform.machine()
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else None

    def ver(name: str) -> str:
        try:
            return importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            return "?"

    return [
        f"date: {datetime.now(UTC):%Y-%m-%d %H:%M:%S} UTC",
        f"machine: {os.cpu_count()} cores ({usable} usable), {cpu}, {platform.system()} {platform.release()}",
        f"python: {platform.python_version()} ({platform.python_implementation()})",
        f"homeassistant {ver('homeassistant')}, ring-doorbell {ver('ring-doorbell')},"
        f" aiohttp {ver('aiohttp')}, emulator in-process on loopback",
    ]


def table(rows: list[Row | str]) -> list[str]:
    """Return a Markdown table (readable as plain text too); notes follow it."""
    cols = ("row", "ours (ring_auth)", "python-ring-doorbell 0.9.14 Auth", "target")
    data = [r for r in rows if isinstance(r, tuple)]
    widths = [max(len(c), *(len(r[i]) for r in data)) for i, c in enumerate(cols)]

    def line(cells: tuple[str, ...]) -> str:
        return (
            "| "
            + " | ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True))
            + " |"
        )

    out = [line(cols), "|" + "|".join("-" * (w + 2) for w in widths) + "|"]
    out += [line(r) for r in data]
    notes = [r for r in rows if isinstance(r, str)]
    if notes:
        out += ["", *(f"note {n}" for n in notes)]
    return out


def quiet_logs() -> None:
    """Keep expected failures (lost logins, 401s) out of the log: they are in the table."""
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr)
    for name in ("custom_components.ring_auth", "ring_doorbell", "ring_emulator"):
        logging.getLogger(name).setLevel(logging.CRITICAL)


def main() -> int:
    """Run both phases and print the table."""
    quiet_logs()
    for line in header():
        say(line)
    say()
    with tempfile.TemporaryDirectory(prefix="ring-auth-bench-") as tmp:
        real_dir, sim_dir, mem_dir = (
            Path(tmp, "real"),
            Path(tmp, "sim"),
            Path(tmp, "mem"),
        )
        for path in (real_dir, sim_dir, mem_dir):
            path.mkdir()
        rows = asyncio.run(phase_real(str(real_dir)))
        progress("row 5: memory per account")
        rows += asyncio.run(phase_memory(str(mem_dir)))
        try:
            rows += asyncio.run(phase_simulated(str(sim_dir)))
        except Exception as err:  # noqa: BLE001 - reported as n/a, not faked
            rows.append(
                ("4  token calls per simulated day", "n/a", "n/a", f"failed: {err!r}")
            )
        # Rows 6-9 (scripts/bench_devices.py) use this module's machinery as `bench`.
        sys.modules.setdefault("bench", sys.modules[__name__])
        import bench_devices

        dev_dir = Path(tmp, "devices")
        dev_dir.mkdir()
        try:
            rows += asyncio.run(bench_devices.phase_devices(str(dev_dir)))
        except Exception as err:  # noqa: BLE001 - reported as n/a, not faked
            rows.append(("6  Ring devices", "n/a", "n/a", f"failed: {err!r}"))
    ordered = sorted(rows, key=lambda r: r[0][:2] if isinstance(r, tuple) else r[:2])
    for line in table(ordered):
        say(line)
    say()
    say(f"wall time: {time.monotonic() - STARTED:.0f} s (imports included)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
