"""The core column: python-ring-doorbell 0.9.14 driven as Home Assistant's `ring` integration does.

python-ring-doorbell's real `Auth` and `Ring` against this column's emulator (Ring's hosts
rewritten to it in the shared aiohttp session): `Auth(token=entry.data["token"],
token_updater=...)`, the first poll as set-up (Home Assistant's set-up retry on failure, reauth
on `AuthenticationError`), then a poll every minute; the schedule's calls as concurrent
`async_update_devices` through the same `Auth`. Polls that cannot meet anything but a plain
successful GET are counted, not sent (docs/soak.md).
"""

from collections.abc import Callable
import math
import time
from typing import Any

import aiohttp
from homeassistant.helpers.aiohttp_client import async_get_clientsession
from oauthlib.oauth2.rfc6749.parameters import parse_expires
from pytest_homeassistant_custom_component.common import MockConfigEntry
from ring_doorbell import AuthenticationError, Requires2FAError, Ring
from ring_doorbell.auth import Auth

from .column import RETRY_USER, Column
from .engine import Engine
from .ring_side import ACCOUNT_ID, EMAIL, PASSWORD, RingSide

CORE_HW = "50a50a50-0000-4000-8000-000000000002"
CORE_UA = "Home Assistant/ring-integration"
POLL = 60.0  # the core integration's SCAN_INTERVAL
SETUP_RETRY_MAX = 600.0  # homeassistant.config_entries.SETUP_RETRY_MAX_WAIT


class _Redirect:
    """The shared aiohttp session, with Ring's hosts pointed at the emulator."""

    def __init__(self, session: Any, base: str) -> None:
        self._session = session
        self._base = base

    def request(self, method: str, url: Any, **kwargs: Any) -> Any:
        url = (
            str(url)
            .replace("https://oauth.ring.com", self._base)
            .replace("https://api.ring.com", self._base)
        )
        if isinstance(kwargs.get("timeout"), int | float):
            kwargs["timeout"] = aiohttp.ClientTimeout(total=kwargs["timeout"])
        return self._session.request(method, url, **kwargs)


class CoreColumn(Column):
    """python-ring-doorbell 0.9.14 as Home Assistant's core `ring` integration drives it."""

    name = "core ring (python-ring-doorbell)"

    def __init__(
        self, engine: Engine, ring: RingSide, hass_storage: dict[str, Any]
    ) -> None:
        """Create a `ring` config entry holding a first login's token (oauthlib form)."""
        super().__init__(engine, ring, hass_storage)
        body = ring.emu.issue_tokens(EMAIL)
        token = {**body, "expires_at": time.time() + body["expires_in"]}
        self.entry = MockConfigEntry(
            domain="ring",
            title=EMAIL,
            unique_id=str(ACCOUNT_ID),
            version=1,
            minor_version=3,
            data={"username": EMAIL, "token": token, "device_id": CORE_HW},
        )
        self.entry.add_to_hass(self.hass)
        self.auth: Auth | None = None
        self.ring_api: Ring | None = None
        self.set_up = False
        self.tries = 0
        self.gen = 0
        self.next_grid = 0.0
        self.planned = 0.0
        self.halted = False  # ConfigEntryAuthFailed stopped the coordinator
        self.ok = False
        # The live Auth's token and when its oauthlib client thinks the access token ends.
        self.token: dict[str, Any] = token
        self.client_expiry: float | None = None
        self.auth_gen = 0

    # -- the integration's pieces, as core has them --------------------------------------------

    def _token_updater(self, token: dict[str, Any]) -> None:
        """homeassistant/components/ring/__init__.py: token_updater."""
        self.hass.config_entries.async_update_entry(
            self.entry, data={**self.entry.data, "token": token}
        )

    def _new_auth_token(
        self, token: dict[str, Any]
    ) -> Callable[[dict[str, Any]], None]:
        """Follow a new Auth's token; return its token updater (core's, and followed too).

        oauthlib's client takes its expiry from a token when `parse_expires` finds one in it
        and keeps the one it had otherwise (e.g. after an answer without `expires_in`).
        """
        self.auth_gen += 1
        gen = self.auth_gen
        self.token = token
        self.client_expiry = parse_expires(token)[2]

        def updater(new: dict[str, Any]) -> None:
            self._token_updater(new)
            if gen == self.auth_gen:  # not an Auth of before a restart
                self.token = new
                self.client_expiry = parse_expires(new)[2] or self.client_expiry

        return updater

    def _session(self) -> _Redirect:
        assert self.ring.emu.url is not None
        return _Redirect(async_get_clientsession(self.hass), self.ring.emu.url)

    async def start(self) -> None:
        """async_setup_entry: Auth from the entry's token, then the first refresh."""
        if self.up:
            return
        self.up = True
        self.note("start")
        self.tries = 0
        self.set_up = False
        token = self.entry.data["token"]
        self.auth = Auth(
            CORE_UA,
            token,
            self._new_auth_token(token),
            hardware_id=self.entry.data["device_id"],
            http_client_session=self._session(),  # type: ignore[arg-type]
        )
        self.ring_api = Ring(self.auth)
        if self.halted:
            self._set_ok(ok=False)
            return
        await self._setup_attempt(self.gen)

    async def stop(self) -> None:
        """Unload: polling ends."""
        self.catch_up()
        self.avail.pause(self.engine.now())
        self.up = False
        self.gen += 1
        self.auth = None
        self.ring_api = None

    def _set_ok(self, *, ok: bool) -> None:
        self.ok = ok
        if self.up:
            self.avail.mark(self.engine.now(), available=ok)

    async def _update(self) -> bool:
        """One coordinator update; False on UpdateFailed; AuthenticationError halts it."""
        assert self.ring_api is not None
        self.figures.polls_sent += 1
        self.figures.api_calls += 1
        before = self.ring_state()
        [result] = await self.engine.pump([self.ring_api.async_update_devices()])
        if result is None:
            return True
        self.book_failures(1, before)
        if isinstance(result, AuthenticationError):
            self.prompt(f"AuthenticationError in a poll: {_short(result)}")
            self.halted = True
        elif not isinstance(result, Exception):
            raise result  # the coordinator logs any other Exception as a failed update
        return False

    async def _setup_attempt(self, gen: int) -> None:
        """async_config_entry_first_refresh, with Home Assistant's setup retry backoff."""
        if gen != self.gen or not self.up or self.halted:
            return
        if await self._update():
            self.set_up = True
            self._set_ok(ok=True)
            self._plan(self.engine.now() + POLL)
            return
        self._set_ok(ok=False)
        if self.halted:
            return  # ConfigEntryAuthFailed: set-up error, a reauth flow
        wait = min(2**self.tries * 5, SETUP_RETRY_MAX)
        self.tries += 1
        self.engine.at(self.engine.now() + wait, lambda: self._setup_attempt(gen))

    # -- polling, sent or counted ------------------------------------------------------------

    def _interesting(self) -> float:
        """Return when a poll could first do more than a plain successful GET."""
        server = self.ring.server_expiry(self.token.get("access_token", ""))
        times = [t for t in (self.client_expiry, server) if t is not None]
        return min(times) if times else self.engine.now()

    def _plan(self, first: float) -> None:
        """Queue the next poll worth sending; the ones before it are counted later."""
        self.gen += 1
        gen = self.gen
        self.next_grid = first
        when = first
        if self.ring.quiet:
            interesting = self._interesting()
            if interesting > first:
                when = first + math.ceil((interesting - first) / POLL) * POLL
        self.planned = when
        self.engine.at(when, lambda: self._poll(gen, when))

    def catch_up(self) -> None:
        """Count the plain polls due up to now (nothing happened that they would see)."""
        if not (self.up and self.set_up) or self.halted:
            return
        # Grid polls before the planned one and not after now.
        now = self.engine.now()
        n = 0
        first = self.next_grid
        while self.next_grid <= now and self.next_grid < self.planned - 1e-6:
            n += 1
            self.next_grid += POLL
        self._counted(n, first)

    def _counted(self, n: int, first: float) -> None:
        """Book n plain successful polls from `first` on (available again at the first)."""
        self.figures.polls_counted += n
        self.figures.api_calls += n
        if n and not self.ok:
            self.ok = True
            self.avail.mark(first, available=True)

    def replan(self) -> None:
        """Something happened: send the next poll on the grid, or skip ahead again."""
        if self.up and self.set_up and not self.halted:
            self._plan(self.next_grid)

    async def _poll(self, gen: int, when: float) -> None:
        if gen != self.gen or not self.up or self.halted:
            return
        # Polls from the grid up to this one (exclusive) were plain successes.
        skipped = round((when - self.next_grid) / POLL)
        self._counted(skipped, self.next_grid)
        ok = await self._update()
        self._set_ok(ok=ok)
        if self.halted:
            return  # ConfigEntryAuthFailed stops the coordinator until the reauth
        self._plan(self.engine.now() + POLL)

    async def calls(self, n: int) -> None:
        """Entity actions / service calls: n concurrent queries through the same Auth."""
        if not self.up:
            return
        self.figures.api_calls += n
        before = self.ring_state()
        if self.ring_api is None or not self.set_up:
            failed = n
        else:
            ring_api = self.ring_api
            results = await self.engine.pump(
                [ring_api.async_update_devices() for _ in range(n)]
            )
            failed = 0
            for result in results:
                if result is None:
                    continue
                failed += 1
                if isinstance(result, AuthenticationError):
                    # ring/entity.py exception_wrap: start a reauth, raise HomeAssistantError.
                    self.prompt(f"AuthenticationError in an action: {_short(result)}")
                elif not isinstance(result, Exception):
                    raise result
        self.book_failures(failed, before)

    async def user_reauth(self) -> None:
        """Log in again as the user does: password, then the SMS code (core's reauth flow)."""
        if not self.up or not self.ring.healthy:
            self.engine.at(self.engine.now() + RETRY_USER, self.user_reauth)
            return
        auth = Auth(
            CORE_UA,
            None,
            None,
            hardware_id=self.entry.data["device_id"],
            http_client_session=self._session(),  # type: ignore[arg-type]
        )
        [first] = await self.engine.pump([auth.async_fetch_token(EMAIL, PASSWORD)])
        if not isinstance(first, Requires2FAError):
            self.engine.at(self.engine.now() + RETRY_USER, self.user_reauth)
            return
        code = self.ring.emu.last_code(EMAIL)
        [token] = await self.engine.pump(
            [auth.async_fetch_token(EMAIL, PASSWORD, code)]
        )
        if isinstance(token, BaseException):
            self.engine.at(self.engine.now() + RETRY_USER, self.user_reauth)
            return
        # The reauth flow's async_update_reload_and_abort: one write, then a reload.
        self._token_updater(token)
        self.reauth_pending = False
        self.halted = False
        self.note("user logged in again")
        await self.stop()
        await self.start()


def _short(err: BaseException) -> str:
    text = str(err) or type(err).__name__
    return text.splitlines()[0][:60]
