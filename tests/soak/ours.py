"""The Ring Auth column: this integration as Home Assistant runs it."""

from typing import Any

from homeassistant.config_entries import SOURCE_REAUTH, ConfigEntryState
from homeassistant.core import Event as HassEvent
from homeassistant.helpers import issue_registry as ir
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.ring_auth.const import DOMAIN
from custom_components.ring_auth.token_manager import async_store_login

from .column import RETRY_USER, Column
from .engine import Engine
from .ring_side import ACCOUNT_ID, EMAIL, PARTNER_ID, PASSWORD, RingSide, stored

OUR_HW = "50a50a50-0000-4000-8000-000000000001"


class RingAuthColumn(Column):
    """Ring Auth, as Home Assistant runs it."""

    name = "ring_auth"

    def __init__(
        self,
        engine: Engine,
        ring: RingSide,
        hass_storage: dict[str, Any],
        partner: bool,
    ) -> None:
        """Create the config entry holding a first login's token."""
        super().__init__(engine, ring, hass_storage)
        self.partner = partner
        client = PARTNER_ID if partner else None
        body = (
            ring.emu.issue_tokens(EMAIL, client)
            if client
            else ring.emu.issue_tokens(EMAIL)
        )
        data: dict[str, Any] = {
            "email": EMAIL,
            "hardware_id": OUR_HW,
            "auth_type": "partner" if partner else "consumer",
            "token": stored(body),
        }
        if partner:
            data["auth_implementation"] = DOMAIN
        # The soak's own bursts are the account's use; the devices are read at each start
        # only (polling them every minute is the bench's subject, not the soak's).
        self.entry = MockConfigEntry(
            domain=DOMAIN,
            title=EMAIL,
            unique_id=str(ACCOUNT_ID),
            data=data,
            pref_disable_polling=True,
        )
        self.entry.add_to_hass(self.hass)
        self.seen_flows: set[str] = set()
        engine.observers.append(self._observe)
        self.hass.bus.async_listen(ir.EVENT_REPAIRS_ISSUE_REGISTRY_UPDATED, self._issue)

    def _issue(self, event: HassEvent[ir.EventIssueRegistryUpdatedData]) -> None:
        if event.data["domain"] != DOMAIN:
            return
        if event.data["action"] == "create":
            self.figures.issues_raised += 1
            self.figures.issue_kinds.add(event.data["issue_id"].rsplit("_", 1)[0])
        elif event.data["action"] == "remove":
            self.figures.issues_cleared += 1

    def usable(self) -> bool:
        """Return whether the login is usable (what the token sensors show)."""
        if self.entry.state is not ConfigEntryState.LOADED:
            return False
        return self.entry.runtime_data.manager.login_usable

    def _observe(self, before: float, after: float) -> None:
        """Track availability across a jump of the clock; notice new reauth flows."""
        if not self.up:
            return
        if self.entry.state is ConfigEntryState.LOADED:
            manager = self.entry.runtime_data.manager
            expires = float(manager.token["expires_at"])
            if (
                not manager.health.login_lost
                and manager.health.consecutive_failures > 0
                and before < expires <= after
            ):
                self.avail.mark(expires, available=False)
        self.check()

    def check(self) -> None:
        """Record availability now and any new reauth flow."""
        if not self.up:
            return
        self.avail.mark(self.engine.now(), available=self.usable())
        for flow in self.hass.config_entries.flow.async_progress_by_handler(DOMAIN):
            if flow["context"].get("source") != SOURCE_REAUTH:
                continue
            if flow["flow_id"] in self.seen_flows:
                continue
            self.seen_flows.add(flow["flow_id"])
            reason = "?"
            if self.entry.state is ConfigEntryState.LOADED:
                reason = str(self.entry.runtime_data.manager.health.login_lost_reason)
            self.prompt(f"login lost ({reason})")

    async def start(self) -> None:
        """Set the entry up (Home Assistant started)."""
        if self.up:
            return
        self.up = True
        self.note("start")
        await self.engine.pump(
            [self.hass.config_entries.async_setup(self.entry.entry_id)]
        )
        self.check()

    async def stop(self) -> None:
        """Unload the entry (Home Assistant stopping)."""
        self.check()
        self.avail.pause(self.engine.now())
        self.up = False
        await self.engine.pump(
            [self.hass.config_entries.async_unload(self.entry.entry_id)]
        )

    async def calls(self, n: int) -> None:
        """Make n concurrent API calls through the integration's RingApi."""
        if not self.up:
            return
        self.figures.api_calls += n
        before = self.ring_state()
        if self.entry.state is not ConfigEntryState.LOADED:
            failed = n
        else:
            api = self.entry.runtime_data.api
            results = await self.engine.pump(
                [api.async_get_devices() for _ in range(n)]
            )
            failed = sum(isinstance(r, BaseException) for r in results)
        self.book_failures(failed, before)
        self.check()

    async def user_reauth(self) -> None:
        """Log in again as the user does (password + SMS code; partners re-link)."""
        flows = [
            f
            for f in self.hass.config_entries.flow.async_progress_by_handler(DOMAIN)
            if f["context"].get("source") == SOURCE_REAUTH
        ]
        if self.up and not flows:
            self.reauth_pending = False  # the prompt went away on its own
            return
        if not self.up or not self.ring.healthy:
            self.engine.at(self.engine.now() + RETRY_USER, self.user_reauth)
            return
        flow_id = flows[0]["flow_id"]
        manager = self.hass.config_entries.flow
        if self.partner:
            # Account linking is a browser step; its result is a fresh partner token.
            token = await async_store_login(
                self.hass,
                self.entry,
                stored(self.ring.emu.issue_tokens(EMAIL, PARTNER_ID)),
            )
            manager.async_abort(flow_id)
            self.hass.config_entries.async_update_entry(
                self.entry, data={**self.entry.data, "token": token}
            )
            await self.engine.pump(
                [self.hass.config_entries.async_reload(self.entry.entry_id)]
            )
        else:
            [result] = await self.engine.pump(
                [manager.async_configure(flow_id, {"password": PASSWORD})]
            )
            code = self.ring.emu.last_code(EMAIL)
            [result] = await self.engine.pump(
                [manager.async_configure(flow_id, {"code": code})]
            )
            if (
                not isinstance(result, dict)
                or result.get("reason") != "reauth_successful"
            ):
                self.engine.at(self.engine.now() + RETRY_USER, self.user_reauth)
                return
        self.reauth_pending = False
        self.note("user logged in again")
        self.check()
