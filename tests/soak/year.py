"""One simulated year (or any number of days): both columns through the same schedule.

Two columns live through the same year in one Home Assistant, each against its own Ring
emulator (same settings, same faults opened and closed at the same instants):

- `RingAuthColumn` (ours.py): this integration, set up as a config entry, restarted, cut
  off, reauthed.
- `CoreColumn` (core.py): python-ring-doorbell's `Auth` + `Ring`, driven the way Home
  Assistant's core `ring` integration drives them.

The clock is the engine's (engine.py); the windows of trouble are the emulators' faults
(ring_side.py); what each column did is in its `Figures` (figures.py).
"""

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
import os
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant import config_entries
from homeassistant.components.application_credentials import (
    ClientCredential,
    async_import_client_credential,
)
from homeassistant.config_entries import ConfigEntry
from homeassistant.core import HomeAssistant
from homeassistant.helpers.json import json_dumps
from homeassistant.setup import async_setup_component
from homeassistant.util.json import json_loads

from custom_components.ring_auth.const import DOMAIN

from .column import Column
from .core import CoreColumn
from .engine import Engine
from .figures import longest_merged
from .ours import RingAuthColumn
from .ring_side import PARTNER_ID, PARTNER_SECRET, RingSide
from .schedule import Event, Schedule

# The kinds of window the schedule opens, as RingSide knows them.
WINDOWS = {
    "outage": None,
    "storm": "storm",
    "network_loss": "network",
    "block": "block",
}


@dataclass(frozen=True, slots=True)
class RunConfig:
    """One run: access-token lifetime, grace window, grant flavour, days, seed."""

    lifetime: int
    grace: int
    partner: bool
    days: int
    seed: int

    @property
    def name(self) -> str:
        """Return a short label."""
        flavour = "partner" if self.partner else "consumer"
        return f"{self.lifetime // 3600} h {flavour}, grace {self.grace} s"


def write_entries_to_disk(hass: HomeAssistant, hass_storage: dict[str, Any]) -> None:
    """Put the config entries in storage as Home Assistant writes them: made long ago.

    `hass_storage` is the disk: a power cut reads what the entry held there (column.py).
    """
    entries = [
        entry.as_storage_fragment for entry in hass.config_entries.async_entries()
    ]
    hass_storage[config_entries.STORAGE_KEY] = {
        "version": config_entries.STORAGE_VERSION,
        "minor_version": config_entries.STORAGE_VERSION_MINOR,
        "key": config_entries.STORAGE_KEY,
        "data": json_loads(json_dumps({"entries": entries})),
    }


async def import_partner_credentials(hass: HomeAssistant) -> None:
    """Import the partner app's client id and secret (application credentials)."""
    await async_setup_component(hass, "application_credentials", {})
    await async_import_client_credential(
        hass, DOMAIN, ClientCredential(PARTNER_ID, PARTNER_SECRET, "Partner app")
    )


def count_token_writes(
    hass: HomeAssistant, monkeypatch: Any, columns: list[Column]
) -> None:
    """Count every change of an entry's token (Home Assistant's public update call)."""
    entries = hass.config_entries
    update_entry = entries.async_update_entry

    def counting_update(entry: ConfigEntry, **kwargs: Any) -> bool:
        before = entry.data.get("token")
        changed = update_entry(entry, **kwargs)
        if changed and entry.data.get("token") != before:
            for column in columns:
                if column.entry is entry:
                    column.entry_written()
        return changed

    monkeypatch.setattr(entries, "async_update_entry", counting_update)


def plan(engine: Engine, schedule: Schedule, columns: list[Column]) -> None:  # noqa: C901
    """Queue every scheduled event for both columns."""
    core = next(c for c in columns if isinstance(c, CoreColumn))

    def every(ev: Event, action: Callable[[Column], Awaitable[None]]) -> None:
        async def run() -> None:
            core.catch_up()
            for column in columns:
                await action(column)
            core.replan()

        engine.at(engine.t0 + ev.at, run)

    def window(ev: Event) -> None:
        kind = WINDOWS[ev.kind] or f"outage_{ev.args['mode']}"
        label = f"{kind} ({ev.args['where']})" if kind == "block" else kind

        async def opened(column: Column) -> None:
            column.ring.open(kind, **ev.args)
            column.note(f"{label} starts")

        async def closed(column: Column) -> None:
            column.ring.close(kind, **ev.args)
            column.note(f"{label} ends")

        every(ev, opened)
        every(Event(ev.at + ev.args["duration"], ev.kind, ev.args), closed)

    for ev in schedule.events:
        match ev.kind:
            case "calls":
                n = ev.args["n"]
                every(ev, lambda c, n=n: c.calls(n))
            case kind if kind in WINDOWS:
                window(ev)
            case "malformed":
                fault, where = ev.args["fault"], ev.args["where"]

                async def inject(
                    c: Column, fault: str = fault, where: str = where
                ) -> None:
                    c.ring.single(fault, where)
                    c.note(f"{fault} queued")

                every(ev, inject)
            case "restart":
                downtime = ev.args["downtime"]
                every(ev, lambda c, d=downtime: c.restart(d))
            case "power_cut":
                downtime, mode = ev.args["downtime"], ev.args["mode"]
                every(ev, lambda c, d=downtime, m=mode: c.power_cut(d, m))
            case "clock_step":
                step = ev.args["step"]

                async def clock(c: Column, step: float = step) -> None:
                    # The skew between the hub's clock and Ring's steps: Ring's clock moves.
                    c.ring.emu.clock.offset -= step
                    c.note(f"clock step {step:+.0f} s")

                every(ev, clock)


async def run_year(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    hass_storage: dict[str, Any],
    monkeypatch: Any,
    config: RunConfig,
    schedule: Schedule,
) -> dict[str, Any]:
    """Live through the schedule with both columns; return their figures."""
    engine = Engine(hass, freezer, config.days)
    ours_ring = RingSide(engine, config.lifetime, config.grace)
    core_ring = RingSide(engine, config.lifetime, config.grace)
    url = await ours_ring.emu.start("127.0.0.1", 0)
    await core_ring.emu.start("127.0.0.1", 0)
    monkeypatch.setenv("RING_AUTH_BASE_URL", url)
    if config.partner:
        await import_partner_credentials(hass)
    ours = RingAuthColumn(engine, ours_ring, hass_storage, config.partner)
    core = CoreColumn(engine, core_ring, hass_storage)
    columns: list[Column] = [ours, core]
    count_token_writes(hass, monkeypatch, columns)
    write_entries_to_disk(hass, hass_storage)
    plan(engine, schedule, columns)
    # Home Assistant has been up a moment when the columns start (2 s, as in every run
    # since the first: a seed's year keeps its figures).
    await engine.run_until(engine.now() + 2)

    for column in columns:
        await column.start()
    core.replan()
    started = os.times().elapsed  # not frozen
    await engine.run()
    core.catch_up()
    for column in columns:
        column.finish()
        if column.up:
            await column.stop()
    await ours_ring.emu.stop()
    await core_ring.emu.stop()
    return {
        "config": config,
        "schedule": schedule,
        "ours": ours.figures,
        "core": core.figures,
        "longest_outage": longest_merged(schedule.windows("outage", "network_loss")),
        "longest_5xx_hang": max(
            (ev.args["duration"] for ev in schedule.events if ev.kind == "outage"),
            default=0.0,
        ),
        "blocks": schedule.windows("block"),
        "seconds": os.times().elapsed - started,
        "steps": engine.steps,
    }
