"""Exceptions raised by the Ring client; none of them carries a secret."""


class RingError(Exception):
    """Base class of every Ring client error."""


class RingTransientError(RingError):
    """Ring could not answer now; trying again later may succeed. Never a lost login."""


class RingConnectionError(RingTransientError):
    """No (complete) response: network failure, reset connection or timeout."""

    def __init__(self, message: str, *, request_sent: bool = True) -> None:
        """Say whether the request may have reached Ring (False: no connection was made)."""
        super().__init__(message)
        self.request_sent = request_sent


class RingTimeoutError(RingConnectionError):
    """Ring did not answer within the time allowed."""


class RingServerError(RingTransientError):
    """Ring answered with a 5xx status; a 503 may say how long to wait (``retry_after``)."""

    def __init__(self, status: int, retry_after: float | None = None) -> None:
        """Keep the status and the wait Ring asked for."""
        super().__init__(f"Ring server error (HTTP {status})")
        self.status = status
        self.retry_after = retry_after


class RingBlockedError(RingTransientError):
    """Ring's edge (a firewall, not the account service) refused the request: 403 or 406.

    Seen since February 2026 for hours or days from some networks; it says nothing about the
    credentials or the token, and it lifts by itself. ``retry_after`` when Ring sent one.
    """

    def __init__(self, status: int, retry_after: float | None = None) -> None:
        """Keep the status and the wait Ring asked for."""
        super().__init__(f"Ring's edge refused the request (HTTP {status})")
        self.status = status
        self.retry_after = retry_after


class RingRateLimitedError(RingTransientError):
    """Ring answered 429; wait at least ``retry_after`` seconds."""

    def __init__(
        self, retry_after: float | None, message: str = "Rate limited by Ring"
    ) -> None:
        """Keep the wait Ring asked for."""
        super().__init__(
            message
            if retry_after is None
            else f"{message} (retry after {retry_after:.0f} s)"
        )
        self.retry_after = retry_after


class RingTooManyCodesError(RingRateLimitedError):
    """Too many 2FA codes were requested; Ring refuses new ones for a while."""

    def __init__(self, retry_after: float | None) -> None:
        """Keep the wait Ring asked for."""
        super().__init__(retry_after, "Too many verification codes requested")


class RingMalformedResponseError(RingTransientError):
    """Ring answered with a body the client cannot use (HTML, cut JSON, no token)."""


class RingAuthError(RingError):
    """Ring refused the credentials, the code or the token."""


class RingInvalidCredentialsError(RingAuthError):
    """Wrong email or password."""


class RingGrantUnsupportedError(RingAuthError):
    """Ring no longer accepts this way of signing in (the password grant); use the web sign-in."""


class RingInvalidCodeError(RingAuthError):
    """The 2FA code is wrong or expired."""


class RingInvalidGrantError(RingAuthError):
    """The refresh token (or authorization code) is unknown, revoked or expired."""


class RingInvalidClientError(RingAuthError):
    """The partner client id or client secret was refused."""


class RingApiError(RingError):
    """An unexpected HTTP status from Ring that fits no other class."""

    def __init__(
        self, status: int, message: str = "Unexpected answer from Ring"
    ) -> None:
        """Keep the status."""
        super().__init__(f"{message} (HTTP {status})")
        self.status = status


class RingUnauthorizedError(RingApiError):
    """The API refused the access token (401) again after the one refresh, or none was made.

    Not a lost login by itself: the token endpoint decides that (RingInvalidGrantError). A
    subclass of RingApiError with ``status`` 401 so that code written before it still works.
    """

    def __init__(self) -> None:
        """Build the error; the status is always 401."""
        super().__init__(401, "Ring refused the access token")
