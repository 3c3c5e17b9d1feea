"""The scenarios of `make e2e`, each ending with a check of Home Assistant's log."""

import asyncio
from collections.abc import AsyncIterator
import contextlib
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
import random
import re
import time
from typing import Any

from . import logscan
from .browser import DIAGNOSTICS, Frontend
from .ha import DOMAIN, TOKEN_SENSORS, HaClient, HaError
from .log import say
from .procs import DING_COUNTER, E2E_EMAIL, E2E_PASSWORD, Emulator, Hass

FAILURES_SENSOR = "sensor.ring_demo_user_consecutive_refresh_failures"
SIGNIN_SENSOR = "sensor.ring_demo_user_sign_in_method"
LOGIN_LOST_ERROR = re.compile(r"Ring refused the stored login \(rejected\)")
# Home Assistant's DataUpdateCoordinator logs a failed poll once at ERROR when the data goes
# unavailable (and "Fetching ... recovered" at INFO when it comes back): its standard way of
# telling the user, and all an outage may log as an error.
POLL_FAILED_ERROR = re.compile(
    r"Error fetching Ring devices data: Home Assistant could not reach Ring"
)


class ScenarioError(AssertionError):
    """A scenario's expectation did not hold."""


def check(ok: object, what: str) -> None:
    """Fail the scenario unless ok."""
    if not ok:
        raise ScenarioError(what)


@dataclass
class Run:
    """Everything the scenarios share: the processes, the API client, the figures."""

    emulator: Emulator
    hass: Hass
    ha: HaClient
    seed: int
    entry_id: str = ""
    results: dict[str, Any] = field(default_factory=dict)
    log_problems: list[str] = field(default_factory=list)
    # Every WARNING-or-worse record that mentions ring_auth, once per message (for the summary).
    ring_auth_warnings: dict[str, str] = field(default_factory=dict)

    # -- emulator control API ------------------------------------------------------------

    async def emu_get(self, path: str) -> Any:
        """GET an emulator control endpoint."""
        async with self.ha.session.get(self.emulator.url + path) as resp:
            resp.raise_for_status()
            return await resp.json()

    async def emu_post(self, path: str, body: dict[str, Any]) -> Any:
        """POST to an emulator control endpoint."""
        async with self.ha.session.post(self.emulator.url + path, json=body) as resp:
            resp.raise_for_status()
            return await resp.json()

    async def code(self) -> str:
        """Return the 2FA code the emulator last "sent" (control API)."""
        code = (await self.emu_get(f"/_emulator/codes/{E2E_EMAIL}"))["code"]
        check(code, "the emulator sent no 2FA code")
        return str(code)

    async def wrong_code(self) -> str:
        """Return a well-formed code that is not the one sent."""
        return f"{(int(await self.code()) + 1) % 1_000_000:06d}"

    async def counters(self) -> dict[str, Any]:
        """Return the emulator's counters."""
        return dict(await self.emu_get("/_emulator/counters"))

    # -- shared steps ----------------------------------------------------------------------

    async def restart_hass(self, *, crash: bool) -> float:
        """Kill (crash) or stop hass, start it again on the same config; return start time."""
        if crash:
            await self.hass.kill()
        else:
            await self.hass.stop()
        return await self.hass.start()

    async def device_id(self) -> str:
        """Return the id of the account's device (its Ring devices are linked via it)."""
        devices = await self.ha.ws({"type": "config/device_registry/list"})
        for device in devices:
            if (
                self.entry_id in device["config_entries"]
                and not device["via_device_id"]
            ):
                return str(device["id"])
        raise ScenarioError("the account has no device")

    def check_log(
        self,
        scenario: str,
        expected: tuple[re.Pattern[str], ...] = (),
        *,
        once: tuple[re.Pattern[str], ...] = (),
    ) -> int:
        """Check what Home Assistant logged since the last check; return the record count.

        `expected` errors may appear any number of times, `once` errors at most once.
        """
        text = self.hass.log.take()
        secrets = dict.fromkeys(self.emulator.issued, "a token")
        secrets |= dict.fromkeys(self.emulator.codes, "a 2FA code")
        secrets[E2E_PASSWORD] = "the password"
        problems = logscan.problems(text, secrets, (*expected, *once))
        records = logscan.records(text)
        problems += [
            f"logged {n} times, expected at most once: {p.pattern}"
            for p in once
            if (n := sum(bool(p.search(r)) for r in records)) > 1
        ]
        for warning in logscan.ring_auth_warnings(text):
            message = warning.split("] ", 1)[-1]  # without level, thread and logger
            self.ring_auth_warnings.setdefault(message, warning)
        ring_lines = sum(logscan.RING_AUTH_LOGGER in r for r in records)
        say(
            f"log check ({scenario}): {len(records)} records, {ring_lines} from ring_auth,"
            f" {len(problems)} problems"
        )
        self.log_problems += [f"{scenario}: {p}" for p in problems]
        check(not problems, f"log check failed: {problems}")
        return len(records)


# -- the browser ---------------------------------------------------------------------------


@contextlib.asynccontextmanager
async def frontend(run: Run, shots: Any) -> AsyncIterator[Frontend]:
    """Open Home Assistant's frontend in the browser; keep a screenshot of a failure."""
    ui = Frontend(run.hass.url, shots)
    try:
        await ui.open()
        yield ui
    except BaseException:
        failure = run.hass.config.parent / "browser-failure.png"
        with contextlib.suppress(Exception):
            await ui.page.screenshot(path=failure)
            say(f"browser: the page at the failure is in {failure}")
        raise
    finally:
        await ui.close()


async def browser_add_and_reauth(run: Run, shots: Any) -> list[str]:
    """Add the account in the UI (with errors), view the device, then reauth in the UI.

    Ring's edge refuses the password grant meanwhile (the 2026 behaviour): both logins go
    through the web sign-in, and the user sees the same two steps.
    """
    async with frontend(run, shots) as ui:
        await run.emu_post("/_emulator/settings", {"block_password_grant": True})
        await ui.add_account(run.code, run.wrong_code)
        entries = await run.ha.entries()
        check(len(entries) == 1, f"one entry expected, got {entries}")
        check(entries[0]["state"] == "loaded", f"entry not loaded: {entries[0]}")
        run.entry_id = entries[0]["entry_id"]
        method = await run.ha.state(SIGNIN_SENSOR)
        counters = await run.counters()
        check(method == "web", f"signed in through {method}, not the web sign-in")
        check(
            counters["password_blocked"] >= 1
            and counters["web_signin"]["exchange"] >= 1,
            f"the password grant was not refused then replaced: {counters}",
        )
        states = await run.ha.wait_states(None, TOKEN_SENSORS, 10)
        check(
            all(s not in (None, "unavailable", "unknown") for s in states.values()),
            f"token sensors have no values: {states}",
        )
        shown = await ui.device_page(await run.device_id(), "07-device")
        check(
            all(
                shown.get(label) not in (None, "Unknown", "Unavailable")
                for label in DIAGNOSTICS
            ),
            f"the device page does not show every figure: {shown}",
        )
        states = await run.ha.wait_states(None, TOKEN_SENSORS, 10)
        check(
            all(s not in (None, "unavailable", "unknown") for s in states.values()),
            f"token sensors have no values after Refresh now: {states}",
        )
        say(f"browser: device page shows {shown}")
        run.check_log("browser: add account")

        # A revoked login: one reauth prompt (its step says why), no repair issue for the same
        # cause, no retry storm.
        before = await run.counters()
        await run.emu_post("/_emulator/revoke", {"email": E2E_EMAIL})
        try:
            await run.ha.press()
            raise ScenarioError("Refresh now worked on a revoked login")
        except HaError as err:
            say(f"Refresh now on the revoked login: {str(err)[:120]}")
        for _ in range(3):  # more presses and a pause must not make more token calls
            await asyncio.sleep(1)
            with contextlib.suppress(HaError):
                await run.ha.press()
        await asyncio.sleep(3)
        after = await run.counters()
        refreshes = after["token_calls"].get("refresh_token", 0) - before[
            "token_calls"
        ].get("refresh_token", 0)
        reauths = await run.ha.reauth_flows()
        issues = await run.ha.issues()
        states = {e: await run.ha.state(e) for e in TOKEN_SENSORS}
        run.results["revoked"] = {
            "refresh_calls": refreshes,
            "reauth_flows": len(reauths),
            "issues": [i["issue_id"].rsplit("_", 1)[0] for i in issues],
        }
        say(f"revoked login: {run.results['revoked']}")
        check(len(reauths) == 1, f"exactly one reauth flow expected: {reauths}")
        check(not issues, f"no repair issue expected besides the reauth: {issues}")
        check(refreshes <= 2, f"{refreshes} refresh calls after the revoke (storm)")
        check(
            all(s == "unavailable" for s in states.values()),
            f"token sensors should be unavailable: {states}",
        )
        run.check_log("revoked login", (LOGIN_LOST_ERROR,))
        await ui.reauth(run.code)
        check(await run.ha.wait_loaded(30) == "loaded", "not loaded after the reauth")
        check(not await run.ha.reauth_flows(), "a reauth flow is left after the reauth")
        check(not await run.ha.issues(), "repair issues are left after the reauth")
        states = await run.ha.wait_states(None, TOKEN_SENSORS, 10)
        check(
            all(s not in (None, "unavailable", "unknown") for s in states.values()),
            f"token sensors have no values after the reauth: {states}",
        )
        await run.ha.press()
        await run.emu_post("/_emulator/settings", {"block_password_grant": False})
        run.check_log("browser: reauth")
    return [p.name for p in ui.taken]


# -- the doorbell: a ding fires an automation, once ----------------------------------------

DOORBELL = 123456001  # the e2e account's Front Door (the emulator's first device)
DING_AUTOMATION = "e2e_front_door_ding"
# The emulator's counter of this endpoint: every device poll reads it once.
DINGS_ACTIVE = "GET /clients_api/dings/active"


async def doorbell(run: Run, shots: Path | None) -> list[str]:
    """Ring the Front Door: a real automation fires within the poll interval, and only once.

    The automation is created through Home Assistant's config API (automations.yaml) for the
    event entity the registry names for the Front Door's ding; its action increments a
    counter. After a restart (and a poll after it) the counter must not move: no replay.
    With a browser, the Front Door's device page and its snapshot are screenshots 11 and 12.
    """
    ding, camera, device = await _doorbell_entities(run)
    interval = await _poll_interval(run)
    automation = await _ding_automation(run, ding)
    before = await _counter(run)

    injected = time.time()  # wall clock: compared with the automation's last_triggered
    started = time.monotonic()
    event = await run.emu_post("/_emulator/ding", {"device_id": DOORBELL})
    deadline = started + interval + 15
    while await _counter(run) == before:
        check(
            time.monotonic() < deadline,
            f"the automation did not fire within {interval + 15:.0f} s of the ding",
        )
        await asyncio.sleep(0.2)
    seen = time.monotonic() - started
    triggered = await run.ha.get(f"/api/states/{automation}")
    fired_at = _timestamp(triggered["attributes"]["last_triggered"])
    latency = fired_at - injected
    state = await run.ha.get(f"/api/states/{ding}")
    check(
        state["attributes"].get("event_type") == "ring",
        f"{ding} fired {state['attributes'].get('event_type')}, not ring",
    )
    created = state["attributes"].get("created_at")
    check(
        created is not None and abs(_timestamp(created) - event["created_at"]) < 1,
        f"{ding} carries created_at {created}, Ring's ding was at {event['created_at']}",
    )
    check(
        latency <= interval + 5,
        f"the automation fired {latency:.1f} s after the ding (poll interval {interval:.0f} s)",
    )
    await asyncio.sleep(3)  # a second firing of the same ding would show by now
    fired = await _counter(run) - before
    check(fired == 1, f"one ding fired the automation {fired} times")
    say(
        f"doorbell: the ding fired {automation} after {latency:.1f} s"
        f" (seen over REST after {seen:.1f} s; poll interval {interval:.0f} s)"
    )

    taken: list[str] = []
    if shots is not None:
        taken = await _doorbell_screenshots(run, shots, device, camera)

    # No replay: a restart (and a poll after it) must not fire the same ding again.
    polls = (await run.counters())["endpoints"].get(DINGS_ACTIVE, 0)
    restart_s = await run.restart_hass(crash=False)
    check(await run.ha.wait_loaded(60) == "loaded", "not loaded after the restart")
    await run.ha.wait_running(60)
    deadline = time.monotonic() + interval + 15
    while (await run.counters())["endpoints"].get(DINGS_ACTIVE, 0) < polls + 2:
        check(time.monotonic() < deadline, "no device poll after the restart")
        await asyncio.sleep(0.5)
    await asyncio.sleep(2)
    after_restart = await _counter(run) - before
    last = (await run.ha.get(f"/api/states/{automation}"))["attributes"]
    check(
        after_restart == 1 and _timestamp(last["last_triggered"]) == fired_at,
        f"the ding fired again after the restart: counted {after_restart},"
        f" last triggered {last['last_triggered']}",
    )
    check(
        (await run.ha.get(f"/api/states/{ding}"))["state"] == state["state"],
        f"{ding} changed after the restart",
    )
    run.results["doorbell"] = {
        "entity": ding,
        "poll_interval_s": round(interval),
        "latency_s": round(latency, 1),
        "fired": fired,
        "fired_after_restart": after_restart - fired,
        "restart_s": round(restart_s, 1),
    }
    say(
        f"doorbell: {run.results['doorbell']['fired_after_restart']} more firings after"
        f" a restart and {(await run.counters())['endpoints'].get(DINGS_ACTIVE, 0) - polls}"
        " polls (no replay)"
    )
    run.check_log("doorbell")
    return taken


async def _doorbell_entities(run: Run) -> tuple[str, str, str]:
    """Return the Front Door's ding event entity, its camera and its device, from the registry."""
    registry = await run.ha.ws({"type": "config/entity_registry/list"})
    mine = {
        e["unique_id"].rsplit("_", 1)[-1]: e
        for e in registry
        if e["platform"] == DOMAIN
        and e["unique_id"].endswith(
            tuple(f"_{DOORBELL}_{key}" for key in ("ding", "snapshot"))
        )
    }
    check(
        {"ding", "snapshot"} <= mine.keys(),
        f"the Front Door's ding and snapshot are not in the registry: {sorted(mine)}",
    )
    ding, camera = mine["ding"]["entity_id"], mine["snapshot"]["entity_id"]
    check(ding.startswith("event."), f"the ding is {ding}, not an event entity")
    device = mine["ding"]["device_id"]
    check(device and device == mine["snapshot"]["device_id"], "two Front Door devices")
    say(f"doorbell: the Front Door's ding is {ding}, its snapshot {camera}")
    return ding, camera, str(device)


async def _poll_interval(run: Run) -> float:
    """Return the entry's device poll interval (the options form's current value)."""
    from .flows import _options_form  # flows imports this module

    fields = {f["name"]: f.get("default") for f in await _options_form(run)}
    return float(fields["poll_interval_seconds"])


async def _ding_automation(run: Run, ding: str) -> str:
    """Create the automation (config API) that counts the ding's presses; return its entity."""
    config = {
        "alias": "E2E Front Door ding",
        "description": "Counts each press of the Front Door (the e2e's doorbell scenario).",
        "triggers": [
            {"trigger": "state", "entity_id": ding, "not_from": "unavailable"}
        ],
        # A press changes the state (its time); coming back after a restart does not count.
        "conditions": [
            {
                "condition": "template",
                "value_template": (
                    "{{ trigger.from_state is not none"
                    " and trigger.to_state.state not in ['unavailable', 'unknown']"
                    " and trigger.to_state.attributes.event_type == 'ring' }}"
                ),
            }
        ],
        "actions": [
            {"action": "counter.increment", "target": {"entity_id": DING_COUNTER}}
        ],
        "mode": "queued",
    }
    await run.ha.post(f"/api/config/automation/config/{DING_AUTOMATION}", config)
    for _ in range(100):
        for state in await run.ha.get("/api/states"):
            if (
                state["entity_id"].startswith("automation.")
                and state["attributes"].get("id") == DING_AUTOMATION
            ):
                check(state["state"] == "on", f"the automation is {state['state']}")
                return str(state["entity_id"])
        await asyncio.sleep(0.1)
    raise ScenarioError("the automation did not appear after the config API saved it")


async def _counter(run: Run) -> int:
    """Return how many presses the automation has counted."""
    value = await run.ha.state(DING_COUNTER)
    check(value is not None, f"{DING_COUNTER} is missing")
    return int(str(value))


def _timestamp(iso: str) -> float:
    """Return an ISO 8601 time (with its offset) as a POSIX timestamp."""
    return datetime.fromisoformat(iso).timestamp()


async def _doorbell_screenshots(
    run: Run, shots: Path, device: str, camera: str
) -> list[str]:
    """Show the Front Door's device page and its snapshot in the frontend (11, 12)."""
    state = await run.ha.state(camera)
    check(state == "idle", f"{camera} is {state}, not idle")
    async with frontend(run, shots) as ui:
        await ui.doorbell_device(device, "11-doorbell-device")
        await ui.camera_snapshot("12-camera-snapshot")
    return [p.name for p in ui.taken]


# -- a restart in the middle of the 2FA step -----------------------------------------------


async def restart_during_2fa(run: Run) -> None:
    """homeassistant.restart while a flow waits for its code: only that flow is lost.

    The flow is a reconfigure (a new user flow for an account already set up is refused
    before Ring sends a code, which this checks too).
    """
    entries = await run.ha.entries()
    sent = (await run.counters())["codes_sent"].get(E2E_EMAIL, 0)
    flow = await run.ha.start_flow()
    flow = await run.ha.flow_step(
        flow["flow_id"], {"email": E2E_EMAIL, "password": E2E_PASSWORD}
    )
    check(
        flow.get("type") == "abort" and flow.get("reason") == "already_configured",
        f"a second flow for the account should be refused at once: {flow}",
    )
    check(
        (await run.counters())["codes_sent"].get(E2E_EMAIL, 0) == sent,
        "Ring sent a code for an account that is already set up",
    )
    flow = await _reconfigure_to_code(run, entries[0]["entry_id"])
    started = time.monotonic()
    await run.ha.post("/api/services/homeassistant/restart", {})
    code = await run.hass.wait_exit(60)
    check(code == 100, f"hass exited with {code}, not the restart code 100")
    await run.hass.start()
    state = await run.ha.wait_loaded(60)
    took = time.monotonic() - started
    check(state == "loaded", f"entry {state} after the restart")
    check(len(await run.ha.entries()) == len(entries), "the entry count changed")
    check(not await run.ha.flow_exists(flow["flow_id"]), "the unfinished flow survived")
    check(
        not await run.ha.flows_in_progress(), "a flow is in progress after the restart"
    )
    # A new flow works to the end.
    flow = await _reconfigure_to_code(run, entries[0]["entry_id"])
    flow = await run.ha.flow_step(flow["flow_id"], {"code": await run.code()})
    check(
        flow.get("type") == "abort" and flow.get("reason") == "reconfigure_successful",
        f"the new flow should end as reconfigure_successful: {flow}",
    )
    check(await run.ha.wait_loaded(30) == "loaded", "not loaded after the reconfigure")
    await run.ha.press()
    run.results["restart_2fa"] = {"restart_s": round(took, 1)}
    say(f"restart during 2FA: back in {took:.1f} s; entry kept, new flow works")
    run.check_log("restart during 2FA")


async def _reconfigure_to_code(run: Run, entry_id: str) -> dict[str, Any]:
    """Start a reconfigure flow and submit the credentials; return its code step."""
    flow = await run.ha.post(
        "/api/config/config_entries/flow", {"handler": DOMAIN, "entry_id": entry_id}
    )
    check(flow.get("step_id") == "reconfigure", f"expected reconfigure: {flow}")
    flow = await run.ha.flow_step(
        flow["flow_id"], {"email": E2E_EMAIL, "password": E2E_PASSWORD}
    )
    check(flow.get("step_id") == "2fa_sms", f"expected the code step: {flow}")
    check(await run.ha.flow_exists(flow["flow_id"]), "the flow is not in progress")
    return flow


# -- an outage longer than the access token's life -----------------------------------------


async def outage(run: Run) -> None:
    """Stop the emulator for longer than the access-token lifetime, then bring it back."""
    lifetime = run.emulator.emu.settings.access_token_lifetime
    await run.ha.press()  # a fresh token: it expires `lifetime` s from now
    await run.emulator.stop()
    down = time.monotonic()
    say(
        f"outage: the emulator is down; waiting {lifetime + 1:.0f} s for the token to expire"
    )
    await asyncio.sleep(lifetime + 1)
    try:
        await run.ha.press()
        raise ScenarioError("Refresh now worked during the outage")
    except HaError:
        pass
    states = await run.ha.wait_states("unavailable", TOKEN_SENSORS, 10)
    check(
        all(s == "unavailable" for s in states.values()),
        f"token sensors should be unavailable: {states}",
    )
    failures = await run.ha.state(FAILURES_SENSOR)
    check(failures == "1", f"consecutive failures should be 1, is {failures}")
    check(not await run.ha.reauth_flows(), "a reauth was asked for during the outage")
    await asyncio.sleep(max(0.0, lifetime + 5 - (time.monotonic() - down)))
    outage_s = time.monotonic() - down
    await run.emulator.start()
    back = time.monotonic()
    say(
        f"outage: the emulator is back after {outage_s:.1f} s; waiting for the backoff timer"
    )
    states = await run.ha.wait_states(None, TOKEN_SENSORS, 90)
    recovered = time.monotonic() - back
    check(
        all(s not in (None, "unavailable", "unknown") for s in states.values()),
        f"token sensors did not come back: {states}",
    )
    check(await run.ha.state(FAILURES_SENSOR) == "0", "failures did not reset")
    check(not await run.ha.reauth_flows(), "a reauth was asked for after the outage")
    check(not await run.ha.issues(), "repair issues are left after the outage")
    check(await run.ha.wait_loaded(5) == "loaded", "the entry is not loaded")
    run.results["outage"] = {
        "outage_s": round(outage_s, 1),
        "recovered_after_s": round(recovered, 1),
    }
    say(f"outage: recovered {recovered:.1f} s after the emulator returned")
    run.check_log("outage", once=(POLL_FAILED_ERROR,))


# -- crashes around token refreshes ----------------------------------------------------------


# Home Assistant saves config entries 1 s after the last change (each change re-arms it).
ENTRY_SAVE_DELAY = 1.0


async def crash_trials(run: Run, trials: int) -> tuple[int, int]:
    """SIGKILL hass around refreshes; it must come back loaded, without reauth, within grace.

    Two kinds of kill, chosen by a seeded random generator: at a random moment (0 to 1.5
    press-durations) after one to three Refresh now presses, or at the exact moment the
    emulator rotates the refresh token (Ring rotated; hass never reads the answer). A trial
    has recovered when the entry is loaded again within the grace window, no reauth is in
    progress, and a Refresh now right after works (it carries the chain on). Kills come
    back to back, so most land inside Home Assistant's 1 s delayed config-entry save: the
    token journal must carry every one of them.
    """
    rng = random.Random(run.seed)  # noqa: S311 - reproducible test timing
    grace = run.emulator.emu.settings.grace
    press_s = await _press_duration(run)
    recovered = 0
    times: list[float] = []
    before = await run.counters()
    for trial in range(1, trials + 1):
        mode = rng.choice(("press", "press", "rotation"))
        presses: asyncio.Task[None] | None = None
        if mode == "press":
            count = rng.randint(1, 3)
            delay = rng.uniform(0.0, 1.5 * count * press_s)

            async def press_n(n: int = count) -> None:
                for _ in range(n):
                    await run.ha.press()

            presses = asyncio.create_task(press_n())
            await asyncio.sleep(delay)
            await run.hass.kill()
            what = f"{count} press(es), kill after {delay * 1000:.0f} ms"
        else:
            run.emulator.on_rotate = run.hass.kill_now
            presses = asyncio.create_task(run.ha.press())
            await run.hass.wait_exit(30)
            what = "kill at the rotation"
        killed = time.monotonic()
        with contextlib.suppress(Exception):  # the press dies with hass
            await presses
        await run.hass.start()
        state = await run.ha.wait_loaded(max(1.0, grace - (time.monotonic() - killed)))
        took = time.monotonic() - killed
        ok = state == "loaded" and not await run.ha.reauth_flows() and took <= grace
        if ok:
            try:
                await run.ha.press()  # the chain goes on from here
            except HaError as err:
                ok = False
                say(f"crash trial {trial}: Refresh now failed after recovery: {err}")
        reauth = await run.ha.reauth_flows()
        ok = ok and not reauth
        recovered += ok
        times.append(took)
        say(
            f"crash trial {trial}/{trials} ({what}): {state} after {took:.1f} s,"
            f" reauth={bool(reauth)} -> {'recovered' if ok else 'NOT RECOVERED'}"
        )
        if reauth:
            break  # the login is gone; later trials would only repeat it
    after = await run.counters()
    run.results["crash"] = {
        "trials": trials,
        "recovered": recovered,
        "seed": run.seed,
        "press_ms": round(press_s * 1000),
        "max_recovery_s": round(max(times), 1) if times else None,
        "mean_recovery_s": round(sum(times) / len(times), 1) if times else None,
        "refresh_reuse": after["refresh_reuse"] - before["refresh_reuse"],
        "refresh_rejected": after["refresh_rejected"] - before["refresh_rejected"],
    }
    say(f"crash trials: {recovered}/{trials} recovered")
    run.check_log("crash trials", (LOGIN_LOST_ERROR,) if recovered < trials else ())
    return recovered, trials


async def rotation_kill_after_grace(run: Run) -> None:
    """Kill hass at a rotation, restart it, and refresh only after the grace window closed.

    The rotated answer died with the process. Set-up must finish the exchange at once (the
    journal marked it in flight) while Ring still accepts the old refresh token; waiting for
    the access token to run out would present a dead refresh token and lose the login.
    """
    grace = run.emulator.emu.settings.grace
    await asyncio.sleep(ENTRY_SAVE_DELAY + 0.5)
    run.emulator.on_rotate = run.hass.kill_now
    press = asyncio.create_task(run.ha.press())
    await run.hass.wait_exit(30)
    killed = time.monotonic()
    with contextlib.suppress(Exception):  # the press dies with hass
        await press
    await run.hass.start()
    state = await run.ha.wait_loaded(grace)
    check(state == "loaded", f"entry {state} after the rotation kill")
    await asyncio.sleep(max(0.0, grace + 1 - (time.monotonic() - killed)))
    try:
        await run.ha.press()
        outcome = "passed"
    except HaError as err:
        outcome = f"failed: {err}"
    reauth = await run.ha.reauth_flows()
    run.results["rotation_kill_after_grace"] = {
        "outcome": outcome,
        "reauth": bool(reauth),
    }
    say(
        f"rotation kill, refresh after the grace window: {outcome}, reauth={bool(reauth)}"
    )
    run.check_log("rotation kill after grace")
    check(
        outcome == "passed" and not reauth, "the login was lost after a rotation kill"
    )


async def _press_duration(run: Run) -> float:
    """Return how long a Refresh now press takes over REST (the mean of three)."""
    started = time.monotonic()
    for _ in range(3):
        await run.ha.press()
    return (time.monotonic() - started) / 3


# -- start-up figures (make bench) -----------------------------------------------------------


async def startup_times(run: Run, rounds: int) -> dict[str, Any]:
    """Time Home Assistant's start with the account's entry enabled and disabled.

    Each round restarts hass twice, once per state, and measures from process start until
    Home Assistant reports RUNNING; with the entry enabled it also reads the integration's
    own set-up time (websocket `integration/setup_info`).
    """
    timings: dict[bool, list[float]] = {True: [], False: []}
    setup: list[float] = []
    for _ in range(rounds):
        for enabled in (False, True):  # ends enabled, for what follows
            await run.ha.ws(
                {
                    "type": "config_entries/disable",
                    "entry_id": run.entry_id,
                    "disabled_by": None if enabled else "user",
                }
            )
            await run.hass.stop()
            started = time.monotonic()
            await run.hass.start()
            await run.ha.wait_running(120)
            timings[enabled].append(time.monotonic() - started)
            if enabled:
                check(await run.ha.wait_loaded(30) == "loaded", "entry not loaded")
                info = await run.ha.ws({"type": "integration/setup_info"})
                setup.extend(i["seconds"] for i in info if i["domain"] == "ring_auth")
    with_s, without_s = median(timings[True]), median(timings[False])
    figures = {
        "rounds": rounds,
        "start_with_s": round(with_s, 2),
        "start_without_s": round(without_s, 2),
        "ratio": round(with_s / without_s, 3),
        "integration_setup_ms": round(median(setup) * 1000) if setup else None,
    }
    run.results["startup"] = figures
    run.check_log("start-up timings")
    return figures


def median(values: list[float]) -> float:
    """Return the median of a non-empty list."""
    ordered = sorted(values)
    mid = len(ordered) // 2
    return ordered[mid] if len(ordered) % 2 else (ordered[mid - 1] + ordered[mid]) / 2
