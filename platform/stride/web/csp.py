"""Content-Security-Policy for every HTML page: scripts only from our own static files.

Styles may also come from ``<style>`` elements that carry the request's nonce (the code
editor adds its own); no page has inline scripts or ``style`` attributes.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'nonce-{nonce}'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; "
    "frame-ancestors 'none'"
)


def request_nonce(request: HttpRequest) -> str:
    if not hasattr(request, "csp_nonce"):
        request.csp_nonce = secrets.token_urlsafe(16)
    return request.csp_nonce


def nonce(request: HttpRequest) -> dict[str, str]:
    """Template context processor: ``csp_nonce``."""
    return {"csp_nonce": request_nonce(request)}


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.get("Content-Type", "").startswith("text/html") and "Content-Security-Policy" not in response:
            response["Content-Security-Policy"] = POLICY.format(nonce=request_nonce(request))
        return response
