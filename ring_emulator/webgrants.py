"""The token endpoint's side of the web sign-in: the app's code exchange, the 406 block.

Both are put in front of the endpoint's grants (TokenEndpoint.grants), so the endpoint's own
code stays as it is and its faults (``inject(..., where="token")``) apply here too.
"""

from __future__ import annotations

from collections.abc import Mapping
import logging
from typing import TYPE_CHECKING

from .oauth import CONSUMER_CLIENT_ID, Params, TokenEndpoint, basic_auth, token_body
from .reply import Reply, error
from .webpages import BLOCKED_TEXT, PlainReply

if TYPE_CHECKING:
    from .websignin import WebSignIn

_LOGGER = logging.getLogger(__name__)


class WebGrants:
    """The password grant behind the edge block, and the code grant of the app's client id."""

    def __init__(self, signin: WebSignIn, endpoint: TokenEndpoint) -> None:
        """Wrap the endpoint's password and authorization-code grants."""
        self._signin = signin
        self._store = endpoint.store
        self._password = endpoint.grants["password"]
        self._partner_code = endpoint.grants["authorization_code"]
        endpoint.grants["password"] = self.password_grant
        endpoint.grants["authorization_code"] = self.code_grant

    def password_grant(self, params: Params, headers: Mapping[str, str]) -> Reply:
        """Run the password grant, unless blocked (406) or retired (400, an assumption).

        Retired: RFC 6749 5.2's unsupported_grant_type, as if Ring had switched it off.
        """
        settings = self._signin.settings
        if settings.block_password_grant:
            self._signin.counters.password_blocked += 1
            return PlainReply(406, BLOCKED_TEXT)
        if settings.retire_password_grant:
            return error(400, {"error": "unsupported_grant_type"})
        return self._password(params, headers)

    def code_grant(self, params: Params, headers: Mapping[str, str]) -> Reply:
        """Exchange a web sign-in code (the app's client id); partner codes go on to linking."""
        client_id = params.get("client_id") or (basic_auth(headers) or ("", ""))[0]
        if client_id != CONSUMER_CLIENT_ID:
            return self._partner_code(params, headers)
        signin = self._signin
        signin.counters.web_signin["exchange"] += 1
        fault = signin.faults.take("exchange")
        if fault is not None:
            return fault.reply()
        redemption = signin.codes.redeem(params)
        record, reason = redemption.record, redemption.reason
        account = (
            None if record is None else signin.settings.find_account(record.account)
        )
        if record is None or account is None:
            reason = reason or "the account no longer exists"
            _LOGGER.debug("web code exchange refused: %s", reason)
            return error(400, {"error": "invalid_grant", "error_description": reason})
        hardware_id = headers.get("hardware_id") or record.hardware_id
        signin.counters.add_device(account.email, hardware_id)
        pair = self._store.issue(account.key, CONSUMER_CLIENT_ID)
        return Reply(200, token_body(pair))
