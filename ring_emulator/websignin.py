"""Ring's 2026 web sign-in: authorize, the CSRF page, 412 and 2FA verify, a PKCE code, tokens.

GET /oauth/v2/authorize with the app's query starts a sign-in session (HttpOnly cookie) and
redirects to the page (through GET /oauth/v2/continue when extra hops are asked for); GET
/oauth/v2/signin is the page; POST /oauth/v2/signin and POST /oauth/v2/2fa/verify take the
credentials and the code; GET /oauth/v2/authorize without a query hands the code to the app's
callback. The code is exchanged at POST /oauth/token with ``client_id=ring_official_android``:
that grant is wrapped in here, in front of the partner codes of linking.py, and so is the
password grant, which answers 406 while ``block_password_grant`` is on.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
import secrets
from typing import Any

from aiohttp import web
from yarl import URL

from .counters import Counters
from .linking import s256
from .oauth import BAD_CODE, BAD_CREDENTIALS, TOO_MANY_CODES, TokenEndpoint
from .reply import Reply, error
from .settings import Account, Clock, EmulatorSettings
from .twofactor import TwoFactor
from .webcodes import WebCodes
from .webcontrol import add_control_routes
from .webgrants import WebGrants
from .webpages import (
    CSRF_REFUSED,
    FOREIGN_URL,
    NO_SESSION,
    SESSION_COOKIE,
    StepFaults,
    Tamper,
    authorize_problem,
    blocked,
    error_page,
    make_fault,
    redirect,
    signin_page,
    starts_sign_in,
)

SESSION_LIFETIME = 900  # seconds a sign-in session lives without finishing
PAGE_PATH = "/oauth/v2/signin"
AUTHORIZE_PATH = "/oauth/v2/authorize"

type Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


@dataclass(slots=True)
class Session:
    """One browser-like sign-in, keyed by its cookie."""

    query: dict[str, str]
    csrf: str
    created_at: float
    account: str | None = None
    verified: bool = False
    wrong_codes: int = 0


class WebSignIn:
    """State and handlers of the web sign-in; tests steer it through its public members."""

    def __init__(
        self,
        clock: Clock,
        settings: EmulatorSettings,
        counters: Counters,
        twofactor: TwoFactor,
        endpoint: TokenEndpoint,
    ) -> None:
        """Bind to the emulator's state; put the edge block and the app's code in front."""
        self._clock = clock
        self.settings = settings
        self.counters = counters
        self.twofactor = twofactor
        self.codes = WebCodes(clock, settings)
        self.tampers: set[Tamper] = set()
        self.extra_redirects = 0
        self.faults = StepFaults()
        self.sessions: dict[str, Session] = {}
        self.grants = WebGrants(self, endpoint)

    def fail(self, step: str, status: int, **options: Any) -> None:
        """Answer the next request(s) of a step with status (count=, retry_after=, body=)."""
        self.faults.add(make_fault({"step": step, "status": status, **options}))

    def clear(self) -> None:
        """Forget sessions, codes, scripted failures and tampering."""
        self.tampers.clear()
        self.extra_redirects = 0
        self.faults.clear()
        self.sessions.clear()
        self.codes.clear()

    def routes(self) -> list[tuple[str, str, Handler]]:
        """Return the (method, path, handler) triples to register."""
        return [
            ("GET", AUTHORIZE_PATH, self._guard("authorize", self.authorize)),
            ("GET", "/oauth/v2/continue", self._guard(None, self.hop)),
            ("GET", PAGE_PATH, self._guard("signin_page", self.page)),
            ("POST", PAGE_PATH, self._guard("signin", self.sign_in)),
            ("POST", "/oauth/v2/2fa/verify", self._guard("verify", self.verify)),
        ]

    def _guard(self, step: str | None, handler: Handler) -> Handler:
        """Apply the edge block, then count the step and play its scripted failure."""

        async def guarded(request: web.Request) -> web.StreamResponse:
            if self.settings.block_web_signin:
                self.counters.web_signin["blocked"] += 1
                return blocked()
            name = step
            if name == "authorize" and not starts_sign_in(request.query):
                name = "complete"
            if name is not None:
                self.counters.web_signin[name] += 1
                fault = self.faults.take(name)
                if fault is not None:
                    return fault.reply().to_response()
            return await handler(request)

        return guarded

    async def authorize(self, request: web.Request) -> web.StreamResponse:
        """Start a sign-in (the app's query), or finish one (cookies only)."""
        query = dict(request.query)
        if not starts_sign_in(query):
            return self._complete(request)
        problem = authorize_problem(query)
        if problem is not None:
            return error_page(problem)
        self._prune()
        sid = secrets.token_urlsafe(24)
        self.sessions[sid] = Session(
            query, secrets.token_urlsafe(32), self._clock.now()
        )
        if Tamper.FOREIGN_REDIRECT in self.tampers:
            response = redirect(FOREIGN_URL)
        elif self.extra_redirects > 0:
            response = redirect(f"/oauth/v2/continue?left={self.extra_redirects}")
        else:
            response = redirect(PAGE_PATH)
        response.set_cookie(
            SESSION_COOKIE, sid, httponly=True, path="/", samesite="Lax"
        )
        return response

    async def hop(self, request: web.Request) -> web.StreamResponse:
        """Redirect once more on the way to the page."""
        left = request.query.get("left", "")
        more = int(left) - 1 if left.isdigit() else 0
        return redirect(f"/oauth/v2/continue?left={more}" if more > 0 else PAGE_PATH)

    async def page(self, request: web.Request) -> web.StreamResponse:
        """Show the sign-in page, its CSRF token in <script id="oauth-args">."""
        session = self._session(request)
        if session is None:
            return error_page("no sign-in in progress: start at /oauth/v2/authorize")
        args: dict[str, Any] = {
            "client_id": session.query["client_id"],
            "app_brand": session.query.get("app_brand", "ring"),
            "csrf-token": session.csrf,
        }
        if Tamper.DROP_CSRF in self.tampers:
            del args["csrf-token"]
        return signin_page(args)

    async def sign_in(self, request: web.Request) -> web.StreamResponse:
        """Check the credentials: 412 for a code, 302 back to authorize without 2FA."""
        session, form = await self._form(request)
        if not isinstance(session, Session):
            return session
        account = self.settings.find_account(form.get("username", ""))
        password = form.get("password", "").encode()
        if account is None or not secrets.compare_digest(
            password, account.password.encode()
        ):
            session.account, session.verified = None, False
            return error(401, BAD_CREDENTIALS).to_response()
        session.account, session.verified = account.key, account.tsv_state is None
        if session.verified:
            return redirect(AUTHORIZE_PATH)
        challenge = self.twofactor.challenge(account)
        if challenge.retry_after is not None:
            retry = {"Retry-After": str(challenge.retry_after)}
            return error(429, TOO_MANY_CODES, **retry).to_response()
        body: dict[str, Any] = {"next_time_in_secs": challenge.next_in}
        destination = self.twofactor.destination(account)
        if destination is not None:
            body["phone"] = destination
        body["tsv_state"] = account.tsv_state
        return error(412, body).to_response()

    async def verify(self, request: web.Request) -> web.StreamResponse:
        """Check the 2FA code of a session whose password was accepted."""
        session, form = await self._form(request)
        if not isinstance(session, Session):
            return session
        account = self._account(session)
        if account is None:
            return error(400, NO_SESSION).to_response()
        if session.wrong_codes >= self.settings.code_limit:
            # Assumed: Ring stops taking codes in a session after as many wrong ones as it
            # sends codes in its window; a new sign-in starts afresh.
            retry = {"Retry-After": str(int(self.settings.code_limit_window))}
            return error(429, TOO_MANY_CODES, **retry).to_response()
        code = form.get("2fa_code", "").strip()
        if not code or not self.twofactor.verify(account, code):
            session.wrong_codes += 1
            return error(400, BAD_CODE).to_response()
        session.verified = True
        body = {"redirect_url": AUTHORIZE_PATH, "status": "auth-completed"}
        return Reply(201, body).to_response()

    def _complete(self, request: web.Request) -> web.StreamResponse:
        """Hand a signed-in session's code to the app's callback; the session ends."""
        session = self._session(request)
        if session is None:
            return error_page("no authorization request in progress")
        account = self._account(session)
        if account is None or not session.verified:
            return redirect(PAGE_PATH)
        del self.sessions[request.cookies[SESSION_COOKIE]]
        query = session.query
        code = self.codes.replay() if Tamper.REPLAY_CODE in self.tampers else None
        if code is None:
            wrong = Tamper.PKCE_MISMATCH in self.tampers
            other = s256(query["code_challenge"]) if wrong else None
            code = self.codes.issue(account.key, query, challenge=other)
        params = {"code": code, "state": query.get("state", "")}
        if Tamper.WRONG_STATE in self.tampers:
            params["state"] = "not-" + params["state"]
        if Tamper.NO_CODE in self.tampers:
            del params["code"]
        response = redirect(str(URL(query["redirect_uri"]).update_query(params)))
        response.del_cookie(SESSION_COOKIE, path="/")
        return response

    async def _form(
        self, request: web.Request
    ) -> tuple[Session | web.StreamResponse, dict[str, str]]:
        """Read a posted form of a live session with its CSRF token, or the refusal."""
        session = self._session(request)
        posted = await request.post()
        form = {k: v for k, v in posted.items() if isinstance(v, str)}
        if session is None:
            return error(400, NO_SESSION).to_response(), form
        sent = form.get("csrf-token", "").encode()
        if not secrets.compare_digest(sent, session.csrf.encode()):
            return error(403, CSRF_REFUSED).to_response(), form
        return session, form

    def _session(self, request: web.Request) -> Session | None:
        """Return the live session of the request's cookie."""
        session = self.sessions.get(request.cookies.get(SESSION_COOKIE, ""))
        if (
            session is None
            or self._clock.now() >= session.created_at + SESSION_LIFETIME
        ):
            return None
        return session

    def _account(self, session: Session) -> Account | None:
        """Return the account whose password the session accepted."""
        return (
            None
            if session.account is None
            else self.settings.find_account(session.account)
        )

    def _prune(self) -> None:
        """Drop sessions past their lifetime."""
        end = self._clock.now() - SESSION_LIFETIME
        for sid in [s for s, v in self.sessions.items() if v.created_at <= end]:
            del self.sessions[sid]


def add_websignin_routes(app: web.Application, signin: WebSignIn) -> None:
    """Register the web sign-in's routes and its control routes."""
    for method, path, handler in signin.routes():
        app.router.add_route(method, path, handler)
    add_control_routes(app, signin)
