"""What one column did over a run, and the bookkeeping of its unavailable stretches."""

from dataclasses import dataclass, field

from .schedule import DAY

type Window = tuple[float, float]


@dataclass(slots=True)
class Figures:
    """What one column did over the run (times in seconds since the start of the run)."""

    reauths: list[str] = field(default_factory=list)
    reauth_times: list[float] = field(default_factory=list)
    token_call_times: list[float] = field(default_factory=list)
    api_calls: int = 0
    api_failed: int = 0
    api_failed_healthy: int = 0
    api_failed_bad_reply: int = (
        0  # Ring otherwise healthy, one bad reply served meanwhile
    )
    api_failed_blocked: int = 0  # while a firewall block was in force
    failed_healthy_times: list[float] = field(default_factory=list)
    issues_raised: int = 0
    issues_cleared: int = 0
    issue_kinds: set[str] = field(default_factory=set)
    entry_writes: int = 0
    longest_unavailable: float = 0.0
    unavailable_total: float = 0.0
    unavailable_stretches: list[Window] = field(default_factory=list)
    polls_sent: int = 0
    polls_counted: int = 0
    refresh_reuse: int = 0
    refresh_rejected: int = 0

    def buckets(self, days: int) -> list[int]:
        """Return the token-endpoint calls of each simulated day."""
        buckets = [0] * days
        for at in self.token_call_times:
            buckets[min(days - 1, max(0, int(at // DAY)))] += 1
        return buckets

    def per_day(self, days: int) -> tuple[float, int]:
        """Return (mean, max) token-endpoint calls per simulated day."""
        buckets = self.buckets(days)
        return sum(buckets) / days, max(buckets)

    def failed(
        self, n: int, *, healthy: bool, bad_reply: bool, blocked: bool, at: float
    ) -> None:
        """Count n failed API calls, with what Ring was doing around them."""
        self.api_failed += n
        if healthy and bad_reply:
            self.api_failed_bad_reply += n
        elif healthy:
            self.api_failed_healthy += n
            self.failed_healthy_times += [at] * n
        if blocked:
            self.api_failed_blocked += n


class Unavailability:
    """Longest and total stretch during which a column was not usable (HA up)."""

    def __init__(self, figures: Figures, t0: float) -> None:
        """Start available; `t0` is the epoch time the run started."""
        self._figures = figures
        self._t0 = t0
        self._since: float | None = None

    def mark(self, at: float, *, available: bool) -> None:
        """Record the state from `at` on."""
        if available and self._since is not None:
            self._close(at)
        elif not available and self._since is None:
            self._since = at

    def pause(self, at: float) -> None:
        """Home Assistant stops: its own downtime is not counted."""
        if self._since is not None:
            self._close(at)

    def _close(self, at: float) -> None:
        assert self._since is not None
        stretch = at - self._since
        self._figures.longest_unavailable = max(
            self._figures.longest_unavailable, stretch
        )
        self._figures.unavailable_total += stretch
        self._figures.unavailable_stretches.append(
            (self._since - self._t0, at - self._t0)
        )
        self._since = None


def overlap(a: Window, b: Window) -> float:
    """Return how long two windows overlap."""
    return max(0.0, min(a[1], b[1]) - max(a[0], b[0]))


def longest_merged(windows: list[Window]) -> float:
    """Return the longest stretch covered by overlapping windows."""
    best = 0.0
    cur_start: float | None = None
    cur_end = 0.0
    for start, end in sorted(windows):
        if cur_start is None or start > cur_end:
            if cur_start is not None:
                best = max(best, cur_end - cur_start)
            cur_start, cur_end = start, end
        else:
            cur_end = max(cur_end, end)
    if cur_start is not None:
        best = max(best, cur_end - cur_start)
    return best
