"""Repair issues raised from the token manager's health figures, and cleared on recovery."""

from datetime import timedelta

from homeassistant.core import CALLBACK_TYPE, HomeAssistant, callback
from homeassistant.helpers import issue_registry as ir
from homeassistant.helpers.event import async_track_time_interval
from homeassistant.util import dt as dt_util

from .const import (
    DOMAIN,
    FAILURES_BEFORE_REPAIR,
    REFRESH_TOKEN_LIFETIME,
    REFRESH_TOKEN_WARN_AGE,
)
from .data import RingAuthConfigEntry
from .token_manager import RingTokenManager

# The refresh token ages with no event to tell: look again this often.
ISSUE_CHECK_INTERVAL = timedelta(hours=1)


def _issue_id(kind: str, entry: RingAuthConfigEntry) -> str:
    return f"{kind}_{entry.entry_id}"


@callback
def async_update_issues(
    hass: HomeAssistant, entry: RingAuthConfigEntry, manager: RingTokenManager
) -> None:
    """Create or delete each issue so that the registry matches the figures."""
    health = manager.health
    placeholders = {"account": entry.title}
    age = (
        dt_util.utcnow() - health.refresh_token_issued_at
        if health.refresh_token_issued_at
        else None
    )
    wanted: dict[str, tuple[str, ir.IssueSeverity, dict[str, str]] | None] = {
        "refresh_failing": (
            "refresh_failing",
            ir.IssueSeverity.WARNING,
            placeholders
            | {
                "failures": str(health.consecutive_failures),
                "kind": str(health.last_failure_kind),
            },
        )
        if not health.login_lost
        and health.consecutive_failures >= FAILURES_BEFORE_REPAIR
        else None,
        "refresh_token_expiring": (
            "refresh_token_expiring",
            ir.IssueSeverity.ERROR,
            placeholders
            | {"days_left": str(max(0, (REFRESH_TOKEN_LIFETIME - age).days))},
        )
        if age is not None and age >= REFRESH_TOKEN_WARN_AGE and not health.login_lost
        else None,
        "login_lost": (
            f"login_lost_{health.login_lost_reason}",
            ir.IssueSeverity.ERROR,
            placeholders,
        )
        if health.login_lost
        else None,
    }
    for kind, spec in wanted.items():
        issue_id = _issue_id(kind, entry)
        if spec is None:
            ir.async_delete_issue(hass, DOMAIN, issue_id)
            continue
        translation_key, severity, issue_placeholders = spec
        ir.async_create_issue(
            hass,
            DOMAIN,
            issue_id,
            is_fixable=False,
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
        manager.async_add_listener(update),
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
    for kind in ("refresh_failing", "refresh_token_expiring", "login_lost"):
        ir.async_delete_issue(hass, DOMAIN, _issue_id(kind, entry))
