"""Scenario: the options flow and the reconfigure flow, each ending in a reload.

They are where Home Assistant reports misused reloads (an update listener next to
`async_update_reload_and_abort` or an options flow that reloads, deprecated in 2026 and an
error from 2026.12): running them on every release lets the log check see such reports.
"""

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

from .ha import DOMAIN
from .log import say
from .procs import E2E_EMAIL, E2E_PASSWORD
from .scenarios import Run, ScenarioError, check

OPTIONS_FLOW = "/api/config/config_entries/options/flow"
SETTLE = 1.5  # seconds to wait for a second reload after the first


def number_fields(form: dict[str, Any]) -> list[dict[str, Any]]:
    """Return the form's number fields (the folded "Advanced" section is left as it is)."""
    fields = [f for f in form["data_schema"] if f.get("type") != "expandable"]
    for field in fields:
        if "number" not in (field.get("selector") or {}):
            raise ScenarioError(f"options: a field that is not a number: {field}")
    return fields


def changed_options(form: dict[str, Any]) -> dict[str, Any]:
    """Return a valid value for every number field that differs from its default.

    The ranges are the ones the form names (its description placeholders).
    """
    ranges = form.get("description_placeholders") or {}
    values: dict[str, Any] = {}
    for field in number_fields(form):
        name, now = field["name"], field.get("default")
        low, high = int(ranges[f"{name}_min"]), int(ranges[f"{name}_max"])
        values[name] = high if now != high else low
    return values


async def one_reload[T](run: Run, what: str, action: Callable[[], Awaitable[T]]) -> T:
    """Run action; check that the entry then reloads exactly once and ends loaded."""
    loop = asyncio.get_running_loop()
    async with run.ha.entry_states(run.entry_id) as seen:
        result = await action()
        deadline = loop.time() + 30
        while "setup_in_progress" not in seen or seen[-1] != "loaded":
            if loop.time() > deadline:
                raise ScenarioError(f"{what}: the entry did not reload: {seen}")
            await asyncio.sleep(0.05)
        await asyncio.sleep(SETTLE)  # a second reload would start by now
    check(
        seen.count("setup_in_progress") == 1 and seen[-1] == "loaded",
        f"{what}: expected one reload, the entry went through {seen}",
    )
    return result


async def set_options(
    run: Run, choose: Callable[[dict[str, Any]], dict[str, Any]]
) -> dict[str, Any]:
    """Run the options flow with the values choose(form) returns; return them."""
    form = await run.ha.post(OPTIONS_FLOW, {"handler": run.entry_id})
    check(form.get("step_id") == "init", f"options: expected the form: {form}")
    values = choose(form)
    done = await one_reload(
        run, "options", lambda: run.ha.post(f"{OPTIONS_FLOW}/{form['flow_id']}", values)
    )
    check(done.get("type") == "create_entry", f"options were not saved: {done}")
    return values


async def options_and_reconfigure(run: Run) -> None:
    """Change the options and put them back, then log in again through reconfigure."""
    entry = (await run.ha.entries())[0]
    before = {f["name"]: f.get("default") for f in await _options_form(run)}
    changed = await set_options(run, changed_options)
    now = {f["name"]: f.get("default") for f in await _options_form(run)}
    check(now == changed, f"options not kept: {now}, wanted {changed}")
    await set_options(run, lambda _form: dict(before))
    await run.ha.press()

    flow = await run.ha.post(
        "/api/config/config_entries/flow",
        {"handler": DOMAIN, "entry_id": entry["entry_id"]},
    )
    check(flow.get("step_id") == "reconfigure", f"expected reconfigure: {flow}")
    flow = await run.ha.flow_step(
        flow["flow_id"], {"email": E2E_EMAIL, "password": E2E_PASSWORD}
    )
    check(flow.get("step_id") == "2fa_sms", f"reconfigure: expected the code: {flow}")
    code = await run.code()
    flow = await one_reload(
        run, "reconfigure", lambda: run.ha.flow_step(flow["flow_id"], {"code": code})
    )
    check(
        flow.get("type") == "abort" and flow.get("reason") == "reconfigure_successful",
        f"reconfigure did not succeed: {flow}",
    )
    await run.ha.press()
    check(len(await run.ha.entries()) == 1, "reconfigure added an entry")
    say(f"options changed to {changed} and back; reconfigure logged in again")
    run.check_log("options and reconfigure")


async def _options_form(run: Run) -> list[dict[str, Any]]:
    """Open the options form, read its number fields (with today's values), close it."""
    form = await run.ha.post(OPTIONS_FLOW, {"handler": run.entry_id})
    await run.ha.delete(f"{OPTIONS_FLOW}/{form['flow_id']}")
    return number_fields(form)
