"""The poll plan's health timing, on its own (pure: no Home Assistant, no Ring)."""

from datetime import UTC, datetime, timedelta

import pytest

from custom_components.ring_auth.poll_plan import HEALTH_INTERVAL, PollPlan

START = datetime(2026, 12, 5, tzinfo=UTC)


@pytest.mark.parametrize("spacing", [59.1, 59.5, 59.9, 60.0, 60.9, 61.0])
def test_health_is_never_older_than_its_interval(spacing: float) -> None:
    """Polls drift around the 60 s interval (whole-second starts): health stays under 15 min.

    With half a minute to spare for the poll's own time: a value Ring changed just after a
    read shows at the next read, never 15 minutes later (as it did at 59.9 s spacing).
    """
    plan = PollPlan(timedelta(seconds=60))
    read_at: datetime | None = None
    oldest = timedelta(0)
    for n in range(240):  # about four hours of polls
        now = START + timedelta(seconds=n * spacing)
        if read_at is not None:
            oldest = max(oldest, now - read_at)  # what the sensor shows until this poll
        if plan.health_due(1, now):
            plan.health_read(1, now)
            read_at = now
    assert oldest <= HEALTH_INTERVAL - timedelta(seconds=30)
    # ... and it is not read more often than it needs: at most every 13 polls.
    assert oldest >= timedelta(seconds=13 * spacing)
