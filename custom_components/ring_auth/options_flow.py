"""Options: the refresh interval and margin, and the device poll interval, each in a stated range."""

from typing import Any

from homeassistant.config_entries import ConfigFlowResult, OptionsFlowWithReload
from homeassistant.helpers.selector import (
    NumberSelector,
    NumberSelectorConfig,
    NumberSelectorMode,
)
import probatio

from .const import (
    CONF_POLL_INTERVAL,
    CONF_REFRESH_INTERVAL,
    CONF_REFRESH_MARGIN,
    DEFAULT_POLL_INTERVAL_SECONDS,
    DEFAULT_REFRESH_INTERVAL_HOURS,
    DEFAULT_REFRESH_MARGIN_MINUTES,
    MAX_POLL_INTERVAL_SECONDS,
    MAX_REFRESH_INTERVAL_HOURS,
    MAX_REFRESH_MARGIN_MINUTES,
    MIN_POLL_INTERVAL_SECONDS,
    MIN_REFRESH_INTERVAL_HOURS,
    MIN_REFRESH_MARGIN_MINUTES,
)

# option: (default, lowest, highest, unit)
OPTIONS: dict[str, tuple[int, int, int, str]] = {
    CONF_REFRESH_INTERVAL: (
        DEFAULT_REFRESH_INTERVAL_HOURS,
        MIN_REFRESH_INTERVAL_HOURS,
        MAX_REFRESH_INTERVAL_HOURS,
        "h",
    ),
    CONF_REFRESH_MARGIN: (
        DEFAULT_REFRESH_MARGIN_MINUTES,
        MIN_REFRESH_MARGIN_MINUTES,
        MAX_REFRESH_MARGIN_MINUTES,
        "min",
    ),
    CONF_POLL_INTERVAL: (
        DEFAULT_POLL_INTERVAL_SECONDS,
        MIN_POLL_INTERVAL_SECONDS,
        MAX_POLL_INTERVAL_SECONDS,
        "s",
    ),
}


class RingAuthOptionsFlow(OptionsFlowWithReload):
    """Background refresh interval, proactive margin, device poll interval."""

    async def async_step_init(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Show the options; an out-of-range value is named with its range."""
        errors: dict[str, str] = {}
        values = {
            key: self.config_entry.options.get(key, default)
            for key, (default, *_) in OPTIONS.items()
        }
        if user_input is not None:
            values |= user_input
            for key, (_, low, high, _unit) in OPTIONS.items():
                if not low <= float(values[key]) <= high:
                    errors[key] = f"{key}_range"
            if not errors:
                return self.async_create_entry(
                    data={key: int(value) for key, value in values.items()}
                )
        # The selectors carry no min/max: Home Assistant would refuse an out-of-range value
        # before this step with an untranslated "Value 200.0 is too large".
        schema = {
            probatio.Required(key, default=values[key]): NumberSelector(
                NumberSelectorConfig(
                    step=1, unit_of_measurement=unit, mode=NumberSelectorMode.BOX
                )
            )
            for key, (_, _low, _high, unit) in OPTIONS.items()
        }
        placeholders = {
            f"{key}_{bound}": str(value)
            for key, (_, low, high, _unit) in OPTIONS.items()
            for bound, value in (("min", low), ("max", high))
        }
        return self.async_show_form(
            step_id="init",
            data_schema=probatio.Schema(schema),
            errors=errors,
            description_placeholders=placeholders,
        )
