"""Enrolment: the roster with roles, invite links per role, CSV roster upload, and following an invite link."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import BadRequest
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from stride.api.views import ApiError
from stride.offerings.invites import TOKEN_MAX, invitation, join_offering, replace_invitation, revoke_invitation
from stride.offerings.models import Enrollment, Invitation, Offering
from stride.offerings.roster import RosterReport, import_roster
from stride.web.teach.access import local, offering_for, page
from stride.web.teach.forms import RosterForm

ROLE_ORDER = {Enrollment.Role.INSTRUCTOR: 0, Enrollment.Role.TA: 1, Enrollment.Role.STUDENT: 2}
INVITE_ACTIONS = ("create", "replace", "revoke")
#: How roles read in sentences (the model's labels would say "Ta").
ROLE_LABELS = {Enrollment.Role.STUDENT: "student", Enrollment.Role.TA: "TA", Enrollment.Role.INSTRUCTOR: "instructor"}


def _teaching(request: HttpRequest, slug: str, *, instruct: bool = False) -> Offering:
    return offering_for(request, slug, instruct=instruct)


def join_url(request: HttpRequest, link: Invitation) -> str:
    return request.build_absolute_uri(reverse("web:teach-join", args=[link.token]))


def _people_page(
    request: HttpRequest,
    offering: Offering,
    *,
    form: RosterForm | None = None,
    report: RosterReport | None = None,
    status: int = 200,
) -> HttpResponse:
    enrolments = sorted(
        Enrollment.objects.filter(offering=offering).select_related("user"),
        key=lambda e: (ROLE_ORDER.get(e.role, 9), e.user.last_name.casefold(), e.user.get_username().casefold()),
    )
    rows = [{"enrolment": e, "role": ROLE_LABELS.get(e.role, e.role), "joined": local(e.created_at, offering)}
            for e in enrolments]  # fmt: skip
    invites = []
    context = page(request, offering, "people", rows=rows, form=form or RosterForm(), report=report)
    if context["can_instruct"]:
        live = {i.role: i for i in Invitation.objects.filter(offering=offering, revoked_at__isnull=True)}
        for role, label in ROLE_LABELS.items():
            link = live.get(role)
            invites.append(
                {
                    "role": role,
                    "label": label,
                    "link": link,
                    "url": join_url(request, link) if link else "",
                    "created": local(link.created_at, offering) if link else "",
                    "expires": local(link.expires_at, offering) if link else "",
                }
            )
    context["invites"] = invites
    return render(request, "teach/people.html", context, status=status)


@login_required
@require_GET
def people(request: HttpRequest, offering: str) -> HttpResponse:
    return _people_page(request, _teaching(request, offering))


@login_required
@require_POST
def invite(request: HttpRequest, offering: str) -> HttpResponse:
    """Create, replace or revoke the invite link of one role."""
    found = _teaching(request, offering, instruct=True)
    role, action = request.POST.get("role", ""), request.POST.get("action", "")
    if role not in Enrollment.Role.values or action not in INVITE_ACTIONS:
        raise BadRequest("choose a role (student, ta, instructor) and create, replace or revoke")
    label = ROLE_LABELS[role]
    if action == "create":
        invitation(found, role, by=request.user)
        messages.success(request, f"The {label} invite link is ready: whoever follows it while signed in joins.")
    elif action == "replace":
        replace_invitation(found, role, by=request.user)
        messages.success(request, f"A new {label} invite link replaced the old one, which no longer works.")
    elif revoke_invitation(found, role):
        messages.success(request, f"The {label} invite link no longer works.")
    else:
        messages.info(request, f"There was no {label} invite link to revoke.")
    return redirect("web:teach-people", offering=found.slug)


@login_required
@require_POST
def roster_upload(request: HttpRequest, offering: str) -> HttpResponse:
    """Import a CSV roster: everyone in it, or (with any wrong row) no one, every problem listed."""
    found = _teaching(request, offering, instruct=True)
    form = RosterForm(request.POST, request.FILES)
    if not form.is_valid():
        return _people_page(request, found, form=form, status=422)
    report = import_roster(found, form.cleaned_data["roster"].read(), role=form.cleaned_data["role"])
    if not report.ok:
        return _people_page(request, found, form=form, report=report, status=422)
    messages.success(request, "Roster imported: " + " ".join(report.lines()))
    return redirect("web:teach-people", offering=found.slug)


def _live_invitation(token: str) -> Invitation:
    found = None
    if 0 < len(token) <= TOKEN_MAX:
        found = Invitation.objects.select_related("offering__course").filter(token=token).first()
    if found is None or found.revoked_at is not None:
        raise Http404("This invite link is not valid (it may have been replaced).")
    return found


@login_required
@require_http_methods(["GET", "POST"])
def join(request: HttpRequest, token: str) -> HttpResponse:
    """GET: what following the link does. POST: join the offering in the link's role."""
    link = _live_invitation(token)
    expired = link.expires_at is not None and timezone.now() >= link.expires_at
    current = Enrollment.objects.filter(offering=link.offering, user=request.user).first()
    context = {
        "link": link,
        "role": ROLE_LABELS.get(link.role, link.role),
        "offering": link.offering,
        "expired": expired,
        "current": current,
        "current_role": ROLE_LABELS.get(current.role, current.role) if current else None,
        "nav": "teach",
    }
    if request.method == "GET":
        return render(request, "teach/join.html", context, status=403 if expired else 200)
    try:
        joined = join_offering(request.user, token)
    except ApiError as refused:
        if refused.status == 404:
            raise Http404(refused.detail) from None
        return render(request, "teach/join.html", {**context, "expired": True}, status=403)
    role = ROLE_LABELS.get(joined.enrollment.role, joined.enrollment.role)
    if joined.created:
        messages.success(request, f"You joined {joined.offering.title} as {role}.")
    elif joined.role_changed:
        messages.success(request, f"You are now {role} in {joined.offering.title}.")
    else:
        messages.info(request, f"You are already in {joined.offering.title} as {role}.")
    if joined.enrollment.role != Enrollment.Role.STUDENT:
        return redirect("web:teach-offering", offering=joined.offering.slug)
    if joined.offering.course is not None:
        return redirect("web:course", slug=joined.offering.course.slug)
    return redirect("web:home")
