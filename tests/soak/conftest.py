"""Soak fixtures: the full-year runs only on request, and the results printed at the end."""

import hashlib
import logging
import os
from pathlib import Path
import shutil
import tempfile
from typing import Any

import pytest

from .report import table

# Each run writes its table here (pytest-xdist workers too); the summary prints them all.
# One directory per checkout: a `make test` in another worktree on the same machine starts
# by emptying its own, not this one's.
_CHECKOUT = hashlib.sha256(
    str(Path(__file__).resolve().parents[2]).encode()
).hexdigest()
RESULTS_DIR = Path(
    os.environ.get("SOAK_RESULTS")
    or Path(tempfile.gettempdir()) / f"ring_auth_soak-{_CHECKOUT[:8]}"
)


def pytest_configure(config: pytest.Config) -> None:
    """Register the marker of the 365-day runs; the controller starts a fresh results dir."""
    config.addinivalue_line("markers", "soak_full: the 365-day soak (make soak)")
    if not hasattr(config, "workerinput"):
        shutil.rmtree(RESULTS_DIR, ignore_errors=True)


def save(result: dict[str, Any]) -> None:
    """Write one run's schedule and table for the summary."""
    config = result["config"]
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    name = f"{config.days:03d}d-{config.lifetime:05d}-{config.grace:03d}.md"
    schedule = "\n".join(f"  {line}" for line in result["schedule"].summary())
    (RESULTS_DIR / name).write_text(f"Schedule:\n{schedule}\n\n{table(result)}\n")


def _full_soak(config: pytest.Config) -> bool:
    """Return whether the 365-day runs were asked for (-m soak_full or SOAK_FULL=1)."""
    return bool(os.environ.get("SOAK_FULL")) or "soak_full" in (
        config.option.markexpr or ""
    )


def pytest_collection_modifyitems(
    config: pytest.Config, items: list[pytest.Item]
) -> None:
    """Skip the 365-day runs unless asked for (-m soak_full or SOAK_FULL=1)."""
    if _full_soak(config):
        return
    skip = pytest.mark.skip(reason="365-day soak: run `make soak`")
    for item in items:
        if "soak_full" in item.keywords:
            item.add_marker(skip)


def pytest_terminal_summary(terminalreporter: Any, config: pytest.Config) -> None:
    """Write every run's schedule (once per length) and table to one file; name it in one line.

    The tables are printed too only for the 365-day runs (`make soak`), not in `make test`.
    """
    files = sorted(RESULTS_DIR.glob("*-*-*.md")) if RESULTS_DIR.is_dir() else []
    if not files:
        return
    printed: set[str] = set()
    parts = []
    for path in files:
        schedule, _, tables = path.read_text().partition("\n\n")
        if schedule not in printed:
            printed.add(schedule)
            parts.append(schedule + "\n")
        parts.append(tables)
    report = RESULTS_DIR / "report.md"
    report.write_text("\n".join(parts))
    if _full_soak(config):
        terminalreporter.section("soak results")
        terminalreporter.write_line("\n".join(parts))
    terminalreporter.write_line(f"soak tables: {report}")


@pytest.fixture(autouse=True)
def soak_environment(enable_custom_integrations: None, socket_enabled: None) -> None:
    """Load custom_components/, allow loopback, and keep the logs short."""
    for name in (
        "custom_components.ring_auth",
        "ring_emulator",
        "homeassistant",
        "ring_doorbell",
        "aiohttp",
        "asyncio",
    ):
        logging.getLogger(name).setLevel(logging.CRITICAL)
