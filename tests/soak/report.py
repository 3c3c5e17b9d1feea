"""The soak's results as a Markdown table (printed, and pasted into docs/soak.md)."""

from collections import Counter
from typing import Any

from .figures import Figures, Window, overlap
from .schedule import DAY, HOUR, MINUTE

CORE = "core `ring` (python-ring-doorbell 0.9.14)"


def _duration(seconds: float) -> str:
    if seconds >= DAY:
        return f"{seconds / DAY:.1f} d"
    if seconds >= HOUR:
        return f"{seconds / HOUR:.1f} h"
    return f"{seconds / MINUTE:.0f} min"


def _within(times: list[float], windows: list[Window]) -> int:
    return sum(any(start <= t < end for start, end in windows) for t in times)


def after_blocks(fig: Figures, blocks: list[Window]) -> tuple[float, float]:
    """Return (total, longest) time unavailable after a block lifted.

    That is the rest of each unavailable stretch that was under way when a block ended.
    """
    tails = [
        stretch[1] - end
        for stretch in fig.unavailable_stretches
        for start, end in blocks
        if stretch[0] < end < stretch[1]
    ]
    return sum(tails), max(tails, default=0.0)


def block_rows(fig: Figures, blocks: list[Window]) -> list[str]:
    """Return what the blocks cost a column (the rows of BLOCK_LABELS)."""
    during = sum(overlap(s, b) for s in fig.unavailable_stretches for b in blocks)
    after, longest_after = after_blocks(fig, blocks)
    return [
        f"{_within(fig.reauth_times, blocks)} / {_within(fig.token_call_times, blocks)}"
        f" / {fig.api_failed_blocked}",
        f"{_duration(during)} / {_duration(after)} (longest {_duration(longest_after)})",
    ]


def _rows(fig: Figures, result: dict[str, Any]) -> list[str]:
    days = result["config"].days
    mean, top = fig.per_day(days)
    busiest = fig.buckets(days).index(top)
    return [
        str(len(fig.reauths)),
        f"{mean:.1f} / {top} (day {busiest})",
        f"{fig.api_failed} / {fig.api_failed_healthy} / {fig.api_failed_bad_reply}"
        f" of {fig.api_calls}",
        f"{fig.issues_raised} / {fig.issues_cleared}"
        + (f" ({', '.join(sorted(fig.issue_kinds))})" if fig.issue_kinds else ""),
        str(fig.entry_writes),
        f"{_duration(fig.longest_unavailable)} (total {_duration(fig.unavailable_total)})",
        f"{fig.refresh_reuse} / {fig.refresh_rejected}",
        *block_rows(fig, result["blocks"]),
    ]


LABELS = [
    "reauth prompts",
    "token-endpoint calls per day (mean / max)",
    "API calls failed (all / while Ring was healthy / on a single bad reply) of all",
    "repair issues raised / cleared",
    "config-entry writes (token changes)",
    "longest unavailable (total)",
    "refresh tokens reused / rejected (emulator)",
    "during firewall blocks: reauth prompts / token calls / API calls failed",
    "unavailable during blocks / after they lifted",
]


def _failed_healthy(name: str, fig: Figures) -> list[str]:
    """Return when calls failed while Ring was healthy (a line per column, if any)."""
    if not fig.failed_healthy_times:
        return []
    days = Counter(round(t / DAY, 2) for t in fig.failed_healthy_times)
    listed = ", ".join(f"day {day:.2f} ({n})" for day, n in sorted(days.items())[:12])
    return [f"- {name} calls failed while Ring was healthy: {listed}"]


def table(result: dict[str, Any]) -> str:
    """Return one run's figures, both columns side by side."""
    config = result["config"]
    ours = _rows(result["ours"], result)
    core = _rows(result["core"], result)
    lines = [
        f"### {config.name}, {config.days} days, seed {config.seed}",
        "",
        f"| figure | ring_auth | {CORE} |",
        "|---|---|---|",
    ]
    lines += [
        f"| {label} | {a} | {b} |"
        for label, a, b in zip(LABELS, ours, core, strict=True)
    ]
    lines.append(
        f"| longest Ring outage (5xx/hang; with the network loss) | "
        f"{_duration(result['longest_5xx_hang'])}; {_duration(result['longest_outage'])} | same |"
    )
    blocks = result["blocks"]
    longest_block = max((end - start for start, end in blocks), default=0.0)
    lines.append(
        f"| firewall blocks (longest) | {len(blocks)} ({_duration(longest_block)}) | same |"
    )
    fig = result["core"]
    lines.append(
        f"| core polls sent / counted without sending | — | {fig.polls_sent} / {fig.polls_counted} |"
    )
    for name, figures in (("ring_auth", result["ours"]), ("core", result["core"])):
        lines += [f"- {name} reauth: {cause}" for cause in figures.reauths]
        lines += _failed_healthy(name, figures)
    lines.append(
        f"\n_{result['seconds']:.0f} s wall time, {result['steps']} clock jumps._"
    )
    return "\n".join(lines)
