"""When to refresh, and when to ask Ring again after a failure: a pure policy (no I/O, no HA).

- Proactive: an access token is renewed `margin` before its end (see refresher.py), and
  about every `background_interval` with nothing using the login, so Ring's 30-day window
  never closes (jittered; a refresh that came due while stopped waits `startup_delay`).
- Transient failures (no connection, timeouts, 5xx, unreadable answers) wait 30 s, doubling
  to 30 min, jittered; ``Retry-After`` is honoured when Ring sends one.
- Firewall blocks (Ring's edge answering 403/406) wait an hour, doubling to 8 h: retrying a
  block sooner does not lift it.
- Rate limits wait at least Ring's ``Retry-After``.
- Real demand may probe: while waiting out a transient failure, a refresh asked for by the
  user, or after Ring answered a call with 401 (proof that Ring is reachable again), may be
  sent at once, at most once a `probe_spacing`: a Ring that is back serves the next call
  instead of failing it until the timer fires, and an outage costs no extra token calls
  (calls that get no answer, or a 5xx, prove nothing). A firewall block is probed at most
  once a `blocked_probe_spacing` (15 min): it lifts by itself and nothing says when, and a
  probe while it lasts costs one refused request. Rate limits are never probed.
- A lost answer is asked for again with the same refresh token after `lost_response_retries`
  (inside the shortest grace window Ring has been seen to allow), unless the last try got no
  answer either (a long outage: the next backoff try resends the same token anyway).
"""

from dataclasses import dataclass, field
import random
import weakref

from .health import FailureKind, TokenHealth

# Ring's wait is honoured up to this long; a larger value is taken as a day.
MAX_RETRY_AFTER = 86_400.0
_NO_PROBE = frozenset({FailureKind.RATE_LIMITED})
_NO_ANSWER = frozenset({FailureKind.CONNECTION, FailureKind.TIMEOUT})


@dataclass(frozen=True, slots=True, kw_only=True, weakref_slot=True)
class RefreshPolicy:
    """The numbers (seconds) and the jitter source; tests and the soak pass their own."""

    margin: float = 300.0  # at most; a share of the token's life (refresher.py)
    background_interval: float = 24 * 3600.0
    background_jitter: float = 0.1
    startup_delay: tuple[float, float] = (30.0, 300.0)
    first: float = 30.0
    maximum: float = 1800.0
    blocked_first: float = 3600.0
    blocked_maximum: float = 8 * 3600.0
    jitter: float = 0.1
    probe_spacing: float = 60.0
    blocked_probe_spacing: float = 900.0
    lost_response_retries: tuple[float, ...] = (0.5, 2.0)
    # Jitter only spreads load. None: Python's shared generator (random.seed() repeats a run).
    rng: random.Random | None = field(default=None, compare=False, repr=False)

    def shared(self) -> RefreshPolicy:
        """Return one instance for all equal policies (accounts with the same options).

        Set-up builds a policy per account from its options; keeping one per set of numbers
        saves memory per account. A policy with its own random generator stays its own.
        """
        if self.rng is not None:
            return self
        return _SHARED.setdefault(self, self)

    def _uniform(self, low: float, high: float) -> float:
        return self.rng.uniform(low, high) if self.rng else random.uniform(low, high)  # noqa: S311

    def wait(
        self, kind: FailureKind, failures: int, retry_after: float | None
    ) -> float:
        """Return how long to wait after the `failures`-th failure in a row, of this kind."""
        first, maximum = (
            (self.blocked_first, self.blocked_maximum)
            if kind is FailureKind.BLOCKED
            else (self.first, self.maximum)
        )
        wait = min(first * 2.0 ** max(0, failures - 1), maximum)
        wait *= self._uniform(1.0, 1.0 + self.jitter)
        if retry_after is not None:
            wait = max(wait, min(retry_after, MAX_RETRY_AFTER))
        return wait

    def tries(self, health: TokenHealth) -> tuple[float, ...]:
        """Return the delays of one exchange's sends: the first, then same-token retries."""
        if health.consecutive_failures and health.last_failure_kind in _NO_ANSWER:
            return (0.0,)
        return (0.0, *self.lost_response_retries)

    def background_due(self, issued: float, now: float, *, startup: bool) -> float:
        """Return when to refresh with nothing else using the login."""
        spread = self._uniform(-self.background_jitter, self.background_jitter)
        due = issued + self.background_interval * (1.0 + spread)
        if startup:
            due = max(due, now + self._uniform(*self.startup_delay))
        return due


_SHARED: weakref.WeakValueDictionary[RefreshPolicy, RefreshPolicy] = (
    weakref.WeakValueDictionary()
)


@dataclass(slots=True)
class Backoff:
    """The wait in force: until when, why, and when a refresh was last sent.

    The manager keeps one only from a refresh's send until it works (memory per account).
    """

    policy: RefreshPolicy
    not_before: float = 0.0
    kind: FailureKind | None = None
    last_try: float = 0.0

    def refusal(self, now: float, *, probe: bool) -> float:
        """Return how long a try must still wait (0: go ahead); `probe`: it may probe."""
        remaining = self.not_before - now
        if remaining <= 0:
            return 0.0
        if (
            probe
            and self.kind not in _NO_PROBE
            and now - self.last_try >= self._spacing
        ):
            return 0.0
        return remaining

    @property
    def _spacing(self) -> float:
        """Return the least time between probes of the wait in force."""
        if self.kind is FailureKind.BLOCKED:
            return self.policy.blocked_probe_spacing
        return self.policy.probe_spacing

    def tried(self, now: float) -> None:
        """Note that a refresh is being sent now."""
        self.last_try = now

    def failed(
        self, health: TokenHealth, retry_after: float | None, now: float
    ) -> float:
        """Start waiting after the failure just recorded in `health`; return the wait."""
        kind = health.last_failure_kind or FailureKind.UNEXPECTED
        wait = self.policy.wait(kind, health.consecutive_failures, retry_after)
        self.not_before = now + wait
        self.kind = kind
        return wait

    def restore(self, health: TokenHealth, now: float) -> bool:
        """Keep waiting after a restart (the wait is in the stored health); True if waiting."""
        retry_at = health.next_refresh_attempt
        if not health.consecutive_failures or retry_at is None:
            return False
        if retry_at.timestamp() <= now:
            return False
        self.not_before = retry_at.timestamp()
        self.kind = health.last_failure_kind
        if health.last_failure is not None:  # probes stay spaced across restarts too
            self.last_try = health.last_failure.timestamp()
        return True
