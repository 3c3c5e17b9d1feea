"""`make e2e`: Ring Auth end to end in a real Home Assistant, its frontend and a real crash.

Starts the Ring emulator and `hass` on loopback with a fresh config directory, onboards it
over HTTP, drives the frontend in headless Chromium (add the account with a wrong password
and a wrong code first, view its device, reauth after a revoke), rings the doorbell (an
automation fires once, and not again after a restart; the doorbell's page and snapshot in
the browser), then restarts hass during a 2FA step, stops the emulator for longer than a token lives, and SIGKILLs hass around token
refreshes. Home Assistant's log is checked after each scenario. See docs/e2e.md.

Which Home Assistant: the one in the venv that runs this script (`make e2e`: .venv, the release
pytest-homeassistant-custom-component pins, then .venv-ha-latest, the newest release), or
`--hass VENV/bin/hass` (E2E_HASS), which runs the harness again with that venv's Python so
that the harness, `hass` and the frontend all come from the same release.

Environment: E2E_TRIALS (crash trials, default 5), E2E_SEED (default 20261122),
E2E_KEEP=1 keeps the temporary directory, E2E_SKIP_BROWSER=1 logs in over REST instead,
E2E_HASS (see above).
"""

import argparse
import asyncio
import contextlib
import importlib.metadata
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
PINNED_VENV = ROOT / ".venv"
# The README's screenshots come from the pinned release; other releases keep theirs aside.
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
    """Install the pinned Playwright package into the venv unless it is there (never its browsers)."""
    with contextlib.suppress(importlib.metadata.PackageNotFoundError):
        if importlib.metadata.version("playwright") == PLAYWRIGHT_PIN.split("==")[1]:
            return
    demo.say(f"Installing {PLAYWRIGHT_PIN} into the venv (once)...")
    demo.pip_install(PLAYWRIGHT_PIN)
    importlib.invalidate_caches()


def ha_version() -> str:
    """Return the version of the Home Assistant this interpreter imports (and runs as hass)."""
    from homeassistant.const import __version__

    return __version__


def use_hass(hass: str) -> None:
    """Run this script again under the venv that holds `hass`, unless that is this venv."""
    bin_dir = Path(hass).expanduser().absolute().parent
    if not (bin_dir / "hass").exists() or not (bin_dir / "python").exists():
        raise SystemExit(f"--hass {hass}: no hass and python in {bin_dir}")
    if bin_dir.resolve() == demo.VENV_BIN.resolve():
        return
    if os.environ.get("E2E_REEXEC"):
        # exec'd once already, yet still not in that venv: its python is not its own
        raise SystemExit(f"--hass {hass}: {bin_dir / 'python'} runs outside {bin_dir}")
    python = str(bin_dir / "python")
    sys.stdout.flush()
    # exec, not a child: signals (SIGTERM from CI, Ctrl-C) reach the harness that cleans up
    os.execve(  # noqa: S606
        python,
        [python, str(Path(__file__).resolve()), *sys.argv[1:]],
        os.environ | {"E2E_REEXEC": "1"},
    )


async def run_all(args: argparse.Namespace, workdir: Path) -> int:
    """Start everything, run the scenarios, stop everything (also on failure)."""
    from e2e import flows, scenarios
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
        running = (await ha.ws({"type": "get_config"}))["version"]
        if running != ha_version():
            raise AssertionError(f"hass runs {running}, the harness has {ha_version()}")
        say(f"onboarded over HTTP; Home Assistant {running} is running")
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
            args.screenshots.mkdir(parents=True, exist_ok=True)
            shots = await scenarios.browser_add_and_reauth(run, args.screenshots)
        lap("browser", t)
        t = time.monotonic()
        await flows.options_and_reconfigure(run)
        lap("options and reconfigure", t)
        t = time.monotonic()
        shots += await scenarios.doorbell(
            run, None if args.skip_browser else args.screenshots
        )
        lap("doorbell", t)
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
        say(f"== e2e results (Home Assistant {running}) ==")
        for name, seconds in timings.items():
            say(f"  {name}: {seconds} s")
        for name, figures in run.results.items():
            say(f"  {name}: {figures}")
        if shots:
            say(f"  screenshots ({args.screenshots}): {', '.join(shots)}")
        say(
            f"  warnings and errors that mention ring_auth: {len(run.ring_auth_warnings)}"
        )
        for warning in run.ring_auth_warnings.values():
            say(f"    {warning[:400]}")
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
    parser.add_argument(
        "--hass",
        default=os.environ.get("E2E_HASS") or None,
        metavar="VENV/bin/hass",
        help="the Home Assistant to test (default: this venv's)",
    )
    parser.add_argument(
        "--screenshots",
        type=Path,
        default=None,
        help="where the browser scenario saves its screenshots (default: docs/screenshots"
        " for the pinned release in .venv, .e2e/screenshots-<version> for any other)",
    )
    parser.add_argument(
        "--prepare",
        action="store_true",
        help="only install what a run needs into this venv (frontend, Playwright), then exit",
    )
    args = parser.parse_args()
    if args.hass:
        use_hass(args.hass)  # returns only when this venv holds that hass

    demo.ensure_frontend()
    if not args.skip_browser:
        if not args.prepare:
            ensure_chromium()
        ensure_playwright()
    if args.prepare:
        return 0

    version = ha_version()
    if args.screenshots is None:
        pinned = demo.VENV_BIN.resolve() == (PINNED_VENV / "bin").resolve()
        args.screenshots = SHOTS if pinned else ROOT / ".e2e" / f"screenshots-{version}"
    demo.say(f"e2e: Home Assistant {version} ({demo.VENV_BIN / 'hass'})")
    (ROOT / ".e2e").mkdir(exist_ok=True)
    workdir = Path(tempfile.mkdtemp(prefix=f"run-{version}-", dir=ROOT / ".e2e"))
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
