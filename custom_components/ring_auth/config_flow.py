"""Config flow: email + password, then the 2FA code; reauth, reconfigure; or a partner app.

Every Ring answer becomes a precise, translated form error and the user stays on the step
(nothing typed is lost). The entry is keyed by Ring's account id from the profile, always.
"""

import logging
import re
import time
from typing import Any
from uuid import uuid4

from homeassistant.config_entries import (
    SOURCE_REAUTH,
    SOURCE_RECONFIGURE,
    SOURCE_USER,
    ConfigEntry,
    ConfigFlowResult,
)
from homeassistant.const import CONF_EMAIL, CONF_PASSWORD
from homeassistant.core import callback
from homeassistant.helpers.aiohttp_client import async_get_clientsession
from homeassistant.helpers.config_entry_oauth2_flow import (
    AbstractOAuth2FlowHandler,
    async_get_implementations,
)
from homeassistant.helpers.selector import (
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
    CONF_SIGNIN_METHOD,
    CONF_TOKEN,
    DOMAIN,
    LOGGER,
)
from .data import RingAuthConfigEntry
from .health import LostReason
from .options_flow import RingAuthOptionsFlow
from .ringclient import (
    AbstractAuth,
    RingApi,
    RingApiError,
    RingAuthClient,
    RingBlockedError,
    RingError,
    RingInvalidCodeError,
    RingInvalidCredentialsError,
    RingRateLimitedError,
    RingTooManyCodesError,
    RingTransientError,
    Token,
    TwoFactorRequired,
)
from .signin import SignIn, SignInMethod
from .token_manager import async_lost_reason, async_store_login

CONF_CODE = "code"
EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
CODE_RE = re.compile(r"^\d{4,8}$", re.ASCII)

# Causes of a lost password login that the reauth step explains in its own words.
_REAUTH_CAUSES = {LostReason.REJECTED, LostReason.EXPIRED, LostReason.LOST_RESPONSE}

PASSWORD_SELECTOR = TextSelector(TextSelectorConfig(type=TextSelectorType.PASSWORD))
EMAIL_SELECTOR = TextSelector(TextSelectorConfig(type=TextSelectorType.EMAIL))


def form_error(err: RingError) -> tuple[str, dict[str, str]]:
    """Return the form error key (and its placeholders) of a Ring answer at login."""
    match err:
        case RingInvalidCredentialsError():
            return "invalid_auth", {}
        case RingInvalidCodeError():
            return "invalid_code", {}
        case RingTooManyCodesError():
            return "too_many_codes", {"seconds": str(round(err.retry_after or 600))}
        case RingRateLimitedError():
            return "rate_limited", {"seconds": str(round(err.retry_after or 60))}
        case RingBlockedError():
            return "blocked", {}
        case RingApiError(status=401):
            return "token_refused", {}
        case RingTransientError():
            return "cannot_connect", {}
    LOGGER.warning("Unexpected answer from Ring during login: %s", err)
    return "unknown", {}


class _LoginAuth(AbstractAuth):
    """A login's fresh token for the profile call, renewed once if Ring refuses it.

    A third-party client reports Ring refusing the first access token of a web sign-in's code
    exchange and accepting the first refreshed one (portpowered/go-ring docs/auth.md).
    """

    def __init__(self, token: Token, client: RingAuthClient | None) -> None:
        self.token = token
        self._client = client

    async def async_get_access_token(self) -> str:
        return self.token.access_token

    async def async_refresh_after_unauthorized(self, rejected_access_token: str) -> str:
        if self._client is not None:
            client, self._client = self._client, None  # once
            self.token = await client.async_refresh(self.token.refresh_token)
        return self.token.access_token


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
        self._signin: SignIn | None = None
        self._credentials_step = "user"
        # A login whose account could not be read yet (the profile step retries it).
        self._login: tuple[Token, dict[str, Any]] | None = None

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
        if user_input is None:
            return self._show_credentials_form()
        return await self._async_credentials(
            user_input[CONF_EMAIL], user_input[CONF_PASSWORD]
        )

    async def async_step_reauth(self, entry_data: dict[str, Any]) -> ConfigFlowResult:
        """Ring refused the stored login: log in again on the same account and device id."""
        if entry_data.get(CONF_AUTH_TYPE) == AUTH_TYPE_PARTNER:
            return await self.async_step_reauth_partner()
        self._email = entry_data[CONF_EMAIL]
        self._hardware_id = entry_data[CONF_HARDWARE_ID]
        # The step's text says why, when the manager knows (one prompt, no extra repair).
        reason = await async_lost_reason(self.hass, self._get_reauth_entry())
        self._credentials_step = (
            f"reauth_{reason}" if reason in _REAUTH_CAUSES else "reauth_confirm"
        )
        return self._show_credentials_form()

    async def async_step_reauth_confirm(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Ask for the password again."""
        return await self._async_reauth_password(user_input)

    async def async_step_reauth_rejected(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Ask for the password again (Ring rejected a login that should be valid)."""
        return await self._async_reauth_password(user_input)

    async def async_step_reauth_expired(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Ask for the password again (the login was not renewed for 30 days)."""
        return await self._async_reauth_password(user_input)

    async def async_step_reauth_lost_response(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Ask for the password again (a renewal's answer was lost past Ring's grace)."""
        return await self._async_reauth_password(user_input)

    async def _async_reauth_password(
        self, user_input: dict[str, Any] | None
    ) -> ConfigFlowResult:
        if user_input is None:
            return self._show_credentials_form()
        return await self._async_credentials(self._email, user_input[CONF_PASSWORD])

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
        if self.source == SOURCE_USER and self._email_configured(self._email):
            # Before Ring sends a code; the account id is still checked after the login.
            return self.async_abort(reason="already_configured")
        self._challenge = None
        return await self._async_login(None)

    def _email_configured(self, email: str) -> bool:
        """Return whether an entry already holds a login of this email."""
        return any(
            str(entry.data.get(CONF_EMAIL, "")).casefold() == email.casefold()
            for entry in self._async_current_entries(include_ignore=False)
        )

    def _show_credentials_form(
        self,
        errors: dict[str, str] | None = None,
        placeholders: dict[str, str] | None = None,
    ) -> ConfigFlowResult:
        """Show the form of the step that takes credentials."""
        fields: dict[Any, Any] = {}
        if not self._credentials_step.startswith("reauth"):
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
        if (challenge := self._challenge) is None:  # pragma: no cover
            return self._show_credentials_form()  # never shown without a challenge
        if user_input is None:  # the frontend (or REST GET) shows the step again
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
        """Send the credentials (code None) or a code; show the right form when Ring says no."""
        self._hardware_id = self._hardware_id or str(uuid4())
        if self._signin is None or (code is None and self._challenge is None):
            self._close_signin()
            self._signin = SignIn(
                self.hass,
                async_get_clientsession(self.hass),
                self._hardware_id,
                self._signin_method(),
            )
        signin = self._signin
        method = signin.used
        try:
            if self._challenge is None:
                result = await signin.async_start(self._email, self._password)
            else:
                result = await signin.async_submit_code(code or "")
        except RingError as err:
            error, placeholders = form_error(err)
            if error == "invalid_auth" or self._challenge is None:
                self._challenge = None
                return self._show_credentials_form({"base": error}, placeholders)
            return self._show_code_form(self._challenge, {"base": error}, placeholders)
        if isinstance(result, TwoFactorRequired):
            switched = self._challenge is not None and signin.used is not method
            self._challenge = result
            return self._show_code_form(
                result, {"base": "switched_to_web"} if switched else None
            )
        self._password = ""
        used = signin.used
        self._close_signin()
        return await self._async_save(
            result,
            {
                CONF_EMAIL: self._email,
                CONF_HARDWARE_ID: self._hardware_id,
                CONF_AUTH_TYPE: AUTH_TYPE_CONSUMER,
                CONF_SIGNIN_METHOD: used,
            },
        )

    def _signin_method(self) -> SignInMethod:
        """Return the entry's forced sign-in method (reauth, reconfigure), else auto."""
        if self.source in (SOURCE_REAUTH, SOURCE_RECONFIGURE):
            entry = (
                self._get_reauth_entry()
                if self.source == SOURCE_REAUTH
                else self._get_reconfigure_entry()
            )
            return SignInMethod(
                entry.options.get(CONF_SIGNIN_METHOD, SignInMethod.AUTO)
            )
        return SignInMethod.AUTO

    def _close_signin(self) -> None:
        if self._signin is not None:
            self._signin.close()
            self._signin = None

    @callback
    def async_remove(self) -> None:
        """Drop the sign-in's secrets and session when the flow ends any way."""
        self._close_signin()
        self._password = ""

    # -- partner app (application credentials, OAuth2 with PKCE) ---------------------------

    async def _async_relink(self, entry: ConfigEntry) -> ConfigFlowResult:
        """Link the entry's partner app again (reauth, reconfigure)."""
        self._hardware_id = entry.data[CONF_HARDWARE_ID]
        return await self.async_step_pick_implementation(
            {"implementation": entry.data["auth_implementation"]}
        )

    async def async_oauth_create_entry(self, data: dict[str, Any]) -> ConfigFlowResult:
        """Save the account of a linked partner app."""
        self._hardware_id = self._hardware_id or str(uuid4())
        return await self._async_save(
            Token.from_dict(data[CONF_TOKEN]),
            {
                "auth_implementation": data["auth_implementation"],
                CONF_HARDWARE_ID: self._hardware_id,
                CONF_AUTH_TYPE: AUTH_TYPE_PARTNER,
            },
        )

    # -- both ways in ----------------------------------------------------------------------

    async def async_step_profile(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Read the account again (the login worked; reading its profile did not)."""
        if self._login is None:  # pragma: no cover - only shown with a login
            return self._show_credentials_form()
        return await self._async_save(*self._login)

    async def _async_save(self, token: Token, data: dict[str, Any]) -> ConfigFlowResult:
        """Key the entry by Ring's account id from the profile, then create or update it."""
        session = async_get_clientsession(self.hass)
        refresher = (
            RingAuthClient(session, self._hardware_id)
            if data.get(CONF_SIGNIN_METHOD)
            else None  # a partner token refreshes with the partner's secret only
        )
        auth = _LoginAuth(token, refresher)
        api = RingApi(session, auth, self._hardware_id)
        try:
            profile = await api.async_get_profile()
        except RingError as err:
            self._login = (token, data)
            error, placeholders = form_error(err)
            return self.async_show_form(
                step_id="profile",
                errors={"base": error},
                description_placeholders={"seconds": ""} | placeholders,
            )
        self._login = None
        token = auth.token  # renewed, if Ring refused the first one
        await self.async_set_unique_id(str(profile["id"]))
        if self.source in (SOURCE_REAUTH, SOURCE_RECONFIGURE):
            entry = (
                self._get_reauth_entry()
                if self.source == SOURCE_REAUTH
                else self._get_reconfigure_entry()
            )
            self._abort_if_unique_id_mismatch(reason="wrong_account")
            updates = {
                CONF_TOKEN: await async_store_login(self.hass, entry, token.as_dict())
            }
            # The email of a new password login; the credentials a relink picked.
            keys = (CONF_EMAIL, CONF_SIGNIN_METHOD, "auth_implementation")
            updates |= {key: data[key] for key in keys if key in data}
            return self.async_update_reload_and_abort(entry, data_updates=updates)
        self._abort_if_unique_id_configured()
        email = data.get(CONF_EMAIL) or str(profile.get("email") or "")
        return self.async_create_entry(
            title=email or str(profile["id"]),
            data={**data, CONF_EMAIL: email, CONF_TOKEN: token.as_dict()},
        )
