"""The REST API behind the token: the bearer token and /clients_api/session (devices: household)."""

from __future__ import annotations

from typing import Any

from .settings import Account


def bearer_token(authorization: str) -> str:
    """Return the token of an "Authorization: Bearer ..." header ("" if none)."""
    scheme, _, token = authorization.partition(" ")
    return token.strip() if scheme.lower() == "bearer" else ""


def session_body(account: Account) -> dict[str, Any]:
    """Return the body of POST /clients_api/session."""
    return {
        "profile": {
            "id": account.account_id,
            "email": account.email,
            "first_name": account.first_name,
            "last_name": account.last_name,
            "phone_number": account.phone,
            "authentication_token": None,
            "features": {
                "remote_logging_format_storing": False,
                "remote_logging_level": 1,
                "subscriptions_enabled": True,
                "stickupcam_setup_enabled": True,
                "vod_enabled": False,
                "nw_enabled": True,
                "nw_v2_enabled": True,
            },
            "user_flow": "ring",
            "explorer_program_terms": None,
        }
    }
