"""JSON API of the gradebook (mounted under /api/ by stride.api.urls).

``GET /api/offerings/{slug}/grades``: the offering's gradebook as JSON, for its instructors
and for site staff (403 for anyone else signed in, TAs included: exports are the
instructors'; 404 for an unknown offering).
Every answer is an export and is logged.
"""

from __future__ import annotations

import json

from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpRequest, HttpResponse
from django.urls import path
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt

from stride.api.views import api_view, authenticated
from stride.gradebook.exports import gradebook_json, log_export
from stride.gradebook.grades import compute_gradebook
from stride.gradebook.models import ExportLog
from stride.offerings.roles import find_offering, require_instructing


@csrf_exempt
@never_cache
@api_view("GET")
@authenticated
def offering_grades(request: HttpRequest, slug: str) -> HttpResponse:
    """The gradebook: per student and item the points that count, with every attempt."""
    offering = find_offering(slug)
    require_instructing(request.api_user, offering)  # exports are the instructors' (TAs see the table)
    book = compute_gradebook(offering)
    log_export(offering, "json", by=request.api_user, via=ExportLog.Via.API, rows=len(book.rows))
    body = json.dumps(gradebook_json(book), cls=DjangoJSONEncoder)
    return HttpResponse(body, content_type="application/json")


urlpatterns = [
    path("offerings/<str:slug>/grades", offering_grades, name="offering-grades"),
]
