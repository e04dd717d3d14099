"""The gradebook of an offering as a table, and its downloads (CSV, details, Canvas, Moodle, JSON)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from stride.gradebook import exports
from stride.gradebook.grades import compute_gradebook
from stride.gradebook.models import ExportLog
from stride.offerings.models import Offering
from stride.web.teach.access import local, offering_for, page

#: The downloads, in the order the page offers them.
DOWNLOADS = (
    ("csv", "Gradebook (CSV)", "one row per student, one column per item, and the total"),
    ("details", "Every attempt (CSV)", "one row per submission or quiz attempt, with lateness and penalties"),
    ("canvas", "Canvas gradebook (CSV)", "for Canvas's gradebook import"),
    ("moodle", "Moodle grades (CSV)", "for Moodle's \u201cImport grades from CSV\u201d"),
    ("json", "Everything (JSON)", "the gradebook and every attempt, for scripts"),
)
EXPORTS_LISTED = 10


def _teaching(request: HttpRequest, slug: str, *, instruct: bool = False) -> Offering:
    # TAs see the table; exporting grades is the instructors' (and site staff's), as in the API.
    return offering_for(request, slug, instruct=instruct)


@login_required
@require_GET
def gradebook(request: HttpRequest, offering: str) -> HttpResponse:
    found = _teaching(request, offering)
    book = compute_gradebook(found)
    columns = [{"column": c, "due": local(c.due_at, found)} for c in book.columns]
    context = page(
        request,
        found,
        "grades",
        book=book,
        columns=columns,
        downloads=DOWNLOADS,
        exports=[
            {"log": entry, "at": local(entry.created_at, found)}
            for entry in ExportLog.objects.filter(offering=found)[:EXPORTS_LISTED]
        ],
        generated=local(book.generated_at, found),
    )
    return render(request, "teach/grades.html", context)


@login_required
@never_cache
@require_GET
def download(request: HttpRequest, offering: str, fmt: str) -> HttpResponse:
    """One export as a file to save; every download is logged (ExportLog, via web)."""
    found = _teaching(request, offering, instruct=True)
    if fmt not in exports.FORMATS:
        raise Http404("no such export format")
    exported = exports.export(found, fmt, by=request.user, via=ExportLog.Via.WEB)
    response = HttpResponse(exported.encoded(), content_type=exported.content_type)
    response["Content-Disposition"] = f'attachment; filename="{exported.filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response
