"""JSON API views of the glossary (mounted under /api/ by stride.api.urls).

``GET /api/glossary`` lists every current term; ``?q=`` searches (best match first, see
:mod:`stride.glossary.search`); ``?course=<slug>`` keeps one course's terms. The glossary
is reference material: any signed-in user may read it, enrolled or not.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, JsonResponse
from django.urls import path
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt

from stride.api.views import SLUG, ApiError, api_view, authenticated
from stride.courses.markdown import render_markdown
from stride.courses.models import Course
from stride.glossary.linking import LinkTerm, glossary_terms
from stride.glossary.models import Term
from stride.glossary.schema import MAX_QUERY_LENGTH
from stride.glossary.search import current_terms, search_terms


def term_detail(term: Term, links: list[LinkTerm]) -> dict[str, Any]:
    """One term as the API sends it; its definition links to the other terms in ``links``."""
    others = [link for link in links if link.key != term.key]  # no term links to itself
    return {
        "id": term.pk,
        "key": term.key,
        "course": term.course.slug,
        "term": term.term,
        "aliases": list(term.aliases),
        "keras": term.keras,
        "definition_html": render_markdown(term.definition, others),
        "see_also": list(term.see_also),
    }


def _course_filter(request: HttpRequest) -> Course | None:
    slug = request.GET.get("course")
    if slug is None:
        return None
    found = Course.objects.filter(slug=slug).first() if SLUG.fullmatch(slug) else None
    if found is None:
        raise ApiError(404, "not_found", "no such course")
    return found


@csrf_exempt
@never_cache
@api_view("GET")
@authenticated
def glossary(request: HttpRequest) -> JsonResponse:
    """Every current term in glossary order, or the terms matching ``q``, best first."""
    q = request.GET.get("q")
    if q is not None and len(q) > MAX_QUERY_LENGTH:
        raise ApiError(400, "invalid_parameter", f"q must be at most {MAX_QUERY_LENGTH} characters")
    course = _course_filter(request)
    terms = current_terms(course) if q is None else search_terms(q, course)
    links: dict[int, list[LinkTerm]] = {}
    listed = []
    for term in terms:
        if term.course_id not in links:
            links[term.course_id] = glossary_terms(term.course)
        listed.append(term_detail(term, links[term.course_id]))
    return JsonResponse({"terms": listed})


urlpatterns = [path("glossary", glossary, name="glossary")]
