"""`make e2e`: Ring Auth end to end in a real Home Assistant, its frontend and a real crash.

Starts the Ring emulator and `hass` on loopback with a fresh config directory, onboards it
over HTTP, drives the frontend in headless Chromium (add the account with a wrong password
and a wrong code first, view its device, reauth after a revoke), then restarts hass during a
2FA step, stops the emulator for longer than a token lives, and SIGKILLs hass around token
refreshes. Home Assistant's log is checked after each scenario. See docs/e2e.md.

Environment: E2E_TRIALS (crash trials, default 5), E2E_SEED (default 20261122),
E2E_KEEP=1 keeps the temporary directory, E2E_SKIP_BROWSER=1 logs in over REST instead.
"""

import argparse
import asyncio
import contextlib
import importlib.util
import os
from pathlib import Path
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import traceback

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "scripts"), str(ROOT)]

import demo  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
PLAYWRIGHT_PIN = "playwright==1.65.2"
SHOTS = ROOT / "docs" / "screenshots"
# The shortest access-token life the integration trusts (ringclient MIN_EXPIRES_IN).
ACCESS_TOKEN_LIFETIME = 60.0
GRACE = 20.0
TIME_LIMIT = 15 * 60  # the whole run; CI's cap is far above this


def ensure_chromium() -> None:
    """Install Debian's chromium when it is missing (apt-get update only if needed)."""
    if Path(CHROMIUM).exists():
        return
    sudo = [] if os.geteuid() == 0 else ["sudo", "-n"]
    env = os.environ | {"DEBIAN_FRONTEND": "noninteractive"}
    install = [*sudo, "apt-get", "install", "-y", "-q", "chromium"]
    demo.say("Installing chromium with apt-get (once)...")
    if subprocess.run(install, env=env, check=False).returncode != 0:
        subprocess.run([*sudo, "apt-get", "update", "-q"], env=env, check=True)
        subprocess.run(install, env=env, check=True)


def ensure_playwright() -> None:
    """Install the Playwright package into the venv when it is missing (never its browsers)."""
    if importlib.util.find_spec("playwright") is not None:
        return
    demo.say(f"Installing {PLAYWRIGHT_PIN} into the venv (once)...")
    uv = demo.VENV_BIN / "uv"
    cmd = (
        [str(uv), "pip", "install", "-q", "--python", sys.executable, PLAYWRIGHT_PIN]
        if uv.exists()
        else [sys.executable, "-m", "pip", "install", "-q", PLAYWRIGHT_PIN]
    )
    subprocess.run(cmd, check=True)
    importlib.invalidate_caches()


async def run_all(args: argparse.Namespace, workdir: Path) -> int:
    """Start everything, run the scenarios, stop everything (also on failure)."""
    from e2e import scenarios
    from e2e.ha import HaClient, login_over_rest
    from e2e.log import say
    from e2e.procs import Emulator, Hass

    emulator = Emulator(ACCESS_TOKEN_LIFETIME, GRACE)
    hass: Hass | None = None
    ha: HaClient | None = None
    timings: dict[str, float] = {}
    started = time.monotonic()
    try:
        url = await emulator.start()
        say(
            f"emulator on {url} (access tokens live {ACCESS_TOKEN_LIFETIME:.0f} s, grace {GRACE:.0f} s)"
        )
        hass = Hass(workdir / "config", url)
        took = await hass.start()
        say(f"hass on {hass.url}, answering after {took:.1f} s (config {hass.config})")
        ha = HaClient(hass.url)
        await ha.onboard()
        # The frontend shows "Home Assistant is starting" until every integration is set
        # up, which on a cold first run comes well after the HTTP server answers.
        await ha.wait_running(180)
        say("onboarded over HTTP; Home Assistant is running")
        run = scenarios.Run(emulator, hass, ha, args.seed)
        run.check_log("start-up")

        def lap(name: str, since: float) -> None:
            timings[name] = round(time.monotonic() - since, 1)

        if args.bench:
            run.entry_id = await login_over_rest(ha, run.code)
            startup = await scenarios.startup_times(run, rounds=3)
            recovered, trials = await scenarios.crash_trials(run, args.trials)
            say("")
            say("== Home Assistant figures (make bench) ==")
            say(
                f"  start-up to RUNNING, median of {startup['rounds']}: with Ring Auth"
                f" {startup['start_with_s']} s, without {startup['start_without_s']} s,"
                f" ratio {startup['ratio']}"
            )
            say(
                f"  Ring Auth set-up (integration/setup_info): {startup['integration_setup_ms']} ms"
            )
            say(f"crash trials: {recovered}/{trials} recovered")
            return 0 if recovered == trials else 1

        t = time.monotonic()
        if args.skip_browser:
            run.entry_id = await login_over_rest(ha, run.code)
            shots: list[str] = []
        else:
            SHOTS.mkdir(parents=True, exist_ok=True)
            shots = await scenarios.browser_add_and_reauth(run, SHOTS)
        lap("browser", t)
        t = time.monotonic()
        await scenarios.restart_during_2fa(run)
        lap("restart during 2FA", t)
        t = time.monotonic()
        await scenarios.outage(run)
        lap("outage", t)
        t = time.monotonic()
        recovered, trials = await scenarios.crash_trials(run, args.trials)
        lap("crash trials", t)
        if recovered == trials:  # last: it may lose the login
            t = time.monotonic()
            await scenarios.rotation_kill_after_grace(run)
            lap("rotation kill, refresh after grace", t)

        say("")
        say("== e2e results ==")
        for name, seconds in timings.items():
            say(f"  {name}: {seconds} s")
        for name, figures in run.results.items():
            say(f"  {name}: {figures}")
        if shots:
            say(f"  screenshots ({SHOTS.relative_to(ROOT)}): {', '.join(shots)}")
        say(f"crash trials: {recovered}/{trials} recovered")
        say(f"total {time.monotonic() - started:.0f} s")
        return 0 if recovered == trials else 1
    finally:
        if ha is not None:
            await ha.close()
        if hass is not None:
            await hass.stop(grace=20)
        await emulator.stop()


def main() -> int:
    """Run the e2e suite; exit status 0 when every scenario passed."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--trials", type=int, default=int(os.environ.get("E2E_TRIALS", "5"))
    )
    parser.add_argument(
        "--seed", type=int, default=int(os.environ.get("E2E_SEED", "20261122"))
    )
    parser.add_argument(
        "--keep", action="store_true", default=bool(os.environ.get("E2E_KEEP"))
    )
    parser.add_argument(
        "--bench",
        action="store_true",
        help="only the figures for make bench: start-up times and the crash trials",
    )
    parser.add_argument(
        "--skip-browser",
        action="store_true",
        default=bool(os.environ.get("E2E_SKIP_BROWSER")),
    )
    args = parser.parse_args()

    demo.ensure_frontend()
    if not args.skip_browser:
        ensure_chromium()
        ensure_playwright()

    (ROOT / ".e2e").mkdir(exist_ok=True)
    workdir = Path(tempfile.mkdtemp(prefix="run-", dir=ROOT / ".e2e"))
    status = 1
    try:
        status = asyncio.run(guarded(args, workdir))
    except KeyboardInterrupt:
        demo.say("e2e: interrupted")
    finally:
        if status == 0 and not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)
        else:
            demo.say(f"e2e: logs and config kept in {workdir}")
    return status


async def guarded(args: argparse.Namespace, workdir: Path) -> int:
    """Run everything under a time limit; SIGTERM cancels like Ctrl-C (cleanup still runs)."""
    task = asyncio.current_task()
    assert task is not None  # noqa: S101
    loop = asyncio.get_running_loop()
    with contextlib.suppress(NotImplementedError):
        loop.add_signal_handler(signal.SIGTERM, task.cancel)
    limit = asyncio.timeout(TIME_LIMIT)
    try:
        async with limit:
            return await run_all(args, workdir)
    except TimeoutError as err:
        if limit.expired():
            demo.say(f"e2e: FAILED, over the {TIME_LIMIT} s limit")
        else:
            demo.say(f"e2e: FAILED, a step timed out: {err!r}")
            traceback.print_exc()
        return 1
    except AssertionError as err:
        demo.say(f"e2e: FAILED: {err}")
        return 1


if __name__ == "__main__":
    sys.exit(main())
