"""Repair issues raised from the token manager's health figures, and cleared on recovery.

No issue repeats Home Assistant's own reauth prompt: a lost login is told there (the reauth
step names the cause). What is left can be acted on from the repair dialog (repairs.py):
renewals failing in a row, and a login that has not been renewed for 25 days.
"""

from datetime import timedelta

from homeassistant.core import CALLBACK_TYPE, HomeAssistant, callback
from homeassistant.helpers import issue_registry as ir
from homeassistant.helpers.dispatcher import async_dispatcher_connect
from homeassistant.helpers.event import async_track_time_interval
from homeassistant.util import dt as dt_util

from .const import (
    DOMAIN,
    FAILURES_BEFORE_REPAIR,
    REFRESH_TOKEN_LIFETIME,
    REFRESH_TOKEN_WARN_AGE,
)
from .data import RingAuthConfigEntry
from .health import FailureKind
from .token_manager import RingTokenManager

# The refresh token ages with no event to tell: look again this often.
ISSUE_CHECK_INTERVAL = timedelta(hours=1)
ISSUES = ("refresh_failing", "refresh_token_expiring")
# Causes the failing issue names in its own words; others share the general text.
_NAMED_CAUSES = {FailureKind.BLOCKED, FailureKind.RATE_LIMITED}


def issue_id(kind: str, entry_id: str) -> str:
    """Return the registry id of one of an entry's issues."""
    return f"{kind}_{entry_id}"


@callback
def async_update_issues(
    hass: HomeAssistant, entry: RingAuthConfigEntry, manager: RingTokenManager
) -> None:
    """Create or delete each issue so that the registry matches the figures."""
    health = manager.health
    placeholders = {"account": entry.title}
    wanted: dict[str, tuple[str, ir.IssueSeverity, dict[str, str]]] = {}
    if not health.login_lost and health.consecutive_failures >= FAILURES_BEFORE_REPAIR:
        cause = health.last_failure_kind
        wanted["refresh_failing"] = (
            f"refresh_failing_{cause}" if cause in _NAMED_CAUSES else "refresh_failing",
            ir.IssueSeverity.WARNING,
            placeholders | {"failures": str(health.consecutive_failures)},
        )
    issued = health.refresh_token_issued_at
    age = dt_util.utcnow() - issued if issued else None
    if age is not None and age >= REFRESH_TOKEN_WARN_AGE and not health.login_lost:
        days_left = max(0, (REFRESH_TOKEN_LIFETIME - age).days)
        wanted["refresh_token_expiring"] = (
            "refresh_token_expiring",
            ir.IssueSeverity.ERROR,
            placeholders | {"days_left": str(days_left)},
        )
    for kind in ISSUES:
        if kind not in wanted:
            ir.async_delete_issue(hass, DOMAIN, issue_id(kind, entry.entry_id))
            continue
        translation_key, severity, issue_placeholders = wanted[kind]
        ir.async_create_issue(
            hass,
            DOMAIN,
            issue_id(kind, entry.entry_id),
            data={"entry_id": entry.entry_id},
            is_fixable=True,
            is_persistent=False,
            severity=severity,
            translation_key=translation_key,
            translation_placeholders=issue_placeholders,
        )


@callback
def async_track_issues(
    hass: HomeAssistant, entry: RingAuthConfigEntry, manager: RingTokenManager
) -> CALLBACK_TYPE:
    """Keep the issues in step with the manager (and with time); return the unsubscribe."""

    @callback
    def update(*_: object) -> None:
        async_update_issues(hass, entry, manager)

    unsubs = [
        async_dispatcher_connect(hass, manager.signal, update),
        async_track_time_interval(hass, update, ISSUE_CHECK_INTERVAL),
    ]
    update()

    @callback
    def unsubscribe() -> None:
        for unsub in unsubs:
            unsub()

    return unsubscribe


@callback
def async_remove_issues(hass: HomeAssistant, entry: RingAuthConfigEntry) -> None:
    """Remove the entry's issues (the entry is gone)."""
    for kind in ISSUES:
        ir.async_delete_issue(hass, DOMAIN, issue_id(kind, entry.entry_id))
