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
DEFAULT_USER_AGENT: Final = "ring-auth/0.2 (Home Assistant)"

# Ring's 2026 web sign-in (OAuth2 authorization code + PKCE), as the Ring Android app and
# ring-client-api pull request #1750 speak it (docs/ring-protocol.md, section 1b).
WEB_AUTHORIZE_PATH: Final = "/oauth/v2/authorize"
WEB_SIGNIN_PATH: Final = "/oauth/v2/signin"
WEB_VERIFY_PATH: Final = "/oauth/v2/2fa/verify"
WEB_REDIRECT_URI: Final = "https://ring.com/signin/callback"
WEB_USER_AGENT: Final = "android:com.ringapp"
WEB_APP_VERSION: Final = "3.102.0"
WEB_DEVICE_MODEL: Final = "Home Assistant"
# Hops followed by hand per step; the real page is one redirect away.
WEB_MAX_REDIRECTS: Final = 5
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
