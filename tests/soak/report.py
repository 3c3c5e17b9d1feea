"""The soak's results as a Markdown table (printed, and pasted into docs/soak.md)."""

from typing import Any

from .schedule import DAY, HOUR, MINUTE
from .sim import Figures

CORE = "core `ring` (python-ring-doorbell 0.9.14)"


def _duration(seconds: float) -> str:
    if seconds >= DAY:
        return f"{seconds / DAY:.1f} d"
    if seconds >= HOUR:
        return f"{seconds / HOUR:.1f} h"
    return f"{seconds / MINUTE:.0f} min"


def _rows(fig: Figures, result: dict[str, Any]) -> list[str]:
    days = result["config"].days
    mean, top = fig.per_day(days)
    busiest = fig.buckets(days).index(top)
    return [
        str(len(fig.reauths)),
        f"{mean:.1f} / {top} (day {busiest})",
        f"{fig.api_failed} / {fig.api_failed_healthy} of {fig.api_calls}",
        f"{fig.issues_raised} / {fig.issues_cleared}"
        + (f" ({', '.join(sorted(fig.issue_kinds))})" if fig.issue_kinds else ""),
        str(fig.entry_writes),
        f"{_duration(fig.longest_unavailable)} (total {_duration(fig.unavailable_total)})",
        f"{fig.refresh_reuse} / {fig.refresh_rejected}",
    ]


LABELS = [
    "reauth prompts",
    "token-endpoint calls per day (mean / max)",
    "API calls failed (all / while Ring was healthy) of all",
    "repair issues raised / cleared",
    "config-entry writes (token changes)",
    "longest unavailable (total)",
    "refresh tokens reused / rejected (emulator)",
]


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
    fig = result["core"]
    lines.append(
        f"| core polls sent / counted without sending | — | {fig.polls_sent} / {fig.polls_counted} |"
    )
    for name, figures in (("ring_auth", result["ours"]), ("core", result["core"])):
        for cause in figures.reauths:
            lines.append(f"- {name} reauth: {cause}")
    lines.append(
        f"\n_{result['seconds']:.0f} s wall time, {result['steps']} clock jumps._"
    )
    return "\n".join(lines)
