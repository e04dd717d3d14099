"""The home page, the course catalogue, a course's outline and enrolling in it."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from stride.courses import access, progress
from stride.courses.markdown import render_markdown
from stride.courses.models import Course
from stride.glossary.linking import glossary_terms
from stride.offerings.models import Enrollment, Offering


def _cards(user) -> list[dict]:
    enrolled = access.enrolled_course_ids(user) if user.is_authenticated else set()
    cards = []
    for course in Course.objects.all():
        done, total = progress.progress_totals(progress.lesson_progress(user, course) if course.pk in enrolled else {})
        cards.append(
            {
                "course": course,
                "summary_html": render_markdown(course.summary, glossary_terms(course)),
                "enrolled": course.pk in enrolled,
                "done": done,
                "total": total,
            }
        )
    return cards


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "web/home.html", {"cards": _cards(request.user), "nav": "home"})


@require_GET
def catalog(request: HttpRequest) -> HttpResponse:
    return render(request, "web/catalog.html", {"cards": _cards(request.user), "nav": "courses"})


@require_GET
def course_detail(request: HttpRequest, slug: str) -> HttpResponse:
    course = get_object_or_404(Course, slug=slug)
    user = request.user
    member = user.is_authenticated and access.is_enrolled(user, course)
    counts = progress.lesson_progress(user if member else None, course)
    done, total = progress.progress_totals(counts)
    context = {
        "course": course,
        "summary_html": render_markdown(course.summary, glossary_terms(course)),
        "member": member,
        "modules": progress.course_outline(course, counts),
        "layers": progress.architecture_map(user, course) if member else [],
        "done": done,
        "total": total,
        "nav": "courses",
    }
    return render(request, "web/course.html", context)


@login_required
@require_POST
def enrol(request: HttpRequest, slug: str) -> HttpResponse:
    """Join the course's newest offering as a student."""
    course = get_object_or_404(Course, slug=slug)
    offering = Offering.objects.filter(course=course).order_by("-created_at", "-id").first()
    if offering is None:
        messages.error(request, f"{course.title} has no offering to enrol in yet.")
    else:
        _, created = Enrollment.objects.get_or_create(offering=offering, user=request.user)
        if created:
            messages.success(request, f"You are enrolled in {course.title}. Start with the first lesson.")
    return redirect("web:course", slug=course.slug)
