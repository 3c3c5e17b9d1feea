"""What the web sign-in's routes answer with: pages, redirects, edge blocks, scripted failures."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
import html
import json
from typing import Any

from aiohttp import web
from yarl import URL

from .counters import WEB_STEPS
from .oauth import CONSUMER_CLIENT_ID
from .reply import Reply

SESSION_COOKIE = "ring_oauth_session"
BLOCKED_TEXT = "406 Not Acceptable"  # what Ring's edge sent in ring-client-api #1717
SIGNIN_PAGE = """<!doctype html>
<html><head><title>Ring - Sign in</title>
<script id="oauth-args" type="application/json">{args}</script>
</head><body>
<form id="signin" method="post" action="/oauth/v2/signin">
<input name="username" type="email"><input name="password" type="password">
<button type="submit">Sign in</button></form>
</body></html>
"""
ERROR_PAGE = """<!doctype html>
<html><head><title>Ring - sign-in error</title></head>
<body><h1>Something went wrong</h1><p>{reason}</p></body></html>
"""
CSRF_REFUSED = {
    "error": "invalid_csrf_token",
    "error_description": "the CSRF token is missing or invalid",
}
NO_SESSION = {"error": "invalid_request", "error_description": "no sign-in in progress"}


class Tamper(StrEnum):
    """Ways Ring's pages could change under a client; each stays on until cleared."""

    DROP_CSRF = "drop_csrf"  # the sign-in page carries no CSRF token
    FOREIGN_REDIRECT = "foreign_redirect"  # authorize redirects to another site
    WRONG_STATE = "wrong_state"  # the callback carries another state
    NO_CODE = "no_code"  # the callback carries no code
    PKCE_MISMATCH = "pkce_mismatch"  # the code is bound to another challenge
    REPLAY_CODE = "replay_code"  # the callback hands out the last code again


FOREIGN_URL = "https://example.invalid/elsewhere"


class PlainReply(Reply):
    """A reply with a text body (Ring's edge answers text/plain, not JSON)."""

    __slots__ = ()

    def to_response(self) -> web.Response:
        """Render as text/plain."""
        return web.Response(
            text=str(self.body), status=self.status, headers=self.headers
        )


@dataclass(slots=True)
class StepFault:
    """A scripted answer for the next `remaining` requests of one step."""

    step: str
    status: int
    remaining: int = 1
    retry_after: int | None = None
    body: Any = None

    def reply(self) -> Reply:
        """Return the answer: the given body (text or JSON), else one fitting the status."""
        headers = (
            {} if self.retry_after is None else {"Retry-After": str(self.retry_after)}
        )
        if isinstance(self.body, str):
            return PlainReply(self.status, self.body, headers)
        body = self.body
        if body is None:
            body = {"error": "service unavailable" if self.status >= 500 else "error"}
            if self.status == 429:
                body = {
                    "error": "too_many_requests",
                    "error_description": "rate limited",
                }
        return Reply(self.status, body, headers)

    def to_json(self) -> dict[str, Any]:
        """Return the fault as JSON."""
        return {"step": self.step, "status": self.status, "remaining": self.remaining}


class StepFaults:
    """The queue of scripted failures; the oldest of a step is played first."""

    __slots__ = ("pending",)

    def __init__(self) -> None:
        """Start empty."""
        self.pending: list[StepFault] = []

    def add(self, fault: StepFault) -> None:
        """Queue a failure."""
        self.pending.append(fault)

    def take(self, step: str) -> StepFault | None:
        """Use one failure of the step, if one is queued."""
        for fault in self.pending:
            if fault.step == step:
                fault.remaining -= 1
                if fault.remaining <= 0:
                    self.pending.remove(fault)
                return fault
        return None

    def clear(self) -> None:
        """Drop every queued failure."""
        self.pending.clear()


def make_fault(data: dict[str, Any]) -> StepFault:
    """Validate a scripted failure given as keyword values (Python or JSON)."""
    step = str(data.get("step", ""))
    if step not in WEB_STEPS:
        raise ValueError(f"step must be one of {WEB_STEPS}")
    status = data.get("status")
    if isinstance(status, bool) or not isinstance(status, int) or status < 400:
        raise ValueError("status must be an HTTP error status (400-599)")
    count = data.get("count", 1)
    if isinstance(count, bool) or not isinstance(count, int) or count < 1:
        raise ValueError("count must be at least 1")
    retry_after = data.get("retry_after")
    if retry_after is not None and not isinstance(retry_after, int):
        raise ValueError("retry_after must be whole seconds")
    return StepFault(step, status, count, retry_after, data.get("body"))


def html_page(text: str, status: int = 200) -> web.Response:
    """Return an HTML answer."""
    return web.Response(text=text, status=status, content_type="text/html")


def error_page(reason: str) -> web.Response:
    """Return a 400 page naming what is wrong."""
    return html_page(ERROR_PAGE.format(reason=html.escape(reason)), 400)


def signin_page(args: dict[str, Any]) -> web.Response:
    """Return the sign-in page with its arguments as JSON in <script id="oauth-args">."""
    text = json.dumps(args).replace("</", "<\\/")  # keep the script element closed
    return html_page(SIGNIN_PAGE.format(args=text))


def redirect(location: str) -> web.Response:
    """Return a 302 to location."""
    return web.Response(status=302, headers={"Location": location})


def blocked() -> web.Response:
    """Return the edge's 406."""
    return PlainReply(406, BLOCKED_TEXT).to_response()


def starts_sign_in(query: Mapping[str, str]) -> bool:
    """Return whether an authorize call carries the app's request (not the finishing call)."""
    return "response_type" in query or "client_id" in query


def authorize_problem(query: Mapping[str, str]) -> str | None:
    """Return why the app's authorization request is refused, if it is."""
    if query.get("client_id") != CONSUMER_CLIENT_ID:
        return "unknown client_id"
    if query.get("response_type") != "code":
        return "response_type must be code"
    try:
        absolute = URL(query.get("redirect_uri", "")).absolute
    except ValueError:
        absolute = False
    if not absolute:
        return "redirect_uri must be an absolute URL"
    if not query.get("code_challenge") or query.get("code_challenge_method") != "S256":
        return "a code_challenge with code_challenge_method S256 is required"
    return None
