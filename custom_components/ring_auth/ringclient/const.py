"""Constants of Ring's cloud as the client speaks to it."""

from typing import Final

OAUTH_URL: Final = "https://oauth.ring.com"
API_URL: Final = "https://api.ring.com"
BASE_URL_ENV: Final = "RING_AUTH_BASE_URL"

TOKEN_PATH: Final = "/oauth/token"  # noqa: S105
AUTHORIZE_PATH: Final = "/oauth/authorize"
API_PREFIX: Final = "/clients_api"
CONSUMER_CLIENT_ID: Final = "ring_official_android"
CONSUMER_SCOPE: Final = "client"
DEFAULT_USER_AGENT: Final = "ring-auth/0.1 (Home Assistant)"
API_VERSION: Final = "11"

# Bounded waits: a hung Ring never holds a caller longer than this (seconds).
TOKEN_TIMEOUT: Final = 10.0
API_TIMEOUT: Final = 15.0

# Ring's expires_in is trusted only inside these bounds (seconds).
MIN_EXPIRES_IN: Final = 60
MAX_EXPIRES_IN: Final = 86_400
DEFAULT_EXPIRES_IN: Final = 3_600

TSV_SMS: Final = "sms"
TSV_EMAIL: Final = "email"
TSV_TOTP: Final = "totp"
