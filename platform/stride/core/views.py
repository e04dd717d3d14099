"""Small JSON views that are not part of any feature."""

from __future__ import annotations

from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from stride.core import health


@never_cache
@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    """The state of each part, 200 when all are ok and 503 otherwise::

    {"database": "ok", "broker": "ok", "workers": {"grader": "ok", "results": "down"}}
    """
    checks, healthy = health.report()
    return JsonResponse(checks, status=200 if healthy else 503)
