"""Home Assistant's HTTP and websocket APIs: onboarding, config entries, flows, services."""

import asyncio
from collections.abc import AsyncIterator
import contextlib
from typing import Any

import aiohttp

from .log import say

DOMAIN = "ring_auth"
OWNER_NAME = "E2E Owner"
OWNER_USER = "owner"
OWNER_PASSWORD = "e2e-owner-password"  # noqa: S105 - a throw-away local Home Assistant
BUTTON = "button.ring_demo_user_refresh_now"
ONBOARDING_DOMAINS = {"google_translate", "met", "radio_browser", "shopping_list"}
# The sensors that need a usable login (unavailable without one).
TOKEN_SENSORS = (
    "sensor.ring_demo_user_refresh_token_age",
    "sensor.ring_demo_user_access_token_expires",
    "sensor.ring_demo_user_last_successful_refresh",
)


class HaError(Exception):
    """Home Assistant answered an API call with an error."""


class HaClient:
    """REST and websocket calls with a long-lived token of the onboarded owner."""

    def __init__(self, url: str) -> None:
        """Talk to the Home Assistant at url."""
        self.url = url
        self.client_id = url + "/"
        self.token = ""
        self.session = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=60))

    async def close(self) -> None:
        """Close the HTTP session."""
        await self.session.close()

    # -- onboarding ------------------------------------------------------------------------

    async def onboard(self) -> None:
        """Create the owner, finish every onboarding step, keep a long-lived token."""
        base = self.url
        async with self.session.post(
            f"{base}/api/onboarding/users",
            json={
                "client_id": self.client_id,
                "name": OWNER_NAME,
                "username": OWNER_USER,
                "password": OWNER_PASSWORD,
                "language": "en",
            },
        ) as resp:
            resp.raise_for_status()
            code = (await resp.json())["auth_code"]
        async with self.session.post(
            f"{base}/auth/token",
            data={
                "grant_type": "authorization_code",
                "code": code,
                "client_id": self.client_id,
            },
        ) as resp:
            resp.raise_for_status()
            self.token = (await resp.json())["access_token"]
        await self.post("/api/onboarding/core_config", {})
        await self.post("/api/onboarding/analytics", {})
        await self.post(
            "/api/onboarding/integration",
            {
                "client_id": self.client_id,
                "redirect_uri": self.client_id + "?auth_callback=1",
            },
        )
        # Restarts must not end the test's session: swap to a long-lived token.
        self.token = await self.ws(
            {
                "type": "auth/long_lived_access_token",
                "client_name": "ring-auth-e2e",
                "lifespan": 1,
            }
        )
        await self.tidy_onboarding()

    async def tidy_onboarding(self) -> None:
        """Remove what onboarding added that is not under test (clearer pages, quieter log)."""
        for _ in range(
            50
        ):  # onboarding's own integrations are set up in the background
            entries = await self.get("/api/config/config_entries/entry")
            if {e["domain"] for e in entries} >= ONBOARDING_DOMAINS - {"met"}:
                break
            await asyncio.sleep(0.2)
        for entry in entries:
            if entry["domain"] in ONBOARDING_DOMAINS:
                async with self.session.delete(
                    f"{self.url}/api/config/config_entries/entry/{entry['entry_id']}",
                    headers=self._headers(),
                ) as resp:
                    resp.raise_for_status()

    # -- REST ------------------------------------------------------------------------------

    def _headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}

    async def get(self, path: str) -> Any:
        """GET a JSON answer."""
        async with self.session.get(self.url + path, headers=self._headers()) as resp:
            if resp.status >= 400:
                raise HaError(f"GET {path}: {resp.status} {await resp.text()}")
            return await resp.json()

    async def post(self, path: str, body: dict[str, Any]) -> Any:
        """POST JSON; return the JSON answer."""
        async with self.session.post(
            self.url + path, json=body, headers=self._headers()
        ) as resp:
            if resp.status >= 400:
                raise HaError(f"POST {path}: {resp.status} {await resp.text()}")
            return await resp.json(content_type=None)

    async def delete(self, path: str) -> None:
        """DELETE (e.g. a flow in progress)."""
        async with self.session.delete(
            self.url + path, headers=self._headers()
        ) as resp:
            if resp.status >= 400:
                raise HaError(f"DELETE {path}: {resp.status} {await resp.text()}")

    async def entries(self) -> list[dict[str, Any]]:
        """Return the integration's config entries."""
        entries = await self.get(f"/api/config/config_entries/entry?domain={DOMAIN}")
        return [e for e in entries if e["domain"] == DOMAIN]

    async def state(self, entity_id: str) -> str | None:
        """Return an entity's state (None when unknown to Home Assistant)."""
        try:
            return str((await self.get(f"/api/states/{entity_id}"))["state"])
        except HaError:
            return None

    async def press(self, entity_id: str = BUTTON) -> None:
        """Press a button through the REST API (errors become HaError)."""
        await self.post("/api/services/button/press", {"entity_id": entity_id})

    async def start_flow(self) -> dict[str, Any]:
        """Start the integration's config flow over REST."""
        return dict(
            await self.post(
                "/api/config/config_entries/flow",
                {"handler": DOMAIN, "show_advanced_options": False},
            )
        )

    async def flow_step(self, flow_id: str, data: dict[str, Any]) -> dict[str, Any]:
        """Submit a flow step over REST."""
        return dict(await self.post(f"/api/config/config_entries/flow/{flow_id}", data))

    # -- websocket -------------------------------------------------------------------------

    @contextlib.asynccontextmanager
    async def websocket(self) -> AsyncIterator[aiohttp.ClientWebSocketResponse]:
        """Open an authenticated websocket connection."""
        async with self.session.ws_connect(self.url + "/api/websocket") as sock:
            await sock.receive_json()  # auth_required
            await sock.send_json({"type": "auth", "access_token": self.token})
            if (msg := await sock.receive_json())["type"] != "auth_ok":
                raise HaError(f"websocket auth failed: {msg}")
            yield sock

    async def ws(self, command: dict[str, Any]) -> Any:
        """Run one websocket command on a fresh connection; return its result."""
        async with self.websocket() as sock:
            await sock.send_json({"id": 1, **command})
            while True:
                msg = await sock.receive_json()
                if msg.get("id") == 1 and msg["type"] == "result":
                    if not msg["success"]:
                        raise HaError(f"{command['type']}: {msg['error']}")
                    return msg["result"]

    @contextlib.asynccontextmanager
    async def entry_states(self, entry_id: str) -> AsyncIterator[list[str]]:
        """Collect every state the entry passes through while the block runs."""
        seen: list[str] = []
        async with self.websocket() as sock:
            await sock.send_json({"id": 1, "type": "config_entries/subscribe"})
            while (await sock.receive_json()).get("type") != "result":
                pass  # subscribed from here on

            async def follow() -> None:
                async for message in sock:
                    msg = message.json()
                    changes = msg["event"] if msg.get("type") == "event" else ()
                    seen.extend(
                        c["entry"]["state"]
                        for c in changes
                        if c["entry"]["entry_id"] == entry_id
                    )

            task = asyncio.create_task(follow())
            try:
                yield seen
            finally:
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task

    async def flows_in_progress(self) -> list[dict[str, Any]]:
        """Return the integration's config flows in progress (websocket)."""
        flows = await self.ws({"type": "config_entries/flow/progress"})
        return [f for f in flows if f["handler"] == DOMAIN]

    async def reauth_flows(self) -> list[dict[str, Any]]:
        """Return the integration's reauth flows in progress."""
        return [
            f
            for f in await self.flows_in_progress()
            if f["context"]["source"] == "reauth"
        ]

    async def issues(self) -> list[dict[str, Any]]:
        """Return the integration's repair issues (websocket)."""
        result = await self.ws({"type": "repairs/list_issues"})
        return [i for i in result["issues"] if i["domain"] == DOMAIN]

    async def flow_exists(self, flow_id: str) -> bool:
        """Return whether a flow is still in progress (REST; user flows are not listed)."""
        async with self.session.get(
            f"{self.url}/api/config/config_entries/flow/{flow_id}",
            headers=self._headers(),
        ) as resp:
            return resp.status == 200

    async def abort_flow(self, flow_id: str) -> None:
        """Abort a config flow in progress."""
        async with self.session.delete(
            f"{self.url}/api/config/config_entries/flow/{flow_id}",
            headers=self._headers(),
        ) as resp:
            resp.raise_for_status()

    # -- waiting ---------------------------------------------------------------------------

    async def wait_running(self, within: float) -> None:
        """Wait until Home Assistant reports RUNNING (every integration set up)."""
        deadline = asyncio.get_running_loop().time() + within
        while asyncio.get_running_loop().time() < deadline:
            with contextlib.suppress(aiohttp.ClientError, HaError):
                if (await self.ws({"type": "get_config"}))["state"] == "RUNNING":
                    return
            await asyncio.sleep(0.05)
        raise HaError(f"Home Assistant was not RUNNING within {within} s")

    async def wait_loaded(self, within: float) -> str:
        """Wait until the one entry is loaded; return the last state seen."""
        deadline = asyncio.get_running_loop().time() + within
        state = "none"
        while asyncio.get_running_loop().time() < deadline:
            try:
                entries = await self.entries()
            except (aiohttp.ClientError, HaError):
                entries = []
            if entries:
                state = entries[0]["state"]
                if state == "loaded":
                    return state
            await asyncio.sleep(0.1)
        return state

    async def wait_states(
        self, want: str | None, entity_ids: tuple[str, ...], within: float
    ) -> dict[str, str | None]:
        """Wait until every entity is `want` (None: anything but unavailable/unknown)."""
        deadline = asyncio.get_running_loop().time() + within
        while True:
            states = {e: await self.state(e) for e in entity_ids}
            ok = all(
                (s == want) if want else s not in (None, "unavailable", "unknown")
                for s in states.values()
            )
            if ok or asyncio.get_running_loop().time() > deadline:
                return states
            await asyncio.sleep(0.2)


async def login_over_rest(ha: HaClient, code_of: Any) -> str:
    """Add the account through the config flow over REST; return the entry id."""
    from .procs import E2E_EMAIL, E2E_PASSWORD

    flow = await ha.start_flow()
    flow = await ha.flow_step(
        flow["flow_id"], {"email": E2E_EMAIL, "password": E2E_PASSWORD}
    )
    if flow.get("step_id") != "2fa_sms":
        raise HaError(f"expected the SMS code step, got {flow}")
    flow = await ha.flow_step(flow["flow_id"], {"code": await code_of()})
    if flow.get("type") != "create_entry":
        raise HaError(f"the login did not create an entry: {flow}")
    say("logged in over REST")
    return str(flow["result"]["entry_id"])
