"""What a client sees when a fault is applied: canned error answers, cut bodies, dropped connections."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from http import HTTPStatus
from typing import Any

from aiohttp import web

from .faults import Area, BodyStyle, Fault, FaultSpec
from .reply import Reply

type Process = Callable[[], Awaitable[Reply]]
type Hang = Callable[[web.Request], Awaitable[None]]

HTML_PAGE = (
    "<html><head><title>502 Bad Gateway</title></head><body>Bad Gateway</body></html>"
)
CUT_TOKEN = b'{"access_token": "eyJhbGciOiJSUzI1NiIsInR5'
RATE_LIMIT_WAIT = 30


def error_page(status: int) -> str:
    """Return an HTML error page of the kind Ring's edge has sent (nginx/openresty style)."""
    title = f"{status} {HTTPStatus(status).phrase}"
    return (
        f"<html>\r\n<head><title>{title}</title></head>\r\n<body>\r\n"
        f"<center><h1>{title}</h1></center>\r\n<hr><center>openresty</center>\r\n"
        "</body>\r\n</html>\r\n"
    )


def error_response(
    status: int,
    style: BodyStyle,
    oauth_body: dict[str, Any],
    retry_after: int | None = None,
) -> web.Response:
    """Answer an error in one of the body styles Ring's servers and edge have used."""
    headers = {} if retry_after is None else {"Retry-After": str(retry_after)}
    phrase = HTTPStatus(status).phrase
    match style:
        case "oauth":
            return web.json_response(oauth_body, status=status, headers=headers)
        case "message":
            body = {"message": phrase}
            return web.json_response(body, status=status, headers=headers)
        case "html":
            return web.Response(
                text=error_page(status),
                status=status,
                content_type="text/html",
                headers=headers,
            )
    return web.Response(text=f"{status} {phrase}", status=status, headers=headers)


def canned_response(spec: FaultSpec, lifetime: int) -> web.Response | None:
    """Return the fixed answer of a fault that never processes the request, if it is one."""
    body: dict[str, Any]
    match spec.fault:
        case Fault.SERVER_ERROR:
            body = {"error": "server_error", "error_description": "service unavailable"}
            return error_response(spec.status, spec.body, body, spec.retry_after)
        case Fault.RATE_LIMIT:
            body = {"error": "too_many_requests", "error_description": "rate limited"}
            wait = RATE_LIMIT_WAIT if spec.retry_after is None else spec.retry_after
            return error_response(429, spec.body, body, wait)
        case Fault.BLOCKED:
            edge = {"error": HTTPStatus(spec.status).phrase, "status_code": spec.status}
            return error_response(spec.status, spec.body, edge, spec.retry_after)
        case Fault.HTML:
            return web.Response(text=HTML_PAGE, content_type="text/html")
        case Fault.NO_TOKEN:
            no_token = {
                "expires_in": lifetime,
                "scope": "client",
                "token_type": "Bearer",
            }
            return web.json_response(no_token)
    return None


def cut(reply: Reply, status: int | None = None) -> web.Response:
    """Send the first half of a reply's JSON body, with its status unless another is given."""
    raw = reply.raw()
    return web.Response(
        body=raw[: max(1, len(raw) // 2)],
        status=reply.status if status is None else status,
        content_type="application/json",
    )


async def play(
    spec: FaultSpec,
    request: web.Request,
    area: Area,
    process: Process,
    *,
    lifetime: int,
    hang: Hang,
) -> web.StreamResponse:
    """Produce what a fault makes the client see."""
    response = canned_response(spec, lifetime)
    if response is not None:
        return response
    match spec.fault:
        case Fault.HANG:
            await hang(request)
            return drop(request)
        case Fault.RESET:
            return drop(request)
        case Fault.RESET_AFTER_ROTATE:
            await process()
            return drop(request)
        case Fault.TRUNCATED_JSON if area == "token":
            return web.Response(body=CUT_TOKEN, content_type="application/json")
        case Fault.TRUNCATED_JSON:
            return cut(await process(), status=200)
    reply = await process()
    if not 200 <= reply.status < 300 or not isinstance(reply.body, dict):
        return reply.to_response()  # a body fault leaves an error as it is
    if spec.fault is Fault.TRUNCATED_AFTER_ROTATE:
        return cut(reply)
    if spec.fault is Fault.MISSING_EXPIRES_IN:
        reply.body.pop("expires_in", None)
    else:
        reply.body["expires_in"] = spec.expires_in
    return reply.to_response()


def drop(request: web.Request) -> web.StreamResponse:
    """Close the connection without an answer (the returned response is never sent)."""
    request.protocol.force_close()  # closes the transport, keep-alive off
    return web.Response(status=204)
