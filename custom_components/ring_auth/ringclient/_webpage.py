"""What the web sign-in reads from Ring's answers: CSRF token, cookies, redirects, errors."""

from collections.abc import Iterable
from html.parser import HTMLParser
import json
import secrets
from typing import Any

from yarl import URL

from . import _http
from .auth import _error_text, _int_or
from .const import WEB_REDIRECT_URI
from .exceptions import (
    RingAuthError,
    RingBlockedError,
    RingMalformedResponseError,
    RingRateLimitedError,
    RingServerError,
    RingTooManyCodesError,
)
from .models import TwoFactorRequired

# Step names, as errors and logs say them.
PAGE = "sign-in page"
SIGNIN = "sign-in"
VERIFY = "code verification"
AUTHORIZE = "authorization"
EXCHANGE = "code exchange"

_TOO_MANY_CODES = "too many requests"

# Where Ring's sign-in page has carried its CSRF token: the JSON of <script id="oauth-args">
# (ring-client-api #1717, #1750; blinkpy's Blink pages), Next.js data (#1750), form fields.
_SCRIPT_IDS = frozenset({"oauth-args", "__NEXT_DATA__"})
_CSRF_NAMES = frozenset({"csrf-token", "csrf_token", "csrftoken", "csrf", "_csrf"})
_MAX_DEPTH = 6
_ERROR_CODE_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789_.-")


class _CsrfParser(HTMLParser):
    """Collect CSRF candidates: JSON of known script tags, values of CSRF inputs and metas."""

    def __init__(self) -> None:
        """Start with nothing found."""
        super().__init__(convert_charrefs=True)
        self.scripts: list[str] = []
        self.fields: list[str] = []
        self._script: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        """Note a script worth reading, or a field holding the token."""
        found = {name.lower(): value or "" for name, value in attrs}
        if tag == "script" and found.get("id") in _SCRIPT_IDS:
            self._script = []
        elif tag in ("input", "meta") and found.get("name", "").lower() in _CSRF_NAMES:
            value = found.get("value" if tag == "input" else "content", "")
            if value:
                self.fields.append(value)

    def handle_data(self, data: str) -> None:
        """Collect the text of a script being read."""
        if self._script is not None:
            self._script.append(data)

    def handle_endtag(self, tag: str) -> None:
        """Close the script being read."""
        if tag == "script" and self._script is not None:
            self.scripts.append("".join(self._script))
            self._script = None


def find_csrf_token(page: bytes) -> str | None:
    """Return the sign-in page's CSRF token, or None when the page has none."""
    parser = _CsrfParser()
    parser.feed(page.decode("utf-8", "replace"))
    parser.close()
    for text in parser.scripts:
        try:
            data: Any = json.loads(text)
        except ValueError:
            continue
        if token := _search(data, 0):
            return token
    return parser.fields[0] if parser.fields else None


def _search(data: Any, depth: int) -> str | None:
    """Find a CSRF token at any depth (bounded) of parsed JSON."""
    if depth > _MAX_DEPTH:
        return None
    children: Iterable[Any] = ()
    if isinstance(data, dict):
        for key, value in data.items():
            if str(key).lower() in _CSRF_NAMES and isinstance(value, str) and value:
                return value
        children = data.values()
    elif isinstance(data, list):
        children = data
    for child in children:
        if token := _search(child, depth + 1):
            return token
    return None


def resolve(base: URL, target: str) -> URL | None:
    """Return target (absolute or relative) resolved against base; None when unreadable."""
    try:
        url = base.join(URL(target))
        url.origin()  # raises for a scheme or host that makes no origin
    except ValueError:
        return None
    return url


def error_code(value: Any) -> str:
    """Return an OAuth error code fit for a message (short, plain), else an empty string."""
    if isinstance(value, str) and 0 < len(value) <= 64:
        if set(value.lower()) <= _ERROR_CODE_CHARS:
            return value
    return ""


def is_callback(url: URL) -> bool:
    """Return whether url is the app's callback (which is never fetched)."""
    return str(url.with_query(None).with_fragment(None)) == WEB_REDIRECT_URI


def is_redirect(resp: _http.RawResponse) -> bool:
    """Return whether the answer is a redirect."""
    return 300 <= resp.status < 400


def callback_code(callback: URL, state: str) -> str:
    """Return the authorization code of the callback after checking its state."""
    query = callback.query
    if "error" in query:
        code = error_code(query["error"])
        raise malformed(AUTHORIZE, f"Ring ended the sign-in ({code or 'error'})")
    found = query.get("code", "")
    if not found:
        raise malformed(AUTHORIZE, "the callback holds no authorization code")
    if not secrets.compare_digest(query.get("state", "").encode(), state.encode()):
        raise malformed(AUTHORIZE, "the callback's state is not this sign-in's")
    return found


def challenge_of(resp: _http.RawResponse, step: str) -> TwoFactorRequired | None:
    """Return the 2FA challenge of a 412 (or of a 2xx that carries tsv_state), else None."""
    body = resp.body or {}
    tsv_state = body.get("tsv_state")
    if resp.status != 412 and not (
        resp.ok and isinstance(tsv_state, str) and tsv_state
    ):
        return None
    if not isinstance(tsv_state, str) or not tsv_state:
        raise malformed(step, "Ring asked for a code without saying how it was sent")
    phone = body.get("phone")
    return TwoFactorRequired(
        tsv_state=tsv_state,
        phone=phone if isinstance(phone, str) and phone else None,
        next_time_in_secs=_int_or(body.get("next_time_in_secs"), 60),
    )


def failure(
    resp: _http.RawResponse, step: str, refusal: RingAuthError | None
) -> Exception:
    """Classify a failed step; refusal is what a 400/401 with a JSON body means there."""
    text = _error_text(resp.body)
    page = resp.raw[:4096].decode("utf-8", "replace").lower()
    if 400 <= resp.status < 500 and "csrf" in text + page:
        return malformed(step, f"Ring refused the CSRF token (HTTP {resp.status})")
    if _TOO_MANY_CODES in text and resp.status in (400, 429):
        return RingTooManyCodesError(resp.retry_after)
    if refusal is not None and resp.status in (400, 401) and resp.body is not None:
        return refusal
    if resp.status in _http.BLOCKED_STATUSES:
        return RingBlockedError(resp.status, resp.retry_after)
    if resp.status == 429:
        return RingRateLimitedError(resp.retry_after)
    if resp.status >= 500:
        return RingServerError(resp.status, resp.retry_after)
    return malformed(step, f"an unexpected answer (HTTP {resp.status})")


def malformed(step: str, what: str) -> RingMalformedResponseError:
    """Return the error for an answer the sign-in cannot use, naming the step."""
    return RingMalformedResponseError(f"Ring's web sign-in: {what} (step: {step})")
