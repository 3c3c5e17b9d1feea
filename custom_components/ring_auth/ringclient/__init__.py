"""An async client for Ring's cloud login and API; it imports nothing from Home Assistant."""

from .api import AbstractAuth, RingApi
from .auth import RingAuthClient
from .const import BASE_URL_ENV, CONSUMER_CLIENT_ID, TSV_EMAIL, TSV_SMS, TSV_TOTP
from .devices import DeviceFamily, DeviceHealth, EventKind, RingDevice, RingEvent
from .devices_api import RingDevicesApi
from .events import EventSink, RingEventSource
from .exceptions import (
    RingApiError,
    RingAuthError,
    RingBlockedError,
    RingConnectionError,
    RingError,
    RingGrantUnsupportedError,
    RingInvalidClientError,
    RingInvalidCodeError,
    RingInvalidCredentialsError,
    RingInvalidGrantError,
    RingMalformedResponseError,
    RingRateLimitedError,
    RingServerError,
    RingTimeoutError,
    RingTooManyCodesError,
    RingTransientError,
    RingUnauthorizedError,
)
from .models import PartnerCredentials, Token, TwoFactorRequired
from .websignin import RingWebSignIn, SignInStep

__all__ = [
    "BASE_URL_ENV",
    "CONSUMER_CLIENT_ID",
    "TSV_EMAIL",
    "TSV_SMS",
    "TSV_TOTP",
    "AbstractAuth",
    "DeviceFamily",
    "DeviceHealth",
    "EventKind",
    "EventSink",
    "PartnerCredentials",
    "RingApi",
    "RingApiError",
    "RingAuthClient",
    "RingAuthError",
    "RingBlockedError",
    "RingConnectionError",
    "RingDevice",
    "RingDevicesApi",
    "RingError",
    "RingEvent",
    "RingEventSource",
    "RingGrantUnsupportedError",
    "RingInvalidClientError",
    "RingInvalidCodeError",
    "RingInvalidCredentialsError",
    "RingInvalidGrantError",
    "RingMalformedResponseError",
    "RingRateLimitedError",
    "RingServerError",
    "RingTimeoutError",
    "RingTooManyCodesError",
    "RingTransientError",
    "RingUnauthorizedError",
    "RingWebSignIn",
    "SignInStep",
    "Token",
    "TwoFactorRequired",
]
