"""Constants of the Ring Auth integration."""

from datetime import timedelta
import logging
from typing import Final

DOMAIN: Final = "ring_auth"
LOGGER = logging.getLogger(__package__)

CONF_TOKEN: Final = "token"  # noqa: S105
CONF_HARDWARE_ID: Final = "hardware_id"
CONF_AUTH_TYPE: Final = "auth_type"
# How a password login reached Ring ("password" grant or "web" sign-in); also the option that
# forces one ("auto" by default).
CONF_SIGNIN_METHOD: Final = "signin_method"
AUTH_TYPE_CONSUMER: Final = "consumer"
AUTH_TYPE_PARTNER: Final = "partner"

CONF_REFRESH_INTERVAL: Final = "refresh_interval_hours"
CONF_REFRESH_MARGIN: Final = "refresh_margin_minutes"
DEFAULT_REFRESH_INTERVAL_HOURS: Final = 24
MIN_REFRESH_INTERVAL_HOURS: Final = 1
MAX_REFRESH_INTERVAL_HOURS: Final = 7 * 24
DEFAULT_REFRESH_MARGIN_MINUTES: Final = 5
MIN_REFRESH_MARGIN_MINUTES: Final = 1
MAX_REFRESH_MARGIN_MINUTES: Final = 30
CONF_POLL_INTERVAL: Final = "poll_interval_seconds"
DEFAULT_POLL_INTERVAL_SECONDS: Final = 60
MIN_POLL_INTERVAL_SECONDS: Final = 30
MAX_POLL_INTERVAL_SECONDS: Final = 300

# Ring's refresh tokens die about 30 days after their last use.
REFRESH_TOKEN_LIFETIME: Final = timedelta(days=30)
REFRESH_TOKEN_WARN_AGE: Final = timedelta(days=25)
# Consecutive failed refreshes before a repair issue tells the user.
FAILURES_BEFORE_REPAIR: Final = 5
