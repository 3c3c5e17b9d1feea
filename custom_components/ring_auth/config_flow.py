"""Config flow: email + password, then the 2FA code; reauth, reconfigure and options."""

import logging
import re
import time
from typing import Any
from uuid import uuid4

from homeassistant.config_entries import (
    SOURCE_REAUTH,
    SOURCE_RECONFIGURE,
    ConfigEntry,
    ConfigFlowResult,
    OptionsFlowWithReload,
)
from homeassistant.const import CONF_EMAIL, CONF_PASSWORD
from homeassistant.core import callback
from homeassistant.helpers.aiohttp_client import async_get_clientsession
from homeassistant.helpers.config_entry_oauth2_flow import (
    AbstractOAuth2FlowHandler,
    async_get_implementations,
)
from homeassistant.helpers.selector import (
    NumberSelector,
    NumberSelectorConfig,
    NumberSelectorMode,
    TextSelector,
    TextSelectorConfig,
    TextSelectorType,
)
import probatio

from .const import (
    AUTH_TYPE_CONSUMER,
    AUTH_TYPE_PARTNER,
    CONF_AUTH_TYPE,
    CONF_HARDWARE_ID,
    CONF_REFRESH_INTERVAL,
    CONF_REFRESH_MARGIN,
    CONF_TOKEN,
    DEFAULT_REFRESH_INTERVAL_HOURS,
    DEFAULT_REFRESH_MARGIN_MINUTES,
    DOMAIN,
    LOGGER,
    MAX_REFRESH_INTERVAL_HOURS,
    MAX_REFRESH_MARGIN_MINUTES,
    MIN_REFRESH_INTERVAL_HOURS,
    MIN_REFRESH_MARGIN_MINUTES,
)
from .data import RingAuthConfigEntry
from .journal import TokenJournal
from .ringclient import (
    AbstractAuth,
    RingApi,
    RingAuthClient,
    RingError,
    RingInvalidClientError,
    RingInvalidCodeError,
    RingInvalidCredentialsError,
    RingInvalidGrantError,
    RingRateLimitedError,
    RingTooManyCodesError,
    RingTransientError,
    Token,
    TwoFactorRequired,
)

CONF_CODE = "code"
EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
CODE_RE = re.compile(r"^\d{4,8}$", re.ASCII)

PASSWORD_SELECTOR = TextSelector(TextSelectorConfig(type=TextSelectorType.PASSWORD))
EMAIL_SELECTOR = TextSelector(TextSelectorConfig(type=TextSelectorType.EMAIL))


class _StaticAuth(AbstractAuth):
    """The one fresh token of a login, used for the profile call only."""

    def __init__(self, token: Token) -> None:
        self._access_token = token.access_token

    async def async_get_access_token(self) -> str:
        return self._access_token

    async def async_refresh_after_unauthorized(self, rejected_access_token: str) -> str:
        return self._access_token


class RingAuthConfigFlow(AbstractOAuth2FlowHandler, domain=DOMAIN):
    """Log in to Ring: email, password and 2FA; or link a Ring partner app (OAuth2 + PKCE)."""

    DOMAIN = DOMAIN
    VERSION = 1

    def __init__(self) -> None:
        """Start with no credentials."""
        super().__init__()
        self._email = ""
        self._password = ""
        self._hardware_id = ""
        self._challenge: TwoFactorRequired | None = None
        self._credentials_step = "user"

    @staticmethod
    @callback
    def async_get_options_flow(
        config_entry: RingAuthConfigEntry,
    ) -> RingAuthOptionsFlow:
        """Return the options flow."""
        return RingAuthOptionsFlow()

    @property
    def logger(self) -> logging.Logger:
        """Logger of the OAuth2 steps."""
        return LOGGER

    # -- steps that take credentials -------------------------------------------------------

    async def async_step_user(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Ask for email and password; offer partner linking when credentials exist."""
        if user_input is None and await async_get_implementations(self.hass, DOMAIN):
            return self.async_show_menu(
                step_id="user", menu_options=["password", "pick_implementation"]
            )
        return await self._async_step_password("user", user_input)

    async def async_step_password(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Ask for email and password (chosen from the menu)."""
        return await self._async_step_password("password", user_input)

    async def _async_step_password(
        self, step_id: str, user_input: dict[str, Any] | None
    ) -> ConfigFlowResult:
        """Show or check the email and password form."""
        self._credentials_step = step_id
        if user_input is not None:
            return await self._async_credentials(
                user_input[CONF_EMAIL], user_input[CONF_PASSWORD]
            )
        return self._show_credentials_form()

    async def async_step_reauth(self, entry_data: dict[str, Any]) -> ConfigFlowResult:
        """Ring refused the stored login: log in again on the same account and device id."""
        if entry_data.get(CONF_AUTH_TYPE) == AUTH_TYPE_PARTNER:
            return await self.async_step_reauth_partner()
        self._email = entry_data[CONF_EMAIL]
        self._hardware_id = entry_data[CONF_HARDWARE_ID]
        return await self.async_step_reauth_confirm()

    async def async_step_reauth_confirm(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Ask for the password again."""
        self._credentials_step = "reauth_confirm"
        if user_input is not None:
            return await self._async_credentials(self._email, user_input[CONF_PASSWORD])
        return self._show_credentials_form()

    async def async_step_reauth_partner(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Confirm, then link the partner app to the same account again."""
        if user_input is None:
            return self.async_show_form(step_id="reauth_partner")
        return await self._async_relink(self._get_reauth_entry())

    async def async_step_reconfigure(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Change the email or password (a new login with 2FA, same account)."""
        self._credentials_step = "reconfigure"
        entry = self._get_reconfigure_entry()
        if entry.data.get(CONF_AUTH_TYPE) == AUTH_TYPE_PARTNER:
            return await self._async_relink(entry)
        self._hardware_id = entry.data[CONF_HARDWARE_ID]
        if user_input is not None:
            return await self._async_credentials(
                user_input[CONF_EMAIL], user_input[CONF_PASSWORD]
            )
        self._email = entry.data[CONF_EMAIL]
        return self._show_credentials_form()

    async def _async_credentials(self, email: str, password: str) -> ConfigFlowResult:
        """Check the form, then ask Ring."""
        self._email = email.strip()
        self._password = password
        if not EMAIL_RE.match(self._email):
            return self._show_credentials_form({CONF_EMAIL: "invalid_email"})
        if not password:
            return self._show_credentials_form({CONF_PASSWORD: "empty_password"})
        return await self._async_login(None)

    def _show_credentials_form(
        self,
        errors: dict[str, str] | None = None,
        placeholders: dict[str, str] | None = None,
    ) -> ConfigFlowResult:
        """Show the form of the step that takes credentials."""
        fields: dict[Any, Any] = {}
        if self._credentials_step != "reauth_confirm":
            fields[probatio.Required(CONF_EMAIL, default=self._email)] = EMAIL_SELECTOR
        fields[probatio.Required(CONF_PASSWORD)] = PASSWORD_SELECTOR
        return self.async_show_form(
            step_id=self._credentials_step,
            data_schema=probatio.Schema(fields),
            errors=errors or {},
            description_placeholders={"email": self._email, "seconds": ""}
            | (placeholders or {}),
        )

    # -- the 2FA steps: one per way Ring sends the code ------------------------------------

    async def async_step_2fa_sms(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Take a code sent by SMS."""
        return await self._async_step_code(user_input)

    async def async_step_2fa_email(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Take a code sent by email."""
        return await self._async_step_code(user_input)

    async def async_step_2fa_totp(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Take a code from an authenticator app."""
        return await self._async_step_code(user_input)

    async def _async_step_code(
        self, user_input: dict[str, Any] | None
    ) -> ConfigFlowResult:
        """Check the code; an empty code asks Ring to send a new one."""
        if (challenge := self._challenge) is None:
            return self._show_credentials_form()
        if user_input is None:
            return self._show_code_form(challenge)
        code = str(user_input.get(CONF_CODE, "")).strip().replace(" ", "")
        if not code:
            if (wait := challenge.resend_at - time.time()) > 0:
                return self._show_code_form(
                    challenge,
                    {"base": "resend_too_soon"},
                    {"seconds": str(round(wait))},
                )
            return await self._async_login(None)
        if not CODE_RE.match(code):
            return self._show_code_form(challenge, {CONF_CODE: "invalid_code_format"})
        return await self._async_login(code)

    def _show_code_form(
        self,
        challenge: TwoFactorRequired,
        errors: dict[str, str] | None = None,
        placeholders: dict[str, str] | None = None,
    ) -> ConfigFlowResult:
        """Show the code form of the way Ring sent the code."""
        return self.async_show_form(
            step_id=f"2fa_{challenge.tsv_state}",
            data_schema=probatio.Schema({probatio.Optional(CONF_CODE): str}),
            errors=errors or {},
            description_placeholders={
                "phone": challenge.phone or "",
                "email": self._email,
                "seconds": "",
            }
            | (placeholders or {}),
        )

    # -- talking to Ring -------------------------------------------------------------------

    async def _async_login(self, code: str | None) -> ConfigFlowResult:
        """Log in; show the right form with a precise error when Ring says no."""
        self._hardware_id = self._hardware_id or str(uuid4())
        session = async_get_clientsession(self.hass)
        client = RingAuthClient(session, self._hardware_id)
        in_code_step = code is not None or self._challenge is not None
        errors: dict[str, str] = {}
        placeholders: dict[str, str] = {}
        try:
            result = await client.async_login(self._email, self._password, code)
        except RingInvalidCredentialsError:
            self._challenge = None
            return self._show_credentials_form({"base": "invalid_auth"})
        except RingInvalidCodeError:
            errors["base"] = "invalid_code"
        except RingTooManyCodesError as err:
            errors["base"] = "too_many_codes"
            placeholders["seconds"] = str(round(err.retry_after or 600))
        except RingRateLimitedError as err:
            errors["base"] = "rate_limited"
            placeholders["seconds"] = str(round(err.retry_after or 60))
        except RingTransientError:
            errors["base"] = "cannot_connect"
        except RingError:
            LOGGER.exception("Unexpected answer from Ring during login")
            errors["base"] = "unknown"
        else:
            if isinstance(result, TwoFactorRequired):
                self._challenge = result
                return self._show_code_form(result)
            return await self._async_finish(result)
        if in_code_step and self._challenge is not None:
            return self._show_code_form(self._challenge, errors, placeholders)
        return self._show_credentials_form(errors, placeholders)

    async def _async_finish(self, token: Token) -> ConfigFlowResult:
        """Save the account of a password login."""
        self._password = ""
        return await self._async_save(
            token,
            {
                CONF_EMAIL: self._email,
                CONF_HARDWARE_ID: self._hardware_id,
                CONF_AUTH_TYPE: AUTH_TYPE_CONSUMER,
            },
        )

    # -- partner app (application credentials, OAuth2 with PKCE) ---------------------------

    async def _async_relink(self, entry: ConfigEntry) -> ConfigFlowResult:
        """Link the entry's partner app again (reauth, reconfigure)."""
        self._hardware_id = entry.data[CONF_HARDWARE_ID]
        return await self.async_step_pick_implementation(
            {"implementation": entry.data["auth_implementation"]}
        )

    async def async_step_creation(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Exchange the linking code; Ring's refusals become precise aborts."""
        try:
            return await super().async_step_creation(user_input)
        except RingInvalidClientError:
            return self.async_abort(reason="invalid_client")
        except RingInvalidGrantError:
            return self.async_abort(reason="invalid_link_code")
        except RingError:
            return self.async_abort(reason="cannot_connect")

    async def async_oauth_create_entry(self, data: dict[str, Any]) -> ConfigFlowResult:
        """Save the account of a linked partner app."""
        self._hardware_id = self._hardware_id or str(uuid4())
        token = Token.from_dict(data[CONF_TOKEN])
        return await self._async_save(
            token,
            {
                "auth_implementation": data["auth_implementation"],
                CONF_HARDWARE_ID: self._hardware_id,
                CONF_AUTH_TYPE: AUTH_TYPE_PARTNER,
            },
        )

    # -- both ways in ----------------------------------------------------------------------

    async def _async_save(self, token: Token, data: dict[str, Any]) -> ConfigFlowResult:
        """Set the unique id from Ring's profile, then create or update the entry."""
        api = RingApi(
            async_get_clientsession(self.hass), _StaticAuth(token), self._hardware_id
        )
        try:
            profile = await api.async_get_profile()
            unique_id = str(profile["id"])
            email = str(profile.get("email") or data.get(CONF_EMAIL, ""))
        except RingError:
            LOGGER.warning(
                "Ring did not return the account profile; using the email as its id"
            )
            email = data.get(CONF_EMAIL, "")
            if not email:
                return self.async_abort(reason="cannot_connect")
            unique_id = email.casefold()
        await self.async_set_unique_id(unique_id)
        token_data = token.as_dict()
        if self.source in (SOURCE_REAUTH, SOURCE_RECONFIGURE):
            entry = (
                self._get_reauth_entry()
                if self.source == SOURCE_REAUTH
                else self._get_reconfigure_entry()
            )
            self._abort_if_unique_id_mismatch(reason="wrong_account")
            token_data = await TokenJournal(
                self.hass, entry.entry_id
            ).async_record_login(token_data, entry.data.get(CONF_TOKEN))
            updates = {CONF_TOKEN: token_data}
            # The email of a new password login; the credentials a relink picked.
            for key in (CONF_EMAIL, "auth_implementation"):
                if key in data:
                    updates[key] = data[key]
            return self.async_update_reload_and_abort(entry, data_updates=updates)
        self._abort_if_unique_id_configured()
        return self.async_create_entry(
            title=data.get(CONF_EMAIL) or email,
            data={
                **data,
                CONF_EMAIL: data.get(CONF_EMAIL) or email,
                CONF_TOKEN: token_data,
            },
        )


class RingAuthOptionsFlow(OptionsFlowWithReload):
    """Background refresh interval and proactive margin."""

    async def async_step_init(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Show or save the options."""
        if user_input is not None:
            return self.async_create_entry(
                data={key: int(value) for key, value in user_input.items()}
            )
        options = self.config_entry.options
        return self.async_show_form(
            step_id="init",
            data_schema=probatio.Schema(
                {
                    probatio.Required(
                        CONF_REFRESH_INTERVAL,
                        default=options.get(
                            CONF_REFRESH_INTERVAL, DEFAULT_REFRESH_INTERVAL_HOURS
                        ),
                    ): NumberSelector(
                        NumberSelectorConfig(
                            min=MIN_REFRESH_INTERVAL_HOURS,
                            max=MAX_REFRESH_INTERVAL_HOURS,
                            step=1,
                            unit_of_measurement="h",
                            mode=NumberSelectorMode.BOX,
                        )
                    ),
                    probatio.Required(
                        CONF_REFRESH_MARGIN,
                        default=options.get(
                            CONF_REFRESH_MARGIN, DEFAULT_REFRESH_MARGIN_MINUTES
                        ),
                    ): NumberSelector(
                        NumberSelectorConfig(
                            min=MIN_REFRESH_MARGIN_MINUTES,
                            max=MAX_REFRESH_MARGIN_MINUTES,
                            step=1,
                            unit_of_measurement="min",
                            mode=NumberSelectorMode.BOX,
                        )
                    ),
                }
            ),
        )
