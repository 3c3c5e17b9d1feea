"""Home Assistant's own frontend in headless Chromium (Playwright), step by step with screenshots."""

from collections.abc import Awaitable, Callable
from pathlib import Path
import re

from playwright.async_api import Browser, Page, Playwright, async_playwright, expect

from .ha import OWNER_PASSWORD, OWNER_USER
from .log import say
from .procs import E2E_EMAIL, E2E_PASSWORD

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
VIEWPORT = {"width": 1280, "height": 800}
WRONG_PASSWORD = "not-the-password"  # noqa: S105 - the wrong password the test types
TIMEOUT_MS = 30_000
DIAGNOSTICS = (
    "Refresh token age",
    "Access token expires",
    "Last successful refresh",
    "Consecutive refresh failures",
    "Refresh failures",
)

type CodeSource = Callable[[], Awaitable[str]]


class Frontend:
    """One logged-in browser page on Home Assistant's frontend."""

    def __init__(self, url: str, shots: Path) -> None:
        """Drive the frontend at url; screenshots go to shots/."""
        self.url = url
        self.shots = shots
        self.taken: list[Path] = []
        self._pw: Playwright | None = None
        self._browser: Browser | None = None
        self.page: Page

    async def open(self) -> None:
        """Start Chromium with a fresh profile and log in as the onboarded owner."""
        self._pw = await async_playwright().start()
        # Playwright gives every launch a fresh temporary profile (--user-data-dir).
        self._browser = await self._pw.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
        )
        context = await self._browser.new_context(viewport=VIEWPORT, locale="en-US")
        context.set_default_timeout(TIMEOUT_MS)
        # Assertions wait as long as actions: a busy CI machine renders slower.
        expect.set_options(timeout=TIMEOUT_MS)
        self.page = await context.new_page()
        page = self.page
        await page.goto(self.url + "/")
        await page.get_by_role("textbox", name="Username").fill(OWNER_USER)
        await page.get_by_role("textbox", name="Password").fill(OWNER_PASSWORD)
        await page.get_by_role("button", name="Log in").click()
        await page.wait_for_url(
            lambda url: "/auth/" not in url and "auth_callback" not in url
        )
        await expect(page.get_by_role("link", name="Settings")).to_be_visible()
        say("browser: logged in to the frontend")

    async def close(self) -> None:
        """Close Chromium and Playwright (also after a failure)."""
        try:
            if self._browser is not None:
                await self._browser.close()
        finally:
            if self._pw is not None:
                await self._pw.stop()

    async def shot(self, name: str) -> None:
        """Save a screenshot of the page as docs/screenshots/<name>.png."""
        await self.page.wait_for_timeout(400)  # let dialogs finish their animation
        path = self.shots / f"{name}.png"
        await self.page.screenshot(path=path)
        self.taken.append(path)
        say(f"browser: screenshot {path.name}")

    # -- the add-integration flow ---------------------------------------------------------

    async def open_add_integration(self) -> None:
        """Go to Settings → Devices & services → Add integration → search "Ring Auth"."""
        page = self.page
        await page.get_by_role("link", name="Settings").click()
        await page.get_by_role(
            "link", name=re.compile("Devices & services")
        ).first.click()
        await page.wait_for_url("**/config/integrations/dashboard")
        await page.get_by_role("button", name="Add integration").click()
        await page.get_by_placeholder("Search for a brand name").fill("Ring Auth")
        await expect(page.get_by_text("Ring Auth", exact=True)).to_be_visible()
        await self.shot("01-add-integration")
        await page.get_by_text("Ring Auth", exact=True).click()
        await expect(page.get_by_text("Log in to Ring")).to_be_visible()

    async def submit(self) -> None:
        """Press the flow dialog's Submit button."""
        await self.page.get_by_role("button", name="Submit").click()

    async def login_form(self, password: str, *, email: bool = True) -> None:
        """Fill the credentials step (email only where the step has it)."""
        page = self.page
        if email:
            await page.locator("input[name=email]").fill(E2E_EMAIL)
        await page.locator("input[name=password]").fill(password)

    async def add_account(self, code_of: CodeSource, new_code: CodeSource) -> None:
        """Log in with a wrong password, then the right one, a wrong code, the right code."""
        page = self.page
        await self.open_add_integration()
        await self.login_form(E2E_PASSWORD)
        await self.shot("02-login")
        await self.login_form(WRONG_PASSWORD)
        await self.submit()
        await expect(
            page.get_by_text("Ring did not accept this email and password.")
        ).to_be_visible()
        await self.shot("03-wrong-password")
        say("browser: the wrong password is refused")
        await self.login_form(E2E_PASSWORD)
        await self.submit()
        await self.enter_codes(code_of, new_code, "04-2fa", "05-wrong-code")
        # The created entry's dialog: name each device, pick areas, finish. It lists the
        # devices as the set-up registers them: the account's, then the household's.
        finish = page.get_by_role("button", name=re.compile(r"finish", re.IGNORECASE))
        await expect(finish.first).to_be_visible()
        await expect(
            page.get_by_role("textbox", name="Device name").first
        ).to_be_visible()
        await expect(page.get_by_placeholder("Front Door")).to_be_visible()
        await self.shot("06-success")
        await finish.first.click()
        await expect(finish).to_have_count(0)
        say("browser: the account is added")

    async def enter_codes(
        self, code_of: CodeSource, new_code: CodeSource, shot: str, wrong_shot: str
    ) -> None:
        """On the code step: a wrong code first (error, same step), then the right one."""
        page = self.page
        await expect(page.get_by_text("Verification code").first).to_be_visible()
        code_input = page.locator("input[name=code]")
        await expect(code_input).to_be_visible()
        await self.shot(shot)
        await code_input.fill(await new_code())
        await self.submit()
        await expect(
            page.get_by_text("The verification code is wrong or has expired")
        ).to_be_visible()
        await self.shot(wrong_shot)
        say("browser: the wrong code is refused; still on the code step")
        await code_input.fill(await code_of())
        await self.submit()

    # -- the account's device ------------------------------------------------------------------

    async def device_page(self, device_id: str, name: str) -> dict[str, str]:
        """Open the device page, press Refresh now there; return the sensors' shown values."""
        page = self.page
        await page.goto(f"{self.url}/config/devices/device/{device_id}")
        await expect(page.get_by_text("Diagnostic", exact=True)).to_be_visible()
        await expect(page.get_by_text("Refresh token age", exact=True)).to_be_visible()
        await page.get_by_role("button", name="Press").click()
        for _ in range(50):
            shown = await self.diagnostics()
            if shown.get("Last successful refresh", "Unknown") != "Unknown":
                break
            await page.wait_for_timeout(200)
        await self.shot(name)
        return shown

    async def doorbell_device(self, device_id: str, name: str) -> None:
        """Open a doorbell's device page once its ding has fired; check its entities show."""
        page = self.page
        await page.goto(f"{self.url}/config/devices/device/{device_id}")
        await expect(page.get_by_text("Front Door").first).to_be_visible()
        for label in ("Ding", "Ring", "Motion", "Snapshot", "Last activity"):
            await expect(page.get_by_text(label, exact=True).first).to_be_visible()
        await self.shot(name)

    async def camera_snapshot(self, name: str) -> None:
        """From the device page, open the Snapshot camera's dialog; wait for Ring's image."""
        page = self.page
        await page.get_by_text("Snapshot", exact=True).first.click()
        image = page.get_by_role("img", name=re.compile("Front Door Snapshot camera"))
        await expect(image).to_be_visible()
        await page.wait_for_function(
            "(img) => img.complete && img.naturalWidth > 0",
            arg=await image.element_handle(),
        )
        await self.shot(name)

    async def diagnostics(self) -> dict[str, str]:
        """Return the device page's diagnostic entities as shown (label -> text)."""
        lines = (await self.page_text()).splitlines()
        shown: dict[str, str] = {}
        for label in DIAGNOSTICS:
            if label in lines and (i := lines.index(label)) + 1 < len(lines):
                shown[label] = lines[i + 1]
        return shown

    async def page_text(self) -> str:
        """Return the visible text of the page (shadow DOM included)."""
        return str(
            await self.page.evaluate(
                """() => {
                  const out = [];
                  const walk = (node) => {
                    if (node.shadowRoot) walk(node.shadowRoot);
                    for (const child of node.childNodes) {
                      if (child.nodeType === 3) out.push(child.textContent.trim());
                      else walk(child);
                    }
                  };
                  walk(document.querySelector("home-assistant") || document.body);
                  return out.filter(Boolean).join("\\n");
                }"""
            )
        )

    # -- reauth ------------------------------------------------------------------------

    async def reauth(self, code_of: CodeSource) -> None:
        """Log in again from the reauth prompt that Settings shows (the only prompt)."""
        page = self.page
        await page.get_by_role("link", name=re.compile("Settings")).first.click()
        await page.wait_for_url("**/config/dashboard")
        prompt = page.get_by_role(
            "button",
            name=re.compile(r"Authentication expired for " + re.escape(E2E_EMAIL)),
        )
        await expect(prompt).to_be_visible()
        # One prompt for one cause: no repair issue repeats it.
        await expect(
            page.get_by_role("button", name=re.compile("Ring rejected the login"))
        ).to_have_count(0)
        await self.shot("08-reauth")
        await prompt.click()
        await expect(page.get_by_text("Log in to Ring again")).to_be_visible()
        # The step says why Ring refused the stored login.
        await expect(
            page.get_by_text(re.compile("Authorized Client Devices"))
        ).to_be_visible()
        await expect(page.locator("input[name=email]")).to_have_count(0)
        await self.login_form(E2E_PASSWORD, email=False)
        await self.shot("09-reauth-password")
        await self.submit()
        code_input = page.locator("input[name=code]")
        await expect(code_input).to_be_visible()
        await code_input.fill(await code_of())
        await self.submit()
        # The frontend words the reauth_successful abort itself.
        await expect(
            page.get_by_text(
                re.compile(
                    "Re-authentication was successful|You are logged in to Ring again"
                )
            )
        ).to_be_visible()
        await self.shot("10-reauth-done")
        await page.get_by_role(
            "button", name=re.compile("finish|close", re.IGNORECASE)
        ).first.click()
        await expect(prompt).to_have_count(0)
        say("browser: reauth done from the Settings prompt")
