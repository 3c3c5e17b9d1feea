"""Fix flows of the repair issues: renew the login now, from the repair dialog."""

from typing import Any

from homeassistant.components.repairs import RepairsFlow, RepairsFlowResult
from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers import issue_registry as ir
import probatio

from .data import RingAuthConfigEntry
from .failures import classify
from .health import FailureKind
from .ringclient import RingError

# Form errors of the fix flow, by failure kind (others: "unavailable").
_ERRORS = {
    FailureKind.BLOCKED: "blocked",
    FailureKind.RATE_LIMITED: "rate_limited",
    FailureKind.LOGIN_LOST: "login_lost",
    FailureKind.INVALID_CLIENT: "login_lost",
}


class RenewLoginFlow(RepairsFlow):
    """Confirm, then renew the login at once; the issue clears when it works."""

    def __init__(self, entry: RingAuthConfigEntry) -> None:
        """Renew this entry's login."""
        self._entry = entry

    async def async_step_init(
        self, user_input: dict[str, Any] | None = None
    ) -> RepairsFlowResult:
        """Open the flow (Home Assistant passes the issue id, not a user's input)."""
        return await self.async_step_confirm()

    async def async_step_confirm(
        self, user_input: dict[str, Any] | None = None
    ) -> RepairsFlowResult:
        """Show the issue's text with a button; renew on submit."""
        errors: dict[str, str] = {}
        if user_input is not None:
            try:
                await self._entry.runtime_data.manager.async_force_refresh()
            except RingError as err:
                errors["base"] = _ERRORS.get(classify(err), "unavailable")
            else:
                return self.async_create_entry(data={})
        issue = ir.async_get(self.hass).async_get_issue(self.handler, self.issue_id)
        return self.async_show_form(
            step_id="confirm",
            data_schema=probatio.Schema({}),
            errors=errors,
            description_placeholders=issue.translation_placeholders if issue else None,
        )


async def async_create_fix_flow(
    hass: HomeAssistant, issue_id: str, data: dict[str, Any] | None
) -> RepairsFlow:
    """Return the fix flow of an issue of a loaded entry."""
    entry = hass.config_entries.async_get_entry(str((data or {}).get("entry_id")))
    if entry is None or entry.state is not ConfigEntryState.LOADED:
        raise HomeAssistantError(f"Ring Auth entry of {issue_id} is not loaded")
    return RenewLoginFlow(entry)
