"""The soak: a seeded year (30 days in CI) for this integration and for core's client."""

import os
import random
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant
import pytest

from ring_emulator import server as emulator_server

from .conftest import save
from .schedule import make_schedule
from .sim import RunConfig, run_year

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

SEED = int(os.environ.get("SOAK_SEED", "2026"))
# CI: the consumer token at grace 30 s (the target: no reauth) and the partner token at
# grace 0 (strictly single-use); `make soak` runs all six for 365 days.
CI_RUNS = [
    pytest.param(3600, 30, False, id="1h-grace30"),
    pytest.param(14400, 0, True, id="4h-grace0"),
]
RUNS = [
    pytest.param(lifetime, grace, partner, id=f"{lifetime // 3600}h-grace{grace}")
    for lifetime, partner in ((3600, False), (14400, True))
    for grace in (0, 30, 120)
]


async def soak(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    hass_storage: dict[str, Any],
    monkeypatch: pytest.MonkeyPatch,
    config: RunConfig,
) -> dict[str, Any]:
    """Run one configuration through its days and keep the result for the summary."""
    hass.loop.set_debug(False)
    random.seed(config.seed)  # the integration's jitter draws from the shared generator
    # The emulator looks for a client that gave up on a hung request this often; the
    # default 50 ms would be 200 clock jumps per hung request.
    monkeypatch.setattr(emulator_server, "HANG_POLL", 1.0)
    result = await run_year(
        hass,
        freezer,
        hass_storage,
        monkeypatch,
        config,
        make_schedule(config.seed, config.days),
    )
    save(result)
    return result


def check(result: dict[str, Any]) -> None:
    """Check the targets: no reauth at grace >= 30 s, bounded token calls, core column."""
    config: RunConfig = result["config"]
    ours, core = result["ours"], result["core"]
    if config.grace >= 30:
        assert ours.reauths == [], ours.reauths
    mean, top = ours.per_day(config.days)
    assert mean <= 10
    # The worst day is the two-day network loss: one try per backoff step (capped at
    # 30 min, kept across set-up retries), i.e. at most about 48 a day.
    assert top <= 60
    assert ours.longest_unavailable <= result["longest_outage"] + 3600
    polls = core.polls_sent + core.polls_counted
    # Core polls every minute except while down or waiting for the user's reauth.
    assert polls > config.days * 1440 * 0.5
    assert core.api_calls >= polls


@pytest.mark.parametrize(("lifetime", "grace", "partner"), CI_RUNS)
async def test_soak_30_days(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    hass_storage: dict[str, Any],
    monkeypatch: pytest.MonkeyPatch,
    lifetime: int,
    grace: int,
    partner: bool,
) -> None:
    """30 simulated days of the seeded schedule (CI)."""
    config = RunConfig(
        lifetime, grace, partner, int(os.environ.get("SOAK_DAYS", "30")), SEED
    )
    check(await soak(hass, freezer, hass_storage, monkeypatch, config))


@pytest.mark.soak_full
@pytest.mark.parametrize(("lifetime", "grace", "partner"), RUNS)
async def test_soak_365_days(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    hass_storage: dict[str, Any],
    monkeypatch: pytest.MonkeyPatch,
    lifetime: int,
    grace: int,
    partner: bool,
) -> None:
    """The full year (make soak)."""
    config = RunConfig(lifetime, grace, partner, 365, SEED)
    check(await soak(hass, freezer, hass_storage, monkeypatch, config))
