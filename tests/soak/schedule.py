"""The seeded, reproducible year a hub lives through (or any number of days of it)."""

from collections import Counter
from dataclasses import dataclass, field
import math
from random import Random
from typing import Any

DAY = 86_400.0
HOUR = 3_600.0
MINUTE = 60.0

# Malformed replies "now and then": what Ring's edge has been seen to send instead of JSON,
# and the reply that never arrives after Ring already rotated the refresh token.
MALFORMED = (
    ("html", "any"),
    ("truncated_json", "any"),
    ("no_token", "token"),
    ("missing_expires_in", "token"),
    ("absurd_expires_in", "token"),
    ("reset_after_rotate", "token"),
)


@dataclass(frozen=True, slots=True)
class Event:
    """One thing that happens at `at` seconds after the start of the year."""

    at: float
    kind: str
    args: dict[str, Any] = field(default_factory=dict, compare=False)


@dataclass(slots=True)
class Schedule:
    """What the simulated days bring, in time order."""

    seed: int
    days: int
    events: list[Event]
    usage: list[str]

    def windows(self, *kinds: str) -> list[tuple[float, float]]:
        """Return the (start, end) of the windows of these kinds, in seconds since the start."""
        return [
            (ev.at, ev.at + ev.args["duration"])
            for ev in self.events
            if ev.kind in kinds
        ]

    def summary(self) -> list[str]:
        """Return the schedule as printable lines (counts and the windows)."""
        kinds = Counter(ev.kind for ev in self.events)
        usage = Counter(self.usage)
        outages = [ev for ev in self.events if ev.kind == "outage"]
        storms = [ev for ev in self.events if ev.kind == "storm"]
        cuts = [ev for ev in self.events if ev.kind == "power_cut"]
        net = [ev for ev in self.events if ev.kind == "network_loss"]
        clock = [ev for ev in self.events if ev.kind == "clock_step"]
        bursts = [ev for ev in self.events if ev.kind == "calls"]
        blocks = [ev for ev in self.events if ev.kind == "block"]
        malformed = Counter(
            ev.args["fault"] for ev in self.events if ev.kind == "malformed"
        )
        return [
            f"seed {self.seed}, {self.days} days",
            f"usage days: {usage['idle']} idle (in idle weeks: no API call at all),"
            f" {usage['normal']} normal, {usage['busy']} busy;"
            f" {len(bursts)} call groups, {sum(ev.args['n'] for ev in bursts)} API calls,"
            f" largest concurrent burst {max((ev.args['n'] for ev in bursts), default=0)}",
            f"Ring outages: {len(outages)}"
            f" ({sum(ev.args['mode'] == 'hang' for ev in outages)} hanging, the rest 5xx),"
            f" {_minutes(outages)}",
            f"rate-limit storms (429 + Retry-After): {len(storms)}, {_minutes(storms)}",
            "malformed or lost replies: "
            + ", ".join(f"{k} x{v}" for k, v in sorted(malformed.items())),
            f"graceful restarts: {kinds['restart']}; power cuts: {len(cuts)}"
            f" ({sum(ev.args['mode'] == 'after_refresh' for ev in cuts)} of them 0.5 s"
            " after a token refresh, inside Home Assistant's 1 s save delay)",
            "network loss: "
            + ", ".join(
                f"day {ev.at / DAY:.1f} for {ev.args['duration'] / HOUR:.0f} h"
                for ev in net
            ),
            "clock corrections: "
            + ", ".join(f"{ev.args['step']:+.0f} s" for ev in clock),
            f"firewall blocks (406 from Ring's edge): {len(blocks)},"
            f" {_hours(blocks)}; at the token endpoint (sign-ins and refreshes)"
            f" {sum(ev.args['where'] == 'token' for ev in blocks)}, every request"
            f" {sum(ev.args['where'] == 'any' for ev in blocks)}; body text/plain"
            f" {sum(ev.args['body'] == 'text' for ev in blocks)}, HTML"
            f" {sum(ev.args['body'] == 'html' for ev in blocks)}",
        ]


def _minutes(windows: list[Event]) -> str:
    if not windows:
        return "none"
    durations = [ev.args["duration"] / MINUTE for ev in windows]
    return (
        f"{min(durations):.0f}-{max(durations):.0f} min"
        f" (total {sum(durations) / 60:.1f} h)"
    )


def _hours(windows: list[Event]) -> str:
    if not windows:
        return "none"
    durations = [ev.args["duration"] / HOUR for ev in windows]
    return f"{min(durations):.1f}-{max(durations):.1f} h (total {sum(durations):.0f} h)"


def _log_uniform(rng: Random, low: float, high: float) -> float:
    return math.exp(rng.uniform(math.log(low), math.log(high)))


def make_schedule(seed: int, days: int) -> Schedule:  # noqa: C901
    """Draw the year: usage, outages, storms, malformed replies, restarts, cuts, clock, blocks."""
    rng = Random(seed)  # noqa: S311 - a reproducible year, not a secret
    events: list[Event] = []
    weeks = math.ceil(days / 7)
    usage: list[str] = []

    # Usage: idle weeks (nothing calls Ring at all), normal days with a few single calls,
    # busy days with bursts of concurrent calls (automations, dashboards, a doorbell party).
    idle_weeks = {w for w in range(1, weeks) if rng.random() < 0.2}
    for day in range(days):
        if day // 7 in idle_weeks:
            usage.append("idle")
            continue
        busy = rng.random() < 0.3
        usage.append("busy" if busy else "normal")
        groups = rng.randint(4, 12) if busy else rng.randint(2, 8)
        for _ in range(groups):
            at = day * DAY + rng.uniform(6 * HOUR, 23.5 * HOUR)
            n = rng.randint(10, 40) if busy else rng.randint(1, 3)
            events.append(Event(at, "calls", {"n": n}))

    # Ring outages, about twice a month: 5 min to 6 h, 5xx or hanging requests.
    for day in range(days):
        if rng.random() < 2 / 30:
            events.append(  # noqa: PERF401 - the draws' order is the schedule
                Event(
                    day * DAY + rng.uniform(0, DAY),
                    "outage",
                    {
                        "duration": _log_uniform(rng, 5 * MINUTE, 6 * HOUR),
                        "mode": rng.choice(("5xx", "5xx", "hang")),
                    },
                )
            )

    # Rate-limit storms, weekly: every request gets 429 with Retry-After for a while.
    for week in range(weeks):
        at = week * 7 * DAY + rng.uniform(0, 7 * DAY)
        if at < days * DAY:
            events.append(
                Event(
                    at,
                    "storm",
                    {
                        "duration": rng.uniform(10 * MINUTE, 90 * MINUTE),
                        "retry_after": rng.choice((30, 60, 120, 300, 900)),
                    },
                )
            )

    # Malformed replies now and then (one reply each; the next matching request gets it).
    for day in range(days):
        if rng.random() < 1 / 12:
            fault, where = rng.choice(MALFORMED)
            events.append(
                Event(
                    day * DAY + rng.uniform(0, DAY),
                    "malformed",
                    {"fault": fault, "where": where},
                )
            )

    # Home Assistant restarts, weekly and graceful (1-5 min down).
    for week in range(weeks):
        at = week * 7 * DAY + rng.uniform(1 * DAY, 6 * DAY)
        if at < days * DAY:
            events.append(
                Event(at, "restart", {"downtime": rng.uniform(1 * MINUTE, 5 * MINUTE)})
            )

    # Power cuts, monthly and abrupt (5 min to 3 h without power). Every other one strikes
    # 0.5 s after a token refresh, inside the config entry's 1 s save delay (the worst case;
    # a cut at a random instant almost never lands there).
    for month in range(math.ceil(days / 30)):
        at = month * 30 * DAY + rng.uniform(2 * DAY, 28 * DAY)
        if at < days * DAY:
            events.append(
                Event(
                    at,
                    "power_cut",
                    {
                        "downtime": _log_uniform(rng, 5 * MINUTE, 3 * HOUR),
                        "mode": "after_refresh" if month % 2 == 0 else "random",
                    },
                )
            )

    # One network loss of two days: longer than any access token, shorter than 30 days.
    net_day = rng.uniform(0.35, 0.55) * days
    events.append(Event(net_day * DAY, "network_loss", {"duration": 2 * DAY}))

    # Clock corrections of a few minutes either way (about every three weeks): the skew
    # between the hub's clock and Ring's steps to a new value within +-5 minutes.
    skew = 0.0
    for day in range(days):
        if rng.random() < 1 / 20:
            new = rng.choice((-1, 1)) * rng.uniform(1 * MINUTE, 5 * MINUTE)
            events.append(
                Event(
                    day * DAY + rng.uniform(0, DAY), "clock_step", {"step": new - skew}
                )
            )
            skew = new

    # Firewall blocks, about monthly: Ring's edge answers 406 to this hub for 1 to 24 hours,
    # at the token endpoint (sign-ins and refreshes, as since 2026-02: dgreif/ring #1717,
    # text/plain) or for every request (api.ring.com too: dgreif/ring #337,
    # python-ring-doorbell #213, an openresty HTML page). The first lasts the full 24 h (the
    # worst case is the one worth testing). Drawn last: the rest of a seed's year stays the
    # year it was before blocks were added.
    for month in range(math.ceil(days / 30)):
        at = month * 30 * DAY + rng.uniform(1 * DAY, 29 * DAY)
        duration = _log_uniform(rng, 1 * HOUR, 24 * HOUR)
        duration = duration if month else DAY
        where = rng.choice(("token", "token", "any"))
        body = "text" if where == "token" else rng.choice(("text", "html"))
        if at < days * DAY:
            events.append(
                Event(at, "block", {"duration": duration, "where": where, "body": body})
            )

    events.sort(key=lambda ev: ev.at)
    return Schedule(seed, days, events, usage)
