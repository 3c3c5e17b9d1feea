"""Options: the refresh interval and margin, and the device poll interval, each in a stated range."""

from typing import Any

from homeassistant.config_entries import ConfigFlowResult, OptionsFlowWithReload
from homeassistant.data_entry_flow import section
from homeassistant.helpers.selector import (
    NumberSelector,
    NumberSelectorConfig,
    NumberSelectorMode,
    SelectSelector,
    SelectSelectorConfig,
    SelectSelectorMode,
)
import probatio

from .const import (
    AUTH_TYPE_PARTNER,
    CONF_AUTH_TYPE,
    CONF_POLL_INTERVAL,
    CONF_REFRESH_INTERVAL,
    CONF_REFRESH_MARGIN,
    CONF_SIGNIN_METHOD,
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
from .signin import SignInMethod

ADVANCED = "advanced"  # the folded section of the form
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
    """Refresh interval and margin, device poll interval; the sign-in method (advanced)."""

    @property
    def _password_login(self) -> bool:
        """Return whether the entry logs in with a password (not a partner app)."""
        return self.config_entry.data.get(CONF_AUTH_TYPE) != AUTH_TYPE_PARTNER

    async def async_step_init(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Show the options; an out-of-range value is named with its range."""
        errors: dict[str, str] = {}
        options = self.config_entry.options
        values = {
            key: options.get(key, default) for key, (default, *_) in OPTIONS.items()
        }
        method = str(options.get(CONF_SIGNIN_METHOD, SignInMethod.AUTO))
        if user_input is not None:
            user_input = dict(user_input)
            method = user_input.pop(ADVANCED, {}).get(CONF_SIGNIN_METHOD, method)
            values |= user_input
            for key, (_, low, high, _unit) in OPTIONS.items():
                if not low <= float(values[key]) <= high:
                    errors[key] = f"{key}_range"
            if not errors:
                data = {key: int(value) for key, value in values.items()}
                if method != SignInMethod.AUTO:
                    data[CONF_SIGNIN_METHOD] = method
                return self.async_create_entry(data=data)
        # The selectors carry no min/max: Home Assistant would refuse an out-of-range value
        # before this step with an untranslated "Value 200.0 is too large".
        schema: dict[Any, Any] = {
            probatio.Required(key, default=values[key]): NumberSelector(
                NumberSelectorConfig(
                    step=1, unit_of_measurement=unit, mode=NumberSelectorMode.BOX
                )
            )
            for key, (_, _low, _high, unit) in OPTIONS.items()
        }
        if self._password_login:
            # Advanced, folded: force how a new password login reaches Ring.
            method_field = SelectSelector(
                SelectSelectorConfig(
                    options=[m.value for m in SignInMethod],
                    translation_key=CONF_SIGNIN_METHOD,
                    mode=SelectSelectorMode.DROPDOWN,
                )
            )
            schema[probatio.Optional(ADVANCED)] = section(
                probatio.Schema(
                    {
                        probatio.Required(
                            CONF_SIGNIN_METHOD, default=method
                        ): method_field
                    }
                ),
                {"collapsed": True},
            )
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
