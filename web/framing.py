"""Who may frame what: `/embed` the sites configured for it, every other page no one.

The full page at `/` holds the upload form and the admin-token field; framed
by another site it could be overlaid and clicked through (clickjacking). So
every response outside `/embed` says `X-Frame-Options: DENY` (older browsers)
and `Content-Security-Policy: frame-ancestors 'none'` (current ones). `/embed`
sends its own policy, naming `JUESUAN_ALLOWED_ORIGINS` (`web.embed`).
"""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

EMBED = "/embed"
NO_FRAMES = "frame-ancestors 'none'"


def framable(path: str) -> bool:
    """Does this path set its own framing policy (the embed page and its assets)?"""
    return path == EMBED or path.startswith(EMBED + "/")


class NoFraming:
    """Adds the deny-framing headers to every HTTP response outside `/embed`."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or framable(scope["path"]):
            await self.app(scope, receive, send)
            return

        async def send_denying(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [
                    (k, v) for k, v in message.get("headers", []) if k.lower() != b"x-frame-options"
                ]
                headers.append((b"x-frame-options", b"DENY"))
                csp = [v for k, v in headers if k.lower() == b"content-security-policy"]
                if not any(b"frame-ancestors" in v for v in csp):
                    headers.append((b"content-security-policy", NO_FRAMES.encode()))
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_denying)
