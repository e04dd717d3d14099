"""Offerings: the list of those the caller teaches, creating one, its overview, its items and extensions."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from stride.api.views import ApiError
from stride.courses.models import Course
from stride.exercises.models import Exercise
from stride.gradebook.regrade import open_batches
from stride.offerings import policy
from stride.offerings.extensions import extensions as offering_extensions
from stride.offerings.extensions import grant_extension, revoke_extension
from stride.offerings.models import Enrollment, Extension, GradedItem, Offering, staff_offerings
from stride.offerings.roles import is_site_staff, role_in
from stride.quizzes.models import Quiz
from stride.web.teach.access import local, offering_exercises, offering_for, page
from stride.web.teach.forms import ExtensionForm, ItemForm, OfferingForm, item_targets


def _teaching(request: HttpRequest, slug: str, *, instruct: bool = False) -> Offering:
    return offering_for(request, slug, instruct=instruct)


def _creatable_courses(user):
    """Courses the user may open an offering of: any for site staff, else those they instruct an offering of."""
    if is_site_staff(user):
        return Course.objects.all()
    return Course.objects.filter(
        offerings__enrollments__user=user, offerings__enrollments__role=Enrollment.Role.INSTRUCTOR
    ).distinct()


def late_rule(item: GradedItem) -> str:
    """The late policy in a few words."""
    if item.late_policy == policy.PENALTY:
        return f"{item.penalty_per_day:g}% off per day late, at most {item.penalty_cap:g}%, until the cutoff"
    if item.late_policy == policy.CUTOFF:
        return "late work accepted without penalty until the cutoff"
    return "no late work"


def item_rows(offering: Offering) -> list[dict[str, Any]]:
    items = GradedItem.objects.filter(offering=offering).select_related("exercise", "quiz").order_by("position", "id")
    extended = dict(
        Extension.objects.filter(item__offering=offering)
        .values("item")
        .annotate(n=Count("pk"))
        .values_list("item", "n")
    )
    return [
        {
            "item": item,
            "opens": local(item.opens_at, offering),
            "due": local(item.due_at, offering),
            "closes": local(item.closes_at, offering),
            "late": late_rule(item),
            "points": item.possible_points(),
            "extensions": extended.get(item.pk, 0),
        }
        for item in items
    ]


@login_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """The offerings the caller teaches, and a form to open a new one."""
    user = request.user
    taught = Offering.objects.all() if is_site_staff(user) else staff_offerings(user).distinct()
    courses = _creatable_courses(user)
    if not is_site_staff(user) and not taught.exists():
        raise PermissionDenied("These pages are for the instructors and TAs of a course.")
    rows = []
    for offering in (
        taught.select_related("course")
        .annotate(
            students=Count("enrollments", filter=Q(enrollments__role=Enrollment.Role.STUDENT), distinct=True),
            graded=Count("items", distinct=True),
        )
        .order_by("-created_at", "-id")
    ):
        rows.append({"offering": offering, "role": role_in(user, offering) or "staff"})
    context = {"rows": rows, "form": OfferingForm(courses=courses) if courses.exists() else None, "nav": "teach"}
    return render(request, "teach/home.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def offering_new(request: HttpRequest) -> HttpResponse:
    """Open an offering of a course; its creator becomes its instructor."""
    courses = _creatable_courses(request.user)
    if not courses.exists():
        raise PermissionDenied("Only site staff and the instructors of a course may open an offering of it.")
    form = OfferingForm(request.POST or None, courses=courses)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                offering = Offering.objects.create(
                    slug=data["slug"], title=data["title"], course=data["course"], time_zone=data["time_zone"]
                )
                Enrollment.objects.create(offering=offering, user=request.user, role=Enrollment.Role.INSTRUCTOR)
        except IntegrityError:  # the same slug, made a moment ago
            form.add_error("slug", f"An offering named {data['slug']} exists already.")
        else:
            messages.success(request, f"{offering.title} is open. Add the graded items next.")
            return redirect("web:teach-offering", offering=offering.slug)
    status = 422 if request.method == "POST" else 200
    return render(request, "teach/offering_new.html", {"form": form, "nav": "teach"}, status=status)


@login_required
@require_GET
def overview(request: HttpRequest, offering: str) -> HttpResponse:
    found = _teaching(request, offering)
    counts = dict(
        Enrollment.objects.filter(offering=found).values("role").annotate(n=Count("pk")).values_list("role", "n")
    )
    context = page(
        request,
        found,
        "overview",
        items=item_rows(found),
        counts=counts,
        open_regrades=list(open_batches(found)),
        now_local=local(timezone.now(), found),
    )
    return render(request, "teach/overview.html", context)


def _resolve_target(offering: Offering, target: str) -> tuple[Exercise | None, Quiz | None]:
    kind, _, key = target.partition(":")
    if kind == "exercise":
        exercise = offering_exercises(offering).filter(slug=key).first()
        if exercise is not None:
            return exercise, None
    elif kind == "quiz" and key.isascii() and key.isdigit() and offering.course_id is not None:
        quiz = Quiz.objects.filter(pk=int(key[:12]), course=offering.course_id, retired=False).first()
        if quiz is not None:
            return None, quiz
    raise Http404("no such exercise or quiz")


@login_required
@require_http_methods(["GET", "POST"])
def item_new(request: HttpRequest, offering: str) -> HttpResponse:
    found = _teaching(request, offering, instruct=True)
    targets = item_targets(found, offering_exercises(found))
    form = ItemForm(request.POST or None, offering=found, targets=targets)
    if request.method == "POST" and form.is_valid():
        exercise, quiz = _resolve_target(found, form.cleaned_data["target"])
        try:
            with transaction.atomic():
                item = form.save(exercise=exercise, quiz=quiz)
        except IntegrityError:
            form.add_error("target", "This offering grades it already.")
        else:
            messages.success(request, f"{item.title} is graded now.")
            return redirect("web:teach-offering", offering=found.slug)
    status = 422 if request.method == "POST" else 200
    context = page(request, found, "overview", form=form, item=None, has_targets=bool(targets))
    return render(request, "teach/item_form.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def item_edit(request: HttpRequest, offering: str, item_id: int) -> HttpResponse:
    found = _teaching(request, offering, instruct=True)
    item = GradedItem.objects.select_related("exercise", "quiz").filter(pk=item_id, offering=found).first()
    if item is None:
        raise Http404("no such item")
    form = ItemForm(request.POST or None, offering=found, item=item)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, f"Saved the rules of {item.title}.")
        return redirect("web:teach-offering", offering=found.slug)
    status = 422 if request.method == "POST" else 200
    context = page(request, found, "overview", form=form, item=item, has_targets=True)
    return render(request, "teach/item_form.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def extensions(request: HttpRequest, offering: str) -> HttpResponse:
    """GET: every extension of the offering. POST (instructors): grant one (replacing an earlier one)."""
    found = _teaching(request, offering, instruct=request.method == "POST")
    form = ExtensionForm(request.POST or None, offering=found)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        student = data["student"].user
        try:
            grant_extension(data["item"], student, data["due_at"], by=request.user, reason=data["reason"])
        except ApiError as refused:
            form.add_error(None, refused.detail)
        else:
            messages.success(
                request,
                f"{student.get_full_name() or student.get_username()} may hand in {data['item'].title} "
                f"until {local(data['due_at'], found)}.",
            )
            return redirect("web:teach-extensions", offering=found.slug)
    rows = [
        {
            "extension": extension,
            "due": local(extension.due_at, found),
            "item_due": local(extension.item.due_at, found),
            # From the row itself: deadlines_for() would ask the database again for every extension.
            "closes": local(policy.deadlines(extension.item.rules(), extension.due_at).closes_at, found),
        }
        for extension in offering_extensions(found)
    ]
    status = 422 if request.method == "POST" else 200
    context = page(request, found, "extensions", form=form, rows=rows)
    return render(request, "teach/extensions.html", context, status=status)


@login_required
@require_POST
def extension_revoke(request: HttpRequest, offering: str, extension_id: int) -> HttpResponse:
    found = _teaching(request, offering, instruct=True)
    extension = Extension.objects.select_related("item", "user").filter(pk=extension_id, item__offering=found).first()
    if extension is None:
        raise Http404("no such extension")
    revoke_extension(extension.item, extension.user)
    messages.success(request, f"Took back the extension of {extension.user.get_username()} for {extension.item.title}.")
    return redirect("web:teach-extensions", offering=found.slug)
