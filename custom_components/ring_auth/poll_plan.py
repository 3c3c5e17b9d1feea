"""What a device poll asks Ring for, and when (pure timing; no I/O, no Home Assistant).

Every poll reads `ring_devices` (battery, connection, light and siren of every device) and
`dings/active` (every fresh ding and motion of every device, listed once per hardware id for
about 180 s). The rest is asked for only when due:
- a device's history: the first time the device is seen (it primes the event memory), then as
  a catch-up for all devices every CATCHUP_INTERVAL, after a failed poll (the dings it may
  have taken are lost), and on every poll when polls are further apart than a ding is listed;
- a device's health (Wi-Fi signal): only for devices whose signal sensor is enabled, so that
  it is never older than HEALTH_INTERVAL.
"""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

# Ring lists a ding in dings/active for 180 s (`expires_in`, python-ring-doorbell's fixture).
DING_LIFETIME = timedelta(seconds=180)
CATCHUP_INTERVAL = timedelta(minutes=5)
HEALTH_INTERVAL = timedelta(minutes=15)
# Home Assistant starts each poll on a whole second, so polls drift a little around the
# interval: a poll this close to due counts as due (else the read slips one poll past 15 min).
HEALTH_SLACK = timedelta(seconds=20)
HISTORY_LIMIT = 10  # events per history call, as Home Assistant's core ring asks


@dataclass(slots=True)
class PollPlan:
    """Decides, poll by poll, which histories and health figures are due."""

    interval: timedelta
    _catchup_due: datetime | None = None  # None: at the next poll
    _health_at: dict[int, datetime] = field(default_factory=dict)

    def catchup_due(self, now: datetime) -> bool:
        """Return whether this poll reads every device's history."""
        return (
            self.interval > DING_LIFETIME
            or self._catchup_due is None
            or now >= self._catchup_due
        )

    def caught_up(self, now: datetime) -> None:
        """Record a successful catch-up."""
        self._catchup_due = now + CATCHUP_INTERVAL

    def poll_failed(self) -> None:
        """Catch up at the next poll: a failed one may have taken dings it never delivered."""
        self._catchup_due = None

    def health_due(self, device_id: int, now: datetime) -> bool:
        """Return whether a device's health would be older than HEALTH_INTERVAL by the next poll."""
        fetched = self._health_at.get(device_id)
        return (
            fetched is None
            or now - fetched + self.interval + HEALTH_SLACK >= HEALTH_INTERVAL
        )

    def health_read(self, device_id: int, now: datetime) -> None:
        """Record that a device's health was read (or that Ring has none for it)."""
        self._health_at[device_id] = now

    def forget(self, device_id: int) -> None:
        """Drop what is planned for a device that is gone."""
        self._health_at.pop(device_id, None)
